/**
 * Exercises of notebook 02 (losses): softmax, cross-entropy from logits, the gradient (p − y)/N, dropout.
 * Each check compares the learner's answer with the library's reference or with finite differences, on
 * seeded random inputs and on the extreme inputs the notebook discusses.
 */
import { centralDifferenceGradient } from '../scratch/gradcheck';
import { softmax } from '../scratch/activations';
import { binaryCrossEntropyFromLogit } from '../scratch/losses';
import { invertedDropout } from '../scratch/regularization';
import { Exercise, todo } from './exercise';
import { choiceProblem, mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '02-losses';

/** 02.1 — the loss of a confidently wrong logit. */
const bceOfConfidentMistake: Exercise<number | undefined> = {
  id: '02.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the loss of a confident mistake',
  statement: 'A binary classifier outputs the logit $z = -800$ for an example whose label is $y = 1$. What is the '
    + 'binary cross-entropy $\\ell(1, z)$, exactly (a number)?',
  hint: 'ℓ(1, z) = softplus(−z) = log(1 + e^{−z}); for z = −800 the 1 is negligible next to e^{800}, so ℓ ≈ −z.',
  stub: undefined,
  check: (answer) => mismatch(answer, binaryCrossEntropyFromLogit(1, -800), 1e-9),
};

/** 02.2 — the softmax Jacobian, implemented. */
const softmaxJacobianExercise: Exercise<(z: number[]) => number[][]> = {
  id: '02.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'the softmax Jacobian',
  statement: 'Implement `J(z)`, the Jacobian of softmax: $J_{ij} = \\partial p_i / \\partial z_j$ for $p = \\mathrm{softmax}(z)$, '
    + 'a $K \\times K$ array. Use `softmax(z)` from the library.',
  hint: 'differentiate p_i = e^{z_i} / Σ_k e^{z_k}: J_ij = p_i (δ_ij − p_j) — the diagonal has p_i(1 − p_i), the rest −p_i p_j.',
  stub: () => todo(),
  check: (jacobian) => {
    const rand = mulberry32(202);
    for (let trial = 0; trial < 20; trial++) {
      const z = randomVector(rand, 2 + (trial % 5), 1 + trial);
      const want = z.map((_, i) => centralDifferenceGradient((v) => softmax(v)[i]!, z, 1e-6));
      const m = mismatch(jacobian(z.slice()), want, 1e-6);
      if (m) return `for z = ${showValue(z)}, ${m}`;
    }
    return null;
  },
};

/** 02.3 — binary cross-entropy from a logit, stable at ±800. */
const stableBceExercise: Exercise<(y: number, z: number) => number> = {
  id: '02.3', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'a stable binary cross-entropy',
  statement: 'Implement $\\ell(y, z)$, the binary cross-entropy of a label $y \\in \\{0, 1\\}$ and a **logit** $z$, so that it is '
    + 'finite and accurate for every float64 logit, including $z = \\pm 800$. Do not compute $p = \\sigma(z)$ first.',
  hint: 'ℓ(y, z) = max(z, 0) − y·z + log(1 + e^{−|z|}): the exponent is never positive, and log1p keeps small values accurate.',
  stub: () => todo(),
  check: (loss) => {
    const rand = mulberry32(203);
    const logits = [-800, -40, -1e-9, 0, 1e-9, 3, 40, 800, ...randomVector(rand, 40, 30)];
    for (const y of [0, 1]) {
      for (const z of logits) {
        const m = mismatch(loss(y, z), binaryCrossEntropyFromLogit(y, z), 1e-12, true);
        if (m) return `for y = ${y}, z = ${showValue(z)}, ${m}`;
      }
    }
    return null;
  },
};

/** 02.4 — the inverted-dropout scale. */
const dropoutScaleExercise: Exercise<number | undefined> = {
  id: '02.4', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the inverted-dropout scale',
  statement: 'Inverted dropout with rate $r = 0.25$ zeroes each entry with probability $r$. By what factor does it multiply '
    + 'the entries it keeps during training?',
  hint: 'the expected output must equal the input: (1 − r) · factor = 1.',
  stub: undefined,
  check: (answer) => mismatch(answer, 1 / (1 - 0.25), 1e-12),
};

/** 02.5 — the gradient of the mean BCE with respect to the logits. */
const bceGradientExercise: Exercise<number[] | undefined> = {
  id: '02.5', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'the gradient (p − y)/N',
  statement: 'For labels $y = [1, 0, 1, 0]$ and logits $z = [0, 0, \\ln 3, \\ln 3]$, what is the gradient of the **mean** '
    + 'binary cross-entropy with respect to $z$ (an array of 4)?',
  hint: 'each entry is (σ(z_i) − y_i) / N with N = 4, and σ(ln 3) = 3/4.',
  stub: undefined,
  check: (answer) => mismatch(answer, [-0.5 / 4, 0.5 / 4, -0.25 / 4, 0.75 / 4], 1e-12),
};

/** The average error of `copies` inverted-dropout copies of `x` at `rate`, against `x` (seeded). */
function dropoutAverageError(x: number[], rate: number, copies: number, seedValue: number): number {
  const rand = mulberry32(seedValue);
  const sum = new Array<number>(x.length).fill(0);
  for (let c = 0; c < copies; c++) invertedDropout(x, rate, rand).output.forEach((v, i) => { sum[i]! += v; });
  return sum.reduce((acc, s, i) => acc + Math.abs(s / copies - x[i]!), 0) / x.length;
}

/** 02.6 — an experiment: how the dropout rate changes the noise of an average of copies. */
const dropoutRateExperiment: Exercise<'closer' | 'farther' | undefined> = {
  id: '02.6', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'dropout noise and the rate',
  statement: 'In §4, the average of many dropped-out copies of $x$ comes back to $x$. Rerun that experiment with the rate '
    + 'raised from $r = 0.5$ to $r = 0.9$ and the same number of copies. Is the average **closer** to $x$ or **farther** from it? '
    + "Answer `'closer'` or `'farther'` (the check reruns both rates on its own vector).",
  hint: 'a kept entry is scaled by 1/(1 − r): at r = 0.9 each copy is 0 or 10·x, so each copy varies much more, and so does their mean.',
  stub: undefined,
  check: (answer) => {
    const invalid = choiceProblem(answer, ['closer', 'farther']);
    if (invalid) return invalid;
    const x = randomVector(mulberry32(206), 200, 1);
    const low = dropoutAverageError(x, 0.5, 100, 1);
    const high = dropoutAverageError(x, 0.9, 100, 1);
    const measured = high < low ? 'closer' : 'farther';
    return answer === measured ? null
      : `rerun here: mean |average − x| is ${low.toFixed(4)} at rate 0.5 and ${high.toFixed(4)} at rate 0.9, so the average is ${measured}`;
  },
};

/** The exercises of notebook 02, in order. */
export const LOSSES_EXERCISES: readonly Exercise<any>[] = [
  bceOfConfidentMistake, softmaxJacobianExercise, stableBceExercise, dropoutScaleExercise, bceGradientExercise, dropoutRateExperiment,
];
