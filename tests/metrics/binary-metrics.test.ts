import { binaryConfusion, thresholdForSensitivity } from '../../src/metrics/binary-metrics';

const y = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const s = [0.9, 0.8, 0.35, 0.2, 0.7, 0.4, 0.3, 0.1, 0.05, 0.6];

test('counts and rates at a threshold, worked by hand', () => {
  // >= 0.5: positives predicted 0.9, 0.8 (tp 2, fn 2); negatives 0.7, 0.6 predicted positive (fp 2, tn 4)
  const c = binaryConfusion(y, s, 0.5);
  expect([c.tp, c.fn, c.fp, c.tn]).toEqual([2, 2, 2, 4]);
  expect(c.sensitivity).toBe(0.5);
  expect(c.specificity).toBeCloseTo(4 / 6, 12);
  expect(c.precision).toBe(0.5);
  expect(c.accuracy).toBe(0.6);
  expect(c.f1).toBe(0.5);
  // the threshold itself counts as positive
  expect(binaryConfusion([1], [0.5], 0.5).tp).toBe(1);
});

test('thresholdForSensitivity takes the highest threshold reaching the target', () => {
  // 4 positives: sensitivity >= 0.75 needs the 3 highest positive scores (0.9, 0.8, 0.35) -> threshold 0.35
  const c = thresholdForSensitivity(y, s, 0.75);
  expect(c.threshold).toBe(0.35);
  expect(c.sensitivity).toBe(0.75);
  // negatives >= 0.35: 0.7, 0.4, 0.6 -> fp 3, tn 3
  expect([c.fp, c.tn]).toEqual([3, 3]);
  expect(thresholdForSensitivity(y, s, 1).threshold).toBe(0.2);
  expect(thresholdForSensitivity(y, s, 0.25).threshold).toBe(0.9);
  expect(thresholdForSensitivity(y, s, 0.26).threshold).toBe(0.8);
});

test('bad input is named', () => {
  expect(() => binaryConfusion([1, 0], [0.1], 0.5)).toThrow(/2 labels but 1 scores/);
  expect(() => binaryConfusion([2], [0.1], 0.5)).toThrow(/label 2 at index 0/);
  expect(() => thresholdForSensitivity([0, 0], [0.1, 0.2], 0.9)).toThrow(/no positive labels/);
  expect(() => thresholdForSensitivity(y, s, 0)).toThrow(/must be in \(0, 1\]/);
});
