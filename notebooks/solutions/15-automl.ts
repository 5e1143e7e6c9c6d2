/**
 * Solutions of notebook 15's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { Solutions } from './types';

const logUniform = (u: number, min: number, max: number): number => Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));

function promote(scores: number[], eta: number): number[] {
  const keep = Math.max(1, Math.floor(scores.length / eta));
  return scores.map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)   // best first; of equal scores the earlier index
    .slice(0, keep).map((s) => s.index).sort((a, b) => a - b);
}

export const solutions: Solutions = {
  '15.1': {
    answer: 27 * 100 + 9 * 300 + 3 * 900 + 1 * 2700,
    wrong: [27 * 100, 27 * 2700, 27 * 100 + 9 * 300 + 3 * 900],
    explanation: 'Rungs of 27 × 100, 9 × 300, 3 × 900 and 1 × 2,700 examples: each spends 2,700, four rungs 10,800 — as much '
      + 'as training four configurations on the full 2,700. That is the trade successive halving makes: 27 configurations '
      + 'looked at, most of them briefly, against four looked at fully.',
  },
  '15.2': {
    answer: logUniform,
    wrong: [
      (u: number, min: number, max: number): number => min + u * (max - min),
      (u: number, min: number, max: number): number => Math.exp(u * (Math.log(max) - Math.log(min))),
    ],
    explanation: 'ln x = ln min + u·(ln max − ln min), so x = exp(…). With min = 1e-4 and max = 1e-2, half the draws fall below '
      + '1e-3. A uniform draw on [1e-4, 1e-2] would put 91 % of them above 1e-3 and almost never try the small rates.',
  },
  '15.3': {
    answer: promote,
    wrong: [
      (scores: number[], eta: number): number[] => scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s)
        .slice(0, Math.floor(scores.length / eta)).map((p) => p.i),
      (scores: number[], eta: number): number[] => scores.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s)
        .slice(0, Math.max(1, Math.floor(scores.length / eta))).map((p) => p.i).sort((a, b) => a - b),
    ],
    explanation: 'Keep max(1, ⌊k/η⌋): a rung of two configurations with η = 3 still promotes one. Sorting by score descending and '
      + 'breaking ties by index makes the choice repeatable; the kept indices are returned in index order, as '
      + 'successiveHalving records them in its rungs.',
  },
  '15.4': {
    answer: 'random',
    wrong: ['halving'],
    explanation: 'With noise 1 halving lands within 0.05 of the optimum in 36 of the 200 searches, random search in 47. A score '
      + 'after one unit of training has a standard deviation of 1, while the qualities of all configurations differ by at most '
      + '0.7: the first rung promotes almost at random, and the optimum is usually gone before the budget gets large. Halving '
      + 'bets that short runs rank configurations as long runs would; when they do not (noisy scores, learning curves that '
      + 'cross — a small learning rate starts slow and ends best), that bet is lost.',
  },
};
