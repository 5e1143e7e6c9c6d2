/**
 * Solutions of notebook 08's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { quantizationError } from 'ai-course';
import { Solutions } from './types';

const quantize = (values: number[], levels = 255, round = Math.round) => {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const scale = max > min ? (max - min) / levels : 1;
  return { data: values.map((v) => Math.min(255, Math.max(0, round((v - min) / scale)))), scale, min };
};

export const solutions: Solutions = {
  '08.1': {
    answer: 217640,
    wrong: [54410, 108820, 435280],
    explanation: '54,410 × 4 bytes = 217,640 bytes ≈ 213 KiB; float16 halves it and 8-bit quantization quarters it (plus a '
      + 'scale and offset per tensor).',
  },
  '08.2': {
    answer: 9,
    wrong: [40, 6, 3],
    explanation: 'Sorted, the 19th of 20 times is 9 ms: 95 % of the requests took 9 ms or less. The single 40 ms request is the '
      + 'maximum, not the p95 — and the mean (4.95 ms) hides it altogether.',
  },
  '08.3': {
    answer: (values: number[]) => quantize(values),
    wrong: [(values: number[]) => quantize(values, 255, Math.floor), (values: number[]) => quantize(values, 256)],
    explanation: 'scale = (max − min)/255 maps min to 0 and max to 255; rounding to the nearest level keeps every error within '
      + 'half a step. Truncating (floor) doubles the worst error; 256 levels would overflow the top value.',
  },
  '08.4': {
    answer: quantizationError(1000, 8) / quantizationError(1000, 1),
    wrong: [1, 64, 1 / 8],
    explanation: 'The step is (max − min)/255, so the worst error, half a step, grows in proportion to the range: 8× the range, '
      + 'about 8× the error. This is why quantization works per tensor (or per channel), each with its own range.',
  },
};
