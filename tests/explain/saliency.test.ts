import * as tf from '@tensorflow/tfjs';
import {
  attributionsPerImage, classScore, meanMapCorrelation, gradientStepCheck, gradientTimesInput, integratedGradients, saliencyMap, saliencyPerClass, saliencyToImages,
} from '../../src/explain/saliency';

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false; // no "install tfjs-node" banner
});

/** A linear model on 2×2 one-channel images: flatten → dense(2) with set weights, optional softmax. */
function linearModel(activation: 'linear' | 'softmax'): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [2, 2, 1] }));
  m.add(tf.layers.dense({ units: 2, activation }));
  // W[pixel][class]: class 0 weights (1, −2, 0.5, 3), class 1 weights (0, 1, −1, 2)
  m.layers[1]!.setWeights([tf.tensor2d([[1, 0], [-2, 1], [0.5, -1], [3, 2]]), tf.tensor1d([0.1, -0.2])]);
  return m;
}

const x = (): tf.Tensor4D => tf.tensor4d([[[[1], [2]], [[3], [4]]], [[[0], [-1]], [[0.5], [2]]]]); // two 2×2 images

test('a linear score: the saliency map is the weight vector, for every image', () => {
  const m = linearModel('linear');
  const input = x();
  const g = saliencyMap(m, input, 0);
  expect(g.shape).toEqual([2, 2, 2, 1]);
  expect(Array.from(g.dataSync())).toEqual([1, -2, 0.5, 3, 1, -2, 0.5, 3]);
  const g1 = saliencyMap(m, input, 1);
  expect(Array.from(g1.dataSync())).toEqual([0, 1, -1, 2, 0, 1, -1, 2]);
  tf.dispose([input, g, g1]);
  m.dispose();
});

test('gradient × input of a linear score is each pixel\'s contribution w_i x_i, summing to score − bias', () => {
  const m = linearModel('linear');
  const input = x();
  const gx = gradientTimesInput(m, input, 0);
  // image 1: (1·1, −2·2, 0.5·3, 3·4) = (1, −4, 1.5, 12); image 2: (0, 2, 0.25, 6)
  expect(Array.from(gx.dataSync())).toEqual([1, -4, 1.5, 12, 0, 2, 0.25, 6]);
  const score = classScore(m, input, 0);
  // score = Σ w_i x_i + 0.1: 10.5 + 0.1 and 8.25 + 0.1
  const s = Array.from(score.dataSync());
  expect(s[0]).toBeCloseTo(10.6, 5);
  expect(s[1]).toBeCloseTo(8.35, 5);
  tf.dispose([input, gx, score]);
  m.dispose();
});

test('a softmax output: ∂p_c/∂x = p_c (w_c − Σ_k p_k w_k), and the log score gives w_c − Σ_k p_k w_k', () => {
  const m = linearModel('softmax');
  const input = tf.tensor4d([[[[1], [0]], [[0], [0]]]]); // one image, only pixel 0 lit
  // logits: z0 = 1·1 + 0.1 = 1.1, z1 = 0·1 − 0.2 = −0.2; p0 = 1 / (1 + e^{−1.3})
  const p0 = 1 / (1 + Math.exp(-1.3));
  const p1 = 1 - p0;
  const w0 = [1, -2, 0.5, 3];
  const w1 = [0, 1, -1, 2];
  const expected = w0.map((w, i) => p0 * (w - (p0 * w + p1 * w1[i]!)));
  const g = Array.from(saliencyMap(m, input, 0).dataSync());
  g.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  const gl = Array.from(saliencyMap(m, input, 0, { score: 'log' }).dataSync());
  gl.forEach((v, i) => expect(v).toBeCloseTo(expected[i]! / p0, 5));
  // two classes: the gradients of p0 and p1 are opposite (p0 + p1 = 1)
  const g1 = Array.from(saliencyMap(m, input, 1).dataSync());
  g1.forEach((v, i) => expect(v).toBeCloseTo(-g[i]!, 6));
  input.dispose();
  m.dispose();
});

test('the gradient of a conv model matches central finite differences', () => {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, activation: 'tanh', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) }));
  const base = Array.from({ length: 16 }, (_, i) => ((i * 7) % 5) / 5);
  const input = tf.tensor4d(base, [1, 4, 4, 1]);
  const g = Array.from(saliencyMap(m, input, 0).dataSync());
  const h = 1e-2;
  const p = (v: number[]): number => tf.tidy(() => classScore(m, tf.tensor4d(v, [1, 4, 4, 1]), 0).dataSync()[0]!);
  for (const i of [0, 5, 10, 15]) {
    const up = base.slice();
    const down = base.slice();
    up[i] = up[i]! + h;
    down[i] = down[i]! - h;
    expect(g[i]!).toBeCloseTo((p(up) - p(down)) / (2 * h), 3);
  }
  input.dispose();
  m.dispose();
});

test('integrated gradients: exact for a linear score, and complete (sum = f(x) − f(baseline)) for a nonlinear one', () => {
  const lin = linearModel('linear');
  const input = x();
  const ig = integratedGradients(lin, input, 0, { steps: 4 });
  // from a black image: (x − 0) ⊙ w, the same as gradient × input
  expect(Array.from(ig.dataSync())).toEqual([1, -4, 1.5, 12, 0, 2, 0.25, 6]);
  const soft = linearModel('softmax');
  const ig2 = integratedGradients(soft, input, 0, { steps: 200 });
  const sums = Array.from(tf.sum(ig2, [1, 2, 3]).dataSync());
  const fx = Array.from(classScore(soft, input, 0).dataSync());
  const f0 = classScore(soft, tf.zerosLike(input), 0).dataSync()[0]!; // p0 at the black image: 1 / (1 + e^{−0.3})
  expect(f0).toBeCloseTo(1 / (1 + Math.exp(-0.3)), 6);
  sums.forEach((s, i) => expect(s).toBeCloseTo(fx[i]! - f0, 3));
  tf.dispose([input, ig, ig2]);
  lin.dispose();
  soft.dispose();
});

test('a function model and image conversion', () => {
  // score_0 = Σ x², so the gradient is 2x
  const f = (v: tf.Tensor): tf.Tensor => tf.stack([tf.sum(tf.square(v), [1, 2, 3]), tf.zeros([v.shape[0]!])], 1);
  const input = x();
  const g = saliencyMap(f, input, 0);
  expect(Array.from(g.dataSync())).toEqual([2, 4, 6, 8, 0, -2, 1, 4]);
  const signed = saliencyToImages(g);
  expect(signed.shape).toEqual([2, 2, 2]);
  expect(Array.from(signed.data)).toEqual([2, 4, 6, 8, 0, -2, 1, 4]);
  const twoChannels = tf.tensor4d([1, -3, 2, 2], [1, 2, 1, 2]);
  expect(Array.from(saliencyToImages(twoChannels, 'signed').data)).toEqual([-2, 4]);
  expect(Array.from(saliencyToImages(twoChannels, 'abs').data)).toEqual([3, 2]);
  tf.dispose([input, g, twoChannels]);
});

test('no tensors leak, and bad input names the problem', () => {
  const m = linearModel('linear');
  const input = x();
  const before = tf.memory().numTensors;
  tf.dispose([saliencyMap(m, input, 0), gradientTimesInput(m, input, 1), integratedGradients(m, input, 0, { steps: 3 })]);
  expect(tf.memory().numTensors).toBe(before);
  expect(() => saliencyMap(m, input, 2)).toThrow(/classIndex 2 is not an output column 0..1/);
  expect(() => saliencyMap(m, tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), 0)).toThrow(/must be float32/);
  expect(() => integratedGradients(m, input, 0, { steps: 0 })).toThrow(/steps must be a positive integer/);
  input.dispose();
  m.dispose();
});

test('attributionsPerImage: each image its own class, as saliencyMap and gradientTimesInput on that image alone', () => {
  const m = linearModel('linear');
  const input = x();
  const before = tf.memory().numTensors;
  const maps = attributionsPerImage(m, input, [1, 0]);
  expect(tf.memory().numTensors).toBe(before + 2);
  expect(maps.saliency.shape).toEqual([2, 2, 2, 1]);
  // image 0 for class 1 (w_1 = 0, 1, −1, 2), image 1 for class 0 (w_0 = 1, −2, 0.5, 3)
  expect(Array.from(maps.saliency.dataSync())).toEqual([0, 1, -1, 2, 1, -2, 0.5, 3]);
  // × the pixels (1, 2, 3, 4) and (0, −1, 0.5, 2)
  expect(Array.from(maps.gradTimesInput.dataSync())).toEqual([0, 2, -3, 8, 0, 2, 0.25, 6]);
  expect(() => attributionsPerImage(m, input, [0])).toThrow(/1 classes for 2 images/);
  tf.dispose([maps.saliency, maps.gradTimesInput, input]);
  m.dispose();
});

test('meanMapCorrelation: Pearson correlation of |maps| per image, averaged; 1 for proportional maps, sign-blind', () => {
  const a = tf.tensor4d([1, 2, 3, 4, 0, 1, 0, 1], [2, 2, 2, 1]);
  expect(meanMapCorrelation(a, tf.mul(a, -3))).toBeCloseTo(1, 6);
  // image 0 against its reverse (r = −1), image 1 against itself (r = 1): mean 0
  const b = tf.tensor4d([4, 3, 2, 1, 0, 1, 0, 1], [2, 2, 2, 1]);
  expect(meanMapCorrelation(a, b)).toBeCloseTo(0, 6);
  // by hand for one image: |a| = (1, 2, 3, 4), c = (1, 3, 2, 4): centred (−1.5, −.5, .5, 1.5)·(−1.5, .5, −.5, 1.5) = 4 over 5 → 0.8
  const one = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  const other = tf.tensor4d([1, 3, 2, 4], [1, 2, 2, 1]);
  expect(meanMapCorrelation(one, other)).toBeCloseTo(0.8, 6);
  expect(() => meanMapCorrelation(one, a)).toThrow(/shapes \[1, 2, 2, 1\] and \[2, 2, 2, 1\] differ/);
  tf.dispose([a, b, one, other]);
});

test('saliencyPerClass: each image gets |∂score_c/∂x| of its own class, batched by class', () => {
  const m = linearModel('linear');
  const input = x();
  // image 0 explained for class 1 (|w_1| = 0, 1, 1, 2), image 1 for class 0 (|w_0| = 1, 2, 0.5, 3); batches of one
  const maps = saliencyPerClass(m, input, [1, 0], { batchSize: 1 });
  expect(maps.shape).toEqual([2, 2, 2]);
  expect(Array.from(maps.data)).toEqual([0, 1, 1, 2, 1, 2, 0.5, 3]);
  const signed = saliencyPerClass(m, input, [0, 0], { mode: 'signed' });
  expect(Array.from(signed.data)).toEqual([1, -2, 0.5, 3, 1, -2, 0.5, 3]);
  expect(() => saliencyPerClass(m, input, [0])).toThrow(/1 classes for 2 images/);
  input.dispose();
  m.dispose();
});

test('saliencyPerClass with layer: the gradient of a named layer\'s output (the logits before a softmax)', () => {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [2, 2, 1] }));
  m.add(tf.layers.dense({ units: 2, name: 'logits' }));
  m.add(tf.layers.activation({ activation: 'softmax' }));
  m.getLayer('logits').setWeights([tf.tensor2d([[1, 0], [-2, 1], [0.5, -1], [3, 2]]), tf.tensor1d([0, 0])]);
  const input = x();
  const maps = saliencyPerClass(m, input, [1, 1], { layer: 'logits' });
  expect(Array.from(maps.data)).toEqual([0, 1, 1, 2, 0, 1, 1, 2]);
  input.dispose();
  m.dispose();
});

test('gradientStepCheck: a linear score changes by exactly δ‖S‖ along its gradient, a wrong map does not', () => {
  const m = linearModel('linear');
  const input = x();
  const g = saliencyMap(m, input, 0);
  const ok = gradientStepCheck(m, input, g, 0, 0.5);
  const norm = Math.sqrt(1 + 4 + 0.25 + 9);
  ok.predicted.forEach((v) => expect(v).toBeCloseTo(0.5 * norm, 5));
  ok.actual.forEach((v) => expect(v).toBeCloseTo(0.5 * norm, 4));
  ok.relativeError.forEach((e) => expect(e).toBeLessThan(1e-4));
  const wrong = tf.onesLike(g);                        // not the gradient: the step changes the score by 0.5·Σw/2 ≠ 0.5·2
  const bad = gradientStepCheck(m, input, wrong, 0, 0.5);
  bad.relativeError.forEach((e) => expect(e).toBeGreaterThan(0.2));
  expect(() => gradientStepCheck(m, input, tf.ones([1, 2, 2, 1]), 0)).toThrow(/must have the shape of x/);
  tf.dispose([input, g, wrong]);
  m.dispose();
});
