import * as tf from '@tensorflow/tfjs';
import { boxMask, saliencyInBoxes, saliencyInBoxesBatch } from '../../src/explain/saliency-in-boxes';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

function picture(mask: Uint8Array, h: number, w: number): string[] {
  return Array.from({ length: h }, (_, y) => Array.from(mask.subarray(y * w, (y + 1) * w), (v) => (v ? '#' : '.')).join(''));
}

test('boxMask: pixel centres inside, union of boxes, clipped', () => {
  // centres 1.5, 2.5 lie in [1, 3]; 3.5 does not. A box [2.4, 3.6] × [0, 0.4] holds no centre in y.
  expect(picture(boxMask(4, 5, [{ xmin: 1, ymin: 1, xmax: 3, ymax: 3 }, { xmin: 2.4, ymin: 0, xmax: 3.6, ymax: 0.4 }]), 4, 5)).toEqual([
    '.....',
    '.##..',
    '.##..',
    '.....',
  ]);
  expect(picture(boxMask(3, 4, [{ xmin: 0, ymin: 0, xmax: 2, ymax: 2 }, { xmin: 1, ymin: 1, xmax: 9, ymax: 9 }]), 3, 4)).toEqual([
    '##..',
    '####',
    '.###',
  ]);
  expect(Array.from(boxMask(2, 2, []))).toEqual([0, 0, 0, 0]);
});

test('saliencyInBoxes on a hand-made 4×4 map', () => {
  // Box = the top-left 2×2 quarter (area 4/16 = 0.25). Map mass: 6 inside, 2 outside.
  const map = [
    3, 1, 0, 0,
    1, 1, 0, 0,
    0, 0, 2, 0,
    0, 0, 0, 0,
  ];
  const box = [{ xmin: 0, ymin: 0, xmax: 2, ymax: 2 }];
  const r = saliencyInBoxes(map, 4, 4, box);
  expect(r.area).toBe(0.25);
  expect(r.inside).toBe(0.75);
  expect(r.lift).toBe(3);
  expect(r.peakInside).toBe(true);
  // A uniform map scores exactly the area fraction: the baseline.
  const uniform = saliencyInBoxes(new Array(16).fill(0.3), 4, 4, box);
  expect(uniform.inside).toBeCloseTo(0.25, 12);
  expect(uniform.lift).toBeCloseTo(1, 12);
  // Peak outside: the pointing game fails even though most mass is inside.
  const peakOut = saliencyInBoxes([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3.5], 4, 4, box);
  expect(peakOut.inside).toBeCloseTo(4 / 7.5, 12);
  expect(peakOut.peakInside).toBe(false);
  // An all-zero map has no share.
  const empty = saliencyInBoxes(new Array(16).fill(0), 4, 4, box);
  expect(empty.inside).toBeNaN();
  expect(empty.peakInside).toBe(false);
  expect(() => saliencyInBoxes([-1, ...new Array(15).fill(0)], 4, 4, box)).toThrow(/>= 0/);
  expect(() => saliencyInBoxes([1, 2, 3], 4, 4, box)).toThrow(/needs 16 values/);
});

test('saliencyInBoxesBatch: means over images, empty maps and box-less images left out', () => {
  const maps = tf.tensor4d([
    // image 0: all mass in the left column (box = left half): inside 1, area 0.5
    1, 0, 1, 0,
    // image 1: uniform: inside 0.5, area 0.5
    1, 1, 1, 1,
    // image 2: all zero: not counted
    0, 0, 0, 0,
    // image 3: no boxes: not counted
    1, 0, 0, 0,
  ], [4, 2, 2, 1]);
  const left = [{ xmin: 0, ymin: 0, xmax: 1, ymax: 2 }];
  const s = saliencyInBoxesBatch(maps, [left, left, left, []]);
  expect(s.perImage).toHaveLength(4);
  expect(s.counted).toBe(2);
  expect(s.meanInside).toBeCloseTo(0.75, 12);
  expect(s.meanArea).toBeCloseTo(0.5, 12);
  expect(s.medianLift).toBeCloseTo(1.5, 12);
  expect(s.aboveBaseline).toBe(0.5);
  expect(s.pointing).toBe(1); // the uniform map's first maximum is pixel 0, in the box
  expect(() => saliencyInBoxesBatch(maps, [left])).toThrow(/1 box lists for 4 maps/);
  maps.dispose();
});
