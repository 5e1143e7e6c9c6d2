/**
 * Learning curves (学习曲线): test error against training-set size, and the power law that summarises them.
 *
 * A learning curve is measured on a grid of training-set sizes (`logSpacedSizes`), several runs (seeds) per size.
 * Its usual summary (Hestness et al. 2017, "Deep learning scaling is predictable, empirically") is a power law
 *
 *   error(n) ≈ a · n^(−b)            ('power'), or with an irreducible floor c ≥ 0:
 *   error(n) ≈ c + a · n^(−b)        ('power+floor').
 *
 * Both are fitted in **log space**: the pure power law is a straight line ln e = ln a − b · ln n, fitted by least squares
 * (so each point counts by its relative, not absolute, error — a 1 % error matters as much as a 10 % one); the floor
 * form minimises Σ (ln e − ln(c + a n^(−b)))² over c ∈ [0, min e), with a and b the straight-line fit of ln(e − c) for
 * each c. `holdoutLargestSize` asks which form extrapolates: fit on every size but the largest, predict the largest.
 * `bootstrapPowerLaw` gives the uncertainty of b and of a prediction: it resamples the runs within each size.
 *
 * Shapes: `sizes`, `errors` are parallel arrays, one entry per run or per size; errors strictly positive.
 *
 * ```ts
 * logSpacedSizes(540, 54000, 5);                     // [540, 1708, 5400, 17076, 54000]
 * const fit = fitPowerLaw([100, 1000, 10000], [0.2, 0.1, 0.05]);
 * fit.b;                                             // 0.30103  (10× more data halves the error: 10^(−b) = 0.5)
 * fit.predict(100000);                               // 0.025
 * ```
 */
import { mulberry32 } from '../training/random';
import { quantile, stratifiedResampleIndices } from './bootstrap';
import { mean } from './describe';

/** The two forms of the curve: a pure power law, or one with an irreducible floor c. */
export type PowerLawForm = 'power' | 'power+floor';

/** A fitted learning curve error(n) = c + a · n^(−b) (c = 0 for 'power'). */
export interface PowerLawFit {
  form: PowerLawForm;
  a: number;
  /** The exponent: 10× more data multiplies the reducible error a·n^(−b) by 10^(−b). */
  b: number;
  /** The floor (0 for 'power'). */
  c: number;
  /** Root mean square of ln e − ln ê over the fitted points. */
  rmsLog: number;
  /** The fitted error at size n. */
  predict: (n: number) => number;
}

/** One run of a learning curve: the training-set size and the error it reached. */
export interface LearningCurveRun {
  size: number;
  error: number;
}

/** The runs of one size: their mean, spread and count. */
export interface LearningCurveSize {
  size: number;
  mean: number;
  min: number;
  max: number;
  count: number;
}

/**
 * `count` whole sizes spaced evenly on a log scale from `min` to `max` (both included), rounded, strictly increasing.
 * `logSpacedSizes(24, 1152, 5)` → `[24, 63, 166, 438, 1152]`.
 */
export function logSpacedSizes(min: number, max: number, count: number): number[] {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max > min)) {
    throw new Error(`logSpacedSizes: min and max must be whole numbers with 1 ≤ min < max, got ${min} and ${max}`);
  }
  if (!(Number.isInteger(count) && count >= 2)) throw new Error(`logSpacedSizes: count must be a whole number ≥ 2, got ${count}`);
  const sizes = Array.from({ length: count }, (_, i) => Math.round(min * (max / min) ** (i / (count - 1))));
  for (let i = 1; i < count; i++) {
    if (sizes[i]! <= sizes[i - 1]!) throw new Error(`logSpacedSizes: ${count} sizes from ${min} to ${max} are too close to be distinct after rounding`);
  }
  return sizes;
}

function checkCurve(sizes: readonly number[], errors: readonly number[], fn: string): void {
  if (sizes.length !== errors.length) throw new Error(`${fn}: ${sizes.length} sizes but ${errors.length} errors; give one error per size`);
  sizes.forEach((n, i) => {
    if (!(Number.isFinite(n) && n > 0)) throw new Error(`${fn}: size ${n} at position ${i} must be a positive number`);
  });
  errors.forEach((e, i) => {
    if (!(Number.isFinite(e) && e > 0)) {
      throw new Error(`${fn}: error ${e} at size ${sizes[i]} must be a positive number — the curve is fitted in log space, and ln 0 is −∞ `
        + '(an error of 0 on a finite test set means "below 1 / test size": use a larger test set or drop that size)');
    }
  });
  if (new Set(sizes).size < 2) throw new Error(`${fn}: the sizes must take at least 2 different values to fit a slope, got ${[...new Set(sizes)].join(', ')}`);
}

/** Least squares of y on x: intercept, slope and the sum of squared residuals. */
function lineFit(x: readonly number[], y: readonly number[]): { intercept: number; slope: number; sse: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - intercept - slope * x[i]!) ** 2;
  return { intercept, slope, sse };
}

function makeFit(form: PowerLawForm, a: number, b: number, c: number, sizes: readonly number[], errors: readonly number[]): PowerLawFit {
  const predict = (n: number): number => c + a * n ** -b;
  const sse = sizes.reduce((s, n, i) => s + (Math.log(errors[i]!) - Math.log(predict(n))) ** 2, 0);
  return { form, a, b, c, rmsLog: Math.sqrt(sse / sizes.length), predict };
}

/**
 * Fit error(n) ≈ a·n^(−b) (`form: 'power'`, default) or c + a·n^(−b) (`'power+floor'`, which needs 4 distinct sizes)
 * in log space; see the module doc. Exact on data that follow the form: `fitPowerLaw([10, 100], [0.4, 0.2]).b` = log10 2.
 */
export function fitPowerLaw(sizes: readonly number[], errors: readonly number[], options: { form?: PowerLawForm } = {}): PowerLawFit {
  const form = options.form ?? 'power';
  checkCurve(sizes, errors, 'fitPowerLaw');
  const x = sizes.map((n) => Math.log(n));
  if (form === 'power') {
    const line = lineFit(x, errors.map((e) => Math.log(e)));
    return makeFit('power', Math.exp(line.intercept), -line.slope, 0, sizes, errors);
  }
  if (new Set(sizes).size < 4) throw new Error(`fitPowerLaw: the form 'power+floor' has 3 parameters and needs at least 4 different sizes, got ${new Set(sizes).size}`);
  const lowest = Math.min(...errors);
  const sseAt = (c: number): { sse: number; fit: PowerLawFit } => {
    const line = lineFit(x, errors.map((e) => Math.log(e - c)));
    const fit = makeFit('power+floor', Math.exp(line.intercept), -line.slope, c, sizes, errors);
    return { sse: fit.rmsLog ** 2, fit };
  };
  // A grid over c ∈ [0, min e), then golden-section search around the best grid point.
  const steps = 400;
  let best = 0;
  let bestSse = Infinity;
  for (let k = 0; k < steps; k++) {
    const s = sseAt((lowest * k) / steps).sse;
    if (s < bestSse) [best, bestSse] = [k, s];
  }
  let lo = (lowest * Math.max(0, best - 1)) / steps;
  let hi = (lowest * Math.min(steps - 0.001, best + 1)) / steps;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 80; it++) {
    const m1 = hi - g * (hi - lo);
    const m2 = lo + g * (hi - lo);
    if (sseAt(m1).sse <= sseAt(m2).sse) hi = m2;
    else lo = m1;
  }
  const atGrid = sseAt((lowest * best) / steps);
  const refined = sseAt((lo + hi) / 2);
  return (refined.sse <= atGrid.sse ? refined : atGrid).fit;
}

/** The runs grouped by size, ascending: mean, min, max and count of the errors. */
export function learningCurveBySize(runs: readonly LearningCurveRun[]): LearningCurveSize[] {
  if (runs.length === 0) throw new Error('learningCurveBySize: no runs');
  const groups = new Map<number, number[]>();
  for (const r of runs) groups.set(r.size, [...(groups.get(r.size) ?? []), r.error]);
  return [...groups.entries()].sort((p, q) => p[0] - q[0]).map(([size, e]) => ({
    size, mean: mean(e), min: Math.min(...e), max: Math.max(...e), count: e.length,
  }));
}

/**
 * How well a form extrapolates: fit it on the per-size means of every size but the largest, predict the largest.
 * Returns the prediction, the observed mean and |ln(predicted / observed)| (0 = perfect).
 */
export function holdoutLargestSize(runs: readonly LearningCurveRun[], form: PowerLawForm): { predicted: number; observed: number; logError: number } {
  const bySize = learningCurveBySize(runs);
  const kept = bySize.slice(0, -1);
  const last = bySize[bySize.length - 1]!;
  const fit = fitPowerLaw(kept.map((s) => s.size), kept.map((s) => s.mean), { form });
  const predicted = fit.predict(last.size);
  return { predicted, observed: last.mean, logError: Math.abs(Math.log(predicted / last.mean)) };
}

/** What `bootstrapPowerLaw` returns: the fit to the per-size means, and percentile intervals. */
export interface PowerLawBootstrap {
  fit: PowerLawFit;
  /** The size whose error is predicted, its prediction and the interval. */
  at: number;
  prediction: { estimate: number; lower: number; upper: number };
  b: { estimate: number; lower: number; upper: number };
  resamples: number;
}

/**
 * Fit `form` to the per-size mean errors of `runs` and predict the error at size `at`, with percentile intervals
 * (level 0.95 by default) from `resamples` bootstrap resamples: each resample draws, within every size, as many runs as
 * it has, with replacement, and refits. Seeded (`seed`, default 1): the same call gives the same interval.
 * The interval covers the noise between runs, not the risk that the curve bends beyond the measured sizes.
 */
export function bootstrapPowerLaw(runs: readonly LearningCurveRun[], at: number, options: {
  form?: PowerLawForm; resamples?: number; level?: number; seed?: number;
} = {}): PowerLawBootstrap {
  const form = options.form ?? 'power';
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (!(Number.isInteger(resamples) && resamples >= 10)) throw new Error(`bootstrapPowerLaw: resamples must be a whole number ≥ 10, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrapPowerLaw: level must be in (0, 1), got ${level}`);
  if (!(Number.isFinite(at) && at > 0)) throw new Error(`bootstrapPowerLaw: at must be a positive size, got ${at}`);
  const bySize = learningCurveBySize(runs);
  const fit = fitPowerLaw(bySize.map((s) => s.size), bySize.map((s) => s.mean), { form });
  // The runs' indices, grouped by size (in bySize's order): a resample draws within each group.
  const groups = bySize.map((s) => runs.flatMap((r, i) => (r.size === s.size ? [i] : [])));
  const rand = mulberry32(options.seed ?? 1);
  const predictions: number[] = [];
  const exponents: number[] = [];
  for (let k = 0; k < resamples; k++) {
    const drawn = stratifiedResampleIndices(groups, rand);
    let offset = 0;
    const means = groups.map((g) => {
      let s = 0;
      for (let j = 0; j < g.length; j++) s += runs[drawn[offset + j]!]!.error;
      offset += g.length;
      return s / g.length;
    });
    const f = fitPowerLaw(bySize.map((s) => s.size), means, { form });
    predictions.push(f.predict(at));
    exponents.push(f.b);
  }
  const tail = (1 - level) / 2;
  return {
    fit, at, resamples,
    prediction: { estimate: fit.predict(at), lower: quantile(predictions, tail), upper: quantile(predictions, 1 - tail) },
    b: { estimate: fit.b, lower: quantile(exponents, tail), upper: quantile(exponents, 1 - tail) },
  };
}
