// @ts-check
// The cell-length rule of `npm run nb:check`: a notebook's code cells teach one step each, so no code cell is longer
// than MAX_CELL_LINES lines, except cells tagged "derivation" (cell metadata.tags), which derive a result step by step.
//
// The rule is a ratchet: notebooks/long-cells.json lists the cells that were longer when the rule came in
// (notebook → cell id → { lines, reason }). A listed cell may not grow beyond its recorded count, and an entry whose
// cell is gone, is tagged "derivation" or is within the limit now is stale and fails the check until it is removed,
// so the list only shrinks. A new long cell cannot be listed to pass: split it (move mechanics into src/) or tag it.
'use strict';
const fs = require('fs');
const path = require('path');
const { sourceOf } = require('./nb-format');

const MAX_CELL_LINES = 40;
const DERIVATION_TAG = 'derivation';
const LIST_NAME = 'notebooks/long-cells.json';

/**
 * @typedef {{ cell_type?: string, id?: string, source?: string | string[], metadata?: { tags?: string[] } }} Cell
 * @typedef {{ cells: Cell[] }} Notebook
 * @typedef {{ lines: number, reason: string }} LongCellEntry
 * @typedef {Record<string, Record<string, LongCellEntry>>} LongCellList   notebook name (no .ipynb) → cell id → entry
 * @typedef {{ index: number, id: string, lines: number, derivation: boolean }} CodeCellLength
 */

/**
 * Lines of a cell's source; a trailing newline does not start another line, an empty cell has 0.
 * @param {Cell} cell
 * @returns {number}
 * @example lineCount({ source: ['a\n', 'b\n'] }) // 2
 */
function lineCount(cell) {
  const text = sourceOf(cell).replace(/\n+$/, '');
  return text === '' ? 0 : text.split('\n').length;
}

/**
 * @param {Cell} cell
 * @returns {boolean}
 */
function isDerivation(cell) {
  const tags = (cell.metadata && cell.metadata.tags) || [];
  return Array.isArray(tags) && tags.includes(DERIVATION_TAG);
}

/**
 * The code cells of a notebook with their 1-based index among all cells, id and line count.
 * @param {Notebook} nb
 * @returns {CodeCellLength[]}
 */
function codeCellLengths(nb) {
  /** @type {CodeCellLength[]} */
  const out = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    out.push({ index: i + 1, id: String(cell.id || `#${i + 1}`), lines: lineCount(cell), derivation: isDerivation(cell) });
  });
  return out;
}

/**
 * The longest code cell of a notebook, or null when it has none.
 * @param {Notebook} nb
 * @returns {CodeCellLength | null}
 */
function longestCell(nb) {
  return codeCellLengths(nb).reduce(
    /** @param {CodeCellLength | null} best @param {CodeCellLength} c */
    (best, c) => (best === null || c.lines > best.lines ? c : best), /** @type {CodeCellLength | null} */ (null));
}

/**
 * Read notebooks/long-cells.json; a missing file is an empty list.
 * @param {string} file
 * @returns {LongCellList}
 */
function readLongCells(file) {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)}); fix it or restore it with git`);
  }
}

/**
 * Problems with one notebook's cell lengths against its entries of the list.
 * @param {string} file      the notebook's path (only its name is reported)
 * @param {Notebook} nb
 * @param {Record<string, LongCellEntry>} [listed]   this notebook's entries of notebooks/long-cells.json
 * @returns {string[]}
 * @example cellLengthProblems('/x/05-demo.ipynb', { cells: [{ cell_type: 'code', id: 'a', source: 'x\n'.repeat(41) }] })
 * // ['05-demo.ipynb cell 1 (id a): 41 lines of code, over the limit of 40; …']
 */
function cellLengthProblems(file, nb, listed = {}) {
  const notebook = path.basename(file);
  const name = path.basename(file, '.ipynb');
  /** @type {string[]} */
  const problems = [];
  const cells = new Map(codeCellLengths(nb).map((c) => [c.id, c]));
  for (const c of cells.values()) {
    if (c.derivation || c.lines <= MAX_CELL_LINES) continue;
    const entry = listed[c.id];
    if (!entry) {
      problems.push(`${notebook} cell ${c.index} (id ${c.id}): ${c.lines} lines of code, over the limit of ${MAX_CELL_LINES}; ` +
        'split it into steps (a mechanic used twice belongs in src/), or tag the cell "derivation" (metadata.tags) if it derives a result step by step');
    } else if (c.lines > entry.lines) {
      problems.push(`${notebook} cell ${c.index} (id ${c.id}): ${c.lines} lines of code, more than the ${entry.lines} recorded in ${LIST_NAME}; ` +
        `a listed cell may only shrink: split it until it has at most ${MAX_CELL_LINES} lines and remove its entry`);
    }
  }
  for (const [id, entry] of Object.entries(listed)) {
    const where = `${LIST_NAME}: "${name}" → "${id}"`;
    if (!entry || !Number.isInteger(entry.lines) || entry.lines <= MAX_CELL_LINES || typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      problems.push(`${where}: an entry is { "lines": <the cell's line count, over ${MAX_CELL_LINES}>, "reason": "…" }`);
      continue;
    }
    const c = cells.get(id);
    if (!c) problems.push(`${where} is stale: the notebook has no code cell with that id any more; remove the entry`);
    else if (c.derivation) problems.push(`${where} is stale: the cell is tagged "${DERIVATION_TAG}"; remove the entry`);
    else if (c.lines <= MAX_CELL_LINES) problems.push(`${where} is stale: the cell has ${c.lines} lines now (at most ${MAX_CELL_LINES}); remove the entry`);
  }
  return problems;
}

/**
 * The rule over a set of notebooks: each notebook's problems, plus list entries naming no notebook (only when the
 * whole set is checked). Also returns one line per notebook naming its longest code cell, for the report.
 * @param {{ file: string, nb: Notebook }[]} notebooks
 * @param {LongCellList} list
 * @returns {{ problems: string[], longest: string[] }}
 */
function checkCellLengths(notebooks, list) {
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} */
  const longest = [];
  const names = new Set(notebooks.map(({ file }) => path.basename(file, '.ipynb')));
  for (const { file, nb } of notebooks) {
    const name = path.basename(file, '.ipynb');
    problems.push(...cellLengthProblems(file, nb, list[name] || {}));
    const top = longestCell(nb);
    if (!top) continue;
    const note = top.derivation ? ' (tagged derivation)' : top.lines > MAX_CELL_LINES ? ` (listed in ${LIST_NAME})` : '';
    const all = codeCellLengths(nb);
    const over = all.filter((c) => !c.derivation && c.lines > MAX_CELL_LINES).length;
    const total = all.reduce((s, c) => s + c.lines, 0);
    longest.push(`${name}: ${all.length} code cells, ${total} lines; longest cell ${top.index} (id ${top.id}), ${top.lines} lines${note}` +
      (over > 0 ? `; ${over} cell(s) over ${MAX_CELL_LINES}` : ''));
  }
  if (notebooks.length > 1) {
    for (const name of Object.keys(list)) {
      if (!names.has(name)) problems.push(`${LIST_NAME}: "${name}" is not a notebook; remove it`);
    }
  }
  return { problems, longest };
}

module.exports = { MAX_CELL_LINES, DERIVATION_TAG, lineCount, isDerivation, codeCellLengths, longestCell, readLongCells, cellLengthProblems, checkCellLengths };
