/**
 * Resizing images held as plain arrays (图像缩放), before they become tensors. Pixels are
 * `[h, w, channels]` in row-major (HWC) order.
 *
 * - `'bilinear'`: half-pixel centres, the same numbers as
 *   `tf.image.resizeBilinear(x, [outH, outW], false, true)`.
 * - `'area'`: each output pixel is the mean of the source area it covers (fractional pixels
 *   weighted by overlap), like OpenCV's INTER_AREA; the better choice for shrinking.
 *
 * ```ts
 * const small = resizePixels(gray200, 200, 200, 1, 64, 64, 'area');   // Float32Array(64 * 64)
 * ```
 */

export type ResizeMethod = 'bilinear' | 'area';

function check(src: ArrayLike<number>, h: number, w: number, c: number, outH: number, outW: number): void {
  for (const [name, v] of [['h', h], ['w', w], ['channels', c], ['outH', outH], ['outW', outW]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`resizePixels: ${name} must be a positive integer, got ${v}`);
  }
  if (src.length !== h * w * c) throw new Error(`resizePixels: expected ${h}×${w}×${c} = ${h * w * c} values, got ${src.length}`);
}

/** Bilinear resize with half-pixel centres (see the module doc). */
export function resizePixelsBilinear(src: ArrayLike<number>, h: number, w: number, c: number, outH: number, outW: number): Float32Array {
  check(src, h, w, c, outH, outW);
  const out = new Float32Array(outH * outW * c);
  const sy = h / outH;
  const sx = w / outW;
  const x0s = new Int32Array(outW);
  const x1s = new Int32Array(outW);
  const fxs = new Float32Array(outW);
  for (let x = 0; x < outW; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
    x0s[x] = Math.floor(fx);
    x1s[x] = Math.min(x0s[x]! + 1, w - 1);
    fxs[x] = fx - x0s[x]!;
  }
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const dx = fxs[x]!;
      const a = (y0 * w + x0s[x]!) * c;
      const b = (y0 * w + x1s[x]!) * c;
      const d = (y1 * w + x0s[x]!) * c;
      const e = (y1 * w + x1s[x]!) * c;
      const o = (y * outW + x) * c;
      for (let k = 0; k < c; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * dx;
        const bottom = src[d + k]! + (src[e + k]! - src[d + k]!) * dx;
        out[o + k] = top + (bottom - top) * dy;
      }
    }
  }
  return out;
}

/** For each output index along one axis: the source indices it overlaps and the overlap fractions (flat arrays). */
function areaWeights(inSize: number, outSize: number): { offset: Int32Array; index: Int32Array; weight: Float64Array } {
  const scale = inSize / outSize;
  const offset = new Int32Array(outSize + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * scale;
    const end = (o + 1) * scale;
    for (let i = Math.floor(start); i < Math.min(Math.ceil(end), inSize); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 1e-9) {
        index.push(i);
        weight.push(overlap / scale);
      }
    }
    offset[o + 1] = index.length;
  }
  return { offset, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

/** Area-average resize (see the module doc); separable: rows first, then columns. */
export function resizePixelsArea(src: ArrayLike<number>, h: number, w: number, c: number, outH: number, outW: number): Float32Array {
  check(src, h, w, c, outH, outW);
  const wy = areaWeights(h, outH);
  const wx = areaWeights(w, outW);
  // Horizontal pass: [h, outW, c].
  const tmp = new Float64Array(h * outW * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < outW; x++) {
      const o = (y * outW + x) * c;
      for (let j = wx.offset[x]!; j < wx.offset[x + 1]!; j++) {
        const p = (y * w + wx.index[j]!) * c;
        const wt = wx.weight[j]!;
        for (let k = 0; k < c; k++) tmp[o + k] += src[p + k]! * wt;
      }
    }
  }
  // Vertical pass: [outH, outW, c].
  const out = new Float32Array(outH * outW * c);
  const rowLen = outW * c;
  for (let y = 0; y < outH; y++) {
    const o = y * rowLen;
    for (let j = wy.offset[y]!; j < wy.offset[y + 1]!; j++) {
      const p = wy.index[j]! * rowLen;
      const wt = wy.weight[j]!;
      for (let q = 0; q < rowLen; q++) out[o + q] += tmp[p + q]! * wt;
    }
  }
  return out;
}

/** Resize `[h, w, c]` pixels to `[outH, outW, c]` with `method` (default 'bilinear'). Same size: a Float32Array copy. */
export function resizePixels(src: ArrayLike<number>, h: number, w: number, c: number, outH: number, outW: number,
  method: ResizeMethod = 'bilinear'): Float32Array {
  if (method !== 'bilinear' && method !== 'area') throw new Error(`resizePixels: method must be 'bilinear' or 'area', got '${String(method)}'`);
  if (outH === h && outW === w) {
    check(src, h, w, c, outH, outW);
    return Float32Array.from(src);
  }
  return method === 'area' ? resizePixelsArea(src, h, w, c, outH, outW) : resizePixelsBilinear(src, h, w, c, outH, outW);
}

/**
 * Resize a batch of n images `[n, h, w, c]` (row-major, one after another) to `[n, outH, outW, c]`,
 * each with `resizePixels`. E.g. 1,800 gray 200×200 scans to 96×96:
 * `tf.tensor4d(resizeImageBatch(pixels, 1800, 200, 200, 1, 96, 96, 'area'), [1800, 96, 96, 1])`.
 */
export function resizeImageBatch(src: ArrayLike<number>, n: number, h: number, w: number, c: number,
  outH: number, outW: number, method: ResizeMethod = 'bilinear'): Float32Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`resizeImageBatch: n must be an integer ≥ 0, got ${n}`);
  const one = h * w * c;
  if (src.length !== n * one) throw new Error(`resizeImageBatch: expected ${n}×${h}×${w}×${c} = ${n * one} values, got ${src.length}`);
  const flat = src instanceof Float32Array ? src : Float32Array.from(src);
  const outOne = outH * outW * c;
  const out = new Float32Array(n * outOne);
  for (let i = 0; i < n; i++) out.set(resizePixels(flat.subarray(i * one, (i + 1) * one), h, w, c, outH, outW, method), i * outOne);
  return out;
}
