/**
 * Solutions of notebook 09's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { Solutions } from './types';

const clip = (gradient: number[][], c: number, perArray = false): number[][] => {
  const norm = (arrays: number[][]) => Math.sqrt(arrays.flat().reduce((s, v) => s + v * v, 0));
  if (perArray) return gradient.map((g) => { const n = norm([g]); return n > c ? g.map((v) => (v * c) / n) : g.slice(); });
  const n = norm(gradient);
  return n > c ? gradient.map((g) => g.map((v) => (v * c) / n)) : gradient.map((g) => g.slice());
};

const parity = (decisions: number[], groups: string[], overall = false): number => {
  const stats = new Map<string, [number, number]>();
  decisions.forEach((d, i) => { const s = stats.get(groups[i]!) ?? [0, 0]; stats.set(groups[i]!, [s[0] + d, s[1] + 1]); });
  const rates = [...stats.values()].map(([a, n]) => a / n);
  if (overall) return Math.max(...rates) - decisions.reduce((a, b) => a + b, 0) / decisions.length;
  return Math.max(...rates) - Math.min(...rates);
};

export const solutions: Solutions = {
  '09.1': {
    answer: 1.65,
    wrong: [1.1, 1.5, 1.1 / 1.5],
    explanation: 'The noise is N(0, (σC)²) added to the sum of clipped gradients: σ = 1.1 times the most any one example can '
      + 'contribute (C = 1.5), so σC = 1.65. That scaling is what makes the privacy guarantee independent of the data.',
  },
  '09.2': {
    answer: (gradient: number[][], c: number): number[][] => clip(gradient, c),
    wrong: [(gradient: number[][], c: number): number[][] => clip(gradient, c, true), (gradient: number[][]): number[][] => gradient],
    explanation: 'One norm over all layers together, one factor min(1, C/‖g‖) for all: the example\'s whole influence is bounded '
      + 'by C. Clipping each layer on its own bounds each layer by C, so the whole gradient can reach C·√layers.',
  },
  '09.3': {
    answer: 2.5,
    wrong: [2, 3, 1.5],
    explanation: '(100·1 + 300·2 + 600·3)/1000 = 2.5: the hospital with most data pulls the average towards its model; a plain '
      + 'mean (2.0) would give the smallest client as much say as the largest.',
  },
  '09.4': {
    answer: (decisions: number[], groups: string[]): number => parity(decisions, groups),
    wrong: [(decisions: number[], groups: string[]): number => parity(decisions, groups, true)],
    explanation: 'Demographic parity compares the approval rates of the groups with each other: max − min over the groups. '
      + 'Comparing the top group with the overall rate understates the gap.',
  },
};
