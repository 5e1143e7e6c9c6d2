import { inflateSync } from 'zlib';
import { crc32, encodePng, pngSize, showPng } from '../../src/data/png';

/** Split a PNG into its chunks, checking every CRC. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  let p = 8;
  while (p < png.length) {
    const len = png.readUInt32BE(p);
    const type = png.toString('ascii', p + 4, p + 8);
    const data = png.subarray(p + 8, p + 8 + len);
    expect(png.readUInt32BE(p + 8 + len)).toBe(crc32(png, p + 4, p + 8 + len));
    out.push({ type, data });
    p += 12 + len;
  }
  return out;
}

test('crc32 matches the published check values', () => {
  expect(crc32(Buffer.from('IEND', 'ascii'))).toBe(0xae426082);
  expect(crc32(Buffer.from('123456789', 'ascii'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array(0))).toBe(0);
});

test('encodePng writes IHDR, IDAT and IEND; the rows inflate back to the pixels', () => {
  const pixels = Uint8Array.from([0, 64, 128, 255, 10, 20]); // 3×2 grey
  const png = encodePng(pixels, 3, 2, 1);
  const cs = chunks(png);
  expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const ihdr = cs[0]!.data;
  expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).toEqual([3, 2, 8, 0, 0, 0, 0]);
  expect([...inflateSync(cs[1]!.data)]).toEqual([0, 0, 64, 128, 0, 255, 10, 20]);
  expect(pngSize(png)).toEqual({ width: 3, height: 2 });
});

test('RGB and RGBA use colour types 2 and 6', () => {
  const rgb = encodePng(new Uint8Array(2 * 2 * 3).fill(200), 2, 2, 3);
  expect(chunks(rgb)[0]!.data[9]).toBe(2);
  expect([...inflateSync(chunks(rgb)[1]!.data)]).toEqual([0, 200, 200, 200, 200, 200, 200, 0, 200, 200, 200, 200, 200, 200]);
  const rgba = encodePng(new Uint8Array(4), 1, 1, 4);
  expect(chunks(rgba)[0]!.data[9]).toBe(6);
});

test('wrong sizes are explained', () => {
  expect(() => encodePng(new Uint8Array(5), 3, 2, 1)).toThrow(/expected 2×3×1 = 6 bytes, got 5/);
  expect(() => encodePng(new Uint8Array(0), 0, 1, 1)).toThrow(/positive integers/);
  expect(() => pngSize(new Uint8Array(30))).toThrow(/not a PNG/);
});

test('showPng prints a one-line summary outside a notebook', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const png = encodePng(new Uint8Array([0, 255]), 2, 1, 1);
    showPng(png);
    expect(log).toHaveBeenCalledWith(`[png] 2×1, ${png.length} bytes`);
  } finally {
    log.mockRestore();
  }
});
