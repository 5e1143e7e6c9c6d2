import {
  baselineCosts, bayesCostThreshold, costCurve, costMinimizingThreshold, expectedCost, gini, ksStatistic,
} from '../../src/metrics/credit-metrics';

const GERMAN: number[][] = [[0, 1], [5, 0]];
// 2 good (0.1, 0.4), 2 bad (0.35, 0.8).
const y = [0, 0, 1, 1];
const s = [0.1, 0.4, 0.35, 0.8];

test('Gini = 2·AUC − 1: AUC 0.75 gives 0.5; perfect 1, random-like 0, reversed −1', () => {
  expect(gini(y, s)).toBeCloseTo(0.5, 12);
  expect(gini([0, 0, 1], [0.1, 0.2, 0.9])).toBe(1);
  expect(gini([0, 1], [0.5, 0.5])).toBe(0);
  expect(gini([0, 0, 1], [0.8, 0.9, 0.1])).toBe(-1);
});

test('KS by hand: the ROC points (FPR, TPR) are (0,0) (0,.5) (.5,.5) (.5,1) (1,1), so KS = 0.5 first at threshold 0.8', () => {
  expect(ksStatistic(y, s)).toEqual({ ks: 0.5, threshold: 0.8, tpr: 0.5, fpr: 0 });
  // Perfect separation: KS 1; scores that do not separate at all: KS 0.
  expect(ksStatistic([0, 0, 1, 1], [1, 2, 3, 4]).ks).toBe(1);
  expect(ksStatistic([0, 1, 0, 1], [1, 1, 1, 1]).ks).toBe(0);
  // 3 bad {0.9, 0.7, 0.2}, 3 good {0.6, 0.3, 0.1}: at 0.7 TPR 2/3, FPR 0 -> 2/3 is the largest gap.
  const k = ksStatistic([1, 1, 1, 0, 0, 0], [0.9, 0.7, 0.2, 0.6, 0.3, 0.1]);
  expect(k.ks).toBeCloseTo(2 / 3, 12);
  expect(k.threshold).toBe(0.7);
});

test('expected cost at a threshold counts each error with its price', () => {
  // threshold 0.3: rejects 0.4 (good: 1), 0.35 and 0.8 (bad: 0); accepts 0.1 (good: 0) -> 1 / 4
  expect(expectedCost(y, s, 0.3, GERMAN)).toEqual({ threshold: 0.3, cost: 0.25, total: 1, tp: 2, fp: 1, tn: 1, fn: 0 });
  // threshold 0.5: accepts the bad 0.35 (5) -> 5 / 4
  expect(expectedCost(y, s, 0.5, GERMAN).cost).toBe(1.25);
  // score exactly at the threshold is rejected
  expect(expectedCost(y, s, 0.35, GERMAN).tp).toBe(2);
  // Infinity rejects nobody: 2 bad × 5 / 4; -Infinity rejects all: 2 good × 1 / 4
  expect(expectedCost(y, s, Infinity, GERMAN).cost).toBe(2.5);
  expect(expectedCost(y, s, -Infinity, GERMAN).cost).toBe(0.5);
});

test('the cost curve and its minimum, by hand', () => {
  const c = costCurve(y, s, GERMAN);
  expect(c.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  // accept all 10/4; reject 0.8: 5/4; + 0.4 (good): 6/4; + 0.35 (bad): 1/4; + 0.1 (good): 2/4
  expect(c.costs).toEqual([2.5, 1.25, 1.5, 0.25, 0.5]);
  expect(c.rejectRates).toEqual([0, 0.25, 0.5, 0.75, 1]);
  // the best rejects scores >= 0.35; the threshold is halfway to the next lower score 0.1
  const best = costMinimizingThreshold(y, s, GERMAN);
  expect(best.threshold).toBeCloseTo(0.225, 12);
  expect(best.cost).toBe(0.25);
  expect(best.rejectRate).toBe(0.75);
  // the returned threshold reproduces the minimum
  expect(expectedCost(y, s, 0.225, GERMAN).cost).toBe(0.25);
});

test('tied scores move together; trivial optima give ±Infinity', () => {
  const c = costCurve([0, 1, 1, 0], [0.5, 0.5, 0.9, 0.1], GERMAN);
  expect(c.thresholds).toEqual([Infinity, 0.9, 0.5, 0.1]);
  expect(c.costs).toEqual([2.5, 1.25, 0.25, 0.5]);
  // all bad: rejecting everybody costs 0
  expect(costMinimizingThreshold([1, 1], [0.2, 0.3], GERMAN)).toEqual({ threshold: -Infinity, cost: 0, rejectRate: 1 });
  // all good: rejecting nobody costs 0
  expect(costMinimizingThreshold([0, 0], [0.2, 0.3], GERMAN)).toEqual({ threshold: Infinity, cost: 0, rejectRate: 0 });
});

test('Bayes threshold for calibrated probabilities: 1 / (1 + 5) for German Credit', () => {
  expect(bayesCostThreshold(GERMAN)).toBeCloseTo(1 / 6, 15);
  expect(bayesCostThreshold([[0, 1], [1, 0]])).toBe(0.5);
  expect(bayesCostThreshold([[1, 3], [10, 2]])).toBe(0.2); // (3 - 1) / ((3 - 1) + (10 - 2))
  expect(() => bayesCostThreshold([[0, 0], [5, 0]])).toThrow(/must cost more/);
});

test('baselines: accept everybody costs 5 × bad rate, reject everybody 1 × good rate (German Credit: 1.5 and 0.7)', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i < 300 ? 1 : 0));
  const b = baselineCosts(labels, GERMAN);
  expect(b.acceptAll).toBeCloseTo(1.5, 12);
  expect(b.rejectAll).toBeCloseTo(0.7, 12);
});

test('bad input is an error that says why', () => {
  expect(() => expectedCost([0, 1], [0.1], 0.5, GERMAN)).toThrow(/2 labels but 1 scores/);
  expect(() => expectedCost([0, 2], [0.1, 0.2], 0.5, GERMAN)).toThrow(/label 2 at index 1/);
  expect(() => expectedCost([0, 1], [0.1, 0.2], 0.5, [[0, 1]])).toThrow(/2 × 2/);
  expect(() => costCurve([0, 1], [0.1, Number.NaN], GERMAN)).toThrow(/NaN at index 1/);
});
