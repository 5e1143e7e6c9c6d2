import * as tf from '@tensorflow/tfjs';
import { codePathSettings, describeBackend, forcedBackend, selectBackend } from '../src/backend';

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
});
