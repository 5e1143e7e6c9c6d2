/**
 * Classification metrics (分类指标) on plain label arrays: accuracy (准确率), the confusion
 * matrix (混淆矩阵), and per-class precision (精确率), recall (召回率) and F1.
 *
 * For class c with TP true positives, FP false positives and FN false negatives:
 * precision = TP / (TP + FP) (of the images called c, how many are c), recall = TP / (TP + FN)
 * (of the images that are c, how many were found), F1 = 2·P·R / (P + R), their harmonic mean.
 * A class never predicted has precision 0 (as scikit-learn's `zero_division=0`).
 *
 * ```ts
 * const m = confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], 3);  // [[1,0,0],[0,1,1],[0,0,1]]
 * const r = classificationReport(m);
 * r.classes[1];   // { label: '1', precision: 1, recall: 0.5, f1: 0.667, support: 2 }
 * r.accuracy;     // 0.75
 * ```
 */

/** Labels as class indices 0..k−1: an array, a typed array (Int32Array from `argMax().dataSync()`). */
export type LabelArray = ArrayLike<number>;

function checkSameLength(what: string, yTrue: LabelArray, yPred: LabelArray): void {
  if (yTrue.length !== yPred.length) {
    throw new Error(`${what}: ${yTrue.length} true labels but ${yPred.length} predictions; give one prediction per example`);
  }
}

/** Fraction of positions where `yPred` equals `yTrue`; `accuracyScore([1, 2, 3], [1, 2, 0])` is 2/3. */
export function accuracyScore(yTrue: LabelArray, yPred: LabelArray): number {
  checkSameLength('accuracyScore', yTrue, yPred);
  if (yTrue.length === 0) throw new Error('accuracyScore: no examples');
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/**
 * The confusion matrix `m[t][p]`: how many examples of true class `t` were predicted as `p`
 * (rows = truth, columns = prediction; the diagonal holds the correct ones).
 *
 * @param numClasses k (default: 1 + the largest label seen).
 * @returns a k × k array of counts.
 */
export function confusionMatrix(yTrue: LabelArray, yPred: LabelArray, numClasses?: number): number[][] {
  checkSameLength('confusionMatrix', yTrue, yPred);
  let k = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < yTrue.length; i++) k = Math.max(k, yTrue[i]! + 1, yPred[i]! + 1);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (!Number.isInteger(t) || !Number.isInteger(p) || t < 0 || p < 0 || t >= k || p >= k) {
      throw new Error(`confusionMatrix: example ${i} has true ${t} / predicted ${p}, outside the classes 0..${k - 1}`);
    }
    m[t]![p]!++;
  }
  return m;
}

/** Metrics of one class. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose true class is this one. */
  support: number;
}

/** Averages over classes: `macro` weighs classes equally, `weighted` by their support. */
export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  classes: ClassMetrics[];
  accuracy: number;
  macro: AveragedMetrics;
  weighted: AveragedMetrics;
  /** All examples. */
  total: number;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix (rows = truth), plus accuracy and the
 * macro and support-weighted averages, like scikit-learn's `classification_report`.
 *
 * @param labels class names (default '0', '1', ...).
 */
export function classificationReport(matrix: readonly (readonly number[])[], labels?: readonly (string | number)[]): ClassificationReport {
  const k = matrix.length;
  matrix.forEach((row, i) => {
    if (row.length !== k) throw new Error(`classificationReport: the confusion matrix must be square, row ${i} has ${row.length} of ${k}`);
  });
  if (labels && labels.length !== k) throw new Error(`classificationReport: ${labels.length} labels for ${k} classes`);
  let total = 0;
  let correct = 0;
  const classes: ClassMetrics[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix[c]![c]!;
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += matrix[c]![j]!;
      predicted += matrix[j]![c]!;
    }
    total += support;
    correct += tp;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    classes.push({ label: String(labels ? labels[c] : c), precision, recall, f1, support });
  }
  const avg = (key: 'precision' | 'recall' | 'f1', weighted: boolean): number => {
    if (weighted) return total > 0 ? classes.reduce((s, m) => s + m[key] * m.support, 0) / total : 0;
    return k > 0 ? classes.reduce((s, m) => s + m[key], 0) / k : 0;
  };
  return {
    classes,
    accuracy: total > 0 ? correct / total : 0,
    macro: { precision: avg('precision', false), recall: avg('recall', false), f1: avg('f1', false) },
    weighted: { precision: avg('precision', true), recall: avg('recall', true), f1: avg('f1', true) },
    total,
  };
}

/** The report as a Markdown table (for `showMarkdown`), values with `digits` decimals (default 4). */
export function classificationReportMarkdown(report: ClassificationReport, digits = 4): string {
  const f = (v: number): string => v.toFixed(digits);
  const lines = ['| class | precision | recall | F1 | support |', '|---|---:|---:|---:|---:|'];
  for (const c of report.classes) lines.push(`| ${c.label} | ${f(c.precision)} | ${f(c.recall)} | ${f(c.f1)} | ${c.support} |`);
  lines.push(`| **macro avg** | ${f(report.macro.precision)} | ${f(report.macro.recall)} | ${f(report.macro.f1)} | ${report.total} |`);
  lines.push(`| **weighted avg** | ${f(report.weighted.precision)} | ${f(report.weighted.recall)} | ${f(report.weighted.f1)} | ${report.total} |`);
  lines.push(`| **accuracy** | | | ${f(report.accuracy)} | ${report.total} |`);
  return lines.join('\n');
}

/**
 * The most frequent confusions, off the diagonal, largest first: `[{ true: 4, predicted: 9, count: 12 }, ...]`.
 */
export function topConfusions(matrix: readonly (readonly number[])[], limit = 5): { true: number; predicted: number; count: number }[] {
  const out: { true: number; predicted: number; count: number }[] = [];
  matrix.forEach((row, t) => row.forEach((count, p) => {
    if (t !== p && count > 0) out.push({ true: t, predicted: p, count });
  }));
  out.sort((a, b) => b.count - a.count || a.true - b.true || a.predicted - b.predicted);
  return out.slice(0, limit);
}
