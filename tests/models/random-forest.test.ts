import { denseMatrix } from '../../src/data/dense';
import { fitRandomForest, forestProbability } from '../../src/models/random-forest';

/** A seeded generator, so that the data sets are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n rows × 3 columns; the label is 1 exactly when column 0 exceeds 0.5, and no row has column 0 in (0.4, 0.6): a margin
 * around the boundary (columns 1–2 are noise). */
function separable(n: number, seed: number) {
  const r = lcg(seed);
  const data = new Float32Array(n * 3);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) data[i * 3 + j] = r();
    data[i * 3] = data[i * 3]! < 0.5 ? 0.8 * data[i * 3]! : 0.2 + 0.8 * data[i * 3]!;
    y.push(data[i * 3]! > 0.5 ? 1 : 0);
  }
  return { x: denseMatrix(data, n, 3), y };
}

/** n rows × 4 columns of noise with labels drawn at P(1) = 0.3 + 0.4·column 0: trees differ from seed to seed. */
function noisy(n: number, seed: number) {
  const r = lcg(seed);
  const data = new Float32Array(n * 4);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) data[i * 4 + j] = r();
    y.push(r() < 0.3 + 0.4 * data[i * 4]! ? 1 : 0);
  }
  return { x: denseMatrix(data, n, 4), y };
}

test('a forest separates a hand-made separable set: every tree votes right on every training and new row', () => {
  const train = separable(120, 1);
  // Every tree sees all 3 columns and its own bootstrap sample; any split on column 0 inside the margin is perfect.
  const forest = fitRandomForest(train.x, train.y, { trees: 15, featureShare: 1, seed: 3 });
  const pTrain = forestProbability(forest, train.x);
  expect(Array.from(pTrain)).toEqual(train.y);
  // New rows outside the margin: all trees agree.
  const test = denseMatrix(Float32Array.from([0.1, 0.5, 0.5, 0.9, 0.5, 0.5, 0.35, 0.9, 0.1, 0.65, 0.1, 0.9]), 4, 3);
  expect(Array.from(forestProbability(forest, test))).toEqual([0, 1, 0, 1]);
});

test('probabilities are shares of trees voting 1: in [0, 1], multiples of 1/trees, higher where P(1) is higher', () => {
  const { x, y } = noisy(300, 5);
  const forest = fitRandomForest(x, y, { trees: 20, seed: 11, maxDepth: 4 });
  const p = forestProbability(forest, x);
  expect(p.length).toBe(300);
  for (const v of p) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
    expect(Math.abs(v * 20 - Math.round(v * 20))).toBeLessThan(1e-9);
  }
  // The mean probability of the rows with column 0 above 0.5 exceeds that of the rows below.
  let hi = 0, nHi = 0, lo = 0, nLo = 0;
  for (let i = 0; i < 300; i++) {
    if (x.data[i * 4]! > 0.5) { hi += p[i]!; nHi++; } else { lo += p[i]!; nLo++; }
  }
  expect(hi / nHi).toBeGreaterThan(lo / nLo);
});

test('the same seed gives identical predictions; another seed grows other trees', () => {
  const { x, y } = noisy(200, 9);
  const a = forestProbability(fitRandomForest(x, y, { trees: 10, seed: 1 }), x);
  const b = forestProbability(fitRandomForest(x, y, { trees: 10, seed: 1 }), x);
  const c = forestProbability(fitRandomForest(x, y, { trees: 10, seed: 2 }), x);
  expect(Array.from(b)).toEqual(Array.from(a));
  expect(Array.from(c)).not.toEqual(Array.from(a));
});

test('bad inputs are refused with the reason', () => {
  const { x, y } = separable(20, 2);
  expect(() => fitRandomForest(x, y.slice(1))).toThrow('19 labels for 20 rows');
  expect(() => fitRandomForest(x, y.map(() => 0))).toThrow('both classes');
  expect(() => fitRandomForest(x, y.map((v) => 2 * v))).toThrow('0 or 1');
  expect(() => fitRandomForest(x, y, { featureShare: 0 })).toThrow('featureShare');
  const forest = fitRandomForest(x, y, { trees: 2 });
  expect(() => forestProbability(forest, denseMatrix(new Float32Array(4), 2, 2))).toThrow('2 columns, the forest was trained on 3');
});
