/**
 * The nearest reference image of each query image (最近邻图像), by root-mean-square pixel difference:
 * how a test set is searched for near-copies of training images (the same scan twice, a lesion a few
 * frames apart) before its numbers are trusted.
 *
 *   d(a, b) = √( Σ_p (a_p − b_p)² / P ),   P = h·w·c pixels per image,
 *
 * computed for all pairs at once from ‖a − b‖² = ‖a‖² − 2 a·b + ‖b‖² (one matrix product; tiny
 * negative round-off is clipped to 0). Memory: a `[queries, references]` float32 matrix.
 *
 * ```ts
 * const nearest = nearestImages(test.images, train.images);   // [nTest, 28, 28, 1] against [nTrain, 28, 28, 1]
 * nearest.distance[i];   // RMS distance of test image i to its nearest training image (0 = identical)
 * nearest.index[i];      // which training image that is
 * ```
 */
import * as tf from '@tensorflow/tfjs';

export interface NearestImages {
  /** Per query: the RMS pixel distance to its nearest reference image. */
  distance: number[];
  /** Per query: the index of that reference image (the first one on a tie). */
  index: number[];
}

/**
 * For each image of `queries` `[n, h, w, c]`, the nearest image of `references` `[m, h, w, c]` and its
 * RMS pixel distance. The tensors are not disposed.
 * @throws if the images of the two stacks differ in size, or `references` is empty.
 */
export function nearestImages(queries: tf.Tensor4D, references: tf.Tensor4D): NearestImages {
  const [n, ...size] = queries.shape;
  const [m, ...refSize] = references.shape;
  if (size.join() !== refSize.join()) {
    throw new Error(`nearestImages: query images are [${size.join(', ')}] but reference images [${refSize.join(', ')}]; they must match`);
  }
  if (m === 0) throw new Error('nearestImages: no reference images');
  const pixels = size.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const a = tf.reshape(queries, [n, pixels]);
    const b = tf.reshape(references, [m, pixels]);
    const squared = tf.add(tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(2, tf.matMul(a, b, false, true))), tf.reshape(tf.sum(tf.square(b), 1), [1, -1]));
    const rms = tf.sqrt(tf.div(tf.relu(squared), pixels));
    return { distance: Array.from(tf.min(rms, 1).dataSync()), index: Array.from(tf.argMin(rms, 1).dataSync()) };
  });
}
