/**
 * Real datasets in tests, on any clone. A test that needs a dataset finds it the way the course does — the verified
 * cache (`data/cache`, filled by `npm run data`) or the mirror (`COURSE_DATA_MIRROR`) — and never in a folder next to
 * the checkout. When neither has it, the test is **not run**, loudly: it is skipped under a name that says which
 * dataset is missing and how to get it, and listed in build/jest-not-run.jsonl, which `npm test` prints and counts.
 * With COURSE_REQUIRE_DATA=1 (CI) a missing dataset fails the test instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { dataCacheDir } from '../../src/data/download';
import { DatasetName, datasetFiles, getDatasetSpec, loadDataManifest } from '../../src/data/manifest';

const ROOT = path.join(__dirname, '..', '..');
export const NOT_RUN_FILE = path.join(ROOT, 'build', 'jest-not-run.jsonl');

function holds(dir: string, name: DatasetName): boolean {
  const manifest = loadDataManifest();
  const files = datasetFiles(getDatasetSpec(name, manifest), manifest.dir);
  return files.length > 0 && files.every((f) => fs.existsSync(path.join(dir, name, f.path)));
}

/** The mirror folder from COURSE_DATA_MIRROR (relative: from the course folder), or null. */
export function mirrorDir(): string | null {
  const m = process.env.COURSE_DATA_MIRROR;
  if (!m || /^https?:/i.test(m)) return null;
  return path.resolve(ROOT, m);
}

/** A folder holding `<name>/<file>` for every file of dataset `name`: the mirror, else the cache; null when neither. */
export function findDataRoot(name: DatasetName): string | null {
  for (const dir of [mirrorDir(), dataCacheDir()]) if (dir && holds(dir, name)) return dir;
  return null;
}

/** `findDataRoot(name)`, or a folder that does not exist (only tests that `dataTest(name)` runs use it). */
export function dataRoot(name: DatasetName): string {
  return findDataRoot(name) ?? path.join(ROOT, 'build', `missing-dataset-${name}`);
}

function howToGet(name: DatasetName): string {
  return name === 'neu-surface-defect-det'
    ? 'it needs a manual download (no stable URL; research use only): see data/README.md, then npm run data -- neu-surface-defect-det --from <folder>'
    : `npm run data -- ${name} (downloads and verifies it), or set COURSE_DATA_MIRROR`;
}

/** `test` when every dataset named is there; otherwise a not-run test (or, with COURSE_REQUIRE_DATA=1, a failing one). */
export function dataTest(...names: DatasetName[]): jest.It {
  const missing = names.filter((n) => findDataRoot(n) === null);
  return gated(missing.length === 0, `dataset missing: ${missing.map((n) => `${n} — ${howToGet(n)}`).join('; ')}`);
}

/** Like `dataTest`, for tests of the mirror itself (copying from it, its PROVENANCE.md files): COURSE_DATA_MIRROR must hold the datasets. */
export function mirrorTest(...names: DatasetName[]): jest.It {
  const dir = mirrorDir();
  const missing = names.filter((n) => !dir || !holds(dir, n));
  return gated(missing.length === 0, dir
    ? `the mirror ${dir} lacks ${missing.join(', ')}`
    : 'COURSE_DATA_MIRROR is not set — a folder of <dataset>/<file> with PROVENANCE.md files, as a classroom mirror or CI has');
}

function gated(present: boolean, reason: string): jest.It {
  if (present) return test;
  if (process.env.COURSE_REQUIRE_DATA === '1') {
    return ((title: string) => test(title, () => { throw new Error(`COURSE_REQUIRE_DATA=1 and ${reason}`); })) as unknown as jest.It;
  }
  return ((title: string) => {
    fs.mkdirSync(path.dirname(NOT_RUN_FILE), { recursive: true });
    fs.appendFileSync(NOT_RUN_FILE, JSON.stringify({ suite: path.basename(expect.getState().testPath ?? ''), test: title, reason }) + '\n');
    test.skip(`${title} [not run: ${reason}]`, () => undefined);
  }) as unknown as jest.It;
}
