/**
 * Exercises of notebook 10 (distribution shift): reading a PSI, computing one from bin shares, what PSI cannot see,
 * and how PSI grows with the size of a shift.
 */
import { populationStabilityIndex, psiBand } from '../metrics/stability';
import { Exercise, todo } from './exercise';
import { choiceMismatch, choiceProblem, mismatch, mulberry32, showValue } from './checks';

const NOTEBOOK = '10-distribution-shift';

/** 10.1 — reading a PSI by the usual bands. */
const bandExercise: Exercise<string | undefined> = {
  id: '10.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'reading a PSI',
  statement: "This month's applicants' scores have a PSI of $0.18$ against the training scores. By the usual credit-risk bands, is "
    + "that `'stable'`, `'moderate shift'` or `'major shift'`?",
  hint: 'below 0.1 stable, 0.1 to 0.25 a moderate shift to investigate, from 0.25 a major shift.',
  stub: undefined,
  check: (answer) => choiceMismatch(answer, psiBand(0.18), ['stable', 'moderate shift', 'major shift']),
};

/** The PSI of two lists of bin shares, zero shares floored: the reference for 10.2. */
function psiOfShares(expected: readonly number[], actual: readonly number[], floor: number): number {
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, floor);
    const a = Math.max(actual[i]!, floor);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Random shares over `bins` bins (summing to 1), some of them exactly 0. */
function randomShares(rand: () => number, bins: number): number[] {
  const raw: number[] = Array.from({ length: bins }, () => (rand() < 0.15 ? 0 : rand()));
  if (!raw.some((v) => v > 0)) raw[0] = 1;
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => v / total);
}

/** 10.2 — PSI from bin shares. */
const psiExercise: Exercise<(expected: number[], actual: number[], floor: number) => number> = {
  id: '10.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'PSI from bin shares',
  statement: 'Implement the population stability index from the shares of each bin: `expected[i]` is the reference sample\'s '
    + 'share of bin $i$, `actual[i]` the new sample\'s. Replace a share below `floor` by `floor` before using it, then sum '
    + '$(a_i - e_i)\\ln(a_i / e_i)$.',
  hint: 'both directions of the log-ratio are in the formula — it is KL(a‖e) + KL(e‖a) — and a 0 share must be floored in both the difference and the log.',
  stub: () => todo(),
  check: (psi) => {
    const rand = mulberry32(1002);
    for (let trial = 0; trial < 20; trial++) {
      const bins = 3 + (trial % 8);
      const expected = randomShares(rand, bins);
      const actual = randomShares(rand, bins);
      const floor = [1e-4, 1e-3, 0.01][trial % 3]!;
      const m = mismatch(psi(expected.slice(), actual.slice(), floor), psiOfShares(expected, actual, floor), 1e-9, true);
      if (m) return `for expected ${showValue(expected)}, actual ${showValue(actual)}, floor ${floor}: ${m}`;
    }
    return null;
  },
};

/** 10.3 — what a stable PSI does not prove. */
const conceptShiftExercise: Exercise<boolean | undefined> = {
  id: '10.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'what a stable PSI does not prove',
  statement: "A model's scores on this month's applicants have a PSI of $0.01$ against its training scores. Does that prove the "
    + 'model still ranks applicants as well as it did when it was validated (`true` or `false`)?',
  hint: 'PSI compares the distributions of x (or of the score), never the labels: if the link between x and default changes '
    + '(a recession, a new fraud pattern) while x looks the same, PSI stays low and the model degrades.',
  stub: undefined,
  check: (answer) => choiceMismatch(answer, false, [true, false]),
};

/** n draws of N(mean, 1) from `rand` (Box–Muller). */
function normals(rand: () => number, n: number, mean: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return out;
}

/** 10.4 — an experiment: PSI against the size of the shift. */
const shiftSizeExperiment: Exercise<'double' | 'quadruple' | undefined> = {
  id: '10.4', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'PSI against the size of a shift',
  statement: 'Draw $20000$ reference scores from $N(0, 1)$ and $20000$ new scores from $N(\\mu, 1)$ for $\\mu = 0.25$ and for '
    + '$\\mu = 0.5$ (`seed(7)`, then `randomNormal(mu, 1)` from the library), and compute each PSI against the reference with '
    + '`populationStabilityIndex`. When the shift doubles, does the PSI about `\'double\'` or `\'quadruple\'`?',
  hint: 'for two normals with equal spread PSI tends to (μ/σ)² — compute the two values and their ratio.',
  stub: undefined,
  check: (answer) => {
    const invalid = choiceProblem(answer, ['double', 'quadruple']);
    if (invalid) return invalid;
    const rand = mulberry32(1004);
    const reference = normals(rand, 20000, 0);
    const small = populationStabilityIndex(reference, normals(rand, 20000, 0.25)).psi;
    const large = populationStabilityIndex(reference, normals(rand, 20000, 0.5)).psi;
    const measured = large / small > Math.SQRT2 * 2 ? 'quadruple' : 'double';
    return answer === measured ? null : `measured here: PSI ${small.toFixed(4)} at μ = 0.25 and ${large.toFixed(4)} at μ = 0.5, a ratio of ${(large / small).toFixed(2)}`;
  },
};

/** The exercises of notebook 10, in order. */
export const SHIFT_EXERCISES: readonly Exercise<any>[] = [bandExercise, psiExercise, conceptShiftExercise, shiftSizeExperiment];
