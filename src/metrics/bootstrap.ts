/**
 * The bootstrap (自助法) and percentile confidence intervals (置信区间) for any metric.
 *
 * A test set of 156 images gives one AUC; another 156 images from the same clinic would give a
 * different one. The bootstrap estimates that spread from the data alone: draw n examples *with
 * replacement* from the n we have (a "resample"), recompute the metric, repeat B times. The B values
 * approximate the metric's sampling distribution; its 2.5 % and 97.5 % quantiles are the **percentile
 * 95 % confidence interval** (Efron & Tibshirani 1993, ch. 13).
 *
 * The resamples come from their own Mulberry32 stream seeded by `options.seed` (default 42), so an
 * interval repeats exactly and computing it does not disturb the course's global generator (`seed`).
 * With `stratified: true`, positives and negatives are resampled separately, keeping both class
 * counts fixed — every resample then has both classes, which AUC needs.
 *
 * ```ts
 * const ci = bootstrapMetric(yTest, scores, rocAuc, { resamples: 2000, seed: 42 });
 * ci.estimate;            // the AUC on the full test set, e.g. 0.905
 * [ci.lower, ci.upper];   // e.g. [0.85, 0.95]: the percentile 95 % interval
 * ```
 */
import { mulberry32 } from '../training/random';

export interface BootstrapOptions {
  /** Number of resamples B (default 2000). */
  resamples?: number;
  /** Confidence level of the interval (default 0.95 → the 2.5 % and 97.5 % quantiles). */
  level?: number;
  /** Seed of the resampling stream (default 42). */
  seed?: number;
}

export interface BootstrapResult {
  /** The statistic on the original sample (all indices once). */
  estimate: number;
  /** Lower end of the percentile interval: the (1 − level)/2 quantile of `values`. */
  lower: number;
  /** Upper end: the (1 + level)/2 quantile of `values`. */
  upper: number;
  level: number;
  /** Standard deviation of the bootstrap values (the bootstrap standard error, 标准误). */
  standardError: number;
  /** The statistic of each resample, in drawing order (length = resamples). */
  values: Float64Array;
  resamples: number;
  seed: number;
  /** Resamples that were drawn again because the statistic threw or was not finite (e.g. only one class). */
  redrawn: number;
}

/**
 * The q-quantile of `values` with linear interpolation between order statistics (NumPy's default,
 * Hyndman & Fan type 7): position h = (n − 1)·q in the sorted values.
 *
 * `quantile([1, 2, 3, 4], 0.25)` is 1.75.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('quantile: no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}`);
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1]!)) throw new Error('quantile: values contain NaN');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * One resample: n indices drawn uniformly with replacement from 0..n−1, using `rng`.
 * Index k is `floor(rng() · n)`.
 */
export function resampleIndices(n: number, rng: () => number): Int32Array {
  if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`resampleIndices: n must be a positive integer, got ${n}`);
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = Math.floor(rng() * n);
  return out;
}

/**
 * One stratified resample: within each group (e.g. the indices of each class) as many indices as the
 * group has, drawn with replacement from that group; the groups' draws are concatenated in order.
 */
export function stratifiedResampleIndices(groups: readonly (readonly number[])[], rng: () => number): Int32Array {
  const n = groups.reduce((s, g) => s + g.length, 0);
  const out = new Int32Array(n);
  let k = 0;
  for (const g of groups) {
    for (let j = 0; j < g.length; j++) out[k++] = g[Math.floor(rng() * g.length)]!;
  }
  return out;
}

function checkOptions(options: BootstrapOptions): { resamples: number; level: number; seed: number } {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 42;
  if (!(resamples >= 1) || !Number.isInteger(resamples)) throw new Error(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  if (!Number.isFinite(seed)) throw new Error(`bootstrap: seed must be a finite number, got ${seed}`);
  return { resamples, level, seed };
}

function summarize(estimate: number, values: Float64Array, level: number, seed: number, redrawn: number): BootstrapResult {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const standardError = values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0;
  return {
    estimate,
    lower: quantile(values, (1 - level) / 2),
    upper: quantile(values, (1 + level) / 2),
    level,
    standardError,
    values,
    resamples: values.length,
    seed,
    redrawn,
  };
}

/**
 * The percentile bootstrap of a statistic of n examples, given as a function of the resampled
 * indices (the original sample is `0, 1, …, n−1`).
 *
 * @param draw how one resample is drawn (default: `resampleIndices(n, rng)`).
 */
export function bootstrapStatistic(n: number, statistic: (indices: Int32Array) => number, options: BootstrapOptions = {},
  draw?: (rng: () => number) => Int32Array): BootstrapResult {
  const { resamples, level, seed } = checkOptions(options);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(identity);
  const rng = mulberry32(seed);
  const drawOne = draw ?? ((r: () => number) => resampleIndices(n, r));
  const values = new Float64Array(resamples);
  const maxRedraws = 10 * resamples + 100;
  let redrawn = 0;
  for (let b = 0; b < resamples; b++) {
    for (;;) {
      const idx = drawOne(rng);
      let v = Number.NaN;
      try {
        v = statistic(idx);
      } catch {
        v = Number.NaN;
      }
      if (Number.isFinite(v)) {
        values[b] = v;
        break;
      }
      if (++redrawn > maxRedraws) throw new Error(`bootstrap: the statistic failed on ${redrawn} resamples; is the sample too small?`);
    }
  }
  return summarize(estimate, values, level, seed, redrawn);
}

/** The values of `v` at `idx`, in order. */
function pick(v: readonly number[], idx: Int32Array): number[] {
  const out = new Array<number>(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = v[idx[k]!]!;
  return out;
}

/** A stratified draw over the examples of each label value (groups in ascending label order). */
function drawWithinLabels(y: readonly number[]): (rng: () => number) => Int32Array {
  const byLabel = new Map<number, number[]>();
  y.forEach((label, i) => {
    const g = byLabel.get(label);
    if (g) g.push(i);
    else byLabel.set(label, [i]);
  });
  const groups = [...byLabel.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  return (rng) => stratifiedResampleIndices(groups, rng);
}

function checkScores(name: string, yTrue: ArrayLike<number>, ...scores: ArrayLike<number>[]): void {
  const n = yTrue.length;
  for (const s of scores) if (s.length !== n) throw new Error(`${name}: ${n} labels but ${s.length} scores`);
  if (n === 0) throw new Error(`${name}: no examples`);
}

/**
 * The percentile bootstrap interval of a metric of labels and scores, e.g. `rocAuc`, or accuracy at a
 * threshold. `stratified: true` resamples each label value separately (class counts fixed).
 *
 * ```ts
 * bootstrapMetric([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], rocAuc, { resamples: 1000, stratified: true });
 * ```
 */
export function bootstrapMetric(yTrue: ArrayLike<number>, scores: ArrayLike<number>,
  metric: (yTrue: number[], scores: number[]) => number, options: BootstrapOptions & { stratified?: boolean } = {}): BootstrapResult {
  checkScores('bootstrapMetric', yTrue, scores);
  const y = Array.from(yTrue);
  const s = Array.from(scores);
  const statistic = (idx: Int32Array): number => metric(pick(y, idx), pick(s, idx));
  return bootstrapStatistic(y.length, statistic, options, options.stratified ? drawWithinLabels(y) : undefined);
}

/**
 * The **paired** bootstrap (配对自助法) of a metric's difference between two models scored on the same
 * examples, `metric(y, scoresA) − metric(y, scoresB)`: each resample draws the same examples for both
 * models, so the luck they share (easy or hard examples drawn) cancels, and the interval is much
 * narrower than two separate intervals suggest. An interval above 0 means A is better beyond that noise.
 *
 * ```ts
 * const d = bootstrapMetricDifference(yTest, cnnScores, baselineScores, rocAuc, { stratified: true });
 * d.estimate;             // AUC(cnn) − AUC(baseline) on the test set
 * d.lower > 0;            // the CNN's advantage is larger than the resampling noise
 * ```
 */
export function bootstrapMetricDifference(yTrue: ArrayLike<number>, scoresA: ArrayLike<number>, scoresB: ArrayLike<number>,
  metric: (yTrue: number[], scores: number[]) => number, options: BootstrapOptions & { stratified?: boolean } = {}): BootstrapResult {
  checkScores('bootstrapMetricDifference', yTrue, scoresA, scoresB);
  const y = Array.from(yTrue);
  const a = Array.from(scoresA);
  const b = Array.from(scoresB);
  const statistic = (idx: Int32Array): number => {
    const yb = pick(y, idx);
    return metric(yb, pick(a, idx)) - metric(yb, pick(b, idx));
  };
  return bootstrapStatistic(y.length, statistic, options, options.stratified ? drawWithinLabels(y) : undefined);
}
