import * as fs from 'fs';
import { dataRoot, dataTest } from '../support/datasets';
import * as os from 'os';
import * as path from 'path';
import { loadTaiwanCredit, parseTaiwanCreditCsv, TAIWAN_CREDIT_TARGET, taiwanCreditRows } from '../../src/data/taiwan-credit';

const MIRROR = dataRoot('default-credit-card-clients');
const CSV = path.resolve(__dirname, '..', '..', MIRROR, 'default-credit-card-clients', 'UCI_Credit_Card.csv');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-taiwan-'));
  process.env.COURSE_DATA_CACHE = path.join(tmp, 'cache');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

dataTest('default-credit-card-clients')('30,000 rows × 25 integer columns; 6,636 defaults; the first row as in the file', async () => {
  const t = await loadTaiwanCredit({ mirror: MIRROR, offline: true, quiet: true });
  expect(t.df.shape).toEqual([30000, 25]);
  expect(t.target).toBe('next_payment');
  expect(t.df.columns[24]).toBe(TAIWAN_CREDIT_TARGET);
  expect(t.features).toHaveLength(23);
  expect(t.features).not.toContain('ID');
  expect(new Set(t.df.dtypes)).toEqual(new Set(['int32']));
  const y = t.df.column('next_payment').values as number[];
  expect(y.filter((v) => v === 1)).toHaveLength(6636);
  expect(y.filter((v) => v === 0)).toHaveLength(23364);
  const ids = t.df.column('ID').values as number[];
  expect([ids[0], ids[29999]]).toEqual([1, 30000]);
  // Row 1 of the CSV: 1,20000,2,2,1,24,2,2,-1,-1,-2,-2,3913,3102,689,0,0,0,0,689,0,0,0,0,1
  expect(t.df.iloc({ rows: [0] }).values[0]).toEqual([1, 20000, 2, 2, 1, 24, 2, 2, -1, -1, -2, -2, 3913, 3102, 689, 0, 0, 0, 0, 689, 0, 0, 0, 0, 1]);
  expect(t.file).toBe(path.join(tmp, 'cache', 'default-credit-card-clients', 'UCI_Credit_Card.csv'));
});

dataTest('default-credit-card-clients')('a malformed row is an error with its line number and the fix; non-numbers too', () => {
  const lines = fs.readFileSync(CSV, 'utf8').split('\n');
  const withLine = (n: number, text: string): string => [...lines.slice(0, n - 1), text, ...lines.slice(n)].join('\n');
  expect(() => parseTaiwanCreditCsv(withLine(1234, lines[1233]!.split(',').slice(0, 24).join(',')), 'cc.csv'))
    .toThrow('cc.csv line 1234: expected 25 fields (as in the header), found 24. The file is damaged or not the expected one: run `npm run data -- default-credit-card-clients` to fetch a verified copy.');
  expect(() => parseTaiwanCreditCsv(withLine(77, lines[76]!.replace(/^76,\d+/, '76,lots')), 'cc.csv'))
    .toThrow("cc.csv line 77, column 'LIMIT_BAL': 'lots' is not an integer.");
  expect(() => parseTaiwanCreditCsv(withLine(1, lines[0]!.replace(',AGE,', ',YEARS,')), 'cc.csv')).toThrow(/cc\.csv line 1: the header lacks AGE/);
});

dataTest('default-credit-card-clients')('the Kaggle header name default.payment.next.month is renamed to next_payment', async () => {
  const text = fs.readFileSync(CSV, 'utf8');
  const file = path.join(tmp, 'kaggle.csv');
  fs.writeFileSync(file, text.replace(/next_payment/, 'default.payment.next.month'));
  const t = await loadTaiwanCredit({ file });
  expect(t.df.columns[24]).toBe('next_payment');
  expect(t.df.shape).toEqual([30000, 25]);
});

test('taiwanCreditRows: one record per client with every column by name, and the target as 0/1 (no data set needed)', async () => {
  const header = ['ID', 'LIMIT_BAL', 'SEX', 'EDUCATION', 'MARRIAGE', 'AGE', 'PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6',
    ...[1, 2, 3, 4, 5, 6].map((k) => `BILL_AMT${k}`), ...[1, 2, 3, 4, 5, 6].map((k) => `PAY_AMT${k}`), 'next_payment'];
  const row = (id: number, limit: number, target: number): string => [id, limit, 2, 1, 1, 30, ...Array(6).fill(0), ...Array(12).fill(100), target].join(',');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taiwan-rows-'));
  const file = path.join(dir, 'small.csv');
  fs.writeFileSync(file, [header.join(','), row(1, 20000, 1), row(2, 90000, 0)].join('\n') + '\n');
  const { rows, bad } = taiwanCreditRows(await loadTaiwanCredit({ file }));
  expect(rows.map((r) => [r.ID, r.LIMIT_BAL, r.BILL_AMT6, r.next_payment])).toEqual([[1, 20000, 100, 1], [2, 90000, 100, 0]]);
  expect(Array.from(bad)).toEqual([1, 0]);
  expect(() => taiwanCreditRows({ df: { columns: ['t'], values: [[2]] } as never, target: 't' })).toThrow(/row 0 has t = 2; expected 0 or 1/);
  fs.rmSync(dir, { recursive: true, force: true });
});
