/**
 * Exercises of notebook 13 (transfer learning): what a linear probe trains, the mean and spread of paired
 * differences, why the arms share a seed, and what a frozen base does during a training step.
 */
import { pairedSeedInterval } from '../training/transfer';
import { Exercise, todo } from './exercise';
import { choiceMismatch, mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '13-transfer-learning';

/** 13.1 — the numbers a linear probe trains. */
const probeParametersExercise: Exercise<number | undefined> = {
  id: '13.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'what the probe trains',
  statement: 'The base of `transferCnn` ends in a flatten layer with $800$ features. A linear probe on it for the $6$ steel '
    + 'classes freezes the base. How many numbers (weights and biases) does the probe train?',
  hint: 'only the new dense head trains: one weight per feature and class, plus one bias per class.',
  stub: undefined,
  check: (answer) => (answer === 800 * 6 + 6 ? null : `the answer is ${showValue(answer)}, expected a whole number — not that one`),
};

/** 13.2 — the mean and standard deviation of paired differences. */
const pairedDifferenceExercise: Exercise<(a: number[], b: number[]) => { mean: number; sd: number }> = {
  id: '13.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'paired differences',
  statement: 'Implement `pairedDifference(a, b)`: `a[s]` and `b[s]` are two arms\' test accuracies under seed `s`. Return the '
    + 'mean of the differences $d_s = a_s - b_s$ and their sample standard deviation (divide by $n - 1$) — the two numbers '
    + 'from which `pairedSeedInterval` makes its interval, mean ± $t_{0.975,\\,n-1}\\,\\mathrm{sd}/\\sqrt{n}$.',
  hint: 'subtract seed by seed first, then take the mean and the standard deviation of those differences — not the '
    + 'difference of the two arms\' standard deviations.',
  stub: () => todo(),
  check: (pairedDifference) => {
    const rand = mulberry32(1302);
    for (let trial = 0; trial < 10; trial++) {
      const n = 2 + Math.floor(rand() * 6);
      const shared = randomVector(rand, n, 0.1);
      const a = shared.map((v) => 0.7 + v + 0.02 * rand());
      const b = shared.map((v) => 0.65 + v + 0.02 * rand());
      const want = pairedSeedInterval(a, b);
      const got = pairedDifference([...a], [...b]);
      if (!got || typeof got !== 'object') return `for a = ${showValue(a)}, b = ${showValue(b)}: the answer is ${showValue(got)}, expected { mean, sd }`;
      const m = mismatch([got.mean, got.sd], [want.mean, want.sd], 1e-9);
      if (m) return `for a = ${showValue(a)}, b = ${showValue(b)}: [mean, sd] ${m.replace(/^entry \[0\]/, 'mean').replace(/^entry \[1\]/, 'sd')}`;
    }
    return null;
  },
};

/** 13.3 — why the arms share a seed. */
const pairingExercise: Exercise<'paired' | 'unpaired' | 'the same' | undefined> = {
  id: '13.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'why pair by seed',
  statement: 'Under each seed, fine-tune and scratch train on the same images, so a lucky draw of training images lifts both. '
    + 'Which interval for "fine-tune − scratch" is narrower: the one from the per-seed differences (`\'paired\'`), the one '
    + 'from the two arms\' separate means and spreads (`\'unpaired\'`), or are they `\'the same\'`?',
  hint: 'what the two runs of one seed share cancels in their difference; the separate spreads still contain it.',
  stub: undefined,
  check: (answer) => choiceMismatch(answer, 'paired', ['paired', 'unpaired', 'the same']),
};

/** 13.4 — an experiment: a frozen base during training. */
const frozenBaseExperiment: Exercise<number | undefined> = {
  id: '13.4', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'a frozen base in training',
  statement: 'Build `transferModel(base, 6, { freeze: true })`, keep a copy of its base weights '
    + '(`model.layers.slice(0, TRANSFER_BASE_LAYERS).flatMap((l) => l.getWeights()).map((w) => w.clone())`), train it with '
    + '`fineTune` for 10 steps on a few steel images, and compare. How many of the base\'s numbers changed?',
  hint: 'fineTune updates only the model\'s trainable weights, and a frozen layer has none: the head moves, the base does not.',
  stub: undefined,
  check: (answer) => (answer === 0 ? null : `the answer is ${showValue(answer)}; count the numbers that differ after training`),
};

/** The exercises of notebook 13, in order. */
export const TRANSFER_EXERCISES: readonly Exercise<any>[] = [probeParametersExercise, pairedDifferenceExercise, pairingExercise, frozenBaseExperiment];
