/**
 * Closed-form confidence intervals (置信区间) — the quick companions of the bootstrap
 * (`bootstrap.ts`), for when a formula is known:
 *
 * - `wilsonInterval(p, n)` — a proportion (accuracy, recall) measured on n examples (Wilson 1927):
 *   centre (p + z²/2n) / (1 + z²/n), half-width z·√(p(1−p)/n + z²/4n²) / (1 + z²/n). Unlike
 *   p ± z·√(p(1−p)/n) it stays inside [0, 1] and is not empty at p = 0 or 1.
 * - `aucStandardError(auc, nPos, nNeg)` — Hanley & McNeil (1982): with Q1 = A/(2−A) and
 *   Q2 = 2A²/(1+A), SE² = (A(1−A) + (nPos−1)(Q1−A²) + (nNeg−1)(Q2−A²)) / (nPos·nNeg);
 *   `aucInterval` gives A ± z·SE.
 * - `rateDifferenceStandardError(p1, n1, p2, n2)` — of the difference of two independent rates,
 *   √(p1(1−p1)/n1 + p2(1−p2)/n2) (e.g. the approval rates of two groups).
 *
 * ```ts
 * wilsonInterval(0.95, 100);        // [0.888, 0.978]: 95 of 100 right
 * aucStandardError(0.8, 60, 140);   // 0.0372
 * aucInterval(0.8, 60, 140);        // [0.727, 0.873]
 * ```
 */

function checkCount(fn: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: ${name} must be a whole number ≥ 1 (a count of examples), got ${n}`);
}

function checkProbability(fn: string, name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${fn}: ${name} must be a proportion in [0, 1], got ${p}`);
}

/**
 * The Wilson score interval of a proportion `p` measured on `n` examples, at `z` standard normal
 * quantiles (1.96 → 95 %). @returns `[lower, upper]`, inside [0, 1].
 */
export function wilsonInterval(p: number, n: number, z = 1.96): [number, number] {
  checkProbability('wilsonInterval', 'p', p);
  checkCount('wilsonInterval', 'n', n);
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [centre - half, centre + half];
}

/** Hanley & McNeil (1982): the standard error of an ROC-AUC from `nPos` positives and `nNeg` negatives. */
export function aucStandardError(auc: number, nPos: number, nNeg: number): number {
  checkProbability('aucStandardError', 'auc', auc);
  checkCount('aucStandardError', 'nPos', nPos);
  checkCount('aucStandardError', 'nNeg', nNeg);
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  return Math.sqrt((auc * (1 - auc) + (nPos - 1) * (q1 - auc * auc) + (nNeg - 1) * (q2 - auc * auc)) / (nPos * nNeg));
}

/** `auc ± z · aucStandardError` (Hanley–McNeil), `[lower, upper]` (not clipped to [0, 1]). */
export function aucInterval(auc: number, nPos: number, nNeg: number, z = 1.96): [number, number] {
  const se = aucStandardError(auc, nPos, nNeg);
  return [auc - z * se, auc + z * se];
}

/** The standard error of p1 − p2 for two independent rates p1 (of n1) and p2 (of n2). */
export function rateDifferenceStandardError(p1: number, n1: number, p2: number, n2: number): number {
  checkProbability('rateDifferenceStandardError', 'p1', p1);
  checkProbability('rateDifferenceStandardError', 'p2', p2);
  checkCount('rateDifferenceStandardError', 'n1', n1);
  checkCount('rateDifferenceStandardError', 'n2', n2);
  return Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
}
