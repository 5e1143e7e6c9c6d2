import * as tf from '@tensorflow/tfjs';
import { nativeAvailable } from '../support/native';
import { selectBackend } from '../../src/backends/backend';
import { nativeDirectOpCount } from '../../src/backends/native-binding';
import { keptPoolWorkspaces, registerNativeTrainingKernels } from '../../src/backends/native-kernels';

/** Values on a backend, as a plain array (NaN kept). */
async function on(backend: string, f: () => tf.Tensor): Promise<number[]> {
  await tf.setBackend(backend);
  if (backend === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false; // no "install tfjs-node" banner
  const t = f();
  const out = Array.from(await t.data());
  t.dispose();
  return out;
}

const special = [NaN, -Infinity, -3.5, -1e-30, -0, 0, 1e-30, 2, Infinity];

// Runs first, before any test below loads tfjs-node into this process.
test('without the tensorflow backend loaded, registering explains what to do', () => {
  expect(tf.getKernel('Step', 'tensorflow')).toBeUndefined();
  expect(() => registerNativeTrainingKernels()).toThrow(/the 'tensorflow' backend is not loaded/);
});

(nativeAvailable() ? describe : describe.skip)('native kernels on the tensorflow backend', () => {
  beforeAll(async () => {
    const info = await selectBackend({ env: { ...process.env, COURSE_BACKEND: 'tensorflow' }, refresh: true });
    expect(info.name).toBe('tensorflow');
    expect(info.reason).toMatch(/course's kernels: Step/);
  });

  test('registering is idempotent and names what it replaced', () => {
    const first = registerNativeTrainingKernels();
    expect(first[0]).toBe('Step');
    expect(registerNativeTrainingKernels()).toEqual(first);
  });

  test('on x86 Linux (the tensorflow-cpu wheel has oneDNN) MaxPoolGrad is replaced as well', () => {
    if (process.platform === 'linux' && process.arch === 'x64') expect(registerNativeTrainingKernels()).toContain('MaxPoolGrad');
  });

  // Single-channel input gradients are wrong with the stock kernel in some cases: stride 1 on an AMD EPYC Zen 5's AVX-512
  // path, strides ≥ 2 under ONEDNN_MAX_CPU_ISA=AVX2. The stride-1 and stride-2 rows below fail there without the course's
  // Conv2DBackpropInput; with it every row passes (it only changes the [k, k, 1, 1] case).
  test.each([
    [1, 3, 1, 2, 1, 'valid', 1], [2, 5, 1, 3, 1, 'same', 1], [1, 7, 1, 2, 1, 'same', 2], [2, 6, 1, 3, 1, 'valid', 2],
    [2, 6, 1, 3, 4, 'same', 1], [2, 6, 3, 3, 1, 'same', 1], [2, 6, 2, 3, 2, 'valid', 1],
  ] as const)('conv2d gradients (batch %p, image %p², %p in, filter %p², %p out, %s, stride %p) equal the cpu backend', async (b, size, cin, k, cout, pad, stride) => {
    const x = tf.randomNormal([b, size, size, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([k, k, cin, cout], 0, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomNormal(tf.conv2d(x, w, stride, pad).shape, 0, 1, 'float32', 3);
    const grads = (which: 0 | 1) => () => tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, stride, pad), dy)))([x, w])[which]!;
    for (const which of [0, 1] as const) {
      const native = await on('tensorflow', grads(which));
      const cpu = await on('cpu', grads(which));
      native.forEach((v, i) => expect(Math.abs(v - cpu[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[i]!))));
    }
    await tf.setBackend('tensorflow');
  });

  test.each([0, 0.2, -1.5])('step(x, α = %p) equals the cpu backend, NaN/±0/±∞ included', async (alpha) => {
    const values = [...special, ...Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 5)];
    const native = await on('tensorflow', () => tf.step(tf.tensor1d(values), alpha));
    const cpu = await on('cpu', () => tf.step(tf.tensor1d(values), alpha));
    expect(native.length).toBe(cpu.length);
    native.forEach((v, i) => {
      if (Number.isNaN(cpu[i]!)) expect(v).toBeNaN();
      else expect(v).toBe(cpu[i]! === 0 ? 0 : cpu[i]); // -0 and 0 are the same gradient factor
    });
    await tf.setBackend('tensorflow');
  });

  test.each([0, -1.5, 2])('int32 input keeps its dtype and matches the cpu backend (α = %p)', async (alpha) => {
    const values = [-2, 0, 3, -7, 1];
    await tf.setBackend('tensorflow');
    const s = tf.step(tf.tensor1d(values, 'int32'), alpha);
    expect(s.dtype).toBe('int32');
    s.dispose();
    const native = await on('tensorflow', () => tf.step(tf.tensor1d(values, 'int32'), alpha));
    expect(native).toEqual(await on('cpu', () => tf.step(tf.tensor1d(values, 'int32'), alpha)));
    await tf.setBackend('tensorflow');
  });

  test.each([
    [[2, 6, 6, 3], 2, 2, 'valid'], [[2, 7, 5, 3], 2, 2, 'valid'], [[1, 7, 7, 2], 3, 2, 'same'],
    [[2, 5, 6, 4], 3, 1, 'same'], [[1, 8, 8, 1], 3, 3, 'valid'], [[3, 26, 26, 8], 2, 2, 'valid'],
  ] as const)('max-pool gradient of %p, window %p, stride %p, %p equals the cpu backend (ties included)', async (shape, size, stride, pad) => {
    // Values rounded to halves after ReLU: many windows hold ties, and whole windows of zeros.
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => Math.max(0, Math.round(Math.sin(i * 7.31) * 3) / 2));
    const grad = (): tf.Tensor => tf.tidy(() => {
      const x = tf.tensor4d(values, [...shape]);
      const pooledShape = tf.backend_util.computePool2DInfo([...shape], size, stride, 1, pad).outShape;
      const weights = tf.randomUniform(pooledShape, 0, 1, 'float32', 3); // a seeded upstream gradient
      return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, size, stride, pad), weights)))(x);
    });
    const native = await on('tensorflow', grad);
    const cpu = await on('cpu', grad);
    expect(native.reduce((a, b) => a + Math.abs(b), 0)).toBeGreaterThan(0);
    expect(Math.max(...native.map((v, i) => Math.abs(v - cpu[i]!)))).toBeLessThan(1e-5);
    await tf.setBackend('tensorflow');
  });

  test('while gradients are recorded, MaxPool keeps oneDNN\'s workspace: one forward pool per gradient, freed with its output', async () => {
    if (!registerNativeTrainingKernels().includes('MaxPool')) return; // a libtensorflow without oneDNN keeps the stock kernels
    await tf.setBackend('tensorflow');
    const backend = tf.backend() as unknown as Record<string, (...args: unknown[]) => unknown>;
    const originals = { single: backend.executeSingleOutput!, multiple: backend.executeMultipleOutputs! };
    const pools: string[] = []; // the native pooling ops run
    const count = (f: (...args: unknown[]) => unknown) => (name: unknown, ...rest: unknown[]) => {
      if (String(name).includes('MaxPool')) pools.push(String(name));
      return f.call(backend, name, ...rest);
    };
    backend.executeSingleOutput = count(originals.single);
    backend.executeMultipleOutputs = count(originals.multiple);
    const x = tf.tensor4d(Array.from({ length: 2 * 8 * 8 * 3 }, (_, i) => Math.round(Math.sin(i * 3.7) * 4) / 2), [2, 8, 8, 3]);
    const before = tf.memory().numTensors;
    try {
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid'))))(x);
      expect(pools).toEqual(['_MklNativeMaxPool', '_MklNativeMaxPoolGrad']); // no second forward pool inside the gradient
      const values = x.dataSync();
      const expected = await on('cpu', () => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid'))))(tf.tensor4d(values, x.shape))));
      await tf.setBackend('tensorflow');
      expect(Array.from(g.dataSync())).toEqual(expected);
      g.dispose();
      // Outside a gradient the stock kernel pools and nothing is kept.
      tf.maxPool(x, 2, 2, 'valid').dispose();
      expect(pools).toEqual(['_MklNativeMaxPool', '_MklNativeMaxPoolGrad', 'MaxPool']);
      expect(keptPoolWorkspaces()).toBe(0);
      expect(tf.memory().numTensors).toBe(before);
      // A recorded forward pass whose gradient is never taken frees its workspace with its output too.
      const y = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, 'same')))(x));
      y.dispose();
      expect(keptPoolWorkspaces()).toBe(0);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      backend.executeSingleOutput = originals.single;
      backend.executeMultipleOutputs = originals.multiple;
      x.dispose();
    }
  });

  test('Reshape (kept shape operands): the same values and shapes as the stock kernel for float32, int32, bool and −1, and no tensor left', async () => {
    expect(registerNativeTrainingKernels()).toContain('Reshape');
    const cases: [tf.Tensor, number[]][] = [
      [tf.tensor3d([1, NaN, -0, 4, 5, 6], [1, 2, 3]), [3, 2]], [tf.tensor1d([1, 2, 3, 4], 'int32'), [2, -1]],
      [tf.tensor2d([[true, false], [false, true]], [2, 2], 'bool'), [4]], [tf.scalar(7), [1, 1]], [tf.tensor1d([1, 2, 3, 4], 'int32'), [2, 2]],
    ];
    const before = tf.memory().numTensors;
    const reshapesBefore = nativeDirectOpCount();
    for (const [x, shape] of cases) {
      for (let i = 0; i < 3; i++) { // the second and third calls reuse the shape operand
        const y = tf.reshape(x, shape);
        expect(y.dtype).toBe(x.dtype);
        expect(y.shape).toEqual(shape.includes(-1) ? [2, 2] : shape);
        expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
        y.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(nativeDirectOpCount() - reshapesBefore).toBe(cases.length * 3); // every call went through the course's kernel
    expect(() => tf.reshape(cases[0]![0], [4])).toThrow(/6 values, but the requested shape has 4/); // TensorFlow's own error, as with the stock kernel
    tf.dispose(cases.map(([x]) => x));
  });

  test('a ReLU layer trains to the same weights as on cpu, without leaking tensors', async () => {
    const run = async (backend: string): Promise<Float32Array> => {
      await tf.setBackend(backend);
      if (backend === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
      const x = tf.tensor4d(Array.from({ length: 2 * 6 * 6 }, (_, i) => Math.cos(i * 0.7)), [2, 6, 6, 1]);
      const y = tf.tensor2d([[1, 0], [0, 1]]);
      const w = tf.variable(tf.tensor4d(Array.from({ length: 9 * 3 }, (_, i) => Math.sin(i + 1) * 0.5), [3, 3, 1, 3]));
      const v = tf.variable(tf.tensor2d(Array.from({ length: 4 * 4 * 3 * 2 }, (_, i) => Math.cos(i * 1.3) * 0.3), [48, 2]));
      const opt = tf.train.sgd(0.1);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) {
        opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.reshape(tf.relu(tf.conv2d(x, w, 1, 'valid')), [2, 48]), v)) as tf.Scalar);
      }
      expect(tf.memory().numTensors).toBe(before);
      const out = w.dataSync() as Float32Array;
      tf.dispose([x, y, w, v]);
      opt.dispose();
      return out;
    };
    const native = await run('tensorflow');
    const cpu = await run('cpu');
    const diff = Math.max(...Array.from(native, (a, i) => Math.abs(a - cpu[i]!)));
    expect(diff).toBeLessThan(1e-5);
    await tf.setBackend('tensorflow');
  });
});
