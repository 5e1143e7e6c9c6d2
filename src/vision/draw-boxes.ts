/**
 * Drawing bounding boxes (边界框) on images: annotated defects on inspection photos, or the same
 * boxes over saliency maps to see whether a model looks where the defect is.
 *
 * Boxes are in pixel coordinates of the image they belong to, with pixel `x` covering the
 * interval [x, x + 1): a box spans columns `floor(xmin) .. ceil(xmax) − 1` and rows
 * `floor(ymin) .. ceil(ymax) − 1` (see `boxPixelBounds`), clipped to the image. The outline is
 * drawn *inside* those bounds at the output scale, so a box on the image border stays visible.
 *
 * Images are single-channel (`[n, h, w]`, `[n, h, w, 1]` or a `Dense` array, as for
 * `imageGridPng`), turned into colour through a colormap (`gray` for photos, `viridis` for heat
 * maps), one colormap per image if wanted.
 *
 * ```ts
 * const neu = await loadNeu({ size: 100, perClass: 8 });
 * showBoxedImages(tf.slice(neu.images, 0, 8), neu.boxes.slice(0, 8), { columns: 8, scale: 1 });
 * // a photo and its heat map side by side, the same boxes on both:
 * showBoxedImages({ data: [...photo, ...heat], shape: [2, h, w] }, [boxes, boxes], { colormap: ['gray', 'viridis'] });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { Dense } from '../data/dense';
import { Colormap, colormapRgb, RgbColor, toImageStack } from './image-grid';
import { encodePng, showPng } from '../data/png';

/** A rectangle in pixel coordinates (VOC order). `NeuBox` (which adds a label) fits. */
export interface PixelBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** The default outline colour: a saturated orange-red, visible on gray and on viridis. */
export const BOX_COLOR: RgbColor = [255, 64, 0];

/**
 * The whole pixels a box covers: columns `x0..x1` and rows `y0..y1` (inclusive), clipped to a
 * `h × w` image; `null` when the box lies outside the image or is empty.
 */
export function boxPixelBounds(box: PixelBox, h: number, w: number): { x0: number; y0: number; x1: number; y1: number } | null {
  for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) {
    if (!Number.isFinite(box[k])) throw new Error(`boxPixelBounds: box.${k} is ${box[k]}, not a finite number`);
  }
  const x0 = Math.max(0, Math.floor(box.xmin));
  const y0 = Math.max(0, Math.floor(box.ymin));
  const x1 = Math.min(w - 1, Math.ceil(box.xmax) - 1);
  const y1 = Math.min(h - 1, Math.ceil(box.ymax) - 1);
  if (x1 < x0 || y1 < y0) return null;
  return { x0, y0, x1, y1 };
}

/**
 * Colour pixels of one single-channel image: `h*w` values → `h*w*3` bytes (RGB, row by row).
 * `normalize: 'each'` stretches the image to its own min..max first (`none`: values as they are,
 * [0, 1], or [−1, 1] for `diverging`).
 */
export function grayToRgb(values: ArrayLike<number>, h: number, w: number,
  options: { colormap?: Colormap; normalize?: 'none' | 'each' } = {}): Uint8Array {
  if (values.length !== h * w) throw new Error(`grayToRgb: ${h}×${w} needs ${h * w} values, got ${values.length}`);
  const map = options.colormap ?? 'gray';
  let lo = 0;
  let hi = 1;
  if (options.normalize === 'each') {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      lo = Math.min(lo, values[i]!);
      hi = Math.max(hi, values[i]!);
    }
  }
  const out = new Uint8Array(h * w * 3);
  for (let i = 0; i < h * w; i++) {
    let v = values[i]!;
    if (options.normalize === 'each') {
      if (map === 'diverging') {
        const m = Math.max(Math.abs(lo), Math.abs(hi));
        v = m > 0 ? v / m : 0;
      } else {
        v = hi > lo ? (v - lo) / (hi - lo) : 0;
      }
    }
    out.set(colormapRgb(v, map), i * 3);
  }
  return out;
}

/**
 * Draw the outline of `box` into RGB pixels `rgb` (`h*w*3` bytes, modified in place), `thickness`
 * pixels wide, inside the box's pixel bounds. A box outside the image draws nothing.
 */
export function drawBoxOutline(rgb: Uint8Array, h: number, w: number, box: PixelBox, color: RgbColor = BOX_COLOR, thickness = 1): void {
  if (rgb.length !== h * w * 3) throw new Error(`drawBoxOutline: ${h}×${w} RGB needs ${h * w * 3} bytes, got ${rgb.length}`);
  if (!(Number.isInteger(thickness) && thickness >= 1)) throw new Error(`drawBoxOutline: thickness must be a positive integer, got ${thickness}`);
  const b = boxPixelBounds(box, h, w);
  if (!b) return;
  const put = (x: number, y: number): void => { rgb.set(color, (y * w + x) * 3); };
  for (let t = 0; t < thickness; t++) {
    const top = b.y0 + t;
    const bottom = b.y1 - t;
    const left = b.x0 + t;
    const right = b.x1 - t;
    if (top > bottom || left > right) break;
    for (let x = left; x <= right; x++) {
      put(x, top);
      put(x, bottom);
    }
    for (let y = top; y <= bottom; y++) {
      put(left, y);
      put(right, y);
    }
  }
}

export interface BoxedImagesOptions {
  /** Images per row (default: about √n). */
  columns?: number;
  /** Each image pixel becomes `scale × scale` output pixels (default 2); outlines are drawn at the output scale. */
  scale?: number;
  /** Background pixels between tiles (default 2). */
  padding?: number;
  /** One colormap for all images or one per image (default `gray`). */
  colormap?: Colormap | readonly Colormap[];
  /** `each`: stretch every image to its own range (default `none`: values in [0, 1]). */
  normalize?: 'none' | 'each';
  /** Outline colour (default `BOX_COLOR`). */
  color?: RgbColor;
  /** Outline width in output pixels (default 2). */
  thickness?: number;
  /** Background colour (default white). */
  background?: RgbColor;
}

/**
 * Tile single-channel images into one RGB PNG with each image's boxes outlined.
 *
 * @param images `[n, h, w]` / `[n, h, w, 1]` tensor or `Dense` array.
 * @param boxes `boxes[i]`: the boxes of image i, in its pixels (e.g. `loadNeu(...).boxes`).
 * @returns PNG bytes, `columns·w·scale + (columns + 1)·padding` wide.
 */
export function boxedImagesPng(images: tf.Tensor | Dense<ArrayLike<number>>, boxes: readonly (readonly PixelBox[])[], options: BoxedImagesOptions = {}): Buffer {
  const { data, n, h, w } = toImageStack(images);
  if (n === 0) throw new Error('boxedImagesPng: no images to draw');
  if (boxes.length !== n) throw new Error(`boxedImagesPng: ${boxes.length} box lists for ${n} images; give one list (maybe empty) per image`);
  const scale = options.scale ?? 2;
  if (!(Number.isInteger(scale) && scale >= 1)) throw new Error(`boxedImagesPng: scale must be a positive integer, got ${scale}`);
  const pad = options.padding ?? 2;
  const maps = options.colormap ?? 'gray';
  if (typeof maps !== 'string' && maps.length !== n) throw new Error(`boxedImagesPng: ${maps.length} colormaps for ${n} images; give one, or one per image`);
  const columns = Math.max(1, Math.min(n, options.columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / columns);
  const tw = w * scale;
  const th = h * scale;
  const width = columns * tw + (columns + 1) * pad;
  const height = rows * th + (rows + 1) * pad;
  const out = new Uint8Array(width * height * 3);
  const bg = options.background ?? [255, 255, 255];
  for (let i = 0; i < width * height; i++) out.set(bg, i * 3);
  for (let k = 0; k < n; k++) {
    const colormap = typeof maps === 'string' ? (maps as Colormap) : maps[k]!;
    const small = grayToRgb(data.subarray(k * h * w, (k + 1) * h * w), h, w, { colormap, normalize: options.normalize ?? 'none' });
    const tile = new Uint8Array(th * tw * 3);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const s = (Math.floor(y / scale) * w + Math.floor(x / scale)) * 3;
        tile[(y * tw + x) * 3] = small[s]!;
        tile[(y * tw + x) * 3 + 1] = small[s + 1]!;
        tile[(y * tw + x) * 3 + 2] = small[s + 2]!;
      }
    }
    for (const b of boxes[k]!) {
      drawBoxOutline(tile, th, tw, { xmin: b.xmin * scale, ymin: b.ymin * scale, xmax: b.xmax * scale, ymax: b.ymax * scale },
        options.color ?? BOX_COLOR, options.thickness ?? 2);
    }
    const x0 = pad + (k % columns) * (tw + pad);
    const y0 = pad + Math.floor(k / columns) * (th + pad);
    for (let y = 0; y < th; y++) out.set(tile.subarray(y * tw * 3, (y + 1) * tw * 3), ((y0 + y) * width + x0) * 3);
  }
  return encodePng(out, width, height, 3);
}

/** `boxedImagesPng` and show it (a PNG output in a notebook, one line of text elsewhere). */
export function showBoxedImages(images: tf.Tensor | Dense<ArrayLike<number>>, boxes: readonly (readonly PixelBox[])[], options: BoxedImagesOptions = {}): void {
  showPng(boxedImagesPng(images, boxes, options));
}

/**
 * The boxes of an image resized by `sx` horizontally and `sy` vertically (e.g. 96 / 200 for a 200-pixel
 * image shown at 96): every coordinate multiplied, nothing rounded.
 */
export function scaleBoxes(boxes: readonly PixelBox[], sx: number, sy: number = sx): PixelBox[] {
  if (!(sx > 0) || !(sy > 0)) throw new Error(`scaleBoxes: scale factors must be > 0, got ${sx} and ${sy}`);
  return boxes.map((b) => ({ xmin: b.xmin * sx, ymin: b.ymin * sy, xmax: b.xmax * sx, ymax: b.ymax * sy }));
}
