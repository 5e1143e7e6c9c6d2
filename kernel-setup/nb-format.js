// Reading, cleaning and checking the course's notebooks (.ipynb JSON). Used by nb-clean.js and nb-check.js.
'use strict';
const fs = require('fs');
const path = require('path');

const KERNELSPEC = { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' };

function readNotebook(file) {
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid notebook JSON (${err.message}). Fix the file or restore it with git.`);
  }
  if (!Array.isArray(nb.cells) || nb.nbformat !== 4) throw new Error(`${file}: not an nbformat 4 notebook`);
  return nb;
}

function sourceOf(cell) {
  return Array.isArray(cell.source) ? cell.source.join('') : String(cell.source || '');
}

/** Problems that make a committed notebook dirty: outputs, execution counts, wrong kernel. */
function hygieneProblems(file, nb) {
  const problems = [];
  const name = path.basename(file);
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    if ((cell.outputs || []).length > 0) problems.push(`${name}: cell ${i + 1} has outputs (run \`npm run nb:clean\`)`);
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      problems.push(`${name}: cell ${i + 1} has an execution count (run \`npm run nb:clean\`)`);
    }
  });
  const ks = (nb.metadata || {}).kernelspec || {};
  if (ks.name !== KERNELSPEC.name) problems.push(`${name}: kernelspec is '${ks.name}', expected '${KERNELSPEC.name}' (run \`npm run nb:clean\`)`);
  return problems;
}

/** A copy with outputs, execution counts and per-run metadata removed, and the course kernelspec set. */
function cleaned(nb) {
  const out = JSON.parse(JSON.stringify(nb));
  for (const cell of out.cells) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.collapsed;
      delete cell.metadata.scrolled;
    }
  }
  out.metadata = out.metadata || {};
  out.metadata.kernelspec = { ...KERNELSPEC };
  out.metadata.language_info = { name: 'typescript' };
  delete out.metadata.widgets;
  return out;
}

function serialize(nb) {
  return JSON.stringify(nb, null, 1) + '\n';
}

module.exports = { KERNELSPEC, readNotebook, sourceOf, hygieneProblems, cleaned, serialize };
