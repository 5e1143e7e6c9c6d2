import { fitTabularEncoder } from '../../src/data/tabular-encoder';

const train = [
  { color: 'red', size: 1, y: 0 },
  { color: 'blue', size: 3, y: 1 },
  { color: 'red', size: 5, y: 1 },
];

test('one-hot columns are sorted categories; numbers are standardized with the training mean and std', () => {
  const enc = fitTabularEncoder(train, { categorical: ['color'], numeric: ['size'] });
  expect(enc.featureNames).toEqual(['color=blue', 'color=red', 'size']);
  // mean 3, population std sqrt(8/3)
  expect(enc.scaling.size!.mean).toBe(3);
  expect(enc.scaling.size!.std).toBeCloseTo(Math.sqrt(8 / 3), 12);
  const m = enc.transform([{ color: 'blue', size: 3 }, { color: 'green', size: 7 }]);
  expect(m.shape).toEqual([2, 3]);
  expect(Array.from(m.data.slice(0, 3))).toEqual([1, 0, 0]);
  // unseen 'green' -> all zeros; size 7 -> (7-3)/sqrt(8/3)
  expect(Array.from(m.data.slice(3, 5))).toEqual([0, 0]);
  expect(m.data[5]).toBeCloseTo(4 / Math.sqrt(8 / 3), 5);
});

test('the statistics come from the training rows only (no leakage)', () => {
  const enc = fitTabularEncoder(train, { categorical: [], numeric: ['size'] });
  const before = { ...enc.scaling.size! };
  enc.transform([{ size: 1000 }, { size: -1000 }]);
  expect(enc.scaling.size).toEqual(before);
  // The training rows encode to mean 0, variance 1.
  const t = enc.transform(train).data;
  expect(t[0]! + t[1]! + t[2]!).toBeCloseTo(0, 6);
  expect((t[0]! ** 2 + t[1]! ** 2 + t[2]! ** 2) / 3).toBeCloseTo(1, 6);
});

test('dropFirst removes the first category; constant columns encode to 0', () => {
  const enc = fitTabularEncoder([{ c: 'a', k: 2 }, { c: 'b', k: 2 }], { categorical: ['c'], numeric: ['k'], dropFirst: true });
  expect(enc.featureNames).toEqual(['c=b', 'k']);
  expect(Array.from(enc.transform([{ c: 'a', k: 2 }]).data)).toEqual([0, 0]);
});

test('bad input names row and column', () => {
  expect(() => fitTabularEncoder(train, { categorical: ['colour'], numeric: [] })).toThrow(/column 'colour' is not in the rows/);
  expect(() => fitTabularEncoder([{ a: 'x' }], { categorical: [], numeric: ['a'] })).toThrow(/row 0: column 'a' is "x", not a number/);
  const enc = fitTabularEncoder(train, { categorical: [], numeric: ['size'] });
  expect(() => enc.transform([{ size: 1 }, { size: null }])).toThrow(/row 1: column 'size' is null/);
  expect(() => fitTabularEncoder([], { categorical: [], numeric: [] })).toThrow(/no training rows/);
});
