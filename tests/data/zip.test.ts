import * as fs from 'fs';
import { dataRoot, dataTest } from '../support/datasets';
import * as path from 'path';
import * as zlib from 'zlib';
import { readZip, readZipFile, writeZip, zipCrc32 } from '../../src/data/zip';

const MIRROR = dataRoot('breastmnist');
const NPZ = path.resolve(__dirname, '..', '..', MIRROR, 'breastmnist', 'breastmnist.npz');

test('zipCrc32 matches the standard check value and zlib', () => {
  expect(zipCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  const data = Buffer.from('The quick brown fox jumps over the lazy dog');
  expect(zipCrc32(data)).toBe(0x414fa339);
  // Streaming: crc of the halves chained equals crc of the whole.
  expect(zipCrc32(data.subarray(20), zipCrc32(data.subarray(0, 20)))).toBe(0x414fa339);
  // The gzip trailer holds the same CRC-32.
  const gz = zlib.gzipSync(data);
  expect(gz.readUInt32LE(gz.length - 8)).toBe(zipCrc32(data));
});

test('writeZip / readZip round trip, stored and deflated', () => {
  const a = Buffer.from('hello '.repeat(1000));
  const b = Buffer.from([0, 1, 2, 3, 255]);
  const zip = readZip(writeZip([{ name: 'dir/a.txt', data: a }, { name: 'b.bin', data: b, compress: false }]), 'mem.zip');
  expect(zip.names).toEqual(['dir/a.txt', 'b.bin']);
  expect(zip.entry('dir/a.txt').method).toBe(8);
  expect(zip.entry('dir/a.txt').compressedSize).toBeLessThan(a.length / 10);
  expect(zip.entry('b.bin').method).toBe(0);
  expect(zip.read('dir/a.txt').equals(a)).toBe(true);
  expect(zip.read('b.bin').equals(b)).toBe(true);
  expect(zip.has('nope')).toBe(false);
  expect(() => zip.read('nope')).toThrow("mem.zip: no member 'nope' in the archive; it holds dir/a.txt, b.bin");
});

test('a member that inflates past the size its directory gives is refused at that size (a decompression bomb)', () => {
  // 100 MB of zeros deflate to about 100 KB; the directory is then edited to claim 1,000 bytes.
  const bomb = Buffer.from(writeZip([{ name: 'bomb.bin', data: Buffer.alloc(100 * 1024 * 1024) }]));
  const central = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  bomb.writeUInt32LE(1000, central + 24);
  const zip = readZip(bomb, 'bomb.zip');
  expect(zip.entry('bomb.bin').size).toBe(1000);
  expect(bomb.length).toBeLessThan(200 * 1024);
  expect(() => zip.read('bomb.bin')).toThrow("bomb.zip: member 'bomb.bin': inflates past the 1000 bytes its directory entry gives; refused before inflating further");
});

dataTest('breastmnist')('the real BreastMNIST .npz (ZIP64 local headers from NumPy) lists the members PROVENANCE.md gives', () => {
  const zip = readZipFile(NPZ);
  const sizes = Object.fromEntries(zip.entries.map((e) => [e.name, [e.size, e.compressedSize, e.method]]));
  expect(sizes).toEqual({
    'train_images.npy': [428192, 389597, 8], 'train_labels.npy': [674, 200, 8],
    'val_images.npy': [61280, 56509, 8], 'val_labels.npy': [206, 95, 8],
    'test_images.npy': [122432, 112283, 8], 'test_labels.npy': [284, 112, 8],
  });
  expect(zip.read('train_images.npy').length).toBe(428192);
});

test('damaged archives give errors that name the file', () => {
  const good = writeZip([{ name: 'a.txt', data: Buffer.from('some text that is long enough to deflate '.repeat(20)) }]);
  expect(() => readZip(Buffer.from('not a zip at all, no signature here'), 'x.zip')).toThrow(/x\.zip: no ZIP signature found/);
  // Cut off the end: the central directory is gone.
  expect(() => readZip(good.subarray(0, good.length - 30), 'cut.zip')).toThrow(/cut\.zip: the end-of-central-directory record is missing/);
  // Flip a byte of the compressed data: CRC (or inflate) fails.
  const flipped = Buffer.from(good);
  flipped[40] ^= 0x55;
  expect(() => readZip(flipped, 'flip.zip').read('a.txt')).toThrow(/flip\.zip: member 'a\.txt': (CRC-32 mismatch|DEFLATE data is corrupt|decompressed to)/);
  // An unsupported compression method (e.g. 12 = bzip2).
  const bz = Buffer.from(good);
  const cd = bz.readUInt32LE(bz.length - 6);
  bz.writeUInt16LE(12, cd + 10);
  expect(() => readZip(bz, 'bz.zip').read('a.txt')).toThrow(/bz\.zip: member 'a\.txt' uses compression method 12; only 0 \(stored\) and 8 \(deflate\)/);
});

test('ZIP64 sizes in the central directory extra field are read', () => {
  // Rewrite a stored member's central-directory sizes as 0xffffffff with a ZIP64 extra field.
  const data = Buffer.from('zip64 member');
  const plain = writeZip([{ name: 'z.txt', data, compress: false }]);
  const cdOffset = plain.readUInt32LE(plain.length - 6);
  const local = plain.subarray(0, cdOffset);
  const central = Buffer.from(plain.subarray(cdOffset, plain.length - 22));
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(20, 30);
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(1, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(BigInt(data.length), 4);
  extra.writeBigUInt64LE(BigInt(data.length), 12);
  const cd = Buffer.concat([central, extra]);
  const eocd = Buffer.from(plain.subarray(plain.length - 22));
  eocd.writeUInt32LE(cd.length, 12);
  const zip = readZip(Buffer.concat([local, cd, eocd]), 'z64.zip');
  expect(zip.entry('z.txt').size).toBe(data.length);
  expect(zip.read('z.txt').toString()).toBe('zip64 member');
});
