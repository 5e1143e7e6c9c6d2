/**
 * A credit-card client's six months as a sequence (信用卡客户的月度序列): the Taiwan data's repayment status,
 * bill and payment amounts per month, in time order, ready for a recurrent network — and the same numbers
 * flattened into one row for a logistic regression, so the two models see exactly the same information.
 *
 * The data's columns count months backwards from September 2005 (PROVENANCE.md): `PAY_0`, `BILL_AMT1`,
 * `PAY_AMT1` are September, `PAY_6`, `BILL_AMT6`, `PAY_AMT6` are April. `CREDIT_SEQUENCE_MONTHS` lists them
 * the other way round, oldest first, so step 5 of a sequence is the month just before the one predicted.
 *
 * Per month, four features (`CREDIT_MONTH_FEATURES`), computed from the raw columns and then standardized:
 * - `status` — the repayment status (−2 no consumption, −1 paid duly, 0 revolving, 1…9 months of delay);
 * - `delayed` — 1 when the status is a delay (≥ 1), else 0 (the status is not a measured quantity: −2…0 are
 *   kinds of good standing, 1…9 a count of late months);
 * - `bill` — the bill amount on a signed log scale, sign(b)·ln(1 + |b|) (bills can be negative: credit);
 * - `paid` — the amount paid, ln(1 + p).
 *
 * Standardization z = (x − μ)/σ uses one μ and σ per feature over all six months of the **training rows only**
 * (no leakage): every month is on the same scale, which is what a recurrent layer that applies the same weights
 * at every step needs. The static features (`LIMIT_BAL`, `AGE` standardized; `SEX`, `EDUCATION`, `MARRIAGE`
 * one-hot) come from `fitTabularEncoder`, fitted on the same rows.
 *
 * Shapes, with f = 4 month features and s static columns (s = 2 + the one-hot columns seen in training):
 * - `sequences(rows)` → `Dense` `[n, 6, 4 + s]` (or `[n, 6, 4]` with `static: false`): the static columns are
 *   repeated at every step, so one `tf.tensor3d` feeds a `tf.layers.gru`;
 * - `flat(rows)` → `Dense` `[n, 6·4 + s]`: the 24 month values (month by month, oldest first) then the static
 *   columns once — the logistic regression's input. `flatFeatureNames` names its columns (`Sep:status`, …).
 *
 * ```ts
 * const enc = fitCreditSequenceEncoder(trainRows);          // μ, σ and categories from the training rows only
 * const seq = enc.sequences(testRows);                       // { data: Float32Array, shape: [n, 6, 4 + s] }
 * const x = tf.tensor3d(seq.data, seq.shape as [number, number, number]);
 * const flat = enc.flat(testRows);                           // { data, shape: [n, 24 + s] }
 * enc.flatFeatureNames.slice(0, 2);                          // ['Apr:status', 'Apr:delayed']
 * ```
 */
import { Dense, denseMatrix } from './dense';
import { fitTabularEncoder, numberAt, TabularEncoder, TabularRow } from './tabular-encoder';

/** One month of the Taiwan data: its name and its three raw columns. */
export interface CreditMonth {
  /** 'Apr' … 'Sep' (2005). */
  month: string;
  /** Repayment status column (`PAY_6` … `PAY_0`). */
  status: string;
  /** Bill amount column (`BILL_AMT6` … `BILL_AMT1`). */
  bill: string;
  /** Amount paid column (`PAY_AMT6` … `PAY_AMT1`). */
  paid: string;
}

/** The six months in time order, oldest (April 2005) first; the last is September, the month before the predicted one. */
export const CREDIT_SEQUENCE_MONTHS: readonly CreditMonth[] = [
  { month: 'Apr', status: 'PAY_6', bill: 'BILL_AMT6', paid: 'PAY_AMT6' },
  { month: 'May', status: 'PAY_5', bill: 'BILL_AMT5', paid: 'PAY_AMT5' },
  { month: 'Jun', status: 'PAY_4', bill: 'BILL_AMT4', paid: 'PAY_AMT4' },
  { month: 'Jul', status: 'PAY_3', bill: 'BILL_AMT3', paid: 'PAY_AMT3' },
  { month: 'Aug', status: 'PAY_2', bill: 'BILL_AMT2', paid: 'PAY_AMT2' },
  { month: 'Sep', status: 'PAY_0', bill: 'BILL_AMT1', paid: 'PAY_AMT1' },
];

/** The features of one month, in the order of the last axis. */
export const CREDIT_MONTH_FEATURES = ['status', 'delayed', 'bill', 'paid'] as const;

/** The static (per-client) columns: one-hot categorical and standardized numeric. */
export const CREDIT_STATIC_COLUMNS = { categorical: ['SEX', 'EDUCATION', 'MARRIAGE'], numeric: ['LIMIT_BAL', 'AGE'] } as const;

export interface CreditSequenceOptions {
  /** Append the static columns (default true). */
  static?: boolean;
}

/** What `fitCreditSequenceEncoder` returns: the fitted scaling and the two views of the rows. */
export interface CreditSequenceEncoder {
  /** The months, oldest first (`CREDIT_SEQUENCE_MONTHS`). */
  readonly months: readonly CreditMonth[];
  /** μ and σ of each month feature over all months of the training rows (σ = 1 for a constant feature). */
  readonly scaling: Readonly<Record<(typeof CREDIT_MONTH_FEATURES)[number], { mean: number; std: number }>>;
  /** The static columns' encoder (fitted on the training rows), or null with `static: false`. */
  readonly staticEncoder: TabularEncoder | null;
  /** Names of the last axis of `sequences`: the month features, then the static columns. */
  readonly stepFeatureNames: readonly string[];
  /** Names of the columns of `flat`: `Apr:status` … `Sep:paid`, then the static columns. */
  readonly flatFeatureNames: readonly string[];
  /** `[n, 6, stepFeatureNames.length]`, row-major. */
  sequences(rows: readonly TabularRow[]): Dense;
  /** `[n, flatFeatureNames.length]`, row-major. */
  flat(rows: readonly TabularRow[]): Dense;
}

/**
 * The four raw (unstandardized) features of one month of one row, in `CREDIT_MONTH_FEATURES` order:
 * status, delayed (status ≥ 1), sign(bill)·ln(1 + |bill|), ln(1 + paid).
 */
export function rawMonthFeatures(row: TabularRow, month: CreditMonth, index = 0): [number, number, number, number] {
  const status = numberAt(row, month.status, index);
  const bill = numberAt(row, month.bill, index);
  const paid = numberAt(row, month.paid, index);
  if (paid < 0) throw new Error(`credit sequences: row ${index}, column '${month.paid}' is ${paid}; a payment cannot be negative`);
  return [status, status >= 1 ? 1 : 0, Math.sign(bill) * Math.log1p(Math.abs(bill)), Math.log1p(paid)];
}

/**
 * Fit the month scaling and the static encoder on `trainRows` (only), and return the encoder that turns any
 * rows into sequences `[n, 6, f]` or flat rows `[n, 6·4 + s]` (see the module doc).
 */
export function fitCreditSequenceEncoder(trainRows: readonly TabularRow[], options: CreditSequenceOptions = {}): CreditSequenceEncoder {
  if (trainRows.length === 0) throw new Error('fitCreditSequenceEncoder: no training rows');
  const withStatic = options.static ?? true;
  const k = CREDIT_MONTH_FEATURES.length;
  const sum = new Float64Array(k);
  const sumSq = new Float64Array(k);
  trainRows.forEach((row, i) => {
    for (const m of CREDIT_SEQUENCE_MONTHS) rawMonthFeatures(row, m, i).forEach((v, j) => { sum[j]! += v; sumSq[j]! += v * v; });
  });
  const count = trainRows.length * CREDIT_SEQUENCE_MONTHS.length;
  const scaling = Object.fromEntries(CREDIT_MONTH_FEATURES.map((name, j) => {
    const mean = sum[j]! / count;
    const variance = Math.max(0, sumSq[j]! / count - mean * mean);
    return [name, { mean, std: variance > 1e-12 ? Math.sqrt(variance) : 1 }];
  })) as CreditSequenceEncoder['scaling'];
  const staticEncoder = withStatic ? fitTabularEncoder(trainRows, CREDIT_STATIC_COLUMNS) : null;
  const staticNames = staticEncoder ? staticEncoder.featureNames : [];
  const s = staticNames.length;
  const steps = CREDIT_SEQUENCE_MONTHS.length;
  const monthValues = (row: TabularRow, i: number, out: Float32Array, at: (t: number, j: number) => number): void => {
    CREDIT_SEQUENCE_MONTHS.forEach((m, t) => rawMonthFeatures(row, m, i).forEach((v, j) => {
      const { mean, std } = scaling[CREDIT_MONTH_FEATURES[j]!];
      out[at(t, j)] = (v - mean) / std;
    }));
  };
  return {
    months: CREDIT_SEQUENCE_MONTHS,
    scaling,
    staticEncoder,
    stepFeatureNames: [...CREDIT_MONTH_FEATURES, ...staticNames],
    flatFeatureNames: [...CREDIT_SEQUENCE_MONTHS.flatMap((m) => CREDIT_MONTH_FEATURES.map((f) => `${m.month}:${f}`)), ...staticNames],
    sequences(rows: readonly TabularRow[]): Dense {
      const f = k + s;
      const data = new Float32Array(rows.length * steps * f);
      const st = staticEncoder ? staticEncoder.transform(rows).data : new Float32Array(0);
      rows.forEach((row, i) => {
        monthValues(row, i, data, (t, j) => (i * steps + t) * f + j);
        for (let t = 0; t < steps; t++) data.set(st.subarray(i * s, (i + 1) * s), (i * steps + t) * f + k);
      });
      return { data, shape: [rows.length, steps, f] };
    },
    flat(rows: readonly TabularRow[]): Dense {
      const cols = steps * k + s;
      const data = new Float32Array(rows.length * cols);
      const st = staticEncoder ? staticEncoder.transform(rows).data : new Float32Array(0);
      rows.forEach((row, i) => {
        monthValues(row, i, data, (t, j) => i * cols + t * k + j);
        data.set(st.subarray(i * s, (i + 1) * s), i * cols + steps * k);
      });
      return denseMatrix(data, rows.length, cols);
    },
  };
}
