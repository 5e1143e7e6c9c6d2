import * as fs from 'fs';
import { dataRoot, dataTest } from '../support/datasets';
import * as os from 'os';
import * as path from 'path';
import {
  GERMAN_CREDIT_AGE_GROUPS, GERMAN_CREDIT_COLUMNS, GERMAN_CREDIT_SEX_GROUPS, germanCreditAgeGroup, germanCreditRows, germanCreditSexGroup,
  loadGermanCredit, loadGermanCreditNumeric, parseGermanCreditData, parseGermanCreditDoc, parseGermanCreditNumeric,
} from '../../src/data/german-credit';

const MIRROR = dataRoot('german-credit');
const DIR = path.resolve(__dirname, '..', '..', MIRROR, 'german-credit');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-german-'));
  process.env.COURSE_DATA_CACHE = path.join(tmp, 'cache');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

dataTest('german-credit')('german.doc parses into 20 attributes with the code tables UCI gives', () => {
  const attrs = parseGermanCreditDoc(fs.readFileSync(path.join(DIR, 'german.doc'), 'latin1'));
  expect(attrs.map((a) => a.column)).toEqual(GERMAN_CREDIT_COLUMNS);
  expect(attrs.filter((a) => a.kind === 'categorical')).toHaveLength(13);
  // The codes of every categorical attribute, as listed in german.doc.
  const codes = Object.fromEntries(attrs.filter((a) => a.kind === 'categorical').map((a) => [a.column, Object.keys(a.codes)]));
  expect(codes).toEqual({
    checking_status: ['A11', 'A12', 'A13', 'A14'],
    credit_history: ['A30', 'A31', 'A32', 'A33', 'A34'],
    purpose: ['A40', 'A41', 'A42', 'A43', 'A44', 'A45', 'A46', 'A47', 'A48', 'A49', 'A410'],
    savings: ['A61', 'A62', 'A63', 'A64', 'A65'],
    employment_since: ['A71', 'A72', 'A73', 'A74', 'A75'],
    personal_status_sex: ['A91', 'A92', 'A93', 'A94', 'A95'],
    other_debtors: ['A101', 'A102', 'A103'],
    property: ['A121', 'A122', 'A123', 'A124'],
    other_installment_plans: ['A141', 'A142', 'A143'],
    housing: ['A151', 'A152', 'A153'],
    job: ['A171', 'A172', 'A173', 'A174'],
    telephone: ['A191', 'A192'],
    foreign_worker: ['A201', 'A202'],
  });
  const by = (c: string): Record<string, string> => attrs.find((a) => a.column === c)!.codes;
  expect(by('checking_status')).toEqual({
    A11: '... < 0 DM', A12: '0 <= ... < 200 DM', A13: '... >= 200 DM / salary assignments for at least 1 year', A14: 'no checking account',
  });
  expect(by('purpose').A410).toBe('others');
  expect(by('foreign_worker')).toEqual({ A201: 'yes', A202: 'no' }); // not 'no 8.' (the next heading's number)
  expect(by('savings').A65).toBe('unknown/ no savings account'); // "Attibute 6" (sic) is found too
  expect(by('personal_status_sex').A92).toBe('female : divorced/separated/married');
  expect(by('job').A174).toBe('management/ self-employed/ highly qualified employee/ officer');
  expect(attrs[0]!.description).toBe('Status of existing checking account');
  expect(attrs[1]).toMatchObject({ column: 'duration_months', kind: 'numerical', description: 'Duration in month', codes: {} });
  expect(() => parseGermanCreditDoc('nothing here', 'x.doc')).toThrow(/x\.doc: the section '7\. Attribute description for german'/);
});

dataTest('german-credit')('loadGermanCredit: 1000 rows, 21 named columns, decoded categories, 700 good / 300 bad, cost matrix', async () => {
  const g = await loadGermanCredit({ mirror: MIRROR, offline: true, quiet: true });
  expect(g.df.shape).toEqual([1000, 21]);
  expect(g.df.columns).toEqual([...GERMAN_CREDIT_COLUMNS, 'credit_risk']);
  const risk = g.df.column('credit_risk').values as string[];
  expect(risk.filter((r) => r === 'good')).toHaveLength(700);
  expect(risk.filter((r) => r === 'bad')).toHaveLength(300);
  // Row 1 of german.data: "A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1"
  const row0 = Object.fromEntries(g.df.columns.map((c) => [c, (g.df.column(c).values as (string | number)[])[0]]));
  expect(row0).toEqual({
    checking_status: '... < 0 DM', duration_months: 6, credit_history: 'critical account/ other credits existing (not at this bank)',
    purpose: 'radio/television', credit_amount: 1169, savings: 'unknown/ no savings account', employment_since: '.. >= 7 years',
    installment_rate_pct: 4, personal_status_sex: 'male : single', other_debtors: 'none', residence_since: 4, property: 'real estate',
    age_years: 67, other_installment_plans: 'none', housing: 'own', existing_credits: 2, job: 'skilled employee / official',
    num_dependents: 1, telephone: 'yes, registered under the customers name', foreign_worker: 'yes', credit_risk: 'good',
  });
  expect(g.numerical).toEqual(['duration_months', 'credit_amount', 'installment_rate_pct', 'residence_since', 'age_years', 'existing_credits', 'num_dependents']);
  expect(g.costMatrix).toEqual([[0, 1], [5, 0]]);
  expect(g.df.column('credit_amount').dtype).toBe('int32');
  const codes = await loadGermanCredit({ dir: DIR, decode: false });
  expect((codes.df.column('checking_status').values as string[]).slice(0, 3)).toEqual(['A11', 'A12', 'A14']);
});

dataTest('german-credit')('the numeric form: x [1000, 24], y 300 bad, and it agrees with german.data row by row', async () => {
  const n = await loadGermanCreditNumeric({ mirror: MIRROR, offline: true, quiet: true });
  expect(n.x.shape).toEqual([1000, 24]);
  expect(n.y.dtype).toBe('int32');
  expect(n.y.sum().dataSync()[0]).toBe(300);
  const g = await loadGermanCredit({ dir: DIR });
  const duration = g.df.column('duration_months').values as number[];
  const x = n.x.arraySync();
  const y = n.y.dataSync();
  const risk = g.df.column('credit_risk').values as string[];
  for (let i = 0; i < 1000; i++) {
    expect(x[i]![1]).toBe(duration[i]);
    expect(y[i]).toBe(risk[i] === 'bad' ? 1 : 0);
  }
});

dataTest('german-credit')('malformed rows are errors with the line number; nothing is guessed', () => {
  const doc = parseGermanCreditDoc(fs.readFileSync(path.join(DIR, 'german.doc'), 'latin1'));
  const lines = fs.readFileSync(path.join(DIR, 'german.data'), 'latin1').split('\n');
  const fix = 'run `npm run data -- german-credit` to fetch a verified copy';
  const withLine3 = (l: string): string => [...lines.slice(0, 2), l, ...lines.slice(3)].join('\n');
  expect(() => parseGermanCreditData(withLine3('A11 6 A34'), doc, { file: 'g.data' })).toThrow(`g.data line 3: expected 21 space-separated fields, found 3. The file is damaged or not the expected one: ${fix}.`);
  expect(() => parseGermanCreditData(withLine3(lines[2]!.replace(/^A14/, 'A15')), doc, { file: 'g.data' })).toThrow(/g\.data line 3, column checking_status: code 'A15' is not one of A11, A12, A13, A14/);
  expect(() => parseGermanCreditData(withLine3(lines[2]!.replace(/ 2 A191 A201 1$/, ' two A191 A201 1')), doc, { file: 'g.data' })).toThrow(/g\.data line 3, column num_dependents: 'two' is not an integer/);
  expect(() => parseGermanCreditData(withLine3(lines[2]!.replace(/1$/, '3')), doc, { file: 'g.data' })).toThrow("g.data line 3: the class is '3', expected 1 (good) or 2 (bad)");
  expect(() => parseGermanCreditNumeric('   1   6   4  12\n', 'n.data')).toThrow(/n\.data line 1: expected 25 integers/);
});

test('germanCreditRows turns the frame into records and 0/1 targets; the protected groups have one labelling', () => {
  const frame = { columns: ['age_years', 'personal_status_sex', 'credit_risk'],
    values: [[24, 'female : divorced/separated/married', 'bad'], [25, 'male : single', 'good'], [67, 'A95', 'good']] };
  const { rows, bad } = germanCreditRows({ df: frame as unknown as Parameters<typeof germanCreditRows>[0]['df'], target: 'credit_risk' });
  expect(rows[0]).toEqual({ age_years: 24, personal_status_sex: 'female : divorced/separated/married', credit_risk: 'bad' });
  expect(Array.from(bad)).toEqual([1, 0, 0]);
  expect(rows.map(germanCreditAgeGroup)).toEqual(['age < 25', 'age ≥ 25', 'age ≥ 25']);
  expect(rows.map(germanCreditSexGroup)).toEqual(['female', 'male', 'female']);
  expect(GERMAN_CREDIT_AGE_GROUPS).toEqual(['age < 25', 'age ≥ 25']);
  expect(GERMAN_CREDIT_SEX_GROUPS).toEqual(['female', 'male']);
  expect(['A91', 'A92', 'A93', 'A94', 'A95'].map((c) => germanCreditSexGroup({ personal_status_sex: c }))).toEqual(['male', 'female', 'male', 'male', 'female']);
  expect(() => germanCreditAgeGroup({ age_years: 'old' })).toThrow(/age_years must be a number of years, got 'old'/);
  expect(() => germanCreditAgeGroup({})).toThrow(/age_years/);
  expect(() => germanCreditSexGroup({ personal_status_sex: 'unknown' })).toThrow(/personal_status_sex must be/);
  const coded = { columns: ['credit_risk'], values: [['1']] };
  expect(() => germanCreditRows({ df: coded as unknown as Parameters<typeof germanCreditRows>[0]['df'], target: 'credit_risk' })).toThrow(/expected 'good' or 'bad'/);
});

dataTest('german-credit')('the real data (counted with awk on german.data): 300 bad applicants, 149 under 25 and 310 women', async () => {
  const german = await loadGermanCredit({ dir: DIR });
  const { rows, bad } = germanCreditRows(german);
  expect(bad.reduce((a, b) => a + b, 0)).toBe(300);
  expect(rows.filter((r) => germanCreditAgeGroup(r) === 'age < 25')).toHaveLength(149);
  expect(rows.filter((r) => germanCreditSexGroup(r) === 'female')).toHaveLength(310);
});
