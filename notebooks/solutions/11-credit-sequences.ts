/**
 * Solutions of notebook 11's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { TabularRow } from 'ai-course';
import { Solutions } from './types';

const statusesInTimeOrder = (row: TabularRow): number[] => ['PAY_6', 'PAY_5', 'PAY_4', 'PAY_3', 'PAY_2', 'PAY_0'].map((c) => Number(row[c]));

export const solutions: Solutions = {
  '11.1': {
    answer: 3 * (16 * (19 + 16) + 16),
    wrong: [3 * (16 * (19 + 16) + 2 * 16), 4 * (16 * (19 + 16) + 16), 3 * 16 * (19 + 16)],
    explanation: 'Each of the three gates has an input kernel 19 × 16, a recurrent kernel 16 × 16 and a bias of 16: '
      + '3·(16·35 + 16) = 1,728. TensorFlow 2\'s Keras GRU defaults to reset_after=True, which adds a second bias per gate '
      + '(1,776); tfjs implements only the original GRU and rejects resetAfter: true. An LSTM has four gates (2,304).',
  },
  '11.2': {
    answer: statusesInTimeOrder,
    wrong: [
      (row: TabularRow): number[] => ['PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6'].map((c) => Number(row[c])),
      (row: TabularRow): number[] => ['PAY_6', 'PAY_5', 'PAY_4', 'PAY_3', 'PAY_2'].map((c) => Number(row[c])),
    ],
    explanation: 'The data counts months backwards from September: PAY_0 is September, PAY_2 August, … PAY_6 April. Time order '
      + 'is therefore PAY_6, PAY_5, PAY_4, PAY_3, PAY_2, PAY_0 — the column order reversed. A recurrent network fed the file\'s '
      + 'order would read the history backwards, its last step being the oldest month.',
  },
  '11.3': {
    answer: false,
    wrong: [true],
    explanation: 'Picking the epoch by test AUC makes the test set part of training: among a dozen epochs, the best test AUC is '
      + 'partly the one whose errors happened to fall luckily on those clients, so it overstates what new clients will see. '
      + 'The validation split absorbs that choice, and the test set, looked at once, stays an honest estimate.',
  },
  '11.4': {
    answer: 'ECE',
    wrong: ['AUC', 'KS'],
    explanation: 'Squaring is strictly increasing on [0, 1], so every pair of clients keeps its order: AUC (the share of '
      + 'correctly ordered pairs) and KS (the largest gap between the two classes\' score distributions over thresholds) are '
      + 'unchanged. The probabilities themselves fall — a 0.3 becomes 0.09 — so they no longer match the default rates, and '
      + 'the expected calibration error grows. Ranking and calibration are different properties: check both.',
  },
};
