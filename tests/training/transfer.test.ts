import * as tf from '@tensorflow/tfjs';
import { seed } from '../../src/training/random';
import {
  copyBaseWeights, fineTune, pairedSeedInterval, samplePerClass, setBaseTrainable, TRANSFER_BASE_LAYERS, transferCnn, transferModel,
} from '../../src/training/transfer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
});
afterEach(() => seed(null));

/** Max |a − b| over all entries. */
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}
const baseWeights = (m: tf.LayersModel): tf.Tensor[] => m.layers.slice(0, TRANSFER_BASE_LAYERS).flatMap((l) => l.getWeights());

test('transferCnn: 28×28×1 → [b, classes], 4,800 parameters in the base and 801 per class in the head', () => {
  const m = transferCnn(6);
  expect(m.outputs[0]!.shape).toEqual([null, 6]);
  expect(m.layers).toHaveLength(TRANSFER_BASE_LAYERS + 1);
  expect(m.layers.slice(0, TRANSFER_BASE_LAYERS).reduce((s, l) => s + l.countParams(), 0)).toBe(4800);
  expect(m.countParams()).toBe(4800 + 801 * 6);
  expect(() => transferCnn(1)).toThrow(/classes must be an integer ≥ 2, got 1/);
  m.dispose();
});

test('transferModel copies the base\'s weights exactly, gets a new head of the right shape and leaves the base untouched', () => {
  seed(3);
  const base = transferCnn(5);
  const before = baseWeights(base).map((w) => w.clone());
  const model = transferModel(base, 6);
  expect(model.outputs[0]!.shape).toEqual([null, 6]);
  expect(model.inputs[0]!.shape).toEqual([null, 28, 28, 1]);
  const copied = baseWeights(model);
  expect(copied).toHaveLength(4);
  copied.forEach((w, k) => expect(maxDiff(w, before[k]!)).toBe(0));
  // Copies, not shared variables: training the new model does not move the base.
  expect(model.layers[0]!.getWeights()[0]).not.toBe(base.layers[0]!.getWeights()[0]);
  const head = model.layers[TRANSFER_BASE_LAYERS]!.getWeights();
  expect(head[0]!.shape).toEqual([800, 6]);
  expect(head[1]!.shape).toEqual([6]);
  const y = model.predict(tf.ones([2, 28, 28, 1])) as tf.Tensor;
  expect(y.shape).toEqual([2, 6]);
  y.sum(1).dataSync().forEach((s) => expect(s).toBeCloseTo(1, 5));
  tf.dispose([...before, y]);
  model.dispose();
  base.dispose();
});

test('fineTune with a frozen base changes the head but not one base weight; unfrozen, the base moves too', async () => {
  seed(4);
  const base = transferCnn(5);
  const x = tf.randomUniform([12, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3) as tf.Tensor2D;
  const probe = transferModel(base, 3, { freeze: true });
  expect(probe.trainableWeights.reduce((s, w) => s + w.read().size, 0)).toBe(800 * 3 + 3);
  // Layer by layer (model.getWeights() lists trainable weights first, so its order changes with freezing).
  const byLayer = (): tf.Tensor[] => probe.layers.flatMap((l) => l.getWeights());
  const start = byLayer().map((w) => w.clone());
  const run = await fineTune(probe, x, y, { steps: 2, batchSize: 2, learningRate: 0.01 });
  expect(run.loss).toHaveLength(2);
  const after = byLayer();
  for (let k = 0; k < 4; k++) expect(maxDiff(after[k]!, start[k]!)).toBe(0);        // the base: frozen
  expect(maxDiff(after[4]!, start[4]!)).toBeGreaterThan(1e-4);                       // the head: trained
  setBaseTrainable(probe, TRANSFER_BASE_LAYERS, true);
  await fineTune(probe, x, y, { steps: 1, batchSize: 2, learningRate: 0.01 });
  expect(maxDiff(byLayer()[0]!, start[0]!)).toBeGreaterThan(1e-5);                   // unfrozen: the first conv moves
  tf.dispose([x, y, ...start]);
  probe.dispose();
  base.dispose();
});

test('fineTune keeps the weights of the best evaluation and names bad inputs', async () => {
  seed(5);
  const model = transferCnn(2);
  const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 2);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2) as tf.Tensor2D;
  const scores = [0.2, 0.9, 0.5, 0.9];   // best at the second evaluation (step 2); the tie at step 4 keeps the earlier
  let call = 0;
  let weightsAtBest: tf.Tensor[] = [];
  const run = await fineTune(model, x, y, { steps: 4, batchSize: 2, evalEvery: 1, score: (m) => {
    const s = scores[call++]!;
    if (call === 2) weightsAtBest = m.getWeights().map((w) => w.clone());
    return s;
  } });
  expect(run.evaluations.map((e) => e.step)).toEqual([1, 2, 3, 4]);
  expect(run.step).toBe(2);
  expect(run.score).toBe(0.9);
  model.getWeights().forEach((w, k) => expect(maxDiff(w, weightsAtBest[k]!)).toBe(0));
  await expect(fineTune(model, x, tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3) as tf.Tensor2D, { steps: 1 }))
    .rejects.toThrow(/3 classes but the model's head has 2 outputs/);
  await expect(fineTune(model, x, y, { steps: 0 })).rejects.toThrow(/steps must be an integer ≥ 1, got 0/);
  setBaseTrainable(model, TRANSFER_BASE_LAYERS + 1, false);
  await expect(fineTune(model, x, y, { steps: 1 })).rejects.toThrow(/no trainable weights/);
  tf.dispose([x, y, ...weightsAtBest]);
  model.dispose();
});

test('copyBaseWeights refuses a base that does not fit, naming the layer and both shapes', () => {
  const base = transferCnn(5);
  const wide = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3 }), tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3 }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(),
    tf.layers.dense({ units: 2 }),
  ] });
  expect(() => copyBaseWeights(base, wide, TRANSFER_BASE_LAYERS)).toThrow(/layer 0 .* weight 0 has shape \[3, 3, 1, 16\] in the base but \[3, 3, 1, 8\] in the new model/);
  const rgb = transferCnn(3, [28, 28, 3]);
  expect(() => copyBaseWeights(base, rgb, TRANSFER_BASE_LAYERS)).toThrow(/\[3, 3, 1, 16\] in the base but \[3, 3, 3, 16\]/);
  expect(() => transferModel(base, 3, { baseLayers: 9 })).toThrow(/baseLayers must be an integer from 1 to the model's 6 layers, got 9/);
  // A 32×32 model has the same conv kernels, so they copy; its flatten has 1,152 features instead of 800.
  const big = transferCnn(3, [32, 32, 1]);
  expect(copyBaseWeights(base, big, TRANSFER_BASE_LAYERS)).toBe(4800);
  expect(() => copyBaseWeights(base, big, TRANSFER_BASE_LAYERS + 1)).toThrow(/layer 5 .* \[800, 5\] in the base but \[1152, 3\]/);
  [base, wide, rgb, big].forEach((m) => m.dispose());
});

test('samplePerClass: perClass of each class from the pool, seeded, nested across sizes', () => {
  const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1];
  const pool = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const two = samplePerClass(labels, pool, 2, 9);
  expect(two).toHaveLength(6);
  expect([0, 1, 2].map((c) => two.filter((i) => labels[i] === c).length)).toEqual([2, 2, 2]);
  expect(two.every((i) => pool.includes(i))).toBe(true);
  expect(samplePerClass(labels, pool, 2, 9)).toEqual(two);
  const one = samplePerClass(labels, pool, 1, 9);
  expect(one.every((i) => two.includes(i))).toBe(true);
  expect(() => samplePerClass(labels, pool, 5, 9)).toThrow(/class \d has only 4 examples in the pool, fewer than 5/);
});

test('pairedSeedInterval: mean and sd of the per-seed differences, Student-t half-width', () => {
  const d = pairedSeedInterval([0.7, 0.8, 0.9], [0.6, 0.8, 0.7]);
  expect(d.differences.map((v) => +v.toFixed(10))).toEqual([0.1, 0, 0.2]);
  expect(d.mean).toBeCloseTo(0.1, 12);
  expect(d.sd).toBeCloseTo(0.1, 12);
  expect(d.upper - d.mean).toBeCloseTo(4.303 * 0.1 / Math.sqrt(3), 12);
  expect(d.lower).toBeCloseTo(0.1 - 4.303 * 0.1 / Math.sqrt(3), 12);
  expect(() => pairedSeedInterval([1], [0])).toThrow(/at least 2 pairs/);
  expect(() => pairedSeedInterval([1, 2], [0])).toThrow(/2 values against 1/);
});
