#!/usr/bin/env node
// @ts-check
// `npm run nb:check`: notebook hygiene and a strict type-check of every notebook's code.
//  1. every notebooks/NN-name.ipynb is valid JSON, uses the course kernel, carries no outputs or
//     execution counts, and the numbers NN are unique;
//  2. the code cells of each notebook, in order, are compiled with `tsc --strict` against src/
//     (as `ai-course`), so a library change that breaks a notebook fails here, before anyone runs it.
//     Errors are reported as notebook, cell number and line in the cell.
//  3. no markdown cell states a run's outcome: no "in this run"-style phrases, and every measured-looking number in
//     prose is listed with its reason in notebooks/prose-numbers.json (kernel-setup/nb-prose.js).
//  4. no code cell is longer than 40 lines unless tagged "derivation"; the cells that were longer when the rule came in
//     are listed in notebooks/long-cells.json and may only shrink (kernel-setup/nb-cells.js). The longest code cell of
//     each notebook is printed.
//  5. every claim study in data/claims/ is a study of its notebook's code as it is now (kernel-setup/claims.js
//     staleStudies): a notebook whose code cells changed since its study asserts bounds measured on other code. A stale
//     study owned up to in notebooks/stale-studies.json (name → why not rerun yet) is printed, not failed; the list
//     only shrinks.
// Rule for authors that follows: do not redeclare a const/let in two cells of one notebook.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { readNotebook, sourceOf, hygieneProblems } = require('./nb-format');
const { ROOT, listNotebooks } = require('./common');
const { proseProblems, readAllowList } = require('./nb-prose');
const { checkCellLengths, readLongCells } = require('./nb-cells');
const { staleStudies, knownStaleStudies } = require('./claims');

const OUT = path.join(ROOT, 'build', 'nbcheck');

/**
 * Names, validity, kernel, outputs and unique numbers of the notebooks.
 * @param {string[]} files
 * @returns {string[]}
 */
function hygiene(files) {
  /** @type {string[]} */
  const problems = [];
  /** @type {Map<string, string>} */
  const numbers = new Map();
  const all = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
  for (const f of all) {
    if (!/^\d\d-[a-z0-9-]+\.ipynb$/.test(f)) problems.push(`${f}: name it NN-lowercase-words.ipynb (reading order)`);
  }
  for (const file of files) {
    const nb = readNotebook(file);
    problems.push(...hygieneProblems(file, nb));
    const n = path.basename(file).slice(0, 2);
    if (numbers.has(n)) problems.push(`${path.basename(file)}: number ${n} is also used by ${numbers.get(n)}`);
    numbers.set(n, path.basename(file));
  }
  return problems;
}

/**
 * Numbers and phrases in markdown that report a run instead of computing it (kernel-setup/nb-prose.js).
 * @param {string[]} files
 * @param {string} [allowFile]
 * @returns {string[]}
 */
function prose(files, allowFile = path.join(ROOT, 'notebooks', 'prose-numbers.json')) {
  const allowed = readAllowList(allowFile);
  const names = new Set(files.map((f) => path.basename(f, '.ipynb')));
  const problems = files.flatMap((file) => proseProblems(file, readNotebook(file), allowed[path.basename(file, '.ipynb')] || {}));
  for (const name of Object.keys(allowed)) {
    if (!names.has(name) && files.length > 1) problems.push(`notebooks/prose-numbers.json: "${name}" is not a notebook; remove it`);
  }
  return problems;
}

/**
 * Code cells over the length limit that are neither tagged "derivation" nor listed (kernel-setup/nb-cells.js).
 * @param {string[]} files
 * @param {string} [listFile]
 * @returns {{ problems: string[], longest: string[] }}
 */
function cellLengths(files, listFile = path.join(ROOT, 'notebooks', 'long-cells.json')) {
  return checkCellLengths(files.map((file) => ({ file, nb: readNotebook(file) })), readLongCells(listFile));
}

/**
 * Where each line of a generated file came from: the notebook and, per line (index = line − 1), its cell and line
 * in the cell (null for the lines the extraction adds).
 * @typedef {{ notebook: string, map: ({ cell: number, line: number } | null)[] }} LineMap
 */

/**
 * Write build/nbcheck/<name>.ts for each notebook and return the line maps.
 * @param {string[]} files
 * @returns {Map<string, LineMap>}
 */
function extract(files) {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  /** @type {Map<string, LineMap>} */
  const maps = new Map();
  for (const file of files) {
    const nb = readNotebook(file);
    const name = path.basename(file, '.ipynb');
    const lines = ['export {};'];
    /** @type {LineMap['map']} */
    const map = [null];
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== 'code') return;
      const src = sourceOf(cell).split('\n');
      src.forEach((line, j) => {
        // Jupyter magics / shell escapes are not TypeScript; the course does not use them.
        lines.push(line);
        map.push({ cell: i + 1, line: j + 1 });
      });
      lines.push('');
      map.push(null);
    });
    fs.writeFileSync(path.join(OUT, `${name}.ts`), lines.join('\n'));
    maps.set(`${name}.ts`, { notebook: path.basename(file), map });
  }
  // The library is checked with exactly the project's settings (tsconfig.json, whose `paths` maps 'ai-course' to
  // src/index.ts); only the module kind changes, because notebooks use top-level await.
  const tsconfig = {
    extends: path.join(ROOT, 'tsconfig.json'),
    compilerOptions: { module: 'ES2022', noEmit: true },
    include: [],
    files: [...maps.keys()],
  };
  fs.writeFileSync(path.join(OUT, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return maps;
}

/**
 * Compile the extracted notebooks with tsc --strict; errors are mapped back to notebook, cell and line.
 * @param {Map<string, LineMap>} maps
 * @returns {string[]}
 */
function typecheck(maps) {
  if (maps.size === 0) return [];
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(OUT, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  const text = `${r.stdout}${r.stderr}`;
  /** @type {string[]} */
  const problems = [];
  for (const line of text.split('\n')) {
    const m = /^(.*?)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line);
    if (!m) {
      if (line.trim() && !line.startsWith(' ')) problems.push(line.trim());
      else if (line.trim() && problems.length) problems[problems.length - 1] += `\n    ${line.trim()}`;
      continue;
    }
    const file = path.basename(m[1]);
    const entry = maps.get(file);
    if (!entry) {
      problems.push(`${path.relative(ROOT, path.resolve(ROOT, m[1]))}:${m[2]}:${m[3]}: ${m[4]}`);
      continue;
    }
    const where = entry.map[Number(m[2]) - 1];
    problems.push(where
      ? `${entry.notebook}: cell ${where.cell}, line ${where.line}, col ${m[3]}: ${m[4]}`
      : `${entry.notebook}: ${m[4]}`);
  }
  if (r.status !== 0 && problems.length === 0) problems.push(`tsc failed:\n${text}`);
  return problems;
}

function main() {
  const files = listNotebooks();
  const lengths = cellLengths(files);
  console.log('nb:check: longest code cell per notebook');
  for (const line of lengths.longest) console.log(`  ${line}`);
  /** @type {Record<string, string>} */
  let known = {};
  /** @type {string[]} */
  const listProblems = [];
  try {
    known = knownStaleStudies();
  } catch (e) {
    listProblems.push(/** @type {Error} */ (e).message);
  }
  for (const [name, why] of Object.entries(known)) console.log(`nb:check: claim study ${name} is of older code (notebooks/stale-studies.json): ${why}`);
  const problems = [...hygiene(files), ...prose(files), ...lengths.problems, ...listProblems, ...staleStudies(files, undefined, known)];
  const maps = extract(files);
  problems.push(...typecheck(maps));
  if (problems.length) {
    console.error(`nb:check: ${problems.length} problem(s)`);
    for (const p of problems) console.error(`  ${p}`);
    console.log(`nb:check: 0 passed, ${files.length} failed`);
    process.exit(1);
  }
  console.log(`nb:check: ${files.length} notebook(s) clean and type-checked under --strict`);
}

if (require.main === module) main();
module.exports = { hygiene, prose, cellLengths, extract, typecheck };
