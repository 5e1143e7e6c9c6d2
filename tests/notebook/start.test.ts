import * as tf from '@tensorflow/tfjs';
import { check, startNotebook } from '../../src/notebook/start';

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

test('startNotebook selects the backend, prints it and the profile, and returns check and a clock', async () => {
  const lines: string[] = [];
  const start = await startNotebook({ quick: 'small subsets, 1 epoch', log: (l) => lines.push(l), env: { COURSE_PROFILE: 'quick', COURSE_BACKEND: 'cpu' } });
  expect(start.backend.name).toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  expect(start.profile).toBe('quick');
  expect(start.quick).toBe(true);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/cpu/);
  expect(lines[1]).toBe('profile: quick (small subsets, 1 epoch)');
  expect(start.minutes()).toBeGreaterThanOrEqual(0);
  expect(start.minutes()).toBeLessThan(5);
  expect(() => start.check(false, 'two is three')).toThrow('check failed: two is three');
  expect(() => start.check(true, 'two is two')).not.toThrow();
});

test('the profile line says full, or is left out when the notebook does not describe its quick profile', async () => {
  const full: string[] = [];
  const s = await startNotebook({ quick: 'anything', log: (l) => full.push(l), env: { COURSE_BACKEND: 'cpu' } });
  expect(s.quick).toBe(false);
  expect(full[1]).toBe('profile: full');
  const none: string[] = [];
  await startNotebook({ log: (l) => none.push(l), env: { COURSE_BACKEND: 'cpu' } });
  expect(none).toHaveLength(1);
  await expect(startNotebook({ log: () => undefined, env: { COURSE_PROFILE: 'fast' } })).rejects.toThrow(/COURSE_PROFILE=fast: use 'quick'/);
});

test('check throws "check failed: <claim>" only when the condition is false', () => {
  expect(() => check(1 > 2, 'one exceeds two')).toThrow(/^check failed: one exceeds two$/);
  expect(check(2 > 1, 'two exceeds one')).toBeUndefined();
});
