/**
 * The course's two MNIST networks (卷积神经网络), built once and used by notebooks 04, 08 and 09
 * and by `npm run bench`.
 *
 * - `articleCnn()` — the source article's model: Conv2D(32, 3×3, ReLU) → MaxPool(2×2) → Flatten →
 *   Dense(10, softmax). 28×28×1 → 26×26×32 → 13×13×32 → 5,408 → 10; 54,410 parameters.
 * - `improvedCnn()` — notebook 04's improvement: two conv blocks, dropout and a 128-unit hidden layer.
 *   28×28×1 → 26×26×32 → 13×13×32 → 11×11×64 → 5×5×64 → 1,600 → 128 → 10; 225,034 parameters.
 *
 * Both return an **uncompiled** `tf.Sequential` (the caller chooses the optimizer: `model.compile`
 * or `fitModel`'s `optimizer`). Weights use the layers' default initialisers (Glorot-uniform
 * kernels, zero biases) drawn from `Math.random`, so after `seed(42)` a model is the same on every
 * run — the same layers in the same order as the notebooks wrote them inline before.
 *
 * ```ts
 * seed(42);
 * const model = articleCnn();          // input [b, 28, 28, 1] → output [b, 10] probabilities
 * model.countParams();                 // 54410
 * await fitModel(model, x, yOneHot, { epochs: 1, optimizer: tf.train.adam(0.001) });
 * ```
 */
import * as tf from '@tensorflow/tfjs';

/** The input shape of an MNIST digit: 28 × 28 pixels, one channel. */
const MNIST_INPUT_SHAPE: readonly [number, number, number] = [28, 28, 1];

/**
 * The article's CNN: conv 3×3×32 (ReLU) → max-pool 2×2 → flatten → dense 10 (softmax).
 * Input `[b, 28, 28, 1]`, output `[b, 10]`; 54,410 parameters; uncompiled.
 */
export function articleCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [...MNIST_INPUT_SHAPE], filters: 32, kernelSize: 3, activation: 'relu' })); // 26×26×32
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));                                                                // 13×13×32
  model.add(tf.layers.flatten());                                                                                    // 5408
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/**
 * Notebook 04's improved CNN: two conv blocks (32 and 64 filters, 3×3, ReLU, each followed by a
 * 2×2 max-pool), flatten, dropout 0.25, dense 128 (ReLU), dropout 0.25, dense 10 (softmax).
 * Input `[b, 28, 28, 1]`, output `[b, 10]`; 225,034 parameters; uncompiled.
 */
export function improvedCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [...MNIST_INPUT_SHAPE], filters: 32, kernelSize: 3, activation: 'relu' })); // 26×26×32
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));                                                                // 13×13×32
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));                                   // 11×11×64
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));                                                                // 5×5×64
  model.add(tf.layers.flatten());                                                                                    // 1600
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}
