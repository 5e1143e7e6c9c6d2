import * as tf from '@tensorflow/tfjs';
import { seed } from '../../src/training/random';
import { creditLogistic, creditMlp } from '../../src/models/credit-mlp';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});
afterEach(() => seed(null));

const weightsOf = (m: tf.LayersModel): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

test('creditMlp: 61 → 16 ReLU → dropout → 1 sigmoid, 1,009 parameters, compiled with Adam 0.005 and binary cross-entropy', () => {
  const m = creditMlp(61);
  expect(m.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense']);
  expect(m.countParams()).toBe(61 * 16 + 16 + 16 + 1);
  expect(m.countParams()).toBe(1009);
  expect(m.loss).toBe('binaryCrossentropy');
  expect((m.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.005);
  expect(m.layers[0]!.getConfig().kernelRegularizer).toMatchObject({ config: { l2: 1e-3 } });
  expect(m.layers[1]!.getConfig().rate).toBe(0.3);
  m.dispose();
});

test('creditMlp draws the same weights as the inline definitions of notebooks 01, 08 and 09, and trains identically', async () => {
  seed(11);
  const ours = creditMlp(7);
  seed(11);
  const inline = tf.sequential({ layers: [
    tf.layers.dense({ units: 16, activation: 'relu', inputShape: [7], kernelRegularizer: tf.regularizers.l2({ l2: 1e-3 }) }),
    tf.layers.dropout({ rate: 0.3 }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  inline.compile({ optimizer: tf.train.adam(0.005), loss: 'binaryCrossentropy' });
  expect(weightsOf(ours)).toEqual(weightsOf(inline));
  const x = tf.tensor2d(Array.from({ length: 70 }, (_, i) => Math.sin(i)), [10, 7]);
  const y = tf.tensor2d([0, 1, 0, 1, 1, 0, 0, 1, 0, 1], [10, 1]);
  seed(5);
  const h1 = await ours.fit(x, y, { epochs: 2, batchSize: 4, shuffle: true, verbose: 0 });
  seed(5);
  const h2 = await inline.fit(x, y, { epochs: 2, batchSize: 4, shuffle: true, verbose: 0 });
  expect(h1.history.loss).toEqual(h2.history.loss);
  expect(weightsOf(ours)).toEqual(weightsOf(inline));
  tf.dispose([x, y]);
  ours.dispose();
  inline.dispose();
});

test('creditLogistic is one sigmoid unit per feature plus a bias; bad input counts are refused with the fix', () => {
  const m = creditLogistic(61);
  expect(m.countParams()).toBe(62);
  expect((m.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.01);
  m.dispose();
  expect(() => creditMlp(0)).toThrow(/inputs must be the number of encoded features.*got 0/);
  expect(() => creditLogistic(2.5)).toThrow(/creditLogistic: inputs/);
});
