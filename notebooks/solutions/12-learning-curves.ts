/**
 * Solutions of notebook 12's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { Solutions } from './types';

function powerLawExponent(sizes: number[], errors: number[]): number {
  const x = sizes.map((n) => Math.log(n));
  const y = errors.map((e) => Math.log(e));
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i]! - my);
    sxx += (xi - mx) ** 2;
  });
  return -sxy / sxx;
}

export const solutions: Solutions = {
  '12.1': {
    answer: 4,
    wrong: [2, Math.SQRT2, 0.5],
    explanation: 'The error at k·n is k^(−0.5) times the error at n; k^(−0.5) = 1/2 gives k = 2² = 4. In general halving the '
      + 'error takes 2^(1/b) times the data: 4× at b = 0.5, 10× at b ≈ 0.3, 128× at b = 1/7. Small exponents make each '
      + 'halving of the error expensive.',
  },
  '12.2': {
    answer: powerLawExponent,
    wrong: [
      // the slope itself, without the sign flip
      (sizes: number[], errors: number[]): number => -powerLawExponent(sizes, errors),
      // the two end points only, not least squares
      (sizes: number[], errors: number[]): number =>
        -Math.log(errors[errors.length - 1]! / errors[0]!) / Math.log(sizes[sizes.length - 1]! / sizes[0]!),
    ],
    explanation: 'On log–log axes the power law is the straight line ln e = ln a − b·ln n, so b is minus the least-squares slope '
      + 'of ln e on ln n: −Σ(x − x̄)(y − ȳ) / Σ(x − x̄)². The line through the two end points uses only two of the runs and '
      + 'inherits all of their noise; least squares uses every size.',
  },
  '12.3': {
    answer: 0,
    wrong: [-0.7, -1, 1],
    explanation: 'd ln(c + a·n^(−b)) / d ln n = −b·a·n^(−b) / (c + a·n^(−b)). As n grows, a·n^(−b) → 0 while c stays, so the '
      + 'slope → 0: the curve flattens onto the floor. A pure power law (c = 0) keeps the slope −b for ever. On log–log axes '
      + 'diminishing returns beyond the pure law look like a curve that bends towards horizontal.',
  },
  '12.4': {
    answer: 'underestimate',
    wrong: ['overestimate'],
    explanation: 'The five points already bend towards the floor, but a straight line in log space keeps falling at its fitted '
      + 'rate: at n = 6,400 it predicts an error below the true 0.02 + 3·6400^(−0.7). Extrapolating a pure power law past '
      + 'the measured sizes is optimistic when a floor exists — which is why notebook 12 chooses the form by how well it '
      + 'predicts a held-out larger size.',
  },
};
