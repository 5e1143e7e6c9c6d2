import { aucInterval, aucStandardError, rateDifferenceStandardError, wilsonInterval } from '../../src/metrics/intervals';

test('wilsonInterval: both ends solve (p̂ − π)² = z² π(1 − π)/n, and the interval stays inside [0, 1]', () => {
  for (const [p, n] of [[0.95, 100], [0.5, 20], [0.1, 1000], [0.9817, 360]] as const) {
    const [lo, hi] = wilsonInterval(p, n);
    for (const pi of [lo, hi]) expect((p - pi) ** 2 - (1.96 ** 2 * pi * (1 - pi)) / n).toBeCloseTo(0, 12);
    expect(lo).toBeLessThan(p);
    expect(hi).toBeGreaterThan(p);
  }
  expect(wilsonInterval(0.95, 100)[0]).toBeCloseTo(0.8882, 4);
  expect(wilsonInterval(0.95, 100)[1]).toBeCloseTo(0.9785, 4);
  const [lo0, hi0] = wilsonInterval(0, 10);
  expect(lo0).toBeCloseTo(0, 12);
  expect(hi0).toBeCloseTo(0.2775, 4); // not empty at p = 0, unlike p ± z·√(p(1 − p)/n)
  expect(wilsonInterval(1, 10)[1]).toBeCloseTo(1, 12);
  // a wider z gives a wider interval
  expect(wilsonInterval(0.8, 50, 2.576)[0]).toBeLessThan(wilsonInterval(0.8, 50)[0]);
});

test("aucStandardError reproduces Hanley & McNeil's (1982) worked example, and aucInterval is A ± 1.96 SE", () => {
  // Their example: A = 0.893 from 51 abnormal and 58 normal images, SE = 0.032.
  expect(Math.abs(aucStandardError(0.893, 51, 58) - 0.032)).toBeLessThan(0.0006);
  expect(aucStandardError(0.8, 60, 140)).toBeCloseTo(0.0372, 4);
  const [lo, hi] = aucInterval(0.8, 60, 140);
  expect(lo).toBeCloseTo(0.7271, 4);
  expect(hi).toBeCloseTo(0.8729, 4);
  // more examples → smaller error
  expect(aucStandardError(0.8, 600, 1400)).toBeLessThan(aucStandardError(0.8, 60, 140) / 3);
  expect(aucStandardError(1, 10, 10)).toBe(0);
});

test('rateDifferenceStandardError is √(p1(1−p1)/n1 + p2(1−p2)/n2)', () => {
  expect(rateDifferenceStandardError(0.5, 100, 0.5, 100)).toBeCloseTo(Math.sqrt(0.005), 12);
  expect(rateDifferenceStandardError(0.6, 50, 0.7, 150)).toBeCloseTo(Math.sqrt(0.24 / 50 + 0.21 / 150), 12);
});

test('bad input is refused with the field named', () => {
  expect(() => wilsonInterval(1.2, 10)).toThrow(/wilsonInterval: p must be a proportion in \[0, 1\], got 1.2/);
  expect(() => wilsonInterval(0.5, 0)).toThrow(/wilsonInterval: n must be a whole number ≥ 1/);
  expect(() => aucStandardError(0.8, 10.5, 3)).toThrow(/nPos/);
  expect(() => aucInterval(Number.NaN, 10, 10)).toThrow(/auc must be a proportion/);
  expect(() => rateDifferenceStandardError(0.5, 10, -0.1, 10)).toThrow(/p2/);
});
