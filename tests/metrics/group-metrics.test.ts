import {
  demographicParityDifference, disparateImpactRatio, equalizedOddsDifference, equalOpportunityDifference, fairnessSummary, groupMetrics,
} from '../../src/metrics/group-metrics';

// Group A: truth 1 1 1 0 0, decision 1 1 0 1 0 -> TP 2, FN 1, FP 1, TN 1.
// Group B: truth 1 1 0 0,   decision 1 0 0 0   -> TP 1, FN 1, FP 0, TN 2.
const yTrue = [1, 1, 1, 0, 0, 1, 1, 0, 0];
const yPred = [1, 1, 0, 1, 0, 1, 0, 0, 0];
const group = ['A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'B'];

test('per-group rates by hand', () => {
  const [a, b] = groupMetrics(yTrue, yPred, group);
  expect(a).toEqual({
    group: 'A', count: 5, share: 5 / 9, baseRate: 0.6, selectionRate: 0.6, tpr: 2 / 3, fpr: 0.5, fnr: 1 - 2 / 3, accuracy: 0.6,
    tp: 2, fp: 1, tn: 1, fn: 1,
  });
  expect(b).toEqual({
    group: 'B', count: 4, share: 4 / 9, baseRate: 0.5, selectionRate: 0.25, tpr: 0.5, fpr: 0, fnr: 0.5, accuracy: 0.75,
    tp: 1, fp: 0, tn: 2, fn: 1,
  });
});

test('gaps by hand: DPD 0.6 − 0.25, EOD 2/3 − 1/2, equalized odds max(1/6, 1/2), DI 0.25 / 0.6', () => {
  const rates = groupMetrics(yTrue, yPred, group);
  expect(demographicParityDifference(rates)).toBeCloseTo(0.35, 12);
  expect(equalOpportunityDifference(rates)).toBeCloseTo(1 / 6, 12);
  expect(equalizedOddsDifference(rates)).toBeCloseTo(0.5, 12);
  expect(disparateImpactRatio(rates)).toBeCloseTo(0.25 / 0.6, 12);
  expect(fairnessSummary(rates)).toEqual({
    demographicParityDifference: demographicParityDifference(rates), equalOpportunityDifference: equalOpportunityDifference(rates),
    equalizedOddsDifference: equalizedOddsDifference(rates), disparateImpactRatio: disparateImpactRatio(rates),
  });
});

test('favorable = 0 (e.g. label 1 = bad, decision 0 = approve) swaps the roles', () => {
  // Group A with favorable 0: deserving = truth 0 (rows 4, 5), approved = decision 0 (rows 3, 5)
  // -> TP 1 (row 5), FN 1 (row 4), FP 1 (row 3), TN 2.
  const [a] = groupMetrics(yTrue, yPred, group, { favorable: 0 });
  expect([a!.tp, a!.fn, a!.fp, a!.tn]).toEqual([1, 1, 1, 2]);
  expect(a!.selectionRate).toBeCloseTo(0.4, 12);
  expect(a!.tpr).toBe(0.5);
  expect(a!.fpr).toBeCloseTo(1 / 3, 12);
});

test('group order, numeric group values, and NaN for an empty denominator', () => {
  const rates = groupMetrics([1, 1, 0], [1, 0, 0], [25, 30, 30], { order: ['30'] });
  expect(rates.map((r) => r.group)).toEqual(['30', '25']);
  // group '25' has no unfavorable member: FPR NaN; the gaps skip it
  expect(rates[1]!.fpr).toBeNaN();
  expect(equalizedOddsDifference(rates)).toBe(1); // TPR 0 (group 30) vs 1 (group 25); FPR only from group 30
  expect(disparateImpactRatio(groupMetrics([1, 0], [0, 0], ['a', 'b']))).toBeNaN();
});

test('bad input is an error that says why', () => {
  expect(() => groupMetrics([1, 0], [1], ['a', 'b'])).toThrow(/2 labels, 1 decisions and 2 group values/);
  expect(() => groupMetrics([], [], [])).toThrow(/no examples/);
});
