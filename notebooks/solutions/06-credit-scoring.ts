/**
 * Solutions of notebook 06's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { Solutions } from './types';

const ks = (labels: number[], scores: number[], strict = false): number => {
  const bad = labels.filter((y) => y === 1).length;
  const good = labels.length - bad;
  let best = 0;
  for (const t of [...new Set(scores), Infinity]) {
    const flagged = (i: number) => (strict ? scores[i]! > t : scores[i]! >= t);
    const badShare = labels.filter((y, i) => y === 1 && flagged(i)).length / bad;
    const goodShare = labels.filter((y, i) => y === 0 && flagged(i)).length / good;
    best = Math.max(best, Math.abs(badShare - goodShare));
  }
  return best;
};

export const solutions: Solutions = {
  '06.1': {
    answer: 1 / 6,
    wrong: [1 / 5, 5 / 6, 0.5],
    explanation: 'Reject when 5p > 1 − p, i.e. p > 1/6: a bad loan costs five times a lost good customer, so the bank rejects at '
      + 'much lower risk than one half.',
  },
  '06.2': {
    answer: (labels: number[], scores: number[]): number => ks(labels, scores),
    wrong: [
      (labels: number[], scores: number[]): number => {
        const bad = labels.filter((y) => y === 1).length;
        return Math.max(...scores.map((t) => labels.filter((y, i) => y === 1 && scores[i]! >= t).length / bad
          - labels.filter((y, i) => y === 0 && scores[i]! >= t).length / bad));
      },
    ],
    explanation: 'KS = max over t of |TPR(t) − FPR(t)|, the largest vertical gap between the ROC curve and the diagonal. Each '
      + 'share divides by its own class size; dividing both by the number of bad applicants is a common slip.',
  },
  '06.3': {
    answer: (odds: number): number => 600 + (20 / Math.LN2) * Math.log(odds / 50),
    wrong: [(odds: number): number => 600 + 20 * Math.log(odds / 50), (odds: number): number => 600 + (20 / Math.LN2) * Math.log(odds)],
    explanation: 'factor = 20/ln 2 ≈ 28.85 points per unit of log-odds, offset = 600 − factor · ln 50, so points(odds) = '
      + '600 + factor · ln(odds/50): 620 at 100:1, 580 at 25:1.',
  },
  '06.4': {
    answer: 0.1,
    wrong: [-0.1, 310 / 350, 0.9],
    explanation: 'The approval rates among good applicants are 40/50 = 0.80 and 270/300 = 0.90: a gap of 0.10 against the younger group.',
  },
  '06.5': {
    answer: 'lower',
    wrong: ['higher'],
    explanation: 'With a bad loan twice as dear, a lower estimated risk is already worth a rejection: the cost-minimising '
      + 'threshold on the risk score moves down and the reject rate goes up.',
  },
};
