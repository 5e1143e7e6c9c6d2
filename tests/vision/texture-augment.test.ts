import * as tf from '@tensorflow/tfjs';
import { dihedralTransform, flipHorizontal, flipVertical, randomSymmetries, rotate90, textureAugment } from '../../src/vision/texture-augment';
import { seed } from '../../src/training/random';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});
afterEach(() => seed(null));

/** One 2×3 image [[1, 2, 3], [4, 5, 6]] and a second one with the values × 10, as [2, 2, 3, 1]. */
function twoImages(): tf.Tensor4D {
  return tf.tensor4d([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60], [2, 2, 3, 1]);
}
function rows(t: tf.Tensor, i = 0): number[][] {
  return (t.arraySync() as number[][][][])[i]!.map((r) => r.map((p) => p[0]!));
}

test('flips and quarter turns of a 2×3 image, by hand', () => {
  const x = twoImages();
  expect(rows(flipHorizontal(x))).toEqual([[3, 2, 1], [6, 5, 4]]);
  expect(rows(flipVertical(x))).toEqual([[4, 5, 6], [1, 2, 3]]);
  // numpy.rot90([[1, 2, 3], [4, 5, 6]]) = [[3, 6], [2, 5], [1, 4]] (counter-clockwise)
  const r1 = rotate90(x, 1);
  expect(r1.shape).toEqual([2, 3, 2, 1]);
  expect(rows(r1)).toEqual([[3, 6], [2, 5], [1, 4]]);
  expect(rows(r1, 1)).toEqual([[30, 60], [20, 50], [10, 40]]);
  expect(rows(rotate90(x, -1))).toEqual([[4, 1], [5, 2], [6, 3]]);
  expect(rows(rotate90(x, 3))).toEqual([[4, 1], [5, 2], [6, 3]]);
  expect(rows(rotate90(x, 2))).toEqual([[6, 5, 4], [3, 2, 1]]);
  expect(() => rotate90(x, 0.5)).toThrow(/whole number/);
  expect(() => flipHorizontal(tf.zeros([2, 2]))).toThrow(/\[b, h, w, c\]/);
});

test('a flip of a flip and four quarter turns are the identity; shapes are preserved', () => {
  const x = tf.randomUniform([3, 5, 5, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
  const same = (a: tf.Tensor): void => {
    expect(a.shape).toEqual(x.shape);
    expect(tf.max(tf.abs(tf.sub(a, x))).dataSync()[0]).toBe(0);
  };
  same(flipHorizontal(flipHorizontal(x)));
  same(flipVertical(flipVertical(x)));
  let r: tf.Tensor4D = x;
  for (let i = 0; i < 4; i++) {
    r = rotate90(r, 1);
    expect(r.shape).toEqual([3, 5, 5, 2]);
  }
  same(r);
  same(rotate90(x, 4));
  same(rotate90(rotate90(x, 3), 1));
  same(dihedralTransform(x, 0));
  // The eight symmetries are all different on a generic image, and t = 6 is the vertical flip.
  const flat = Array.from({ length: 8 }, (_, t) => Array.from(dihedralTransform(x, t).dataSync()).join(','));
  expect(new Set(flat).size).toBe(8);
  expect(flat[6]).toBe(Array.from(flipVertical(x).dataSync()).join(','));
  expect(() => dihedralTransform(x, 8)).toThrow(/0\.\.7/);
});

test('textureAugment: same shape, values in [0, 1], seeded, each image a symmetry of itself', () => {
  const x = tf.randomUniform([16, 6, 6, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  seed(5);
  const a = textureAugment(x, { brightness: 0.2, contrast: 0.2 });
  seed(5);
  const b = textureAugment(x, { brightness: 0.2, contrast: 0.2 });
  seed(6);
  const c = textureAugment(x, { brightness: 0.2, contrast: 0.2 });
  expect(a.shape).toEqual([16, 6, 6, 1]);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
  expect(tf.min(a).dataSync()[0]).toBeGreaterThanOrEqual(0);
  expect(tf.max(a).dataSync()[0]).toBeLessThanOrEqual(1);

  // Geometry only: every output image is exactly the drawn symmetry of the same input image.
  seed(9);
  const geo = textureAugment(x, { brightness: 0, contrast: 0 });
  seed(9);
  const drawn = randomSymmetries(16);
  expect(new Set(drawn).size).toBeGreaterThan(3);
  for (let i = 0; i < 16; i++) {
    const expected = dihedralTransform(tf.slice(x, i, 1), drawn[i]!);
    expect(Array.from(tf.slice(geo, i, 1).dataSync())).toEqual(Array.from(expected.dataSync()));
  }
  // No flips, no rotations, no photometric change: the identity.
  const none = textureAugment(x, { flips: false, rotations: false, brightness: 0, contrast: 0 });
  expect(Array.from(none.dataSync())).toEqual(Array.from(x.dataSync()));
});

test('brightness shifts and contrast scales around each image mean', () => {
  // A constant 0.5 image: contrast does nothing, brightness moves it by at most ±0.1.
  const flat = tf.fill([32, 4, 4, 1], 0.5) as tf.Tensor4D;
  seed(1);
  const shifted = textureAugment(flat, { flips: false, rotations: false, brightness: 0.1, contrast: 0.5 });
  const means = Array.from(tf.mean(shifted, [1, 2, 3]).dataSync());
  for (const m of means) expect(Math.abs(m - 0.5)).toBeLessThanOrEqual(0.1 + 1e-6);
  expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(0.05);
  // Contrast only: the image mean stays, the spread changes by a factor in [0.7, 1.3].
  const img = tf.tensor4d([0.4, 0.6, 0.4, 0.6], [1, 2, 2, 1]);
  seed(2);
  const scaled = Array.from(textureAugment(img, { flips: false, rotations: false, brightness: 0, contrast: 0.3 }).dataSync());
  expect((scaled[0]! + scaled[1]!) / 2).toBeCloseTo(0.5, 6);
  const factor = (scaled[1]! - scaled[0]!) / 0.2;
  expect(factor).toBeGreaterThanOrEqual(0.7);
  expect(factor).toBeLessThanOrEqual(1.3);
  expect(() => textureAugment(tf.zeros([1, 2, 3, 1]))).toThrow(/square/);
  expect(() => textureAugment(img, { contrast: 1 })).toThrow(/contrast/);
});

test('randomSymmetries draws from the allowed set only', () => {
  seed(3);
  expect(new Set(randomSymmetries(200, { flips: false }))).toEqual(new Set([0, 1, 2, 3]));
  expect(new Set(randomSymmetries(200, { rotations: false }))).toEqual(new Set([0, 2, 4, 6]));
  expect(randomSymmetries(5, { flips: false, rotations: false })).toEqual([0, 0, 0, 0, 0]);
  expect(new Set(randomSymmetries(400)).size).toBe(8);
});

test('no tensors leak', () => {
  const x = tf.randomUniform([8, 4, 4, 1]) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const y = textureAugment(x);
  expect(tf.memory().numTensors).toBe(before + 1);
  y.dispose();
  x.dispose();
});
