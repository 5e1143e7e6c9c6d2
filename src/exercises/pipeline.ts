/**
 * Exercises of notebook 01 (concepts and the pipeline): a majority baseline, which set a choice is made on, a
 * stratified split, and standardization without leakage.
 */
import { Exercise, todo } from './exercise';
import { mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '01-concepts-pipeline';

/** 01.1 — the accuracy of a model that learned nothing. */
const majorityBaselineExercise: Exercise<number | undefined> = {
  id: '01.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the majority baseline',
  statement: 'German Credit has 700 good and 300 bad applicants. What accuracy does a "model" reach that predicts *good* for everyone (a number between 0 and 1)?',
  hint: 'it is right on every good applicant and wrong on every bad one.',
  stub: undefined,
  check: (answer) => mismatch(answer, 700 / 1000, 1e-9),
};

/** 01.2 — which set a choice is made on. */
const whichSetExercise: Exercise<'training' | 'validation' | 'test' | undefined> = {
  id: '01.2', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'where choices are made',
  statement: "You train for 60 epochs and keep the epoch with the best AUC. On which set do you measure that AUC: `'training'`, "
    + "`'validation'` or `'test'`?",
  hint: 'the test set is looked at once, after every choice is made; the training set rewards memorising.',
  stub: undefined,
  check: (answer) => (answer === 'validation' ? null : `the answer is ${showValue(answer)}`),
};

/** 01.3 — a stratified hold-out split. */
const stratifiedSplitExercise: Exercise<(labels: number[], count: number, seed: number) => number[]> = {
  id: '01.3', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'a stratified split',
  statement: 'Implement a stratified hold-out: given 0/1 `labels`, return `count` distinct indices (in any order) whose share of '
    + 'label 1 is as close as possible to that of all the labels, chosen at random with `seed` (use `mulberry32(seed)` or '
    + '`shuffle` from the library).',
  hint: 'split the indices by class, shuffle each class, and take round(count · share) from the 1s and the rest from the 0s.',
  stub: () => todo(),
  check: (split) => {
    const rand = mulberry32(103);
    for (let trial = 0; trial < 15; trial++) {
      const n = 20 + 13 * trial;
      const labels = Array.from({ length: n }, (): number => (rand() < 0.3 ? 1 : 0));
      const count = Math.max(1, Math.round(n * (0.1 + 0.05 * (trial % 5))));
      const got = split(labels.slice(), count, trial);
      if (!Array.isArray(got) || got.length !== count) return `for ${n} labels and count ${count}: got ${Array.isArray(got) ? got.length : showValue(got)} indices`;
      if (new Set(got).size !== count || got.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) return `for ${n} labels and count ${count}: indices must be distinct whole numbers in [0, ${n})`;
      const ones = labels.reduce((a, b) => a + b, 0);
      const pickedOnes = got.reduce((a, i) => a + labels[i]!, 0);
      if (Math.abs(pickedOnes - (count * ones) / n) > 1) {
        return `for ${n} labels (${ones} ones) and count ${count}: ${pickedOnes} ones picked, expected about ${((count * ones) / n).toFixed(1)}`;
      }
      const again = split(labels.slice(), count, trial);
      if (JSON.stringify(again) !== JSON.stringify(got)) return 'the same seed must give the same indices';
      if (trial === 0 && JSON.stringify(split(labels.slice(), count, 99)) === JSON.stringify(got)
        && JSON.stringify(split(labels.slice(), count, 98)) === JSON.stringify(got)) return 'different seeds should give different indices';
    }
    return null;
  },
};

/** 01.4 — standardization without leakage. */
const standardizeExercise: Exercise<(train: number[], values: number[]) => number[]> = {
  id: '01.4', notebook: NOTEBOOK, kind: 'implement', difficulty: 1,
  title: 'standardize without leakage',
  statement: 'Implement `standardize(train, values)`: subtract the **training** column\'s mean from each of `values` and divide by '
    + 'the training column\'s standard deviation (the population one, dividing by $n$). `values` may be validation or test data.',
  hint: 'compute mean and standard deviation from train only; never from values — that would leak the test set into the preprocessing.',
  stub: () => todo(),
  check: (standardize) => {
    const rand = mulberry32(104);
    for (let trial = 0; trial < 10; trial++) {
      const train = randomVector(rand, 5 + trial, 10).map((v) => v + 3 * trial);
      const values = randomVector(rand, 4, 20);
      const mean = train.reduce((a, b) => a + b, 0) / train.length;
      const sd = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
      const m = mismatch(standardize(train.slice(), values.slice()), values.map((v) => (v - mean) / sd), 1e-9);
      if (m) return `for train = ${showValue(train)} and values = ${showValue(values)}: ${m}`;
    }
    return null;
  },
};

/** The exercises of notebook 01, in order. */
export const PIPELINE_EXERCISES: readonly Exercise<any>[] = [majorityBaselineExercise, whichSetExercise, stratifiedSplitExercise, standardizeExercise];
