/**
 * Exercises of notebook 04 (a CNN on MNIST): output shapes and parameter counts of a convolution, the output-size
 * rule with TensorFlow's paddings, max pooling on plain arrays, and the compute cost of the two CNNs.
 */
import { conv2dOutputSize, conv2dParamCount, maxPool2dArrays } from '../scratch/conv2d';
import { countModelFlops } from '../scratch/flops';
import { articleCnn, improvedCnn } from '../models/mnist-cnn';
import { Exercise, todo } from './exercise';
import { mismatch, mulberry32, randomVector, showValue } from './checks';

const NOTEBOOK = '04-cnn-mnist';

/** 04.1 — the output shape of a convolution layer. */
const convShapeExercise: Exercise<number[] | undefined> = {
  id: '04.1', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the shape after a convolution',
  statement: "A `conv2d` layer with 16 filters of 5×5, stride 1 and `'valid'` padding reads one MNIST image, `[28, 28, 1]`. "
    + 'What is the shape of its output for that one image, `[height, width, channels]`?',
  hint: "with 'valid' padding a k×k window fits in (28 − k + 1) positions per axis; the channels are the number of filters.",
  stub: undefined,
  check: (answer) => mismatch(answer, [conv2dOutputSize(28, 5).size, conv2dOutputSize(28, 5).size, 16], 0),
};

/** 04.2 — the parameters of that layer. */
const convParamsExercise: Exercise<number | undefined> = {
  id: '04.2', notebook: NOTEBOOK, kind: 'understand', difficulty: 1,
  title: 'the parameters of a convolution',
  statement: 'How many trainable parameters does that layer (16 filters of 5×5 on 1 input channel, with biases) have?',
  hint: 'each filter has k·k·(input channels) weights and one bias.',
  stub: undefined,
  check: (answer) => mismatch(answer, conv2dParamCount(5, 5, 1, 16), 0),
};

/** 04.3 — the output-size rule, both paddings. */
const outputSizeExercise: Exercise<(inSize: number, kernel: number, stride: number, padding: 'valid' | 'same') => number> = {
  id: '04.3', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'the output-size rule',
  statement: "Implement the output length along one axis of a convolution (or pooling) with TensorFlow's rules, for `'valid'` "
    + "and `'same'` padding and any stride.",
  hint: "'valid': floor((in − k) / s) + 1 (the window must fit); 'same': ceil(in / s), whatever k is.",
  stub: () => todo(),
  check: (size) => {
    for (const padding of ['valid', 'same'] as const) {
      for (let inSize = 1; inSize <= 12; inSize++) {
        for (let k = 1; k <= Math.min(inSize, 5); k++) {
          for (let s = 1; s <= 3; s++) {
            const m = mismatch(size(inSize, k, s, padding), conv2dOutputSize(inSize, k, s, padding).size, 0);
            if (m) return `for in = ${inSize}, k = ${k}, s = ${s}, '${padding}': ${m}`;
          }
        }
      }
    }
    return null;
  },
};

/** 04.4 — max pooling on a plain 2-D array. */
const maxPoolExercise: Exercise<(image: number[][], size: number) => number[][]> = {
  id: '04.4', notebook: NOTEBOOK, kind: 'implement', difficulty: 2,
  title: 'max pooling by hand',
  statement: "Implement max pooling of one single-channel image `image[row][col]` with a `size`×`size` window, stride `size` "
    + "and `'valid'` padding (windows that do not fit are dropped). Return the pooled image as `number[][]`.",
  hint: 'output[i][j] is the maximum of image[r][c] for r in [i·size, (i+1)·size) and c in [j·size, (j+1)·size); there are floor(h/size) rows.',
  stub: () => todo(),
  check: (pool) => {
    const rand = mulberry32(404);
    for (let trial = 0; trial < 12; trial++) {
      const h = 2 + (trial % 5);
      const w = 3 + ((trial * 7) % 5);
      const size = 1 + (trial % 3);
      if (size > h || size > w) continue;
      const flat = randomVector(rand, h * w, 5);
      if (trial === 0) flat.fill(-1);                   // all negative: a maximum that starts from 0 is wrong
      const image = Array.from({ length: h }, (_, r) => flat.slice(r * w, (r + 1) * w));
      const ref = maxPool2dArrays({ data: Float32Array.from(flat), shape: [1, h, w, 1] }, size);
      const [, oh, ow] = ref.shape as [number, number, number, number];
      const want = Array.from({ length: oh }, (_, r) => Array.from(ref.data.slice(r * ow, (r + 1) * ow)));
      const m = mismatch(pool(image.map((row) => row.slice()), size), want, 1e-6);
      if (m) return `for a ${h}×${w} image ${showValue(image.map((row) => row.map((v) => Number(v.toFixed(2)))))}, size ${size}: ${m}`;
    }
    return null;
  },
};

/** 04.5 — an experiment: the compute cost of the two CNNs. */
const cnnCostExperiment: Exercise<number | undefined> = {
  id: '04.5', notebook: NOTEBOOK, kind: 'experiment', difficulty: 2,
  title: 'what the better CNN costs',
  statement: 'Count the multiply-adds per image of `articleCnn()` and `improvedCnn()` with `countModelFlops` and report how '
    + 'many times more the improved CNN needs (a number, within $5\\%$).',
  hint: "countModelFlops(model).multiplyAdds for each model, then divide the improved one's by the article's.",
  stub: undefined,
  check: (answer) => {
    const article = articleCnn();
    const improved = improvedCnn();
    try {
      const ratio = countModelFlops(improved).multiplyAdds / countModelFlops(article).multiplyAdds;
      return mismatch(answer, ratio, 0.05, true) === null ? null : `recounted here: the ratio is ${ratio.toFixed(2)}, not ${showValue(answer)}`;
    } finally {
      article.dispose();
      improved.dispose();
    }
  },
};

/** The exercises of notebook 04, in order. */
export const CNN_EXERCISES: readonly Exercise<any>[] = [convShapeExercise, convParamsExercise, outputSizeExercise, maxPoolExercise, cnnCostExperiment];
