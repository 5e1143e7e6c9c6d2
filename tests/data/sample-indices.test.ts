import { countPerClass, firstPerClassIndices, stratifiedHoldoutIndices, stratifiedSampleIndices } from '../../src/data/sample-indices';
import { random, seed } from '../../src/training/random';

// 1000 labels: class 0 ×600, 1 ×300, 2 ×100, interleaved.
const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2));

test('a stratified sample keeps the class proportions, is ascending, unique and seeded', () => {
  const s = stratifiedSampleIndices(labels, 100, 7);
  expect(s).toHaveLength(100);
  expect(new Set(s).size).toBe(100);
  expect(s).toEqual([...s].sort((a, b) => a - b));
  expect(countPerClass(s.map((i) => labels[i]!), 3)).toEqual([60, 30, 10]);
  expect(stratifiedSampleIndices(labels, 100, 7)).toEqual(s);
  expect(stratifiedSampleIndices(labels, 100, 8)).not.toEqual(s);
  expect(stratifiedSampleIndices(labels, 0.05, 7)).toHaveLength(50);
});

test('uneven sizes are rounded by largest remainder and the total is exact', () => {
  const s = stratifiedSampleIndices(labels, 7, 1);
  expect(s).toHaveLength(7);
  expect(countPerClass(s.map((i) => labels[i]!), 3)).toEqual([4, 2, 1]);
});

test('it does not touch the course-wide generator', () => {
  seed(3);
  const expected = random();
  seed(3);
  stratifiedSampleIndices(labels, 100, 1);
  expect(random()).toBe(expected);
  seed(null);
});

test('holdout: disjoint, covering, stratified', () => {
  const { keep, holdout } = stratifiedHoldoutIndices(labels, 0.2, 3);
  expect(holdout).toHaveLength(200);
  expect(keep).toHaveLength(800);
  expect(new Set([...keep, ...holdout]).size).toBe(1000);
  expect(countPerClass(holdout.map((i) => labels[i]!), 3)).toEqual([120, 60, 20]);
  expect(() => stratifiedHoldoutIndices(labels, 1001)).toThrow(/1001 must be a count from 0 to 1000/);
});

test('firstPerClassIndices takes the first n of each class in order', () => {
  expect(firstPerClassIndices([2, 0, 0, 1, 0, 2, 1, 1], 2)).toEqual([0, 1, 2, 3, 5, 6]);
});
