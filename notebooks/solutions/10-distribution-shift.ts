/**
 * Solutions of notebook 10's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { Solutions } from './types';

const psi = (expected: number[], actual: number[], floor: number, oneWay = false): number => expected.reduce((s, e0, i) => {
  const e = Math.max(e0, floor);
  const a = Math.max(actual[i]!, floor);
  return s + (oneWay ? a * Math.log(a / e) : (a - e) * Math.log(a / e));
}, 0);

export const solutions: Solutions = {
  '10.1': {
    answer: 'moderate shift',
    wrong: ['stable', 'major shift'],
    explanation: '0.18 lies between 0.1 and 0.25: a moderate shift — look at which variables moved and, when labels arrive, '
      + 'whether the model still ranks and calibrates well. The bands are industry conventions, not a statistical test.',
  },
  '10.2': {
    answer: (expected: number[], actual: number[], floor: number): number => psi(expected, actual, floor),
    wrong: [
      (expected: number[], actual: number[], floor: number): number => psi(expected, actual, floor, true),
      (expected: number[], actual: number[]): number => psi(expected, actual, 0),
    ],
    explanation: 'Σ (a − e)·ln(a/e) over the bins, each share floored first. It equals KL(a‖e) + KL(e‖a), so it is symmetric '
      + 'and ≥ 0; one direction alone (Σ a·ln(a/e)) is a KL divergence, not the PSI, and without the floor an empty bin '
      + 'gives an infinite or undefined term.',
  },
  '10.3': {
    answer: false,
    wrong: [true],
    explanation: 'PSI only compares distributions of inputs or scores. A change in how the inputs relate to default (concept '
      + 'shift) leaves them unchanged, so a low PSI says "the population looks the same", not "the model still works": '
      + 'only outcomes, once they arrive, can show that.',
  },
  '10.4': {
    answer: 'quadruple',
    wrong: ['double'],
    explanation: 'PSI behaves like the J-divergence, which for two normals with equal σ is (μ/σ)²: twice the shift, about four '
      + 'times the PSI. A small drift in a score hardly moves PSI; the index reacts strongly once the shift is a sizeable '
      + 'fraction of the spread.',
  },
};
