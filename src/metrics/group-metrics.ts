/**
 * Group fairness metrics (公平性指标): how a binary decision treats groups of people — by age,
 * sex, or any other attribute.
 *
 * The decision has a **favorable** outcome (`favorable`, default 1): a loan approved, a candidate
 * invited. For each group g:
 *
 * - selection rate (approval rate, 通过率) = P(ŷ = fav | g)
 * - TPR = P(ŷ = fav | y = fav, g): the deserving who get the favorable decision (e.g. good
 *   payers approved); FNR = 1 − TPR: the deserving who are turned down
 * - FPR = P(ŷ = fav | y ≠ fav, g): the undeserving who get it anyway (bad payers approved)
 *
 * and across groups:
 *
 * - **demographic parity difference** (人口均等差异) = max − min selection rate
 * - **equal opportunity difference** (机会均等差异, Hardt et al. 2016) = max − min TPR
 * - **equalized odds difference** = the larger of the TPR gap and the FPR gap
 * - **disparate impact ratio** = min / max selection rate (the US "four-fifths rule" flags < 0.8)
 *
 * A rate with an empty denominator (a group without any deserving member, say) is NaN and is left
 * out of the gaps.
 *
 * ```ts
 * const rates = groupMetrics(approvedTrue, approvedPred, ages.map((a) => (a < 25 ? '< 25' : '≥ 25')));
 * rates[0];   // { group: '< 25', count: 190, selectionRate: 0.52, tpr: 0.63, fpr: 0.31, ... }
 * demographicParityDifference(rates);   // 0.2
 * equalOpportunityDifference(rates);    // 0.15
 * ```
 */

export interface GroupMetricsOptions {
  /** The label/decision value that is the favorable outcome (default 1). */
  favorable?: number;
  /** Group order in the result (default: sorted by name); groups not listed follow, sorted. */
  order?: readonly string[];
}

/** The rates of one group (with `favorable` as "positive"). */
export interface GroupRates {
  group: string;
  count: number;
  /** count / all examples. */
  share: number;
  /** P(y = fav | g): how many deserve the favorable outcome. */
  baseRate: number;
  /** P(ŷ = fav | g): the approval rate. */
  selectionRate: number;
  /** P(ŷ = fav | y = fav, g). */
  tpr: number;
  /** P(ŷ = fav | y ≠ fav, g). */
  fpr: number;
  /** 1 − TPR: deserving members turned down. */
  fnr: number;
  /** P(ŷ = y | g). */
  accuracy: number;
  /** Favorable truth and decision. */
  tp: number;
  /** Unfavorable truth, favorable decision. */
  fp: number;
  /** Unfavorable truth and decision. */
  tn: number;
  /** Favorable truth, unfavorable decision. */
  fn: number;
}

/** Per-group rates of a binary decision `yPred` against the truth `yTrue`. */
export function groupMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, groups: ArrayLike<string | number>,
  options: GroupMetricsOptions = {}): GroupRates[] {
  const n = yTrue.length;
  if (yPred.length !== n || groups.length !== n) {
    throw new Error(`groupMetrics: ${n} labels, ${yPred.length} decisions and ${groups.length} group values; give one of each per example`);
  }
  if (n === 0) throw new Error('groupMetrics: no examples');
  const fav = options.favorable ?? 1;
  const counts = new Map<string, { tp: number; fp: number; tn: number; fn: number }>();
  for (let i = 0; i < n; i++) {
    const g = String(groups[i]);
    let c = counts.get(g);
    if (!c) counts.set(g, (c = { tp: 0, fp: 0, tn: 0, fn: 0 }));
    const deserving = yTrue[i] === fav;
    const granted = yPred[i] === fav;
    if (deserving) { if (granted) c.tp++; else c.fn++; } else if (granted) c.fp++; else c.tn++;
  }
  const listed = (options.order ?? []).filter((g) => counts.has(g));
  const rest = [...counts.keys()].filter((g) => !listed.includes(g)).sort();
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : Number.NaN);
  return [...listed, ...rest].map((group) => {
    const { tp, fp, tn, fn } = counts.get(group)!;
    const count = tp + fp + tn + fn;
    const tpr = ratio(tp, tp + fn);
    return {
      group, count, share: count / n, baseRate: (tp + fn) / count, selectionRate: (tp + fp) / count,
      tpr, fpr: ratio(fp, fp + tn), fnr: 1 - tpr, accuracy: (tp + tn) / count, tp, fp, tn, fn,
    };
  });
}

function gap(rates: readonly GroupRates[], key: 'selectionRate' | 'tpr' | 'fpr'): number {
  const values = rates.map((r) => r[key]).filter((v) => Number.isFinite(v));
  if (values.length === 0) return Number.NaN;
  return Math.max(...values) - Math.min(...values);
}

/** max − min approval (selection) rate over the groups; 0 = demographic parity. */
export function demographicParityDifference(rates: readonly GroupRates[]): number {
  return gap(rates, 'selectionRate');
}

/** max − min true-positive rate over the groups; 0 = equal opportunity. */
export function equalOpportunityDifference(rates: readonly GroupRates[]): number {
  return gap(rates, 'tpr');
}

/** max(TPR gap, FPR gap); 0 = equalized odds. */
export function equalizedOddsDifference(rates: readonly GroupRates[]): number {
  return Math.max(gap(rates, 'tpr'), gap(rates, 'fpr'));
}

/** min / max approval rate (1 = parity; below 0.8 fails the four-fifths rule). NaN when no group is approved. */
export function disparateImpactRatio(rates: readonly GroupRates[]): number {
  const values = rates.map((r) => r.selectionRate);
  const max = Math.max(...values);
  return max > 0 ? Math.min(...values) / max : Number.NaN;
}

/** The four cross-group numbers at once. */
export interface FairnessSummary {
  demographicParityDifference: number;
  equalOpportunityDifference: number;
  equalizedOddsDifference: number;
  disparateImpactRatio: number;
}

export function fairnessSummary(rates: readonly GroupRates[]): FairnessSummary {
  return {
    demographicParityDifference: demographicParityDifference(rates),
    equalOpportunityDifference: equalOpportunityDifference(rates),
    equalizedOddsDifference: equalizedOddsDifference(rates),
    disparateImpactRatio: disparateImpactRatio(rates),
  };
}
