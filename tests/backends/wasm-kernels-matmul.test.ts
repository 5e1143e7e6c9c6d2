import { DiffLog, compareKernel, randn, setupBackends } from '../support/wasm-kernel-check';

const log = new DiffLog();
beforeAll(setupBackends);
afterAll(() => console.log(log.report()));

// [a shape, b shape, transposeA, transposeB]: the dense layer's three products and a few more.
const CASES: [number[], number[], boolean, boolean][] = [
  [[32, 5408], [5408, 10], false, false], // forward
  [[32, 10], [5408, 10], false, true], // dx = dy · Wᵀ
  [[32, 5408], [32, 10], true, false], // dW = xᵀ · dy
  [[7, 5], [9, 7], true, true],
  [[1, 6, 4], [1, 5, 4], false, true], // rank 3, one matrix
  [[3, 6, 4], [3, 4, 5], false, false], // batched: stock kernel
  [[2, 4, 6], [2, 5, 4], true, true], // batched and transposed: stock kernel
];

describe('BatchMatMul on wasm matches cpu', () => {
  test.each(CASES.map((c) => [`${c[0]} × ${c[1]} transposeA=${c[2]} transposeB=${c[3]}`, ...c] as const))(
    '%s', async (_name, a, b, transposeA, transposeB) => {
      const r = await compareKernel('BatchMatMul', { a: randn(a, 1), b: randn(b, 2) }, { transposeA, transposeB });
      log.add('BatchMatMul', r);
      expect(r.shapes[0]![1]).toEqual(r.shapes[0]![0]);
      expect(r.maxAbsDiff).toBeLessThanOrEqual(1e-5 * Math.max(1, r.maxAbsRef));
    });
});

describe('_FusedMatMul on wasm matches cpu', () => {
  test.each([
    ['bias + relu, transposeB', [1, 8, 6], [1, 5, 6], false, true, 'relu'],
    ['bias, transposeA', [1, 6, 8], [1, 6, 5], true, false, 'linear'],
    ['no transpose', [1, 8, 6], [1, 6, 5], false, false, 'relu'],
  ] as const)('%s', async (_name, a, b, transposeA, transposeB, activation) => {
    const inputs = { a: randn([...a], 3), b: randn([...b], 4), bias: randn([5], 5) };
    const r = await compareKernel('_FusedMatMul', inputs, { transposeA, transposeB, activation, leakyreluAlpha: 0.2 });
    log.add('_FusedMatMul', r);
    expect(r.shapes[0]![1]).toEqual(r.shapes[0]![0]);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(1e-5 * Math.max(1, r.maxAbsRef));
  });
});
