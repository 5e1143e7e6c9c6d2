import * as tf from '@tensorflow/tfjs';
import { resizeImageBatch, resizePixels, resizePixelsArea, resizePixelsBilinear } from '../../src/vision/image-resize';
import { mulberry32 } from '../../src/training/random';

function randomImage(h: number, w: number, c: number, s = 1): Float32Array {
  const r = mulberry32(s);
  return Float32Array.from({ length: h * w * c }, () => Math.round(r() * 255));
}

test('bilinear matches tf.image.resizeBilinear with half-pixel centres (down and up, 1 and 3 channels)', () => {
  for (const [h, w, c, oh, ow] of [[20, 30, 1, 7, 11], [9, 9, 3, 20, 13], [200, 200, 1, 64, 64]] as const) {
    const img = randomImage(h, w, c, h);
    const mine = resizePixelsBilinear(img, h, w, c, oh, ow);
    const theirs = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(img, [h, w, c]), [oh, ow], false, true).dataSync());
    let maxDiff = 0;
    for (let i = 0; i < mine.length; i++) maxDiff = Math.max(maxDiff, Math.abs(mine[i]! - theirs[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
  }
});

test('area: integer shrink is the block mean; a constant image stays constant; the mean is kept', () => {
  const img = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]); // 4×4
  expect(Array.from(resizePixelsArea(img, 4, 4, 1, 2, 2))).toEqual([(1 + 2 + 5 + 6) / 4, (3 + 4 + 7 + 8) / 4, (9 + 10 + 13 + 14) / 4, (11 + 12 + 15 + 16) / 4]);
  const flat = new Float32Array(200 * 200).fill(77);
  for (const v of resizePixelsArea(flat, 200, 200, 1, 64, 64)) expect(v).toBeCloseTo(77, 3);
  const r = randomImage(200, 200, 1);
  const small = resizePixelsArea(r, 200, 200, 1, 64, 64);
  const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  expect(mean(small)).toBeCloseTo(mean(r), 2);
  // Upscaling by 2 repeats pixels.
  expect(Array.from(resizePixelsArea(Float32Array.from([1, 2]), 1, 2, 1, 2, 4))).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
});

test('resizePixels: same size copies; bad arguments are clear errors', () => {
  const img = Uint8Array.from([1, 2, 3, 4]);
  const same = resizePixels(img, 2, 2, 1, 2, 2, 'area');
  expect(Array.from(same)).toEqual([1, 2, 3, 4]);
  expect(same).toBeInstanceOf(Float32Array);
  expect(() => resizePixels(img, 2, 3, 1, 1, 1)).toThrow('resizePixels: expected 2×3×1 = 6 values, got 4');
  expect(() => resizePixels(img, 2, 2, 1, 0, 1)).toThrow('resizePixels: outH must be a positive integer, got 0');
  expect(() => resizePixels(img, 2, 2, 1, 1, 1, 'cubic' as 'area')).toThrow("method must be 'bilinear' or 'area'");
});

test('resizeImageBatch resizes each image of a batch on its own', () => {
  // two 2×2 gray images → 1×1 by area: their means
  const out = resizeImageBatch(Float32Array.from([1, 2, 3, 4, 10, 10, 0, 0]), 2, 2, 2, 1, 1, 1, 'area');
  expect(Array.from(out)).toEqual([2.5, 5]);
  const src = Array.from({ length: 2 * 4 * 4 }, (_, i) => (i * 37) % 11);
  const both = resizeImageBatch(src, 2, 4, 4, 1, 3, 3, 'bilinear');
  expect(Array.from(both.subarray(9))).toEqual(Array.from(resizePixels(src.slice(16), 4, 4, 1, 3, 3, 'bilinear')));
  expect(() => resizeImageBatch([1, 2, 3], 2, 2, 2, 1, 1, 1)).toThrow(/expected 2×2×2×1 = 8 values, got 3/);
});
