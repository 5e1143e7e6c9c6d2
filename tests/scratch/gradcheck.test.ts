import { centralDifferenceGradient, flattenNumbers, maxAbsDifference } from '../../src/scratch/gradcheck';

test('the central difference is exact for quadratics and O(h²) in general', () => {
  // For a quadratic, (f(x+h) − f(x−h))/2h is exact up to rounding.
  const q = (x: readonly number[]) => 3 * x[0]! ** 2 - 2 * x[0]! * x[1]! + 0.5 * x[1]! ** 2 + 7 * x[1]!;
  const g = centralDifferenceGradient(q, [1.5, -2]);
  expect(g[0]).toBeCloseTo(6 * 1.5 + 2 * 2, 8);
  expect(g[1]).toBeCloseTo(-2 * 1.5 - 2 + 7, 8);
  // For sin, the error is −h² cos(x)/6: halving h divides it by 4.
  const errAt = (h: number) => centralDifferenceGradient((x) => Math.sin(x[0]!), [0.7], h)[0]! - Math.cos(0.7);
  expect(errAt(1e-2)).toBeCloseTo((-1e-4 * Math.cos(0.7)) / 6, 9);
  expect(errAt(1e-2) / errAt(5e-3)).toBeCloseTo(4, 2);
  expect(() => centralDifferenceGradient(q, [0, 0], 0)).toThrow(/positive/);
});

test('maxAbsDifference flattens nested arrays, propagates NaN and checks shapes', () => {
  expect(flattenNumbers([[1, 2], [3, [4]]])).toEqual([1, 2, 3, 4]);
  expect(maxAbsDifference([[1, 2], [3, 4]], [[1, 2.5], [2, 4]])).toBe(1);
  expect(maxAbsDifference(3, 3)).toBe(0);
  expect(maxAbsDifference([1, Number.NaN], [1, 2])).toBeNaN();
  expect(() => maxAbsDifference([1, 2], [1])).toThrow(/shapes must match/);
});
