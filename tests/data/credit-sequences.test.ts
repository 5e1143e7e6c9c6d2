import * as tf from '@tensorflow/tfjs';
import { TabularRow } from '../../src/data/tabular-encoder';
import { CREDIT_MONTH_FEATURES, CREDIT_SEQUENCE_MONTHS, fitCreditSequenceEncoder, rawMonthFeatures } from '../../src/data/credit-sequences';

/** A hand-made client: month m (1 = September … 6 = April) has status s[m], bill 1000·m, payment 10·m. */
function client(statuses: number[], extra: Partial<TabularRow> = {}): TabularRow {
  const row: TabularRow = { LIMIT_BAL: 50000, AGE: 30, SEX: 1, EDUCATION: 2, MARRIAGE: 1, next_payment: 0, ...extra };
  const statusColumns = ['PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6'];
  for (let m = 1; m <= 6; m++) {
    row[statusColumns[m - 1]!] = statuses[m - 1]!;
    row[`BILL_AMT${m}`] = 1000 * m;
    row[`PAY_AMT${m}`] = 10 * m;
  }
  return row;
}

test('the months run oldest first: April (PAY_6, BILL_AMT6) … September (PAY_0, BILL_AMT1)', () => {
  expect(CREDIT_SEQUENCE_MONTHS.map((m) => m.month)).toEqual(['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep']);
  expect(CREDIT_SEQUENCE_MONTHS.map((m) => m.status)).toEqual(['PAY_6', 'PAY_5', 'PAY_4', 'PAY_3', 'PAY_2', 'PAY_0']);
  expect(CREDIT_SEQUENCE_MONTHS[0]).toEqual({ month: 'Apr', status: 'PAY_6', bill: 'BILL_AMT6', paid: 'PAY_AMT6' });
  expect(CREDIT_SEQUENCE_MONTHS[5]).toEqual({ month: 'Sep', status: 'PAY_0', bill: 'BILL_AMT1', paid: 'PAY_AMT1' });
});

test('raw month features by hand: status, delayed, signed log bill, log payment', () => {
  const row: TabularRow = { PAY_0: 2, BILL_AMT1: -99, PAY_AMT1: 0 };
  const [status, delayed, bill, paid] = rawMonthFeatures(row, CREDIT_SEQUENCE_MONTHS[5]!);
  expect([status, delayed, paid]).toEqual([2, 1, 0]);
  expect(bill).toBeCloseTo(-Math.log(100), 12);
  expect(rawMonthFeatures({ PAY_0: 0, BILL_AMT1: 0, PAY_AMT1: 0 }, CREDIT_SEQUENCE_MONTHS[5]!)[1]).toBe(0);
  expect(() => rawMonthFeatures({ PAY_0: 0, BILL_AMT1: 0, PAY_AMT1: -1 }, CREDIT_SEQUENCE_MONTHS[5]!)).toThrow(/cannot be negative/);
  expect(() => rawMonthFeatures({ PAY_0: 'x', BILL_AMT1: 0, PAY_AMT1: 0 }, CREDIT_SEQUENCE_MONTHS[5]!)).toThrow(/'PAY_0' is "x"/);
});

test('a hand-made row comes out in time order: the last step is September, the first April', () => {
  // Statuses by month: Sep 3, Aug 2, Jul 1, Jun 0, May −1, Apr −2.
  const rows = [client([3, 2, 1, 0, -1, -2]), client([0, 0, 0, 0, 0, 0])];
  const enc = fitCreditSequenceEncoder(rows, { static: false });
  const seq = enc.sequences(rows.slice(0, 1));
  expect(seq.shape).toEqual([1, 6, 4]);
  const { mean, std } = enc.scaling.status;
  const statusByStep = [0, 1, 2, 3, 4, 5].map((t) => seq.data[t * 4]! * std + mean);
  statusByStep.forEach((v, t) => expect(v).toBeCloseTo([-2, -1, 0, 1, 2, 3][t]!, 5));
  // Bill 1000·m for month m: April (m = 6) first.
  const billByStep = [0, 1, 2, 3, 4, 5].map((t) => seq.data[t * 4 + 2]! * enc.scaling.bill.std + enc.scaling.bill.mean);
  billByStep.forEach((v, t) => expect(v).toBeCloseTo(Math.log1p(1000 * (6 - t)), 4));
  // The flat row holds the same numbers, month by month.
  expect(Array.from(enc.flat(rows.slice(0, 1)).data)).toEqual(Array.from(seq.data));
  expect(enc.flatFeatureNames.slice(0, 5)).toEqual(['Apr:status', 'Apr:delayed', 'Apr:bill', 'Apr:paid', 'May:status']);
  expect(enc.flatFeatureNames.slice(-1)).toEqual(['Sep:paid']);
});

test('standardization is fitted on the training rows only: μ and σ over their six months, whatever rows are transformed', () => {
  const train = [client([1, 1, 1, 1, 1, 1]), client([-1, -1, -1, -1, -1, -1])];
  const other = [client([8, 8, 8, 8, 8, 8])];
  const enc = fitCreditSequenceEncoder(train, { static: false });
  expect(enc.scaling.status).toEqual({ mean: 0, std: 1 });
  expect(enc.scaling.delayed.mean).toBeCloseTo(0.5, 12);
  expect(enc.scaling.delayed.std).toBeCloseTo(0.5, 12);
  // The transformed row's status 8 becomes (8 − 0)/1: nothing of it entered the scaling.
  expect(enc.sequences(other).data[0]).toBeCloseTo(8, 6);
  // Refitting with the other row included changes μ: the encoder depends on the rows it was fitted on, and only those.
  expect(fitCreditSequenceEncoder([...train, ...other], { static: false }).scaling.status.mean).toBeCloseTo(8 / 3, 12);
  // Over the training rows, each feature has mean 0 and sd 1 over all months.
  const z = enc.sequences(train).data;
  const status = Array.from({ length: 12 }, (_, i) => z[i * 4]!);
  expect(status.reduce((a, b) => a + b, 0) / 12).toBeCloseTo(0, 6);
  expect(status.reduce((a, b) => a + b * b, 0) / 12).toBeCloseTo(1, 6);
});

test('static columns: one-hot categories and standardized numbers from the training rows, repeated at every step and once in the flat row', () => {
  const train = [client([0, 0, 0, 0, 0, 0], { SEX: 1, AGE: 20 }), client([1, 0, 0, 0, 0, 0], { SEX: 2, AGE: 40 })];
  const enc = fitCreditSequenceEncoder(train);
  expect(enc.stepFeatureNames).toEqual([...CREDIT_MONTH_FEATURES, 'SEX=1', 'SEX=2', 'EDUCATION=2', 'MARRIAGE=1', 'LIMIT_BAL', 'AGE']);
  const seq = enc.sequences(train);
  expect(seq.shape).toEqual([2, 6, 10]);
  const f = 10;
  for (let t = 0; t < 6; t++) expect(Array.from(seq.data.subarray((6 + t) * f + 4, (6 + t) * f + 10))).toEqual([0, 1, 1, 1, 0, 1]);
  const flat = enc.flat(train);
  expect(flat.shape).toEqual([2, 30]);
  expect(Array.from(flat.data.subarray(30 + 24, 60))).toEqual([0, 1, 1, 1, 0, 1]);
  // An unseen category encodes as zeros; the tensor the GRU gets has the documented shape.
  expect(Array.from(enc.sequences([client([0, 0, 0, 0, 0, 0], { SEX: 3, AGE: 30 })]).data.subarray(4, 10))).toEqual([0, 0, 1, 1, 0, 0]);
  const x = tf.tensor3d(seq.data, seq.shape as [number, number, number]);
  expect(x.shape).toEqual([2, 6, 10]);
  x.dispose();
  expect(() => fitCreditSequenceEncoder([])).toThrow('fitCreditSequenceEncoder: no training rows');
});
