import * as tf from '@tensorflow/tfjs';
import {
  clipByGlobalNorm, denseStack, dpGradients, dpSgdEpsilon, globalNorm, perExampleGradients, sampledGaussianRdp, trainDpSgd,
} from '../../src/privacy/dp-sgd';
import { seed } from '../../src/training/random';

beforeAll(async () => { await tf.setBackend('cpu'); });
afterAll(() => seed(null));

function mlp(lastUnits = 3, last: 'softmax' | 'sigmoid' = 'softmax'): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [2, 3] }),
    tf.layers.dense({ units: 5, activation: 'tanh' }),
    tf.layers.dense({ units: 4, activation: 'relu' }),
    tf.layers.dense({ units: lastUnits, activation: last }),
  ] });
}

function batch(n: number, k = 3) {
  const x = tf.randomNormal([n, 2, 3], 0, 2, 'float32', 5);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7) % k), 'int32'), k);
  return { x, y };
}

const flat = (ts: tf.Tensor[]) => ts.flatMap((t) => Array.from(t.dataSync()));
const close = (a: number[], b: number[], tol: number) => {
  expect(a.length).toBe(b.length);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  expect(worst).toBeLessThan(tol);
};

test('zero noise and no clipping equal the plain SGD batch-mean gradient (both methods)', () => {
  seed(1);
  const model = mlp();
  const { x, y } = batch(12);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => tf.mean(tf.metrics.categoricalCrossentropy(y, model.apply(x) as tf.Tensor)) as tf.Scalar, vars);
  const plain = flat(vars.map((v) => grads[v.name]!));
  const dense = dpGradients(model, x, y, { l2NormClip: Infinity, noiseMultiplier: 0 }, 'dense');
  const loop = dpGradients(model, x, y, { l2NormClip: Infinity, noiseMultiplier: 0 }, 'per-example');
  expect(dense.method).toBe('dense');
  expect(loop.method).toBe('per-example');
  close(flat(dense.grads), plain, 1e-5);
  close(flat(loop.grads), plain, 1e-5);
  expect(dense.clippedFraction).toBe(0);
  expect(dense.loss).toBeCloseTo(loop.loss, 4);
});

test('per-example norms: the dense shortcut equals one backward pass per example', () => {
  seed(2);
  const model = mlp();
  const { x, y } = batch(9);
  const per = perExampleGradients(model, x, y);
  const norms = per.map((g) => globalNorm(g));
  const d = dpGradients(model, x, y, { l2NormClip: Infinity, noiseMultiplier: 0 });
  close(Array.from(d.norms), norms, 1e-4);
  per.forEach((g) => tf.dispose(g));
});

test('clipping bounds each per-example gradient norm by C, and the clipped mean matches the loop', () => {
  seed(3);
  const model = mlp();
  const { x, y } = batch(10);
  const per = perExampleGradients(model, x, y);
  const norms = per.map((g) => globalNorm(g));
  const sorted = [...norms].sort((a, b) => a - b);
  const C = (sorted[4]! + sorted[5]!) / 2; // half of the examples get clipped
  for (const g of per) {
    const c = clipByGlobalNorm(g, C);
    expect(globalNorm(c.clipped)).toBeLessThanOrEqual(C * (1 + 1e-5));
    if (c.norm <= C) expect(c.factor).toBe(1);
    else expect(globalNorm(c.clipped)).toBeCloseTo(C, 4);
    tf.dispose(c.clipped);
  }
  const d = dpGradients(model, x, y, { l2NormClip: C, noiseMultiplier: 0 }, 'dense');
  const l = dpGradients(model, x, y, { l2NormClip: C, noiseMultiplier: 0 }, 'per-example');
  close(flat(d.grads), flat(l.grads), 1e-5);
  expect(d.clippedFraction).toBeCloseTo(0.5, 6);
  // The clipped mean has norm ≤ C (an average of vectors of norm ≤ C).
  expect(globalNorm(d.grads)).toBeLessThanOrEqual(C * (1 + 1e-5));
  per.forEach((g) => tf.dispose(g));
});

test('noise has standard deviation σC/B per coordinate and is reproducible by seed', () => {
  seed(4);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 200, activation: 'softmax', inputShape: [50] })] });
  const x = tf.zeros([8, 50]);
  const y = tf.oneHot(tf.zeros([8], 'int32'), 200);
  const clean = flat(dpGradients(model, x, y, { l2NormClip: 0.5, noiseMultiplier: 0 }).grads);
  const noisy = dpGradients(model, x, y, { l2NormClip: 0.5, noiseMultiplier: 2, seed: 11 });
  const diff = flat(noisy.grads).map((v, i) => v - clean[i]!);
  const sd = Math.sqrt(diff.reduce((a, v) => a + v * v, 0) / diff.length);
  expect(sd).toBeGreaterThan(0.95 * (2 * 0.5) / 8);
  expect(sd).toBeLessThan(1.05 * (2 * 0.5) / 8);
  expect(flat(dpGradients(model, x, y, { l2NormClip: 0.5, noiseMultiplier: 2, seed: 11 }).grads)).toEqual(flat(noisy.grads));
  expect(() => dpGradients(model, x, y, { l2NormClip: Infinity, noiseMultiplier: 1 })).toThrow(/finite clipping bound/);
});

test('sigmoid output (binary), non-dense models fall back to the loop', () => {
  seed(5);
  const model = mlp(1, 'sigmoid');
  const x = tf.randomNormal([6, 2, 3], 0, 1, 'float32', 3);
  const y = tf.tensor1d([0, 1, 1, 0, 1, 0]);
  const d = dpGradients(model, x, y, { l2NormClip: 0.3, noiseMultiplier: 0 }, 'dense');
  const l = dpGradients(model, x, y, { l2NormClip: 0.3, noiseMultiplier: 0 }, 'per-example');
  close(flat(d.grads), flat(l.grads), 1e-5);
  const cnn = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  expect(denseStack(cnn)).toBeNull();
  const g = dpGradients(cnn, tf.randomNormal([3, 4, 4, 1]), tf.oneHot(tf.tensor1d([0, 1, 0], 'int32'), 2), { l2NormClip: 1, noiseMultiplier: 0 });
  expect(g.method).toBe('per-example');
  expect(g.grads.map((t) => t.shape)).toEqual(cnn.trainableWeights.map((w) => w.shape));
});

test('trainDpSgd learns with moderate noise', async () => {
  seed(6);
  const n = 256;
  const xs = Array.from({ length: n }, (_, i) => [i % 2 ? 1.5 : -1.5, 0].map((v) => v + (Math.random() - 0.5)));
  const x = tf.tensor2d(xs);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 2), 'int32'), 2);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
  const acc = () => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, -1), tf.argMax(y, -1)), 'float32')).dataSync()[0]!);
  const r = await trainDpSgd(model, x, y, { epochs: 3, batchSize: 32, learningRate: 0.5, l2NormClip: 1, noiseMultiplier: 1, onEpochEnd: acc });
  expect(r.steps).toBe(24);
  expect(r.scores).toHaveLength(3);
  expect(r.scores[2]).toBeGreaterThan(0.95);
  expect(r.method).toBe('dense');
});

test('privacy accounting: Gaussian mechanism at q = 1, monotone in σ, steps and q', () => {
  expect(sampledGaussianRdp(1, 2, 8)).toBeCloseTo(8 / (2 * 4), 12);
  // q = 1, one step: ε = min_α α/(2σ²) + log(1/δ)/(α − 1)
  const direct = Math.min(...Array.from({ length: 255 }, (_, i) => i + 2).map((a) => a / (2 * 25) + Math.log(1e5) / (a - 1)));
  expect(dpSgdEpsilon({ sampleRate: 1, noiseMultiplier: 5, steps: 1, delta: 1e-5 }).epsilon).toBeCloseTo(direct, 10);
  // Small q: RDP ≈ q² α / σ² at small orders (amplification by sampling), far below the q = 1 value.
  expect(sampledGaussianRdp(0.01, 1, 2)).toBeLessThan(0.001);
  expect(sampledGaussianRdp(0.01, 1, 2)).toBeGreaterThan(0.5 * 0.01 ** 2 * 2);
  const e = (s: number, steps: number, q = 256 / 60000) => dpSgdEpsilon({ sampleRate: q, noiseMultiplier: s, steps, delta: 1e-5 }).epsilon;
  expect(e(0.5, 1000)).toBeGreaterThan(e(1, 1000));
  expect(e(1, 1000)).toBeGreaterThan(e(2, 1000));
  expect(e(1, 2000)).toBeGreaterThan(e(1, 1000));
  expect(e(1, 1000, 0.01)).toBeGreaterThan(e(1, 1000, 0.005));
  expect(e(0, 10)).toBe(Infinity);
  // TensorFlow Privacy's MNIST tutorial table (batch 256 of 60,000, δ = 1e-5):
  // σ = 1.1 for 60 epochs → ε = 3.01; σ = 1.3 for 15 epochs → ε = 1.19.
  const steps = (epochs: number) => Math.round((epochs * 60000) / 256);
  expect(e(1.1, steps(60))).toBeCloseTo(3.01, 2);
  expect(e(1.3, steps(15))).toBeCloseTo(1.19, 2);
});
