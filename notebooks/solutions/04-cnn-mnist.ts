/**
 * Solutions of notebook 04's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { articleCnn, countModelFlops, improvedCnn } from 'ai-course';
import { Solutions } from './types';

const pool = (image: number[][], size: number, start = -Infinity, stride = size): number[][] => {
  const rows = Math.floor((image.length - size) / stride) + 1;
  const cols = Math.floor((image[0]!.length - size) / stride) + 1;
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => {
    let best = start;
    for (let r = i * stride; r < i * stride + size; r++) for (let c = j * stride; c < j * stride + size; c++) best = Math.max(best, image[r]![c]!);
    return best;
  }));
};

const ratio = (): number => {
  const a = articleCnn();
  const b = improvedCnn();
  const r = countModelFlops(b).multiplyAdds / countModelFlops(a).multiplyAdds;
  a.dispose();
  b.dispose();
  return r;
};

export const solutions: Solutions = {
  '04.1': {
    answer: [24, 24, 16],
    wrong: [[24, 24, 1], [28, 28, 16], [23, 23, 16]],
    explanation: "With 'valid' padding a 5×5 window fits in 28 − 5 + 1 = 24 positions along each axis; each of the 16 filters "
      + 'gives one channel.',
  },
  '04.2': {
    answer: 416,
    wrong: [400, 401, 6400],
    explanation: '16 filters × (5·5·1 weights + 1 bias) = 416 — independent of the image size, unlike a dense layer.',
  },
  '04.3': {
    answer: (inSize: number, kernel: number, stride: number, padding: 'valid' | 'same'): number =>
      (padding === 'valid' ? Math.floor((inSize - kernel) / stride) + 1 : Math.ceil(inSize / stride)),
    wrong: [
      (inSize: number, kernel: number, stride: number): number => Math.floor((inSize - kernel) / stride) + 1,
      (inSize: number, kernel: number, stride: number, padding: 'valid' | 'same'): number =>
        (padding === 'valid' ? Math.ceil((inSize - kernel) / stride) + 1 : Math.ceil(inSize / stride)),
    ],
    explanation: "'valid' keeps only windows that fit: ⌊(in − k)/s⌋ + 1. 'same' pads so that every s-th position is a window "
      + 'centre: ⌈in/s⌉, whatever k is (TensorFlow puts the odd pixel of padding after, not before).',
  },
  '04.4': {
    answer: (image: number[][], size: number): number[][] => pool(image, size),
    wrong: [
      (image: number[][], size: number): number[][] => pool(image, size, 0),
      (image: number[][], size: number): number[][] => pool(image, size, -Infinity, 1),
    ],
    explanation: 'Each output pixel is the maximum of its own size×size block; start the maximum from −∞ (or the first '
      + 'pixel), not from 0, or a block of negative values pools to 0.',
  },
  '04.5': {
    answer: ratio(),
    wrong: [1, 1 / ratio()],
    explanation: 'countModelFlops counts each layer per image. The improved CNN\'s second convolution (32 → 64 channels, 3×3, '
      + '11×11 outputs: 11·11·64·3·3·32 ≈ 2.2 million multiply-adds) alone costs several times the whole article CNN '
      + '(26·26·32·9 ≈ 0.19 million for its convolution plus 5,408·10 for its dense layer); the check prints the exact ratio.',
  },
};
