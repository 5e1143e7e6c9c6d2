import * as tf from '@tensorflow/tfjs';
import { courseProfile, environmentReport, measureMatMul } from '../../src/backends/environment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('courseProfile reads COURSE_PROFILE and rejects unknown values', () => {
  expect(courseProfile({})).toBe('full');
  expect(courseProfile({ COURSE_PROFILE: 'Quick' })).toBe('quick');
  expect(() => courseProfile({ COURSE_PROFILE: 'fast' })).toThrow(/use 'quick'/);
});

test('environmentReport describes this process', () => {
  const r = environmentReport();
  expect(r.node).toBe(process.version);
  expect(r.cpus).toBeGreaterThan(0);
  expect(r.memoryGiB).toBeGreaterThan(0);
  expect(r.tfjs).toBe('4.22.0');
  expect(r.backend).toBe('cpu');
});

test('measureMatMul times real products and leaks no tensor', () => {
  const before = tf.memory().numTensors;
  const t = measureMatMul([16, 64], 2);
  expect(tf.memory().numTensors).toBe(before);
  expect(t.map((x) => x.size)).toEqual([16, 64]);
  for (const x of t) {
    expect(x.seconds).toBeGreaterThan(0);
    expect(x.gflops).toBeCloseTo((2 * x.size ** 3) / x.seconds / 1e9, 6);
  }
  expect(() => measureMatMul([0])).toThrow(/positive integer/);
});
