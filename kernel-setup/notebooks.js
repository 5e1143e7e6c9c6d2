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
'use strict';
const fs = require('fs');
const path = require('path');
const c = require('./common');

/**
 * The notebooks to run: every notebook when `args` is empty, else each argument resolved to one notebook path.
 * @param {string[]} args
 * @returns {string[]}
 */
function resolveNotebooks(args) {
  const all = c.listNotebooks();
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

/** @param {string[]} argv */
function main(argv) {
  const args = argv.filter((a) => !a.startsWith('--'));
  const notebooks = resolveNotebooks(args);
  const { python } = c.ensureAll();
  const out = path.join(c.ROOT, 'build', 'notebooks');
  const summary = path.join(out, 'summary.json');
  fs.mkdirSync(out, { recursive: true });
  const status = c.run(python, [path.join(__dirname, 'run_notebooks.py'), '--out', out, '--summary', summary, ...notebooks],
    { env: c.jupyterEnv() });
  process.exit(status);
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { resolveNotebooks };
