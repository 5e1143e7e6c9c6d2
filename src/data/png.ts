/**
 * A tiny PNG encoder (PNG 编码器) on Node's zlib, so that images — digit grids, filters,
 * feature maps — are shown as ordinary `image/png` outputs: data, not scripts, so they still
 * render when an executed notebook is reopened, and they need no canvas or browser.
 *
 * A PNG file is the 8-byte signature followed by chunks (length, type, data, CRC-32):
 * `IHDR` (width, height, bit depth 8, colour type), one or more `IDAT` (the zlib-deflated rows,
 * each row prefixed by a filter byte, here 0 = none) and `IEND`.
 *
 * ```ts
 * // a 2×1 image: one black and one white grey pixel
 * const bytes = encodePng(new Uint8Array([0, 255]), 2, 1, 1);
 * showPng(bytes);   // in a notebook: the image; elsewhere: "[png] 2×1, 69 bytes"
 * ```
 */
import { deflateSync } from 'zlib';
import { notebookDisplay } from '../notebook/display';

/** Channels per pixel: 1 grey, 3 RGB, 4 RGBA (8 bits each). */
export type PngChannels = 1 | 2 | 3 | 4;

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour type for each channel count: 0 grey, 4 grey+alpha, 2 RGB, 6 RGBA. */
const COLOUR_TYPE: Record<PngChannels, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

let crcTable: Uint32Array | null = null;

/** CRC-32 (polynomial 0xEDB88320) of `bytes`, as PNG chunks and zip files use it. `crc32(ascii('IEND'))` is 0xAE426082. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
  return out;
}

/**
 * Encode 8-bit pixels as a PNG file.
 *
 * @param pixels `height * width * channels` bytes, row by row, channels interleaved (HWC).
 * @param width image width in pixels (≥ 1).
 * @param height image height in pixels (≥ 1).
 * @param channels 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
 * @returns the bytes of a valid PNG file.
 */
export function encodePng(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: PngChannels = 1): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodePng: width and height must be positive integers, got ${width}×${height}`);
  }
  if (!(channels in COLOUR_TYPE)) throw new Error(`encodePng: channels must be 1, 2, 3 or 4, got ${channels}`);
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new Error(`encodePng: expected ${height}×${width}×${channels} = ${stride * height} bytes, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOUR_TYPE[channels];
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  // Each scanline starts with its filter type; 0 (None) keeps the encoder trivial.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from(PNG_SIGNATURE),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Width and height stored in a PNG's IHDR chunk (a quick check that bytes are a PNG). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 24 || !b.subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE)) || b.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('pngSize: these bytes are not a PNG file (bad signature or no IHDR chunk first)');
  }
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/**
 * Show PNG bytes: in a notebook as an `image/png` output (base64, renders when reopened),
 * elsewhere as one line of text. Returns nothing (like `show`), so a cell ending with it prints no bytes.
 */
export function showPng(bytes: Uint8Array): void {
  const d = notebookDisplay();
  if (d) {
    d.raw('image/png', Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'));
  } else {
    const { width, height } = pngSize(bytes);
    console.log(`[png] ${width}×${height}, ${bytes.length} bytes`);
  }
}
