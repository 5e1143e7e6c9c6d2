import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { nativeAvailable } from '../support/native';
import { selectBackend } from '../../src/backends/backend';
import { nativeFusedOps, registerNativeFusedKernels } from '../../src/backends/native-fused';
import { registerNativeTrainingKernels } from '../../src/backends/native-kernels';

/** Did `npm run native` compile the binding with the list-attribute patch (its stamp)? */
function bindingPatched(): boolean {
  try {
    const stamp = path.join(path.dirname(require.resolve('tfjs-node-native/package.json')), 'lib', 'napi-v8', 'course-patches.json');
    return (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { patches: string[] }).patches.includes('tfjs-node-4.22-list-attrs.patch');
  } catch {
    return false;
  }
}
const fusionExpected = () => bindingPatched() && process.env.COURSE_NATIVE_FUSION !== '0';
const fusedNames = () => ['FusedConv2D', '_FusedMatMul'];

/** Values of every tensor `f` returns on a backend (flattened, in order), and the kernels it ran. */
async function on(backend: string, f: () => tf.Tensor[]): Promise<{ values: number[][]; kernels: string[] }> {
  await tf.setBackend(backend);
  if (backend === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  let out: tf.Tensor[] = [];
  const profile = await tf.profile(() => { out = f(); return out; });
  const values = await Promise.all(out.map(async (t) => Array.from(await t.data())));
  tf.dispose(out);
  return { values, kernels: profile.kernelNames };
}

/** Every value within float32 tolerance of the cpu backend's. */
function expectClose(native: number[][], cpu: number[][]): void {
  expect(native.length).toBe(cpu.length);
  native.forEach((t, i) => {
    expect(t.length).toBe(cpu[i]!.length);
    const worst = Math.max(0, ...t.map((v, j) => Math.abs(v - cpu[i]![j]!) / Math.max(1, Math.abs(cpu[i]![j]!))));
    expect(worst).toBeLessThan(1e-4);
  });
}

test('without the tensorflow backend loaded, registering explains what to do', () => {
  expect(() => registerNativeFusedKernels()).toThrow(/the 'tensorflow' backend is not loaded/);
});

(nativeAvailable() ? describe : describe.skip)('fused native kernels (conv/matmul + bias + activation)', () => {
  beforeAll(async () => {
    const info = await selectBackend({ env: { ...process.env, COURSE_BACKEND: 'tensorflow' }, refresh: true });
    expect(info.name).toBe('tensorflow');
  });

  test('with the patched binding they are registered (oneDNN ops on x86 Linux); COURSE_NATIVE_FUSION=0 or no patch: none', () => {
    const names = registerNativeTrainingKernels();
    if (fusionExpected()) {
      expect(names).toEqual(expect.arrayContaining(['FusedConv2D', '_FusedMatMul']));
      expect(registerNativeFusedKernels()).toEqual(fusedNames());
      // The fused matmul is opt-in (COURSE_NATIVE_FUSED_MATMUL=1): without it dense layers run BatchMatMulV2 + BiasAdd (+ Relu).
      const matMul = process.env.COURSE_NATIVE_FUSED_MATMUL === '1' ? { matMul: '_MklNativeFusedMatMul', matMulTransposedA: '_FusedMatMul' } : { matMul: null, matMulTransposedA: null };
      if (process.platform === 'linux' && process.arch === 'x64') expect(nativeFusedOps()).toEqual({ conv: '_MklNativeFusedConv2D', ...matMul });
    } else {
      expect(names).not.toContain('FusedConv2D');
      expect(nativeFusedOps()).toBeNull();
    }
    expect(registerNativeFusedKernels({ COURSE_NATIVE_FUSION: '0' })).toEqual(fusionExpected() ? fusedNames() : []);
  });

  test.each([
    [2, 7, 3, 3, 4, 'valid', 1, 'relu'], [2, 8, 3, 3, 5, 'same', 2, 'relu'], [1, 6, 2, 2, 3, 'valid', 2, 'linear'], [3, 9, 1, 3, 8, 'same', 1, 'relu'],
  ] as const)('fused conv2d (batch %p, %p², %p in, %p² filter, %p out, %s, stride %p, %s): values and the gradients of x, filter, bias equal the cpu backend', async (b, size, cin, k, cout, pad, stride, activation) => {
    const x = tf.randomNormal([b, size, size, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([k, k, cin, cout], 0, 1, 'float32', 2) as tf.Tensor4D;
    const bias = tf.randomNormal([cout], 0, 0.5, 'float32', 3) as tf.Tensor1D;
    const y0 = tf.fused.conv2d({ x, filter: w, strides: stride, pad, bias, activation });
    const dy = tf.randomNormal(y0.shape, 0, 1, 'float32', 4);
    const f = () => {
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: a as tf.Tensor4D, filter: c as tf.Tensor4D, strides: stride, pad, bias: d, activation }), dy)))([x, w, bias]);
      return [tf.fused.conv2d({ x, filter: w, strides: stride, pad, bias, activation }), value, ...grads];
    };
    const native = await on('tensorflow', f);
    const cpu = await on('cpu', f);
    expectClose(native.values, cpu.values);
    if (fusionExpected()) expect(native.kernels).toContain('CourseFusedConv2D');
    else expect(native.kernels).not.toContain('CourseFusedConv2D');
    tf.dispose([x, w, bias, y0, dy]);
    await tf.setBackend('tensorflow');
  });

  test.each([
    [false, false, true, 'relu'], [false, true, true, 'linear'], [true, false, true, 'relu'], [true, true, true, 'linear'], [false, false, false, 'linear'], [true, true, false, 'linear'],
  ] as const)('fused matMul (transposeA %p, transposeB %p, bias %p, %s): values and gradients equal the cpu backend', async (ta, tb, withBias, activation) => {
    const a = tf.randomNormal(ta ? [6, 5] : [5, 6], 0, 1, 'float32', 5) as tf.Tensor2D;
    const m = tf.randomNormal(tb ? [4, 6] : [6, 4], 0, 1, 'float32', 6) as tf.Tensor2D;
    const bias = withBias ? tf.randomNormal([4], 0, 0.5, 'float32', 7) : undefined;
    const dy = tf.randomNormal([5, 4], 0, 1, 'float32', 8);
    const y = (p: tf.Tensor, q: tf.Tensor, r?: tf.Tensor) => tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, transposeA: ta, transposeB: tb, bias: r, activation });
    const f = () => {
      const loss = (p: tf.Tensor, q: tf.Tensor, r?: tf.Tensor) => tf.sum(tf.mul(y(p, q, r), dy));
      const grads = withBias ? tf.grads(loss)([a, m, bias!]) : tf.grads((p: tf.Tensor, q: tf.Tensor) => loss(p, q))([a, m]);
      return [y(a, m, bias), ...grads];
    };
    const native = await on('tensorflow', f);
    const cpu = await on('cpu', f);
    expectClose(native.values, cpu.values);
    if (fusionExpected()) expect(native.kernels).toContain('CourseFusedMatMul');
    tf.dispose([a, m, dy, ...(bias ? [bias] : [])]);
    await tf.setBackend('tensorflow');
  });

  test.each(['relu6', 'elu', 'leakyrelu'] as const)('inference with %s goes through the replaced FusedConv2D/_FusedMatMul kernels and equals the cpu backend', async (activation) => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 2, 'float32', 9) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 10) as tf.Tensor4D;
    const bias = tf.randomNormal([4], 0, 1, 'float32', 11);
    const a = tf.randomNormal([3, 5], 0, 2, 'float32', 12) as tf.Tensor2D;
    const m = tf.randomNormal([5, 4], 0, 1, 'float32', 13) as tf.Tensor2D;
    const f = () => [
      tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias, activation, leakyreluAlpha: 0.3 }),
      tf.fused.matMul({ a, b: m, bias, activation, leakyreluAlpha: 0.3 }),
    ];
    const native = await on('tensorflow', f);
    const cpu = await on('cpu', f);
    expectClose(native.values, cpu.values);
    expect(native.kernels).toEqual(expect.arrayContaining(['FusedConv2D', '_FusedMatMul']));
    tf.dispose([x, w, bias, a, m]);
    await tf.setBackend('tensorflow');
  });

  test('a conv → pool → dense → dense model trains with Adam to the same weights as on cpu, leaking no tensors', async () => {
    const run = async (backend: string): Promise<{ weights: number[][]; kernels: string[] }> => {
      await tf.setBackend(backend);
      if (backend === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
      const model = tf.sequential({ layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.conv2d({ filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ] });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(Array.from({ length: 4 * 64 }, (_, i) => Math.sin(i * 0.37)), [4, 8, 8, 1]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3).toFloat();
      await model.trainOnBatch(x, y);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(async () => { for (let i = 0; i < 4; i++) await model.trainOnBatch(x, y); });
      expect(tf.memory().numTensors).toBe(before);
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return { weights, kernels: profile.kernelNames };
    };
    const native = await run('tensorflow');
    const cpu = await run('cpu');
    expectClose(native.weights, cpu.weights);
    if (fusionExpected()) {
      expect(native.kernels).toEqual(expect.arrayContaining(['CourseFusedConv2D', 'CourseFusedMatMul']));
      expect(native.kernels).not.toContain('Step'); // ReLU gradients are ReluGrad inside the fused gradients
    }
    await tf.setBackend('tensorflow');
  });
});
