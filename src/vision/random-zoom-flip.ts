/**
 * Zoom-and-mirror augmentation (随机缩放裁剪与水平翻转) for small grey images such as BreastMNIST.
 *
 * Each image of a batch is replaced by a random square crop covering a fraction `s` of its side,
 * s uniform in [minScale, 1], at a uniform random position inside the image, resized back to the
 * full size (bilinear) — a zoom of 1/s and a shift — and, with probability `flipProbability`,
 * mirrored left ↔ right. Nothing outside the image is ever sampled, so no artificial border
 * appears. A breast-ultrasound image mirrored left ↔ right is still a plausible scan (the probe is
 * held either way); upside down it is not (the skin is at the top), so there is no vertical flip.
 *
 * One `tf.image.cropAndResize` does all of it: a box `[y1, x1, y2, x2]` (normalised, 0 = first and
 * 1 = last pixel centre) with `x1 > x2` samples the columns right to left, i.e. mirrored. The random
 * numbers come from the course generator (`seed` makes them repeat).
 *
 * ```ts
 * const aug = randomZoomFlip(batch, { minScale: 0.8 });   // [b, h, w, c] → same shape
 * await fitModel(model, x, y, { epochs: 60, augment: (b) => randomZoomFlip(b) });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { random } from '../training/random';

export interface ZoomFlipOptions {
  /** Smallest crop side, as a fraction of the image side (default 0.8: zoom up to 1.25×). 1 = no zoom. */
  minScale?: number;
  /** Probability of a left ↔ right mirror (default 0.5). */
  flipProbability?: number;
}

/**
 * The `n` crop boxes `[y1, x1, y2, x2]` (normalised coordinates, row-major `[n * 4]`) that
 * `randomZoomFlip` uses. Per image, four draws from `rng` in this order: the scale
 * `s = minScale + (1 − minScale)·u₁`, the top `y1 = u₂·(1 − s)`, the left `x1 = u₃·(1 − s)`, and a
 * mirror when `u₄ < flipProbability` (then x1 and x2 are swapped).
 */
export function zoomFlipBoxes(n: number, options: ZoomFlipOptions = {}, rng: () => number = random): Float32Array {
  const minScale = options.minScale ?? 0.8;
  const flipProbability = options.flipProbability ?? 0.5;
  if (!(minScale > 0 && minScale <= 1)) throw new Error(`zoomFlipBoxes: minScale must be in (0, 1], got ${minScale}`);
  if (!(flipProbability >= 0 && flipProbability <= 1)) throw new Error(`zoomFlipBoxes: flipProbability must be in [0, 1], got ${flipProbability}`);
  const boxes = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = minScale + (1 - minScale) * rng();
    const y1 = rng() * (1 - s);
    const x1 = rng() * (1 - s);
    const mirror = rng() < flipProbability;
    boxes[i * 4] = y1;
    boxes[i * 4 + 1] = mirror ? x1 + s : x1;
    boxes[i * 4 + 2] = y1 + s;
    boxes[i * 4 + 3] = mirror ? x1 : x1 + s;
  }
  return boxes;
}

/**
 * Crop each image to its box (`[n * 4]`, as `zoomFlipBoxes` gives) and resize it back to `h × w`.
 * @param batch `[n, h, w, c]`. @returns a new `[n, h, w, c]` tensor.
 */
export function cropResizeBoxes(batch: tf.Tensor, boxes: Float32Array): tf.Tensor4D {
  if (batch.rank !== 4) throw new Error(`cropResizeBoxes: expected a batch [b, h, w, c], got [${batch.shape.join(', ')}]`);
  const [n, h, w] = batch.shape as [number, number, number, number];
  if (boxes.length !== n * 4) throw new Error(`cropResizeBoxes: ${boxes.length / 4} boxes for ${n} images`);
  return tf.tidy(() => tf.image.cropAndResize(batch as tf.Tensor4D, tf.tensor2d(boxes, [n, 4]),
    tf.range(0, n, 1, 'int32') as tf.Tensor1D, [h, w], 'bilinear'));
}

/** Random zoom, shift and left ↔ right mirror of every image of `batch` (see the module doc). */
export function randomZoomFlip(batch: tf.Tensor, options: ZoomFlipOptions = {}): tf.Tensor4D {
  if (batch.rank !== 4) throw new Error(`randomZoomFlip: expected a batch [b, h, w, c], got [${batch.shape.join(', ')}]`);
  return cropResizeBoxes(batch, zoomFlipBoxes(batch.shape[0]!, options));
}
