/**
 * A recurrent classifier for short sequences (循环神经网络分类器): a GRU (or LSTM) reads the steps in order and
 * its last hidden state goes to one sigmoid unit, P(class 1 | sequence). Notebook 11 runs it over a credit-card
 * client's six months (`fitCreditSequenceEncoder`).
 *
 *     h_t = GRU(x_t, h_{t−1}),  t = 1 … steps;   p = σ(wᵀh_steps + b)
 *
 * Compiled with Adam and binary cross-entropy, so `fitCompiledKeepingBest` trains it. Input `[b, steps, features]`,
 * output `[b, 1]`. Weights use the default initialisers (Glorot-normal kernels, orthogonal recurrent kernels) drawn
 * from `Math.random`: after `seed(n)` the model is the same on every run.
 *
 * **Parameters.** A tfjs GRU layer with `u` units over `i` inputs has three gates (update, reset, candidate), each
 * with an input kernel `i × u`, a recurrent kernel `u × u` and **one** bias `u`:
 * `gruParameterCount(i, u)` = 3·(u·(i + u) + u). TensorFlow 2's Keras GRU defaults to `reset_after=True`, which
 * gives each gate a second (recurrent) bias — 3·(u·(i + u) + 2u) — but tfjs 4 implements only the original
 * variant (Cho et al. 2014: the reset gate applied before the recurrent product) and rejects `resetAfter: true`;
 * its default gate activation is also Keras 2's `hardSigmoid`, not TF 2's `sigmoid`. An LSTM has four gates:
 * 4·(u·(i + u) + u). The dense head adds u + 1.
 *
 * ```ts
 * seed(11);
 * const model = sequenceClassifier(6, 17, { units: 16 });   // input [b, 6, 17] → output [b, 1]
 * model.countParams();                                       // gruParameterCount(17, 16) + 17 = 1,632 + 17 = 1,649
 * await fitCompiledKeepingBest(model, x, y, { epochs: 12, batchSize: 128, score: (m) => validationAuc(m) });
 * ```
 */
import * as tf from '@tensorflow/tfjs';

export interface SequenceClassifierOptions {
  /** The recurrent cell (default 'gru'). */
  cell?: 'gru' | 'lstm';
  /** Hidden units of the recurrent layer (default 16). */
  units?: number;
  /** Adam's learning rate (default 0.005). */
  learningRate?: number;
  /** L2 penalty λ·Σw² on the recurrent layer's input kernel (default 0). */
  l2?: number;
}

function checkCount(fn: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: ${what} must be a positive integer, got ${n}`);
}

/** Parameters of a tfjs GRU layer (reset_after = false): 3·(units·(inputs + units) + units). */
export function gruParameterCount(inputs: number, units: number): number {
  checkCount('gruParameterCount', 'inputs', inputs);
  checkCount('gruParameterCount', 'units', units);
  return 3 * (units * (inputs + units) + units);
}

/** Parameters of an LSTM layer: 4·(units·(inputs + units) + units). */
export function lstmParameterCount(inputs: number, units: number): number {
  checkCount('lstmParameterCount', 'inputs', inputs);
  checkCount('lstmParameterCount', 'units', units);
  return 4 * (units * (inputs + units) + units);
}

/**
 * A GRU (or LSTM) over `steps` steps of `features` values, then one sigmoid unit; compiled with Adam and binary
 * cross-entropy. Input `[b, steps, features]`, output `[b, 1]`.
 */
export function sequenceClassifier(steps: number, features: number, options: SequenceClassifierOptions = {}): tf.Sequential {
  checkCount('sequenceClassifier', 'steps', steps);
  checkCount('sequenceClassifier', 'features', features);
  const { cell = 'gru', units = 16, learningRate = 0.005, l2 = 0 } = options;
  checkCount('sequenceClassifier', 'units', units);
  const recurrent = { units, inputShape: [steps, features], ...(l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2 }) } : {}) };
  const model = tf.sequential({ layers: [
    cell === 'lstm' ? tf.layers.lstm(recurrent) : tf.layers.gru(recurrent),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy' });
  return model;
}
