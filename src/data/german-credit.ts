/**
 * Statlog German Credit (德国信用数据): 1000 loan applicants, 20 attributes, good/bad credit risk
 * (700 good, 300 bad), as a danfojs DataFrame with named columns.
 *
 * The 13 categorical attributes are stored as codes (A11, A12, …, A202); the loader decodes them
 * to the readable labels it parses from `german.doc` (e.g. A14 → 'no checking account'). The
 * target column `credit_risk` is 'good' or 'bad'. UCI asks for a cost matrix: predicting good for
 * a bad applicant costs 5, bad for a good one costs 1 (`costMatrix`, parsed from german.doc).
 * Attribute 9 (personal_status_sex) and 20 (foreign_worker) are protected attributes.
 *
 * ```ts
 * const german = await loadGermanCredit();
 * german.df.shape;                    // [1000, 21]
 * german.df.column('checking_status').values[0];  // '... < 0 DM'   (code A11)
 * german.costMatrix;                  // [[0, 1], [5, 0]]  rows: actual good/bad, columns: predicted good/bad
 * const { x, y } = await loadGermanCreditNumeric();   // x [1000, 24] float32, y [1000] int32 (1 = bad)
 * const { rows, bad } = germanCreditRows(german);     // 1000 plain records, bad[i] = 1 for 'bad'
 * rows.map(germanCreditAgeGroup);     // 'age < 25' | 'age ≥ 25' — the protected groups, one labelling for the course
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type * as Dfd from 'danfojs-node';
import { ensureDataset, EnsureOptions } from './download';
import { lazyDanfo } from './lazy-danfo';
import type { TabularRow } from './tabular-encoder';

/** Column names for the 20 attributes of german.data, in file order. */
export const GERMAN_CREDIT_COLUMNS: readonly string[] = [
  'checking_status', 'duration_months', 'credit_history', 'purpose', 'credit_amount', 'savings', 'employment_since',
  'installment_rate_pct', 'personal_status_sex', 'other_debtors', 'residence_since', 'property', 'age_years',
  'other_installment_plans', 'housing', 'existing_credits', 'job', 'num_dependents', 'telephone', 'foreign_worker',
];

/** The target column: 'good' (class 1 in the file) or 'bad' (class 2). */
const GERMAN_CREDIT_TARGET = 'credit_risk';

/** The numerical attributes (by 1-based attribute number); the other 13 are categorical. */
const NUMERICAL = new Set([2, 5, 8, 11, 13, 16, 18]);

/** One attribute as german.doc describes it. */
export interface GermanCreditAttribute {
  /** 1..20, the position in german.data. */
  index: number;
  column: string;
  kind: 'categorical' | 'numerical';
  /** e.g. 'Status of existing checking account'. */
  description: string;
  /** Code → label, e.g. { A11: '... < 0 DM', …, A14: 'no checking account' } (empty for numerical). */
  codes: Record<string, string>;
}

const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * Parse the attribute descriptions and code tables of german.doc. The result is checked: 20
 * attributes in order, codes `A<index><n>` for the 13 categorical ones, none for the numerical.
 */
export function parseGermanCreditDoc(text: string, file = 'german.doc'): GermanCreditAttribute[] {
  const bad = (what: string): never => {
    throw new Error(`${file}: ${what}. This is not the UCI german.doc the course expects: run \`npm run data -- german-credit\` to fetch a verified copy.`);
  };
  const start = text.search(/Attribute description for german/);
  // The section ends at the next numbered heading, "8.  Cost Matrix": cut before its number, or the number would be
  // read as the end of A202's label ("no 8.").
  const end = text.search(/(?:^|\n)\s*\d+\.\s*Cost Matrix/);
  if (start < 0 || end < start) bad("the section '7. Attribute description for german' (followed by '8. Cost Matrix') is missing");
  const lines = text.slice(start, end).split(/\r?\n/).slice(1);
  const attrs: GermanCreditAttribute[] = [];
  let current: GermanCreditAttribute | null = null;
  let lastCode: string | null = null;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    // "Attribute 1:  (qualitative)"; german.doc misspells one as "Attibute 6:".
    const head = /^At\w*bute\s+(\d+)\s*:\s*\((qualitative|numerical)\)/i.exec(line);
    if (head) {
      const index = Number(head[1]);
      if (index !== attrs.length + 1) bad(`attribute ${index} follows attribute ${attrs.length}`);
      current = {
        index, column: GERMAN_CREDIT_COLUMNS[index - 1] ?? `attribute_${index}`,
        kind: head[2]!.toLowerCase() === 'qualitative' ? 'categorical' : 'numerical', description: '', codes: {},
      };
      attrs.push(current);
      lastCode = null;
      continue;
    }
    if (!current) continue;
    const code = /^(A\d+)\s*:\s*(.*)$/.exec(line);
    if (code) {
      lastCode = code[1]!;
      current.codes[lastCode] = clean(code[2]!);
    } else if (lastCode) {
      current.codes[lastCode] = clean(`${current.codes[lastCode]} ${line}`);
    } else {
      current.description = clean(`${current.description} ${line}`);
    }
  }
  if (attrs.length !== 20) bad(`found ${attrs.length} attribute descriptions, expected 20`);
  for (const a of attrs) {
    const codes = Object.keys(a.codes);
    if (NUMERICAL.has(a.index) !== (a.kind === 'numerical')) bad(`attribute ${a.index} is ${a.kind}, expected ${NUMERICAL.has(a.index) ? 'numerical' : 'qualitative'}`);
    if (a.kind === 'numerical' && codes.length > 0) bad(`numerical attribute ${a.index} lists codes ${codes.join(', ')}`);
    if (a.kind === 'categorical') {
      if (codes.length < 2) bad(`attribute ${a.index} lists ${codes.length} codes`);
      for (const c of codes) if (!c.startsWith(`A${a.index}`)) bad(`attribute ${a.index} lists code ${c}, which does not start with A${a.index}`);
    }
    if (!a.description) bad(`attribute ${a.index} has no description`);
  }
  return attrs;
}

/**
 * The cost matrix of german.doc: `m[actual][predicted]` with index 0 = good, 1 = bad
 * (`[[0, 1], [5, 0]]`).
 */
function parseGermanCreditCostMatrix(text: string, file = 'german.doc'): number[][] {
  const at = text.search(/Cost Matrix/);
  const rows = new Map<number, number[]>();
  if (at >= 0) {
    for (const line of text.slice(at).split(/\r?\n/)) {
      const m = /^\s*([12])\s+(\d+)\s+(\d+)\s*$/.exec(line);
      if (m) rows.set(Number(m[1]), [Number(m[2]), Number(m[3])]);
    }
  }
  if (!rows.has(1) || !rows.has(2)) throw new Error(`${file}: the cost matrix (rows '1 …' and '2 …' after '8. Cost Matrix') was not found`);
  return [rows.get(1)!, rows.get(2)!];
}

/** german.data parsed into columns: numbers for numerical attributes, labels (or codes) for categorical ones. */
export interface GermanCreditColumns {
  columns: Record<string, (string | number)[]>;
  /** 'good' / 'bad' per row. */
  target: ('good' | 'bad')[];
}

/**
 * Parse german.data: 1000 lines of 21 space-separated fields. `decode` (default true) replaces
 * codes with their german.doc labels. A malformed line is an error with its line number.
 */
export function parseGermanCreditData(text: string, attributes: GermanCreditAttribute[],
  options: { file?: string; decode?: boolean } = {}): GermanCreditColumns {
  const file = options.file ?? 'german.data';
  const decode = options.decode ?? true;
  const hint = 'The file is damaged or not the expected one: run `npm run data -- german-credit` to fetch a verified copy.';
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const columns: Record<string, (string | number)[]> = {};
  for (const a of attributes) columns[a.column] = [];
  const target: ('good' | 'bad')[] = [];
  lines.forEach((raw, i) => {
    const at = `${file} line ${i + 1}`;
    const fields = raw.replace(/\r$/, '').trim().split(/ +/);
    if (fields.length !== attributes.length + 1) throw new Error(`${at}: expected ${attributes.length + 1} space-separated fields, found ${fields.length}. ${hint}`);
    attributes.forEach((a, k) => {
      const v = fields[k]!;
      if (a.kind === 'numerical') {
        if (!/^-?\d+$/.test(v)) throw new Error(`${at}, column ${a.column}: '${v}' is not an integer. ${hint}`);
        columns[a.column]!.push(Number(v));
      } else {
        const label = a.codes[v];
        if (label === undefined) throw new Error(`${at}, column ${a.column}: code '${v}' is not one of ${Object.keys(a.codes).join(', ')} (german.doc). ${hint}`);
        columns[a.column]!.push(decode ? label : v);
      }
    });
    const cls = fields[attributes.length];
    if (cls !== '1' && cls !== '2') throw new Error(`${at}: the class is '${cls}', expected 1 (good) or 2 (bad). ${hint}`);
    target.push(cls === '1' ? 'good' : 'bad');
  });
  return { columns, target };
}

export interface GermanCreditOptions extends EnsureOptions {
  /** A folder with german.data and german.doc (and german.data-numeric) used as they are (no checksum). */
  dir?: string;
  /** Replace codes by their labels (default true); false keeps 'A11' etc. */
  decode?: boolean;
}

export interface GermanCreditData {
  /** 1000 × 21: the 20 attributes and `credit_risk`. */
  df: Dfd.DataFrame;
  target: string;
  /** The 20 attribute column names. */
  features: string[];
  categorical: string[];
  numerical: string[];
  attributes: GermanCreditAttribute[];
  /** `costMatrix[actual][predicted]`, 0 = good, 1 = bad: `[[0, 1], [5, 0]]`. */
  costMatrix: number[][];
  files: { data: string; doc: string };
}

async function germanFiles(options: GermanCreditOptions): Promise<(f: string) => string> {
  if (options.dir) {
    const dir = path.resolve(options.dir);
    return (f) => path.join(dir, f);
  }
  const ds = await ensureDataset('german-credit', options);
  return (f) => ds.path(f);
}

/** Load German Credit as a DataFrame with decoded categories (see the module doc). */
export async function loadGermanCredit(options: GermanCreditOptions = {}): Promise<GermanCreditData> {
  const locate = await germanFiles(options);
  const files = { data: locate('german.data'), doc: locate('german.doc') };
  const docText = fs.readFileSync(files.doc, 'latin1');
  const attributes = parseGermanCreditDoc(docText, files.doc);
  const { columns, target } = parseGermanCreditData(fs.readFileSync(files.data, 'latin1'), attributes, { file: files.data, decode: options.decode });
  const dfd = lazyDanfo();
  const df = new dfd.DataFrame({ ...columns, [GERMAN_CREDIT_TARGET]: target });
  return {
    df, target: GERMAN_CREDIT_TARGET, features: attributes.map((a) => a.column),
    categorical: attributes.filter((a) => a.kind === 'categorical').map((a) => a.column),
    numerical: attributes.filter((a) => a.kind === 'numerical').map((a) => a.column),
    attributes, costMatrix: parseGermanCreditCostMatrix(docText, files.doc), files,
  };
}

/** The all-numeric StatLog form as tensors. */
export interface GermanCreditNumeric {
  /** `[1000, 24]` float32: the 24 numeric / indicator attributes, unscaled. */
  x: tf.Tensor2D;
  /** `[1000]` int32: 1 = bad (class 2 in the file), 0 = good. */
  y: tf.Tensor1D;
  classes: readonly ['good', 'bad'];
  file: string;
}

/** Parse german.data-numeric: lines of 25 integers (24 attributes + class 1/2). */
export function parseGermanCreditNumeric(text: string, file = 'german.data-numeric'): { x: Float32Array; y: Int32Array; rows: number } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const x = new Float32Array(lines.length * 24);
  const y = new Int32Array(lines.length);
  lines.forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields.length !== 25 || fields.some((f) => !/^-?\d+$/.test(f))) {
      throw new Error(`${file} line ${i + 1}: expected 25 integers, found '${raw.trim()}'. Run \`npm run data -- german-credit\` to fetch a verified copy.`);
    }
    for (let k = 0; k < 24; k++) x[i * 24 + k] = Number(fields[k]);
    const cls = fields[24];
    if (cls !== '1' && cls !== '2') throw new Error(`${file} line ${i + 1}: the class is '${cls}', expected 1 (good) or 2 (bad)`);
    y[i] = cls === '2' ? 1 : 0;
  });
  return { x, y, rows: lines.length };
}

/** Load german.data-numeric as `x [1000, 24]` and `y [1000]` (1 = bad). */
export async function loadGermanCreditNumeric(options: Omit<GermanCreditOptions, 'decode'> = {}): Promise<GermanCreditNumeric> {
  const file = (await germanFiles(options))('german.data-numeric');
  const { x, y, rows } = parseGermanCreditNumeric(fs.readFileSync(file, 'latin1'), file);
  return { x: tf.tensor2d(x, [rows, 24], 'float32'), y: tf.tensor1d(y, 'int32'), classes: ['good', 'bad'], file };
}

/** The rows of German Credit as plain records (one per applicant, every column) and the target as 0/1 (1 = 'bad'). */
export function germanCreditRows(credit: Pick<GermanCreditData, 'df' | 'target'>): { rows: TabularRow[]; bad: Int32Array } {
  const columns: string[] = credit.df.columns;
  const rows: TabularRow[] = (credit.df.values as (string | number)[][]).map((v) =>
    Object.fromEntries(columns.map((c, j) => [c, v[j]])) as TabularRow);
  const bad = Int32Array.from(rows, (r, i) => {
    const t = r[credit.target];
    if (t !== 'good' && t !== 'bad') throw new Error(`germanCreditRows: row ${i} has ${credit.target} = '${String(t)}'; expected 'good' or 'bad' (load with decode: true)`);
    return t === 'bad' ? 1 : 0;
  });
  return { rows, bad };
}

/** The age groups of the course's fairness analyses (06, 08, 09): under 25 and 25 or older. */
export const GERMAN_CREDIT_AGE_GROUPS: readonly ['age < 25', 'age ≥ 25'] = ['age < 25', 'age ≥ 25'];
/** The sex groups, from `personal_status_sex` (which combines sex and marital status). */
export const GERMAN_CREDIT_SEX_GROUPS: readonly ['female', 'male'] = ['female', 'male'];

/** 'age < 25' or 'age ≥ 25' from the applicant's `age_years`. */
export function germanCreditAgeGroup(row: TabularRow): 'age < 25' | 'age ≥ 25' {
  const age = Number(row.age_years);
  if (row.age_years === undefined || row.age_years === null || row.age_years === '' || !Number.isFinite(age)) {
    throw new Error(`germanCreditAgeGroup: age_years must be a number of years, got '${String(row.age_years)}'`);
  }
  return age < 25 ? 'age < 25' : 'age ≥ 25';
}

/**
 * 'female' or 'male' from `personal_status_sex`: its decoded label ('female : divorced/separated/married',
 * 'male : single', …) or its code (A92 and A95 female; A91, A93 and A94 male).
 */
export function germanCreditSexGroup(row: TabularRow): 'female' | 'male' {
  const v = String(row.personal_status_sex ?? '').trim();
  if (v.startsWith('female') || v === 'A92' || v === 'A95') return 'female';
  if (v.startsWith('male') || v === 'A91' || v === 'A93' || v === 'A94') return 'male';
  throw new Error(`germanCreditSexGroup: personal_status_sex must be a German Credit label ('female : …', 'male : …') or code A91–A95, got '${v}'`);
}
