/**
 * Descriptive statistics (描述统计) of a list of numbers: the mean, the sample standard deviation and
 * a histogram — what notebooks print about fold results, bootstrap replicates or image brightness.
 *
 *   mean = Σ v / n,   sample sd = √( Σ (v − mean)² / (n − 1) )   (Bessel's n − 1: the spread of the
 *   population the values were drawn from, e.g. 5 cross-validation folds)
 *
 * ```ts
 * mean([0.74, 0.78, 0.76]);          // 0.76
 * sampleSd([0.74, 0.78, 0.76]);      // 0.02
 * histogram([0.1, 0.15, 0.9], 0, 1, 4);   // [2, 0, 0, 1]: bins [0, 0.25), [0.25, 0.5), …
 * ```
 */

/**
 * The arithmetic mean, summed left to right.
 * @throws for an empty list (its mean is undefined).
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean: no values');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The sample standard deviation (divisor n − 1) around `mean(values)`.
 * @throws for fewer than two values (one value has no spread to estimate).
 */
export function sampleSd(values: readonly number[]): number {
  if (values.length < 2) throw new Error(`sampleSd: ${values.length} value(s); a sample standard deviation needs at least 2`);
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}

/**
 * Counts of `values` in `bins` equal bins over [lo, hi): bin k holds lo + k·(hi − lo)/bins ≤ v < lo + (k + 1)·(hi − lo)/bins.
 * Values below `lo` count in the first bin, values at or above `hi` in the last (nothing is dropped, so the
 * counts sum to `values.length`).
 * @throws if `bins` is not a positive integer, `hi ≤ lo`, or a value is not finite.
 */
export function histogram(values: readonly number[], lo: number, hi: number, bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins = ${bins}; use an integer ≥ 1`);
  if (!(hi > lo)) throw new Error(`histogram: the range [${lo}, ${hi}) is empty; hi must be above lo`);
  const h = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`histogram: value ${v} is not a finite number`);
    h[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)))]!++;
  }
  return h;
}
