/**
 * `npm run data [-- <names>] [--from <folder>] [--quick] [--offline] [--list]`
 *
 * Fetches and verifies the course datasets listed in data/manifest.json: cache, then the mirror
 * `COURSE_DATA_MIRROR` (CI: ../shared/datasets), then the canonical URLs. Every file is hashed
 * (sha256, or the accepted md5) unless --quick, which trusts files verified before whose size
 * and mtime have not changed. Exit status 1 when any dataset could not be verified.
 *
 *   npm run data                                  # all datasets
 *   npm run data -- german-credit breastmnist     # some
 *   npm run data -- neu-surface-defect-det --from ~/Downloads/NEU-DET
 */
import * as path from 'path';
import { DatasetError, dataCacheDir, dataMirror, ensureDataset } from '../src/data/download';
import { formatBytes } from '../src/notebook/progress';
import { DATASET_NAMES, loadDataManifest } from '../src/data/manifest';

const USAGE = `usage: npm run data [-- <name> ...] [--from <folder>] [--quick] [--offline] [--list]
  <name>           one or more of: ${DATASET_NAMES.join(', ')} (default: all)
  --from <folder>  import files from a folder you downloaded (matched by path, then by file name)
  --quick          trust files verified before (size + mtime unchanged) instead of hashing them
  --offline        do not try the canonical URLs (also COURSE_DATA_OFFLINE=1)
  --list           list the datasets with licence and size, and exit
environment: COURSE_DATA_MIRROR (folder or http(s) URL holding <name>/<file>; relative to the course folder),
             COURSE_DATA_CACHE (default data/cache)`;

async function main(argv: string[]): Promise<number> {
  const names: string[] = [];
  let from: string | undefined;
  let quick = false;
  let offline: boolean | undefined;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (a === '--from') {
      from = argv[++i];
      if (!from) {
        console.error('--from needs a folder\n' + USAGE);
        return 2;
      }
    } else if (a.startsWith('--from=')) from = a.slice('--from='.length);
    else if (a === '--quick') quick = true;
    else if (a === '--offline') offline = true;
    else if (a === '--list') list = true;
    else if (a.startsWith('-')) {
      console.error(`unknown option ${a}\n${USAGE}`);
      return 2;
    } else names.push(a);
  }
  const manifest = loadDataManifest();
  const known = manifest.datasets.map((d) => d.name as string);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`unknown dataset${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${known.join(', ')}`);
    return 2;
  }
  const chosen = names.length > 0 ? names : known;
  if (list) {
    for (const d of manifest.datasets) {
      const count = d.files ? d.files.length : d.fileList!.count;
      console.log(`${d.name.padEnd(30)} ${String(count).padStart(5)} files  ${d.licence.name}${d.redistribute ? '' : '  (do not redistribute)'}\n    ${d.title}`);
    }
    return 0;
  }
  const mirror = dataMirror();
  console.log(`cache: ${dataCacheDir()}`);
  console.log(`mirror: ${mirror ? ('dir' in mirror ? mirror.dir : mirror.url) : '(COURSE_DATA_MIRROR not set)'}`);
  let failed = 0;
  for (const name of chosen) {
    const spec = manifest.datasets.find((d) => d.name === name)!;
    try {
      const got = await ensureDataset(name, { verify: quick ? 'stamp' : 'full', from, offline, manifest, progressStream: process.stderr });
      const variants = [...new Set(Object.values(got.variants))];
      const where = [...new Set(Object.values(got.sources))];
      const n = Object.keys(got.files).length;
      const check = spec.files?.some((f) => f.accept?.some((a) => !a.sha256)) ? 'sha256/md5' : 'sha256';
      const checked = got.hashed + got.fetched;
      const how = checked === n ? 'all hashed now' : checked === 0 ? 'unchanged since last verified' : `${checked} hashed now`;
      console.log(`✔ ${name}: ${n} file${n > 1 ? 's' : ''} verified (${check}, ${how}), ${formatBytes(got.bytes)}, ${got.seconds.toFixed(2)} s`);
      const inPackage = where.find((w) => w.startsWith('package '));
      const folder = inPackage ? path.dirname(Object.values(got.files)[0]!) : got.dir;
      console.log(`    from ${where.map((w) => (w.startsWith('cache ') ? 'the cache' : w)).join(', ')}; files in ${folder}`);
      if (variants.length !== 1 || variants[0] !== 'manifest') console.log(`    variant: ${variants.join('; ')}`);
      console.log(`    licence: ${spec.licence.name}${spec.redistribute ? '' : ' — research use only: never commit, publish or redistribute these files'}`);
    } catch (err) {
      failed++;
      const text = err instanceof DatasetError || err instanceof Error ? err.message : String(err);
      console.error(`✘ ${name}: not verified\n${text.split('\n').map((l) => '    ' + l).join('\n')}`);
    }
  }
  if (failed > 0) {
    console.error(`\n${failed} of ${chosen.length} dataset${chosen.length > 1 ? 's' : ''} not verified (see above).`);
    return 1;
  }
  console.log(`\nall ${chosen.length} dataset${chosen.length > 1 ? 's' : ''} verified.`);
  return 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
