import * as tf from '@tensorflow/tfjs';
import { wasmFusedConvInstalled } from '../../src/backends/wasm-fused';
import { randn, setupBackends } from '../support/wasm-kernel-check';

beforeAll(setupBackends);

/** The kernels `f` runs on a backend, and its tensors' values (flattened). */
async function on(backend: string, f: () => tf.Tensor[]): Promise<{ values: Float32Array[]; kernels: string[] }> {
  await tf.setBackend(backend);
  let out: tf.Tensor[] = [];
  const before = tf.memory().numTensors;
  const profile = await tf.profile(() => {
    out = f();
    return out;
  });
  const values = out.map((t) => t.dataSync().slice() as Float32Array);
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before); // nothing leaked
  return { values, kernels: profile.kernels.map((k) => k.name) };
}

// COURSE_WASM_FUSION=0 switches the route off: the same values through tfjs's unfused ops.
const fusionOn = process.env.COURSE_WASM_FUSION !== '0';
/** The kernel list has the course's fused kernel exactly when the route is on. */
const expectRoute = (kernels: string[]) => (fusionOn ? expect(kernels).toContain('CourseWasmFusedConv2D') : expect(kernels).not.toContain('CourseWasmFusedConv2D'));

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test('the fused route is installed with the wasm training kernels (not with COURSE_WASM_FUSION=0)', () => {
  expect(wasmFusedConvInstalled()).toBe(fusionOn);
});

test.each([
  ['relu', 'valid', 1, [2, 9, 9, 3], 3], ['relu', 'same', 2, [2, 8, 7, 2], 3], ['linear', 'same', 1, [1, 6, 6, 4], 2],
  ['relu', 'valid', 2, [3, 10, 10, 1], 5],
] as const)('fused conv2d (%s, %s, stride %p, input %p, filter %p²): value and gradients of x, filter and bias equal the cpu backend', async (activation, pad, stride, shape, k) => {
  const cin = shape[3];
  const x = randn([...shape], 1);
  const w = randn([k, k, cin, 4], 2);
  const b = randn([4], 3);
  const run = () => tf.tidy(() => {
    const [xt, wt, bt] = [tf.tensor4d(x.values, [...shape]), tf.tensor4d(w.values, [k, k, cin, 4]), tf.tensor1d(b.values)];
    const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
      tf.fused.conv2d({ x: xi as tf.Tensor4D, filter: wi as tf.Tensor4D, bias: bi, strides: stride, pad, activation });
    const y = f(xt, wt, bt);
    const dy = tf.sin(tf.range(0, y.size).reshape(y.shape)); // a fixed upstream gradient
    const grads = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(f(xi, wi, bi), dy)))([xt, wt, bt]);
    return [y, ...grads];
  });
  const wasm = await on('wasm', run);
  const cpu = await on('cpu', run);
  expectRoute(wasm.kernels);
  if (fusionOn) expect(wasm.kernels).not.toContain('Relu'); // the ReLU and the bias run inside the convolution
  wasm.values.forEach((v, i) => {
    const scale = Math.max(1, ...Array.from(cpu.values[i]!, Math.abs));
    expect(maxAbsDiff(v, cpu.values[i]!)).toBeLessThan(1e-5 * scale);
  });
  if (activation === 'relu') expect(Array.from(wasm.values[0]!).some((v) => v === 0)).toBe(true); // the ReLU clipped something
  await tf.setBackend('cpu');
});

test('a conv2d layer with ReLU trains on wasm through the fused kernel, leaking no tensors', async () => {
  await tf.setBackend('wasm');
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
    tf.layers.flatten(), tf.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(randn([4, 8, 8, 1], 9).values, [4, 8, 8, 1]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2).toFloat();
  await model.trainOnBatch(x, y); // the optimizer's variables exist from here on
  const before = tf.memory().numTensors;
  const profile = await tf.profile(async () => { await model.trainOnBatch(x, y); });
  expectRoute(profile.kernels.map((k) => k.name));
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, y]);
  model.dispose();
  await tf.setBackend('cpu');
});
