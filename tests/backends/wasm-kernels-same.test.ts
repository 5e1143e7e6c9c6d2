import * as tf from '@tensorflow/tfjs';
import { originalKernel } from '../../src/backends/wasm-kernels-core';
import { explicitSamePad } from '../../src/backends/wasm-kernels-same';
import { DiffLog, compareKernel, randn, setupBackends } from '../support/wasm-kernel-check';

const log = new DiffLog();
beforeAll(setupBackends);
afterAll(() => console.log(log.report()));

test('only filters smaller than the stride get explicit pads', () => {
  expect(explicitSamePad([1, 6, 7, 2], [2, 2, 2, 3], 3, 1, false)).toEqual([[0, 0], [0, 0], [0, 1], [0, 0]]);
  expect(explicitSamePad([1, 6, 7, 2], [3, 3, 2, 3], 2, 1, false)).toBeNull();
  expect(explicitSamePad([1, 6, 7, 2], [2, 2, 2, 1], [1, 3], 1, true)).not.toBeNull();
});

const SHAPES: [number[], number, number][] = [
  // [x shape, filter size, stride]
  [[2, 5, 6, 2], 2, 3],
  [[2, 8, 9, 2], 2, 3],
  [[1, 9, 9, 3], 2, 4],
  [[2, 7, 7, 2], 3, 2], // filter ≥ stride: stock kernel
  [[2, 7, 7, 2], 1, 2],
];

describe.each([
  ['Conv2D', false, false],
  ['FusedConv2D', false, true],
  ['DepthwiseConv2dNative', true, false],
  ['FusedDepthwiseConv2D', true, true],
] as const)('%s with pad "same" on wasm matches cpu', (kernel, depthwise, fused) => {
  test.each(SHAPES.map((s) => [`x ${s[0]} filter ${s[1]} stride ${s[2]}`, ...s] as const))('%s', async (_name, x, f, stride) => {
    const ci = x[3]!;
    const filter = randn([f, f, ci, depthwise ? 2 : 3], 2);
    const inputs: Record<string, ReturnType<typeof randn>> = { x: randn(x, 1), filter };
    const attrs: Record<string, unknown> = { strides: stride, pad: 'same', dilations: 1, dataFormat: 'NHWC' };
    if (fused) {
      inputs.bias = randn([depthwise ? ci * 2 : 3], 3);
      Object.assign(attrs, { activation: 'relu', leakyreluAlpha: 0 });
    }
    const r = await compareKernel(kernel, inputs, attrs);
    log.add(kernel, r);
    expect(r.shapes[0]![1]).toEqual(r.shapes[0]![0]);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(1e-5 * Math.max(1, r.maxAbsRef));
  });
});

test('the stock wasm Conv2D is wrong for a 2×2 filter with stride 3 and pad "same" (why the course wraps it)', async () => {
  await tf.setBackend('wasm');
  const stock = originalKernel('Conv2D')!;
  const out = tf.tidy(() => {
    const x = tf.tensor4d(Array.from({ length: 30 }, (_, i) => i), [1, 5, 6, 1]);
    const filter = tf.ones([2, 2, 1, 1]);
    const attrs = { strides: 3, pad: 'same', dilations: 1, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap;
    const fixed = Array.from((tf.engine().runKernel('Conv2D', { x, filter }, attrs) as tf.Tensor).dataSync());
    const info = stock.kernelFunc({ inputs: { x, filter }, backend: tf.backend(), attrs }) as tf.TensorInfo;
    return { fixed, stock: Array.from(tf.engine().makeTensorFromTensorInfo(info).dataSync()) };
  });
  // TensorFlow pads 'same' here with nothing on top/left: windows start at rows 0, 3 and columns 0, 3.
  expect(out.fixed).toEqual([0 + 1 + 6 + 7, 3 + 4 + 9 + 10, 18 + 19 + 24 + 25, 21 + 22 + 27 + 28]);
  expect(out.stock).not.toEqual(out.fixed);
  await tf.setBackend('cpu');
});
