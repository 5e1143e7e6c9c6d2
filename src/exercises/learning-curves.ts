/**
 * Exercises of notebook 12 (learning curves): what an exponent costs in data, the power-law fit in log space, the
 * slope of a curve with a floor, and what a pure power law predicts past a floor.
 */
import { fitPowerLaw } from '../metrics/learning-curve';
import { Exercise, todo } from './exercise';
import { choiceMismatch, choiceProblem, mismatch, mulberry32, showValue } from './checks';

const NOTEBOOK = '12-learning-curves';

/** 12.1 — how much more data halves the error at b = 0.5. */
const halveErrorExercise: Exercise<number | undefined> = {
  id: '12.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the price of halving the error',
  statement: 'A learning curve follows error ≈ a·n^(−0.5). By what factor must the training set grow to **halve** the error?',
  hint: 'the error at k·n is k^(−0.5) times the error at n: solve k^(−0.5) = 1/2.',
  stub: undefined,
  check: (answer) => mismatch(answer, 4, 1e-9),
};

/** 12.2 — the exponent by least squares in log space. */
const exponentExercise: Exercise<(sizes: number[], errors: number[]) => number> = {
  id: '12.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'the exponent by least squares in log space',
  statement: 'Implement `powerLawExponent(sizes, errors)`: the exponent $b$ of error ≈ a·n^(−b), fitted by least squares on '
    + '$(\\ln n, \\ln \\text{error})$ — minus the slope of the straight line.',
  hint: 'with x = ln n and y = ln error, the slope is Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²; b is its negative. Least squares on the '
    + 'raw errors, or logs of one side only, give another number.',
  stub: () => todo(),
  check: (exponent) => {
    const rand = mulberry32(1202);
    for (let trial = 0; trial < 8; trial++) {
      const count = 3 + Math.floor(rand() * 5);
      const sizes = Array.from({ length: count }, (_, i) => Math.round(50 * 2.5 ** i * (0.8 + 0.4 * rand())));
      const b = 0.1 + 0.8 * rand();
      const errors = sizes.map((n) => 2 * n ** -b * Math.exp(0.2 * (rand() - 0.5)));
      const m = mismatch(exponent(sizes.slice(), errors.slice()), fitPowerLaw(sizes, errors).b, 1e-6, true);
      if (m) return `for sizes ${showValue(sizes)} and errors ${showValue(errors.map((e) => Number(e.toFixed(4))))}: ${m}`;
    }
    return null;
  },
};

/** 12.3 — the slope of a curve with a floor, far out. */
const floorSlopeExercise: Exercise<number | undefined> = {
  id: '12.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'diminishing returns on log–log axes',
  statement: 'A learning curve with a floor, error = c + a·n^(−b) with c > 0, is drawn on log–log axes. As n grows without '
    + 'bound, what does the slope of the curve, d ln(error) / d ln(n), tend to? (A number.)',
  hint: 'the slope is −b · a·n^(−b) / (c + a·n^(−b)): the share of the error that more data can still remove, times −b.',
  stub: undefined,
  check: (answer) => mismatch(answer, 0, 1e-9),
};

/** 12.4 — an experiment: a pure power law fitted in front of a floor, extrapolated. */
const floorExtrapolationExperiment: Exercise<'overestimate' | 'underestimate' | undefined> = {
  id: '12.4', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'extrapolating past a floor',
  statement: 'A curve follows error = 0.02 + 3·n^(−0.7) exactly, measured at n = 50, 100, 200, 400 and 800. Fit the **pure** '
    + 'power law (`fitPowerLaw(sizes, errors)`) to these five points and predict the error at n = 6,400. Compare with the '
    + 'true value: does the pure power law `\'overestimate\'` or `\'underestimate\'` the error there?',
  hint: 'a straight line on log–log axes keeps falling at the same rate; the true curve bends towards its floor of 0.02.',
  stub: undefined,
  check: (answer) => {
    const invalid = choiceProblem(answer, ['overestimate', 'underestimate']);
    if (invalid) return invalid;
    const sizes = [50, 100, 200, 400, 800];
    const truth = (n: number): number => 0.02 + 3 * n ** -0.7;
    const predicted = fitPowerLaw(sizes, sizes.map(truth)).predict(6400);
    const right = predicted > truth(6400) ? 'overestimate' : 'underestimate';
    return choiceMismatch(answer, right, ['overestimate', 'underestimate']);
  },
};

/** The exercises of notebook 12, in order. */
export const LEARNING_CURVES_EXERCISES: readonly Exercise<any>[] = [halveErrorExercise, exponentExercise, floorSlopeExercise, floorExtrapolationExperiment];
