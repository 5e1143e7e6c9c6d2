/**
 * Exercises of notebook 05 (medical imaging): sensitivity and specificity, ROC AUC by its rank definition, the Brier
 * score, a threshold for a clinical target, and how a bootstrap interval narrows with the size of the test set.
 */
import { bootstrapMetric } from '../metrics/bootstrap';
import { brierScore } from '../metrics/calibration';
import { rocAuc } from '../metrics/roc';
import { Exercise, todo } from './exercise';
import { labelledScores, mismatch, mulberry32, showValue } from './checks';

const NOTEBOOK = '05-medical-imaging';

/** 05.1 — sensitivity and specificity from a confusion table. */
const sensitivitySpecificityExercise: Exercise<number[] | undefined> = {
  id: '05.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'sensitivity and specificity',
  statement: 'A test set has 42 malignant and 114 benign images. The model flags 30 of the malignant ones and 4 of the benign '
    + 'ones. What are its sensitivity and specificity, `[sensitivity, specificity]` (to 3 decimals)?',
  hint: 'sensitivity = flagged malignant / all malignant; specificity = NOT flagged benign / all benign.',
  stub: undefined,
  check: (answer) => mismatch(answer, [30 / 42, 110 / 114], 5e-4),
};

/** 05.2 — ROC AUC by its rank definition. */
const aucByRanksExercise: Exercise<(labels: number[], scores: number[]) => number> = {
  id: '05.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'AUC as a probability',
  statement: 'Implement the ROC AUC of scores for 0/1 labels as the probability that a random positive scores higher than a '
    + 'random negative, counting ties as one half (compare every positive with every negative).',
  hint: 'loop over all (positive, negative) pairs: add 1 when the positive scores higher, 0.5 when equal; divide by the number of pairs.',
  stub: () => todo(),
  check: (auc) => {
    for (let trial = 0; trial < 15; trial++) {
      const { y, s } = labelledScores(500 + trial, 6 + 9 * trial, 0.35, 8);
      const m = mismatch(auc(y.slice(), s.slice()), rocAuc(y, s), 1e-12);
      if (m) return `for labels ${showValue(y)} and scores ${showValue(s)}: ${m}`;
    }
    return null;
  },
};

/** 05.3 — the Brier score. */
const brierExercise: Exercise<number | undefined> = {
  id: '05.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the Brier score',
  statement: 'Three images with labels $y = [1, 0, 1]$ get malignant probabilities $p = [0.9, 0.2, 0.4]$. What is their Brier score?',
  hint: 'the Brier score is the mean of (p − y)² over the examples.',
  stub: undefined,
  check: (answer) => mismatch(answer, brierScore([1, 0, 1], [0.9, 0.2, 0.4]), 1e-9),
};

/** 05.4 — the highest threshold that reaches a sensitivity target. */
const thresholdExercise: Exercise<(labels: number[], scores: number[], target: number) => number> = {
  id: '05.4', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'a threshold for a clinical target',
  statement: 'Implement the **highest** threshold $t$ (one of the scores) such that flagging every image with score ≥ $t$ finds at '
    + 'least a share `target` of the positives.',
  hint: 'sort the positives\' scores from high to low; you need k = ceil(target · positives) of them flagged, so t is the k-th highest positive score.',
  stub: () => todo(),
  check: (threshold) => {
    for (let trial = 0; trial < 15; trial++) {
      const { y, s } = labelledScores(540 + trial, 8 + 7 * trial, 0.35, 8);
      const target = [0.5, 0.8, 0.9, 1][trial % 4]!;
      const positives = s.filter((_, i) => y[i] === 1).sort((a, b) => b - a);
      const want = positives[Math.ceil(target * positives.length - 1e-12) - 1]!;
      const m = mismatch(threshold(y.slice(), s.slice(), target), want, 1e-12);
      if (m) return `for labels ${showValue(y)}, scores ${showValue(s)} and target ${target}: ${m}`;
    }
    return null;
  },
};

/** The width of the 95 % bootstrap interval of accuracy of an 80 %-accurate classifier on `n` examples (seeded). */
export function accuracyIntervalWidth(n: number, resamples = 1000): number {
  const rand = mulberry32(n);
  const y = Array.from({ length: n }, (_, i) => i % 2);
  const correct = y.map(() => rand() < 0.8);
  const scores = y.map((label, i) => (correct[i] ? label : 1 - label));
  const accuracy = (yt: number[], sc: number[]) => yt.reduce((acc, t, i) => acc + (t === sc[i] ? 1 : 0), 0) / yt.length;
  const r = bootstrapMetric(y, scores, accuracy, { resamples, seed: 5 });
  return r.upper - r.lower;
}

/** 05.5 — an experiment: how the interval narrows with more test images. */
const intervalWidthExperiment: Exercise<number | undefined> = {
  id: '05.5', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'how many test images',
  statement: 'Use `accuracyIntervalWidth(n)` (the width of a $95\\%$ bootstrap interval of the accuracy of a classifier that is right '
    + '$80\\%$ of the time, on `n` test images) for $n = 100$ and $n = 1600$. How many times narrower is the interval with $16\\times$ the '
    + 'images (a number, within $15\\%$)?',
  hint: 'a standard error shrinks like 1/√n: 16× the images gives about √16 = 4× narrower; measure both widths and divide.',
  stub: undefined,
  check: (answer) => {
    const ratio = accuracyIntervalWidth(100) / accuracyIntervalWidth(1600);
    return mismatch(answer, ratio, 0.15, true) === null ? null : `measured here: ${ratio.toFixed(2)}× narrower, not ${showValue(answer)}`;
  },
};

/** The exercises of notebook 05, in order. */
export const MEDICAL_EXERCISES: readonly Exercise<any>[] = [
  sensitivitySpecificityExercise, aucByRanksExercise, brierExercise, thresholdExercise, intervalWidthExperiment,
];
