/**
 * A small ZIP reader and writer (压缩包), enough for UCI downloads and NumPy `.npz` files:
 * stored (method 0) and DEFLATE (method 8) members, ZIP64 sizes and offsets, CRC-32 checked on
 * every read. Decompression is node's `zlib.inflateRawSync`.
 *
 * ```ts
 * const zip = readZip(fs.readFileSync('statlog.zip'), 'statlog.zip');
 * zip.names;                       // ['german.data', 'german.doc', ...]
 * const bytes = zip.read('german.data');   // Buffer, CRC-checked
 * const again = writeZip([{ name: 'a.txt', data: Buffer.from('hi') }]);
 * ```
 */
import * as fs from 'fs';
import * as zlib from 'zlib';

/** One member of a ZIP archive, as listed in its central directory. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  /** Uncompressed size in bytes. */
  size: number;
  crc32: number;
  /** Offset of the member's local header in the archive. */
  localHeaderOffset: number;
  encrypted: boolean;
}

/** A parsed archive: list members, read one (decompressed and CRC-checked). */
export interface ZipArchive {
  /** Name used in error messages (usually the file path). */
  file: string;
  entries: ZipEntry[];
  names: string[];
  has(name: string): boolean;
  /** The member called `name`; an unknown name is an error listing the members. */
  entry(name: string): ZipEntry;
  read(name: string): Buffer;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (the ZIP/gzip polynomial) of `data`, continuing from `crc` for streamed input. */
export function zipCrc32(data: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('ZIP64 value too large');
  return Number(v);
}

/**
 * Parse a ZIP archive held in memory. Errors name `file` and say what is wrong (not a zip,
 * truncated, unsupported method, CRC mismatch).
 */
export function readZip(data: Uint8Array, file = '<zip>'): ZipArchive {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const bad = (what: string): never => {
    throw new Error(`${file}: ${what}. The file is not a complete ZIP archive: download it again (or run \`npm run data\`).`);
  };
  if (buf.length < 22) bad(`only ${buf.length} bytes, too short for a ZIP archive`);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad(buf.readUInt32LE(0) === SIG_LOCAL ? 'the end-of-central-directory record is missing (truncated?)' : 'no ZIP signature found');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== SIG_ZIP64_LOCATOR) bad('ZIP64 locator missing');
    const z64 = u64(buf, loc + 8);
    if (z64 + 56 > buf.length || buf.readUInt32LE(z64) !== SIG_ZIP64_EOCD) bad('ZIP64 end record missing');
    count = u64(buf, z64 + 32);
    cdSize = u64(buf, z64 + 40);
    cdOffset = u64(buf, z64 + 48);
  }
  if (cdOffset + cdSize > buf.length) bad(`the central directory (${cdSize} bytes at ${cdOffset}) lies past the end of the file (${buf.length} bytes)`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== SIG_CENTRAL) bad(`central directory entry ${i} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    // ZIP64 extra field (id 1): the 64-bit values, in this order, for the fields set to 0xffffffff.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) { size = u64(buf, q); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = u64(buf, q); q += 8; }
        if (localHeaderOffset === 0xffffffff) { localHeaderOffset = u64(buf, q); q += 8; }
      }
      e += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, crc32: crc, localHeaderOffset, encrypted: (flags & 1) === 1 });
    p = extraEnd + commentLen;
  }
  const byName = new Map(entries.map((en) => [en.name, en]));
  const names = entries.map((en) => en.name);

  const entry = (name: string): ZipEntry => {
    const en = byName.get(name);
    if (!en) throw new Error(`${file}: no member '${name}' in the archive; it holds ${names.join(', ') || 'nothing'}`);
    return en;
  };

  const read = (name: string): Buffer => {
    const en = entry(name);
    const where = `${file}: member '${name}'`;
    if (en.encrypted) throw new Error(`${where} is encrypted; encrypted archives are not supported`);
    const h = en.localHeaderOffset;
    if (h + 30 > buf.length || buf.readUInt32LE(h) !== SIG_LOCAL) bad(`${where}: local header missing`);
    const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
    const end = start + en.compressedSize;
    if (end > buf.length) bad(`${where}: data ends at byte ${end}, past the end of the file (${buf.length} bytes)`);
    const raw = buf.subarray(start, end);
    let out: Buffer;
    if (en.method === 0) out = Buffer.from(raw);
    else if (en.method === 8) {
      try {
        // Never inflate past the size the directory gives: a decompression bomb (a few KB inflating to gigabytes)
        // is stopped at that size, before it can fill memory.
        out = zlib.inflateRawSync(raw, { maxOutputLength: en.size + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
          throw new Error(`${where}: inflates past the ${en.size} bytes its directory entry gives; refused before inflating further (a corrupt archive or a decompression bomb)`);
        }
        throw new Error(`${where}: DEFLATE data is corrupt (${(err as Error).message}); download the archive again`);
      }
    } else throw new Error(`${where} uses compression method ${en.method}; only 0 (stored) and 8 (deflate) are supported — re-save the archive with deflate`);
    if (out.length !== en.size) throw new Error(`${where}: decompressed to ${out.length} bytes, the directory says ${en.size}; the archive is corrupt`);
    const c = zipCrc32(out);
    if (c !== en.crc32) {
      throw new Error(`${where}: CRC-32 mismatch (expected ${en.crc32.toString(16).padStart(8, '0')}, got ${c.toString(16).padStart(8, '0')}); the archive is corrupt`);
    }
    return out;
  };

  return { file, entries, names, has: (name) => byName.has(name), entry, read };
}

/** Read a ZIP archive from disk (see `readZip`). */
export function readZipFile(file: string): ZipArchive {
  return readZip(fs.readFileSync(file), file);
}

/** A member to write: `compress` (default true) uses DEFLATE, otherwise it is stored. */
export interface ZipInput {
  name: string;
  data: Uint8Array;
  compress?: boolean;
}

/**
 * Build a ZIP archive in memory (no ZIP64: members and archive under 4 GB). Used to write
 * `.npz` files and test fixtures.
 */
export function writeZip(members: ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    const method = m.compress === false ? 0 : 8;
    const body = method === 8 ? zlib.deflateRawSync(data) : data;
    const crc = zipCrc32(data);
    if (offset + 30 + name.length + body.length > 0xffffffff) throw new Error(`writeZip: '${m.name}' would pass 4 GB; ZIP64 writing is not supported`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x00210000, 10); // time 00:00, date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(SIG_CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
