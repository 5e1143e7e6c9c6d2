import * as tf from '@tensorflow/tfjs';
import { asWasmBackend } from '../../src/backends/wasm-kernels-core';
import { tileIsBlockRepeat } from '../../src/backends/wasm-kernels-misc';
import { DiffLog, compareKernel, randInt, randn, setupBackends } from '../support/wasm-kernel-check';

const log = new DiffLog();
beforeAll(setupBackends);
afterAll(() => console.log(log.report()));

describe('OneHot on wasm matches cpu', () => {
  test.each([
    ['float32 0/1', 'float32', 1, 0],
    ['float32 label smoothing', 'float32', 0.91, 0.01],
    ['int32 (stock kernel)', 'int32', 1, 0],
  ] as const)('%s', async (_name, dtype, onValue, offValue) => {
    const indices = randInt([7, 5], -1, 11, 3, 'int32'); // includes -1 and 10: out of range
    const r = await compareKernel('OneHot', { indices }, { depth: 10, onValue, offValue, dtype });
    log.add('OneHot', r);
    expect(r.shapes[0]![1]).toEqual([7, 5, 10]);
    expect(r.maxAbsDiff).toBe(0);
  });

  test('a float32 one-hot reads as ones and zeros', async () => {
    await tf.setBackend('wasm');
    const values = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2, 1], 'int32'), 3, 1, 0, 'float32').arraySync());
    expect(values).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    await tf.setBackend('cpu');
  });
});

describe('UnsortedSegmentSum on wasm matches cpu', () => {
  test.each([
    ['rows of an embedding gradient', [40, 8], 12],
    ['scalars', [30], 5],
    ['rank-3 rows', [20, 3, 4], 7],
  ] as const)('%s', async (_name, shape, numSegments) => {
    const x = randn([...shape], 4);
    const segmentIds = randInt([shape[0]], -1, numSegments + 1, 5, 'int32'); // some ids out of range
    const r = await compareKernel('UnsortedSegmentSum', { x, segmentIds }, { numSegments });
    log.add('UnsortedSegmentSum', r);
    expect(r.shapes[0]![1]).toEqual([numSegments, ...shape.slice(1)]);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(1e-6);
  });

  test('int32 values', async () => {
    const x = randInt([25, 3], -5, 5, 6, 'int32');
    const segmentIds = randInt([25], 0, 4, 7, 'int32');
    const r = await compareKernel('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 4 });
    expect(r.maxAbsDiff).toBe(0);
  });
});

describe('Tile on wasm matches cpu', () => {
  test('block repeats are recognised', () => {
    expect(tileIsBlockRepeat([1, 1, 1, 8], [32, 26, 26, 1])).toBe(true);
    expect(tileIsBlockRepeat([1, 3], [5, 1])).toBe(true);
    expect(tileIsBlockRepeat([2, 3], [1, 2])).toBe(false);
    expect(tileIsBlockRepeat([1, 3, 1], [2, 1, 4])).toBe(false);
  });

  test.each([
    ['batch-norm shape [1,1,1,C]', [1, 1, 1, 8], [4, 5, 3, 1], 'float32'],
    ['leading reps [1,3]', [1, 3], [7, 1], 'float32'],
    ['general (stock kernel)', [2, 3], [2, 3], 'float32'],
    ['int32 block', [1, 1, 4], [3, 2, 1], 'int32'],
    ['odd count', [1, 5], [13, 1], 'float32'],
  ] as const)('%s', async (_name, shape, reps, dtype) => {
    const x = dtype === 'int32' ? randInt([...shape], -9, 9, 8, 'int32') : randn([...shape], 8);
    const r = await compareKernel('Tile', { x }, { reps: [...reps] });
    log.add('Tile', r);
    expect(r.shapes[0]![1]).toEqual(shape.map((d, i) => d * reps[i]!));
    expect(r.maxAbsDiff).toBe(0);
  });
});

describe('GatherV2 on wasm matches cpu', () => {
  test.each([
    ['a batch of images (fit)', [60, 6, 6, 1], 0, [32]],
    ['rows of an embedding', [30, 5], 0, [4, 6]],
    ['columns (inner size 1)', [5, 9], 1, [3]],
    ['a middle axis', [4, 7, 3], 1, [5]],
  ] as const)('%s', async (_name, shape, axis, idxShape) => {
    const x = randn([...shape], 9);
    const indices = randInt([...idxShape], 0, shape[axis]!, 10, 'int32');
    const r = await compareKernel('GatherV2', { x, indices }, { axis, batchDims: 0 });
    log.add('GatherV2', r);
    expect(r.shapes[0]![1]).toEqual(r.shapes[0]![0]);
    expect(r.maxAbsDiff).toBe(0);
  });

  test('int32 values', async () => {
    const r = await compareKernel('GatherV2', { x: randInt([10, 3], -50, 50, 11, 'int32'), indices: randInt([8], 0, 10, 12, 'int32') }, { axis: 0, batchDims: 0 });
    expect(r.maxAbsDiff).toBe(0);
  });
});

test('Identity (clone) shares the wasm buffer instead of copying it, and frees it once', async () => {
  await tf.setBackend('wasm');
  const backend = asWasmBackend(tf.backend());
  const before = backend.numDataIds();
  const a = tf.tensor1d([1, 2, 3]);
  const b = a.clone();
  expect(backend.numDataIds()).toBe(before + 1);
  a.dispose();
  expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
  b.dispose();
  expect(backend.numDataIds()).toBe(before);
  await tf.setBackend('cpu');
});

describe('Cast on wasm matches cpu', () => {
  test.each([
    ['float32 → float32 (shared)', 'float32', 'float32'],
    ['float32 → int32', 'float32', 'int32'],
    ['int32 → float32', 'int32', 'float32'],
    ['float32 → bool (stock: byte truncation)', 'float32', 'bool'],
    ['int32 → bool (stock: 256 → 0)', 'int32', 'bool'],
  ] as const)('%s', async (_name, from, to) => {
    const x = from === 'int32' ? randInt([6, 7], -300, 300, 13, 'int32') : randn([6, 7], 13);
    if (from === 'float32') x.values[0] = NaN;
    const r = await compareKernel('Cast', { x }, { dtype: to });
    expect(r.maxAbsDiff).toBe(0);
  });
});
