/**
 * Solutions of notebook 14's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { Solutions } from './types';

const boostedProbability = (initialLogOdds: number, treeOutputs: number[], learningRate: number): number =>
  1 / (1 + Math.exp(-(initialLogOdds + learningRate * treeOutputs.reduce((a, b) => a + b, 0))));

export const solutions: Solutions = {
  '14.1': {
    answer: 0.37,
    wrong: [0.5, 0.63, 0.25],
    explanation: 'A row is missed by one draw with probability 1 − 1/n and by all n draws with probability (1 − 1/n)^n, which tends '
      + 'to 1/e ≈ 0.368. So each tree is grown on about 63 % of the distinct rows, and the other 37 % — its out-of-bag rows — '
      + 'can score it as if they were a validation set (scikit-learn\'s oob_score).',
  },
  '14.2': {
    answer: boostedProbability,
    wrong: [
      (f0: number, trees: number[], eta: number): number => 1 / (1 + Math.exp(-f0)) + eta * trees.reduce((a, b) => a + b, 0),
      (f0: number, trees: number[], _eta: number): number => 1 / (1 + Math.exp(-(f0 + trees.reduce((a, b) => a + b, 0)))),
    ],
    explanation: 'The trees of a boosted classifier are added in log-odds: z = f0 + η·Σ t_m(x), then p = σ(z). Adding them to the '
      + 'probability could leave [0, 1]; forgetting η would make each tree take the full step that the small learning rate is there '
      + 'to prevent — boosting learns slowly on purpose, and early stopping decides how many small steps to take.',
  },
  '14.3': {
    answer: false,
    wrong: [true],
    explanation: 'z = (x − μ)/σ is strictly increasing in x, so the rows with x ≤ t are exactly those with z ≤ (t − μ)/σ: every split '
      + 'on x is a split on z and back. A tree sees only the order of a column\'s values, which is why the notebook may fit the '
      + 'scaling on all rows for the trees, while the logistic model, whose weights depend on the scale, fits it per fold.',
  },
  '14.4': {
    answer: 'leaf 1',
    wrong: ['leaf 50'],
    explanation: 'Trees grown to leaves of one row reproduce their training labels, so the forest\'s training AUC comes close to 1 '
      + 'whatever its held-out AUC is; leaves of at least 50 rows average the labels, and the training AUC stays much nearer the '
      + 'held-out one. The gap between the two is overfitting made visible — and why the forest\'s leaf size is chosen on validation folds.',
  },
};
