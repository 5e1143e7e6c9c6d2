/**
 * Exercises of notebook 06 (credit scoring): the cost-based decision rule, the KS statistic, scorecard points, an
 * equal-opportunity gap, and how the cost ratio moves the decision threshold.
 */
import { bayesCostThreshold, costMinimizingThreshold, ksStatistic } from '../metrics/credit-metrics';
import { scoreFromLogOdds } from '../models/scorecard';
import { Exercise, todo } from './exercise';
import { choiceProblem, labelledScores, mismatch, mulberry32, showValue } from './checks';

const NOTEBOOK = '06-credit-scoring';

/** 06.1 — the Bayes threshold of a 5:1 cost. */
const bayesThresholdExercise: Exercise<number | undefined> = {
  id: '06.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the threshold of a 5:1 cost',
  statement: 'Accepting an applicant who turns out bad costs 5; rejecting one who would have been good costs 1; correct decisions '
    + 'cost 0. With a calibrated probability $p$ = P(bad), above which $p$ should the bank reject (a number)?',
  hint: 'reject when the expected cost of accepting, 5p, exceeds that of rejecting, 1·(1 − p).',
  stub: undefined,
  check: (answer) => mismatch(answer, bayesCostThreshold([[0, 1], [5, 0]]), 1e-9),
};

/** 06.2 — the KS statistic. */
const ksExercise: Exercise<(labels: number[], scores: number[]) => number> = {
  id: '06.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'the KS statistic',
  statement: 'Implement the Kolmogorov–Smirnov statistic of a credit score: the largest gap, over all thresholds $t$, between the '
    + 'share of bad applicants with score ≥ $t$ and the share of good applicants with score ≥ $t$ (labels: 1 = bad).',
  hint: 'try every distinct score as t (and a t above all of them); compute both shares at each and keep the largest |difference|.',
  stub: () => todo(),
  check: (ks) => {
    for (let trial = 0; trial < 15; trial++) {
      const { y, s } = labelledScores(600 + trial, 8 + 11 * trial, 0.4, 20);
      const m = mismatch(ks(y.slice(), s.slice()), ksStatistic(y, s).ks, 1e-12);
      if (m) return `for labels ${showValue(y)} and scores ${showValue(s)}: ${m}`;
    }
    return null;
  },
};

/** 06.3 — scorecard points from odds. */
const scorecardPointsExercise: Exercise<(oddsGoodToBad: number) => number> = {
  id: '06.3', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'points from odds',
  statement: 'A scorecard gives 600 points at good:bad odds of 50:1 and 20 more points each time the odds double. Implement '
    + '`points(odds)` for any odds > 0.',
  hint: 'points = offset + factor · ln(odds) with factor = 20 / ln 2, and the offset fixed by points(50) = 600.',
  stub: () => todo(),
  check: (points) => {
    for (const odds of [50, 100, 25, 1, 0.5, 3, 1000, 7.3]) {
      const m = mismatch(points(odds), scoreFromLogOdds(-Math.log(odds)), 1e-9);
      if (m) return `for odds ${odds}: ${m}`;
    }
    return null;
  },
};

/** 06.4 — an equal-opportunity gap. */
const equalOpportunityExercise: Exercise<number | undefined> = {
  id: '06.4', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'an equal-opportunity gap',
  statement: 'Among applicants under 25 who repaid, 40 of 50 were approved; among those 25 and over who repaid, 270 of 300 were '
    + 'approved. What is the equal-opportunity gap, approval rate of good applicants aged ≥ 25 minus that of those under 25?',
  hint: 'equal opportunity compares true-positive rates — here approval rates among the applicants who repaid — between the groups.',
  stub: undefined,
  check: (answer) => mismatch(answer, 270 / 300 - 40 / 50, 1e-9),
};

/** The cost-minimising threshold on seeded scores for a given cost of accepting a bad applicant. */
export function thresholdForCost(badAcceptCost: number): number {
  // Risk scores: good applicants ~ N(0, 1), bad ones ~ N(1, 1) (Box–Muller on a seeded generator), 30 % bad.
  const rand = mulberry32(650);
  const y = Array.from({ length: 2000 }, () => (rand() < 0.3 ? 1 : 0));
  const s = y.map((label) => label + Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
  return costMinimizingThreshold(y, s, [[0, 1], [badAcceptCost, 0]]).threshold;
}

/** 06.5 — an experiment: a dearer mistake moves the threshold. */
const costRatioExperiment: Exercise<'lower' | 'higher' | undefined> = {
  id: '06.5', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'a dearer mistake',
  statement: 'Call `thresholdForCost(5)` and `thresholdForCost(10)` (the score threshold that minimises the mean cost on a fixed '
    + 'set of applicants when accepting a bad one costs 5 or 10 and rejecting a good one costs 1). When bad loans cost twice as '
    + "much, is the threshold `'lower'` or `'higher'`?",
  hint: 'a dearer missed bad applicant makes the bank reject more, i.e. reject from a lower risk score.',
  stub: undefined,
  check: (answer) => {
    const invalid = choiceProblem(answer, ['lower', 'higher']);
    if (invalid) return invalid;
    const five = thresholdForCost(5);
    const ten = thresholdForCost(10);
    if (ten === five) return `measured here: the same threshold ${five} at 5:1 and 10:1 — the exercise's data cannot tell; please report this`;
    const measured = ten < five ? 'lower' : 'higher';
    return answer === measured ? null : `measured here: ${five} at 5:1 and ${ten} at 10:1, so the threshold is ${measured}`;
  },
};

/** The exercises of notebook 06, in order. */
export const CREDIT_EXERCISES: readonly Exercise<any>[] = [
  bayesThresholdExercise, ksExercise, scorecardPointsExercise, equalOpportunityExercise, costRatioExperiment,
];
