// Two processes fetching the same dataset at the same time (a learner's kernel and `npm run data`): both must end
// with the right files, and the cache must never hold a partial or wrong file under a final name, at any moment.
// Two real child processes run ensureDataset against a local HTTP server that serves a small dataset slowly and
// holds a first request up to 3 s for a second one (without the fetch lock both processes then download at once);
// meanwhile this process reads every final file it sees in the cache.
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { ensureDataset } from '../../src/data/download';
import { DataManifest, DatasetName, DatasetSpec } from '../../src/data/manifest';
import { writeZip } from '../../src/data/zip';

const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');
const ALPHA = Buffer.from(Array.from({ length: 6000 }, (_, i) => `${i},${(i * 7919) % 1000}\n`).join(''));
const BETA = crypto.randomBytes(150_000);
const ZIP = writeZip([{ name: 'pair/beta.bin', data: BETA, compress: false }]);

let server: http.Server;
let base = '';
let tmp = '';
const requests: Record<string, number> = {};
const waiting: (() => void)[] = [];

/** Send `body` in 4 KiB pieces, 4 ms apart (about 0.2 s for ALPHA, 0.15 s for the zip). */
function trickle(res: http.ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  let at = 0;
  const next = (): void => {
    if (at >= body.length) return void res.end();
    res.write(body.subarray(at, at + 4096));
    at += 4096;
    setTimeout(next, 4);
  };
  next();
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-download-race-'));
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests[url] = (requests[url] ?? 0) + 1;
    const body = url === '/pair/alpha.csv' ? ALPHA : url === '/pair/beta.zip' ? ZIP : null;
    if (!body) {
      res.writeHead(404);
      return void res.end();
    }
    // Hold the answer until a second process asks for this file too, or 3 s passed.
    let timer: NodeJS.Timeout | undefined;
    const go = (): void => {
      clearTimeout(timer);
      trickle(res, body);
    };
    if (requests[url] >= 2) {
      go();
      waiting.splice(0).forEach((w) => w());
    } else {
      waiting.push(go);
      timer = setTimeout(() => { const i = waiting.indexOf(go); if (i >= 0) waiting.splice(i, 1)[0]!(); }, 3000);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function manifest(): DataManifest {
  const spec = {
    name: 'pair' as DatasetName, title: 'pair', description: 'two files', usedFor: ['tests'], licence: { name: 'CC0' },
    redistribute: true, citation: ['none'], homepage: ['http://example.invalid/'],
    files: [{ path: 'alpha.csv', size: ALPHA.length, sha256: sha256(ALPHA) }, { path: 'beta.bin', size: BETA.length, sha256: sha256(BETA) }],
    sources: [
      { type: 'url', url: `${base}/pair/alpha.csv`, format: 'file', files: ['alpha.csv'] },
      { type: 'url', url: `${base}/pair/beta.zip`, format: 'zip', files: ['beta.bin'] },
    ],
  } as DatasetSpec;
  return { version: 1, datasets: [spec], dir: tmp };
}

// DOWNLOAD_UNDER_TEST=<path of another download.ts> runs the two children on that version (e.g. an older one).
const DOWNLOAD_MODULE = process.env.DOWNLOAD_UNDER_TEST ?? path.join(__dirname, '..', '..', 'src', 'data', 'download.ts');

/** Run ensureDataset('pair') in a child process (ts-node); resolves with its exit code and output. */
function fetchInChild(cacheDir: string): Promise<{ code: number | null; out: string }> {
  const script = `
    const { ensureDataset } = require(${JSON.stringify(DOWNLOAD_MODULE)});
    const manifest = JSON.parse(process.env.PAIR_MANIFEST);
    ensureDataset('pair', { manifest, cacheDir: process.env.PAIR_CACHE, mirror: null, quiet: true, offline: false })
      .then((r) => console.log(JSON.stringify({ fetched: r.fetched, files: r.files })))
      .catch((e) => { console.error(e.message); process.exit(2); });`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, PAIR_MANIFEST: JSON.stringify(manifest()), PAIR_CACHE: cacheDir, COURSE_DATA_VERIFY: '' },
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

test('two processes fetching the same dataset at once both end with verified files; no partial file is ever visible', async () => {
  const cacheDir = path.join(tmp, 'cache');
  const dsDir = path.join(cacheDir, 'pair');
  const expected: Record<string, Buffer> = { 'alpha.csv': ALPHA, 'beta.bin': BETA };
  // Watch the cache while the two run: every file under a final name must be complete and right when read.
  const seen: Record<string, number> = { 'alpha.csv': 0, 'beta.bin': 0 };
  const bad: string[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      for (const name of Object.keys(expected)) {
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(path.join(dsDir, name));
        } catch {
          continue; // not there yet
        }
        seen[name]!++;
        if (!bytes.equals(expected[name]!)) bad.push(`${name}: ${bytes.length} bytes, sha256 ${sha256(bytes).slice(0, 12)}`);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const [a, b] = await Promise.all([fetchInChild(cacheDir), fetchInChild(cacheDir)]);
  watching = false;
  await watch;
  expect([a.code, b.code]).toEqual([0, 0]);
  for (const r of [a, b]) {
    const result = JSON.parse(r.out.trim().split('\n').pop()!) as { fetched: number; files: Record<string, string> };
    expect(result.files).toEqual({ 'alpha.csv': path.join(dsDir, 'alpha.csv'), 'beta.bin': path.join(dsDir, 'beta.bin') });
  }
  // One process downloaded each file once; the other waited on its lock and took the files from the cache (without the
  // lock, both downloaded both: 2 + 2 requests).
  expect([requests['/pair/alpha.csv'], requests['/pair/beta.zip']]).toEqual([1, 1]);
  const fetched = [a, b].map((r) => (JSON.parse(r.out.trim().split('\n').pop()!) as { fetched: number }).fetched);
  expect(fetched.sort()).toEqual([0, 2]);
  expect(bad).toEqual([]);
  expect(seen['alpha.csv']! + seen['beta.bin']!).toBeGreaterThan(0);
  // The cache ends with the two files and the stamp, no temporary file, and the stamp is valid JSON.
  expect(fs.readdirSync(dsDir).sort()).toEqual(['.verified.json', 'alpha.csv', 'beta.bin']); // and the lock is gone
  expect(JSON.parse(fs.readFileSync(path.join(dsDir, '.verified.json'), 'utf8')).version).toBe(1);
  for (const name of Object.keys(expected)) expect(fs.readFileSync(path.join(dsDir, name)).equals(expected[name]!)).toBe(true);
  // A third user of the cache finds everything without a download (it may hash files the other process replaced).
  const before = { ...requests };
  const third = await ensureDataset('pair', { manifest: manifest(), cacheDir, mirror: null, quiet: true, verify: 'stamp' });
  expect(third.fetched).toBe(0);
  expect(requests).toEqual(before);
}, 120_000);
