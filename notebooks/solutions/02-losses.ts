/**
 * Solutions of notebook 02's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 * Open this file in JupyterLab (or read the book's collapsed "Solution" blocks) to compare with your answer.
 */
import { softmax } from 'ai-course';
import { Solutions } from './types';

export const solutions: Solutions = {
  '02.1': {
    answer: 800,
    wrong: [0, Infinity, -800],
    explanation: 'ℓ(1, z) = softplus(−z) = log(1 + e^{800}) = 800 + log(1 + e^{−800}), which is 800 in float64. '
      + 'Computing σ(−800) first gives 0 and log 0 = −∞: the reason to work from logits.',
  },
  '02.2': {
    answer: (z: number[]): number[][] => {
      const p = softmax(z);
      return p.map((pi, i) => p.map((pj, j) => pi * ((i === j ? 1 : 0) - pj)));
    },
    wrong: [
      (z: number[]): number[][] => { const p = softmax(z); return p.map((pi) => p.map((pj) => -pi * pj)); },
      (z: number[]): number[][] => { const p = softmax(z); return p.map((pi, i) => p.map((pj, j) => (i === j ? pi * (1 - pi) : 0))); },
    ],
    explanation: 'J_ij = p_i (δ_ij − p_j): the diagonal holds p_i(1 − p_i), the rest −p_i p_j. Each row sums to 0 because '
      + 'the probabilities always sum to 1.',
  },
  '02.3': {
    answer: (y: number, z: number): number => Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z))),
    wrong: [
      (y: number, z: number): number => { const p = 1 / (1 + Math.exp(-z)); return -(y * Math.log(p) + (1 - y) * Math.log(1 - p)); },
      (y: number, z: number): number => Math.max(z, 0) - y * z + Math.log(1 + Math.exp(-z)),
    ],
    explanation: 'max(z, 0) − y·z + log1p(e^{−|z|}) never exponentiates a positive number, so it never overflows, and it '
      + 'equals −[y log σ(z) + (1 − y) log(1 − σ(z))] wherever that is finite.',
  },
  '02.4': {
    answer: 4 / 3,
    wrong: [0.75, 0.25, 1],
    explanation: 'Kept entries are scaled by 1/(1 − r) = 1/0.75 = 4/3, so the expected output equals the input and nothing '
      + 'needs to change at inference.',
  },
  '02.5': {
    answer: [-0.125, 0.125, -0.0625, 0.1875],
    wrong: [[-0.5, 0.5, -0.25, 0.75], [0.125, -0.125, 0.0625, -0.1875]],
    explanation: 'σ(0) = 1/2 and σ(ln 3) = 3/4, so p − y = [−1/2, 1/2, −1/4, 3/4]; the mean divides by N = 4.',
  },
  '02.6': {
    answer: 'farther',
    wrong: ['closer', 'same'],
    explanation: 'At rate r a kept entry becomes x/(1 − r), so one copy has variance x²·r/(1 − r): 1·x² at r = 0.5 but 9·x² at '
      + 'r = 0.9. The average of the same number of copies is therefore about 3× noisier.',
  },
};
