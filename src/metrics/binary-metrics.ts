/**
 * A binary classifier at one decision threshold (决策阈值): the four counts of its confusion
 * matrix and the rates built from them. Positive = label 1; an example is predicted positive
 * when its score is >= the threshold.
 *
 * - sensitivity (灵敏度, recall, TPR) = TP / (TP + FN): of the real positives, the share caught;
 * - specificity (特异度, TNR) = TN / (TN + FP): of the real negatives, the share cleared;
 * - precision (精确率, PPV) = TP / (TP + FP).
 *
 * ```ts
 * binaryConfusion([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.6], 0.5);
 * // { tp: 1, fp: 1, tn: 1, fn: 1, sensitivity: 0.5, specificity: 0.5, ... }
 * ```
 */
import { checkBinaryInputs } from './binary-labels';

export interface BinaryConfusion {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sensitivity: number;
  specificity: number;
  /** NaN when nothing is predicted positive. */
  precision: number;
  accuracy: number;
  /** NaN when precision is NaN or both precision and sensitivity are 0. */
  f1: number;
}

/** The confusion counts and rates at `threshold` (predict positive when score >= threshold). */
export function binaryConfusion(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): BinaryConfusion {
  checkBinaryInputs('binaryConfusion', yTrue, scores);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (yTrue[i] === 1) {
      if (predicted) tp++; else fn++;
    } else if (predicted) fp++; else tn++;
  }
  const sensitivity = tp + fn > 0 ? tp / (tp + fn) : Number.NaN;
  const specificity = tn + fp > 0 ? tn / (tn + fp) : Number.NaN;
  const precision = tp + fp > 0 ? tp / (tp + fp) : Number.NaN;
  const f1 = precision + sensitivity > 0 ? (2 * precision * sensitivity) / (precision + sensitivity) : Number.NaN;
  return { threshold, tp, fp, tn, fn, sensitivity, specificity, precision, accuracy: (tp + tn) / yTrue.length, f1 };
}

/**
 * The highest threshold whose sensitivity is at least `minSensitivity` (so specificity is as high
 * as that allows), chosen among the scores themselves; with its confusion at that threshold.
 * Choose it on validation data, then report it on test data.
 */
export function thresholdForSensitivity(yTrue: ArrayLike<number>, scores: ArrayLike<number>, minSensitivity: number): BinaryConfusion {
  checkBinaryInputs('thresholdForSensitivity', yTrue, scores);
  if (!(minSensitivity > 0 && minSensitivity <= 1)) throw new Error(`thresholdForSensitivity: minSensitivity ${minSensitivity} must be in (0, 1]`);
  const positives = Array.from({ length: yTrue.length }, (_, i) => i).filter((i) => yTrue[i] === 1).map((i) => scores[i]!);
  if (positives.length === 0) throw new Error('thresholdForSensitivity: there are no positive labels');
  positives.sort((a, b) => b - a);
  // Catching the k highest-scored positives needs threshold <= the k-th highest positive score.
  const k = Math.ceil(minSensitivity * positives.length - 1e-12);
  return binaryConfusion(yTrue, scores, positives[k - 1]!);
}
