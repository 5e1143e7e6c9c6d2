import { leadingAxes } from '../../src/backends/wasm-kernels-reduce';
import { DiffLog, compareKernel, randn, setupBackends } from '../support/wasm-kernel-check';

const log = new DiffLog();
beforeAll(setupBackends);
afterAll(() => console.log(log.report()));

test('leading axes are recognised', () => {
  expect(leadingAxes([0, 1, 2], 4)).toBe(3);
  expect(leadingAxes([2, 0, 1], 4)).toBe(3);
  expect(leadingAxes(0, 2)).toBe(1);
  expect(leadingAxes([-4, -3], 4)).toBe(2);
  expect(leadingAxes([1, 2], 4)).toBe(-1);
  expect(leadingAxes([0, 1, 2, 3], 4)).toBe(-1); // a full reduction keeps the stock kernel
  expect(leadingAxes(null, 4)).toBe(-1);
});

const CASES: [string, number[], number[] | number, boolean][] = [
  ['conv bias gradient [32,26,26,32] over N,H,W', [32, 26, 26, 32], [0, 1, 2], false],
  ['batch-norm moments, keepDims', [16, 10, 10, 6], [0, 1, 2], true],
  ['dense bias gradient [512,10] over axis 0', [512, 10], 0, false],
  ['two leading axes of a rank-3 tensor', [40, 30, 7], [0, 1], false],
  ['inner axis (stock kernel)', [64, 100], 1, false],
  ['small (stock kernel)', [8, 4], [0], true],
];

describe.each(['Sum', 'Mean'])('%s on wasm matches cpu', (kernel) => {
  test.each(CASES)('%s', async (_name, shape, axis, keepDims) => {
    const r = await compareKernel(kernel, { x: randn(shape, 6) }, { axis, keepDims });
    log.add(kernel, r);
    expect(r.shapes[0]![1]).toEqual(r.shapes[0]![0]);
    // float32 sums of up to 21632 terms: relative error ~1e-6 of the sum of magnitudes.
    expect(r.maxAbsDiff).toBeLessThanOrEqual(2e-5 * Math.max(1, r.maxAbsRef));
  });
});
