/**
 * ROC curve and AUC (受试者工作特征曲线 / 曲线下面积) for a binary classifier's scores.
 *
 * The ROC curve plots the true-positive rate (sensitivity) against the false-positive rate
 * (1 − specificity) as the decision threshold moves from +∞ down to −∞. Its area equals the
 * probability that a random positive is scored above a random negative (ties count ½) — the
 * Mann–Whitney U statistic divided by n₊·n₋, which is how `rocAuc` computes it.
 *
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);   // 0.75
 * ```
 */
import { checkBinaryInputs } from './binary-labels';

export interface RocCurve {
  /** False-positive rates, from 0 to 1 (length k + 1 for k distinct scores). */
  fpr: number[];
  /** True-positive rates, aligned with `fpr`. */
  tpr: number[];
  /** Score thresholds: the point i predicts positive when score >= thresholds[i]; the first is +Infinity. */
  thresholds: number[];
}

/** The ROC curve: one point per distinct score, plus the (0, 0) start. */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const { positives: pos, negatives: neg } = checkBinaryInputs('roc', yTrue, scores, { bothClasses: true });
  const order = Array.from({ length: yTrue.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (yTrue[i] === 1) tp++; else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      fpr.push(fp / neg);
      tpr.push(tp / pos);
      thresholds.push(scores[i]!);
    }
  }
  return { fpr, tpr, thresholds };
}

/** Area under the ROC curve, via average ranks (ties get half credit). */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { positives: pos, negatives: neg } = checkBinaryInputs('roc', yTrue, scores, { bothClasses: true });
  const order = Array.from({ length: yTrue.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  for (let k = 0; k < order.length;) {
    let j = k;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[k]!]) j++;
    const avgRank = (k + j) / 2 + 1; // ranks are 1-based
    for (let t = k; t <= j; t++) if (yTrue[order[t]!] === 1) rankSumPos += avgRank;
    k = j + 1;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
