import * as tf from '@tensorflow/tfjs';
import { wasmConvOptions } from '../../src/backends/wasm-kernels-conv';
import { DiffLog, compareKernel, randn, setupBackends } from '../support/wasm-kernel-check';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const log = new DiffLog();
// Sums of up to a few thousand float32 products: agree to ~1e-6 of the largest value.
const RTOL = 1e-5;

beforeAll(setupBackends);
afterAll(() => console.log(log.report()));

const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  { x: [1, 9, 6, 2], f: [2, 4, 2, 5], strides: [3, 2], pad: 'same' },
  { x: [3, 5, 5, 1], f: [5, 5, 1, 2], strides: 1, pad: 'same' },
  { x: [2, 6, 6, 2], f: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 6, 5, 2], f: [3, 3, 2, 3], strides: 1, pad: 1 },
  { x: [2, 5, 5, 3], f: [1, 1, 3, 4], strides: 2, pad: 'same' },
  { x: [4, 28, 28, 1], f: [3, 3, 1, 32], strides: 1, pad: 'valid' }, // the seed CNN's layer
  { x: [2, 13, 13, 8], f: [3, 3, 8, 6], strides: 1, pad: 'same' },
];

function outShape(c: ConvCase, depthwise = false): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad, 'floor', depthwise).outShape;
}

function label(c: ConvCase): string {
  return `x ${c.x} filter ${c.f} strides ${c.strides} pad ${JSON.stringify(c.pad)}`;
}

describe('Conv2DBackpropFilter on wasm matches cpu', () => {
  const forms = CONV_CASES.flatMap((c) => [['im2col', c], ['transposed conv', c]] as const);
  test.each(forms.map(([form, c]) => [`${form}: ${label(c)}`, form, c] as const))('%s', async (_name, form, c) => {
    const inputs = { x: randn(c.x, 1), dy: randn(outShape(c), 2) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: 'floor', filterShape: c.f };
    const saved = { ...wasmConvOptions };
    if (form === 'transposed conv') wasmConvOptions.maxPatches = 0;
    else wasmConvOptions.maxIm2colChannels = Infinity;
    try {
      const r = await compareKernel('Conv2DBackpropFilter', inputs, attrs);
      log.add(`Conv2DBackpropFilter (${form})`, r);
      expect(r.shapes[0]![1]).toEqual(c.f);
      expect(r.maxAbsDiff).toBeLessThanOrEqual(RTOL * Math.max(1, r.maxAbsRef));
    } finally {
      Object.assign(wasmConvOptions, saved);
    }
  });

  test('NCHW inputs give the same filter gradient', async () => {
    const c: ConvCase = { x: [2, 3, 7, 7], f: [3, 3, 3, 4], strides: 2, pad: 'same' };
    const nhwc = tf.backend_util.computeConv2DInfo([2, 7, 7, 3], c.f, 2, 1, 'same').outShape;
    const inputs = { x: randn(c.x, 3), dy: randn([nhwc[0]!, nhwc[3]!, nhwc[1]!, nhwc[2]!], 4) };
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: c.f };
    const r = await compareKernel('Conv2DBackpropFilter', inputs, attrs);
    log.add('Conv2DBackpropFilter (NCHW)', r);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(RTOL * Math.max(1, r.maxAbsRef));
  });
});

describe('Conv2DBackpropInput on wasm matches cpu (stride 1 composed, other strides stock)', () => {
  test.each(CONV_CASES.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    const inputs = { dy: randn(outShape(c), 5), filter: randn(c.f, 6) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: 'floor', inputShape: c.x };
    const r = await compareKernel('Conv2DBackpropInput', inputs, attrs);
    log.add('Conv2DBackpropInput', r);
    expect(r.shapes[0]![1]).toEqual(c.x);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(RTOL * Math.max(1, r.maxAbsRef));
  });
});

const DEPTHWISE_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], f: [3, 3, 3, 2], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 2], f: [3, 3, 2, 2], strides: 2, pad: 'same' },
  { x: [1, 9, 7, 4], f: [5, 3, 4, 1], strides: [2, 1], pad: 'valid' },
  { x: [3, 6, 6, 5], f: [2, 2, 5, 3], strides: 2, pad: 'valid' },
];

describe('depthwise conv backprop on wasm matches cpu', () => {
  test.each(DEPTHWISE_CASES.map((c) => [label(c), c] as const))('filter: %s', async (_name, c) => {
    const inputs = { x: randn(c.x, 7), dy: randn(outShape(c, true), 8) };
    const attrs = { strides: c.strides, dilations: 1, pad: c.pad, filterShape: c.f };
    const r = await compareKernel('DepthwiseConv2dNativeBackpropFilter', inputs, attrs);
    log.add('DepthwiseConv2dNativeBackpropFilter', r);
    expect(r.shapes[0]![1]).toEqual(c.f);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(RTOL * Math.max(1, r.maxAbsRef));
  });

  test.each(DEPTHWISE_CASES.map((c) => [label(c), c] as const))('input: %s', async (_name, c) => {
    const inputs = { dy: randn(outShape(c, true), 9), filter: randn(c.f, 10) };
    const attrs = { strides: c.strides, dilations: 1, pad: c.pad, inputShape: c.x };
    const r = await compareKernel('DepthwiseConv2dNativeBackpropInput', inputs, attrs);
    log.add('DepthwiseConv2dNativeBackpropInput', r);
    expect(r.shapes[0]![1]).toEqual(c.x);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(RTOL * Math.max(1, r.maxAbsRef));
  });
});

test('the stock wasm backend has no Conv2DBackpropFilter: the course adds it', () => {
  // Registered by setupBackends; the config is the course's own.
  expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
});
