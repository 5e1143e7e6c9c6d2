/**
 * Turning table rows into a numeric matrix (特征工程): one-hot encoding for categorical columns
 * and standardization z = (x − μ)/σ for numeric ones — fitted on the training rows only, so
 * nothing about the validation or test rows leaks into the model (no data leakage / 数据泄露).
 *
 * ```ts
 * const enc = fitTabularEncoder(trainRows, { categorical: ['purpose'], numeric: ['age_years'] });
 * const m = enc.transform(testRows);   // { data: Float32Array, shape: [rows, cols] }, row-major
 * enc.featureNames;                    // ['purpose=car (new)', 'purpose=radio/television', ..., 'age_years']: cols names
 * tf.tensor2d(m.data, matrixShape(m)); // rowsOf(m) = testRows.length, colsOf(m) = enc.featureNames.length
 * ```
 */
import { Dense, denseMatrix } from './dense';

export type TabularRow = Record<string, string | number | boolean | null | undefined>;

export interface TabularEncoderSpec {
  categorical: readonly string[];
  numeric: readonly string[];
  /** Drop the first category of each categorical column (avoids collinearity with an intercept). Default false. */
  dropFirst?: boolean;
}

export interface TabularEncoder {
  readonly spec: TabularEncoderSpec;
  /** Categories seen in training, per categorical column, sorted. */
  readonly categories: Readonly<Record<string, readonly string[]>>;
  /** Mean and standard deviation per numeric column, from the training rows. */
  readonly scaling: Readonly<Record<string, { mean: number; std: number }>>;
  /** The output column names, in order: `column=category` for one-hot columns, the name for numeric ones. */
  readonly featureNames: readonly string[];
  /**
   * Encode rows as a `[rows, featureNames.length]` matrix, row-major; an unseen category becomes all zeros, a
   * missing/non-numeric number is an error.
   */
  transform(rows: readonly TabularRow[]): Dense;
}

/** The number in `row[column]` (a number, or a numeric string); a clear error naming the row `index` and column otherwise. */
export function numberAt(row: TabularRow, column: string, index: number): number {
  const v = row[column];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new Error(`row ${index}: column '${column}' is ${JSON.stringify(v)}, not a number`);
  return n;
}

/** Fit the encoder on training rows. */
export function fitTabularEncoder(trainRows: readonly TabularRow[], spec: TabularEncoderSpec): TabularEncoder {
  if (trainRows.length === 0) throw new Error('fitTabularEncoder: no training rows');
  for (const c of [...spec.categorical, ...spec.numeric]) {
    if (!(c in trainRows[0]!)) throw new Error(`fitTabularEncoder: column '${c}' is not in the rows (columns: ${Object.keys(trainRows[0]!).join(', ')})`);
  }
  const categories: Record<string, string[]> = {};
  for (const c of spec.categorical) {
    const seen = [...new Set(trainRows.map((r) => String(r[c])))].sort();
    categories[c] = spec.dropFirst ? seen.slice(1) : seen;
  }
  const scaling: Record<string, { mean: number; std: number }> = {};
  for (const c of spec.numeric) {
    const values = trainRows.map((r, i) => numberAt(r, c, i));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    // A constant column gets std 1 so it encodes as 0 instead of NaN.
    scaling[c] = { mean, std: variance > 0 ? Math.sqrt(variance) : 1 };
  }
  const featureNames = [
    ...spec.categorical.flatMap((c) => categories[c]!.map((v) => `${c}=${v}`)),
    ...spec.numeric,
  ];
  const index = new Map(featureNames.map((n, i) => [n, i]));
  return {
    spec,
    categories,
    scaling,
    featureNames,
    transform(rows: readonly TabularRow[]): Dense {
      const cols = featureNames.length;
      const data = new Float32Array(rows.length * cols);
      rows.forEach((row, i) => {
        for (const c of spec.categorical) {
          const j = index.get(`${c}=${String(row[c])}`);
          if (j !== undefined) data[i * cols + j] = 1;
        }
        for (const c of spec.numeric) {
          const { mean, std } = scaling[c]!;
          data[i * cols + index.get(c)!] = (numberAt(row, c, i) - mean) / std;
        }
      });
      return denseMatrix(data, rows.length, cols);
    },
  };
}
