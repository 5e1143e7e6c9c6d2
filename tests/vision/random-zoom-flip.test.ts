import * as tf from '@tensorflow/tfjs';
import { cropResizeBoxes, randomZoomFlip, zoomFlipBoxes } from '../../src/vision/random-zoom-flip';
import { seed } from '../../src/training/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false; // no "install tfjs-node" banner
});
afterEach(() => seed(null));

function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** A 3×3 image whose pixel (r, c) is 3r + c, as [1, 3, 3, 1]. */
const ramp = (): tf.Tensor4D => tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3, 1]);

test('boxes from hand-picked draws: scale, top, left, mirror', () => {
  // minScale 0.5: u = 0.5 → s = 0.75; y1 = 0.2 · 0.25 = 0.05; x1 = 0.8 · 0.25 = 0.2; u₄ = 0.7 ≥ 0.5: no mirror
  const a = zoomFlipBoxes(1, { minScale: 0.5 }, sequence([0.5, 0.2, 0.8, 0.7]));
  expect(Array.from(a).map((v) => +v.toFixed(6))).toEqual([0.05, 0.2, 0.8, 0.95]);
  // u₄ = 0.1 < 0.5: mirrored, x1 and x2 swapped
  const b = zoomFlipBoxes(1, { minScale: 0.5 }, sequence([0.5, 0.2, 0.8, 0.1]));
  expect(Array.from(b).map((v) => +v.toFixed(6))).toEqual([0.05, 0.95, 0.8, 0.2]);
  // minScale 1: the full image whatever the draws
  expect(Array.from(zoomFlipBoxes(2, { minScale: 1, flipProbability: 0 }, sequence([0.3, 0.6, 0.9, 0.2])))).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
});

test('the full box is the identity, the mirrored full box is tf.reverse', () => {
  const x = ramp();
  expect(Array.from(cropResizeBoxes(x, Float32Array.from([0, 0, 1, 1])).dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  expect(Array.from(cropResizeBoxes(x, Float32Array.from([0, 1, 1, 0])).dataSync())).toEqual([2, 1, 0, 5, 4, 3, 8, 7, 6]);
  const always = randomZoomFlip(x, { minScale: 1, flipProbability: 1 });
  expect(Array.from(always.dataSync())).toEqual(Array.from(tf.reverse(x, 2).dataSync()));
  const never = randomZoomFlip(x, { minScale: 1, flipProbability: 0 });
  expect(Array.from(never.dataSync())).toEqual(Array.from(x.dataSync()));
});

test('a zoom into the top-left quarter samples half-pixel steps (bilinear on a ramp is exact)', () => {
  // box rows and columns 0 … 0.5 of the normalised range = pixel centres 0 … 1: samples at 0, 0.5, 1
  // value(r, c) = 3r + c → out(i, j) = 3 · i/2 + j/2
  const out = Array.from(cropResizeBoxes(ramp(), Float32Array.from([0, 0, 0.5, 0.5])).dataSync());
  [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
});

test('seeded: the same seed gives the same batch, every crop stays inside the image', () => {
  const x = tf.randomUniform([8, 6, 6, 1], 0, 1, 'float32', 3);
  seed(5);
  const a = Array.from(randomZoomFlip(x, { minScale: 0.7 }).dataSync());
  seed(5);
  const b = Array.from(randomZoomFlip(x, { minScale: 0.7 }).dataSync());
  expect(b).toEqual(a);
  seed(5);
  const boxes = zoomFlipBoxes(1000, { minScale: 0.7 });
  let mirrored = 0;
  for (let i = 0; i < 1000; i++) {
    const [y1, x1, y2, x2] = Array.from(boxes.slice(i * 4, i * 4 + 4));
    for (const v of [y1!, x1!, y2!, x2!]) expect(v >= 0 && v <= 1 + 1e-6).toBe(true);
    const side = y2! - y1!;
    expect(side).toBeGreaterThanOrEqual(0.7 - 1e-6);
    expect(Math.abs(Math.abs(x2! - x1!) - side)).toBeLessThan(1e-6); // square crops
    if (x1! > x2!) mirrored++;
  }
  expect(mirrored / 1000).toBeCloseTo(0.5, 1);
});

test('bad input names the problem', () => {
  expect(() => zoomFlipBoxes(1, { minScale: 0 })).toThrow(/minScale must be in/);
  expect(() => zoomFlipBoxes(1, { flipProbability: 2 })).toThrow(/flipProbability must be in/);
  expect(() => randomZoomFlip(tf.zeros([3, 3]))).toThrow(/expected a batch/);
  expect(() => cropResizeBoxes(ramp(), new Float32Array(8))).toThrow(/2 boxes for 1 images/);
});
