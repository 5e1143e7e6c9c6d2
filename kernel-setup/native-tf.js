#!/usr/bin/env node
// @ts-check
// Native TensorFlow for the course without Google storage.
//
// `@tensorflow/tfjs-node` normally downloads libtensorflow from storage.googleapis.com when it
// installs. Where that host is blocked the install fails (it is an optional dependency, so npm
// simply drops it) and the course falls back to WebAssembly or pure JS. This script gets the same
// C library from the `tensorflow-cpu` pip wheel instead (through whatever PyPI index or mirror pip
// is configured with), puts it where tfjs-node's build expects it and compiles the binding:
//
//   1. wheel:   python3 -m pip download tensorflow-cpu==2.21.0 (pinned, sha256 checked) -> build/native/
//   2. package: node_modules/tfjs-node-native (npm install --no-save --ignore-scripts restores it)
//   3. deps:    deps/lib/libtensorflow.so.2.9.1, libtensorflow_framework.so.2.9.1 (+ .so links),
//               deps/include/ with the C API headers
//   4. build:   node-pre-gyp install --build-from-source
//   5. check:   load the binding in a fresh process and multiply two matrices
//
// usage: npm run native [-- --wheel path/to/tensorflow_cpu-*.whl] [-- --force]
// If you have a mirror of Google's libtensorflow archives instead, tfjs-node's own installer
// reads TFJS_NODE_CDN_STORAGE (see README).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const PKG = path.join(ROOT, 'node_modules', 'tfjs-node-native');
const CACHE = path.join(ROOT, 'build', 'native');
// The one wheel native TensorFlow is built from, pinned by version, file and sha256. Only its two shared libraries
// and C headers are used, so the wheel for CPython 3.11 serves whatever Python is installed (pip is asked for it
// explicitly). Another wheel is refused unless its sha256 is given in COURSE_TF_WHEEL_SHA256 (with --wheel FILE, or
// COURSE_TF_WHEEL=<pip spec>).
const TF_PIN = {
  spec: 'tensorflow-cpu==2.21.0',
  file: 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl',
  sha256: '2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c',
};
const TF_WHEEL_SPEC = process.env.COURSE_TF_WHEEL || TF_PIN.spec;
const TF_WHEEL_SHA256 = (process.env.COURSE_TF_WHEEL_SHA256 || TF_PIN.sha256).toLowerCase();
const TFJS_LIB_VERSION = '2.9.1'; // the file names tfjs-node 4.22's build looks for
// Reviewed patches to the binding's C++ sources (kernel-setup/patches/*.patch, applied with `patch -p1` in the package
// before it is compiled), each pinned to the sha256 of the pristine file it changes (tfjs-node 4.22.0). A patch that
// does not apply is skipped with a warning: the binding is then built as shipped and the course keeps its unfused
// kernels (src/backends/native-fused.ts probes the binding at run time). COURSE_NATIVE_FUSION=0 skips them all.
const PATCH_DIR = path.join(__dirname, 'patches');
const PATCHES = [
  { file: 'tfjs-node-4.22-list-attrs.patch', target: 'binding/tfjs_backend.cc',
    pristineSha256: '37a6a6f29e0be5e6ba17fe2b7c943a730f1069eaa8a536fd42ea22b0c56695f7' },
];
/** Written next to the compiled binding: the patches it was compiled with (so a newly applied patch forces a rebuild). */
const PATCH_STAMP = 'course-patches.json';

/** @param {string} msg */
function log(msg) { console.log(`[native-tf] ${msg}`); }
/**
 * @param {string} msg
 * @returns {never}
 */
function fail(msg) {
  console.error(`[native-tf] ${msg}`);
  console.error('[native-tf] The course still works without this step (WebAssembly or cpu backend).');
  process.exit(1);
}
/**
 * Run a command, inheriting stdio; true when it exits 0.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('child_process').SpawnSyncOptions} [opts]
 */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status === 0;
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ wheel: string | undefined, force: boolean }} */
  const out = { wheel: undefined, force: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--wheel') out.wheel = argv[++i];
    else if (argv[i] === '--force') out.force = true;
    else fail(`unknown argument ${argv[i]} (expected --wheel PATH or --force)`);
  }
  return out;
}

/**
 * Does native TensorFlow work the way the course uses it? The course's own selection (build/lib/backends/backend): the util
 * helpers Node ≥ 23 removed are provided, then real ops — a matMul and conv2d gradients — must give the right numbers.
 */
function bindingWorks() {
  const probe = "const b=require('./build/lib/backends/backend');" +
    "b.selectBackend({env:{COURSE_BACKEND:'tensorflow'}})" +
    ".then((i)=>console.log('[native-tf] check: Node '+process.version+', '+b.describeBackend(i)))" +
    ".catch((e)=>{console.error(e.message);process.exit(3);});";
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
  return { ok: r.status === 0, stderr: String(r.stderr || '') };
}

/**
 * Is `patchFile` applied to the sources in `pkg`, applicable, or neither? (`patch -p1 --dry-run`, reverse then forward.)
 * @param {string} pkg
 * @param {string} patchFile
 * @returns {'applied' | 'applicable' | 'conflict' | 'no-patch-tool'}
 */
function patchState(pkg, patchFile) {
  const dry = (/** @type {string[]} */ extra) => spawnSync('patch', ['-p1', '--dry-run', '--batch', '--silent', '-f', ...extra, '-i', patchFile],
    { cwd: pkg, encoding: 'utf8' });
  const reverse = dry(['-R']);
  if (reverse.error) return 'no-patch-tool';
  if (reverse.status === 0) return 'applied';
  return dry([]).status === 0 ? 'applicable' : 'conflict';
}

/**
 * Apply the course's binding patches to `pkg` (unless COURSE_NATIVE_FUSION=0). Returns the names of the patches the
 * sources now carry; a patch that cannot be applied is reported and left out (the binding builds without it).
 * @param {string} pkg
 * @param {NodeJS.ProcessEnv} env
 */
function applyPatches(pkg, env = process.env) {
  /** @type {string[]} */
  const applied = [];
  if (env.COURSE_NATIVE_FUSION === '0') {
    // Build as shipped: a patch applied by an earlier run is reversed (the stamp then differs, so the binding is rebuilt).
    for (const p of PATCHES) {
      const file = path.join(PATCH_DIR, p.file);
      if (patchState(pkg, file) !== 'applied') continue;
      const r = spawnSync('patch', ['-p1', '-R', '--batch', '--silent', '-f', '-i', file], { cwd: pkg, encoding: 'utf8' });
      if (r.status === 0) log(`COURSE_NATIVE_FUSION=0: reversed ${p.file}`);
      else { log(`COURSE_NATIVE_FUSION=0: could not reverse ${p.file}: the binding keeps it`); applied.push(p.file); }
    }
    if (applied.length === 0) log('COURSE_NATIVE_FUSION=0: the binding is built without the course\'s patches');
    return applied;
  }
  for (const p of PATCHES) {
    const file = path.join(PATCH_DIR, p.file);
    const state = patchState(pkg, file);
    if (state === 'applied') { applied.push(p.file); continue; }
    const target = path.join(pkg, p.target);
    const sha = fs.existsSync(target) ? sha256File(target) : 'missing';
    if (state !== 'applicable' || sha !== p.pristineSha256) {
      log(`patch ${p.file} skipped (${state === 'no-patch-tool' ? 'no `patch` program' : `${p.target} is not the pinned ` +
        `tfjs-node 4.22.0 file (sha256 ${sha.slice(0, 12)}…)`}): the binding is built as shipped, without fused kernels`);
      continue;
    }
    const r = spawnSync('patch', ['-p1', '--batch', '--silent', '-f', '-i', file], { cwd: pkg, encoding: 'utf8' });
    if (r.status === 0) { log(`applied ${p.file} to ${p.target}`); applied.push(p.file); }
    else log(`patch ${p.file} failed (${String(r.stdout || r.stderr).trim().slice(0, 200)}): built without it`);
  }
  return applied;
}

/** The patches the compiled binding was built with (its stamp), or null when there is no stamp. */
function builtPatches(pkg = PKG) {
  try {
    return /** @type {string[]} */ (JSON.parse(fs.readFileSync(path.join(pkg, 'lib', 'napi-v8', PATCH_STAMP), 'utf8')).patches);
  } catch {
    return null;
  }
}

/**
 * The sha256 of a file, streamed (the wheel is about 270 MB).
 * @param {string} file
 */
function sha256File(file) {
  const hash = require('crypto').createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    let n;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Null when `file` has the expected sha256, else a sentence naming the file, both hashes and the fix.
 * @param {string} file
 */
function wheelProblem(file, expected = TF_WHEEL_SHA256) {
  const actual = sha256File(file);
  if (actual === expected) return null;
  return `${file}: sha256 ${actual} is not the pinned ${expected} (${TF_PIN.file}). ` +
    'Native TensorFlow is built only from the pinned wheel: delete the file to download it again, or, to build from ' +
    'another wheel on purpose, set COURSE_TF_WHEEL_SHA256 to its sha256.';
}

/**
 * The pinned wheel: `explicit` if given (and its hash is right), else the cached one, downloaded with pip if missing.
 * @param {string | undefined} explicit
 * @returns {string}
 */
function findWheel(explicit) {
  if (explicit) {
    if (!fs.existsSync(explicit)) fail(`--wheel ${explicit}: no such file`);
    const problem = wheelProblem(path.resolve(explicit));
    if (problem) fail(problem);
    return path.resolve(explicit);
  }
  fs.mkdirSync(CACHE, { recursive: true });
  const cached = () => fs.readdirSync(CACHE).filter((f) => /^tensorflow(_cpu)?-.*\.whl$/.test(f));
  // A cached wheel is trusted by its hash, not its name; one that does not match is moved aside, never used.
  for (const f of cached()) {
    const problem = wheelProblem(path.join(CACHE, f));
    if (problem) {
      log(`${problem.split('. ')[0]}: moved aside to ${f}.rejected`);
      fs.renameSync(path.join(CACHE, f), path.join(CACHE, `${f}.rejected`));
    }
  }
  if (cached().length === 0) {
    log(`downloading the ${TF_WHEEL_SPEC} wheel with pip (about 270 MB) into build/native/`);
    const py = process.env.PYTHON || 'python3';
    const pinned = TF_WHEEL_SPEC === TF_PIN.spec
      ? ['--python-version', '3.11', '--implementation', 'cp', '--abi', 'cp311', '--platform', 'manylinux_2_27_x86_64'] : [];
    const ok = run(py, ['-m', 'pip', 'download', TF_WHEEL_SPEC, '--no-deps', '--only-binary=:all:', ...pinned,
      '-d', CACHE, '--retries', '0', '--timeout', '15', '--progress-bar', 'off']);
    if (!ok || cached().length === 0) {
      fail(`pip could not download ${TF_WHEEL_SPEC}. Point pip at a PyPI mirror ` +
        '(pip config set global.index-url URL), or pass a wheel you have: npm run native -- --wheel FILE.whl');
    }
    for (const f of cached()) {
      const problem = wheelProblem(path.join(CACHE, f));
      if (problem) {
        fs.renameSync(path.join(CACHE, f), path.join(CACHE, `${f}.rejected`));
        fail(`the downloaded wheel was refused: ${problem}`);
      }
    }
  }
  return path.join(CACHE, /** @type {string} */ (cached().sort().pop()));
}

/**
 * Copy the two shared libraries out of the wheel and give them the names tfjs-node's build uses.
 * @param {string} wheel
 */
function stageLibraries(wheel) {
  const lib = path.join(PKG, 'deps', 'lib');
  const include = path.join(PKG, 'deps', 'include');
  fs.rmSync(path.join(PKG, 'deps'), { recursive: true, force: true });
  fs.mkdirSync(lib, { recursive: true });
  const py = process.env.PYTHON || 'python3';
  const extract = [
    'import sys, zipfile, shutil',
    'z = zipfile.ZipFile(sys.argv[1])',
    "names = set(z.namelist())",
    "for src, dst in (('tensorflow/libtensorflow_cc.so.2', sys.argv[2]), ('tensorflow/libtensorflow_framework.so.2', sys.argv[3])):",
    "    if src not in names: sys.exit(f'{sys.argv[1]} has no {src}: use a Linux x86_64 tensorflow-cpu wheel')",
    "    with z.open(src) as f, open(dst, 'wb') as out: shutil.copyfileobj(f, out, 1 << 22)",
  ].join('\n');
  const cc = path.join(lib, `libtensorflow.so.${TFJS_LIB_VERSION}`);
  const fw = path.join(lib, `libtensorflow_framework.so.${TFJS_LIB_VERSION}`);
  log(`extracting libtensorflow_cc.so.2 and libtensorflow_framework.so.2 from ${path.basename(wheel)}`);
  if (!run(py, ['-c', extract, wheel, cc, fw])) fail('could not extract the libraries from the wheel');
  // The linker records each library's SONAME (libtensorflow_cc.so.2, libtensorflow_framework.so.2),
  // so the loader looks for those names next to the binding's rpath: link all the names.
  for (const [name, target] of [
    ['libtensorflow.so', cc], ['libtensorflow.so.2', cc], ['libtensorflow_cc.so.2', cc],
    ['libtensorflow_framework.so', fw], ['libtensorflow_framework.so.2', fw],
  ]) fs.symlinkSync(path.basename(target), path.join(lib, name));
  if (!run(py, [path.join(__dirname, 'headers-closure.py'), wheel, include])) fail('could not extract the C headers');
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  require('./common').ensureNodeModules();
  require('./common').buildLibrary(); // the check below uses the course's backend selection
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`the wheel route is tested on Linux x86_64 only (this is ${process.platform}/${process.arch}); ` +
      'on macOS `npm install` usually gets libtensorflow itself, or set TFJS_NODE_CDN_STORAGE to a mirror.');
  }
  if (!fs.existsSync(path.join(PKG, 'package.json'))) {
    log('tfjs-node-native is not in node_modules (npm dropped it when its download failed): restoring it');
    if (!run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: ROOT })) {
      fail('npm install --no-save --ignore-scripts failed');
    }
  }
  // A wheel given with --wheel is checked before anything in node_modules is touched.
  const wheel = args.wheel ? findWheel(args.wheel) : undefined;
  const patches = applyPatches(PKG);
  const built = builtPatches();
  const patchesChanged = JSON.stringify(built ?? []) !== JSON.stringify(patches);
  if (!args.force) {
    const before = bindingWorks();
    if (before.ok && !patchesChanged) {
      log(`native TensorFlow already works${patches.length ? ` (binding patches: ${patches.join(', ')})` : ''}: nothing to do (--force rebuilds)`);
      return;
    }
    if (before.ok) {
      log(`the binding was compiled with patches [${(built ?? []).join(', ')}], the sources now carry [${patches.join(', ')}]: rebuilding`);
    }
    const why = before.stderr.trim().split('\n').filter((l) => !/^(WARNING|I0000|To enable)/.test(l)).pop();
    if (!before.ok) log(`native TensorFlow does not work yet${why ? ` (${why.slice(0, 200)})` : ''}: building it`);
  }
  const started = Date.now();
  if (!fs.existsSync(path.join(PKG, 'deps', 'lib', `libtensorflow.so.${TFJS_LIB_VERSION}`)) || args.force || !patchesChanged) {
    stageLibraries(wheel ?? findWheel(undefined));
  }
  log('compiling the binding: node-pre-gyp install --build-from-source (a minute or two)');
  const preGyp = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: [PKG] });
  // node-gyp downloads Node's headers unless told where they are: use npm's nodedir when set
  // (e.g. nodedir=/usr in ~/.npmrc for a distribution's Node), as `npm install` would.
  const env = { ...process.env };
  if (!env.npm_config_nodedir) {
    const r = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' });
    const dir = String(r.stdout || '').trim();
    if (r.status === 0 && dir && dir !== 'undefined' && dir !== 'null') env.npm_config_nodedir = dir;
  }
  if (!run(process.execPath, [preGyp, 'install', '--build-from-source'], { cwd: PKG, env })) {
    fail('the build failed: a C++ toolchain (g++, make) and python3 are needed by node-gyp');
  }
  fs.writeFileSync(path.join(PKG, 'lib', 'napi-v8', PATCH_STAMP), JSON.stringify({ patches }) + '\n');
  const check = bindingWorks();
  if (!check.ok) fail(`the binding built, but native TensorFlow does not work:\n${check.stderr}`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s: the course will use the 'tensorflow' backend`);
}

if (require.main === module) main();
module.exports = { TF_PIN, PATCHES, PATCH_DIR, sha256File, wheelProblem, patchState, applyPatches, builtPatches };
