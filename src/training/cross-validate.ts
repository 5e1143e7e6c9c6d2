/**
 * Stratified k-fold cross-validation (分层 k 折交叉验证) with an optional **nested** choice of the
 * decision threshold (嵌套交叉验证) — the whole procedure of notebook 06, for any model.
 *
 * For each outer fold f (`stratifiedKFold(labels, k, seed)`):
 *   1. the course generator is reseeded with `seedBase + f` (the fold's fits repeat whatever ran before);
 *   2. with a cost matrix: an inner stratified `innerK`-fold split of the training part
 *      (seed `seed + 1 + f`) gives out-of-fold scores of the training rows; the threshold t_f that
 *      minimises their cost (`costMinimizingThreshold`) is fixed. Without one, t_f = 0.5;
 *   3. the model is refitted on the whole training part and scores the test part: out-of-fold
 *      scores `oof`, decisions `rejected = [score ≥ t_f]`, and the fold's ROC-AUC.
 * Fits: k · (1 + innerK) with a cost matrix, k without. Every row is scored exactly once, by a model
 * (and threshold) that never saw it.
 *
 * `crossValidate` is generic: `fit(trainIndices)` returns anything with `scores(indices)` and
 * `dispose()`. `crossValidateTabular` plugs in an encoder + logit model fitted per fold.
 *
 * ```ts
 * const cv = await crossValidateTabular(rows, y, { categorical: [...], numeric: [...] }, spec,
 *   { k: 5, seed: 42, innerK: 4, cost: credit.costMatrix });
 * cv.foldAuc;      // 5 test-fold ROC-AUCs
 * cv.oof;          // Float64Array: one out-of-fold P(bad) per row
 * cv.thresholds;   // the 5 thresholds chosen inside the training folds
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { Dense } from '../data/dense';
import { Fold, stratifiedKFold } from '../data/kfold';
import { TabularEncoderSpec, TabularRow } from '../data/tabular-encoder';
import { CostMatrix, costMinimizingThreshold } from '../metrics/credit-metrics';
import { rocAuc } from '../metrics/roc';
import { progress } from '../notebook/progress';
import { FittedTabularLogit, fitTabularLogit, LogitModelSpec, predictLogitProbability } from './logit-model';
import { seed } from './random';

/** What `fit` returns: a model that scores rows by index, and frees itself. */
export interface FoldScorer {
  /** One score per index (higher = more likely class 1). */
  scores(indices: readonly number[]): ArrayLike<number>;
  dispose(): void;
}

export interface CrossValidationOptions<F extends FoldScorer = FoldScorer> {
  /** Outer folds (integer ≥ 2). */
  k: number;
  /** Seed of the outer split; inner splits use seed + 1 + fold. */
  seed: number;
  /** Inner folds for the cost-minimizing threshold (used when `cost` is given; ≥ 2). */
  innerK?: number;
  /** Cost matrix [[good→good, good→bad], [bad→good, bad→bad]]: choose each fold's threshold by nested CV. */
  cost?: CostMatrix;
  /** The course generator is reseeded with seedBase + fold before each outer fold (default 1000). */
  seedBase?: number;
  /** Label of the progress bar (default 'cross-validation'). */
  label?: string;
  /** Called with each outer fold's fitted model and its test indices, before the model is disposed. */
  afterFold?: (fold: number, fitted: F, testIndices: readonly number[]) => void;
}

export interface CrossValidationResult {
  /** Out-of-fold score per row. */
  oof: Float64Array;
  /** 1 = score ≥ its fold's threshold. */
  rejected: Uint8Array;
  /** ROC-AUC of each test fold. */
  foldAuc: number[];
  /** The threshold of each fold (0.5 without a cost matrix). */
  thresholds: number[];
  /** The outer folds. */
  folds: Fold[];
  /** Models fitted in all. */
  fits: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Cross-validate any model: `fit(trainIndices)` is called k (· (1 + innerK)) times; see the module doc. */
export async function crossValidate<F extends FoldScorer>(labels: ArrayLike<number>, fit: (trainIndices: readonly number[]) => F,
  options: CrossValidationOptions<F>): Promise<CrossValidationResult> {
  const { k, cost, seedBase = 1000, label = 'cross-validation' } = options;
  const innerK = cost ? options.innerK : 0;
  if (cost && (innerK === undefined || !Number.isInteger(innerK) || innerK < 2)) {
    throw new Error(`crossValidate: innerK = ${String(options.innerK)}; a cost matrix needs innerK ≥ 2 inner folds to choose the threshold`);
  }
  const start = Date.now();
  const outer = stratifiedKFold(labels, k, options.seed);
  const fits = k * (1 + (innerK ?? 0));
  const bar = progress({ total: fits, label, unit: 'fit' });
  let done = 0;
  const labelsOf = (idx: readonly number[]): number[] => idx.map((i) => labels[i]!);
  const oof = new Float64Array(labels.length);
  const rejected = new Uint8Array(labels.length);
  const foldAuc: number[] = [];
  const thresholds: number[] = [];
  for (const [f, fold] of outer.entries()) {
    seed(seedBase + f);
    let threshold = 0.5;
    if (cost) {
      const trainY = labelsOf(fold.train);
      const innerScores = new Float64Array(fold.train.length);
      for (const inner of stratifiedKFold(trainY, innerK!, options.seed + 1 + f)) {
        const fitted = fit(inner.train.map((j) => fold.train[j]!));
        const p = fitted.scores(inner.test.map((j) => fold.train[j]!));
        inner.test.forEach((j, r) => { innerScores[j] = p[r]!; });
        fitted.dispose();
        bar.update(++done);
        await tf.nextFrame();
      }
      threshold = costMinimizingThreshold(trainY, innerScores, cost).threshold;
    }
    const fitted = fit(fold.train);
    const p = fitted.scores(fold.test);
    fold.test.forEach((i, r) => { oof[i] = p[r]!; rejected[i] = p[r]! >= threshold ? 1 : 0; });
    foldAuc.push(rocAuc(labelsOf(fold.test), p));
    thresholds.push(threshold);
    options.afterFold?.(f, fitted, fold.test);
    fitted.dispose();
    bar.update(++done, { AUC: foldAuc[f]! });
    await tf.nextFrame();
  }
  const seconds = (Date.now() - start) / 1000;
  bar.done(`${label}: ${fits} fits in ${seconds.toFixed(1)} s, fold AUC ${foldAuc.map((a) => a.toFixed(3)).join(' ')}`);
  return { oof, rejected, foldAuc, thresholds, folds: outer, fits, seconds };
}

/** A fold's fitted encoder + logit model, as `crossValidateTabular` hands it to `afterFold`. */
export type TabularFoldModel = FittedTabularLogit & FoldScorer;

export interface TabularCrossValidationOptions extends Omit<CrossValidationOptions, 'afterFold' | 'label'> {
  /** Called with each outer fold's fitted model, its encoded test part (`[rows, cols]`) and test labels, before the model is disposed. */
  afterFold?: (fold: number, fitted: FittedTabularLogit, test: Dense, testY: number[]) => void;
}

export interface TabularCrossValidationResult extends CrossValidationResult {
  spec: LogitModelSpec;
}

/**
 * Cross-validate a logit model on table rows: the encoder (one-hot, standardisation) and the model
 * are fitted on each training part only (`fitTabularLogit`); scores are P(class 1).
 */
export async function crossValidateTabular(rows: readonly TabularRow[], labels: ArrayLike<number>, features: TabularEncoderSpec,
  spec: LogitModelSpec, options: TabularCrossValidationOptions): Promise<TabularCrossValidationResult> {
  if (rows.length !== labels.length) throw new Error(`crossValidateTabular: ${rows.length} rows but ${labels.length} labels`);
  const pick = (idx: readonly number[]): TabularRow[] => idx.map((i) => rows[i]!);
  const fit = (train: readonly number[]): TabularFoldModel => {
    const fitted = fitTabularLogit(pick(train), train.map((i) => labels[i]!), features, spec);
    return {
      ...fitted,
      scores: (idx) => predictLogitProbability(fitted.model, fitted.encoder.transform(pick(idx))),
      dispose: () => fitted.model.dispose(),
    };
  };
  const { afterFold, ...rest } = options;
  const result = await crossValidate(labels, fit, {
    ...rest,
    label: spec.name,
    afterFold: afterFold && ((f, fitted, test) => afterFold(f, fitted, fitted.encoder.transform(pick(test)), test.map((i) => labels[i]!))),
  });
  return { ...result, spec };
}
