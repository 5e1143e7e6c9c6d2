#!/usr/bin/env node
// @ts-check
// `npm run claims -- <notebook ...> [--seeds 5 | --seeds 0,1,2] [--paths default,isa-avx2] [--fresh] [--list]`
//
// The claim study: runs each notebook (full profile, headless, like `npm run notebooks`) once per seed offset
// and CPU code path, collects what its `checkClaim` calls record, and stores the summary — per claim every value,
// mean, sd, min, max and the bound the notebook asserts — in data/claims/<notebook>.json. Finished runs are kept
// in build/claims/ and reused while the notebook's code cells and the course's backend code (src/backends/: which
// kernels compute the numbers) are unchanged (a long study can be stopped and resumed; a run of older code is rerun); so are the runs of the committed study on the same CPU, so a study can be finished in a
// fresh clone; --fresh reruns them all.
//
// Code paths (the same machine computes different numbers under each):
//   default       no setting: the best instruction set oneDNN finds, TensorFlow's default thread count
//   isa-avx512    ONEDNN_MAX_CPU_ISA=AVX512_CORE (differs from default on AMX machines)
//   isa-avx2      ONEDNN_MAX_CPU_ISA=AVX2 (differs from default on AVX-512 machines)
//   isa-sse41     ONEDNN_MAX_CPU_ISA=SSE41 (differs from default on every AVX machine)
//   threads-1     TF_NUM_INTRAOP_THREADS=1 (another summation order in every multi-threaded kernel)
//   unfused       COURSE_NATIVE_FUSION=0 (the native backend without the fused conv/dense kernels: the path on which the
//                 studies before December 2026 were made; add it to a study to bound a claim across both)
// The default pair is `default` and the next lower instruction set this CPU has (AVX-512 → isa-avx2, AVX2 → isa-sse41).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const c = require('./common');
const { resolveNotebooks } = require('./notebooks');
const { readNotebook, sourceOf, isBookExport } = require('./nb-format');

/**
 * @typedef {import('../src/notebook/claims').ClaimStudy} ClaimStudy
 * @typedef {import('../src/notebook/claims').ClaimRecord} ClaimRecord
 * @typedef {{ cpu: string, cores: number, isa: string }} Machine
 * @typedef {{ seed: number, path: string, codeHash?: string, backendCode?: string, ok: boolean, seconds: number, failure?: string,
 *   records: ClaimRecord[], reused?: boolean, unhashed?: boolean, fromStore?: boolean }} Run   one notebook execution, kept in build/claims/
 */

/** @type {Record<string, Record<string, string>>} */
const PATHS = {
  default: {},
  'isa-avx512': { ONEDNN_MAX_CPU_ISA: 'AVX512_CORE' },
  'isa-avx2': { ONEDNN_MAX_CPU_ISA: 'AVX2' },
  'isa-sse41': { ONEDNN_MAX_CPU_ISA: 'SSE41' },
  'threads-1': { TF_NUM_INTRAOP_THREADS: '1' },
  unfused: { COURSE_NATIVE_FUSION: '0' },
};
const USAGE = `usage: npm run claims -- <notebook ...> [--seeds N | --seeds a,b,c] [--paths ${Object.keys(PATHS).join(',')}] [--fresh] [--list]
  <notebook>   "05", "05-medical-imaging" or a path; several may be given
  --seeds      how many seed offsets (0..N-1), or a list (default 5)
  --paths      CPU code paths (default: default + the next lower instruction set of this CPU)
  --fresh      rerun runs already kept in build/claims/
  --list       print the stored studies' tables and exit`;

/** @returns {Machine} */
function cpuInfo() {
  const text = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = (text.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown CPU';
  const flags = new Set(((text.match(/^flags\s*:\s*(.*)$/m) || [])[1] || '').split(/\s+/));
  const isa = flags.has('amx_tile') ? 'AMX' : flags.has('avx512f') ? 'AVX-512' : flags.has('avx2') ? 'AVX2' : flags.has('avx') ? 'AVX' : 'SSE';
  // Virtual machines often name every generation alike ("AMD EPYC"): family and model tell Zen 1 from Zen 5.
  const family = (text.match(/^cpu family\s*:\s*(\d+)/m) || [])[1];
  const number = (text.match(/^model\s*:\s*(\d+)/m) || [])[1];
  const generation = family && number ? ` (family ${family}, model ${number})` : '';
  return { cpu: `${model.trim()}${generation}`, cores: os.cpus().length, isa };
}

/**
 * The default code paths: `default` and the next lower instruction set of this CPU.
 * @param {string} isa
 */
function defaultPaths(isa) {
  return ['default', isa === 'AMX' ? 'isa-avx512' : isa === 'AVX-512' ? 'isa-avx2' : 'isa-sse41'];
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ names: string[], seeds: number[], paths: string[] | null, fresh: boolean, list: boolean }} */
  const opts = { names: [], seeds: [0, 1, 2, 3, 4], paths: null, fresh: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    /** @returns {string} */
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) c.die('claims', `${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else if (a.startsWith('--seeds')) {
      const v = value();
      const list = v.includes(',') ? v.split(',').map(Number) : Array.from({ length: Number(v) }, (_, k) => k);
      if (list.length === 0 || list.some((s) => !Number.isInteger(s) || s < 0)) c.die('claims', `--seeds ${v}: give a count ≥ 1 or a list of whole numbers ≥ 0`);
      opts.seeds = list;
    } else if (a.startsWith('--paths')) {
      const paths = value().split(',');
      opts.paths = paths;
      const unknown = paths.filter((p) => !(p in PATHS));
      if (unknown.length) c.die('claims', `unknown code path ${unknown.join(', ')}; choose from ${Object.keys(PATHS).join(', ')}`);
    } else if (a === '--fresh') opts.fresh = true;
    else if (a === '--list') opts.list = true;
    else if (a.startsWith('-')) c.die('claims', `unknown option ${a}\n${USAGE}`);
    else opts.names.push(a);
  }
  return opts;
}

/**
 * Run one notebook under one seed offset and code path; returns { ok, seconds, failure, records }.
 * @param {string} python
 * @param {string} notebook
 * @param {number} seed
 * @param {string} pathName
 * @param {boolean} fresh
 * @returns {Run}
 */
function runOnce(python, notebook, seed, pathName, fresh) {
  const name = path.basename(notebook, '.ipynb');
  const dir = path.join(c.ROOT, 'build', 'claims', name, `${pathName}-seed${seed}`);
  const recordsFile = path.join(dir, 'claims.jsonl');
  const resultFile = path.join(dir, 'run.json');
  const code = codeHash(notebook);
  const backendCode = backendCodeHash();
  if (!fresh && fs.existsSync(resultFile)) {
    /** @type {Run} */
    const kept = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    // A kept run counts only if the notebook's code and the backend code are the code it ran (runs from before code
    // hashes are kept, and noted; runs from before backend hashes are rerun).
    if ((!kept.codeHash || kept.codeHash === code) && kept.backendCode === backendCode) return { ...kept, reused: true, ...(kept.codeHash ? {} : { unhashed: true }) };
    process.stdout.write(`(kept run is stale: the ${kept.backendCode === backendCode ? 'notebook\'s' : 'backend'} code changed since; rerunning) `);
  }
  // build/claims/ is gone in a fresh clone: a run stored in data/claims/ with the same code (notebook and backend) on the same CPU counts too,
  // so a long study can be finished later, on another day, from what was committed.
  if (!fresh) {
    const stored = storedRun(storedStudy(name), seed, pathName, code, cpuInfo(), backendCode);
    if (stored) return { ...stored, reused: true, fromStore: true };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(recordsFile, '');
  const summary = path.join(dir, 'summary.json');
  const env = c.jupyterEnv({
    ...PATHS[pathName], COURSE_PROFILE: 'full', COURSE_SEED_OFFSET: String(seed), COURSE_CLAIMS_OUT: recordsFile,
  });
  const t0 = Date.now();
  const r = spawnSync(python, [path.join(__dirname, 'run_notebooks.py'), '--out', dir, '--summary', summary, notebook],
    { cwd: c.ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (Date.now() - t0) / 1000;
  let failure;
  if (r.status !== 0) {
    const s = fs.existsSync(summary) ? JSON.parse(fs.readFileSync(summary, 'utf8'))[0] : null;
    failure = s && s.failure ? `cell ${s.failure.cell}: ${s.failure.first_line} — ${String(s.failure.error).split('\n')[0].slice(0, 300)}`
      : `runner exit ${r.status}: ${String(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`;
  }
  /** @type {ClaimRecord[]} */
  const records = fs.readFileSync(recordsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const result = { seed, path: pathName, codeHash: code, backendCode, ok: r.status === 0, seconds, ...(failure ? { failure } : {}), records };
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 1));
  return result;
}

/**
 * The stored study data/claims/<name>.json, or null when there is none or it does not parse.
 * @param {string} name
 * @returns {ClaimStudy | null}
 */
function storedStudy(name) {
  try {
    return readStudy(path.join(c.ROOT, 'data', 'claims', `${name}.json`));
  } catch {
    return null;
  }
}

/**
 * A study file, parsed; throws when it is missing or not JSON.
 * @param {string} file
 * @returns {ClaimStudy}
 */
function readStudy(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The stale studies owned up to in notebooks/stale-studies.json (notebook name → why its study is not rerun yet); {}
 * when there is no such file. Throws, naming the file and its form, when it is not a JSON object (staleStudies checks
 * that each entry gives a reason).
 * @param {string} [file]
 * @returns {Record<string, string>}
 */
function knownStaleStudies(file = path.join(c.ROOT, 'notebooks', 'stale-studies.json')) {
  if (!fs.existsSync(file)) return {};
  const where = path.relative(c.ROOT, file);
  let known;
  try {
    known = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${where}: not readable JSON (${/** @type {Error} */ (e).message}); it maps a notebook's name to why its claim study is not rerun yet, e.g. {"05-medical-imaging": "…"}`);
  }
  if (!known || typeof known !== 'object' || Array.isArray(known)) {
    throw new Error(`${where}: expected an object mapping a notebook's name to why its claim study is not rerun yet, e.g. {"05-medical-imaging": "…"}`);
  }
  return known;
}

/**
 * A run of a stored study, rebuilt as a kept run ({ seed, path, codeHash, backendCode, ok, seconds, records }), when the
 * study ran it with the same code (`code`, the hash of the notebook's code cells) and backend code (`backendCode`,
 * backendCodeHash) on the same CPU model, core count and instruction set as `machine`; otherwise null. Failed runs,
 * and runs from before the backend code was recorded, are not reused (they are rerun).
 * @param {ClaimStudy | null} study
 * @param {number} seed
 * @param {string} pathName
 * @param {string} code
 * @param {Machine} machine
 * @param {string} backendCode
 * @returns {Run | null}
 */
function storedRun(study, seed, pathName, code, machine, backendCode) {
  if (!study || !Array.isArray(study.runs) || !study.machine || !study.claims) return null;
  const m = study.machine;
  if (m.cpu !== machine.cpu || m.cores !== machine.cores || m.isa !== machine.isa) return null;
  const run = study.runs.find((r) => r.seed === seed && r.path === pathName);
  if (!run || !run.ok || run.code !== code || run.backendCode !== backendCode) return null;
  /** @type {ClaimRecord[]} */
  const records = [];
  for (const [key, row] of Object.entries(study.claims)) {
    const v = (row.values || []).find((x) => x.seed === seed && x.path === pathName);
    if (!v) continue;
    records.push({ key, text: row.text, direction: row.direction, value: v.value, seed, backend: m.backend,
      ...(row.target === undefined ? {} : { target: row.target }) });
  }
  return { seed, path: pathName, codeHash: code, backendCode, ok: true, seconds: run.seconds, records };
}

/**
 * The code cells' sources of a notebook, in order, without the cells tagged `book-export`: those run after every
 * claim (nb:check keeps them last; a study run refuses a claim recorded after an export), so they cannot change one.
 * @param {string} notebook
 * @returns {string[]}
 */
function codeSources(notebook) {
  return readNotebook(notebook).cells.filter((cell) => cell.cell_type === 'code' && !isBookExport(cell)).map(sourceOf);
}

/**
 * sha256 of a notebook's code cells (markdown edits do not make kept runs stale; code edits do).
 * @param {string} notebook
 */
function codeHash(notebook) {
  return require('crypto').createHash('sha256').update(JSON.stringify(codeSources(notebook))).digest('hex').slice(0, 16);
}

/**
 * The stored studies in `dir` that are not studies of their notebook's code as it is now: a study whose notebook is not
 * among `notebooks`, or one with a run of other code (or of unrecorded code) than the notebook's code cells hash to
 * today. Its bounds were measured on code that no longer runs, so the claims the notebook asserts with them are not
 * measured (a notebook edit, even one meant to change no number, needs its study rerun). One line per stale study,
 * naming the fix and how long the study took. A stale study listed in `known` (notebooks/stale-studies.json: name → why it
 * is not rerun yet) is not a problem; a listed one that is not stale is (the list only shrinks).
 * @param {string[]} notebooks  the notebooks' paths
 * @param {string} [dir]  the studies' folder (data/claims)
 * @param {Record<string, string>} [known]  stale studies owned up to, by notebook name, with the reason
 * @returns {string[]}
 */
function staleStudies(notebooks, dir = path.join(c.ROOT, 'data', 'claims'), known = {}) {
  /** @type {string[]} */
  const problems = [];
  const unlisted = new Set(Object.keys(known));
  const byName = new Map(notebooks.map((f) => [path.basename(f, '.ipynb'), f]));
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  for (const f of files) {
    const name = path.basename(f, '.json');
    const where = path.relative(c.ROOT, path.join(dir, f));
    const notebook = byName.get(name);
    unlisted.delete(name);
    if (!notebook) {
      problems.push(`${where}: no notebook ${name}.ipynb; remove the study or rename it with its notebook`);
      continue;
    }
    /** @type {ClaimStudy | null} */
    let study = null;
    try {
      study = readStudy(path.join(dir, f));
    } catch (e) {
      problems.push(`${where}: not readable JSON (${/** @type {Error} */ (e).message}); rerun npm run claims -- ${name.slice(0, 2)}`);
      continue;
    }
    const runs = (study && Array.isArray(study.runs)) ? study.runs : [];
    const now = codeHash(notebook);
    const other = runs.filter((r) => r.code !== now);
    const stale = runs.length === 0 || other.length > 0;
    if (name in known) {
      if (!stale) problems.push(`notebooks/stale-studies.json: ${name}'s study is of its notebook's code now; remove it from the list`);
      else if (typeof known[name] !== 'string' || !known[name].trim()) problems.push(`notebooks/stale-studies.json: say why ${name}'s study is not rerun yet`);
      continue;
    }
    if (stale) {
      const minutes = Math.ceil(runs.reduce((t, r) => t + (r.seconds || 0), 0) / 60);
      const what = runs.length === 0 ? 'it has no runs' : `${other.length} of its ${runs.length} runs ran other code than ${path.relative(c.ROOT, notebook)} ` +
        `has now (its code cells hash to ${now}; those runs' to ${[...new Set(other.map((r) => r.code || 'unrecorded'))].join(', ')})`;
      problems.push(`${where}: ${what}, so the bounds the notebook asserts were not measured on its code. ` +
        `Fix: npm run claims -- ${name.slice(0, 2)} (the stored study took ~${minutes} min of runs)`);
    }
  }
  for (const name of unlisted) problems.push(`notebooks/stale-studies.json: there is no study data/claims/${name}.json; remove it from the list`);
  return problems;
}

/**
 * sha256 (first 16 hex digits) of the course's backend code, src/backends/ (file names and contents, sorted): the kernels
 * that compute a notebook's numbers. A default that changes there (e.g. fused kernels switched on) changes a run's
 * numbers without changing the notebook, so a committed run is reused only with the same backend code.
 * @param {string} [dir]
 */
function backendCodeHash(dir = path.join(c.ROOT, 'src', 'backends')) {
  const hash = require('crypto').createHash('sha256');
  /** @param {string} d */
  const walk = (d) => {
    for (const name of fs.readdirSync(d).sort()) {
      const file = path.join(d, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else hash.update(`${path.relative(dir, file)}\0`).update(fs.readFileSync(file)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Write a file whole or not at all (a temporary file renamed into place).
 * @param {string} file
 * @param {string} text
 */
function writeAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * @param {string[]} argv
 * @returns {number} the exit status
 */
function main(argv) {
  const opts = parseArgs(argv);
  const { python } = c.ensureAll();
  /** @type {typeof import('../src/notebook/claims')} */
  const claims = require(path.join(c.ROOT, 'build', 'lib', 'notebook', 'claims'));
  const dir = path.join(c.ROOT, 'data', 'claims');
  if (opts.list) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
    if (files.length === 0) console.log('no stored claim studies in data/claims/');
    for (const f of files) {
      const study = claims.loadClaimStudy(path.basename(f, '.json'), dir);
      console.log(`\n${claims.describeClaimStudy(study)}\n${claims.claimTable(study)}`);
    }
    return 0;
  }
  if (opts.names.length === 0) c.die('claims', `name the notebooks to study\n${USAGE}`);
  const notebooks = resolveNotebooks(opts.names);
  const machine = cpuInfo();
  const paths = opts.paths || defaultPaths(machine.isa);
  let status = 0;
  for (const notebook of notebooks) {
    const name = path.basename(notebook, '.ipynb');
    const total = paths.length * opts.seeds.length;
    console.log(`\n━━ claim study ${name}: seeds ${opts.seeds.join(', ')} × code paths ${paths.join(', ')} (${total} runs; ${machine.cpu}, ${machine.isa}) ━━`);
    /** @type {Run[]} */
    const runs = [];
    let k = 0;
    for (const seed of opts.seeds) {
      for (const p of paths) {
        k++;
        process.stdout.write(`[${k}/${total}] ${name} · ${p} · seed offset ${seed} … `);
        const r = runOnce(python, notebook, seed, p, opts.fresh);
        runs.push(r);
        const values = r.records.map((x) => `${x.key} ${Number(x.value.toFixed(4))}`).join(', ');
        const kept = r.unhashed ? '(kept from build/claims; ran before code hashes were recorded)'
          : r.fromStore ? `(kept from data/claims/${name}.json: same code, same CPU)` : '(kept from build/claims)';
        console.log(`${r.ok ? 'ok' : 'FAILED'} ${r.reused ? kept : `in ${r.seconds.toFixed(0)} s`}: ${values || 'no claims recorded'}`);
        if (!r.ok) console.log(`    ${r.failure}`);
      }
    }
    const backends = [...new Set(runs.flatMap((r) => r.records.map((x) => x.backend)))];
    const study = claims.buildClaimStudy({
      notebook: name,
      date: new Date().toISOString().slice(0, 10),
      profile: 'full',
      machine: { ...machine, node: process.version, backend: backends.join(' + ') || 'unknown' },
      seeds: opts.seeds,
      paths: paths.map((p) => ({ name: p, env: PATHS[p] || {} })),
      runs: runs.map((r) => ({ seed: r.seed, path: r.path, ok: r.ok, seconds: Math.round(r.seconds), ...(r.codeHash ? { code: r.codeHash } : {}), ...(r.backendCode ? { backendCode: r.backendCode } : {}), ...(r.failure ? { failure: r.failure } : {}) })),
    }, runs.map((r) => ({ seed: r.seed, path: r.path, records: r.records })));
    // Kept runs may hold claims the notebook no longer checks (it changed since): drop them, and say so.
    const source = codeSources(notebook).join('\n');
    for (const key of Object.keys(study.claims)) {
      if (!source.includes(`checkClaim(claims, '${key}'`)) {
        console.log(`note: ${name} no longer checks claim ${key}: dropped from the study`);
        delete study.claims[key];
      }
    }
    if (Object.keys(study.claims).length === 0) {
      console.log(`${name}: no claims were recorded (does the notebook call checkClaim?); nothing stored`);
      status = 1;
      continue;
    }
    const file = path.join(dir, `${name}.json`);
    writeAtomic(file, JSON.stringify(study, null, 1) + '\n');
    console.log(`\n${claims.describeClaimStudy(study)}\n${claims.claimTable(study)}\nstored in ${path.relative(c.ROOT, file)}`);
    const failed = runs.filter((r) => !r.ok);
    if (failed.length) {
      console.log(`${failed.length} of ${runs.length} runs failed a check that is not a claim (see above): the study is stored, and those checks need a look`);
      status = 1;
    }
    const short = Object.entries(study.claims).filter(([, row]) => row.n < runs.length);
    for (const [key, row] of short) console.log(`note: claim ${key} has ${row.n} values from ${runs.length} runs`);
  }
  return status;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
module.exports = { PATHS, defaultPaths, cpuInfo, storedRun, codeHash, backendCodeHash, staleStudies, knownStaleStudies };
