/**
 * Solutions of notebook 13's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { Solutions } from './types';

function pairedDifference(a: number[], b: number[]): { mean: number; sd: number } {
  const d = a.map((v, i) => v - b[i]!);
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1));
  return { mean, sd };
}

export const solutions: Solutions = {
  '13.1': {
    answer: 800 * 6 + 6,
    wrong: [800 * 6, 9606, 4800],
    explanation: 'Only the new dense head trains: an 800 × 6 kernel and 6 biases, 4,806 numbers. The frozen base keeps its '
      + '4,800 (two convolutions: 3·3·1·16 + 16 and 3·3·16·32 + 32); the whole model has 9,606.',
  },
  '13.2': {
    answer: pairedDifference,
    wrong: [
      (a: number[], b: number[]): { mean: number; sd: number } => {
        const m = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
        const sd = (x: number[]): number => Math.sqrt(x.reduce((s, v) => s + (v - m(x)) ** 2, 0) / (x.length - 1));
        return { mean: m(a) - m(b), sd: Math.abs(sd(a) - sd(b)) };
      },
      (a: number[], b: number[]): { mean: number; sd: number } => {
        const d = a.map((v, i) => v - b[i]!);
        const mean = d.reduce((s, v) => s + v, 0) / d.length;
        return { mean, sd: Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length) };
      },
    ],
    explanation: 'The difference is taken seed by seed, d_s = a_s − b_s; its mean equals the difference of the means, but its '
      + 'standard deviation is the spread of the differences, which leaves out everything the two runs of a seed share (the '
      + 'training images, the head\'s initial weights). The sample standard deviation divides by n − 1.',
  },
  '13.3': {
    answer: 'paired',
    wrong: ['unpaired', 'the same'],
    explanation: 'A lucky draw of training images lifts both arms of a seed; in the per-seed difference that luck cancels, so the '
      + 'differences spread less than the accuracies. An unpaired interval adds both arms\' spreads, including the shared part, '
      + 'and is wider: it can miss a real gain that the paired comparison shows.',
  },
  '13.4': {
    answer: 0,
    wrong: [4800, 1],
    explanation: 'fineTune hands the optimizer only the model\'s trainable weights; a frozen layer contributes none, so not one of '
      + 'the base\'s 4,800 numbers moves, while the head\'s 4,806 do. (With model.fit the same holds after a recompile: tfjs '
      + 'collects the trainable weights when the model is compiled.)',
  },
};
