/**
 * Exercises of notebook 11 (credit history as a sequence): the parameters of a tfjs GRU, putting the Taiwan data's
 * months in time order, why the test set is looked at once, and which metrics a monotone change of the scores moves.
 */
import { CREDIT_SEQUENCE_MONTHS } from '../data/credit-sequences';
import { TabularRow } from '../data/tabular-encoder';
import { expectedCalibrationError, reliabilityBins } from '../metrics/calibration';
import { ksStatistic } from '../metrics/credit-metrics';
import { rocAuc } from '../metrics/roc';
import { gruParameterCount } from '../models/sequence-model';
import { Exercise, todo } from './exercise';
import { choiceMismatch, choiceProblem, mismatch, mulberry32, showValue } from './checks';

const NOTEBOOK = '11-credit-sequences';

/** 11.1 — the parameters of a GRU layer in TensorFlow.js. */
const gruParametersExercise: Exercise<number | undefined> = {
  id: '11.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'the parameters of a GRU',
  statement: 'A TensorFlow.js GRU layer (`tf.layers.gru`, default settings) with $16$ units reads $19$ features per step. '
    + 'How many trainable numbers (weights and biases) does the layer itself have?',
  hint: 'three gates (update, reset, candidate), each with an input kernel inputs × units, a recurrent kernel units × units and '
    + 'one bias of units — tfjs has no second (reset_after) bias.',
  stub: undefined,
  check: (answer) => {
    const want = gruParameterCount(19, 16);
    return answer === want ? null : `the answer is ${showValue(answer)}, expected a whole number — not that one`;
  },
};

/** The six repayment statuses of a row, oldest month first: the reference for 11.2. */
function statusesOldestFirst(row: TabularRow): number[] {
  return CREDIT_SEQUENCE_MONTHS.map((m) => Number(row[m.status]));
}

/** 11.2 — the months in time order. */
const timeOrderExercise: Exercise<(row: TabularRow) => number[]> = {
  id: '11.2', notebook: NOTEBOOK, kind: 'implement', difficulty: 1,
  title: 'the months in time order',
  statement: 'Implement `statusesInTimeOrder(row)`: the six repayment statuses of a Taiwan client as numbers, **oldest month '
    + 'first** — what the GRU reads at steps $0, 1, \\dots, 5$. The columns are `PAY_0`, `PAY_2`, `PAY_3`, `PAY_4`, `PAY_5`, '
    + '`PAY_6` (there is no `PAY_1`); `PAY_0` is September 2005, `PAY_6` April.',
  hint: 'the numbers in the column names count back from September: the oldest month, April, is PAY_6, and the list ends with PAY_0.',
  stub: () => todo(),
  check: (statuses) => {
    const rand = mulberry32(1102);
    const columns = ['PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6'];
    for (let trial = 0; trial < 10; trial++) {
      const row: TabularRow = Object.fromEntries(columns.map((c) => [c, Math.floor(rand() * 11) - 2]));
      const m = mismatch(statuses({ ...row }), statusesOldestFirst(row), 0);
      if (m) return `for ${showValue(row)}: ${m}`;
    }
    return null;
  },
};

/** 11.3 — choosing the epoch on the test set. */
const testOnceExercise: Exercise<boolean | undefined> = {
  id: '11.3', notebook: NOTEBOOK, kind: 'understand', difficulty: 2,
  title: 'the test set, once',
  statement: 'Suppose the GRU kept the weights of the epoch with the best **test** AUC instead of the best validation AUC. Would '
    + 'that best test AUC still be an unbiased estimate of how the model ranks new clients (`true` or `false`)?',
  hint: 'choosing the best of several numbers picks, along with the best model, the luckiest noise of those test clients: the '
    + 'maximum of noisy estimates is biased upwards. That is what the validation split is for.',
  stub: undefined,
  check: (answer) => choiceMismatch(answer, false, [true, false]),
};

/** 11.4 — an experiment: which metrics a monotone change of the scores moves. */
const monotoneExperiment: Exercise<'AUC' | 'KS' | 'ECE' | undefined> = {
  id: '11.4', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'squaring the probabilities',
  statement: 'Take the GRU\'s test probabilities `p` and square them, `p.map((v) => v * v)`: every client keeps its rank, but the '
    + 'numbers change. Compute `rocAuc`, `ksStatistic(...).ks` and `expectedCalibrationError(reliabilityBins(...))` on the test '
    + 'labels for both. Which one of `\'AUC\'`, `\'KS\'` and `\'ECE\'` changes?',
  hint: 'AUC and KS only compare clients with each other (ranks and thresholds), so a strictly increasing map leaves them '
    + 'unchanged; calibration compares the numbers themselves with default rates.',
  stub: undefined,
  check: (answer) => {
    const invalid = choiceProblem(answer, ['AUC', 'KS', 'ECE']);
    if (invalid) return invalid;
    const rand = mulberry32(1104);
    const y: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const label = rand() < 0.22 ? 1 : 0;
      y.push(label);
      p.push(1 / (1 + Math.exp(-(-1.5 + 1.6 * label + 1.2 * (rand() - 0.5) * 2))));
    }
    const q = p.map((v) => v * v);
    const moved = {
      AUC: Math.abs(rocAuc(y, q) - rocAuc(y, p)) > 1e-9,
      KS: Math.abs(ksStatistic(y, q).ks - ksStatistic(y, p).ks) > 1e-9,
      ECE: Math.abs(expectedCalibrationError(reliabilityBins(y, q)) - expectedCalibrationError(reliabilityBins(y, p))) > 1e-9,
    };
    const changed = (Object.keys(moved) as ('AUC' | 'KS' | 'ECE')[]).filter((k) => moved[k]);
    return changed.length === 1 && changed[0] === answer ? null
      : `measured here on 4,000 simulated clients: ${(['AUC', 'KS', 'ECE'] as const).map((k) => `${k} ${moved[k] ? 'changes' : 'stays'}`).join(', ')}`;
  },
};

/** The exercises of notebook 11, in order. */
export const SEQUENCES_EXERCISES: readonly Exercise<any>[] = [gruParametersExercise, timeOrderExercise, testOnceExercise, monotoneExperiment];
