/**
 * Solutions of notebook 01's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { mulberry32, shuffle } from 'ai-course';
import { Solutions } from './types';

const split = (labels: number[], count: number, seed: number, stratify = true): number[] => {
  const rand = mulberry32(seed);
  const all = labels.map((_, i) => i);
  if (!stratify) return shuffle(all, rand).slice(0, count);
  const ones = shuffle(all.filter((i) => labels[i] === 1), rand);
  const zeros = shuffle(all.filter((i) => labels[i] === 0), rand);
  const takeOnes = Math.min(ones.length, Math.round((count * ones.length) / labels.length));
  return [...ones.slice(0, takeOnes), ...zeros.slice(0, count - takeOnes)];
};

const standardize = (train: number[], values: number[], from: 'train' | 'values' = 'train', sample = false): number[] => {
  const base = from === 'train' ? train : values;
  const mean = base.reduce((a, b) => a + b, 0) / base.length;
  const sd = Math.sqrt(base.reduce((a, b) => a + (b - mean) ** 2, 0) / (base.length - (sample ? 1 : 0)));
  return values.map((v) => (v - mean) / sd);
};

export const solutions: Solutions = {
  '01.1': {
    answer: 0.7,
    wrong: [0.3, 0.5, 70],
    explanation: 'Predicting "good" for everyone is right on the 700 good applicants: 70 % accuracy with no model at all — '
      + 'why the course reports AUC, and why accuracy needs a baseline next to it.',
  },
  '01.2': {
    answer: 'validation',
    wrong: ['test', 'training'],
    explanation: 'Choosing the epoch is a choice, so it is made on validation. Choosing it on the test set would make the test '
      + 'number optimistic: it would no longer measure performance on unseen data.',
  },
  '01.3': {
    answer: (labels: number[], count: number, seed: number): number[] => split(labels, count, seed),
    wrong: [
      (labels: number[], count: number, seed: number): number[] => split(labels, count, seed, false),
      (labels: number[], count: number): number[] => labels.map((_, i) => i).slice(0, count),
    ],
    explanation: 'Shuffle each class on its own and take the same share from each: the hold-out keeps the class proportions. '
      + 'A plain random sample of a small set can miss the rare class by chance; the first rows are not random at all.',
  },
  '01.4': {
    answer: (train: number[], values: number[]): number[] => standardize(train, values),
    wrong: [
      (train: number[], values: number[]): number[] => standardize(train, values, 'values'),
      (train: number[], values: number[]): number[] => standardize(train, values, 'train', true),
    ],
    explanation: 'The statistics come from the training column only and are then applied unchanged to validation and test '
      + 'values. Statistics computed on the values themselves leak information from the data being evaluated.',
  },
};
