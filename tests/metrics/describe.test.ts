import { histogram, mean, sampleSd } from '../../src/metrics/describe';

test('mean and sample sd (n − 1), by hand', () => {
  expect(mean([2, 4, 9])).toBe(5);
  // deviations −3, −1, 4: squares 9 + 1 + 16 = 26, / (3 − 1) = 13
  expect(sampleSd([2, 4, 9])).toBe(Math.sqrt(13));
  expect(sampleSd([7, 7, 7, 7])).toBe(0);
  expect(mean([0.74, 0.78, 0.76])).toBeCloseTo(0.76, 12);
  expect(sampleSd([0.74, 0.78, 0.76])).toBeCloseTo(0.02, 12);
});

test('the same numbers as the notebooks\' former one-liners (summed left to right)', () => {
  const v = [0.7123, 0.7781, 0.7356, 0.7712, 0.7499];
  const meanOf = (x: readonly number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
  const sdOf = (x: readonly number[]): number => Math.sqrt(x.reduce((a, b) => a + (b - meanOf(x)) ** 2, 0) / (x.length - 1));
  expect(mean(v)).toBe(meanOf(v));
  expect(sampleSd(v)).toBe(sdOf(v));
});

test('mean of nothing and sd of one value are errors, not NaN', () => {
  expect(() => mean([])).toThrow('mean: no values');
  expect(() => sampleSd([1])).toThrow(/1 value\(s\); a sample standard deviation needs at least 2/);
});

test('histogram: equal bins over [lo, hi), out-of-range values in the edge bins, counts sum to n', () => {
  expect(histogram([0.1, 0.15, 0.9], 0, 1, 4)).toEqual([2, 0, 0, 1]);
  // bin edges 0, 0.5, 1: 0.5 opens the second bin; 1 (= hi) and 3 go to the last, −2 to the first
  expect(histogram([0, 0.5, 0.49, 1, 3, -2], 0, 1, 2)).toEqual([3, 3]);
  expect(histogram([], 0, 1, 3)).toEqual([0, 0, 0]);
  expect(histogram([0.71, 0.75, 0.95], 0.7, 1.0, 3)).toEqual([2, 0, 1]);
});

test('histogram refuses bins, ranges and values it cannot place', () => {
  expect(() => histogram([1], 0, 1, 0)).toThrow(/bins = 0/);
  expect(() => histogram([1], 0, 1, 2.5)).toThrow(/bins = 2.5/);
  expect(() => histogram([1], 1, 1, 2)).toThrow(/range \[1, 1\) is empty/);
  expect(() => histogram([Number.NaN], 0, 1, 2)).toThrow(/value NaN is not a finite number/);
});
