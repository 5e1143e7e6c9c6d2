import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { LEGACY_UTIL_HELPERS, codePathSettings, describeBackend, forcedBackend, proveBackend, provideLegacyUtilHelpers, selectBackend } from '../../src/backends/backend';

test('COURSE_BACKEND is parsed and a wrong value is explained', () => {
  expect(forcedBackend({})).toBeNull();
  expect(forcedBackend({ COURSE_BACKEND: 'auto' })).toBeNull();
  expect(forcedBackend({ COURSE_BACKEND: ' WASM ' })).toBe('wasm');
  expect(() => forcedBackend({ COURSE_BACKEND: 'gpu' })).toThrow(/COURSE_BACKEND=gpu is not a backend: use one of tensorflow, wasm, cpu/);
});

test('a forced cpu backend is used and reported with its reason', async () => {
  const info = await selectBackend({ env: { COURSE_BACKEND: 'cpu' }, refresh: true });
  expect(info.name).toBe('cpu');
  expect(info.forced).toBe(true);
  expect(tf.getBackend()).toBe('cpu');
  expect(describeBackend(info)).toMatch(/^backend: cpu \(TensorFlow.js 4\.22\.0\) — forced by COURSE_BACKEND=cpu/);
  // The selected backend computes: 1+2+3+4 = 10.
  expect(tf.sum(tf.tensor1d([1, 2, 3, 4])).dataSync()[0]).toBe(10);
});

test('automatic selection reports every backend it tried before the one it chose', async () => {
  const info = await selectBackend({ env: {}, refresh: true });
  expect(['tensorflow', 'wasm', 'cpu']).toContain(info.name);
  expect(info.attempts[info.attempts.length - 1]).toMatchObject({ name: info.name, ok: true });
  expect(info.attempts.slice(0, -1).every((a) => !a.ok && a.detail.length > 0)).toBe(true);
  expect(tf.getBackend()).toBe(info.name);
});

test('codePathSettings names the settings that change the numbers, and nothing at the defaults', () => {
  expect(codePathSettings({})).toEqual([]);
  expect(codePathSettings({ ONEDNN_MAX_CPU_ISA: 'AVX2', TF_NUM_INTRAOP_THREADS: '1', COURSE_SEED_OFFSET: '3', OTHER: 'x' }))
    .toEqual(['ONEDNN_MAX_CPU_ISA=AVX2', 'TF_NUM_INTRAOP_THREADS=1', 'COURSE_SEED_OFFSET=3']);
  // The native backend's fused kernels change the float32 rounding too; its Adam does not (bitwise tfjs's step).
  expect(codePathSettings({ COURSE_NATIVE_FUSION: '0', COURSE_NATIVE_ADAM: '0', COURSE_NATIVE_FUSED_MATMUL: '1' }))
    .toEqual(['COURSE_NATIVE_FUSION=0', 'COURSE_NATIVE_FUSED_MATMUL=1']);
});

test('the util.is* helpers tfjs-node calls are provided where Node removed them, and replace the deprecated ones', () => {
  const removed: Record<string, unknown> = {};                      // Node ≥ 23
  expect(provideLegacyUtilHelpers(removed)).toEqual(['isNullOrUndefined', 'isArray']);
  const isNullOrUndefined = removed.isNullOrUndefined as (v: unknown) => boolean;
  expect([null, undefined, 0, '', false, NaN, [], {}].map(isNullOrUndefined)).toEqual([true, true, false, false, false, false, false, false]);
  expect(provideLegacyUtilHelpers(removed)).toEqual([]);            // idempotent
  // Node 22: present but deprecated (a DEP0051 warning on first use): replaced by the same meaning without the warning.
  const deprecated: Record<string, unknown> = { isNullOrUndefined: () => { throw new Error('DEP0051'); }, isArray: Array.isArray };
  expect(provideLegacyUtilHelpers(deprecated)).toEqual(['isNullOrUndefined', 'isArray']);
  expect((deprecated.isNullOrUndefined as (v: unknown) => boolean)(null)).toBe(true);
  expect((deprecated.isArray as (v: unknown) => boolean)([1])).toBe(true);
});

test('LEGACY_UTIL_HELPERS names every util.is* helper that tfjs-node calls', () => {
  let dist: string;
  try {
    dist = path.join(path.dirname(require.resolve('tfjs-node-native/package.json')), 'dist');
  } catch {
    dist = path.join(__dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-node', 'dist');
    if (!fs.existsSync(dist)) return; // tfjs-node is not installed here: nothing calls the helpers
  }
  const called = new Set<string>();
  for (const f of fs.readdirSync(dist).filter((f) => f.endsWith('.js') && !f.endsWith('_test.js'))) {
    for (const m of fs.readFileSync(path.join(dist, f), 'utf8').matchAll(/\butil(?:_\d+)?\.(is[A-Z]\w*)/g)) called.add(m[1]!);
  }
  expect(called.size).toBeGreaterThan(0);
  expect([...called].filter((name) => !(name in LEGACY_UTIL_HELPERS))).toEqual([]);
});

/** Replace one cpu kernel for the length of `body`, then put the real one back. */
async function withCpuKernel(name: string, kernelFunc: tf.KernelFunc, body: () => Promise<void>): Promise<void> {
  const real = tf.getKernel(name, 'cpu')!;
  tf.unregisterKernel(name, 'cpu');
  tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc });
  try {
    await body();
  } finally {
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel(real);
  }
}

describe('a backend is chosen only after real ops give the right numbers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  test('the cpu backend passes: matMul and both conv2d gradients match the hand-worked answers', () => {
    expect(proveBackend()).toEqual({ ok: true, detail: 'matMul and conv2d gradients give the expected numbers' });
    expect(proveBackend({ gradients: false }).ok).toBe(true);
  });

  test('a backend that loads but fails on every op (tfjs-node on Node 23+) is refused with the error', async () => {
    await withCpuKernel('BatchMatMul', () => { throw new TypeError('(0 , util_1.isNullOrUndefined) is not a function'); }, async () => {
      expect(proveBackend()).toEqual({ ok: false, detail: 'a real op failed: (0 , util_1.isNullOrUndefined) is not a function' });
      // Forced, it is an error that names the failing op; nothing is silently chosen.
      await expect(selectBackend({ env: { COURSE_BACKEND: 'cpu' }, refresh: true }))
        .rejects.toThrow(/cpu: it loaded, but a real op failed: \(0 , util_1\.isNullOrUndefined\) is not a function/);
    });
    expect((await selectBackend({ env: { COURSE_BACKEND: 'cpu' }, refresh: true })).reason)
      .toMatch(/matMul and conv2d gradients give the expected numbers/);
  });

  test('wrong numbers are refused too, naming the op, what it gave and what was expected', async () => {
    const zeros: tf.KernelFunc = ({ inputs, backend, attrs }) => {
      const shape = (attrs as { filterShape: number[] }).filterShape;
      void inputs;
      const size = shape.reduce((a, b) => a * b, 1);
      return (backend as unknown as { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo })
        .makeTensorInfo(shape, 'float32', new Float32Array(size));
    };
    await withCpuKernel('Conv2DBackpropFilter', zeros, async () => {
      expect(proveBackend()).toEqual({ ok: false, detail: 'conv2d filter gradient gave [0, 0, 0, 0], not [12, 16, 24, 28]' });
      // Inference only does not need gradients.
      expect(proveBackend({ gradients: false }).ok).toBe(true);
    });
  });
});
