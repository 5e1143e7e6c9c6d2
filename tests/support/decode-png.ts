// Test helper: decode the PNGs `src/data/png.ts` writes (RGB, one IDAT stream, filter 0 on every row) back to pixels.
import { inflateSync } from 'zlib';
import { pngSize } from '../../src/data/png';

export interface DecodedPng {
  width: number;
  height: number;
  /** `[r, g, b]` of pixel (x, y). */
  rgb: (x: number, y: number) => number[];
}

export function decodeRgbPng(png: Buffer): DecodedPng {
  const { width, height } = pngSize(png);
  const parts: Buffer[] = [];
  let p = 8;
  while (p < png.length) {
    const len = png.readUInt32BE(p);
    if (png.toString('ascii', p + 4, p + 8) === 'IDAT') parts.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(parts));
  const stride = width * 3 + 1;
  if (raw.length !== height * stride) throw new Error(`decodeRgbPng: ${raw.length} bytes, expected ${height} rows of ${stride}`);
  return { width, height, rgb: (x, y) => [...raw.subarray(y * stride + 1 + x * 3, y * stride + 1 + x * 3 + 3)] };
}
