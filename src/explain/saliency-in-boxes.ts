/**
 * Does the model look at the defect? (注意力是否落在缺陷上) Given a non-negative saliency map
 * (gradient saliency, Grad-CAM, ...) of an image and the annotated boxes of its defects, measure
 * the **share of saliency mass inside the boxes**:
 *
 *     inside = Σ_{p in boxes} s_p / Σ_p s_p
 *
 * A map that ignores the image — uniform, s_p = const — puts exactly the **box-area fraction**
 * `area = |boxes| / (h·w)` inside: that is the baseline. `lift = inside / area` > 1 means the map
 * concentrates on the defects more than chance. A second, coarser measure is the **pointing game**
 * (Zhang et al. 2016): whether the map's single largest pixel lies in a box.
 *
 * A pixel `(x, y)` is inside a box when its centre `(x + 0.5, y + 0.5)` is: `xmin ≤ x + 0.5 ≤ xmax`
 * and the same for y (boxes in the pixel coordinates of the map, as `loadNeu` gives them for the
 * resized image). Overlapping boxes count once (their union).
 *
 * ```ts
 * const r = saliencyInBoxes(map, 64, 64, neu.boxes[i]);  // { inside: 0.71, area: 0.38, lift: 1.87, peakInside: true }
 * const all = saliencyInBoxesBatch(cams, boxesOfTheseImages);
 * all.meanInside; all.meanArea;   // compare: the model vs a uniform map
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { PixelBox } from '../vision/draw-boxes';
import { Dense } from '../data/dense';
import { toImageStack } from '../vision/image-grid';

/** `h*w` bytes, 1 where the pixel centre lies in at least one box. */
export function boxMask(h: number, w: number, boxes: readonly PixelBox[]): Uint8Array {
  if (!(Number.isInteger(h) && h > 0 && Number.isInteger(w) && w > 0)) throw new Error(`boxMask: h and w must be positive integers, got ${h}×${w}`);
  const mask = new Uint8Array(h * w);
  for (const b of boxes) {
    // Centres x + 0.5 in [xmin, xmax]  ⇔  x in [ceil(xmin − 0.5), floor(xmax − 0.5)].
    const x0 = Math.max(0, Math.ceil(b.xmin - 0.5));
    const x1 = Math.min(w - 1, Math.floor(b.xmax - 0.5));
    const y0 = Math.max(0, Math.ceil(b.ymin - 0.5));
    const y1 = Math.min(h - 1, Math.floor(b.ymax - 0.5));
    for (let y = y0; y <= y1; y++) mask.fill(1, y * w + x0, x1 >= x0 ? y * w + x1 + 1 : y * w + x0);
  }
  return mask;
}

/** The measures for one image. */
export interface SaliencyInBoxes {
  /** Share of the saliency mass inside the boxes, in [0, 1] (NaN when the map is all zero). */
  inside: number;
  /** Fraction of the pixels inside the boxes: what a uniform map would score. */
  area: number;
  /** `inside / area` (> 1: more attention on the defect than chance; NaN when the map is empty or there is no box). */
  lift: number;
  /** Whether the map's largest value (first one, row by row) lies in a box (the pointing game). */
  peakInside: boolean;
}

/**
 * Share of a non-negative saliency map inside the boxes, vs the box-area baseline, for one image.
 * @param map `h*w` values ≥ 0, row by row (take `|gradient|` or a ReLU'd CAM first).
 */
export function saliencyInBoxes(map: ArrayLike<number>, h: number, w: number, boxes: readonly PixelBox[]): SaliencyInBoxes {
  if (map.length !== h * w) throw new Error(`saliencyInBoxes: a ${h}×${w} map needs ${h * w} values, got ${map.length}`);
  const mask = boxMask(h, w, boxes);
  let total = 0;
  let inBox = 0;
  let covered = 0;
  let peak = -Infinity;
  let peakAt = 0;
  for (let p = 0; p < h * w; p++) {
    const v = map[p]!;
    if (!(v >= 0)) throw new Error(`saliencyInBoxes: saliency values must be finite and >= 0, got ${v} at pixel ${p}; use |gradient| or a ReLU'd map`);
    total += v;
    if (mask[p]) {
      inBox += v;
      covered++;
    }
    if (v > peak) {
      peak = v;
      peakAt = p;
    }
  }
  const area = covered / (h * w);
  const inside = total > 0 ? inBox / total : NaN;
  return { inside, area, lift: total > 0 && area > 0 ? inside / area : NaN, peakInside: total > 0 && mask[peakAt] === 1 };
}

/** The measures over many images. */
export interface SaliencyInBoxesSummary {
  perImage: SaliencyInBoxes[];
  /** Images whose map has some mass and which have at least one box (the ones averaged). */
  counted: number;
  /** Mean share of saliency inside the boxes. */
  meanInside: number;
  /** Mean box-area fraction over the same images: the uniform baseline. */
  meanArea: number;
  /** Median of `lift` over the counted images. */
  medianLift: number;
  /** Fraction of counted images whose share inside beats their own box-area fraction. */
  aboveBaseline: number;
  /** Fraction of counted images whose peak lies in a box (pointing-game accuracy). */
  pointing: number;
}

/**
 * `saliencyInBoxes` for a stack of maps and their boxes, with means.
 * @param maps `[n, h, w]` / `[n, h, w, 1]` tensor or `Dense` array, values ≥ 0.
 * @param boxes `boxes[i]`: the boxes of image i in the maps' pixels.
 */
export function saliencyInBoxesBatch(maps: tf.Tensor | Dense<ArrayLike<number>>, boxes: readonly (readonly PixelBox[])[]): SaliencyInBoxesSummary {
  const { data, n, h, w } = toImageStack(maps);
  if (boxes.length !== n) throw new Error(`saliencyInBoxesBatch: ${boxes.length} box lists for ${n} maps`);
  const perImage: SaliencyInBoxes[] = [];
  for (let i = 0; i < n; i++) perImage.push(saliencyInBoxes(data.subarray(i * h * w, (i + 1) * h * w), h, w, boxes[i]!));
  const ok = perImage.filter((r) => Number.isFinite(r.inside) && r.area > 0);
  const mean = (f: (r: SaliencyInBoxes) => number): number => (ok.length ? ok.reduce((s, r) => s + f(r), 0) / ok.length : NaN);
  const lifts = ok.map((r) => r.lift).sort((a, b) => a - b);
  const mid = lifts.length >> 1;
  return {
    perImage,
    counted: ok.length,
    meanInside: mean((r) => r.inside),
    meanArea: mean((r) => r.area),
    medianLift: lifts.length === 0 ? NaN : lifts.length % 2 ? lifts[mid]! : (lifts[mid - 1]! + lifts[mid]!) / 2,
    aboveBaseline: mean((r) => (r.inside > r.area ? 1 : 0)),
    pointing: mean((r) => (r.peakInside ? 1 : 0)),
  };
}
