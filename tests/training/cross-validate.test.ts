import * as tf from '@tensorflow/tfjs';
import { crossValidate, crossValidateTabular, FoldScorer } from '../../src/training/cross-validate';
import { LogitModelSpec } from '../../src/training/logit-model';
import { colsOf, rowsOf } from '../../src/data/dense';
import { stratifiedKFold } from '../../src/data/kfold';
import { costMinimizingThreshold } from '../../src/metrics/credit-metrics';
import { rocAuc } from '../../src/metrics/roc';

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
});

// 20 rows: a fixed noisy score that ranks most bad rows (label 1) high.
const labels = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
const feature = [0.1, 0.2, 0.15, 0.3, 0.7, 0.05, 0.25, 0.4, 0.12, 0.33, 0.22, 0.6, 0.18, 0.08, 0.9, 0.8, 0.35, 0.95, 0.65, 0.85];
const COST = [[0, 1], [5, 0]];

/** A "model" that ignores its training rows and scores each row by the fixed feature; counts its fits. */
function oracle(): { fit: (train: readonly number[]) => FoldScorer; fitted: (readonly number[])[]; disposed: () => number } {
  const fitted: (readonly number[])[] = [];
  let disposed = 0;
  return {
    fit: (train) => {
      fitted.push(train);
      return { scores: (idx) => idx.map((i) => feature[i]!), dispose: () => { disposed++; } };
    },
    fitted,
    disposed: () => disposed,
  };
}

test('without a cost matrix: k fits, each row scored once, the fold AUCs of the test parts, thresholds 0.5', async () => {
  const o = oracle();
  const folds = stratifiedKFold(labels, 4, 7);
  const seen: number[][] = [];
  const cv = await crossValidate(labels, o.fit, { k: 4, seed: 7, afterFold: (f, _m, test) => seen.push([f, test.length]) });
  expect(cv.fits).toBe(4);
  expect(o.fitted.map((t) => t.join())).toEqual(folds.map((f) => f.train.join()));
  expect(o.disposed()).toBe(4);
  expect(Array.from(cv.oof)).toEqual(feature);
  expect(cv.foldAuc).toEqual(folds.map((f) => rocAuc(f.test.map((i) => labels[i]!), f.test.map((i) => feature[i]!))));
  expect(cv.thresholds).toEqual([0.5, 0.5, 0.5, 0.5]);
  expect(Array.from(cv.rejected)).toEqual(feature.map((v) => (v >= 0.5 ? 1 : 0)));
  expect(seen).toEqual([[0, 5], [1, 5], [2, 5], [3, 5]]);
  expect(cv.folds.map((f) => f.test.join())).toEqual(folds.map((f) => f.test.join()));
});

test('with a cost matrix: innerK + 1 fits per fold, and each threshold minimises the cost of the inner out-of-fold scores', async () => {
  const o = oracle();
  const cv = await crossValidate(labels, o.fit, { k: 4, seed: 7, innerK: 2, cost: COST });
  expect(cv.fits).toBe(12);
  expect(o.fitted).toHaveLength(12);
  const folds = stratifiedKFold(labels, 4, 7);
  folds.forEach((fold, f) => {
    // The oracle's inner out-of-fold scores are the feature itself, so the threshold is the one chosen on it.
    const trainY = fold.train.map((i) => labels[i]!);
    const expected = costMinimizingThreshold(trainY, fold.train.map((i) => feature[i]!), COST).threshold;
    expect(cv.thresholds[f]).toBe(expected);
    for (const i of fold.test) expect(cv.rejected[i]).toBe(feature[i]! >= expected ? 1 : 0);
  });
  // Every inner training part lies inside its outer training part.
  expect(o.fitted.slice(0, 2).every((t) => t.every((i) => folds[0]!.train.includes(i)))).toBe(true);
});

test('a cost matrix without inner folds is refused with the fix', async () => {
  await expect(crossValidate(labels, oracle().fit, { k: 4, seed: 7, cost: COST })).rejects.toThrow(/needs innerK ≥ 2/);
});

test('crossValidateTabular: encoder and logistic model per fold learn a categorical signal', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ colour: i % 4 === 0 ? 'red' : 'blue', size: (i * 7) % 11 }));
  const y = Int32Array.from(rows, (r) => (r.colour === 'red' ? 1 : 0));
  const spec: LogitModelSpec = { name: 'logistic', hidden: 0, dropout: 0, l2: 0.001, steps: 100, learningRate: 0.1 };
  const encodedWidths: number[] = [];
  const cv = await crossValidateTabular(rows, y, { categorical: ['colour'], numeric: ['size'] }, spec, {
    k: 5, seed: 1, afterFold: (_f, fitted, test, testY) => { encodedWidths.push(colsOf(test)); expect(testY).toHaveLength(rowsOf(test)); expect(fitted.encoder.featureNames).toHaveLength(3); },
  });
  expect(cv.spec).toBe(spec);
  expect(cv.fits).toBe(5);
  expect(cv.foldAuc).toEqual([1, 1, 1, 1, 1]);
  expect(encodedWidths).toEqual([3, 3, 3, 3, 3]);
  expect(Array.from(cv.rejected)).toEqual(Array.from(y));
  await expect(crossValidateTabular(rows.slice(1), y, { categorical: ['colour'], numeric: [] }, spec, { k: 5, seed: 1 })).rejects.toThrow(/39 rows but 40 labels/);
});
