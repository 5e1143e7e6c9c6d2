import * as tf from '@tensorflow/tfjs';
import { captionWidth, colormapRgb, featureMapsToImages, filtersToImages, imageGridPng, toImageStack } from '../../src/vision/image-grid';
import { decodeRgbPng as decode } from '../support/decode-png';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

test('four 3×3 images, 2 columns, scale 2, padding 1: a 15×15 grid with each pixel in place', () => {
  // image k is filled with k/3 → grey levels 0, 85, 170, 255
  const data = new Float32Array(4 * 9);
  for (let k = 0; k < 4; k++) data.fill(k / 3, k * 9, (k + 1) * 9);
  const png = imageGridPng({ data, shape: [4, 3, 3] }, { columns: 2, scale: 2, padding: 1 });
  const img = decode(png);
  expect([img.width, img.height]).toEqual([15, 15]);
  expect(img.rgb(0, 0)).toEqual([255, 255, 255]); // background
  expect(img.rgb(1, 1)).toEqual([0, 0, 0]); // image 0
  expect(img.rgb(8, 1)).toEqual([85, 85, 85]); // image 1 starts at x = 1 + 6 + 1
  expect(img.rgb(1, 8)).toEqual([170, 170, 170]); // image 2, second row
  expect(img.rgb(13, 13)).toEqual([255, 255, 255]); // image 3 (white)
});

test('normalize each stretches every image to its own range; captions add a text line', () => {
  const t = tf.tensor4d([0, 2, 4, 6, -1, 0, 0, 1], [2, 2, 2, 1]);
  const plain = decode(imageGridPng(t, { columns: 2, scale: 1, padding: 0, normalize: 'each' }));
  expect([plain.width, plain.height]).toEqual([4, 2]);
  expect(plain.rgb(0, 0)).toEqual([0, 0, 0]);
  expect(plain.rgb(1, 1)).toEqual([255, 255, 255]);
  expect(plain.rgb(2, 0)).toEqual([0, 0, 0]); // −1 is the min of image 1
  const captioned = decode(imageGridPng(t, { columns: 2, scale: 10, padding: 0, captions: ['P7 T2', '1'], captionScale: 1 }));
  // cell width = max(20, caption 5 letters · 4 − 1 = 19) = 20; height = 20 + 5 + 2
  expect([captioned.width, captioned.height]).toEqual([40, 27]);
  expect(captionWidth('P7 T2', 2)).toBe(38);
  expect(() => imageGridPng(t, { captions: ['only one'] })).toThrow(/1 captions for 2 images/);
  t.dispose();
});

test('colormaps: gray, ink, diverging, viridis ends', () => {
  expect(colormapRgb(1, 'gray')).toEqual([255, 255, 255]);
  expect(colormapRgb(1, 'ink')).toEqual([0, 0, 0]);
  expect(colormapRgb(-1, 'diverging')).toEqual([0, 0, 255]);
  expect(colormapRgb(0, 'diverging')).toEqual([255, 255, 255]);
  expect(colormapRgb(0.5, 'diverging')).toEqual([255, 128, 128]);
  expect(colormapRgb(0, 'viridis')).toEqual([68, 1, 84]);
  expect(colormapRgb(1, 'viridis')).toEqual([253, 231, 37]);
});

test('feature maps and Conv2D kernels become one image per channel', () => {
  // maps [1, 2, 2, 3]: channel c at (y, x) = 100c + 10y + x
  const vals: number[] = [];
  for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) vals.push(100 * c + 10 * y + x);
  const maps = featureMapsToImages(tf.tensor4d(vals, [1, 2, 2, 3]));
  expect(maps.shape).toEqual([3, 2, 2]);
  expect(Array.from(maps.data)).toEqual([0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211]);
  // kernel [2, 2, 1, 2]: filter o at (u, v) = 10o + 2u + v
  const k: number[] = [];
  for (let u = 0; u < 2; u++) for (let v = 0; v < 2; v++) for (let o = 0; o < 2; o++) k.push(10 * o + 2 * u + v);
  const filters = filtersToImages(tf.tensor4d(k, [2, 2, 1, 2]));
  expect(filters.shape).toEqual([2, 2, 2]);
  expect(Array.from(filters.data)).toEqual([0, 1, 2, 3, 10, 11, 12, 13]);
  expect(() => toImageStack(tf.zeros([1, 4, 4, 3]))).toThrow(/featureMapsToImages/);
});
