/**
 * The small MNIST multilayer perceptron (多层感知机) of notebook 09's federated learning and DP-SGD
 * sections: small enough that per-example gradients and many simulated sites stay cheap.
 *
 *   flatten 28×28×1 → 784 → dense 64 (ReLU) → dense 10 (softmax);  784·64 + 64 + 64·10 + 10 = 50,890 parameters
 *
 * Uncompiled, default initialisers drawn from `Math.random` (Glorot-uniform kernels, zero biases): after
 * `seed(n)` the same weights as the inline definition notebook 09 used.
 *
 * ```ts
 * seed(5);
 * const model = mnistMlp();     // input [b, 28, 28, 1] → output [b, 10] probabilities
 * model.countParams();          // 50890
 * await fitModel(model, x, yOneHot, { epochs: 1, optimizer: tf.train.sgd(0.1) });
 * ```
 */
import * as tf from '@tensorflow/tfjs';

/** Flatten → dense 64 (ReLU) → dense 10 (softmax); input `[b, 28, 28, 1]`, output `[b, 10]`; 50,890 parameters; uncompiled. */
export function mnistMlp(): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28, 1] }),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
}
