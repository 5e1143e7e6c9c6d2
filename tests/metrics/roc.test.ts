import { rocAuc, rocCurve } from '../../src/metrics/roc';

test('AUC of a hand-worked example: 3 of 4 positive–negative pairs ranked right', () => {
  // pairs (pos, neg): (0.35,0.1) ok, (0.35,0.4) wrong, (0.8,0.1) ok, (0.8,0.4) ok -> 3/4
  expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
});

test('ties count one half, perfect and reversed rankings give 1 and 0', () => {
  expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
  // pos {0.5, 0.9}, neg {0.5, 0.1}: pairs (0.5,0.5)=½, (0.5,0.1)=1, (0.9,0.5)=1, (0.9,0.1)=1 -> 3.5/4
  expect(rocAuc([1, 1, 0, 0], [0.5, 0.9, 0.5, 0.1])).toBe(0.875);
  expect(rocAuc([0, 0, 1], [0.1, 0.2, 0.9])).toBe(1);
  expect(rocAuc([0, 0, 1], [0.8, 0.9, 0.1])).toBe(0);
});

test('the curve steps through each distinct score and its trapezoid area equals rocAuc', () => {
  const y = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0];
  const s = [0.1, 0.3, 0.3, 0.8, 0.5, 0.9, 0.4, 0.2, 0.6, 0.6];
  const c = rocCurve(y, s);
  expect(c.thresholds).toEqual([Infinity, 0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);
  expect(c.tpr).toEqual([0, 0.2, 0.4, 0.6, 0.6, 0.8, 1, 1, 1]);
  expect(c.fpr).toEqual([0, 0, 0, 0.2, 0.4, 0.4, 0.6, 0.8, 1]);
  let area = 0;
  for (let i = 1; i < c.fpr.length; i++) area += ((c.fpr[i]! - c.fpr[i - 1]!) * (c.tpr[i]! + c.tpr[i - 1]!)) / 2;
  expect(area).toBeCloseTo(rocAuc(y, s), 12);
  expect(rocAuc(y, s)).toBeCloseTo(0.8, 12);
});

test('bad input names the problem', () => {
  expect(() => rocAuc([0, 1], [0.2])).toThrow(/2 labels but 1 scores/);
  expect(() => rocAuc([0, 2], [0.2, 0.3])).toThrow(/label 2 at index 1/);
  expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/needs both classes/);
  expect(() => rocAuc([0, 1], [0.2, Number.NaN])).toThrow(/score NaN at index 1/);
});
