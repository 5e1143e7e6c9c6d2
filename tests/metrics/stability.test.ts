import { mulberry32 } from '../../src/training/random';
import { populationStabilityIndex, psiBand, quantileEdges } from '../../src/metrics/stability';

/** n draws of N(mean, 1) from a seeded generator (Box–Muller). */
function normals(n: number, mean: number, seedValue: number): Float64Array {
  const rand = mulberry32(seedValue);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return out;
}

test('PSI of a small example, worked by hand: quantile bins of the reference, empty bins floored', () => {
  const reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  // 5 bins: edges at ranks 2, 4, 6, 8 → 3, 5, 7, 9; each bin holds 0.2 of the reference.
  expect(quantileEdges(reference, 5)).toEqual([3, 5, 7, 9]);
  const r = populationStabilityIndex(reference, [1, 1, 1, 1, 1, 2, 3, 4, 5, 6], { bins: 5 });
  expect(r.bins.map((b) => [b.lower, b.upper, b.expected, b.actual])).toEqual([
    [-Infinity, 3, 0.2, 0.6], [3, 5, 0.2, 0.2], [5, 7, 0.2, 0.2], [7, 9, 0.2, 0], [9, Infinity, 0.2, 0]]);
  const byHand = 0.4 * Math.log(3) + 2 * (1e-4 - 0.2) * Math.log(1e-4 / 0.2);
  expect(r.psi).toBeCloseTo(byHand, 12);
  expect(psiBand(r.psi)).toBe('major shift');
  // The same sample against itself: every term is 0.
  expect(populationStabilityIndex(reference, reference, { bins: 5 }).psi).toBe(0);
});

test('tied reference values stay in one bin: fewer bins, never an empty range', () => {
  expect(quantileEdges([0, 0, 0, 0, 0, 0, 0, 0, 1, 2], 10)).toEqual([1, 2]);
  const r = populationStabilityIndex([0, 0, 0, 0, 0, 0, 0, 0, 1, 2], [0, 1, 2, 2], { bins: 10 });
  expect(r.bins.map((b) => [b.expected, b.actual])).toEqual([[0.8, 0.25], [0.1, 0.25], [0.1, 0.5]]);
});

test('for two normals μ apart (σ = 1) PSI approaches the J-divergence μ², from below, and a fresh sample of the same law is stable', () => {
  const reference = normals(200_000, 0, 1);
  for (const mu of [0.2, 0.5, 1]) {
    const psi = populationStabilityIndex(reference, normals(200_000, mu, 2), { bins: 50 }).psi;
    // Binning can only lose divergence (data-processing inequality); 50 quantile bins keep most of it.
    expect(psi).toBeLessThan(mu * mu * 1.02);
    expect(psi).toBeGreaterThan(mu * mu * 0.9);
  }
  const same = populationStabilityIndex(reference, normals(200_000, 0, 3), { bins: 10 }).psi;
  expect(same).toBeLessThan(0.001); // sampling noise only: ≈ (bins − 1)(1/n + 1/n) = 9e-5 on average
  expect(psiBand(same)).toBe('stable');
});

test('bands at their edges, and bad input named', () => {
  expect([0, 0.0999, 0.1, 0.2499, 0.25, 3].map(psiBand)).toEqual(
    ['stable', 'stable', 'moderate shift', 'moderate shift', 'major shift', 'major shift']);
  expect(() => psiBand(-0.1)).toThrow(/psi = -0.1/);
  expect(() => populationStabilityIndex([], [1])).toThrow(/reference sample is empty/);
  expect(() => populationStabilityIndex([1, 2], [1, NaN])).toThrow(/new sample has NaN at index 1/);
  expect(() => populationStabilityIndex([1, 2], [1], { bins: 1 })).toThrow(/bins = 1/);
  expect(() => populationStabilityIndex([1, 2], [1], { floor: 0 })).toThrow(/floor = 0/);
});
