/**
 * Population stability index (PSI, 群体稳定性指数): how far a variable's distribution in a new
 * population has moved from the one a model was built on — measurable **before any label arrives**.
 *
 * Bin the reference sample (e.g. the training scores) into `bins` quantile bins, so each holds about
 * 1/bins of it; with `e_i` the reference's share and `a_i` the new sample's share of bin i,
 *
 *   PSI = Σ_i (a_i − e_i) · ln(a_i / e_i)  =  KL(a‖e) + KL(e‖a)   (symmetric in a and e, ≥ 0).
 *
 * A share of 0 is replaced by `floor` (default 1e-4) so an empty bin gives a large but finite term.
 * Credit-risk practice reads PSI < 0.1 as stable, 0.1–0.25 as a moderate shift to investigate and
 * ≥ 0.25 as a major shift (Siddiqi, *Credit Risk Scorecards*, Wiley 2006; Yurdakul, *Statistical
 * properties of population stability index*, PhD thesis, Western Michigan University 2018) —
 * conventions, not statistical tests: with few rows PSI is positive by chance alone.
 *
 * For two normal distributions with equal variance σ² and means μ apart, PSI with fine bins tends to
 * the J-divergence (μ/σ)² (tested).
 *
 * ```ts
 * const r = populationStabilityIndex(trainScores, newScores);   // 10 quantile bins of trainScores
 * r.psi;                  // e.g. 0.22
 * psiBand(r.psi);         // 'moderate shift'
 * r.bins[0];              // { lower: -Infinity, upper: 0.07, expected: 0.1, actual: 0.04, contribution: 0.055 }
 * ```
 */

/** One bin of a PSI computation: `[lower, upper)`, the two shares and the bin's term of the sum. */
export interface PsiBin {
  lower: number;
  upper: number;
  /** Share of the reference sample in the bin (before the floor). */
  expected: number;
  /** Share of the new sample in the bin (before the floor). */
  actual: number;
  /** (a − e)·ln(a/e) with floored shares. */
  contribution: number;
}

export interface PsiResult {
  psi: number;
  bins: PsiBin[];
}

export interface PsiOptions {
  /** Quantile bins of the reference sample (default 10). Tied values can merge bins: fewer may result. */
  bins?: number;
  /** Smallest share used in the logarithm (default 1e-4). */
  floor?: number;
}

/** The reading of a PSI value by the usual credit-risk bands. */
export type PsiBand = 'stable' | 'moderate shift' | 'major shift';

/** 'stable' below 0.1, 'moderate shift' below 0.25, 'major shift' from 0.25. */
export function psiBand(psi: number): PsiBand {
  if (!(psi >= 0)) throw new Error(`psiBand: psi = ${psi}; a PSI is a number ≥ 0`);
  return psi < 0.1 ? 'stable' : psi < 0.25 ? 'moderate shift' : 'major shift';
}

function checkSample(name: string, values: ArrayLike<number>): void {
  if (values.length === 0) throw new Error(`populationStabilityIndex: the ${name} sample is empty`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`populationStabilityIndex: the ${name} sample has ${values[i]} at index ${i}; remove or impute non-finite values first`);
  }
}

/**
 * Inner edges of `bins` quantile bins of `reference`: the values at ranks ⌊k·n/bins⌋, k = 1…bins−1,
 * without duplicates (so tied values stay in one bin). A value v belongs to the first bin whose upper edge is > v.
 */
export function quantileEdges(reference: ArrayLike<number>, bins = 10): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`quantileEdges: bins = ${bins}; use an integer ≥ 2`);
  const sorted = Float64Array.from(reference).sort();
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const v = sorted[Math.floor((k * sorted.length) / bins)]!;
    if (v > sorted[0]! && (edges.length === 0 || v > edges[edges.length - 1]!)) edges.push(v);
  }
  return edges;
}

function shares(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = edges.length; // binary search: the number of edges ≤ v
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts.map((c) => c / values.length);
}

/** PSI of `actual` against `reference`, binned by quantiles of `reference` (see the module doc). */
export function populationStabilityIndex(reference: ArrayLike<number>, actual: ArrayLike<number>, options: PsiOptions = {}): PsiResult {
  checkSample('reference', reference);
  checkSample('new', actual);
  const floor = options.floor ?? 1e-4;
  if (!(floor > 0 && floor < 1)) throw new Error(`populationStabilityIndex: floor = ${floor}; use a small share in (0, 1), e.g. 1e-4`);
  const edges = quantileEdges(reference, options.bins ?? 10);
  const e = shares(reference, edges);
  const a = shares(actual, edges);
  const bins = e.map((ei, i): PsiBin => {
    const ef = Math.max(ei, floor);
    const af = Math.max(a[i]!, floor);
    return { lower: i === 0 ? -Infinity : edges[i - 1]!, upper: i === edges.length ? Infinity : edges[i]!, expected: ei, actual: a[i]!, contribution: (af - ef) * Math.log(af / ef) };
  });
  return { psi: bins.reduce((s, b) => s + b.contribution, 0), bins };
}
