/**
 * The course's credit-risk networks (信用风险模型) for one-hot encoded applicants, built once and
 * used by notebooks 01, 06, 08 and 09.
 *
 * - `creditMlp(inputs)` — one hidden layer: Dense(16, ReLU, L2 1e-3) → Dropout(0.3) → Dense(1,
 *   sigmoid); compiled with Adam (learning rate 0.005) and binary cross-entropy. With German Credit's
 *   61 encoded features it has 61·16 + 16 + 16 + 1 = 1,009 parameters.
 * - `creditLogistic(inputs)` — logistic regression p(bad | x) = σ(wᵀx + b) as one Dense(1, sigmoid)
 *   layer with L2 1e-3; compiled with Adam (learning rate 0.01) and binary cross-entropy.
 *
 * Both output `[b, 1]`: the probability of the positive class ("bad"). Weights use the default
 * initialisers drawn from `Math.random`: after `seed(11)` a model is the same on every run.
 *
 * ```ts
 * seed(11);
 * const model = creditMlp(encoder.featureNames.length);   // input [b, 61] → output [b, 1]
 * model.countParams();                                     // 1009
 * await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: true, verbose: 0 });
 * ```
 */
import * as tf from '@tensorflow/tfjs';

export interface CreditMlpOptions {
  /** Hidden units (default 16). */
  hidden?: number;
  /** Dropout rate after the hidden layer (default 0.3). */
  dropout?: number;
  /** L2 penalty on the hidden layer's kernel, Keras convention λ·Σw² (default 1e-3). */
  l2?: number;
  /** Adam's learning rate (default 0.005). */
  learningRate?: number;
}

function checkInputs(fn: string, inputs: number): void {
  if (!Number.isInteger(inputs) || inputs < 1) {
    throw new Error(`${fn}: inputs must be the number of encoded features (a positive integer, e.g. encoder.featureNames.length), got ${inputs}`);
  }
}

/**
 * The credit MLP: `inputs` features → 16 ReLU (L2 1e-3) → dropout 0.3 → 1 sigmoid, compiled with
 * Adam (0.005) and binary cross-entropy. Input `[b, inputs]`, output `[b, 1]`.
 */
export function creditMlp(inputs: number, options: CreditMlpOptions = {}): tf.Sequential {
  checkInputs('creditMlp', inputs);
  const { hidden = 16, dropout = 0.3, l2 = 1e-3, learningRate = 0.005 } = options;
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: hidden, activation: 'relu', inputShape: [inputs], kernelRegularizer: tf.regularizers.l2({ l2 }) }),
    tf.layers.dropout({ rate: dropout }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy' });
  return model;
}

/**
 * Logistic regression as a network: `inputs` features → 1 sigmoid (L2 1e-3 on the weights),
 * compiled with Adam (0.01) and binary cross-entropy. Input `[b, inputs]`, output `[b, 1]`.
 */
export function creditLogistic(inputs: number, options: { l2?: number; learningRate?: number } = {}): tf.Sequential {
  checkInputs('creditLogistic', inputs);
  const { l2 = 1e-3, learningRate = 0.01 } = options;
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [inputs], kernelRegularizer: tf.regularizers.l2({ l2 }) }),
  ] });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy' });
  return model;
}
