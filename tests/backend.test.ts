import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { LEGACY_UTIL_HELPERS, codePathSettings, describeBackend, forcedBackend, provideLegacyUtilHelpers, selectBackend } from '../src/backend';

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

test('the util.is* helpers tfjs-node calls are provided where Node removed them, with their old meaning', () => {
  const fake: Record<string, unknown> = { isArray: Array.isArray };
  expect(provideLegacyUtilHelpers(fake)).toEqual(['isNullOrUndefined']);
  const isNullOrUndefined = fake.isNullOrUndefined as (v: unknown) => boolean;
  expect([null, undefined, 0, '', false, NaN, [], {}].map(isNullOrUndefined)).toEqual([true, true, false, false, false, false, false, false]);
  expect(provideLegacyUtilHelpers(fake)).toEqual([]);                 // idempotent
  expect(provideLegacyUtilHelpers({})).toEqual(['isNullOrUndefined', 'isArray']);
});

test('LEGACY_UTIL_HELPERS names every util.is* helper that tfjs-node calls', () => {
  let dist: string;
  try {
    dist = path.join(path.dirname(require.resolve('tfjs-node-native/package.json')), 'dist');
  } catch {
    dist = path.join(__dirname, '..', 'node_modules', '@tensorflow', 'tfjs-node', 'dist');
    if (!fs.existsSync(dist)) return; // tfjs-node is not installed here: nothing calls the helpers
  }
  const called = new Set<string>();
  for (const f of fs.readdirSync(dist).filter((f) => f.endsWith('.js') && !f.endsWith('_test.js'))) {
    for (const m of fs.readFileSync(path.join(dist, f), 'utf8').matchAll(/\butil(?:_\d+)?\.(is[A-Z]\w*)/g)) called.add(m[1]!);
  }
  expect(called.size).toBeGreaterThan(0);
  expect([...called].filter((name) => !(name in LEGACY_UTIL_HELPERS))).toEqual([]);
});
