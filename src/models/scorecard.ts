/**
 * A points-based credit scorecard (评分卡) from a logistic-regression model.
 *
 * Banks do not show applicants a probability; they add up points. The scaling that turns the
 * model's log-odds into points is fixed by two numbers: a **base score** at given **base odds**
 * (e.g. 600 points at good:bad odds of 50:1) and the **points to double the odds** (PDO, e.g. 20):
 *
 *   score = offset + factor · ln(odds_good),  factor = PDO / ln 2,  offset = baseScore − factor · ln(baseOdds).
 *
 * A logistic model of P(bad) has ln(odds_bad) = b + Σⱼ wⱼ xⱼ, and ln(odds_good) = −ln(odds_bad), so
 *
 *   score = (offset − factor · b) + Σⱼ (−factor · wⱼ) · xⱼ
 *
 * — the **base points** plus one contribution per feature. For a one-hot column x is 0 or 1, so
 * each category of an attribute simply has its points; a standardized numeric column contributes
 * `−factor · w` points per standard deviation. Higher score = safer applicant.
 *
 * ```ts
 * const card = buildScorecard(weights, bias, encoder.featureNames);   // 600 points at 50:1, PDO 20
 * const s = scoreApplicant(card, encodedRow);     // { score, basePoints, contributions, logOddsBad, probabilityBad }
 * scoreFromLogOdds(-Math.log(50));                 // 600   (odds good:bad = 50)
 * scoreFromLogOdds(-Math.log(100));                // 620   (odds doubled: + PDO)
 * ```
 */

/** The points-to-double-odds scaling of a scorecard. */
export interface ScorecardScaling {
  /** The score given to the base odds, e.g. 600. */
  baseScore: number;
  /** Good:bad odds that get the base score, e.g. 50 (50:1). */
  baseOdds: number;
  /** Points to double the odds, e.g. 20. */
  pdo: number;
}

/** 600 points at odds 50:1, 20 points to double the odds. */
export const DEFAULT_SCORECARD_SCALING: Readonly<ScorecardScaling> = { baseScore: 600, baseOdds: 50, pdo: 20 };

/** `factor = PDO / ln 2` and `offset = baseScore − factor · ln(baseOdds)`. */
export function scorecardFactors(scaling: ScorecardScaling = DEFAULT_SCORECARD_SCALING): { factor: number; offset: number } {
  const { baseScore, baseOdds, pdo } = scaling;
  if (!(Number.isFinite(baseScore) && baseOdds > 0 && Number.isFinite(baseOdds) && pdo > 0 && Number.isFinite(pdo))) {
    throw new Error(`scorecard scaling ${JSON.stringify(scaling)}: needs a finite baseScore, baseOdds > 0 and pdo > 0`);
  }
  const factor = pdo / Math.LN2;
  return { factor, offset: baseScore - factor * Math.log(baseOdds) };
}

/** Score of a log-odds of being **bad** (the logistic model's logit): offset − factor · logit. */
export function scoreFromLogOdds(logOddsBad: number, scaling: ScorecardScaling = DEFAULT_SCORECARD_SCALING): number {
  const { factor, offset } = scorecardFactors(scaling);
  return offset - factor * logOddsBad;
}

/** The inverse: the log-odds of being bad that a score stands for. */
export function logOddsFromScore(score: number, scaling: ScorecardScaling = DEFAULT_SCORECARD_SCALING): number {
  const { factor, offset } = scorecardFactors(scaling);
  return (offset - score) / factor;
}

/** P(bad) = σ(log-odds) for a score. */
export function probabilityBadFromScore(score: number, scaling: ScorecardScaling = DEFAULT_SCORECARD_SCALING): number {
  return 1 / (1 + Math.exp(-logOddsFromScore(score, scaling)));
}

/** One feature (model input column) of a scorecard. */
export interface ScorecardFeature {
  /** The encoder's column name, e.g. 'checking_status=no checking account' or 'duration_months'. */
  name: string;
  /** The logistic model's weight on the log-odds of bad. */
  weight: number;
  /** −factor · weight: points for x = 1 (a one-hot category present, or +1 standard deviation). */
  pointsPerUnit: number;
}

export interface Scorecard {
  scaling: ScorecardScaling;
  factor: number;
  offset: number;
  /** The model's bias on the log-odds of bad. */
  bias: number;
  /** offset − factor · bias: the points every applicant starts with. */
  basePoints: number;
  features: ScorecardFeature[];
}

/** Build the scorecard of a logistic model of P(bad) with `weights` (one per feature) and `bias`. */
export function buildScorecard(weights: ArrayLike<number>, bias: number, featureNames: readonly string[],
  scaling: ScorecardScaling = DEFAULT_SCORECARD_SCALING): Scorecard {
  if (weights.length !== featureNames.length) {
    throw new Error(`buildScorecard: ${weights.length} weights but ${featureNames.length} feature names; give one name per model input`);
  }
  if (!Number.isFinite(bias)) throw new Error(`buildScorecard: bias ${bias} is not finite`);
  const { factor, offset } = scorecardFactors(scaling);
  const features = featureNames.map((name, j) => {
    const weight = weights[j]!;
    if (!Number.isFinite(weight)) throw new Error(`buildScorecard: weight ${weight} of '${name}' is not finite`);
    return { name, weight, pointsPerUnit: -factor * weight };
  });
  return { scaling: { ...scaling }, factor, offset, bias, basePoints: offset - factor * bias, features };
}

export interface ScorecardContribution {
  feature: string;
  /** The encoded input value (1/0 for one-hot, z for a standardized number). */
  value: number;
  points: number;
}

export interface ScoredApplicant {
  /** basePoints + Σ points. */
  score: number;
  basePoints: number;
  /** One per feature with a non-zero input, largest |points| first. */
  contributions: ScorecardContribution[];
  /** The log-odds of bad the score stands for: bias + w · x. */
  logOddsBad: number;
  /** σ(logOddsBad): the model's P(bad). */
  probabilityBad: number;
}

/** Score one encoded applicant (the same columns the model was trained on). */
export function scoreApplicant(card: Scorecard, x: ArrayLike<number>): ScoredApplicant {
  if (x.length !== card.features.length) throw new Error(`scoreApplicant: ${x.length} inputs for a scorecard of ${card.features.length} features`);
  const contributions: ScorecardContribution[] = [];
  let score = card.basePoints;
  card.features.forEach((f, j) => {
    const value = x[j]!;
    if (!Number.isFinite(value)) throw new Error(`scoreApplicant: input ${j} ('${f.name}') is ${value}`);
    if (value === 0) return;
    const points = f.pointsPerUnit * value;
    score += points;
    contributions.push({ feature: f.name, value, points });
  });
  contributions.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const logOddsBad = logOddsFromScore(score, card.scaling);
  return { score, basePoints: card.basePoints, contributions, logOddsBad, probabilityBad: 1 / (1 + Math.exp(-logOddsBad)) };
}

/** Scores of many applicants, row-major `data` of `rows × features` (e.g. `encoder.transform(rows).data`). */
export function scoreMatrix(card: Scorecard, data: ArrayLike<number>, rows: number): Float64Array {
  const cols = card.features.length;
  if (data.length !== rows * cols) throw new Error(`scoreMatrix: ${data.length} values are not ${rows} rows × ${cols} features`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = card.basePoints;
    for (let j = 0; j < cols; j++) s += card.features[j]!.pointsPerUnit * data[i * cols + j]!;
    out[i] = s;
  }
  return out;
}

/** A scorecard line for one-hot features named `attribute=category`: points per category, grouped by attribute. */
export interface ScorecardAttributeRow {
  attribute: string;
  /** The category, or null for a numeric feature (then `points` is per standard deviation). */
  category: string | null;
  points: number;
}

/**
 * The scorecard as a table: one row per feature, split into attribute and category at the first
 * `separator` ('=' as `fitTabularEncoder` names one-hot columns); in feature order.
 */
export function scorecardRows(card: Scorecard, separator = '='): ScorecardAttributeRow[] {
  return card.features.map((f) => {
    const at = f.name.indexOf(separator);
    return at < 0
      ? { attribute: f.name, category: null, points: f.pointsPerUnit }
      : { attribute: f.name.slice(0, at), category: f.name.slice(at + separator.length), points: f.pointsPerUnit };
  });
}
