// @ts-check
// Shared setup steps for `npm start`, `npm test`, `npm run notebooks` and the hygiene checks.
// Plain JavaScript on purpose: it must run before `npm ci` has installed anything.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const VENV = path.join(ROOT, '.venv');
/** Project-local Jupyter data dir: our kernelspec lives here, found through JUPYTER_PATH. */
const JUPYTER_DATA = path.join(ROOT, 'build', 'jupyter');
const KERNEL_NAME = 'tslab';
const KERNEL_DISPLAY = 'TypeScript (course)';
const REQUIRED_PY = ['jupyterlab', 'nbclient', 'nbformat', 'plotly', 'sklearn']; // sklearn: notebook 14's tree ensembles

/**
 * @param {string} tag
 * @param {string} msg
 */
function say(tag, msg) { console.log(`[${tag}] ${msg}`); }

/**
 * Print `[tag] msg` to stderr and exit 1.
 * @param {string} tag
 * @param {string} msg
 * @returns {never}
 */
function die(tag, msg) {
  console.error(`[${tag}] ${msg}`);
  process.exit(1);
}

/**
 * Run a command, inheriting stdio; returns the exit status (or dies if it cannot start).
 * @param {string} cmd
 * @param {readonly string[]} args
 * @param {import('child_process').SpawnSyncOptions} [opts]
 * @returns {number}
 */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.error) die('setup', `could not run ${cmd}: ${r.error.message}`);
  return r.status === null ? 1 : r.status;
}

/**
 * Run a command and capture its output as text; status −1 when it could not start.
 * @param {string} cmd
 * @param {readonly string[]} args
 * @param {import('child_process').SpawnSyncOptions} [opts]
 * @returns {{ status: number, stdout: string, stderr: string }}
 */
function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT, ...opts });
  return { status: r.error || r.status === null ? -1 : r.status, stdout: String(r.stdout || ''), stderr: String(r.stderr || '') };
}

/** npm dependencies: `npm ci` when node_modules is missing or older than the lockfile. */
function ensureNodeModules() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs - 1000) return;
  say('setup', 'installing npm dependencies (npm ci)');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) die('setup', 'npm ci failed (see above)');
}

/** Compile src/ to build/lib (what `import ... from 'ai-course'` loads). Incremental: fast when nothing changed. */
function buildLibrary() {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (run(process.execPath, [tsc, '-p', 'tsconfig.build.json']) !== 0) die('setup', 'building src/ failed (tsc errors above)');
}

/**
 * Whether `python` has JupyterLab 4, nbclient, nbformat and plotly (status 0; stdout names what is missing).
 * @param {string} python
 */
function pythonHas(python) {
  const probe = `import importlib.util, sys\nmissing=[m for m in ${JSON.stringify(REQUIRED_PY)} if importlib.util.find_spec(m) is None]\n` +
    'if missing: print("missing: " + " ".join(missing)); sys.exit(1)\n' +
    'import jupyterlab\nmajor=int(jupyterlab.__version__.split(".")[0])\nprint(jupyterlab.__version__)\nsys.exit(0 if major >= 4 else 2)';
  return capture(python, ['-c', probe]);
}

function venvPython() {
  return process.platform === 'win32' ? path.join(VENV, 'Scripts', 'python.exe') : path.join(VENV, 'bin', 'python');
}

/**
 * The Python that runs Jupyter for the course:
 *   COURSE_PYTHON if set; else the project venv if it is complete; else `python3` when it already has
 *   JupyterLab 4, nbclient, plotly and scikit-learn (e.g. the conda environment from environment.yml); else a new
 *   venv in .venv with kernel-setup/requirements.txt installed by pip.
 */
function ensurePython() {
  if (process.env.COURSE_PYTHON) {
    const r = pythonHas(process.env.COURSE_PYTHON);
    if (r.status !== 0) die('setup', `COURSE_PYTHON=${process.env.COURSE_PYTHON} lacks JupyterLab 4/nbclient/plotly/scikit-learn (${r.stdout.trim() || r.stderr.trim()}). pip install -r kernel-setup/requirements.txt into it, or unset COURSE_PYTHON.`);
    return process.env.COURSE_PYTHON;
  }
  if (fs.existsSync(venvPython()) && pythonHas(venvPython()).status === 0) return venvPython();
  const system = process.env.PYTHON || 'python3';
  if (!fs.existsSync(venvPython()) && pythonHas(system).status === 0) {
    say('setup', `using ${system}: it already has JupyterLab 4, nbclient, plotly and scikit-learn`);
    return system;
  }
  if (capture(system, ['--version']).status !== 0) {
    die('setup', 'Python 3 is needed for JupyterLab and was not found as `python3`. Install Python 3.9+ ' +
      '(or use conda: `conda env create -f environment.yml`), then run this again.');
  }
  if (!fs.existsSync(venvPython())) {
    say('setup', 'creating a project virtual environment in .venv (JupyterLab 4 goes there, not into your system Python)');
    if (run(system, ['-m', 'venv', VENV]) !== 0) {
      die('setup', `${system} -m venv failed. On Debian/Ubuntu: apt-get install python3-venv. Or use the conda route: conda env create -f environment.yml`);
    }
  }
  say('setup', 'installing JupyterLab 4, nbclient, plotly and scikit-learn into .venv with pip');
  const status = run(venvPython(), ['-m', 'pip', 'install', '--retries', '0', '--timeout', '5', '--disable-pip-version-check', '--quiet',
    '-r', path.join(__dirname, 'requirements.txt')]);
  if (status !== 0) {
    die('setup', 'pip could not install the Python packages (see above). If PyPI is blocked, point pip at a mirror ' +
      '(pip config set global.index-url URL) or use conda with environment.yml.');
  }
  const check = pythonHas(venvPython());
  if (check.status !== 0) die('setup', `.venv is still incomplete: ${check.stdout.trim()}`);
  return venvPython();
}

/** The kernelspec for this project's tslab: the project's own node and tslab, so cells see node_modules. */
function kernelSpec() {
  return {
    argv: [process.execPath, path.join(ROOT, 'kernel-setup', 'tslab-kernel.js'), 'kernel', '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY,
    language: 'typescript',
    // libtensorflow logs its CPU features at load; keep the kernel's log readable.
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
    metadata: { course: 'ai-industrialization-course', root: ROOT },
  };
}

/**
 * Register the kernel. Project-local by default (build/jupyter, found through JUPYTER_PATH, so the
 * user's other kernels are untouched); `user` installs it into the user's Jupyter data dir instead.
 */
function registerKernel(/** @type {string} */ python, { user = false } = {}) {
  let dataDir = JUPYTER_DATA;
  if (user) {
    const r = capture(python, ['-m', 'jupyter', '--data-dir']);
    if (r.status !== 0) die('setup', `could not ask Jupyter for its data dir: ${r.stderr.trim()}`);
    dataDir = r.stdout.trim();
  }
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  const file = path.join(dir, 'kernel.json');
  const spec = kernelSpec();
  if (user && fs.existsSync(file)) {
    const old = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!old.metadata || old.metadata.course !== spec.metadata.course) {
      fs.copyFileSync(file, `${file}.before-course`);
      say('setup', `kept your previous '${KERNEL_NAME}' kernelspec as ${file}.before-course`);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(spec, null, 2) + '\n');
  fs.renameSync(tmp, file);
  return file;
}

/** Environment for Jupyter processes: our kernelspec on JUPYTER_PATH, the course's profile passed through. */
function jupyterEnv(extra = {}) {
  const sep = path.delimiter;
  const jp = [JUPYTER_DATA, process.env.JUPYTER_PATH].filter(Boolean).join(sep);
  return { ...process.env, JUPYTER_PATH: jp, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...extra };
}

/** Everything a run needs: npm deps, the built library, Python + Jupyter, the kernel. */
function ensureAll(options = {}) {
  const note = require('./node-versions').nodeVersionNote();
  if (note) say('setup', note);
  ensureNodeModules();
  buildLibrary();
  const python = ensurePython();
  const spec = registerKernel(python, options);
  return { python, spec };
}

/** Notebooks in reading order: notebooks/NN-*.ipynb sorted by name. */
function listNotebooks() {
  const dir = path.join(ROOT, 'notebooks');
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * An executed notebook of the given cells (code unless a cell says otherwise), with ids and the course kernelspec: the
 * books the self-tests build (book-test.js, book-widgets-test.js).
 * @param {Record<string, unknown>[]} cells
 * @returns {import('./nb-format').Notebook}
 */
function fakeNotebook(cells) {
  return {
    cells: cells.map((cell, i) => ({ id: `c${i}`, metadata: {}, cell_type: 'code', ...cell, source: /** @type {string} */ (cell.source) })),
    metadata: { kernelspec: { name: KERNEL_NAME, display_name: KERNEL_DISPLAY, language: 'typescript' } },
    nbformat: 4, nbformat_minor: 5,
  };
}

module.exports = {
  ROOT, VENV, JUPYTER_DATA, KERNEL_NAME, KERNEL_DISPLAY, os,
  say, die, run, capture, ensureNodeModules, buildLibrary, ensurePython, kernelSpec, registerKernel, jupyterEnv, ensureAll, listNotebooks,
  fakeNotebook,
};
