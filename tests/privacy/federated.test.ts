import * as tf from '@tensorflow/tfjs';
import { federatedAverage, labelSkewPartition, siteClassCounts, trainFederated } from '../../src/privacy/federated';
import { seed } from '../../src/training/random';

beforeAll(async () => { await tf.setBackend('cpu'); });
afterAll(() => seed(null));

const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

test('averaging identical models is the identity', () => {
  const w = [tf.tensor2d([[1.5, -2], [0.25, 3]]), tf.tensor1d([0.1, -0.7])];
  const avg = federatedAverage([w, w, w], [10, 300, 7]);
  const got = values(avg);
  const want = values(w);
  got.forEach((g, j) => g.forEach((v, i) => expect(v).toBeCloseTo(want[j]![i]!, 6)));
  tf.dispose([...w, ...avg]);
});

test('the average is weighted by site size (hand computed)', () => {
  const a = [tf.tensor1d([0, 10]), tf.scalar(1)];
  const b = [tf.tensor1d([4, 0]), tf.scalar(5)];
  const c = [tf.tensor1d([8, 2]), tf.scalar(-3)];
  // sizes 1, 2, 1 → weights 1/4, 1/2, 1/4
  const avg = values(federatedAverage([a, b, c], [1, 2, 1]));
  expect(avg[0]![0]).toBeCloseTo(0 / 4 + 4 / 2 + 8 / 4, 6); // 4
  expect(avg[0]![1]).toBeCloseTo(10 / 4 + 0 + 2 / 4, 6);    // 3
  expect(avg[1]![0]).toBeCloseTo(1 / 4 + 5 / 2 - 3 / 4, 6); // 2
  // Equal sizes: the plain mean.
  expect(values(federatedAverage([a, b], [5, 5]))[0]).toEqual([2, 5]);
  expect(() => federatedAverage([a, b], [1])).toThrow(/2 weight sets but 1 sizes/);
  expect(() => federatedAverage([a, [b[0]!]], [1, 1])).toThrow(/site 1 has 1 tensors/);
  expect(() => federatedAverage([a, b], [1, 0])).toThrow(/positive/);
});

test('label-skew partition: every example exactly once, classes mostly at home', () => {
  const labels = Array.from({ length: 3000 }, (_, i) => i % 10);
  const classesPerSite = [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]];
  const parts = labelSkewPartition(labels, { classesPerSite, mix: 0.1, seed: 4 });
  const all = parts.flat().sort((x, y) => x - y);
  expect(all).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  const counts = siteClassCounts(labels, parts, 10);
  classesPerSite.forEach((classes, s) => classes.forEach((c) => {
    expect(counts[s]![c]! / 300).toBeGreaterThan(0.85);
    expect(counts[s]![c]! / 300).toBeLessThan(0.95);
  }));
  const disjoint = siteClassCounts(labels, labelSkewPartition(labels, { classesPerSite, mix: 0 }), 10);
  expect(disjoint[0]!.slice(4).every((v) => v === 0)).toBe(true);
  expect(labelSkewPartition(labels, { classesPerSite, mix: 0.1, seed: 4 })).toEqual(parts);
  expect(() => labelSkewPartition(labels, { classesPerSite: [[0, 1], [1, 2]] })).toThrow(/class 1 is listed for sites 0 and 1/);
  expect(() => labelSkewPartition(labels, { classesPerSite: [[0, 1, 2, 3, 4, 5, 6, 7, 8]] })).toThrow(/class 9/);
});

test('FedAvg with one full-batch SGD step per site equals one step of central gradient descent', async () => {
  seed(8);
  const make = () => tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [4], kernelInitializer: 'zeros' })] });
  const x = tf.randomNormal([30, 4], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 30 }, (_, i) => i % 3), 'int32'), 3);
  const sizes = [6, 10, 14];
  let at = 0;
  const sites = sizes.map((n, k) => {
    const s = { name: `site ${k}`, x: tf.slice(x, at, n), y: tf.slice(y, at, n) };
    at += n;
    return s;
  });
  const fed = await trainFederated({
    createModel: make, sites, rounds: 1, localEpochs: 1, batchSize: 1000, createOptimizer: () => tf.train.sgd(0.5), evaluate: () => 0,
  });
  const central = make();
  const opt = tf.train.sgd(0.5);
  opt.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(y, central.apply(x) as tf.Tensor)) as tf.Scalar);
  const f = values(fed.model.getWeights());
  const c = values(central.getWeights());
  f.forEach((arr, j) => arr.forEach((v, i) => expect(v).toBeCloseTo(c[j]![i]!, 5)));
  expect(fed.rounds).toHaveLength(1);
  expect(fed.sizes).toEqual(sizes);
});

test('trainFederated learns a separable problem across sites and reports every round', async () => {
  seed(9);
  const make = () => tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
  const n = 200;
  const xs = Array.from({ length: n }, (_, i) => [i % 2 ? 1 + Math.random() : -1 - Math.random(), Math.random() - 0.5]);
  const ys = Array.from({ length: n }, (_, i) => i % 2);
  const x = tf.tensor2d(xs);
  const y = tf.oneHot(tf.tensor1d(ys, 'int32'), 2);
  const accuracy = (m: tf.LayersModel) => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(m.predict(x) as tf.Tensor, -1), tf.argMax(y, -1)), 'float32')).dataSync()[0]!);
  const sites = [0, 1].map((k) => ({ name: `s${k}`, x: tf.slice(x, k * 100, 100), y: tf.slice(y, k * 100, 100) }));
  const seen: number[] = [];
  const r = await trainFederated({ createModel: make, sites, rounds: 3, batchSize: 16, evaluate: accuracy, onRound: (round) => { seen.push(round.round); } });
  expect(seen).toEqual([1, 2, 3]);
  expect(r.rounds[2]!.score).toBeGreaterThan(0.95);
  expect(r.rounds[0]!.siteScores).toHaveLength(2);
});
