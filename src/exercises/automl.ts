/**
 * Exercises of notebook 15 (hyperparameter search on a fixed budget): the budget of successive halving, drawing a
 * log-uniform learning rate, the promotion rule, and when a noisy first rung makes halving lose to random search.
 */
import { successiveHalvingPlan } from '../tuning/search';
import { Exercise, todo } from './exercise';
import { choiceMismatch, mismatch, mulberry32, showValue } from './checks';

const NOTEBOOK = '15-automl';

/** 15.1 — the budget of a halving search. */
const halvingBudgetExercise: Exercise<number | undefined> = {
  id: '15.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the budget of successive halving',
  statement: 'Successive halving starts $27$ configurations with $100$ training examples each, keeps the best third of every '
    + 'rung and triples the budget, until one configuration is left. How many training examples does the whole search spend?',
  hint: 'the rungs are 27 × 100, 9 × 300, 3 × 900 and 1 × 2,700: every rung spends the same amount. '
    + 'successiveHalvingPlan(27, 3, 100) computes it.',
  stub: undefined,
  check: (answer) => {
    const want = successiveHalvingPlan(27, 3, 100).total;
    return answer === want ? null : `the answer is ${showValue(answer)}, expected a whole number of examples — not that one`;
  },
};

/** The reference for 15.2: a uniform number u in [0, 1) mapped to a log-uniform value in [min, max). */
function logUniformReference(u: number, min: number, max: number): number {
  return Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
}

/** 15.2 — drawing a learning rate. */
const logUniformExercise: Exercise<(u: number, min: number, max: number) => number> = {
  id: '15.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 1,
  title: 'a log-uniform learning rate',
  statement: 'Implement `logUniform(u, min, max)`: map a uniform number `u` in $[0, 1)$ to a value in $[min, max)$ whose '
    + '**logarithm** is uniform — so that $10^{-4}$ to $10^{-3}$ is as likely as $10^{-3}$ to $10^{-2}$, as a search space '
    + 'draws learning rates.',
  hint: 'interpolate linearly between ln(min) and ln(max) with u, then take exp: u = 0 gives min, u = 0.5 the geometric mean √(min·max).',
  stub: () => todo(),
  check: (logUniform) => {
    const rand = mulberry32(1502);
    for (let trial = 0; trial < 20; trial++) {
      const u = trial === 0 ? 0 : trial === 1 ? 0.5 : rand();
      const min = 10 ** (-6 + 4 * rand());
      const max = min * 10 ** (0.5 + 3 * rand());
      const m = mismatch(logUniform(u, min, max), logUniformReference(u, min, max), 1e-9, true);
      if (m) return `for u = ${showValue(u)}, min = ${showValue(min)}, max = ${showValue(max)}: ${m}`;
    }
    return null;
  },
};

/** The reference for 15.3: the ⌊k/η⌋ best indices (at least one), equal scores earlier first, in index order. */
function promoteReference(scores: readonly number[], eta: number): number[] {
  const keep = Math.max(1, Math.floor(scores.length / eta));
  return scores.map((score, index) => ({ score, index })).sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, keep).map((s) => s.index).sort((a, b) => a - b);
}

/** 15.3 — the promotion rule. */
const promoteExercise: Exercise<(scores: number[], eta: number) => number[]> = {
  id: '15.3', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'who goes on to the next rung',
  statement: 'Implement `promote(scores, eta)`: given the validation scores of one rung (higher is better), return the indices '
    + 'of the $\\lfloor k/\\eta \\rfloor$ best of the $k$ configurations (at least one), in increasing index order; of equal '
    + 'scores the earlier index goes first.',
  hint: 'pair each score with its index, sort by score descending (ties: smaller index first), keep max(1, ⌊k/η⌋), then sort the kept indices.',
  stub: () => todo(),
  check: (promote) => {
    const rand = mulberry32(1503);
    const cases: [number[], number][] = [[[0.5, 0.9, 0.1, 0.7, 0.3, 0.8, 0.2, 0.6, 0.4], 3], [[1, 1, 0, 1], 2], [[0.2, 0.1], 3]];
    for (let trial = 0; trial < 20; trial++) {
      const k = 1 + Math.floor(rand() * 30);
      cases.push([Array.from({ length: k }, () => Math.round(rand() * 20) / 20), 2 + Math.floor(rand() * 3)]);
    }
    for (const [scores, eta] of cases) {
      const m = mismatch(promote(scores.slice(), eta), promoteReference(scores, eta), 0);
      if (m) return `for scores ${showValue(scores)} and η = ${eta}: ${m}`;
    }
    return null;
  },
};

/** 15.4 — an experiment: halving against random search when a short run is a loud judge. */
const loudRungExperiment: Exercise<'halving' | 'random' | undefined> = {
  id: '15.4', notebook: NOTEBOOK, kind: 'experiment', difficulty: 3,
  title: 'when the first rung is a loud judge',
  statement: 'On the synthetic problem with a known optimum (`syntheticObjective`, `SYNTHETIC_SPACE`), run 200 pairs of '
    + 'searches with the same budget: for s = 0, 1, …, 199, draw 27 configurations with `sampleConfigurations(SYNTHETIC_SPACE, 27, '
    + 'mulberry32(1000 + s))`, run `successiveHalving` on all 27 (`eta: 3, minBudget: 1`) and `randomSearch` on the first 4 '
    + 'with budget 27 each, each with `syntheticObjective({ seed: s, noise })`. Count how often each search\'s best `x` lies '
    + 'within $0.05$ of the optimum $0.3$. With `noise: 0.3` halving wins clearly. With `noise: 1` (the score of a one-unit '
    + 'run has standard deviation 1, more than the whole range of qualities), which search finds the optimum more often: '
    + '`\'halving\'` or `\'random\'`?',
  hint: 'with loud noise the first rung promotes configurations almost at random, so halving spends three quarters of its '
    + 'budget judging badly; random search trains four configurations at the full budget, where the noise is 1/√27 as loud.',
  stub: undefined,
  // The counts (halving 36 of 200, random search 47 of 200) are recomputed by tests/tuning/synthetic.test.ts.
  check: (answer) => choiceMismatch(answer, 'random', ['halving', 'random']),
};

/** The exercises of notebook 15, in order. */
export const AUTOML_EXERCISES: readonly Exercise<any>[] = [halvingBudgetExercise, logUniformExercise, promoteExercise, loudRungExperiment];
