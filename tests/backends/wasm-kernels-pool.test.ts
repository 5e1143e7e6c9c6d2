import * as tf from '@tensorflow/tfjs';
import { originalKernel } from '../../src/backends/wasm-kernels-core';
import { DiffLog, KernelInput, compareKernel, randInt, randn, setupBackends } from '../support/wasm-kernel-check';

const log = new DiffLog();
beforeAll(setupBackends);
afterAll(() => console.log(log.report()));

interface PoolCase {
  x: [number, number, number, number];
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
}

const POOL_CASES: PoolCase[] = [
  { x: [2, 6, 6, 3], filterSize: 2, strides: 2, pad: 'valid' },
  { x: [2, 7, 7, 3], filterSize: 2, strides: 2, pad: 'same' },
  { x: [2, 7, 9, 3], filterSize: 2, strides: 2, pad: 'valid' }, // odd sizes: an uncovered edge
  { x: [2, 7, 5, 4], filterSize: 3, strides: 2, pad: 'same' },
  { x: [1, 8, 8, 2], filterSize: 3, strides: 1, pad: 'valid' }, // overlapping windows
  { x: [2, 9, 7, 3], filterSize: [2, 3], strides: [1, 2], pad: 'same' },
  { x: [4, 26, 26, 32], filterSize: 2, strides: 2, pad: 'valid' }, // the seed CNN's pool
];

/** Inputs for one case: normal values, all-negative values, and integers (ties at the max). */
function variants(c: PoolCase, seedValue: number): [string, KernelInput][] {
  const normal = randn(c.x, seedValue);
  const negative = randn(c.x, seedValue + 1);
  negative.values = negative.values.map((v) => -Math.abs(v) - 0.01) as Float32Array;
  const ties = randInt(c.x, -2, 2, seedValue + 2); // values in {-2,-1,0,1}: most windows tie
  const special = randn(c.x, seedValue + 3); // NaN and −∞ never win, as on cpu
  special.values = special.values.map((v, i) => (i % 7 === 0 ? NaN : i % 5 === 0 ? -Infinity : v)) as Float32Array;
  return [['normal', normal], ['all ≤ 0', negative], ['ties', ties], ['NaN/−∞', special]];
}

function poolOut(c: PoolCase): number[] {
  return tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad).outShape;
}

const cases = POOL_CASES.flatMap((c, i) => variants(c, 10 * i).map(([kind, x]) =>
  [`${kind}: x ${c.x} filter ${c.filterSize} strides ${c.strides} ${c.pad}`, c, x] as const));

describe('MaxPoolGrad on wasm matches cpu', () => {
  test.each(cases)('%s', async (_name, c, x) => {
    const dy = randn(poolOut(c), 99);
    // MaxPoolGrad's `output` input is the forward maximum; compute it on cpu.
    const output = tf.tidy(() => tf.maxPool(tf.tensor4d(x.values, c.x), c.filterSize, c.strides, c.pad).dataSync().slice() as Float32Array);
    const inputs = { dy, input: x, output: { values: output, shape: poolOut(c), dtype: 'float32' as const } };
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    const r = await compareKernel('MaxPoolGrad', inputs, attrs);
    log.add('MaxPoolGrad', r);
    expect(r.shapes[0]![1]).toEqual(c.x);
    // Each gradient lands on the same cell; only the order of sums over overlapping windows differs.
    expect(r.maxAbsDiff).toBeLessThanOrEqual(1e-6);
  });
});

describe('MaxPoolWithArgmax on wasm matches cpu', () => {
  test.each(cases.filter((_, i) => i % 2 === 0))('%s', async (_name, c, x) => {
    for (const includeBatchInIndex of [false, true]) {
      const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad, includeBatchInIndex };
      const r = await compareKernel('MaxPoolWithArgmax', { x }, attrs);
      log.add('MaxPoolWithArgmax', r);
      expect(r.maxAbsDiff).toBe(0);
    }
  });
});

test('the stock wasm MaxPoolGrad is wrong on windows ≤ 0 and on ties (why the course replaces it)', async () => {
  await tf.setBackend('wasm');
  const stock = originalKernel('MaxPoolGrad');
  expect(stock).toBeDefined();
  const grad = (values: number[]) => tf.tidy(() => {
    const input = tf.tensor4d(values, [1, 2, 2, 1]);
    const output = tf.maxPool(input, 2, 2, 'valid');
    const dy = tf.ones([1, 1, 1, 1]);
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;
    const fixed = Array.from((tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, attrs) as tf.Tensor).dataSync());
    const info = stock!.kernelFunc({ inputs: { dy, input, output }, backend: tf.backend(), attrs }) as tf.TensorInfo;
    const t = tf.engine().makeTensorFromTensorInfo(info);
    return { fixed, stock: Array.from(t.dataSync()) };
  });
  // The maximum −1 is in the last cell: the stock kernel credits the first cell.
  expect(grad([-4, -3, -2, -1])).toEqual({ fixed: [0, 0, 0, 1], stock: [1, 0, 0, 0] });
  // A tie at 3: cpu and TensorFlow credit the first maximum in row-major order.
  expect(grad([1, 3, 3, 2])).toEqual({ fixed: [0, 1, 0, 0], stock: [0, 0, 1, 0] });
  await tf.setBackend('cpu');
});
