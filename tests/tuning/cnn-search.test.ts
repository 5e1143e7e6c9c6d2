import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends/backend';
import { seed } from '../../src/training/random';
import { improvedCnn } from '../../src/models/mnist-cnn';
import { inSpace } from '../../src/tuning/space';
import { CNN_SEARCH_SPACE, cnnEvaluator, CnnConfig, HAND_CNN_CONFIG, trainCnnForBudget, tunableCnn } from '../../src/tuning/cnn-search';
import { successiveHalving } from '../../src/tuning/search';

// Training a CNN on tfjs's plain-JS 'cpu' backend takes seconds per step: use the course's backend (native, else wasm).
beforeAll(async () => {
  await selectBackend();
}, 120000);
afterEach(() => seed(null));

const weightsOf = (m: tf.LayersModel): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

test("the hand recipe is notebook 04's improved CNN, layer for layer and weight for weight, and lies in the search space", () => {
  expect(inSpace(CNN_SEARCH_SPACE, HAND_CNN_CONFIG)).toBe(true);
  seed(42);
  const ours = tunableCnn(HAND_CNN_CONFIG);
  seed(42);
  const improved = improvedCnn();
  expect(ours.countParams()).toBe(225034);
  expect(weightsOf(ours)).toEqual(weightsOf(improved));
  // The parameter formula of the doc comment, for f = 8 filters and d = 32 hidden units.
  const small = tunableCnn({ ...HAND_CNN_CONFIG, filters: 8, dense: 32 });
  const f = 8;
  const d = 32;
  expect(small.countParams()).toBe(10 * f + (18 * f * f + 2 * f) + (25 * 2 * f * d + d) + (10 * d + 10));
  [ours, improved, small].forEach((m) => m.dispose());
});

/** Two easy classes of 28×28 images: bright top half (class 0) or bright bottom half (class 1). */
function toyDigits(n: number): [tf.Tensor4D, tf.Tensor2D] {
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const x = tf.tidy(() => {
    const rows = tf.range(0, 28).reshape([1, 28, 1, 1]);
    const top = tf.cast(tf.less(rows, 14), 'float32');
    const pick = tf.tensor1d(labels, 'float32').reshape([n, 1, 1, 1]);
    return tf.add(tf.mul(tf.sub(1, pick), top), tf.mul(pick, tf.sub(1, top))).tile([1, 1, 28, 1]) as tf.Tensor4D;
  });
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10) as tf.Tensor2D;
  return [x, y];
}

test('trainCnnForBudget sees exactly the budget in ⌈budget / batch⌉ steps, repeatably after seed, and bad budgets are errors', async () => {
  const [x, y] = toyDigits(40);
  const config: CnnConfig = { learningRate: 0.01, batchSize: 32, filters: 4, dense: 8, dropout: 0 };
  const before = tf.memory().numTensors;
  seed(1);
  const a = await trainCnnForBudget(config, x, y, 100);
  expect([a.examples, a.steps]).toEqual([100, 4]);
  seed(1);
  const b = await trainCnnForBudget(config, x, y, 100);
  expect(weightsOf(b.model)).toEqual(weightsOf(a.model));
  a.model.dispose();
  b.model.dispose();
  expect(tf.memory().numTensors).toBe(before);                 // no training data, batch or optimizer state is left
  await expect(trainCnnForBudget(config, x, y, 0)).rejects.toThrow(/positive whole number of examples, got 0/);
  await expect(trainCnnForBudget(config, x, y, 10.5)).rejects.toThrow(/positive whole number/);
  await expect(trainCnnForBudget({ ...config, dropout: 1 }, x, y, 10)).rejects.toThrow(/dropout must be in \[0, 1\)/);
  await expect(trainCnnForBudget(config, x, tf.zeros([3, 10]), 10)).rejects.toThrow(/40 images but 3 labels/);
  tf.dispose([x, y]);
});

test('cnnEvaluator scores on validation, keeps the best model only, and refuses configurations outside the space', async () => {
  const [x, y] = toyDigits(64);
  const space = { ...CNN_SEARCH_SPACE, filters: { kind: 'choice' as const, values: [4] }, dense: { kind: 'choice' as const, values: [8] } };
  const ev = cnnEvaluator({ train: [x, y], validation: [x, y], seedBase: 5, space });
  const configs: CnnConfig[] = [0.03, 0.0001, 0.01].map((learningRate) => ({ learningRate, batchSize: 32, filters: 4, dense: 8, dropout: 0 }));
  const result = await successiveHalving(configs, { eta: 3, minBudget: 320 }, ev.evaluate);
  expect(ev.records.map((r) => r.budget)).toEqual([320, 320, 320, 960]);
  expect(result.trials.map((t) => t.score)).toEqual(ev.records.map((r) => r.validationAccuracy));
  expect(result.best.score).toBeGreaterThan(0.9);                   // two easy classes
  const kept = ev.bestModel()!;
  const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(kept.predict(x) as tf.Tensor, -1), tf.argMax(y, -1)), 'float32')).dataSync()[0]);
  expect(acc).toBeCloseTo(result.best.score, 6);
  await expect(ev.evaluate({ ...configs[0]!, filters: 16 }, 10, { trial: 9, rung: 0, configIndex: 0 })).rejects.toThrow(/outside the search space/);
  ev.dispose();
  expect(ev.bestModel()).toBeNull();
  tf.dispose([x, y]);
});
