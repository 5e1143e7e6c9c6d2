import {
  bootstrapMetric, bootstrapMetricDifference, bootstrapStatistic, quantile, resampleIndices, stratifiedResampleIndices,
} from '../../src/metrics/bootstrap';
import { random, seed } from '../../src/training/random';
import { rocAuc } from '../../src/metrics/roc';

afterEach(() => seed(null));

/** A fake generator returning the given numbers in turn. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

const mean = (y: number[]): number => y.reduce((a, b) => a + b, 0) / y.length;

test('quantile interpolates linearly between order statistics (NumPy default)', () => {
  // sorted [1, 2, 3, 4]: h = 3 · 0.25 = 0.75 → 1 + 0.75 · (2 − 1)
  expect(quantile([4, 1, 3, 2], 0.25)).toBeCloseTo(1.75, 12);
  expect(quantile([3, 1, 2], 0.5)).toBe(2);
  // h = 1 · 0.975 → 10 + 0.975 · 10
  expect(quantile([20, 10], 0.975)).toBeCloseTo(19.75, 12);
  expect(quantile([5, -1, 7], 0)).toBe(-1);
  expect(quantile([5, -1, 7], 1)).toBe(7);
  expect(() => quantile([], 0.5)).toThrow(/no values/);
  expect(() => quantile([1], 1.5)).toThrow(/q must be in/);
});

test('resampleIndices draws floor(u · n) with replacement', () => {
  // n = 5: 0 → 0, 0.19 → 0, 0.2 → 1, 0.99 → 4, 0.5 → 2
  expect(Array.from(resampleIndices(5, sequence([0, 0.19, 0.2, 0.99, 0.5])))).toEqual([0, 0, 1, 4, 2]);
});

test('stratifiedResampleIndices keeps each group size and draws only within the group', () => {
  // group [0, 2]: 0.6 → 2, 0.1 → 0; group [1, 3, 4]: 0 → 1, 0.5 → 3, 0.9 → 4
  expect(Array.from(stratifiedResampleIndices([[0, 2], [1, 3, 4]], sequence([0.6, 0.1, 0, 0.5, 0.9])))).toEqual([2, 0, 1, 3, 4]);
});

test('a constant statistic gives a zero-width interval', () => {
  const r = bootstrapStatistic(10, () => 3, { resamples: 50 });
  expect(r.estimate).toBe(3);
  expect([r.lower, r.upper, r.standardError]).toEqual([3, 3, 0]);
  expect(r.values.length).toBe(50);
});

test('mean of [0, 1]: resample means are 0, ½, 1 with probabilities ¼, ½, ¼; the 95 % interval is [0, 1]', () => {
  const data = [0, 1];
  const r = bootstrapStatistic(2, (idx) => mean(Array.from(idx, (i) => data[i]!)), { resamples: 4000, seed: 1 });
  expect(r.estimate).toBe(0.5);
  const frac = (v: number): number => r.values.filter((x) => x === v).length / r.values.length;
  expect(frac(0)).toBeCloseTo(0.25, 1);
  expect(frac(0.5)).toBeCloseTo(0.5, 1);
  expect(frac(1)).toBeCloseTo(0.25, 1);
  expect(r.values.every((v) => v === 0 || v === 0.5 || v === 1)).toBe(true);
  expect([r.lower, r.upper]).toEqual([0, 1]);
  // the standard error of a mean of 2 draws from {0, 1}: sqrt(¼ / 2) ≈ 0.354
  expect(r.standardError).toBeCloseTo(Math.sqrt(0.25 / 2), 1);
});

test('a proportion of 200 / 400: the interval matches the normal theory 0.5 ± 1.96 · 0.025', () => {
  const y = Array.from({ length: 400 }, (_, i) => (i % 2));
  const r = bootstrapMetric(y, y, (_yb, sb) => mean(sb), { resamples: 4000, seed: 3 });
  expect(r.estimate).toBe(0.5);
  expect(r.standardError).toBeCloseTo(0.025, 2);
  expect(Math.abs(r.lower - (0.5 - 1.96 * 0.025))).toBeLessThan(0.006);
  expect(Math.abs(r.upper - (0.5 + 1.96 * 0.025))).toBeLessThan(0.006);
  // the interval ends are the quantiles of the bootstrap values
  expect(r.lower).toBeCloseTo(quantile(r.values, 0.025), 12);
  expect(r.upper).toBeCloseTo(quantile(r.values, 0.975), 12);
  const r90 = bootstrapMetric(y, y, (_yb, sb) => mean(sb), { resamples: 4000, seed: 3, level: 0.9 });
  expect(r90.lower).toBeGreaterThan(r.lower);
  expect(r90.upper).toBeLessThan(r.upper);
});

test('seeded: the same seed repeats exactly, another seed differs, the global generator is untouched', () => {
  const y = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0];
  const s = [0.1, 0.3, 0.3, 0.8, 0.5, 0.9, 0.4, 0.2, 0.6, 0.6];
  seed(7);
  const expectedNext = random();
  seed(7);
  const a = bootstrapMetric(y, s, rocAuc, { resamples: 200, seed: 11 });
  expect(random()).toBe(expectedNext);
  const b = bootstrapMetric(y, s, rocAuc, { resamples: 200, seed: 11 });
  const c = bootstrapMetric(y, s, rocAuc, { resamples: 200, seed: 12 });
  expect(Array.from(b.values)).toEqual(Array.from(a.values));
  expect(Array.from(c.values)).not.toEqual(Array.from(a.values));
  expect(a.estimate).toBeCloseTo(0.8, 12); // the AUC of this example (tests/metrics/roc.test.ts)
  expect(a.lower).toBeLessThan(0.8);
  expect(a.upper).toBeGreaterThan(0.8);
});

test('stratified resamples keep the class counts; unstratified ones with one class are redrawn', () => {
  const y = [0, 0, 0, 1, 1];
  const s = [0.1, 0.2, 0.3, 0.8, 0.9];
  const positives = bootstrapMetric(y, s, (yb) => yb.reduce((a, v) => a + v, 0), { resamples: 100, stratified: true });
  expect(new Set(positives.values)).toEqual(new Set([2]));
  expect(positives.redrawn).toBe(0);
  // Perfectly separated scores: every resample with both classes has AUC 1.
  const auc = bootstrapMetric(y, s, rocAuc, { resamples: 300, seed: 5 });
  expect(auc.redrawn).toBeGreaterThan(0); // P(one class only) = (3/5)^5 + (2/5)^5 ≈ 0.088
  expect([auc.lower, auc.upper, auc.estimate]).toEqual([1, 1, 1]);
});

test('paired difference: the same resamples for both models, equal to the difference recomputed on each resample', () => {
  const y = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
  const a = [0.1, 0.2, 0.15, 0.3, 0.4, 0.6, 0.7, 0.5, 0.9, 0.8];
  const b = [0.5, 0.2, 0.6, 0.3, 0.7, 0.1, 0.4, 0.55, 0.65, 0.35];
  const d = bootstrapMetricDifference(y, a, b, rocAuc, { resamples: 300, seed: 9, stratified: true });
  expect(d.estimate).toBeCloseTo(rocAuc(y, a) - rocAuc(y, b), 12);
  // The same stream, drawn by hand within each label (negatives first), gives the same values.
  const groups = [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]];
  const byHand = bootstrapStatistic(y.length, (idx) => {
    const yb = Array.from(idx, (i) => y[i]!);
    return rocAuc(yb, Array.from(idx, (i) => a[i]!)) - rocAuc(yb, Array.from(idx, (i) => b[i]!));
  }, { resamples: 300, seed: 9 }, (rng) => stratifiedResampleIndices(groups, rng));
  expect(Array.from(d.values)).toEqual(Array.from(byHand.values));
  // Identical models differ by exactly 0 on every resample.
  const same = bootstrapMetricDifference(y, a, a, rocAuc, { resamples: 50, stratified: true });
  expect([same.lower, same.upper, same.standardError]).toEqual([0, 0, 0]);
  // A perfect ranking against a useless one: the whole interval is above 0; swapped, below.
  const perfect = y.map((v, i) => v + i / 100);
  const useless = y.map(() => 0.5);
  expect(bootstrapMetricDifference(y, perfect, useless, rocAuc, { stratified: true }).lower).toBeGreaterThan(0.4);
  expect(bootstrapMetricDifference(y, useless, perfect, rocAuc, { stratified: true }).upper).toBeLessThan(-0.4);
  expect(() => bootstrapMetricDifference(y, a, b.slice(1), rocAuc)).toThrow(/bootstrapMetricDifference: 10 labels but 9 scores/);
});

test('bad input names the problem', () => {
  expect(() => bootstrapMetric([0, 1], [0.5], rocAuc)).toThrow(/2 labels but 1 scores/);
  expect(() => bootstrapStatistic(3, () => 1, { resamples: 0 })).toThrow(/resamples must be a positive integer/);
  expect(() => bootstrapStatistic(3, () => 1, { level: 95 })).toThrow(/level must be in/);
  expect(() => bootstrapStatistic(3, () => Number.NaN, { resamples: 2 })).toThrow(/failed on/);
});
