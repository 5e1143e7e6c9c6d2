// @ts-check
// Numbers in a notebook's prose (markdown cells) that no cell computes. Used by nb-check.js (`npm run nb:check`).
//
// The course promises that every number a notebook shows about a run is computed: a sentence stating a run's
// outcome is printed by a cell from the computed values (showMarkdown / console.log), never typed into markdown,
// where the next run, another seed or another CPU makes it false. The rule that keeps it true:
//
//  1. Markdown never says "in this run", "in our run(s)", "our runs", "run after run" or "an exploratory run":
//     such sentences report one run's outcome.
//  2. Every number in markdown that looks measured — a decimal (0.911, 98.62 %, 2.5×) or a whole number with %,
//     × or "points" — outside math ($…$), code (`…`), links, heading numbers and dimensions (28×28) must be listed
//     for its notebook in notebooks/prose-numbers.json with why it may stand there:
//       "citation: …"   a source's number (the article, a paper, a dataset's documentation);
//       "definition: …" a setting or target the course chose (a learning rate, a claim's target);
//       "constant: …"   arithmetic or a version that no run changes (2.25× the pixels, JupyterLab 4.1);
//       "data: …"       a fact of the data set that no seed or CPU changes, printed by the cell the reason names.
//     A listed number that the notebook no longer contains is reported too, so the list stays exact.
'use strict';
const fs = require('fs');
const path = require('path');
const { sourceOf } = require('./nb-format');
/** @typedef {import('./nb-format').Notebook} Notebook */

const RUN_PHRASES = /\b(in this run|in our runs?|our runs|run after run|an exploratory run)\b/i;
const REASON = /^(citation|definition|constant|data): \S/;
const TOKEN = /(?<![\w.\-/#§^])(\d+(?:\.\d+)?)(?:\s?(%|×|points?\b))?/g;

/**
 * Markdown with math, inline code, link targets, URLs, heading numbers and dimensions blanked out.
 * @param {string} markdown
 * @returns {string}
 */
function proseOf(markdown) {
  return markdown
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/\$[^$\n]*\$/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/^(#+\s+)[\d.]+/gm, '$1')
    .replace(/\d+\s?×\s?\d+(?:\s?×\s?\d+)*/g, ' ');
}

/**
 * The measured-looking numbers of a markdown text, as written keys: '98.62 %', '2.5×', '0.001', '15 points'.
 * @example proseNumbers('reports **98.62 %** on 28×28 images, lr 0.001, $p = 0.5$') // ['98.62 %', '0.001']
 * @param {string} markdown
 * @returns {string[]}
 */
function proseNumbers(markdown) {
  /** @type {string[]} */
  const out = [];
  for (const m of proseOf(markdown).matchAll(TOKEN)) {
    const [, number, unit] = m;
    if (!number.includes('.') && !unit) continue;
    out.push(unit === undefined ? number : unit === '×' ? `${number}×` : `${number} ${unit}`);
  }
  return out;
}

/**
 * Problems of one notebook's prose against its entry of the allow-list ({ number: reason }).
 * @param {string} file
 * @param {Notebook} nb
 * @param {Record<string, string>} [allowed]
 * @returns {string[]}
 */
function proseProblems(file, nb, allowed = {}) {
  const name = path.basename(file, '.ipynb');
  /** @type {string[]} */
  const problems = [];
  /** @type {Set<string>} */
  const seen = new Set();
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'markdown') return;
    const text = sourceOf(cell);
    const phrase = proseOf(text).match(RUN_PHRASES);
    if (phrase) {
      problems.push(`${name}.ipynb cell ${i + 1}: "${phrase[0]}" reports one run's outcome in prose; print the sentence from a cell ` +
        '(showMarkdown or console.log with the computed values) or say it without the run');
    }
    for (const key of proseNumbers(text)) {
      seen.add(key);
      if (!(key in allowed)) {
        problems.push(`${name}.ipynb cell ${i + 1}: "${key}" is a number in prose that no cell computes; print it from a cell, ` +
          `or, if it is a citation, a definition, a constant or a fact of the data, list it under "${name}" in notebooks/prose-numbers.json with the reason`);
      }
    }
  });
  for (const [key, reason] of Object.entries(allowed)) {
    if (!REASON.test(String(reason))) {
      problems.push(`notebooks/prose-numbers.json: "${name}" → "${key}": the reason must start with citation:, definition:, constant: or data: (got "${reason}")`);
    }
    if (!seen.has(key)) problems.push(`notebooks/prose-numbers.json: "${name}" → "${key}" is no longer in the notebook's prose; remove the entry`);
  }
  return problems;
}

/**
 * The allow-list notebooks/prose-numbers.json ({ notebook: { number: reason } }); a clear error when it does not parse.
 * @param {string} file
 * @returns {Record<string, Record<string, string>>}
 */
function readAllowList(file) {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)}); fix it or restore it with git checkout`);
  }
}

module.exports = { RUN_PHRASES, proseOf, proseNumbers, proseProblems, readAllowList };
