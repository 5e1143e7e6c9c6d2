import * as tf from '@tensorflow/tfjs';
import { BOX_COLOR, boxedImagesPng, boxPixelBounds, drawBoxOutline, grayToRgb, scaleBoxes } from '../../src/vision/draw-boxes';
import { decodeRgbPng as decode } from '../support/decode-png';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/** '#' where the pixel has colour `c`, '.' elsewhere: a picture of a small RGB buffer. */
function picture(rgb: Uint8Array, h: number, w: number, c: readonly number[]): string[] {
  return Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => {
    const p = (y * w + x) * 3;
    return rgb[p] === c[0] && rgb[p + 1] === c[1] && rgb[p + 2] === c[2] ? '#' : '.';
  }).join(''));
}

test('boxPixelBounds: floor/ceil to whole pixels, clipped; null outside', () => {
  expect(boxPixelBounds({ xmin: 1, ymin: 2, xmax: 4, ymax: 5 }, 10, 10)).toEqual({ x0: 1, y0: 2, x1: 3, y1: 4 });
  expect(boxPixelBounds({ xmin: 0.6, ymin: 0.6, xmax: 61.12, ymax: 63.68 }, 64, 64)).toEqual({ x0: 0, y0: 0, x1: 61, y1: 63 });
  expect(boxPixelBounds({ xmin: -5, ymin: -5, xmax: 100, ymax: 100 }, 8, 6)).toEqual({ x0: 0, y0: 0, x1: 5, y1: 7 });
  expect(boxPixelBounds({ xmin: 20, ymin: 0, xmax: 30, ymax: 5 }, 10, 10)).toBeNull();
  expect(() => boxPixelBounds({ xmin: NaN, ymin: 0, xmax: 1, ymax: 1 }, 4, 4)).toThrow(/xmin/);
});

test('drawBoxOutline draws a 1- and 2-pixel frame inside the bounds', () => {
  const h = 6;
  const w = 7;
  const rgb = new Uint8Array(h * w * 3);
  drawBoxOutline(rgb, h, w, { xmin: 1, ymin: 1, xmax: 6, ymax: 5 }, [255, 0, 0], 1);
  expect(picture(rgb, h, w, [255, 0, 0])).toEqual([
    '.......',
    '.#####.',
    '.#...#.',
    '.#...#.',
    '.#####.',
    '.......',
  ]);
  const thick = new Uint8Array(h * w * 3);
  drawBoxOutline(thick, h, w, { xmin: 0, ymin: 0, xmax: 7, ymax: 6 }, BOX_COLOR, 2);
  expect(picture(thick, h, w, BOX_COLOR)).toEqual([
    '#######',
    '#######',
    '##...##',
    '##...##',
    '#######',
    '#######',
  ]);
  expect(() => drawBoxOutline(rgb, h, w, { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, BOX_COLOR, 0)).toThrow(/thickness/);
});

test('grayToRgb: gray and each-normalised', () => {
  expect(Array.from(grayToRgb([0, 1], 1, 2))).toEqual([0, 0, 0, 255, 255, 255]);
  expect(Array.from(grayToRgb([2, 4], 1, 2, { normalize: 'each' }))).toEqual([0, 0, 0, 255, 255, 255]);
  expect(Array.from(grayToRgb([0, 1], 1, 2, { colormap: 'viridis' }).slice(0, 3))).toEqual([68, 1, 84]);
  expect(() => grayToRgb([0, 1, 2], 1, 2)).toThrow(/needs 2 values/);
});

test('boxedImagesPng: two 4×4 images, scale 2, one box each, colormaps per image', () => {
  const data = new Float32Array(32).fill(0.5);
  const boxes = [[{ xmin: 1, ymin: 1, xmax: 3, ymax: 3 }], []];
  const png = boxedImagesPng({ data, shape: [2, 4, 4] }, boxes, { columns: 2, scale: 2, padding: 1, thickness: 1, colormap: ['gray', 'viridis'] });
  const img = decode(png);
  expect([img.width, img.height]).toEqual([2 * 8 + 3, 8 + 2]);
  expect(img.rgb(0, 0)).toEqual([255, 255, 255]);           // padding
  expect(img.rgb(1, 1)).toEqual([128, 128, 128]);           // image 0, outside the box
  // the box covers image pixels 1..2, i.e. output pixels 2..5 of the tile (tile starts at 1)
  expect(img.rgb(3, 3)).toEqual([...BOX_COLOR]);            // top-left corner of the frame
  expect(img.rgb(6, 6)).toEqual([...BOX_COLOR]);            // bottom-right corner
  expect(img.rgb(4, 4)).toEqual([128, 128, 128]);           // inside the frame
  expect(img.rgb(10, 4)).toEqual([33, 145, 140]);           // image 1: viridis(0.5), no box
  const t = tf.zeros([2, 4, 4, 1]);
  expect(() => boxedImagesPng(t, [[]])).toThrow(/1 box lists for 2 images/);
  expect(() => boxedImagesPng(t, [[], []], { colormap: ['gray'] })).toThrow(/1 colormaps/);
  t.dispose();
});

test('scaleBoxes multiplies every coordinate, x by sx and y by sy', () => {
  expect(scaleBoxes([{ xmin: 10, ymin: 20, xmax: 150, ymax: 200 }], 0.48)).toEqual([{ xmin: 4.8, ymin: 9.6, xmax: 72, ymax: 96 }]);
  expect(scaleBoxes([{ xmin: 1, ymin: 1, xmax: 2, ymax: 3 }], 2, 0.5)).toEqual([{ xmin: 2, ymin: 0.5, xmax: 4, ymax: 1.5 }]);
  expect(() => scaleBoxes([], 0)).toThrow(/must be > 0/);
});
