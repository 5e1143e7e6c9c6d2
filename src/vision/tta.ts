/**
 * Test-time augmentation (测试时增强, TTA): score each image as the mean prediction over several
 * label-preserving views of it, and over several models (an ensemble, 集成):
 *
 *     p(x) = (1 / (M·V)) Σ_m Σ_v f_m(view_v(x))
 *
 * The views must not change the class: a mirror image for ultrasound scans (`MIRROR_VIEWS`, notebook
 * 05), the 8 symmetries of the square for surface textures (`DIHEDRAL_VIEWS`, notebook 07). The sum
 * runs models-outer, views-inner, left to right, then divides by M·V.
 *
 * ```ts
 * const p = predictTta([net1, net2, net3], images, MIRROR_VIEWS);      // [n, k] mean softmax, caller disposes
 * const malignant = ttaScores(models, images, MIRROR_VIEWS, 0);        // number[]: column 0 of it
 * const acc = ttaAccuracy(model, testImages, testLabels, DIHEDRAL_VIEWS); // accuracy of argmax, batches of 64
 * const score = ttaScoreFunction(models, MIRROR_VIEWS);                 // differentiable, for saliency maps
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { dihedralTransform, flipHorizontal } from './texture-augment';

/** A label-preserving view of a batch of images [n, h, w, c] → [n, h, w, c]. */
export type ImageView = (x: tf.Tensor4D) => tf.Tensor4D;

/** The image itself and its left ↔ right mirror image. */
export const MIRROR_VIEWS: readonly ImageView[] = [(x) => x, (x) => flipHorizontal(x)];

/** The 8 symmetries of the square: `dihedralTransform(x, t)` for t = 0..7 (t = 0: the image itself). */
export const DIHEDRAL_VIEWS: readonly ImageView[] = Array.from({ length: 8 }, (_, t): ImageView =>
  (t === 0 ? (x) => x : (x) => dihedralTransform(x, t)));

function asList(models: tf.LayersModel | readonly tf.LayersModel[]): readonly tf.LayersModel[] {
  const list = Array.isArray(models) ? models : [models as tf.LayersModel];
  if (list.length === 0) throw new Error('tta: no models given; pass one model or a non-empty array');
  return list;
}

function checkViews(views: readonly ImageView[]): void {
  if (views.length === 0) throw new Error('tta: no views given; pass e.g. MIRROR_VIEWS or DIHEDRAL_VIEWS');
}

function meanOver(models: readonly tf.LayersModel[], views: readonly ImageView[], x: tf.Tensor4D,
  run: (m: tf.LayersModel, v: tf.Tensor4D) => tf.Tensor): tf.Tensor {
  // Each view once, before any model: every model sees the same view tensors.
  const viewed = views.map((view) => view(x));
  let sum: tf.Tensor | null = null;
  for (const m of models) {
    for (const v of viewed) {
      const out = run(m, v);
      sum = sum === null ? out : tf.add(sum, out);
    }
  }
  return tf.div(sum!, models.length * views.length);
}

/**
 * The mean of `model.predict` over models × views of x [n, h, w, c] (inference mode): a tensor
 * [n, k] like one model's output. The caller disposes it.
 */
export function predictTta(models: tf.LayersModel | readonly tf.LayersModel[], x: tf.Tensor4D, views: readonly ImageView[]): tf.Tensor2D {
  const list = asList(models);
  checkViews(views);
  return tf.tidy(() => meanOver(list, views, x, (m, v) => m.predict(v) as tf.Tensor) as tf.Tensor2D);
}

/** Column `column` of `predictTta` as plain numbers (e.g. p(malignant) per image). */
export function ttaScores(models: tf.LayersModel | readonly tf.LayersModel[], x: tf.Tensor4D, views: readonly ImageView[], column: number): number[] {
  const p = predictTta(models, x, views);
  const k = p.shape[1];
  if (!Number.isInteger(column) || column < 0 || column >= k) {
    p.dispose();
    throw new Error(`ttaScores: column ${column} is not an output column 0..${k - 1}`);
  }
  const s = tf.slice(p, [0, column], [-1, 1]);
  const out = Array.from(s.dataSync());
  tf.dispose([p, s]);
  return out;
}

/**
 * Accuracy of argmax(predictTta) against integer `labels` (one per image), scoring `batchSize`
 * images at a time (default 64) to bound memory.
 */
export function ttaAccuracy(models: tf.LayersModel | readonly tf.LayersModel[], x: tf.Tensor4D, labels: ArrayLike<number>,
  views: readonly ImageView[], batchSize = 64): number {
  const n = x.shape[0];
  if (labels.length !== n) throw new Error(`ttaAccuracy: ${labels.length} labels for ${n} images; pass one label per image`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`ttaAccuracy: batchSize = ${batchSize}; use an integer ≥ 1`);
  let correct = 0;
  for (let s = 0; s < n; s += batchSize) {
    const size = Math.min(batchSize, n - s);
    const pred = tf.tidy(() => tf.argMax(predictTta(models, tf.slice(x, s, size), views), 1));
    pred.dataSync().forEach((p, j) => { if (p === labels[s + j]) correct++; });
    pred.dispose();
  }
  return correct / n;
}

/**
 * The TTA score as one differentiable function x → [n, k] (`model.apply` in inference mode): what a
 * saliency map of the evaluated score must differentiate (`saliencyMap(ttaScoreFunction(...), x, c)`).
 */
export function ttaScoreFunction(models: tf.LayersModel | readonly tf.LayersModel[], views: readonly ImageView[]): (x: tf.Tensor) => tf.Tensor {
  const list = asList(models);
  checkViews(views);
  return (x) => meanOver(list, views, x as tf.Tensor4D, (m, v) => m.apply(v, { training: false }) as tf.Tensor);
}

/**
 * The mirror-TTA score of `models` as ONE layers model (input [h, w, c] → [k]): the mean over the models and over x and
 * its left ↔ right mirror, i.e. `predictTta(models, x, MIRROR_VIEWS)`, built from layers only, so that it can be saved
 * and loaded (e.g. by `exportForBook`, for the book's page). The mirror is a fixed dense layer whose weights are the
 * reversal matrix J (ones on the anti-diagonal) applied along the width.
 *
 * ```ts
 * const scorer = mirrorTtaModel(cnnModels, [28, 28, 1]);
 * scorer.predict(images);   // [n, k], equal to predictTta(cnnModels, images, MIRROR_VIEWS) up to float32 rounding
 * ```
 */
export function mirrorTtaModel(models: tf.LayersModel | readonly tf.LayersModel[], inputShape: readonly [number, number, number]): tf.LayersModel {
  const list = asList(models);
  const [h, w, c] = inputShape;
  if (![h, w, c].every((d) => Number.isInteger(d) && d > 0)) throw new Error(`mirrorTtaModel: inputShape [${inputShape.join(', ')}] should be [height, width, channels] of positive integers`);
  const input = tf.input({ shape: [h, w, c] });
  const reversal = tf.tidy(() => tf.reverse(tf.eye(w), 1));
  // [h, w, c] → [h, c, w]: the dense layer acts on the last axis, the width; then back to [h, w, c].
  const widthLast = tf.layers.permute({ dims: [1, 3, 2] }).apply(input) as tf.SymbolicTensor;
  const flipped = tf.layers.dense({ units: w, useBias: false, trainable: false, weights: [reversal] }).apply(widthLast) as tf.SymbolicTensor;
  reversal.dispose();
  const mirror = tf.layers.permute({ dims: [1, 3, 2] }).apply(flipped) as tf.SymbolicTensor;
  const outputs = list.flatMap((m) => [m.apply(input), m.apply(mirror)] as tf.SymbolicTensor[]);
  const mean = outputs.length === 1 ? outputs[0]! : tf.layers.average().apply(outputs) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: mean });
}
