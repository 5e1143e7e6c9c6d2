/**
 * A random forest for binary credit data (随机森林), a typed wrapper around `ml-random-forest` (mljs, MIT), whose trees
 * are `ml-cart`'s CART classification trees (Gini impurity). The library does the trees; this file only fixes the
 * options the course uses, takes the course's `Dense` matrices and returns P(class 1) as the share of trees voting 1.
 *
 * Two things of the library a reader should know:
 * - `maxFeatures` draws one subset of the columns **per tree** (the random-subspace method, Ho 1998), not per split as
 *   in Breiman's (2001) forest; with `bootstrap: true` each tree also sees its own bootstrap sample of the rows.
 * - the library's own `predictProbability` (2.1.0) starts its vote count from the first tree's label, so
 *   `forestProbability` counts the votes itself from `predictionValues`.
 */
import { RandomForestClassifier } from 'ml-random-forest';
import type { Dense } from '../data/dense';
import { colsOf, rowsOf } from '../data/dense';

/** The settings of a forest; each has the default the course uses. */
export interface RandomForestOptions {
  /** Trees in the forest (default 100). */
  trees?: number;
  /** Share of the columns each tree may use, in (0, 1] (default 0.5); 1 = every tree sees all columns. */
  featureShare?: number;
  /** Deepest level a tree may grow to (default 8). */
  maxDepth?: number;
  /** A node with at most this many rows becomes a leaf (default 5). */
  minLeafRows?: number;
  /** Each tree trains on a bootstrap sample of the rows (default true). */
  bootstrap?: boolean;
  /** Seed of the library's generator for rows and columns (a 32-bit integer; default 42). */
  seed?: number;
}

/** A trained forest and the number of columns it expects. */
export interface FittedRandomForest {
  model: RandomForestClassifier;
  columns: number;
  options: Required<RandomForestOptions>;
}

const DEFAULTS: Required<RandomForestOptions> = { trees: 100, featureShare: 0.5, maxDepth: 8, minLeafRows: 5, bootstrap: true, seed: 42 };

/** The rows of a `[rows, cols]` matrix as plain arrays, the form the library takes. */
function toRows(x: Dense<ArrayLike<number>>): number[][] {
  const n = rowsOf(x);
  const c = colsOf(x);
  const out: number[][] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = Array.from({ length: c }, (_, j) => Number(x.data[i * c + j]));
  return out;
}

/**
 * Train a seeded random forest on `x` `[n, d]` with 0/1 labels `y` (length n).
 * The same `seed`, data and options give the same trees.
 *
 * ```ts
 * const forest = fitRandomForest(encoder.transform(trainRows), trainY, { trees: 100, seed: 7 });
 * const p = forestProbability(forest, encoder.transform(testRows)); // Float64Array, P(bad) per test row
 * ```
 * @throws if the labels are not 0/1, do not match the rows, or only one class is present.
 */
export function fitRandomForest(x: Dense<ArrayLike<number>>, y: ArrayLike<number>, options: RandomForestOptions = {}): FittedRandomForest {
  const o: Required<RandomForestOptions> = { ...DEFAULTS, ...options };
  const n = rowsOf(x);
  if (y.length !== n) throw new Error(`fitRandomForest: ${y.length} labels for ${n} rows`);
  const labels = Array.from(y, Number);
  if (labels.some((v) => v !== 0 && v !== 1)) throw new Error('fitRandomForest: labels must be 0 or 1');
  if (!labels.includes(0) || !labels.includes(1)) throw new Error('fitRandomForest: both classes must be present');
  if (!(o.featureShare > 0 && o.featureShare <= 1)) throw new Error(`fitRandomForest: featureShare ${o.featureShare} is not in (0, 1]`);
  const columns = colsOf(x);
  const model = new RandomForestClassifier({
    nEstimators: o.trees,
    // The library reads an integer as a count and a fraction as a share: 1 would mean one column.
    maxFeatures: o.featureShare === 1 ? columns : Math.max(1, Math.floor(o.featureShare * columns)),
    replacement: false,
    useSampleBagging: o.bootstrap,
    noOOB: true,
    seed: o.seed,
    treeOptions: { maxDepth: o.maxDepth, minNumSamples: o.minLeafRows },
  });
  model.train(toRows(x), labels);
  return { model, columns, options: o };
}

/**
 * P(class 1) for each row of `x` `[m, d]`: the share of the forest's trees that vote 1 (a multiple of 1/trees).
 * @throws if `x` has another number of columns than the training data.
 */
export function forestProbability(forest: FittedRandomForest, x: Dense<ArrayLike<number>>): Float64Array {
  if (colsOf(x) !== forest.columns) throw new Error(`forestProbability: ${colsOf(x)} columns, the forest was trained on ${forest.columns}`);
  const votes = forest.model.predictionValues(toRows(x));
  const out = new Float64Array(votes.rows);
  for (let i = 0; i < votes.rows; i++) {
    const row = votes.getRow(i);
    let ones = 0;
    for (const v of row) if (v === 1) ones++;
    out[i] = ones / row.length;
  }
  return out;
}
