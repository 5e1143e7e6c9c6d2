import * as tf from '@tensorflow/tfjs';
import { centralDifferenceGradient, maxAbsDifference } from '../../src/scratch/gradcheck';
import { seed } from '../../src/training/random';
import { dropoutMask, dropoutMaskMoments, invertedDropout, l2Penalty, l2PenaltyGradient } from '../../src/scratch/regularization';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});
afterAll(() => seed(null));

const w = [0.5, -1.25, 2, 0.1, -0.75];

describe('L2 penalty', () => {
  test('is (λ/2)·Σθ² and equals tf.regularizers.l2 with l2 = λ/2', () => {
    expect(l2Penalty([3, 4], 0.1)).toBeCloseTo(1.25, 15);
    expect(l2Penalty(w, 0.2)).toBeCloseTo(0.1 * w.reduce((a, v) => a + v * v, 0), 15);
    const viaTf = tf.regularizers.l2({ l2: 0.1 }).apply(tf.tensor1d(w)).arraySync() as number;
    expect(Math.abs(l2Penalty(w, 0.2) - viaTf)).toBeLessThan(1e-6);
  });

  test('its gradient λθ equals tf.grad and central differences', () => {
    const lambda = 0.3;
    const ours = l2PenaltyGradient(w, lambda);
    expect(ours).toEqual(w.map((v) => 0.3 * v));
    const viaTf = tf.grad((x: tf.Tensor) => tf.regularizers.l2({ l2: lambda / 2 }).apply(x))(tf.tensor1d(w)).arraySync() as number[];
    expect(maxAbsDifference(ours, viaTf)).toBeLessThan(1e-6);
    const fd = centralDifferenceGradient((x) => l2Penalty(x, lambda), w);
    expect(maxAbsDifference(ours, fd)).toBeLessThan(1e-9);
  });
});

describe('inverted dropout', () => {
  test('mask entries are 0 or 1/(1-r), zeros with frequency r', () => {
    seed(11);
    const r = 0.3;
    const n = 100000;
    const mask = dropoutMask(n, r);
    const keep = 1 / (1 - r);
    expect(mask.every((m) => m === 0 || m === keep)).toBe(true);
    const zeros = mask.filter((m) => m === 0).length / n;
    // Binomial standard error sqrt(r(1-r)/n) = 0.00145; allow 5 of them.
    expect(Math.abs(zeros - r)).toBeLessThan(5 * Math.sqrt((r * (1 - r)) / n));
  });

  test('the expectation is preserved: mean ≈ 1, variance ≈ r/(1-r), within 5 standard errors', () => {
    seed(12);
    const n = 200000;
    for (const r of [0.1, 0.5, 0.8]) {
      const mask = dropoutMask(n, r);
      const { mean, variance } = dropoutMaskMoments(r);
      expect(mean).toBe(1);
      expect(variance).toBeCloseTo(r / (1 - r), 15);
      const m = mask.reduce((a, b) => a + b, 0) / n;
      const v = mask.reduce((a, b) => a + (b - 1) ** 2, 0) / n; // about the true mean 1
      expect(Math.abs(m - 1)).toBeLessThan(5 * Math.sqrt(variance / n));
      // The variance of mean((m-1)²) is (μ4 - σ⁴)/n, with μ4 = E[(m-1)⁴]; allow 5 standard errors
      // (for r = 0.5, (m-1)² is always 1, so the estimate is exact).
      const keep = 1 / (1 - r);
      const mu4 = r * 1 + (1 - r) * (keep - 1) ** 4;
      expect(Math.abs(v - variance)).toBeLessThanOrEqual(5 * Math.sqrt((mu4 - variance ** 2) / n) + 1e-12);
    }
  });

  test('dropped activations average back to x (E[m·x] = x), like tf.dropout', () => {
    seed(13);
    const x = [1, -2, 0.5, 3];
    const r = 0.5;
    const trials = 20000;
    const sum = new Array<number>(x.length).fill(0);
    let mismatches = 0;
    for (let t = 0; t < trials; t++) {
      const { output, mask } = invertedDropout(x, r);
      output.forEach((o, i) => {
        if (o !== x[i]! * mask[i]!) mismatches++;
        sum[i]! += o;
      });
    }
    expect(mismatches).toBe(0);
    const avg = sum.map((s) => s / trials);
    // Std of one output is |x|·sqrt(r/(1-r)) = |x|; standard error |x|/sqrt(20000).
    avg.forEach((a, i) => expect(Math.abs(a - x[i]!)).toBeLessThan((5 * Math.abs(x[i]!)) / Math.sqrt(trials)));

    // tf.dropout: kept entries are x/(1-r), and the mean over many entries is x.
    const ones = tf.ones([100000]);
    const dropped = tf.dropout(ones, r).dataSync();
    const kept = Array.from(dropped).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / (1 - r)) < 1e-6)).toBe(true);
    const tfMean = Array.from(dropped).reduce((a, b) => a + b, 0) / dropped.length;
    expect(Math.abs(tfMean - 1)).toBeLessThan(5 * Math.sqrt(r / (1 - r) / dropped.length));
  });

  test('rate 0 is the identity; a rate outside [0, 1) is rejected', () => {
    expect(dropoutMask(4, 0)).toEqual([1, 1, 1, 1]);
    expect(invertedDropout([1, 2], 0).output).toEqual([1, 2]);
    expect(() => dropoutMask(3, 1)).toThrow(/\[0, 1\)/);
    expect(() => dropoutMask(3, -0.1)).toThrow(/\[0, 1\)/);
  });

  test('seeded masks repeat', () => {
    seed(5);
    const a = dropoutMask(20, 0.4);
    seed(5);
    expect(dropoutMask(20, 0.4)).toEqual(a);
  });
});
