import * as tf from '@tensorflow/tfjs';
import { nearestImages } from '../../src/vision/nearest-images';
import { mulberry32 } from '../../src/training/random';

/** RMS distance of two flat images, by the definition. */
const rms = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let p = 0; p < a.length; p++) s += (a[p]! - b[p]!) ** 2;
  return Math.sqrt(s / a.length);
};

test('by hand: an identical copy is at distance 0, a uniformly brighter image at the brightness step', () => {
  const refs = tf.tensor4d([0, 0, 0, 0, 1, 1, 1, 1, 0.2, 0.4, 0.6, 0.8], [3, 2, 2, 1]);
  const queries = tf.tensor4d([0.2, 0.4, 0.6, 0.8, 0.9, 0.9, 0.9, 0.9], [2, 2, 2, 1]);
  const r = nearestImages(queries, refs);
  expect(r.index).toEqual([2, 1]);
  expect(r.distance[0]).toBeCloseTo(0, 3);
  expect(r.distance[1]).toBeCloseTo(0.1, 5);
  tf.dispose([refs, queries]);
});

test('agrees with a brute-force search over all pairs (random 5×6×2 images)', () => {
  const rand = mulberry32(3);
  const size = 5 * 6 * 2;
  const q = Float32Array.from({ length: 7 * size }, () => rand());
  const r = Float32Array.from({ length: 11 * size }, () => rand());
  const queries = tf.tensor4d(q, [7, 5, 6, 2]);
  const refs = tf.tensor4d(r, [11, 5, 6, 2]);
  const got = nearestImages(queries, refs);
  for (let i = 0; i < 7; i++) {
    const d = Array.from({ length: 11 }, (_, j) => rms(q.subarray(i * size, (i + 1) * size), r.subarray(j * size, (j + 1) * size)));
    const best = d.indexOf(Math.min(...d));
    expect(got.index[i]).toBe(best);
    expect(got.distance[i]).toBeCloseTo(d[best]!, 5);
  }
  expect(queries.isDisposed || refs.isDisposed).toBe(false);
  tf.dispose([queries, refs]);
});

test('images of different sizes, or no references, are errors that say so', () => {
  const a = tf.zeros([2, 4, 4, 1]) as tf.Tensor4D;
  const b = tf.zeros([3, 5, 4, 1]) as tf.Tensor4D;
  expect(() => nearestImages(a, b)).toThrow('nearestImages: query images are [4, 4, 1] but reference images [5, 4, 1]; they must match');
  expect(() => nearestImages(a, tf.zeros([0, 4, 4, 1]) as tf.Tensor4D)).toThrow(/no reference images/);
  tf.dispose([a, b]);
});
