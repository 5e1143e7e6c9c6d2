/**
 * Exercises of notebook 03 (optimizers): the L2 step with the right sign, momentum, Adam's first step, the
 * stability limit of gradient descent, and an experiment with momentum on an ill-conditioned quadratic.
 * Implementations are checked step by step against the library's update rules on seeded random inputs.
 */
import { adamStep, createScratchOptimizer, initAdamState, initMomentumState, momentumStep, optimizePath, sgdStep } from '../scratch/optimizers';
import { Exercise, todo } from './exercise';
import { mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '03-optimizers';

/** 03.1 — gradient descent with L2, the right sign. */
const l2StepExercise: Exercise<(theta: number[], grad: number[], eta: number, lambda: number) => number[]> = {
  id: '03.1', notebook: NOTEBOOK, kind: 'implement', difficulty: 1,
  title: 'a gradient step with L2',
  statement: 'Implement one step of gradient descent on $L(\\theta) + \\frac{\\lambda}{2}\\lVert\\theta\\rVert^2$: given '
    + '$\\theta$, the gradient $g$ of $L$, the learning rate $\\eta$ and $\\lambda$, return the new $\\theta$ (a new array).',
  hint: 'the penalty adds λθ to the gradient, and a descent step subtracts: θ − η(g + λθ). The article printed +λθ outside the bracket.',
  stub: () => todo(),
  check: (step) => {
    const rand = mulberry32(301);
    for (let trial = 0; trial < 20; trial++) {
      const theta = randomVector(rand, 1 + (trial % 4), 3);
      const grad = randomVector(rand, theta.length, 2);
      const eta = 0.01 + rand() * 0.5;
      const lambda = rand();
      const m = mismatch(step(theta.slice(), grad.slice(), eta, lambda), sgdStep(theta, grad, { learningRate: eta, weightDecay: lambda }), 1e-12);
      if (m) return `for θ = ${showValue(theta)}, g = ${showValue(grad)}, η = ${showValue(eta)}, λ = ${showValue(lambda)}: ${m}`;
    }
    return null;
  },
};

/** The learner's momentum update: the new parameters and the new velocity. */
export type MomentumUpdate = (theta: number[], grad: number[], velocity: number[], eta: number, beta: number) => { theta: number[]; velocity: number[] };

/** 03.2 — heavy-ball momentum, as tf.train.momentum. */
const momentumExercise: Exercise<MomentumUpdate> = {
  id: '03.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'the momentum update',
  statement: 'Implement one step of momentum as `tf.train.momentum` defines it: $v \\leftarrow \\beta v + g$, '
    + '$\\theta \\leftarrow \\theta - \\eta v$. Return `{ theta, velocity }` (new arrays). The check runs 5 steps in a row.',
  hint: 'update the velocity first, then move θ by −η times the NEW velocity (no (1 − β) factor in this convention).',
  stub: () => todo(),
  check: (update) => {
    const rand = mulberry32(302);
    for (let trial = 0; trial < 10; trial++) {
      let theta = randomVector(rand, 1 + (trial % 3), 2);
      let velocity = new Array<number>(theta.length).fill(0);
      let state = initMomentumState(theta.length);
      let reference = theta.slice();
      const eta = 0.01 + rand() * 0.2;
      const beta = rand() * 0.95;
      for (let step = 1; step <= 5; step++) {
        const grad = randomVector(rand, theta.length, 1);
        const r = momentumStep(reference, grad, state, { learningRate: eta, momentum: beta });
        const got = update(theta.slice(), grad.slice(), velocity.slice(), eta, beta);
        const m = mismatch(got?.theta, r.params, 1e-12) ?? mismatch(got?.velocity, r.state.velocity, 1e-12);
        if (m) return `at step ${step} with η = ${showValue(eta)}, β = ${showValue(beta)}, g = ${showValue(grad)}: ${m.replace('the answer', 'the result')}`;
        theta = got.theta; velocity = got.velocity; reference = r.params; state = r.state;
      }
    }
    return null;
  },
};

/** 03.3 — Adam's first step on a sparse gradient. */
const adamFirstStepExercise: Exercise<number[] | undefined> = {
  id: '03.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: "Adam's first step",
  statement: 'Adam ($\\eta = 0.1$, $\\beta_1 = 0.9$, $\\beta_2 = 0.999$, $\\epsilon = 10^{-7}$) takes its first step from θ = [0, 0, 0] with the gradient '
    + '$g = [0, 10^{-3}, -50]$. What is θ after the step (an array of 3, to 6 digits)?',
  hint: 'after bias correction, step 1 is η·g/(|g| + ε) for each entry: about η·sign(g), whatever the size of g, and 0 where g = 0.',
  stub: undefined,
  check: (answer) => mismatch(answer, adamStep([0, 0, 0], [0, 1e-3, -50], initAdamState(3), { learningRate: 0.1 }).params, 1e-6),
};

/** 03.4 — the largest stable learning rate of gradient descent on a quadratic. */
const stabilityLimitExercise: Exercise<number | undefined> = {
  id: '03.4', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'the stability limit',
  statement: 'Plain gradient descent minimises $f(\\theta) = \\theta_0^2 + 10\\,\\theta_1^2$. Above which learning rate $\\eta$ '
    + 'does it diverge from almost every start (a number)?',
  hint: 'along a curvature h (the second derivative) the error is multiplied by (1 − ηh) per step; |1 − ηh| < 1 needs η < 2/h for the LARGEST h.',
  stub: undefined,
  check: (answer) => mismatch(answer, 2 / 20, 1e-9),
};

/** Steps until |θ| < 1e-6 from [1, 1] on f = θ₀² + 10θ₁² (or `limit` when it never gets there). */
function stepsToConverge(momentum: number, learningRate: number, limit = 2000): number {
  const optimizer = momentum > 0 ? createScratchOptimizer({ kind: 'momentum', learningRate, momentum }) : createScratchOptimizer({ kind: 'sgd', learningRate });
  const path = optimizePath(optimizer, (t) => [2 * t[0]!, 20 * t[1]!], [1, 1], limit);
  const i = path.findIndex((t) => Math.hypot(t[0]!, t[1]!) < 1e-6);
  return i < 0 ? limit : i;
}

/** The momenta the experiment 03.5 compares. */
const MOMENTUM_CHOICES = [0, 0.5, 0.8, 0.9] as const;

/** 03.5 — an experiment: how much momentum on an ill-conditioned quadratic. */
const momentumExperiment: Exercise<number | undefined> = {
  id: '03.5', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'how much momentum',
  statement: 'On $f(\\theta) = \\theta_0^2 + 10\\,\\theta_1^2$ from $[1, 1]$ with $\\eta = 0.05$, run momentum with '
    + '$\\beta = 0$, $0.5$, $0.8$ and $0.9$ (`createScratchOptimizer`, `optimizePath`; $\\beta = 0$ is plain gradient descent) and count the steps '
    + 'each needs until $\\lVert\\theta\\rVert < 10^{-6}$. Which $\\beta$ needs the fewest steps (a number)?',
  hint: 'count, for each β, the first index of the path whose norm is below 1e-6; more momentum is not always faster — '
    + 'compare momentumSpectralRadius(η·2, β) for the flat direction.',
  stub: undefined,
  check: (answer) => {
    const counts = MOMENTUM_CHOICES.map((beta) => stepsToConverge(beta, 0.05));
    const best = MOMENTUM_CHOICES[counts.indexOf(Math.min(...counts))]!;
    return answer === best ? null
      : `rerun here: ${MOMENTUM_CHOICES.map((beta, i) => `β = ${beta}: ${counts[i]} steps`).join(', ')} — so β = ${best}, not ${showValue(answer)}`;
  },
};

/** The exercises of notebook 03, in order. */
export const OPTIMIZERS_EXERCISES: readonly Exercise<any>[] = [
  l2StepExercise, momentumExercise, adamFirstStepExercise, stabilityLimitExercise, momentumExperiment,
];
