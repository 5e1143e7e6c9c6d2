/**
 * NumPy `.npy` and `.npz` files (NumPy 数组文件) read into typed arrays, and written back.
 *
 * A `.npy` file is a magic string, a version, a Python-dict header (`descr` = dtype,
 * `fortran_order`, `shape`) and the raw data. A `.npz` is a ZIP of `.npy` members (src/data/zip.ts).
 * Arrays come back in C order (row-major; Fortran-order files are transposed) with native byte
 * order.
 *
 * ```ts
 * const npz = readNpz('data/cache/breastmnist/breastmnist.npz');
 * npz.names;                         // ['train_images', 'train_labels', ...]
 * const x = npz.get('train_images'); // { dtype: 'uint8', shape: [546, 28, 28], data: Uint8Array(428064) }
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { Dense, sizeOf } from './dense';
import { readZip, writeZip } from './zip';

/** The dtypes this reader understands (NumPy names). */
export type NpyDtype = 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

export type NpyData = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/** A `Dense` array with its NumPy dtype: `data` holds `sizeOf(shape)` values in C order. */
export interface NpyArray extends Dense<NpyData> {
  dtype: NpyDtype;
}

interface DtypeInfo {
  dtype: NpyDtype;
  size: number;
  make: (buffer: ArrayBuffer) => NpyData;
}

const DTYPES: Record<string, DtypeInfo> = {
  b1: { dtype: 'bool', size: 1, make: (b) => new Uint8Array(b) },
  i1: { dtype: 'int8', size: 1, make: (b) => new Int8Array(b) },
  u1: { dtype: 'uint8', size: 1, make: (b) => new Uint8Array(b) },
  i2: { dtype: 'int16', size: 2, make: (b) => new Int16Array(b) },
  u2: { dtype: 'uint16', size: 2, make: (b) => new Uint16Array(b) },
  i4: { dtype: 'int32', size: 4, make: (b) => new Int32Array(b) },
  u4: { dtype: 'uint32', size: 4, make: (b) => new Uint32Array(b) },
  i8: { dtype: 'int64', size: 8, make: (b) => new BigInt64Array(b) },
  u8: { dtype: 'uint64', size: 8, make: (b) => new BigUint64Array(b) },
  f4: { dtype: 'float32', size: 4, make: (b) => new Float32Array(b) },
  f8: { dtype: 'float64', size: 8, make: (b) => new Float64Array(b) },
};
const DESCR_OF: Record<NpyDtype, string> = {
  bool: '|b1', int8: '|i1', uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4',
  int64: '<i8', uint64: '<u8', float32: '<f4', float64: '<f8',
};
const SUPPORTED = Object.values(DESCR_OF).join(', ');
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** C-order copy of Fortran-order data (`out[i0,...,ik] = in[i0 + s0*(i1 + s1*(...))]`). */
function fortranToC(src: Uint8Array, shape: number[], itemSize: number): Uint8Array {
  const n = sizeOf(shape);
  const out = new Uint8Array(src.length);
  const nd = shape.length;
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let d = 0; d < nd; d++) { fStride[d] = s; s *= shape[d]!; }
  const idx = new Array<number>(nd).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let d = 0; d < nd; d++) f += idx[d]! * fStride[d]!;
    out.set(src.subarray(f * itemSize, (f + 1) * itemSize), c * itemSize);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Parse one `.npy` file held in memory. Errors name `file` and the problem: bad magic,
 * unknown dtype (the supported ones are listed), object arrays, or data shorter than the shape.
 */
export function parseNpy(bytes: Uint8Array, file = '<npy>'): NpyArray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') {
    throw new Error(`${file}: not a .npy file (the magic '\\x93NUMPY' is missing)`);
  }
  const major = buf[6]!;
  let headerLen: number;
  let headerStart: number;
  if (major === 1) { headerLen = buf.readUInt16LE(8); headerStart = 10; }
  else if (major === 2 || major === 3) { headerLen = buf.readUInt32LE(8); headerStart = 12; }
  else throw new Error(`${file}: .npy format version ${major}.${buf[7]} is not supported (1.0, 2.0 and 3.0 are)`);
  const dataStart = headerStart + headerLen;
  if (dataStart > buf.length) throw new Error(`${file}: the header runs past the end of the file (truncated)`);
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', headerStart, dataStart);
  const descrMatch = /'descr'\s*:\s*'([^']*)'/.exec(header);
  if (!descrMatch) {
    throw new Error(`${file}: the header has no simple 'descr' (structured dtypes are not supported): ${header.trim()}`);
  }
  const descr = descrMatch[1]!;
  const fortranMatch = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!fortranMatch || !shapeMatch) throw new Error(`${file}: the header lacks fortran_order or shape: ${header.trim()}`);
  const shape = shapeMatch[1]!.split(',').map((t) => t.trim()).filter((t) => t !== '').map((t) => {
    const v = Number(t.replace(/L$/, ''));
    if (!Number.isInteger(v) || v < 0) throw new Error(`${file}: bad dimension '${t}' in shape (${shapeMatch[1]})`);
    return v;
  });
  const order = descr[0]!;
  const info = /^[<>|=]/.test(descr) ? DTYPES[descr.slice(1)] : DTYPES[descr];
  if (!info) {
    throw new Error(`${file}: dtype '${descr}' is not supported; supported: ${SUPPORTED} (big-endian '>' forms too). ` +
      'Convert the array in NumPy, e.g. a.astype(np.float32), and save it again.');
  }
  const count = sizeOf(shape);
  const need = count * info.size;
  const have = buf.length - dataStart;
  if (have < need) {
    throw new Error(`${file}: shape (${shape.join(', ')}) of ${info.dtype} needs ${need} data bytes but the file has ${have} (truncated)`);
  }
  // Copy into a fresh, aligned buffer.
  let raw: Uint8Array = new Uint8Array(need);
  raw.set(buf.subarray(dataStart, dataStart + need));
  const bigEndian = order === '>' || (order === '=' && !LITTLE_ENDIAN);
  if (info.size > 1 && bigEndian === LITTLE_ENDIAN) {
    for (let i = 0; i < need; i += info.size) raw.subarray(i, i + info.size).reverse();
  }
  if (fortranMatch[1] === 'True' && shape.length > 1) raw = fortranToC(raw, shape, info.size);
  return { dtype: info.dtype, shape, data: info.make(raw.buffer as ArrayBuffer) };
}


/** A `.npy` file's bytes for an array (little-endian, C order, format 1.0). */
export function encodeNpy(array: NpyArray): Buffer {
  const { dtype, shape, data } = array;
  const descr = DESCR_OF[dtype];
  if (!descr) throw new Error(`encodeNpy: unknown dtype '${dtype}'`);
  if (sizeOf(shape) !== data.length) throw new Error(`encodeNpy: shape (${shape.join(', ')}) holds ${sizeOf(shape)} values but data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre[0] = 0x93;
  pre.write('NUMPY', 1, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (!LITTLE_ENDIAN) throw new Error('encodeNpy: big-endian hosts are not supported');
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

/** The arrays of an `.npz` archive, decoded on first `get`. */
export interface NpzArchive {
  file: string;
  /** Array names (member names without `.npy`). */
  names: string[];
  has(name: string): boolean;
  /** The array `name`; a missing one is an error naming the file and the arrays it does hold. */
  get(name: string): NpyArray;
}

/** Parse an `.npz` archive held in memory. */
export function parseNpz(bytes: Uint8Array, file = '<npz>'): NpzArchive {
  const zip = readZip(bytes, file);
  const members = new Map<string, string>();
  for (const n of zip.names) if (n.endsWith('.npy')) members.set(n.slice(0, -4), n);
  const names = [...members.keys()];
  const cache = new Map<string, NpyArray>();
  return {
    file,
    names,
    has: (name) => members.has(name),
    get(name: string): NpyArray {
      const hit = cache.get(name);
      if (hit) return hit;
      const member = members.get(name);
      if (!member) {
        throw new Error(`${file}: no array '${name}' in this .npz; it holds ${names.join(', ') || 'no arrays'}. ` +
          'The file is not the expected one: run `npm run data` to fetch and verify it.');
      }
      const arr = parseNpy(zip.read(member), `${file}:${member}`);
      cache.set(name, arr);
      return arr;
    },
  };
}

/** Read an `.npz` archive from disk. Arrays are decompressed when first asked for. */
export function readNpz(file: string): NpzArchive {
  return parseNpz(fs.readFileSync(file), file);
}

/** Write arrays as an `.npz` (deflate unless `compress: false`), atomically (temp file + rename). */
export function writeNpz(file: string, arrays: Record<string, NpyArray>, options: { compress?: boolean } = {}): void {
  const zip = writeZip(Object.entries(arrays).map(([name, a]) => ({ name: `${name}.npy`, data: encodeNpy(a), compress: options.compress !== false })));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  fs.writeFileSync(tmp, zip);
  fs.renameSync(tmp, file);
}
