// @ts-check
// Reading, cleaning and checking the course's notebooks (.ipynb JSON). Used by nb-clean.js and nb-check.js.
'use strict';
const fs = require('fs');
const path = require('path');

/**
 * The parts of an nbformat 4 notebook the course's tools read (other fields are kept as they are).
 * @typedef {{ output_type: string, name?: string, text?: string | string[], data?: Record<string, unknown>,
 *   ename?: string, evalue?: string, traceback?: string[], [key: string]: unknown }} Output
 * @typedef {{ cell_type: string, id?: string, source: string | string[], metadata?: Record<string, any>,
 *   outputs?: Output[], execution_count?: number | null, [key: string]: unknown }} Cell
 * @typedef {{ cells: Cell[], metadata?: Record<string, any>, nbformat: number, nbformat_minor?: number }} Notebook
 */

const KERNELSPEC = { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' };

/**
 * Read and parse a notebook file; a clear error names the file when it is not nbformat 4 JSON.
 * @param {string} file
 * @returns {Notebook}
 */
function readNotebook(file) {
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid notebook JSON (${err instanceof Error ? err.message : String(err)}). Fix the file or restore it with git.`);
  }
  if (!Array.isArray(nb.cells) || nb.nbformat !== 4) throw new Error(`${file}: not an nbformat 4 notebook`);
  return nb;
}

/**
 * A multiline text field of a notebook (a cell's source, a stream's text, a text/* output) as one string: nbformat
 * stores each as a string or as a list of lines.
 * @param {unknown} text
 * @returns {string}
 * @example textOf(['a\n', 'b']) // 'a\nb'
 */
function textOf(text) {
  return Array.isArray(text) ? text.join('') : String(text == null ? '' : text);
}

/**
 * A cell's source as one string.
 * @param {{ source?: string | string[] }} cell
 * @returns {string}
 * @example sourceOf({ source: ['a\n', 'b'] }) // 'a\nb'
 */
function sourceOf(cell) {
  return textOf(cell.source);
}

/** The tag of a notebook's code cell that exports its models for the book (src/notebook/book-export.ts). */
const BOOK_EXPORT_TAG = 'book-export';

/**
 * Whether a cell is tagged `book-export`: the claim study leaves such cells out of its code hash (they run after every
 * claim), so they must be the notebook's last code cells.
 * @param {Cell} cell
 * @returns {boolean}
 */
function isBookExport(cell) {
  const tags = (cell.metadata && cell.metadata.tags) || [];
  return Array.isArray(tags) && tags.includes(BOOK_EXPORT_TAG);
}

/**
 * Problems that make a committed notebook dirty: outputs, execution counts, wrong kernel, a code cell after a
 * `book-export` cell.
 * @param {string} file
 * @param {Notebook} nb
 * @returns {string[]}
 */
function hygieneProblems(file, nb) {
  /** @type {string[]} */
  const problems = [];
  const name = path.basename(file);
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    if ((cell.outputs || []).length > 0) problems.push(`${name}: cell ${i + 1} has outputs (run \`npm run nb:clean\`)`);
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      problems.push(`${name}: cell ${i + 1} has an execution count (run \`npm run nb:clean\`)`);
    }
  });
  const code = nb.cells.map((cell, i) => ({ cell, i })).filter(({ cell }) => cell.cell_type === 'code');
  const firstExport = code.findIndex(({ cell }) => isBookExport(cell));
  if (firstExport >= 0) {
    const after = code.slice(firstExport).find(({ cell }) => !isBookExport(cell));
    if (after) {
      problems.push(`${name}: code cell ${after.i + 1} follows the "${BOOK_EXPORT_TAG}" cell ${code[firstExport].i + 1}; move the export to the end ` +
        '(the claim study leaves export cells out of its code hash because no claim may come after them)');
    }
  }
  const ks = (nb.metadata || {}).kernelspec || {};
  if (ks.name !== KERNELSPEC.name) problems.push(`${name}: kernelspec is '${ks.name}', expected '${KERNELSPEC.name}' (run \`npm run nb:clean\`)`);
  return problems;
}

/**
 * A copy with outputs, execution counts and per-run metadata removed, and the course kernelspec set.
 * @param {Notebook} nb
 * @returns {Notebook}
 */
function cleaned(nb) {
  /** @type {Notebook} */
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

/**
 * The course's file form of a notebook: indent 1, non-ASCII kept, trailing newline.
 * @param {Notebook} nb
 * @returns {string}
 */
function serialize(nb) {
  return JSON.stringify(nb, null, 1) + '\n';
}

module.exports = { KERNELSPEC, BOOK_EXPORT_TAG, isBookExport, readNotebook, textOf, sourceOf, hygieneProblems, cleaned, serialize };
