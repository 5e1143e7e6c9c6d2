/**
 * Exercises of notebook 08 (deployment): the size of a model's weights, a latency percentile, 8-bit quantization by
 * hand, and what quantization costs in precision.
 */
import { dequantizeUint8, maxAbsError, quantizeUint8 } from '../deploy/quantize';
import { Exercise, todo } from './exercise';
import { mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '08-deployment';

/** 08.1 — the size of the weights. */
const modelSizeExercise: Exercise<number | undefined> = {
  id: '08.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the size of the weights',
  statement: 'The article\'s CNN has 54,410 parameters stored as float32. How many bytes do its weights take (a number)?',
  hint: 'a float32 is 4 bytes.',
  stub: undefined,
  check: (answer) => mismatch(answer, 54410 * 4, 0),
};

/** 08.2 — a latency percentile. */
const percentileExercise: Exercise<number | undefined> = {
  id: '08.2', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the 95th percentile',
  statement: 'Twenty requests took 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 5, 6, 9 and 40 ms. With the nearest-rank '
    + 'definition (the smallest value with at least $95\\%$ of the requests at or below it), what is the p95 latency in ms?',
  hint: '95 % of 20 requests is 19: sort the times and take the 19th.',
  stub: undefined,
  check: (answer) => mismatch(answer, 9, 0),
};

/** The learner's 8-bit quantization: values → { data (0..255), scale, min }. */
export type QuantizeFn = (values: number[]) => { data: number[]; scale: number; min: number };

/** 08.3 — 8-bit affine quantization. */
const quantizeExercise: Exercise<QuantizeFn> = {
  id: '08.3', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: '8-bit quantization',
  statement: 'Implement 8-bit affine quantization: map the range [min, max] of `values` onto the integers 0…255, returning '
    + '`{ data, scale, min }` so that `data[i] * scale + min` is within `scale / 2` of `values[i]`.',
  hint: 'scale = (max − min) / 255; data[i] = round((values[i] − min) / scale), clamped to 0…255 (guard scale = 0 for constant values).',
  stub: () => todo(),
  check: (quantize) => {
    const rand = mulberry32(803);
    const cases = [[0.5, 0.5, 0.5], [-1, 1], ...Array.from({ length: 10 }, (_, t) => randomVector(rand, 5 + 10 * t, 0.1 + t))];
    for (const values of cases) {
      const q = quantize(values.slice());
      if (!q || !Array.isArray(q.data) || q.data.length !== values.length) return `for ${showValue(values)}: data must be an array of ${values.length}`;
      const bad = q.data.findIndex((d) => !Number.isInteger(d) || d < 0 || d > 255);
      if (bad >= 0) return `for ${showValue(values)}: data[${bad}] = ${q.data[bad]} is not an integer in 0…255`;
      const tolerance = Math.max(q.scale / 2, 1e-12) * (1 + 1e-9);
      const worst = values.findIndex((v, i) => Math.abs(q.data[i]! * q.scale + q.min - v) > tolerance);
      if (worst >= 0) return `for ${showValue(values)}: value ${showValue(values[worst]!)} comes back as ${showValue(q.data[worst]! * q.scale + q.min)}`;
      const spread = Math.max(...values) - Math.min(...values);
      if (spread > 0 && q.scale > spread / 255 * (1 + 1e-9)) return `for ${showValue(values)}: scale ${showValue(q.scale)} wastes levels; (max − min)/255 = ${showValue(spread / 255)}`;
    }
    return null;
  },
};

/** The largest error of an 8-bit round trip of `n` seeded weights drawn from [−spread, spread]. */
export function quantizationError(n: number, spread: number): number {
  const values = randomVector(mulberry32(808), n, spread);
  return maxAbsError(values, dequantizeUint8(quantizeUint8(values)));
}

/** 08.4 — an experiment: what sets the error of 8-bit weights. */
const quantizationExperiment: Exercise<number | undefined> = {
  id: '08.4', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'what 8 bits cost',
  statement: 'Measure `quantizationError(1000, 1)` and `quantizationError(1000, 8)` (the largest error of an 8-bit round trip of '
    + '1,000 weights spread over [−1, 1] and [−8, 8]). By what factor does the error grow with the $8\\times$ wider range (within $10\\%$)?',
  hint: 'the error is at most half a step, and the step is the range divided by 255.',
  stub: undefined,
  check: (answer) => {
    const ratio = quantizationError(1000, 8) / quantizationError(1000, 1);
    return mismatch(answer, ratio, 0.1, true) === null ? null : `measured here: ${ratio.toFixed(2)}×, not ${showValue(answer)}`;
  },
};

/** The exercises of notebook 08, in order. */
export const DEPLOYMENT_EXERCISES: readonly Exercise<any>[] = [modelSizeExercise, percentileExercise, quantizeExercise, quantizationExperiment];
