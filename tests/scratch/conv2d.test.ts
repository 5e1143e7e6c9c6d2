import * as tf from '@tensorflow/tfjs';
import { conv2dArrays, conv2dNaive, conv2dOutputSize, conv2dParamCount, maxPool2dNaive } from '../../src/scratch/conv2d';
import { seed } from '../../src/training/random';

beforeAll(async () => {
  tf.env().set('IS_TEST', true); // no "use tfjs-node" banner
  await tf.setBackend('cpu');
  seed(123);
});
afterAll(() => seed(null));

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

test('a 3×3 kernel on a 4×4 image, worked by hand', () => {
  // x = 1..16 row by row; the kernel picks the centre minus the top-left: y = x[i+1,j+1] − x[i,j] = 5.
  const x = { data: Float32Array.from({ length: 16 }, (_, i) => i + 1), shape: [1, 4, 4, 1] };
  const k = { data: Float32Array.from([-1, 0, 0, 0, 1, 0, 0, 0, 0]), shape: [3, 3, 1, 1] };
  const y = conv2dArrays(x, k);
  expect(y.shape).toEqual([1, 2, 2, 1]);
  expect([...y.data]).toEqual([5, 5, 5, 5]);
  // 'same' keeps 4×4; the top-left output sees x[0,0] at the centre and zeros above/left: y = 1.
  const same = conv2dArrays(x, k, { padding: 'same' });
  expect(same.shape).toEqual([1, 4, 4, 1]);
  expect(same.data[0]).toBe(1);
});

type Shape4 = [number, number, number, number];
test.each<{ name: string; x: Shape4; k: Shape4; strides: number; padding: 'valid' | 'same' }>([
  { name: 'MNIST-like valid, stride 1', x: [2, 28, 28, 1], k: [3, 3, 1, 8], strides: 1, padding: 'valid' as const },
  { name: 'same padding, several channels', x: [2, 9, 7, 3], k: [3, 3, 3, 4], strides: 1, padding: 'same' as const },
  { name: 'stride 2, valid, 5×5', x: [1, 12, 11, 2], k: [5, 5, 2, 3], strides: 2, padding: 'valid' as const },
  { name: 'stride 2, same, even kernel (asymmetric padding)', x: [3, 8, 9, 2], k: [2, 4, 2, 5], strides: 2, padding: 'same' as const },
])('conv2dNaive equals tf.conv2d: $name', ({ x: xs, k: ks, strides, padding }) => {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const k = tf.randomNormal(ks) as tf.Tensor4D;
  const mine = conv2dNaive(x, k, { strides, padding });
  const theirs = tf.conv2d(x, k, strides, padding);
  expect(maxDiff(mine, theirs)).toBeLessThan(1e-4);
  tf.dispose([x, k, mine, theirs]);
});

test('a single [h, w, c] image stays unbatched, and channels must agree', () => {
  const x = tf.randomNormal([6, 6, 2]) as tf.Tensor3D;
  const k = tf.randomNormal([3, 3, 2, 4]) as tf.Tensor4D;
  const mine = conv2dNaive(x, k);
  expect(mine.shape).toEqual([4, 4, 4]);
  expect(maxDiff(mine, tf.conv2d(x, k, 1, 'valid'))).toBeLessThan(1e-4);
  expect(() => conv2dNaive(x, tf.zeros([3, 3, 1, 4]) as tf.Tensor4D)).toThrow(/2 channels but the kernel expects 1/);
});

test('maxPool2dNaive equals tf.maxPool (2×2 and 3×3/2)', () => {
  const x = tf.randomNormal([2, 13, 13, 3]) as tf.Tensor4D;
  expect(maxDiff(maxPool2dNaive(x, 2), tf.maxPool(x, 2, 2, 'valid'))).toBe(0);
  expect(maxDiff(maxPool2dNaive(x, 3, 2), tf.maxPool(x, 3, 2, 'valid'))).toBe(0);
  expect(maxPool2dNaive(tf.zeros([1, 26, 26, 32]) as tf.Tensor4D).shape).toEqual([1, 13, 13, 32]);
});

test('output sizes and parameter counts: the article model 28 → 26 → 13, 320 + 54,090 parameters', () => {
  expect(conv2dOutputSize(28, 3)).toEqual({ size: 26, padBefore: 0 });
  expect(conv2dOutputSize(28, 3, 1, 'same')).toEqual({ size: 28, padBefore: 1 });
  expect(conv2dOutputSize(8, 4, 2, 'same')).toEqual({ size: 4, padBefore: 1 });
  expect(() => conv2dOutputSize(2, 3)).toThrow(/does not fit/);
  expect(conv2dParamCount(3, 3, 1, 32)).toBe(320);
  const layer = tf.layers.conv2d({ filters: 32, kernelSize: 3, inputShape: [28, 28, 1] });
  const model = tf.sequential({ layers: [layer] });
  expect(model.countParams()).toBe(conv2dParamCount(3, 3, 1, 32));
  model.dispose();
});
