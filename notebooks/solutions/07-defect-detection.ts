/**
 * Solutions of notebook 07's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { wilsonInterval } from 'ai-course';
import { Solutions } from './types';

const gradCam = (a: number[][][], g: number[][][], relu = true, mean = true): number[][] => {
  const [h, w, k] = [a.length, a[0]!.length, a[0]![0]!.length];
  const alpha = Array.from({ length: k }, (_, c) => g.flat().reduce((s, cell) => s + cell[c]!, 0) / (mean ? h * w : 1));
  return a.map((row) => row.map((cell) => {
    const v = cell.reduce((s, x, c) => s + alpha[c]! * x, 0);
    return relu ? Math.max(0, v) : v;
  }));
};

export const solutions: Solutions = {
  '07.1': {
    answer: wilsonInterval(58 / 60, 60),
    wrong: [[58 / 60 - 1.96 * Math.sqrt((58 / 60) * (2 / 60) / 60), 58 / 60 + 1.96 * Math.sqrt((58 / 60) * (2 / 60) / 60)], [0.9, 1]],
    explanation: 'The Wilson interval pulls the centre towards ½ and never leaves [0, 1]; the textbook p ± 1.96·√(p(1 − p)/n) '
      + 'interval would reach above 1 here and is too narrow for so few errors.',
  },
  '07.2': {
    answer: (a: number[][][], g: number[][][]): number[][] => gradCam(a, g),
    wrong: [(a: number[][][], g: number[][][]): number[][] => gradCam(a, g, false), (a: number[][][], g: number[][][]): number[][] => gradCam(a, g, true, false)],
    explanation: 'α_k is the spatial mean of the gradient of channel k; the map is ReLU(Σ_k α_k A_k). Without the ReLU negative '
      + 'evidence shows up; a sum instead of a mean scales the map by h·w (which rescaling would hide, but the check does not).',
  },
  '07.3': {
    answer: (image: number[][]): number[][] => {
      const w = image[0]!.length;
      return Array.from({ length: w }, (_, i) => image.map((row) => row[w - 1 - i]!));
    },
    wrong: [
      (image: number[][]): number[][] => Array.from({ length: image[0]!.length }, (_, i) => image.map((row) => row[i]!).reverse()),
      (image: number[][]): number[][] => Array.from({ length: image[0]!.length }, (_, i) => image.map((row) => row[i]!)),
    ],
    explanation: 'Counter-clockwise, the last column becomes the first row: out[i][j] = in[j][w − 1 − i]. Reading columns in '
      + 'order and reversing them turns clockwise; reading them without reversing transposes (a mirror, not a turn).',
  },
  '07.4': {
    answer: 16,
    wrong: [8, 4, 0.5],
    explanation: 'One camera: 2 m/s ÷ 0.25 m = 8 images per second; two cameras: 16. Latency per image must also stay below '
      + 'the time between images, or the queue grows.',
  },
  '07.5': {
    answer: 8,
    wrong: [4, 2, 6],
    explanation: 'The square has 8 symmetries: 4 quarter turns, each with or without a mirror flip. With all pixels different no two '
      + 'of them give the same image; a symmetric image would give fewer.',
  },
};
