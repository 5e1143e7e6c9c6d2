/**
 * Exercises of notebook 07 (defect detection): a Wilson interval, Grad-CAM's weighting on plain arrays, a quarter
 * turn of an image, the throughput an inspection line needs, and the symmetries texture augmentation draws from.
 */
import * as tf from '@tensorflow/tfjs';
import { wilsonInterval } from '../metrics/intervals';
import { dihedralTransform, rotate90 } from '../vision/texture-augment';
import { Exercise, todo } from './exercise';
import { mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '07-defect-detection';

/** 07.1 — a Wilson interval for a small test set. */
const wilsonExercise: Exercise<number[] | undefined> = {
  id: '07.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'an interval for 58 of 60',
  statement: 'A model classifies 58 of 60 test images of one class correctly. Give the $95\\%$ Wilson interval of its recall on that '
    + 'class, `[low, high]` (to 3 decimals; `wilsonInterval` is in the library).',
  hint: 'wilsonInterval(p, n) with p = 58/60 and n = 60; the interval is not symmetric around p near 1.',
  stub: undefined,
  check: (answer) => mismatch(answer, wilsonInterval(58 / 60, 60), 5e-4),
};

/** The learner's Grad-CAM: activations and gradients `[h][w][k]` → the map `[h][w]` (before any rescaling). */
export type GradCamMap = (activations: number[][][], gradients: number[][][]) => number[][];

/** 07.2 — Grad-CAM's weighting on plain arrays. */
const gradCamExercise: Exercise<GradCamMap> = {
  id: '07.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 3,
  title: "Grad-CAM's weighting",
  statement: 'Given a convolution layer\'s activations $A$ and the gradients $\\partial y / \\partial A$ of a class score, both '
    + '`[h][w][k]`, implement the Grad-CAM map `[h][w]`: weight each channel by the mean of its gradient over all positions, sum the '
    + 'weighted channels, and keep only the positive part.',
  hint: 'α_k = (1/(h·w)) Σ_{i,j} ∂y/∂A[i][j][k]; map[i][j] = max(0, Σ_k α_k · A[i][j][k]).',
  stub: () => todo(),
  check: (gradCam) => {
    const rand = mulberry32(702);
    for (let trial = 0; trial < 10; trial++) {
      const [h, w, k] = [2 + (trial % 4), 3 + (trial % 3), 1 + (trial % 5)];
      const grid = () => Array.from({ length: h }, () => Array.from({ length: w }, () => randomVector(rand, k, 2)));
      const a = grid();
      const g = grid();
      const alpha = Array.from({ length: k }, (_, c) => g.flat().reduce((s, cell) => s + cell[c]!, 0) / (h * w));
      const want = a.map((row) => row.map((cell) => Math.max(0, cell.reduce((s, v, c) => s + alpha[c]! * v, 0))));
      const m = mismatch(gradCam(a.map((r) => r.map((c) => c.slice())), g.map((r) => r.map((c) => c.slice()))), want, 1e-9);
      if (m) return `for a ${h}×${w}×${k} layer (seeded trial ${trial}): ${m}`;
    }
    return null;
  },
};

/** 07.3 — a quarter turn by hand. */
const rotateExercise: Exercise<(image: number[][]) => number[][]> = {
  id: '07.3', notebook: NOTEBOOK, kind: 'implement', difficulty: 1,
  title: 'a quarter turn',
  statement: 'Implement a quarter turn **counter-clockwise** of an image `image[row][col]` (any height and width), as `rotate90` '
    + 'does for a batch of tensors.',
  hint: 'for a counter-clockwise turn the first row of the result is the last column of the input, read top to bottom: out[i][j] = in[j][w − 1 − i].',
  stub: () => todo(),
  check: (turn) => {
    for (const [h, w] of [[2, 3], [3, 3], [4, 2], [1, 5]] as const) {
      const image = Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => 10 * r + c));
      const want = tf.tidy(() => (rotate90(tf.tensor4d(image.flat(), [1, h, w, 1])).squeeze([0, 3]).arraySync() as number[][]));
      const m = mismatch(turn(image.map((row) => row.slice())), want, 0);
      if (m) return `for ${showValue(image)}: ${m}`;
    }
    return null;
  },
};

/** 07.4 — the throughput an inspection line needs. */
const lineRateExercise: Exercise<number | undefined> = {
  id: '07.4', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'images per second on the line',
  statement: 'A steel strip moves at $2$ m/s under two cameras side by side; each camera takes one image per $0.25$ m of strip. How many '
    + 'images per second must the model classify to keep up?',
  hint: 'each camera takes (2 m/s) / (0.25 m) images per second; there are two cameras.',
  stub: undefined,
  check: (answer) => mismatch(answer, 2 * (2 / 0.25), 1e-9),
};

/** How many different images `dihedralTransform` gives of one asymmetric 3×3 image over the indices 0..7. */
function distinctSymmetries(): number {
  const seen = new Set<string>();
  for (let t = 0; t < 8; t++) {
    seen.add(tf.tidy(() => JSON.stringify(dihedralTransform(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), t).dataSync())));
  }
  return seen.size;
}

/** 07.5 — an experiment: how many images augmentation makes of one. */
const symmetriesExperiment: Exercise<number | undefined> = {
  id: '07.5', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'how many images from one',
  statement: 'Apply `dihedralTransform(x, t)` for t = 0, …, 7 to a 3×3 image whose pixels are 1…9 (all different) and count the '
    + 'distinct results (a number). Texture augmentation draws from exactly these transforms.',
  hint: 'four quarter turns, each with or without a mirror flip: the symmetries of a square; with all pixels different none of them coincide.',
  stub: undefined,
  check: (answer) => {
    const measured = distinctSymmetries();
    return answer === measured ? null : `counted here: ${measured} distinct images, not ${showValue(answer)}`;
  },
};

/** The exercises of notebook 07, in order. */
export const DEFECTS_EXERCISES: readonly Exercise<any>[] = [wilsonExercise, gradCamExercise, rotateExercise, lineRateExercise, symmetriesExperiment];
