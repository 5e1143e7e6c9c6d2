/**
 * Stratified k-fold cross-validation splits (分层 k 折交叉验证).
 *
 * The examples of each class are shuffled (seeded) and dealt round-robin into k folds, the deal
 * continuing from one class to the next, so every fold gets the class proportions of the whole
 * set (to within one example per class) and the fold sizes differ by at most one. Fold f is the
 * test part of round f; the other k − 1 folds are its training part. Every example is tested
 * exactly once, which is what makes "out-of-fold" predictions (每个样本恰好预测一次) possible.
 *
 * Like `stratifiedSampleIndices`, the split uses a private Mulberry32 generator seeded by `seed`:
 * the same call gives the same folds, and the course-wide generator of `seed()` is not touched.
 *
 * ```ts
 * const folds = stratifiedKFold([0, 0, 0, 0, 1, 1, 1, 1, 0, 1], 5, 42);
 * folds.length;          // 5
 * folds[0];              // { train: [8 indices, ascending], test: [2 indices, one of each class] }
 * ```
 */
import { mulberry32, shuffle } from '../training/random';

/** One round of k-fold cross-validation: indices into the data set, both ascending. */
export interface Fold {
  train: number[];
  test: number[];
}

/**
 * The fold number (0..k−1) of every example: `assignment[i]` is the round in which example i is
 * in the test part. Stratified by `labels` (any numbers as class ids), seeded.
 */
export function stratifiedFoldAssignment(labels: ArrayLike<number>, k: number, seedValue = 42): Int32Array {
  const n = labels.length;
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedKFold: k = ${k}; use an integer k >= 2`);
  if (k > n) throw new Error(`stratifiedKFold: k = ${k} folds for ${n} examples; k cannot exceed the number of examples`);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!Number.isFinite(c)) throw new Error(`stratifiedKFold: label ${c} at index ${i} is not a finite number`);
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(i);
  }
  const rand = mulberry32(seedValue);
  const assignment = new Int32Array(n);
  let next = 0;
  // Classes in ascending order of their id, so the result does not depend on the order of rows.
  for (const c of [...groups.keys()].sort((a, b) => a - b)) {
    for (const i of shuffle(groups.get(c)!, rand)) {
      assignment[i] = next;
      next = (next + 1) % k;
    }
  }
  return assignment;
}

/**
 * Stratified k-fold splits: `k` rounds of `{ train, test }` index lists (ascending). The test
 * parts are disjoint and cover every index once; each keeps the class proportions of `labels`.
 * A class with fewer than k examples is allowed (some test folds then lack it), as in
 * scikit-learn's `StratifiedKFold` — but metrics such as ROC-AUC need both classes in each fold.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seedValue = 42): Fold[] {
  const assignment = stratifiedFoldAssignment(labels, k, seedValue);
  const folds: Fold[] = Array.from({ length: k }, () => ({ train: [], test: [] }));
  for (let i = 0; i < assignment.length; i++) {
    const f = assignment[i]!;
    for (let r = 0; r < k; r++) (r === f ? folds[r]!.test : folds[r]!.train).push(i);
  }
  return folds;
}
