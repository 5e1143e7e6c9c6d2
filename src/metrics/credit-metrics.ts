/**
 * The metrics a credit-risk team reports (信用评分指标): Gini, the Kolmogorov–Smirnov statistic
 * (KS), and the expected cost of a decision threshold under a cost matrix (代价矩阵), with the
 * threshold that minimizes it.
 *
 * Conventions: label 1 = the positive class = a **bad** applicant (违约), 0 = good; a higher score
 * means riskier; an applicant is predicted bad (rejected) when `score >= threshold`. A cost matrix
 * is `cost[actual][predicted]` with index 0 = good, 1 = bad — German Credit's is `[[0, 1], [5, 0]]`:
 * accepting a bad applicant costs 5, rejecting a good one costs 1.
 *
 * - **Gini** = 2·AUC − 1: the AUC rescaled so that random scores give 0 and a perfect ranking 1
 *   (the accuracy ratio of the cumulative-accuracy profile).
 * - **KS** = max over thresholds of |TPR − FPR|: the largest vertical gap between the score
 *   distribution functions of bad and good applicants (the two-sample KS statistic).
 * - **Expected cost** of a threshold = (1/n)·Σᵢ cost[yᵢ][ŷᵢ], per applicant.
 *
 * ```ts
 * gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);          // 0.5   (AUC 0.75)
 * ksStatistic([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);   // { ks: 0.5, threshold: 0.8, ... }
 * expectedCost([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.3, [[0, 1], [5, 0]]).cost;   // 0.25: one good rejected (1) / 4
 * costMinimizingThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [[0, 1], [5, 0]]);  // { threshold: 0.225, cost: 0.25, ... }
 * bayesCostThreshold([[0, 1], [5, 0]]);                // 1/6: reject when P(bad) >= 1/6
 * ```
 */
import { rocAuc, rocCurve } from './roc';

/** `cost[actual][predicted]`, 2 × 2, index 0 = good (negative), 1 = bad (positive). */
export type CostMatrix = readonly (readonly number[])[];

function checkCostMatrix(cost: CostMatrix): void {
  const ok = cost.length === 2 && cost.every((row) => row.length === 2 && row.every((v) => Number.isFinite(v)));
  if (!ok) throw new Error(`cost matrix ${JSON.stringify(cost)}: expected 2 × 2 finite numbers, cost[actual][predicted] with 0 = good, 1 = bad`);
}

function checkLabels(what: string, yTrue: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (yTrue.length !== scores.length) throw new Error(`${what}: ${yTrue.length} labels but ${scores.length} scores`);
  if (yTrue.length === 0) throw new Error(`${what}: no examples`);
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== 0 && yTrue[i] !== 1) throw new Error(`${what}: label ${yTrue[i]} at index ${i}; labels must be 0 (good) or 1 (bad)`);
    if (Number.isNaN(scores[i]!)) throw new Error(`${what}: score NaN at index ${i}`);
  }
}

/** Gini coefficient = 2·AUC − 1 (label 1 = bad, higher score = riskier). */
export function gini(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  return 2 * rocAuc(yTrue, scores) - 1;
}

export interface KsResult {
  /** max |TPR − FPR| over all thresholds, in [0, 1]. */
  ks: number;
  /** The (first, highest) score threshold where the maximum is reached: predicted bad when score >= threshold. */
  threshold: number;
  /** TPR (share of bad applicants at or above the threshold) there. */
  tpr: number;
  /** FPR (share of good applicants at or above the threshold) there. */
  fpr: number;
}

/**
 * The Kolmogorov–Smirnov statistic: the largest gap between the cumulative score distributions
 * of the bad and the good applicants, i.e. max over thresholds of |TPR − FPR|.
 */
export function ksStatistic(yTrue: ArrayLike<number>, scores: ArrayLike<number>): KsResult {
  const c = rocCurve(yTrue, scores);
  let best = 0;
  for (let i = 1; i < c.fpr.length; i++) if (Math.abs(c.tpr[i]! - c.fpr[i]!) > Math.abs(c.tpr[best]! - c.fpr[best]!)) best = i;
  return { ks: Math.abs(c.tpr[best]! - c.fpr[best]!), threshold: c.thresholds[best]!, tpr: c.tpr[best]!, fpr: c.fpr[best]! };
}

export interface CostAtThreshold {
  threshold: number;
  /** Mean cost per applicant. */
  cost: number;
  /** Total cost over all applicants. */
  total: number;
  /** Bad applicants rejected (true positives). */
  tp: number;
  /** Good applicants rejected (false positives), each costing cost[0][1]. */
  fp: number;
  /** Good applicants accepted (true negatives). */
  tn: number;
  /** Bad applicants accepted (false negatives), each costing cost[1][0]. */
  fn: number;
}

/** The cost of rejecting every applicant with `score >= threshold` (±Infinity: reject nobody / everybody). */
export function expectedCost(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number, cost: CostMatrix): CostAtThreshold {
  checkCostMatrix(cost);
  checkLabels('expectedCost', yTrue, scores);
  let tp = 0; let fp = 0; let tn = 0; let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const rejected = scores[i]! >= threshold;
    if (yTrue[i] === 1) { if (rejected) tp++; else fn++; } else if (rejected) fp++; else tn++;
  }
  const total = tn * cost[0]![0]! + fp * cost[0]![1]! + fn * cost[1]![0]! + tp * cost[1]![1]!;
  return { threshold, cost: total / yTrue.length, total, tp, fp, tn, fn };
}

export interface CostCurve {
  /** From +Infinity (reject nobody) down to the lowest score (reject everybody), one per distinct score. */
  thresholds: number[];
  /** Mean cost per applicant at each threshold. */
  costs: number[];
  /** Share of applicants rejected at each threshold. */
  rejectRates: number[];
}

/** Mean cost at every distinct threshold (one sort and one pass). */
export function costCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>, cost: CostMatrix): CostCurve {
  checkCostMatrix(cost);
  checkLabels('costCurve', yTrue, scores);
  const n = yTrue.length;
  let bad = 0;
  for (let i = 0; i < n; i++) bad += yTrue[i]!;
  const good = n - bad;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  // Start: everybody accepted.
  let tp = 0; let fp = 0;
  const at = (): number => ((good - fp) * cost[0]![0]! + fp * cost[0]![1]! + (bad - tp) * cost[1]![0]! + tp * cost[1]![1]!) / n;
  const out: CostCurve = { thresholds: [Infinity], costs: [at()], rejectRates: [0] };
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (yTrue[i] === 1) tp++; else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      out.thresholds.push(scores[i]!);
      out.costs.push(at());
      out.rejectRates.push((k + 1) / n);
    }
  }
  return out;
}

export interface CostOptimum {
  /**
   * A threshold with the least cost: the midpoint between the lowest rejected score and the next
   * lower score (so the same applicants are rejected and new scores are split halfway);
   * +Infinity when rejecting nobody is best, −Infinity when rejecting everybody is.
   */
  threshold: number;
  /** The least mean cost per applicant (on these examples). */
  cost: number;
  /** Share of applicants rejected. */
  rejectRate: number;
}

/**
 * The threshold that minimizes the mean cost on `yTrue`/`scores` (choose it on training or
 * validation data, then apply it to new applicants). Ties go to the highest threshold (fewest
 * rejections).
 */
export function costMinimizingThreshold(yTrue: ArrayLike<number>, scores: ArrayLike<number>, cost: CostMatrix): CostOptimum {
  const c = costCurve(yTrue, scores, cost);
  let best = 0;
  for (let i = 1; i < c.costs.length; i++) if (c.costs[i]! < c.costs[best]! - 1e-12) best = i;
  const last = c.thresholds.length - 1;
  const threshold = best === 0 ? Infinity : best === last ? -Infinity : (c.thresholds[best]! + c.thresholds[best + 1]!) / 2;
  return { threshold, cost: c.costs[best]!, rejectRate: c.rejectRates[best]! };
}

/**
 * The cost-optimal threshold for a calibrated probability p = P(bad): reject when
 * p·(cost[1][0] − cost[1][1]) ≥ (1 − p)·(cost[0][1] − cost[0][0]), i.e. when
 * p ≥ (c₀₁ − c₀₀) / ((c₀₁ − c₀₀) + (c₁₀ − c₁₁)). For `[[0, 1], [5, 0]]`: 1/6.
 */
export function bayesCostThreshold(cost: CostMatrix): number {
  checkCostMatrix(cost);
  const wrongReject = cost[0]![1]! - cost[0]![0]!;
  const wrongAccept = cost[1]![0]! - cost[1]![1]!;
  if (!(wrongReject > 0 && wrongAccept > 0)) {
    throw new Error(`bayesCostThreshold: errors must cost more than correct decisions (cost ${JSON.stringify(cost)})`);
  }
  return wrongReject / (wrongReject + wrongAccept);
}

/** The two trivial policies: accept everybody (every bad applicant costs c₁₀) and reject everybody (every good one costs c₀₁). */
export function baselineCosts(yTrue: ArrayLike<number>, cost: CostMatrix): { acceptAll: number; rejectAll: number } {
  const zeros = new Float64Array(yTrue.length);
  return {
    acceptAll: expectedCost(yTrue, zeros, Infinity, cost).cost,
    rejectAll: expectedCost(yTrue, zeros, -Infinity, cost).cost,
  };
}
