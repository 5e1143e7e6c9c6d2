#!/usr/bin/env node
// @ts-check
// `npm run notebooks [-- <names or .ipynb paths>]`: execute notebooks headlessly (nbclient + tslab).
// No argument = every notebooks/NN-*.ipynb in reading order. A name may be "04", "04-cnn-mnist" or a path.
// Executed copies go to build/notebooks/; the sources are never modified.
// COURSE_PROFILE=quick runs every cell on small subsets; the default (full) reproduces the headline numbers.
// Limits (seconds; see run_notebooks.py): COURSE_CELL_TIMEOUT per cell (default 1800), COURSE_NOTEBOOK_TIMEOUT per
// notebook from its first cell (default 10800; 0 = none), COURSE_IOPUB_TIMEOUT for a cell's outputs after its reply
// (default 30); COURSE_KERNEL_SEND_QUEUE bounds the kernel's queue of unsent messages per socket (default 100000).
// Any failure — also a hang, a dead kernel or a lost message after a cell — names the notebook and cell and exits 1.
// --zh: the Chinese notebooks (notebooks/zh/, regenerated first by `npm run zh`), names resolved among them;
// their executed copies go to build/notebooks/zh/ (a path inside notebooks/zh/ given directly goes there too).
'use strict';
const fs = require('fs');
const path = require('path');
const c = require('./common');

/**
 * The notebooks to run: every notebook when `args` is empty, else each argument resolved to one notebook path.
 * @param {string[]} args
 * @param {string[]} [all]  the notebooks to choose from (default: the English ones)
 * @returns {string[]}
 */
function resolveNotebooks(args, all = c.listNotebooks()) {
  if (args.length === 0) return all;
  return args.map((arg) => {
    if (arg.endsWith('.ipynb')) {
      const p = path.resolve(arg);
      if (!fs.existsSync(p)) c.die('notebooks', `${arg}: no such notebook`);
      return p;
    }
    const hits = all.filter((f) => path.basename(f, '.ipynb') === arg || path.basename(f).startsWith(`${arg}-`));
    if (hits.length !== 1) {
      c.die('notebooks', `${arg}: ${hits.length ? 'matches several notebooks' : 'no such notebook'}; ` +
        `choose from: ${all.map((f) => path.basename(f, '.ipynb')).join(', ')}`);
    }
    return hits[0];
  });
}

/** The generated Chinese notebooks (notebooks/zh/NN-*.ipynb), in reading order. */
function listZhNotebooks() {
  const dir = path.join(c.ROOT, 'notebooks', 'zh');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => path.join(dir, f)) : [];
}

/**
 * Run notebooks with run_notebooks.py into `out` (summary.json there); the English and the Chinese ones go to
 * build/notebooks/ and build/notebooks/zh/, so an executed copy never overwrites the other language's.
 * @param {string} python
 * @param {string[]} notebooks
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {number} the exit status (non-zero when any failed)
 */
function runNotebooks(python, notebooks, env = {}) {
  const zhDir = path.join(c.ROOT, 'notebooks', 'zh') + path.sep;
  const groups = [
    { out: path.join(c.ROOT, 'build', 'notebooks'), files: notebooks.filter((f) => !path.resolve(f).startsWith(zhDir)) },
    { out: path.join(c.ROOT, 'build', 'notebooks', 'zh'), files: notebooks.filter((f) => path.resolve(f).startsWith(zhDir)) },
  ];
  let status = 0;
  for (const g of groups.filter((x) => x.files.length > 0)) {
    fs.mkdirSync(g.out, { recursive: true });
    const s = c.run(python, [path.join(__dirname, 'run_notebooks.py'), '--out', g.out, '--summary', path.join(g.out, 'summary.json'), ...g.files],
      { env: c.jupyterEnv(env) });
    status = status || s;
  }
  return status;
}

/** @param {string[]} argv */
function main(argv) {
  const args = argv.filter((a) => !a.startsWith('--'));
  const zh = argv.includes('--zh');
  if (zh) require('./i18n').generate();
  const notebooks = zh ? resolveNotebooks(args, listZhNotebooks()) : resolveNotebooks(args);
  if (notebooks.length === 0) c.die('notebooks', zh ? 'no Chinese notebooks: notebooks/i18n/zh/ has no translation yet' : 'no notebooks');
  const { python } = c.ensureAll();
  process.exit(runNotebooks(python, notebooks));
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { resolveNotebooks, listZhNotebooks, runNotebooks };
