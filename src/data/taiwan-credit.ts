/**
 * Default of Credit Card Clients, Taiwan 2005 (台湾信用卡违约数据): 30,000 rows × 25 integer
 * columns as a danfojs DataFrame.
 *
 * Columns: `ID`, `LIMIT_BAL`, `SEX`, `EDUCATION`, `MARRIAGE`, `AGE`, `PAY_0`, `PAY_2`…`PAY_6`,
 * `BILL_AMT1`…`BILL_AMT6`, `PAY_AMT1`…`PAY_AMT6` and the target `next_payment` (1 = default next
 * month: 6,636 rows; 0: 23,364). The course's copy names the target `next_payment`; a copy with
 * the Kaggle name `default.payment.next.month` is renamed to it. See
 * /work/shared/datasets/default-credit-card-clients/PROVENANCE.md for the codes.
 *
 * ```ts
 * const { df, target, features } = await loadTaiwanCredit();
 * df.shape;              // [30000, 25]
 * target;                // 'next_payment'
 * features.length;       // 23 (ID and the target left out)
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as Dfd from 'danfojs-node';
import { csvNumberColumns, parseCsvStrict } from './csv';
import { ensureDataset, EnsureOptions } from './download';
import { lazyDanfo } from './lazy-danfo';
import type { TabularRow } from './tabular-encoder';

/** The target column name used by the loader. */
export const TAIWAN_CREDIT_TARGET = 'next_payment';

const KAGGLE_TARGET = 'default.payment.next.month';
const EXPECTED_COLUMNS = ['ID', 'LIMIT_BAL', 'SEX', 'EDUCATION', 'MARRIAGE', 'AGE', 'PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6',
  'BILL_AMT1', 'BILL_AMT2', 'BILL_AMT3', 'BILL_AMT4', 'BILL_AMT5', 'BILL_AMT6',
  'PAY_AMT1', 'PAY_AMT2', 'PAY_AMT3', 'PAY_AMT4', 'PAY_AMT5', 'PAY_AMT6', TAIWAN_CREDIT_TARGET];

export interface TaiwanCreditOptions extends EnsureOptions {
  /** A CSV to read as it is (no checksum); default: `ensureDataset('default-credit-card-clients')`. */
  file?: string;
}

export interface TaiwanCreditData {
  /** 30000 × 25, all int32 columns. */
  df: Dfd.DataFrame;
  /** 'next_payment' (1 = default). */
  target: string;
  /** The 23 explanatory columns (all but ID and the target). */
  features: string[];
  file: string;
}

const HINT = 'The file is damaged or not the expected one: run `npm run data -- default-credit-card-clients` to fetch a verified copy.';

/**
 * Parse the CSV text into integer columns keyed by name, checking the header and every field
 * (errors give the line number).
 */
export function parseTaiwanCreditCsv(text: string, file = 'UCI_Credit_Card.csv'): Record<string, Float64Array> {
  const table = parseCsvStrict(text, { file, hint: HINT });
  table.header = table.header.map((h) => (h === KAGGLE_TARGET ? TAIWAN_CREDIT_TARGET : h));
  const missing = EXPECTED_COLUMNS.filter((c) => !table.header.includes(c));
  if (missing.length > 0) throw new Error(`${file} line 1: the header lacks ${missing.join(', ')} (found ${table.header.join(', ')}). ${HINT}`);
  return csvNumberColumns(table, { integer: true, hint: HINT });
}

/** Load the Taiwan credit-card default data as a DataFrame (see the module doc). */
export async function loadTaiwanCredit(options: TaiwanCreditOptions = {}): Promise<TaiwanCreditData> {
  let file: string;
  if (options.file) file = path.resolve(options.file);
  else file = (await ensureDataset('default-credit-card-clients', options)).path('UCI_Credit_Card.csv');
  const columns = parseTaiwanCreditCsv(fs.readFileSync(file, 'utf8'), file);
  const data: Record<string, number[]> = {};
  for (const name of EXPECTED_COLUMNS) data[name] = Array.from(columns[name]!);
  const dfd = lazyDanfo();
  const df = new dfd.DataFrame(data);
  return { df, target: TAIWAN_CREDIT_TARGET, features: EXPECTED_COLUMNS.filter((c) => c !== 'ID' && c !== TAIWAN_CREDIT_TARGET), file };
}

/**
 * The clients as plain records (one per client, every column by name) and the target as 0/1 (1 = defaulted next
 * month) — what the encoders and models take, as `germanCreditRows` gives for German Credit.
 *
 * ```ts
 * const { rows, bad } = taiwanCreditRows(await loadTaiwanCredit());   // 30,000 rows; bad: 6,636 ones
 * rows[0].LIMIT_BAL;                                                  // 20000
 * ```
 */
export function taiwanCreditRows(taiwan: Pick<TaiwanCreditData, 'df' | 'target'>): { rows: TabularRow[]; bad: Int32Array } {
  const columns: string[] = taiwan.df.columns;
  const rows = (taiwan.df.values as number[][]).map((v) => Object.fromEntries(columns.map((c, j) => [c, v[j]])) as TabularRow);
  const bad = Int32Array.from(rows, (r, i) => {
    const t = r[taiwan.target];
    if (t !== 0 && t !== 1) throw new Error(`taiwanCreditRows: row ${i} has ${taiwan.target} = ${JSON.stringify(t)}; expected 0 or 1`);
    return t;
  });
  return { rows, bad };
}
