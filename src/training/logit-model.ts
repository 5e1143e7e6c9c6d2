/**
 * Tabular scoring models that output a **logit** (对数几率), trained full-batch on encoded rows:
 * logistic regression (`hidden: 0`) or a one-hidden-layer MLP (`hidden > 0`, ReLU, optional dropout).
 *
 *     logit = b + wᵀx   (or the MLP's last layer);   p = σ(logit) = P(class 1 | x)
 *
 * Loss: the mean binary cross-entropy computed from the logit (`tf.losses.sigmoidCrossEntropy`,
 * numerically stable) plus λ·Σ kernel² over every layer's kernel (biases not penalised; written
 * without the ½, so the gradient of the penalty is 2λw). Each step is one full-batch Adam update
 * (`fullBatchAdam`). Notebook 06 fits these inside every cross-validation fold.
 *
 * ```ts
 * const spec: LogitModelSpec = { name: 'logistic regression', hidden: 0, dropout: 0, l2: 0.005, steps: 80, learningRate: 0.1 };
 * const fitted = fitTabularLogit(trainRows, trainY, { categorical: ['purpose'], numeric: ['age_years'] }, spec);
 * const p = predictLogitProbability(fitted.model, fitted.encoder.transform(testRows));   // Float32Array, P(y = 1)
 * fitted.model.dispose();
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { Dense, matrixShape } from '../data/dense';
import { fitTabularEncoder, TabularEncoder, TabularEncoderSpec, TabularRow } from '../data/tabular-encoder';
import { fullBatchAdam } from './full-batch';

/** The settings of one logit model. */
export interface LogitModelSpec {
  /** Shown in tables and progress lines. */
  name: string;
  /** Hidden ReLU units; 0 = logistic regression. */
  hidden: number;
  /** Dropout rate after the hidden layer (0 = none; ignored when hidden = 0). */
  dropout: number;
  /** λ of the penalty λ·Σ kernel². */
  l2: number;
  /** Full-batch Adam steps. */
  steps: number;
  learningRate: number;
}

/** A model with `inputs` inputs that outputs the logit [n, 1]. */
export function buildLogitModel(inputs: number, spec: LogitModelSpec): tf.Sequential {
  if (!Number.isInteger(inputs) || inputs < 1) throw new Error(`buildLogitModel: inputs = ${inputs}; use an integer ≥ 1`);
  if (!Number.isInteger(spec.hidden) || spec.hidden < 0) throw new Error(`buildLogitModel: spec.hidden = ${spec.hidden}; use 0 (logistic regression) or a positive integer`);
  const model = tf.sequential();
  if (spec.hidden > 0) {
    model.add(tf.layers.dense({ units: spec.hidden, activation: 'relu', inputShape: [inputs] }));
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
    model.add(tf.layers.dense({ units: 1 }));
  } else {
    model.add(tf.layers.dense({ units: 1, inputShape: [inputs] }));
  }
  return model;
}

/**
 * Train `model` on x [n, d] and labels y [n, 1] (0/1) by `spec.steps` full-batch Adam steps on mean
 * cross-entropy + λ·Σ kernel². Returns the final loss.
 */
function trainLogitModel(model: tf.LayersModel, x: tf.Tensor2D, y: tf.Tensor2D, spec: LogitModelSpec): number {
  const kernels = model.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.trainableWeights[0]!);
  return fullBatchAdam(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor;
    const penalty = tf.addN(kernels.map((k) => tf.sum(tf.square(k.read())))).mul(spec.l2);
    return tf.losses.sigmoidCrossEntropy(y, logits).add(penalty) as tf.Scalar;
  }, { steps: spec.steps, learningRate: spec.learningRate });
}

/** P(y = 1) = σ(logit) for each row of an encoded `[rows, cols]` matrix. */
export function predictLogitProbability(model: tf.LayersModel, m: Dense<Float32Array | Float64Array>): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor2d(m.data instanceof Float32Array ? m.data : Float32Array.from(m.data), matrixShape(m));
    return tf.sigmoid(model.apply(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

/** A logit model and the encoder it was trained with. */
export interface FittedTabularLogit {
  model: tf.Sequential;
  encoder: TabularEncoder;
  /** Final training loss. */
  loss: number;
}

/** Fit the encoder and then the model on the training rows only (no leakage). The caller disposes `model`. */
export function fitTabularLogit(rows: readonly TabularRow[], y: ArrayLike<number>, features: TabularEncoderSpec,
  spec: LogitModelSpec): FittedTabularLogit {
  if (rows.length !== y.length) throw new Error(`fitTabularLogit: ${rows.length} rows but ${y.length} labels`);
  const encoder = fitTabularEncoder(rows, features);
  const m = encoder.transform(rows);
  const [n, cols] = matrixShape(m);
  const model = buildLogitModel(cols, spec);
  const x = tf.tensor2d(m.data, [n, cols]);
  const yy = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const loss = trainLogitModel(model, x, yy, spec);
  tf.dispose([x, yy]);
  return { model, encoder, loss };
}
