import * as tf from '@tensorflow/tfjs';
import { seed } from '../../src/training/random';
import { articleCnn, improvedCnn } from '../../src/models/mnist-cnn';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});
afterEach(() => seed(null));

/** Every weight of a model as plain numbers, in layer order. */
const weightsOf = (m: tf.LayersModel): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

test("articleCnn is the article's conv 3×3×32 → pool → dense 10 with 54,410 parameters", () => {
  const m = articleCnn();
  expect(m.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
  expect(m.countParams()).toBe(3 * 3 * 32 + 32 + 13 * 13 * 32 * 10 + 10);
  expect(m.countParams()).toBe(54410);
  expect(m.outputs[0]!.shape).toEqual([null, 10]);
  const p = tf.tidy(() => (m.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).sum(1).dataSync());
  expect(Array.from(p).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true); // softmax rows
  m.dispose();
});

test('articleCnn draws the same weights, in the same order, as the inline definition the notebooks used', () => {
  seed(42);
  const ours = articleCnn();
  seed(42);
  // notebook 09's inline version (04 and kernel-setup/bench.ts used model.add with the same layers)
  const inline = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  expect(weightsOf(ours)).toEqual(weightsOf(inline));
  seed(43);
  const other = articleCnn();
  expect(weightsOf(other)[0]).not.toEqual(weightsOf(ours)[0]);
  [ours, inline, other].forEach((m) => m.dispose());
});

test('improvedCnn: two conv blocks, dropout, dense 128; 225,034 parameters; same weights as notebook 04 inline', () => {
  seed(42);
  const ours = improvedCnn();
  expect(ours.layers.map((l) => l.getClassName())).toEqual(
    ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense', 'Dropout', 'Dense']);
  expect(ours.countParams()).toBe(320 + (9 * 32 * 64 + 64) + (1600 * 128 + 128) + (128 * 10 + 10));
  expect(ours.countParams()).toBe(225034);
  seed(42);
  const inline = tf.sequential();
  inline.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  inline.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  inline.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  inline.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  inline.add(tf.layers.flatten());
  inline.add(tf.layers.dropout({ rate: 0.25 }));
  inline.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  inline.add(tf.layers.dropout({ rate: 0.25 }));
  inline.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  expect(weightsOf(ours)).toEqual(weightsOf(inline));
  ours.dispose();
  inline.dispose();
});
