import { stratifiedFoldAssignment, stratifiedKFold } from '../../src/data/kfold';

const count = (idx: number[], labels: number[], c: number): number => idx.filter((i) => labels[i] === c).length;

test('5 folds of 5 + 5 examples: each test fold holds one example of each class', () => {
  const labels = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1];
  const folds = stratifiedKFold(labels, 5, 42);
  expect(folds).toHaveLength(5);
  for (const f of folds) {
    expect(f.test).toHaveLength(2);
    expect(count(f.test, labels, 0)).toBe(1);
    expect(count(f.test, labels, 1)).toBe(1);
    expect(f.train).toHaveLength(8);
  }
});

test('the deal continues across classes: 7 + 3 examples in 5 folds give sizes 2, 2, 2, 2, 2', () => {
  // Class 0 (7 examples) goes to folds 0,1,2,3,4,0,1; class 1 (3) continues at folds 2,3,4.
  const labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
  const folds = stratifiedKFold(labels, 5, 1);
  expect(folds.map((f) => f.test.length)).toEqual([2, 2, 2, 2, 2]);
  expect(folds.map((f) => count(f.test, labels, 1))).toEqual([0, 0, 1, 1, 1]);
  expect(folds.map((f) => count(f.test, labels, 0))).toEqual([2, 2, 1, 1, 1]);
});

test('test folds partition the indices; train is the complement; both ascending', () => {
  const labels = Array.from({ length: 103 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 30 % positive, like German Credit
  const folds = stratifiedKFold(labels, 5, 7);
  const seen = new Array<number>(labels.length).fill(0);
  for (const f of folds) {
    for (const i of f.test) seen[i]!++;
    expect(f.train.length + f.test.length).toBe(labels.length);
    const test = new Set(f.test);
    expect(f.train.some((i) => test.has(i))).toBe(false);
    expect(f.test).toEqual([...f.test].sort((a, b) => a - b));
    expect(f.train).toEqual([...f.train].sort((a, b) => a - b));
    // 31 positives / 72 negatives over 5 folds: 6 or 7 positives and 14 or 15 negatives per fold.
    expect(count(f.test, labels, 1)).toBeGreaterThanOrEqual(6);
    expect(count(f.test, labels, 1)).toBeLessThanOrEqual(7);
    expect(count(f.test, labels, 0)).toBeGreaterThanOrEqual(14);
    expect(count(f.test, labels, 0)).toBeLessThanOrEqual(15);
  }
  expect(seen.every((s) => s === 1)).toBe(true);
  const sizes = folds.map((f) => f.test.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
});

test('seeded: the same seed gives the same folds, another seed other folds; the row order of classes does not matter', () => {
  const labels = Array.from({ length: 50 }, (_, i) => i % 3);
  expect(stratifiedKFold(labels, 4, 3)).toEqual(stratifiedKFold(labels, 4, 3));
  expect(stratifiedKFold(labels, 4, 3)).not.toEqual(stratifiedKFold(labels, 4, 4));
  const a = stratifiedFoldAssignment(labels, 4, 3);
  expect(Array.from(new Set(a)).sort()).toEqual([0, 1, 2, 3]);
  expect(a).toHaveLength(50);
  // Math.random is not consumed.
  const before = Math.random;
  stratifiedKFold(labels, 4, 3);
  expect(Math.random).toBe(before);
});

test('bad k is an error that says why', () => {
  expect(() => stratifiedKFold([0, 1, 0], 1)).toThrow(/k >= 2/);
  expect(() => stratifiedKFold([0, 1, 0], 2.5)).toThrow(/k >= 2/);
  expect(() => stratifiedKFold([0, 1, 0], 4)).toThrow(/cannot exceed the number of examples/);
  expect(() => stratifiedKFold([0, Number.NaN, 0], 2)).toThrow(/index 1/);
});
