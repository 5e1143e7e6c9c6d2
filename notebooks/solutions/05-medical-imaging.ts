/**
 * Solutions of notebook 05's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { accuracyIntervalWidth } from 'ai-course';
import { Solutions } from './types';

const auc = (labels: number[], scores: number[], tie = 0.5): number => {
  let wins = 0;
  let pairs = 0;
  labels.forEach((yi, i) => labels.forEach((yj, j) => {
    if (yi !== 1 || yj !== 0) return;
    pairs++;
    wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? tie : 0;
  }));
  return wins / pairs;
};

const threshold = (labels: number[], scores: number[], target: number, round = Math.ceil): number => {
  const positives = scores.filter((_, i) => labels[i] === 1).sort((a, b) => b - a);
  return positives[Math.max(1, round(target * positives.length - 1e-12)) - 1]!;
};

export const solutions: Solutions = {
  '05.1': {
    answer: [30 / 42, 110 / 114],
    wrong: [[30 / 42, 4 / 114], [30 / 34, 110 / 122], [110 / 114, 30 / 42]],
    explanation: 'Sensitivity = 30/42 ≈ 0.714 (12 malignant images are missed); specificity = (114 − 4)/114 ≈ 0.965.',
  },
  '05.2': {
    answer: (labels: number[], scores: number[]): number => auc(labels, scores),
    wrong: [(labels: number[], scores: number[]): number => auc(labels, scores, 0), (labels: number[], scores: number[]): number => auc(labels, scores, 1)],
    explanation: 'The AUC is the Mann–Whitney statistic: over all positive–negative pairs, the share ordered correctly, ties '
      + 'counting one half. Counting ties as 0 or 1 moves it whenever scores repeat (rounded probabilities often do).',
  },
  '05.3': {
    answer: (0.1 ** 2 + 0.2 ** 2 + 0.6 ** 2) / 3,
    wrong: [(0.1 + 0.2 + 0.6) / 3, 0.1 ** 2 + 0.2 ** 2 + 0.6 ** 2],
    explanation: 'The squared errors are 0.01, 0.04 and 0.36; their mean is 0.41/3 ≈ 0.137.',
  },
  '05.4': {
    answer: (labels: number[], scores: number[], target: number): number => threshold(labels, scores, target),
    wrong: [
      (labels: number[], scores: number[], target: number): number => threshold(labels, scores, target, Math.floor),
      (labels: number[], scores: number[], target: number): number => {
        const all = scores.slice().sort((a, b) => b - a);
        return all[Math.ceil(target * all.length) - 1]!;
      },
    ],
    explanation: 'Only the positives count for sensitivity: the k = ⌈target · P⌉ highest positive scores must be flagged, so the '
      + 'highest threshold is the k-th highest positive score. Rounding k down misses the target.',
  },
  '05.5': {
    answer: accuracyIntervalWidth(100) / accuracyIntervalWidth(1600),
    wrong: [16, 1, 2],
    explanation: 'The width of an interval is proportional to the standard error, √(p(1 − p)/n): 16× the images gives about '
      + '√16 = 4× narrower, not 16×.',
  },
};
