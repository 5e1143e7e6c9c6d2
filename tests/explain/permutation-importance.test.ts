import { colsOf, Dense, denseMatrix, rowsOf } from '../../src/data/dense';
import { groupColumnsByAttribute, permutationImportance } from '../../src/explain/permutation-importance';
import { mulberry32 } from '../../src/training/random';

// A toy data set: y = [x0 > 0]; x1 is noise the model never reads; x2 + x3 are a one-hot pair.
const rows = 200;
const rand = mulberry32(5);
const data = new Float32Array(rows * 4);
const y: number[] = [];
for (let i = 0; i < rows; i++) {
  const x0 = rand() * 2 - 1;
  data[i * 4] = x0;
  data[i * 4 + 1] = rand() * 2 - 1;
  const hot = rand() < 0.5 ? 2 : 3;
  data[i * 4 + hot] = 1;
  y.push(x0 > 0 ? 1 : 0);
}
const x = denseMatrix(data, rows, 4);
/** Accuracy of the rule "positive when x0 > 0" — it ignores every other column. */
const accuracy = (m: Dense): number => {
  let ok = 0;
  for (let i = 0; i < rowsOf(m); i++) if ((m.data[i * colsOf(m)]! > 0 ? 1 : 0) === y[i]) ok++;
  return ok / rowsOf(m);
};

test('a feature the model ignores has importance exactly 0; the one it uses about 0.5 (accuracy 1 -> chance)', () => {
  const r = permutationImportance(x, accuracy, { repeats: 10, seed: 3, featureNames: ['x0', 'noise', 'a=p', 'a=q'] });
  expect(r.baseline).toBe(1);
  const byName = Object.fromEntries(r.importances.map((f) => [f.feature, f]));
  expect(byName.noise!.drops).toEqual(new Array(10).fill(0));
  expect(byName.noise!.mean).toBe(0);
  expect(byName.noise!.std).toBe(0);
  expect(byName['a=p']!.mean).toBe(0);
  expect(byName.x0!.mean).toBeGreaterThan(0.35);
  expect(byName.x0!.mean).toBeLessThan(0.65);
  expect(byName.x0!.drops).toHaveLength(10);
  expect(r.importances[0]!.feature).toBe('x0'); // sorted, most important first
});

test('groups move together; the input is not modified; the same seed gives the same drops', () => {
  const before = Float32Array.from(data);
  const groups = groupColumnsByAttribute(['x0', 'noise', 'a=p', 'a=q']);
  expect(groups).toEqual({ x0: [0], noise: [1], a: [2, 3] });
  // A score that checks each row still has exactly one of the pair: a joint permutation keeps it.
  const seen: number[] = [];
  const score = (m: Dense): number => {
    for (let i = 0; i < rowsOf(m); i++) seen.push(m.data[i * 4 + 2]! + m.data[i * 4 + 3]!);
    return accuracy(m);
  };
  const r1 = permutationImportance(x, score, { groups, repeats: 3, seed: 9 });
  expect(seen.every((v) => v === 1)).toBe(true);
  expect(Array.from(data)).toEqual(Array.from(before));
  const r2 = permutationImportance(x, accuracy, { groups, repeats: 3, seed: 9 });
  expect(r2).toEqual(r1);
  const r3 = permutationImportance(x, accuracy, { groups, repeats: 3, seed: 10 });
  expect(r3.importances.find((f) => f.feature === 'x0')!.drops).not.toEqual(r1.importances.find((f) => f.feature === 'x0')!.drops);
});

test('mean and std of the drops, by hand for a score that counts rows left in place', () => {
  // 2 rows: a permutation either keeps (drop 0) or swaps them (score of column 0 = [x00 == 1]: 1 -> 0, drop 1).
  const m = denseMatrix(Float32Array.from([1, 0]), 2, 1);
  const r = permutationImportance(m, (w) => (w.data[0] === 1 ? 1 : 0), { repeats: 8, seed: 1 });
  const drops = r.importances[0]!.drops;
  expect(drops.every((d) => d === 0 || d === 1)).toBe(true);
  const k = drops.filter((d) => d === 1).length;
  expect(r.importances[0]!.mean).toBeCloseTo(k / 8, 12);
  expect(r.importances[0]!.std).toBeCloseTo(Math.sqrt((k / 8) * (1 - k / 8)), 12);
});

test('bad input is an error that says why', () => {
  expect(() => permutationImportance({ data: new Float32Array(3), shape: [2, 2] }, () => 1)).toThrow(/3 values are not 2 rows × 2 columns/);
  expect(() => permutationImportance(x, accuracy, { repeats: 0 })).toThrow(/repeats = 0/);
  expect(() => permutationImportance(x, accuracy, { groups: { a: [4] } })).toThrow(/column 4, outside 0..3/);
  expect(() => permutationImportance(x, accuracy, { featureNames: ['a'] })).toThrow(/1 feature names for 4 columns/);
  expect(() => permutationImportance(x, () => Number.NaN)).toThrow(/baseline score is NaN/);
});
