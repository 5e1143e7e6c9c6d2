import * as tf from '@tensorflow/tfjs';
import { seed } from '../../src/training/random';
import { mnistMlp } from '../../src/models/mnist-mlp';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});
afterEach(() => seed(null));

const weightsOf = (m: tf.LayersModel): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

test('mnistMlp is flatten → dense 64 ReLU → dense 10 softmax with 50,890 parameters', () => {
  const m = mnistMlp();
  expect(m.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense', 'Dense']);
  expect(m.countParams()).toBe(784 * 64 + 64 + 64 * 10 + 10);
  expect(m.countParams()).toBe(50890);
  expect(m.outputs[0]!.shape).toEqual([null, 10]);
  const p = tf.tidy(() => (m.predict(tf.ones([3, 28, 28, 1])) as tf.Tensor).sum(1).dataSync());
  expect(Array.from(p).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
  m.dispose();
});

test('mnistMlp draws the same weights as notebook 09\'s inline definition under the same seed', () => {
  seed(5);
  const ours = mnistMlp();
  seed(5);
  const inline = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28, 1] }),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  expect(weightsOf(ours)).toEqual(weightsOf(inline));
  seed(6);
  const other = mnistMlp();
  expect(weightsOf(other)[0]).not.toEqual(weightsOf(ours)[0]);
  [ours, inline, other].forEach((m) => m.dispose());
});
