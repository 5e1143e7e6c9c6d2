/**
 * Image grids (图像网格) as PNG: many small images — digits, learned filters (卷积核), feature maps
 * (特征图) — tiled into one picture, each optionally captioned (e.g. "P7 T2": predicted 7, true 2)
 * with a built-in 3×5 pixel font, so the picture needs no fonts, canvas or scripts.
 *
 * ```ts
 * const digits = xTest.slice([0], [16]);                     // [16, 28, 28, 1] in [0, 1]
 * showImageGrid(digits, { columns: 8, scale: 2, captions: labels.map(String) });
 * // learned 3×3 filters of a Conv2D layer, blue < 0 < red, each scaled to its own range:
 * showImageGrid(filtersToImages(conv.getWeights()[0]), { colormap: 'diverging', normalize: 'each', scale: 12 });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { Dense } from '../data/dense';
import { encodePng, showPng } from '../data/png';

export type RgbColor = readonly [number, number, number];

/**
 * How values become colours: `gray` 0 → black, 1 → white (MNIST's own look); `ink` the reverse
 * (black digit on paper); `diverging` −1 → blue, 0 → white, +1 → red (for weights); `viridis`
 * 0 → dark purple, 1 → yellow (for activations).
 */
export type Colormap = 'gray' | 'ink' | 'diverging' | 'viridis';

/** A caption in coloured parts, e.g. `[{ text: 'P7 ', color: RED }, { text: 'T2', color: GREEN }]`. */
export interface CaptionPart {
  text: string;
  color?: RgbColor;
}

export interface ImageGridOptions {
  /** Images per row (default: about √n, at most n). */
  columns?: number;
  /** Each image pixel becomes `scale × scale` output pixels (default 2). */
  scale?: number;
  /** Background pixels between tiles (default 2). */
  padding?: number;
  /**
   * Value range: `none` takes values as they are ([0, 1], or [−1, 1] for `diverging`);
   * `each` stretches every image to its own min..max (or ±max|v| for `diverging`); `global`
   * uses one range for all images, so they stay comparable. Default `none`.
   */
  normalize?: 'none' | 'each' | 'global';
  colormap?: Colormap;
  /** One caption per image, drawn under it (letters, digits and `:-/.>()=%+#?`). */
  captions?: readonly (string | readonly CaptionPart[])[];
  /** Font magnification of captions (default 2: 6×10-pixel letters). */
  captionScale?: number;
  /** Default caption colour (default near-black). */
  captionColor?: RgbColor;
  /** Background colour (default white). */
  background?: RgbColor;
}

export const CAPTION_RED: RgbColor = [200, 30, 30];
export const CAPTION_GREEN: RgbColor = [20, 130, 40];

// A 3×5 bitmap font: five rows of three bits per glyph ('#' = ink).
const FONT_ROWS: Record<string, string> = {
  '0': '### #.# #.# #.# ###', '1': '.#. ##. .#. .#. ###', '2': '### ..# ### #.. ###', '3': '### ..# ### ..# ###',
  '4': '#.# #.# ### ..# ..#', '5': '### #.. ### ..# ###', '6': '### #.. ### #.# ###', '7': '### ..# ..# .#. .#.',
  '8': '### #.# ### #.# ###', '9': '### #.# ### ..# ###',
  A: '.#. #.# ### #.# #.#', B: '##. #.# ##. #.# ##.', C: '.## #.. #.. #.. .##', D: '##. #.# #.# #.# ##.',
  E: '### #.. ##. #.. ###', F: '### #.. ##. #.. #..', G: '.## #.. #.# #.# .##', H: '#.# #.# ### #.# #.#',
  I: '### .#. .#. .#. ###', J: '..# ..# ..# #.# .#.', K: '#.# #.# ##. #.# #.#', L: '#.. #.. #.. #.. ###',
  M: '#.# ### ### #.# #.#', N: '##. #.# #.# #.# #.#', O: '.#. #.# #.# #.# .#.', P: '##. #.# ##. #.. #..',
  Q: '.#. #.# #.# ##. .##', R: '##. #.# ##. #.# #.#', S: '.## #.. .#. ..# ##.', T: '### .#. .#. .#. .#.',
  U: '#.# #.# #.# #.# ###', V: '#.# #.# #.# #.# .#.', W: '#.# #.# ### ### #.#', X: '#.# #.# .#. #.# #.#',
  Y: '#.# #.# .#. .#. .#.', Z: '### ..# .#. #.. ###',
  ' ': '... ... ... ... ...', ':': '... .#. ... .#. ...', '.': '... ... ... ... .#.', '-': '... ... ### ... ...',
  '/': '..# ..# .#. #.. #..', '>': '#.. .#. ..# .#. #..', '<': '..# .#. #.. .#. ..#', '(': '.#. #.. #.. #.. .#.',
  ')': '.#. ..# ..# ..# .#.', '=': '... ### ... ### ...', '%': '#.# ..# .#. #.. #.#', '?': '### ..# .#. ... .#.',
  '+': '... .#. ### .#. ...', '#': '#.# ### #.# ### #.#',
};
const GLYPH_W = 3;
const GLYPH_H = 5;

function glyph(ch: string): string[] {
  const rows = FONT_ROWS[ch.toUpperCase()] ?? FONT_ROWS['?']!;
  return rows.split(' ');
}

function captionParts(caption: string | readonly CaptionPart[]): CaptionPart[] {
  return typeof caption === 'string' ? [{ text: caption }] : caption.slice();
}

/** Width in output pixels of a caption at `scale` (3 pixels per letter plus 1 between letters). */
export function captionWidth(caption: string | readonly CaptionPart[], scale = 2): number {
  const n = captionParts(caption).reduce((s, p) => s + p.text.length, 0);
  return n === 0 ? 0 : (n * (GLYPH_W + 1) - 1) * scale;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

const VIRIDIS: readonly RgbColor[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** The colour of value `v` (already normalised: [0, 1], or [−1, 1] for `diverging`). */
export function colormapRgb(v: number, map: Colormap): RgbColor {
  if (!Number.isFinite(v)) return [255, 0, 255];
  switch (map) {
    case 'gray': {
      const g = Math.round(clamp01(v) * 255);
      return [g, g, g];
    }
    case 'ink': {
      const g = Math.round((1 - clamp01(v)) * 255);
      return [g, g, g];
    }
    case 'diverging': {
      const t = Math.max(-1, Math.min(1, v));
      const a = Math.round((1 - Math.abs(t)) * 255);
      return t >= 0 ? [255, a, a] : [a, a, 255];
    }
    case 'viridis': {
      const t = clamp01(v) * (VIRIDIS.length - 1);
      const i = Math.min(VIRIDIS.length - 2, Math.floor(t));
      const f = t - i;
      const c0 = VIRIDIS[i]!;
      const c1 = VIRIDIS[i + 1]!;
      return [0, 1, 2].map((k) => Math.round(c0[k]! + f * (c1[k]! - c0[k]!))) as unknown as RgbColor;
    }
    default:
      throw new Error(`colormapRgb: unknown colormap '${String(map)}'`);
  }
}

/**
 * Read a tensor or a `Dense` array as `n` images of `h × w` (single channel): shape `[n, h, w]`, `[n, h, w, 1]`
 * or `[h, w]` (one image), `data` image after image, row by row.
 */
export function toImageStack(images: tf.Tensor | Dense<ArrayLike<number>>): { data: Float32Array; n: number; h: number; w: number } {
  const shape = images.shape.slice();
  const data = images instanceof tf.Tensor ? Float32Array.from(images.dataSync()) : Float32Array.from(images.data);
  let n: number;
  let h: number;
  let w: number;
  if (shape.length === 2) [n, h, w] = [1, shape[0]!, shape[1]!];
  else if (shape.length === 3) [n, h, w] = [shape[0]!, shape[1]!, shape[2]!];
  else if (shape.length === 4 && shape[3] === 1) [n, h, w] = [shape[0]!, shape[1]!, shape[2]!];
  else {
    throw new Error(`image grid: images must be [n, h, w], [n, h, w, 1] or [h, w], got [${shape.join(', ')}]; ` +
      'for feature maps [1, h, w, c] use featureMapsToImages, for Conv2D kernels filtersToImages');
  }
  if (data.length !== n * h * w) throw new Error(`image grid: shape [${shape.join(', ')}] needs ${n * h * w} values, got ${data.length}`);
  return { data, n, h, w };
}

/**
 * The `c` channels of one feature map (特征图) as `c` images.
 * @param maps `[1, h, w, c]` or `[h, w, c]` activations (e.g. a Conv2D layer's output for one digit).
 * @returns a `Dense` stack of images `[c, h, w]`.
 */
export function featureMapsToImages(maps: tf.Tensor): Dense {
  const s = maps.shape;
  if (!(s.length === 3 || (s.length === 4 && s[0] === 1))) {
    throw new Error(`featureMapsToImages: expected [1, h, w, c] or [h, w, c], got [${s.join(', ')}]; slice one example first`);
  }
  const [h, w, c] = s.slice(-3) as [number, number, number];
  const src = maps.dataSync();
  const data = new Float32Array(c * h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) data[k * h * w + y * w + x] = src[(y * w + x) * c + k]!;
  return { data, shape: [c, h, w] };
}

/**
 * The filters (卷积核) of a Conv2D kernel for one input channel as images.
 * @param kernel `[kh, kw, inChannels, outChannels]`, as `conv.getWeights()[0]`.
 * @returns a `Dense` stack of images `[outChannels, kh, kw]`.
 */
export function filtersToImages(kernel: tf.Tensor, inputChannel = 0): Dense {
  const s = kernel.shape;
  if (s.length !== 4) throw new Error(`filtersToImages: a Conv2D kernel is [kh, kw, in, out], got [${s.join(', ')}]`);
  const [kh, kw, cin, cout] = s as [number, number, number, number];
  if (inputChannel < 0 || inputChannel >= cin) throw new Error(`filtersToImages: inputChannel ${inputChannel} is not in 0..${cin - 1}`);
  const src = kernel.dataSync();
  const data = new Float32Array(cout * kh * kw);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let o = 0; o < cout; o++) data[o * kh * kw + y * kw + x] = src[((y * kw + x) * cin + inputChannel) * cout + o]!;
    }
  }
  return { data, shape: [cout, kh, kw] };
}

/**
 * Tile images into one RgbColor PNG.
 *
 * @param images `[n, h, w]` / `[n, h, w, 1]` tensor or `Dense` array (e.g. MNIST digits in [0, 1]).
 * @returns PNG bytes; width = columns × cell + padding, where a cell is `w × scale` wide
 *   (wider if a caption needs it) and `h × scale` tall plus a caption line.
 */
export function imageGridPng(images: tf.Tensor | Dense<ArrayLike<number>>, options: ImageGridOptions = {}): Buffer {
  const { data, n, h, w } = toImageStack(images);
  if (n === 0) throw new Error('imageGridPng: no images to draw');
  const scale = options.scale ?? 2;
  const pad = options.padding ?? 2;
  const map = options.colormap ?? 'gray';
  const normalize = options.normalize ?? 'none';
  const captions = options.captions;
  if (captions && captions.length !== n) throw new Error(`imageGridPng: ${captions.length} captions for ${n} images; give one per image`);
  const cs = options.captionScale ?? 2;
  const columns = Math.max(1, Math.min(n, options.columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / columns);
  const bg = options.background ?? [255, 255, 255];
  const ink = options.captionColor ?? [20, 20, 20];
  const tileW = w * scale;
  const tileH = h * scale;
  const capW = captions ? Math.max(...captions.map((c) => captionWidth(c, cs))) : 0;
  const cellW = Math.max(tileW, capW);
  const capH = captions ? GLYPH_H * cs + 2 * Math.max(1, Math.round(cs)) : 0;
  const cellH = tileH + capH;
  const width = columns * cellW + (columns + 1) * pad;
  const height = rows * cellH + (rows + 1) * pad;
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) out.set(bg, i * 3);

  // Value ranges for normalisation.
  const range = (from: number, to: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < to; i++) {
      const v = data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  };
  const globalRange = normalize === 'global' ? range(0, data.length) : null;
  const norm = (v: number, lo: number, hi: number): number => {
    if (normalize === 'none') return v;
    if (map === 'diverging') {
      const m = Math.max(Math.abs(lo), Math.abs(hi));
      return m > 0 ? v / m : 0;
    }
    return hi > lo ? (v - lo) / (hi - lo) : 0;
  };

  for (let k = 0; k < n; k++) {
    const col = k % columns;
    const row = Math.floor(k / columns);
    const x0 = pad + col * (cellW + pad) + Math.floor((cellW - tileW) / 2);
    const y0 = pad + row * (cellH + pad);
    const [lo, hi] = globalRange ?? range(k * h * w, (k + 1) * h * w);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const rgb = colormapRgb(norm(data[k * h * w + y * w + x]!, lo, hi), map);
        for (let dy = 0; dy < scale; dy++) {
          let p = ((y0 + y * scale + dy) * width + x0 + x * scale) * 3;
          for (let dx = 0; dx < scale; dx++, p += 3) out.set(rgb, p);
        }
      }
    }
    if (captions) {
      const caption = captions[k]!;
      let cx = pad + col * (cellW + pad) + Math.floor((cellW - captionWidth(caption, cs)) / 2);
      const cy = y0 + tileH + Math.max(1, Math.round(cs));
      for (const part of captionParts(caption)) {
        const color = part.color ?? ink;
        for (const ch of part.text) {
          const g = glyph(ch);
          for (let gy = 0; gy < GLYPH_H; gy++) {
            for (let gx = 0; gx < GLYPH_W; gx++) {
              if (g[gy]![gx] !== '#') continue;
              for (let dy = 0; dy < cs; dy++) {
                for (let dx = 0; dx < cs; dx++) {
                  const px = cx + gx * cs + dx;
                  const py = cy + gy * cs + dy;
                  if (px >= 0 && px < width && py >= 0 && py < height) out.set(color, (py * width + px) * 3);
                }
              }
            }
          }
          cx += (GLYPH_W + 1) * cs;
        }
      }
    }
  }
  return encodePng(out, width, height, 3);
}

/** `imageGridPng` and show it (a PNG output in a notebook, one line of text elsewhere). */
export function showImageGrid(images: tf.Tensor | Dense<ArrayLike<number>>, options: ImageGridOptions = {}): void {
  showPng(imageGridPng(images, options));
}
