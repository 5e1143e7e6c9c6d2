import * as tf from '@tensorflow/tfjs';
import { gruParameterCount, lstmParameterCount, sequenceClassifier } from '../../src/models/sequence-model';
import { seed } from '../../src/training/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('the GRU classifier maps [b, 6, f] to one probability per sequence', () => {
  seed(11);
  const model = sequenceClassifier(6, 19, { units: 16 });
  const x = tf.randomNormal([5, 6, 19], 0, 1, 'float32', 3);
  const p = model.predict(x) as tf.Tensor;
  expect(p.shape).toEqual([5, 1]);
  for (const v of p.dataSync()) expect(v > 0 && v < 1).toBe(true);
  expect(model.layers.map((l) => l.getClassName())).toEqual(['GRU', 'Dense']);
  expect((model.loss as unknown as string)).toBe('binaryCrossentropy');
  tf.dispose([x, p]);
  model.dispose();
});

test('parameter count: tfjs GRU has one bias per gate, 3·(u·(i + u) + u) — not TF 2 Keras\' reset_after 3·(u·(i + u) + 2u)', () => {
  expect(gruParameterCount(19, 16)).toBe(3 * (16 * 35 + 16));
  expect(gruParameterCount(19, 16)).toBe(1728);
  for (const [inputs, units] of [[19, 16], [4, 8], [1, 1]] as const) {
    const model = sequenceClassifier(6, inputs, { units });
    const gru = model.layers[0]!;
    expect(gru.countParams()).toBe(gruParameterCount(inputs, units));
    expect(gru.countParams()).not.toBe(3 * (units * (inputs + units) + 2 * units));
    expect(gru.getWeights().map((w) => w.shape)).toEqual([[inputs, 3 * units], [units, 3 * units], [3 * units]]);
    expect(model.countParams()).toBe(gruParameterCount(inputs, units) + units + 1);
    model.dispose();
  }
  // tfjs rejects the TF 2 variant outright.
  expect(() => tf.layers.gru({ units: 4, inputShape: [6, 3], resetAfter: true } as Parameters<typeof tf.layers.gru>[0])).toThrow(/reset_after/);
  const lstm = sequenceClassifier(6, 19, { cell: 'lstm', units: 16 });
  expect(lstm.layers[0]!.countParams()).toBe(lstmParameterCount(19, 16));
  expect(lstmParameterCount(19, 16)).toBe(4 * (16 * 35 + 16));
  lstm.dispose();
});

test('the same seed draws the same weights; training lowers the loss on a sequence task only order reveals', async () => {
  seed(5);
  const a = sequenceClassifier(4, 1, { units: 4 });
  seed(5);
  const b = sequenceClassifier(4, 1, { units: 4 });
  a.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(b.getWeights()[i]!.dataSync())));
  b.dispose();
  // Label 1 when the last step exceeds the first: the same values in another order give another label.
  const n = 256;
  const xs = new Float32Array(n * 4);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < 4; t++) xs[i * 4 + t] = Math.sin(7 * i + 3 * t);
    ys[i] = xs[i * 4 + 3]! > xs[i * 4]! ? 1 : 0;
  }
  const x = tf.tensor3d(xs, [n, 4, 1]);
  const y = tf.tensor2d(ys, [n, 1]);
  const h = await a.fit(x, y, { epochs: 30, batchSize: 32, verbose: 0 });
  const losses = h.history.loss as number[];
  expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
  tf.dispose([x, y]);
  a.dispose();
});

test('bad sizes are named', () => {
  expect(() => sequenceClassifier(0, 3)).toThrow('sequenceClassifier: steps must be a positive integer, got 0');
  expect(() => sequenceClassifier(6, 3, { units: 2.5 })).toThrow('sequenceClassifier: units must be a positive integer, got 2.5');
  expect(() => gruParameterCount(3, 0)).toThrow('gruParameterCount: units must be a positive integer, got 0');
});
