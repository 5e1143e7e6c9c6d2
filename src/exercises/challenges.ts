/**
 * Exercises of notebook 09 (the open challenges): DP-SGD's noise, clipping by the global norm, federated averaging's
 * weights, and a demographic-parity gap.
 */
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm } from '../privacy/dp-sgd';
import { demographicParityDifference, groupMetrics } from '../metrics/group-metrics';
import { Exercise, todo } from './exercise';
import { mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '09-challenges';

/** 09.1 — the noise DP-SGD adds. */
const dpNoiseExercise: Exercise<number | undefined> = {
  id: '09.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: "DP-SGD's noise",
  statement: 'DP-SGD clips each example\'s gradient to norm $C = 1.5$ and adds Gaussian noise with noise multiplier $\\sigma = 1.1$ to '
    + 'the sum of the clipped gradients. What is the standard deviation of that noise (a number)?',
  hint: 'the noise is scaled to the clipping norm: its standard deviation is σ·C.',
  stub: undefined,
  check: (answer) => mismatch(answer, 1.1 * 1.5, 1e-9),
};

/** 09.2 — clipping by the global norm. */
const clipExercise: Exercise<(gradient: number[][], clip: number) => number[][]> = {
  id: '09.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'clipping by the global norm',
  statement: 'A gradient is a list of arrays (one per layer). Implement clipping by the **global** norm: if the norm of all '
    + 'entries together exceeds `clip`, scale every array by `clip / norm`; otherwise return it unchanged.',
  hint: 'norm = √(Σ over all arrays and entries of g²); one factor min(1, clip/norm) for every array — not one per array.',
  stub: () => todo(),
  check: (clipGradient) => {
    const rand = mulberry32(902);
    for (let trial = 0; trial < 12; trial++) {
      const gradient = Array.from({ length: 1 + (trial % 3) }, (_, k) => randomVector(rand, 2 + k + trial, 1 + trial));
      const clip = [0.5, 1, 5, 100][trial % 4]!;
      const want = tf.tidy(() => clipByGlobalNorm(gradient.map((g) => tf.tensor1d(g, 'float32')), clip).clipped.map((t) => Array.from(t.dataSync())));
      const m = mismatch(clipGradient(gradient.map((g) => g.slice()), clip), want, 1e-5, true);
      if (m) return `for clip ${clip} and gradient ${showValue(gradient.map((g) => g.map((v) => Number(v.toFixed(3)))))}: ${m}`;
    }
    return null;
  },
};

/** 09.3 — federated averaging's weights. */
const fedAvgExercise: Exercise<number | undefined> = {
  id: '09.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: "federated averaging's weights",
  statement: 'Three hospitals train on 100, 300 and 600 examples and send back the weight values $1.0$, $2.0$ and $3.0$ for one parameter. '
    + 'What value does federated averaging (FedAvg) give that parameter?',
  hint: "FedAvg weights each client's model by its share of the examples.",
  stub: undefined,
  check: (answer) => mismatch(answer, (100 * 1 + 300 * 2 + 600 * 3) / 1000, 1e-9),
};

/** 09.4 — a demographic-parity gap from decisions. */
const parityExercise: Exercise<(decisions: number[], groups: string[]) => number> = {
  id: '09.4', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'a demographic-parity gap',
  statement: 'Implement the demographic-parity difference: given 0/1 `decisions` (1 = approved) and a group label per applicant, '
    + 'the largest approval rate of any group minus the smallest.',
  hint: 'count approvals and applicants per group, divide, then take max − min over the groups.',
  stub: () => todo(),
  check: (parity) => {
    const rand = mulberry32(904);
    for (let trial = 0; trial < 12; trial++) {
      const n = 10 + 9 * trial;
      const names = ['a', 'b', 'c'].slice(0, 2 + (trial % 2));
      const groups = Array.from({ length: n }, (_, i) => names[i < names.length ? i : Math.floor(rand() * names.length)]!);
      const decisions = groups.map((g) => (rand() < (g === 'a' ? 0.7 : 0.4) ? 1 : 0));
      const want = demographicParityDifference(groupMetrics(decisions, decisions, groups));
      const m = mismatch(parity(decisions.slice(), groups.slice()), want, 1e-12);
      if (m) return `for decisions ${showValue(decisions)} and groups ${showValue(groups)}: ${m}`;
    }
    return null;
  },
};

/** The exercises of notebook 09, in order. */
export const CHALLENGES_EXERCISES: readonly Exercise<any>[] = [dpNoiseExercise, clipExercise, fedAvgExercise, parityExercise];
