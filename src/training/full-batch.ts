/**
 * Full-batch training (全批量梯度下降) for small tabular problems, and the two models the case studies
 * fit that way.
 *
 * When the whole training set fits in one batch (hundreds of rows), each step is one Adam update on
 * the loss of *all* rows — no mini-batches, no epochs, no shuffling, and so nothing random in the
 * optimisation itself:
 *
 *     θ ← Adam(θ, ∇θ L(θ)),  repeated `steps` times.
 *
 * - `fullBatchAdam(loss, { steps, learningRate })` runs that loop for any scalar loss closure.
 * - `fitLogisticRegression(z, y, { lambda, classWeighted, steps })` fits p = σ(z·w + b) from zero
 *   weights on the (optionally class-weighted) cross-entropy plus (λ/2)‖w‖² (notebook 05's pixel
 *   baseline): L = (1/n) Σ c_{y_i} (softplus(u_i) − y_i u_i) + (λ/2) Σ w², u = z·w + b, with
 *   c_1 = n / (2 n₁) and c_0 = n / (2 n₀) when class-weighted (else 1), so each class weighs half.
 *
 * ```ts
 * const model = fitLogisticRegression(zTrain, yTrain, { lambda: 0.1, steps: 400 });   // z: [n, d] tensor
 * const p = logisticRegressionScores(model, zTest);                                      // number[] in (0, 1)
 * disposeLogisticRegression(model);
 * ```
 */
import * as tf from '@tensorflow/tfjs';

export interface FullBatchOptions {
  /** Adam steps, each on the whole batch (integer ≥ 1). */
  steps: number;
  /** Adam's learning rate (> 0). */
  learningRate: number;
}

/**
 * Minimise `loss` (a closure over tf variables, returning a scalar) with `steps` Adam updates.
 * Every trainable variable the loss reads is updated. Returns the loss value at the last step
 * (computed before that step's update).
 */
export function fullBatchAdam(loss: () => tf.Scalar, options: FullBatchOptions): number {
  const { steps, learningRate } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`fullBatchAdam: steps = ${steps}; use an integer ≥ 1`);
  if (!(learningRate > 0)) throw new Error(`fullBatchAdam: learningRate = ${learningRate}; use a number > 0`);
  const optimizer = tf.train.adam(learningRate);
  let last = Number.NaN;
  for (let step = 0; step < steps; step++) {
    const value = optimizer.minimize(loss, step === steps - 1);
    if (value) {
      last = value.dataSync()[0]!;
      value.dispose();
    }
  }
  optimizer.dispose();
  return last;
}

/** A fitted logistic regression p = σ(z·w + b). `w`: [d, 1], `b`: [1]; dispose with `disposeLogisticRegression`. */
export interface LogisticRegression {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
  lambda: number;
  classWeighted: boolean;
}

export interface LogisticRegressionOptions {
  /** L2 strength λ of the penalty (λ/2)‖w‖² (≥ 0; the bias is not penalised). */
  lambda: number;
  /** Weight the classes to count half each (default false). */
  classWeighted?: boolean;
  /** Full-batch Adam steps. */
  steps: number;
  /** Adam's learning rate (default 0.01). */
  learningRate?: number;
}

/**
 * Fit a logistic regression on standardised inputs `z` [n, d] and labels `y` (n values, 0 or 1)
 * by full-batch Adam from zero weights. The caller disposes the result.
 */
export function fitLogisticRegression(z: tf.Tensor2D, y: readonly number[], options: LogisticRegressionOptions): LogisticRegression {
  const { lambda, classWeighted = false, steps, learningRate = 0.01 } = options;
  const [n, d] = z.shape;
  if (y.length !== n) throw new Error(`fitLogisticRegression: ${y.length} labels for ${n} rows of z; pass one label per row`);
  if (y.some((v) => v !== 0 && v !== 1)) throw new Error('fitLogisticRegression: labels y must be 0 or 1');
  if (!(lambda >= 0)) throw new Error(`fitLogisticRegression: lambda = ${lambda}; use a number ≥ 0`);
  const n1 = y.reduce((a, b) => a + b, 0);
  if (classWeighted && (n1 === 0 || n1 === n)) throw new Error('fitLogisticRegression: classWeighted needs both classes in y');
  const c1 = classWeighted ? n / (2 * n1) : 1;
  const c0 = classWeighted ? n / (2 * (n - n1)) : 1;
  const w = tf.variable(tf.zeros([d, 1]));
  const b = tf.variable(tf.zeros([1]));
  const yt = tf.tensor2d(Array.from(y), [n, 1]);
  const weights = tf.tensor2d(y.map((v) => (v === 1 ? c1 : c0)), [n, 1]);
  fullBatchAdam(() => tf.tidy(() => {
    const u = tf.add(tf.matMul(z, w), b);
    const ce = tf.mean(tf.mul(weights, tf.sub(tf.softplus(u), tf.mul(yt, u))));
    return tf.add(ce, tf.mul(lambda / 2, tf.sum(tf.square(w)))) as tf.Scalar;
  }), { steps, learningRate });
  const model: LogisticRegression = { w: tf.clone(w) as tf.Tensor2D, b: tf.clone(b) as tf.Tensor1D, lambda, classWeighted };
  tf.dispose([w, b, yt, weights]);
  return model;
}

/** σ(z·w + b) for every row of `z` [n, d]: n probabilities. */
export function logisticRegressionScores(model: LogisticRegression, z: tf.Tensor2D): number[] {
  const s = tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(z, model.w), model.b)));
  const out = Array.from(s.dataSync());
  s.dispose();
  return out;
}

/** Free the tensors of a fitted logistic regression. */
export function disposeLogisticRegression(model: LogisticRegression): void {
  tf.dispose([model.w, model.b]);
}
