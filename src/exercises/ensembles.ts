/**
 * Exercises of notebook 14 (tree ensembles against the scorecard): the rows a bootstrap resample leaves out, how a
 * boosted ensemble adds its trees to the log-odds, why scaling does not change a tree, and which forest memorises.
 */
import { Exercise, todo } from './exercise';
import { choiceMismatch, mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '14-tree-ensembles';

/** 14.1 — the share of rows a bootstrap resample leaves out. */
const outOfBagExercise: Exercise<number | undefined> = {
  id: '14.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'the rows a tree never sees',
  statement: 'Each tree of a random forest is grown on a bootstrap resample: $n$ rows drawn **with replacement** from the $n$ '
    + 'training rows. For large $n$, what share of the training rows does one tree never see (a number between 0 and 1, '
    + 'to two decimals)?',
  hint: 'a given row is missed by one draw with probability 1 − 1/n, and by all n draws with probability (1 − 1/n)^n; '
    + 'what does that tend to as n grows?',
  stub: undefined,
  check: (answer) => {
    if (typeof answer !== 'number' || !Number.isFinite(answer)) return `the answer is ${showValue(answer)}, expected a number`;
    return Math.abs(answer - Math.exp(-1)) <= 0.005 ? null : `the answer is ${showValue(answer)} — not that share`;
  },
};

/** P(class 1) of a boosted ensemble: the reference for 14.2. */
function boostedReference(initialLogOdds: number, treeOutputs: readonly number[], learningRate: number): number {
  const logit = initialLogOdds + learningRate * treeOutputs.reduce((a, b) => a + b, 0);
  return 1 / (1 + Math.exp(-logit));
}

/** 14.2 — how gradient boosting turns its trees into a probability. */
const boostedProbabilityExercise: Exercise<(initialLogOdds: number, treeOutputs: number[], learningRate: number) => number> = {
  id: '14.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 1,
  title: 'adding trees to the log-odds',
  statement: 'Gradient boosting for a 0/1 target starts from the log-odds $f_0$ of the training default rate and adds each tree\'s '
    + 'output $t_m(x)$, scaled by the learning rate $\\eta$, to the **log-odds**: '
    + '$p(x) = \\sigma\\big(f_0 + \\eta \\sum_m t_m(x)\\big)$. Implement `boostedProbability(initialLogOdds, treeOutputs, learningRate)`.',
  hint: 'sum the tree outputs, multiply by the learning rate, add the initial log-odds, and only then apply the sigmoid 1 / (1 + e^(−z)) — '
    + 'the trees are added in log-odds, not in probabilities.',
  stub: () => todo(),
  check: (boosted) => {
    const rand = mulberry32(1402);
    for (let trial = 0; trial < 12; trial++) {
      const f0 = (rand() - 0.5) * 3;
      const trees = randomVector(rand, 1 + Math.floor(rand() * 30), 1.5);
      const eta = 0.01 + rand() * 0.3;
      const m = mismatch(boosted(f0, [...trees], eta), boostedReference(f0, trees, eta), 1e-9);
      if (m) return `for f0 = ${showValue(f0)}, ${trees.length} trees, η = ${showValue(eta)}: ${m}`;
    }
    return null;
  },
};

/** 14.3 — a monotone rescaling of a column does not change a tree. */
const scalingExercise: Exercise<boolean | undefined> = {
  id: '14.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'trees and scaling',
  statement: 'A tree splits the training rows by conditions such as `credit_amount ≤ t`. Standardise the column, $z = (x - \\mu)/\\sigma$ '
    + 'with $\\sigma > 0$, and grow the tree again on $z$. Can the standardisation change which groups of training rows the tree '
    + 'can separate (`true` or `false`)?',
  hint: 'z is a strictly increasing function of x: every threshold on x has a threshold on z that splits the rows the same way, '
    + 'and the other way round.',
  stub: undefined,
  check: (answer) => choiceMismatch(answer, false, [true, false]),
};

/** 14.4 — an experiment: which forest memorises its training rows. */
const memoriseExperiment: Exercise<'leaf 1' | 'leaf 50' | undefined> = {
  id: '14.4', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'a forest that memorises',
  statement: 'With `fitPredictTreeEnsemble` fit two random forests on German Credit\'s first 800 rows of `germanX`, one with '
    + '`min_samples_leaf: 1` and one with `min_samples_leaf: 50` (both `n_estimators: 100`), and score the training rows and the '
    + 'last 200. Which forest shows the larger gap between its training AUC and its AUC on the 200 held-out rows, `\'leaf 1\'` or `\'leaf 50\'`?',
  hint: 'a leaf of one row predicts that row\'s own label: the deeper the trees, the closer the training AUC gets to 1, whatever '
    + 'happens on rows the trees have not seen.',
  stub: undefined,
  check: (answer) => choiceMismatch(answer, 'leaf 1', ['leaf 1', 'leaf 50']),
};

/** The exercises of notebook 14, in order. */
export const ENSEMBLES_EXERCISES: readonly Exercise<any>[] = [outOfBagExercise, boostedProbabilityExercise, scalingExercise, memoriseExperiment];
