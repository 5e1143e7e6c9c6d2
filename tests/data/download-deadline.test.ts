// The dataset's overall deadline is one AbortSignal carried by every request: it stops a download whose body
// trickles (bytes keep coming, so the idle timeout never fires) as well as a server that never answers.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { DatasetError, downloadDataFile, ensureDataset } from '../../src/data/download';
import { DataManifest, DatasetName, DatasetSpec } from '../../src/data/manifest';

const BODY = Buffer.alloc(4000, 0x62);
const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');
let server: http.Server;
let base = '';
let tmp = '';

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-download-deadline-'));
  server = http.createServer((req, res) => {
    // 40 bytes every 20 ms: 2 s for the whole body, never idle for long.
    res.writeHead(200, { 'content-length': BODY.length });
    let at = 0;
    const timer: NodeJS.Timeout = setInterval(() => {
      if (at >= BODY.length) return void (clearInterval(timer), res.end());
      res.write(BODY.subarray(at, at + 40));
      at += 40;
    }, 20);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a body that trickles past the deadline is stopped at the deadline and discarded; the next source is skipped', async () => {
  const spec = {
    name: 'slow' as DatasetName, title: 'slow', description: 'slow', usedFor: ['tests'], licence: { name: 'CC0' }, redistribute: true,
    citation: ['none'], homepage: ['http://example.invalid/'], files: [{ path: 'b.bin', size: BODY.length, sha256: sha256(BODY) }],
    sources: [{ type: 'url', url: `${base}/one/b.bin`, format: 'file', files: ['b.bin'] }, { type: 'url', url: `${base}/two/b.bin`, format: 'file', files: ['b.bin'] }],
  } as DatasetSpec;
  const manifest: DataManifest = { version: 1, datasets: [spec], dir: tmp };
  const cacheDir = path.join(tmp, 'cache');
  const t0 = Date.now();
  const err = await ensureDataset('slow', { manifest, cacheDir, mirror: null, quiet: true, timeoutMs: 60_000, deadlineMs: 500 })
    .catch((e: unknown) => e) as DatasetError;
  const seconds = (Date.now() - t0) / 1000;
  expect(err.code).toBe('missing');
  const messages = err.attempts!.filter((a) => a.source.startsWith(base)).map((a) => a.message);
  expect(messages).toEqual([
    expect.stringMatching(/one\/b\.bin: stopped: the dataset's download deadline \(1 s in all\) passed/),
    expect.stringMatching(/skipped: the dataset's download deadline \(1 s\) had passed/),
  ]);
  expect(seconds).toBeLessThan(1.8); // stopped at 0.5 s, not after the 2 s body
  expect(fs.readdirSync(path.join(cacheDir, 'slow'))).toEqual([]); // the partial body was discarded
  // Without a deadline the same body arrives whole.
  const whole = await downloadDataFile(`${base}/one/b.bin`, path.join(tmp, 'b.bin'), [{ variant: 'manifest', size: BODY.length, sha256: sha256(BODY) }], { quiet: true });
  expect(whole.digest.size).toBe(BODY.length);
});
