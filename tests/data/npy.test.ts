import * as fs from 'fs';
import { dataRoot, dataTest } from '../support/datasets';
import * as os from 'os';
import * as path from 'path';
import { encodeNpy, NpyArray, parseNpy, parseNpz, readNpz, writeNpz } from '../../src/data/npy';
import { readZipFile, writeZip } from '../../src/data/zip';

const MIRROR = dataRoot('breastmnist');
const NPZ = path.resolve(__dirname, '..', '..', MIRROR, 'breastmnist', 'breastmnist.npz');

/** A .npy file with a hand-written header, as NumPy lays it out (v1.0, padded to 64 bytes). */
function rawNpy(header: string, body: Uint8Array): Buffer {
  let h = header;
  const total = 10 + h.length + 1;
  h += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  return Buffer.concat([pre, Buffer.from(h, 'latin1'), Buffer.from(body)]);
}

test('encodeNpy writes the header NumPy writes, and parseNpy reads it back for every dtype', () => {
  const arrays: NpyArray[] = [
    { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 255]) },
    { dtype: 'int8', shape: [3], data: Int8Array.from([-1, 0, 1]) },
    { dtype: 'int16', shape: [2], data: Int16Array.from([-300, 300]) },
    { dtype: 'uint16', shape: [2], data: Uint16Array.from([0, 65535]) },
    { dtype: 'int32', shape: [2, 1], data: Int32Array.from([-5, 7]) },
    { dtype: 'uint32', shape: [1], data: Uint32Array.from([4e9]) },
    { dtype: 'int64', shape: [2], data: BigInt64Array.from([-2n, 2n ** 40n]) },
    { dtype: 'uint64', shape: [1], data: BigUint64Array.from([2n ** 63n]) },
    { dtype: 'float32', shape: [2, 2], data: Float32Array.from([0.5, -1.25, 3, 1e-3]) },
    { dtype: 'float64', shape: [], data: Float64Array.from([Math.PI]) },
    { dtype: 'bool', shape: [2], data: Uint8Array.from([1, 0]) },
  ];
  for (const a of arrays) {
    const bytes = encodeNpy(a);
    expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
    const back = parseNpy(bytes, 'x.npy');
    expect(back.dtype).toBe(a.dtype);
    expect(back.shape).toEqual(a.shape);
    expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(a.data as ArrayLike<unknown>));
  }
  expect(encodeNpy(arrays[0]!).subarray(10).toString('latin1')).toMatch(/^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(2, 3\), \} +\n/);
});

dataTest('breastmnist')('encodeNpy gives byte-for-byte the header NumPy wrote in the real BreastMNIST file', () => {
  const real = readZipFile(NPZ).read('train_images.npy');
  const npz = readNpz(NPZ);
  const mine = encodeNpy(npz.get('train_images'));
  expect(mine.subarray(0, 128).equals(real.subarray(0, 128))).toBe(true);
  expect(mine.equals(real)).toBe(true);
});

test('big-endian data is byte-swapped and Fortran order is transposed to C order', () => {
  const be = Buffer.alloc(8);
  be.writeInt32BE(1, 0);
  be.writeInt32BE(-2, 4);
  expect(Array.from(parseNpy(rawNpy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", be)).data as Int32Array)).toEqual([1, -2]);
  // a = [[0, 1, 2], [3, 4, 5]] stored column-major: 0 3 1 4 2 5.
  const f = parseNpy(rawNpy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", Uint8Array.from([0, 3, 1, 4, 2, 5])));
  expect(f.shape).toEqual([2, 3]);
  expect(Array.from(f.data as Uint8Array)).toEqual([0, 1, 2, 3, 4, 5]);
});

test('bad .npy input: unknown dtype, truncated data, bad magic, structured dtype', () => {
  expect(() => parseNpy(rawNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)), 'c.npy'))
    .toThrow(/c\.npy: dtype '<c8' is not supported; supported: \|b1, \|i1, \|u1.*<f8/);
  expect(() => parseNpy(rawNpy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)), 'o.npy'))
    .toThrow(/o\.npy: dtype '\|O' is not supported/);
  expect(() => parseNpy(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(12)), 't.npy'))
    .toThrow('t.npy: shape (4) of float32 needs 16 data bytes but the file has 12 (truncated)');
  expect(() => parseNpy(Buffer.from('PK\x03\x04 not npy'), 'm.npy')).toThrow(/m\.npy: not a \.npy file/);
  expect(() => parseNpy(rawNpy("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), 's.npy'))
    .toThrow(/s\.npy: the header has no simple 'descr'/);
});

test('npz: a missing array names the file and lists the arrays it has; unknown dtypes name the member', () => {
  const zip = writeZip([
    { name: 'x.npy', data: encodeNpy({ dtype: 'uint8', shape: [1], data: Uint8Array.from([7]) }) },
    { name: 'c.npy', data: rawNpy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16)) },
  ]);
  const npz = parseNpz(zip, 'arrays.npz');
  expect(npz.names).toEqual(['x', 'c']);
  expect(Array.from(npz.get('x').data as Uint8Array)).toEqual([7]);
  expect(() => npz.get('y')).toThrow(/arrays\.npz: no array 'y' in this \.npz; it holds x, c/);
  expect(() => npz.get('c')).toThrow(/arrays\.npz:c\.npy: dtype '<c16' is not supported/);
});

test('writeNpz writes atomically and readNpz reads it back', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-npy-'));
  try {
    const file = path.join(dir, 'a.npz');
    writeNpz(file, { w: { dtype: 'float32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) } });
    expect(fs.readdirSync(dir)).toEqual(['a.npz']);
    const w = readNpz(file).get('w');
    expect(w.shape).toEqual([2, 2]);
    expect(Array.from(w.data as Float32Array)).toEqual([1, 2, 3, 4]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

dataTest('breastmnist')('the real BreastMNIST .npz: arrays, dtypes and shapes as in PROVENANCE.md', () => {
  const npz = readNpz(NPZ);
  expect(npz.names.sort()).toEqual(['test_images', 'test_labels', 'train_images', 'train_labels', 'val_images', 'val_labels']);
  const shapes = Object.fromEntries(npz.names.map((n) => [n, [npz.get(n).dtype, npz.get(n).shape]]));
  expect(shapes).toEqual({
    train_images: ['uint8', [546, 28, 28]], train_labels: ['uint8', [546]],
    val_images: ['uint8', [78, 28, 28]], val_labels: ['uint8', [78]],
    test_images: ['uint8', [156, 28, 28]], test_labels: ['uint8', [156]],
  });
  const x = npz.get('train_images').data as Uint8Array;
  expect(x.reduce((m, v) => Math.max(m, v), 0)).toBeGreaterThan(200);
  expect(new Set(npz.get('train_labels').data as Uint8Array)).toEqual(new Set([0, 1]));
});
