/**
 * Gradient saliency maps (显著图) — which pixels move a class score, for explainability (可解释性).
 *
 * For a model f and an input image x, the **saliency map** of class c is the gradient of the class
 * score with respect to every input pixel (Simonyan, Vedaldi & Zisserman 2014):
 *
 *     S(x)_i = ∂ f_c(x) / ∂ x_i
 *
 * — how much the score would change per unit change of pixel i, around this image. Its sign says
 * which way (brighter pixel → more or less class c); `|S|` how sensitive. **Gradient × input**
 * (Shrikumar et al. 2016), `x_i · ∂f_c/∂x_i`, weighs sensitivity by the pixel's own value: for a linear
 * score f_c(x) = w·x + b it is exactly each pixel's contribution w_i·x_i to the score. **Integrated
 * gradients** (Sundararajan et al. 2017) average the gradient along the straight path from a baseline
 * x' (e.g. a black image) to x and multiply by (x − x'); its attributions add up to f_c(x) − f_c(x')
 * ("completeness").
 *
 * The model runs in inference mode (no dropout, batch-norm moving statistics), so each image of a
 * batch gets its own gradient. The score is the model's output column `classIndex` — for a softmax
 * classifier, the class probability; `score: 'log'` uses log-probability instead, whose gradient does
 * not vanish when the model is very confident.
 *
 * ```ts
 * const grad = saliencyMap(model, images, 0);         // [n, 28, 28, 1]: ∂p(malignant)/∂pixel
 * const gxi = gradientTimesInput(model, images, 0);   // grad ⊙ images
 * showImageGrid(saliencyToImages(grad), { colormap: 'diverging', normalize: 'each' });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { Dense } from '../data/dense';

/** A Layers model, or any differentiable function from an input batch to scores `[n, k]`. */
export type ScoreModel = tf.LayersModel | ((x: tf.Tensor) => tf.Tensor);

export interface SaliencyOptions {
  /** What is differentiated: the output column itself ('output', default) or its logarithm ('log'). */
  score?: 'output' | 'log';
}

function forward(model: ScoreModel, x: tf.Tensor): tf.Tensor {
  if (typeof model === 'function') return model(x);
  return model.apply(x, { training: false }) as tf.Tensor;
}

/**
 * The class score `[n]` that the saliency functions differentiate: column `classIndex` of the
 * model's output `[n, k]` (or its log with `score: 'log'`), in inference mode.
 */
export function classScore(model: ScoreModel, x: tf.Tensor, classIndex: number, options: SaliencyOptions = {}): tf.Tensor1D {
  return tf.tidy(() => {
    const out = forward(model, x);
    if (out.rank !== 2) throw new Error(`saliency: the model must output [n, k] scores, got [${out.shape.join(', ')}]`);
    const k = out.shape[1]!;
    if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= k) {
      throw new Error(`saliency: classIndex ${classIndex} is not an output column 0..${k - 1}`);
    }
    let s = tf.reshape(tf.slice(out, [0, classIndex], [-1, 1]), [-1]) as tf.Tensor1D;
    if (options.score === 'log') s = tf.log(tf.maximum(s, 1e-12)) as tf.Tensor1D;
    return s;
  });
}

/**
 * The saliency map: ∂ score_c / ∂ x for every image of the batch `x` (same shape as `x`).
 * The caller disposes the result.
 */
export function saliencyMap(model: ScoreModel, x: tf.Tensor, classIndex: number, options: SaliencyOptions = {}): tf.Tensor {
  if (x.dtype !== 'float32') throw new Error(`saliencyMap: the input must be float32, got ${x.dtype}`);
  return tf.tidy(() => {
    // The images are independent in inference mode, so the gradient of the summed score holds each
    // image's own gradient.
    const g = tf.grad((input: tf.Tensor) => tf.sum(classScore(model, input, classIndex, options)));
    return g(x);
  });
}

/** Gradient × input: `x ⊙ ∂ score_c / ∂ x` (same shape as `x`). The caller disposes the result. */
export function gradientTimesInput(model: ScoreModel, x: tf.Tensor, classIndex: number, options: SaliencyOptions = {}): tf.Tensor {
  return tf.tidy(() => tf.mul(saliencyMap(model, x, classIndex, options), x));
}

export interface IntegratedGradientsOptions extends SaliencyOptions {
  /** Points on the path from the baseline to x (midpoint rule, default 32). */
  steps?: number;
  /** The reference input x' (default: zeros, a black image); broadcast against x. */
  baseline?: tf.Tensor;
}

/**
 * Integrated gradients: `(x − x') ⊙ mean_{t} ∂score_c/∂x (x' + t (x − x'))` over `steps` midpoints
 * t = (j + ½)/steps. Attributions sum (per image) to approximately score_c(x) − score_c(x').
 */
export function integratedGradients(model: ScoreModel, x: tf.Tensor, classIndex: number, options: IntegratedGradientsOptions = {}): tf.Tensor {
  const steps = options.steps ?? 32;
  if (!(steps >= 1) || !Number.isInteger(steps)) throw new Error(`integratedGradients: steps must be a positive integer, got ${steps}`);
  return tf.tidy(() => {
    const baseline = options.baseline ?? tf.zerosLike(x);
    const delta = tf.sub(x, baseline);
    let total: tf.Tensor = tf.zerosLike(x);
    for (let j = 0; j < steps; j++) {
      const t = (j + 0.5) / steps;
      const point = tf.add(baseline, tf.mul(delta, t));
      const g = saliencyMap(model, point, classIndex, options);
      const next = tf.add(total, g);
      tf.dispose([total, point, g]);
      total = next;
    }
    return tf.mul(delta, tf.div(total, steps));
  });
}

/**
 * Maps `[n, h, w, c]` (or `[n, h, w]`) as single-channel images for `showImageGrid`: 'signed' sums
 * the channels (keeps the sign: use the 'diverging' colormap), 'abs' takes the largest |value| over
 * the channels (Simonyan et al.'s choice; use 'viridis' or 'gray').
 */
export function saliencyToImages(maps: tf.Tensor, mode: 'signed' | 'abs' = 'signed'): Dense {
  const s = maps.shape;
  if (s.length !== 3 && s.length !== 4) throw new Error(`saliencyToImages: expected [n, h, w] or [n, h, w, c], got [${s.join(', ')}]`);
  const reduced = tf.tidy(() => {
    const m = s.length === 3 ? tf.expandDims(maps, -1) : maps;
    return mode === 'abs' ? tf.max(tf.abs(m), -1) : tf.sum(m, -1);
  });
  const data = Float32Array.from(reduced.dataSync());
  const shape = reduced.shape.slice();
  reduced.dispose();
  return { data, shape };
}

/** Both attributions of a stack of images, each `[n, h, w, c]` like the images; the caller disposes them. */
export interface ImageAttributions {
  /** ∂ score_c / ∂ x of each image for its class. */
  saliency: tf.Tensor;
  /** x ⊙ ∂ score_c / ∂ x of each image for its class. */
  gradTimesInput: tf.Tensor;
}

/**
 * The saliency map and gradient × input of each image of `images` `[n, h, w, c]` for its own class
 * `classes[i]` (e.g. the predicted one), one image at a time (small n: a handful of images to show).
 * For many images use `saliencyPerClass`, which batches by class.
 *
 * ```ts
 * const maps = attributionsPerImage(cnn, shownImages, predictedClasses);
 * showImageGrid(saliencyToImages(maps.saliency, 'abs'), { colormap: 'viridis', normalize: 'each' });
 * tf.dispose([maps.saliency, maps.gradTimesInput]);
 * ```
 */
export function attributionsPerImage(model: ScoreModel, images: tf.Tensor4D, classes: readonly number[],
  options: SaliencyOptions = {}): ImageAttributions {
  if (classes.length !== images.shape[0]) {
    throw new Error(`attributionsPerImage: ${classes.length} classes for ${images.shape[0]} images; pass one class index per image`);
  }
  const grads: tf.Tensor[] = [];
  const gxi: tf.Tensor[] = [];
  classes.forEach((c, i) => {
    const x = tf.slice(images, i, 1);
    grads.push(saliencyMap(model, x, c, options));
    gxi.push(gradientTimesInput(model, x, c, options));
    x.dispose();
  });
  const out = { saliency: tf.concat(grads), gradTimesInput: tf.concat(gxi) };
  tf.dispose([...grads, ...gxi]);
  return out;
}

/**
 * How alike two stacks of attribution maps are: for each image i the Pearson correlation of |a_i| and |b_i|
 * over the pixels, averaged over the images — Adebayo et al.'s (2018) sanity check compares the maps of a
 * trained model with those of the same architecture with random weights (near 1: the maps explain the input,
 * not the model). `a` and `b` are `[n, …]` of the same shape; 1e-12 guards a constant map.
 *
 * ```ts
 * meanMapCorrelation(trained.saliency, random.saliency);   // e.g. 0.2: the saliency depends on the weights
 * ```
 */
export function meanMapCorrelation(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`meanMapCorrelation: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] differ`);
  const n = a.shape[0]!;
  return tf.tidy(() => {
    const flat = (t: tf.Tensor): tf.Tensor2D => { const f = tf.reshape(tf.abs(t), [n, -1]) as tf.Tensor2D; return tf.sub(f, tf.mean(f, 1, true)); };
    const fa = flat(a);
    const fb = flat(b);
    const r = tf.div(tf.sum(tf.mul(fa, fb), 1), tf.add(tf.mul(tf.norm(fa, 2, 1), tf.norm(fb, 2, 1)), 1e-12));
    return tf.mean(r).dataSync()[0]!;
  });
}

export interface SaliencyPerClassOptions {
  /** Differentiate the output of this named layer instead of the model's output (e.g. 'logits', before a softmax). */
  layer?: string;
  /** Images per gradient computation (default 64): bounds memory. */
  batchSize?: number;
  /** How channels become one map: 'abs' (default: largest |∂/∂x| over channels) or 'signed' (their sum). */
  mode?: 'signed' | 'abs';
}

/**
 * Saliency maps of many images, each for its own class `classes[i]`: images of the same class are
 * differentiated together, `batchSize` at a time, and each map lands at its image's position.
 * Returns one map per image, `[n, h, w]` (see `saliencyToImages` for `mode`).
 *
 * ```ts
 * const maps = saliencyPerClass(model, testImages, testLabels, { layer: 'logits' });   // |∂y_c/∂x|, c = true class
 * saliencyInBoxesBatch(maps, boxes);
 * ```
 */
export function saliencyPerClass(model: tf.LayersModel, x: tf.Tensor4D, classes: ArrayLike<number>,
  options: SaliencyPerClassOptions = {}): Dense {
  const { layer, batchSize = 64, mode = 'abs' } = options;
  const [n, h, w] = x.shape;
  if (classes.length !== n) throw new Error(`saliencyPerClass: ${classes.length} classes for ${n} images; pass one class index per image`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`saliencyPerClass: batchSize = ${batchSize}; use an integer ≥ 1`);
  const scorer: tf.LayersModel = layer === undefined ? model
    : tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
  const out = new Float32Array(n * h * w);
  const distinct = [...new Set(Array.from(classes))].sort((a, b) => a - b);
  for (const c of distinct) {
    const members = Array.from({ length: n }, (_, i) => i).filter((i) => classes[i] === c);
    for (let start = 0; start < members.length; start += batchSize) {
      const part = members.slice(start, start + batchSize);
      const xb = tf.gather(x, part);
      const grads = saliencyMap(scorer, xb, c);
      const maps = saliencyToImages(grads, mode).data;
      tf.dispose([xb, grads]);
      part.forEach((i, j) => out.set(maps.subarray(j * h * w, (j + 1) * h * w), i * h * w));
    }
  }
  return { data: out, shape: [n, h, w] };
}

/** The outcome of `gradientStepCheck`, per image. */
export interface GradientStepCheck {
  /** score(x + δ·S/‖S‖) − score(x). */
  actual: number[];
  /** δ·‖S‖: the first-order prediction of that change. */
  predicted: number[];
  /** |actual − predicted| / predicted. */
  relativeError: number[];
}

/**
 * Is `grads` the gradient of this score? A step of length δ along the unit direction S/‖S‖ must change
 * the class score by δ‖S‖ to first order. `grads` has the shape of `x` (e.g. from `saliencyMap`).
 */
export function gradientStepCheck(model: ScoreModel, x: tf.Tensor, grads: tf.Tensor, classIndex: number, delta = 0.01): GradientStepCheck {
  if (grads.shape.join() !== x.shape.join()) throw new Error(`gradientStepCheck: grads [${grads.shape.join(', ')}] must have the shape of x [${x.shape.join(', ')}]`);
  if (!(delta > 0)) throw new Error(`gradientStepCheck: delta = ${delta}; use a small number > 0`);
  const axes = x.shape.map((_, i) => i).slice(1);
  const { actual, predicted } = tf.tidy(() => {
    const norms = tf.sqrt(tf.sum(tf.square(grads), axes, true));
    const stepped = tf.add(x, tf.mul(tf.div(grads, norms), delta));
    const before = classScore(model, x, classIndex);
    const after = classScore(model, stepped, classIndex);
    return { actual: Array.from(tf.sub(after, before).dataSync()), predicted: Array.from(tf.mul(tf.reshape(norms, [-1]), delta).dataSync()) };
  });
  return { actual, predicted, relativeError: actual.map((a, i) => Math.abs(a - predicted[i]!) / predicted[i]!) };
}
