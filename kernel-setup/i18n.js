#!/usr/bin/env node
// @ts-check
// The Chinese edition (中文版, #23): one source, two languages, and a check that no translation drifts.
//
//   npm run zh            (node kernel-setup/i18n.js generate [--force])
//     For every English notebook with a translation (notebooks/i18n/zh/<stem>.json), write notebooks/zh/<name>.ipynb:
//     the same cells with the same ids, code cells byte-identical (the Chinese notebook runs exactly the English code),
//     markdown replaced by the Chinese; metadata.language 'zh-CN'. A markdown cell without a current translation
//     stays English (the check names it). Headings keep their English anchors (<a id>), so links to a section work
//     in both; relative links to files outside notebooks/zh/ get '../'. Written atomically. A Chinese notebook whose
//     cells the learner edited (an exercise answered) is not overwritten unless --force: `npm start` regenerates.
//   npm run i18n:check    (node kernel-setup/i18n.js check)
//     Completeness and consistency: every markdown cell of every English notebook has a current translation
//     (en_sha256 of the English source matches), no orphaned translations, the glossary's Chinese wherever the English
//     uses a glossary term (outside code and math), the same code spans, math and link targets, the same headings,
//     no number the English does not have; exercise hints (exercises.json) current for every exercise of the catalog;
//     the figure label table well formed.
//     Exits 1 with the list, notebook by notebook, cell by cell; ends with a summary line.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { readNotebook, sourceOf, serialize } = require('./nb-format');
const md = require('./i18n-markdown');

const ROOT = path.resolve(__dirname, '..');
const LANG = 'zh-CN';

/**
 * @typedef {import('./nb-format').Notebook} Notebook
 * @typedef {import('./nb-format').Cell} Cell
 * @typedef {{ en_sha256: string, zh: string }} CellTranslation
 * @typedef {{ notebook: string, cells: Record<string, CellTranslation> }} TranslationFile
 * @typedef {{ en: string, zh: string }} Term
 * @typedef {{ id: string, hint: string }} ExerciseHintSource
 * @typedef {{ where: string, cell?: string, kind: string, message: string }} Problem
 * @typedef {{ root?: string, notebooksDir?: string, i18nDir?: string, outDir?: string }} Paths
 */

/** @param {string} text */
function sha256(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** @param {Paths} [p] */
function paths(p = {}) {
  const root = p.root || ROOT;
  const notebooksDir = p.notebooksDir || path.join(root, 'notebooks');
  return {
    root,
    notebooksDir,
    i18nDir: p.i18nDir || path.join(notebooksDir, 'i18n', 'zh'),
    outDir: p.outDir || path.join(notebooksDir, 'zh'),
  };
}

/** The English notebooks (NN-*.ipynb) of a folder, in reading order. @param {string} dir */
function englishNotebooks(dir) {
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => path.join(dir, f));
}

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * The translation file of an English notebook, or null when there is none.
 * @param {string} i18nDir
 * @param {string} notebookFile
 * @returns {TranslationFile | null}
 */
function readTranslation(i18nDir, notebookFile) {
  const file = path.join(i18nDir, `${path.basename(notebookFile, '.ipynb')}.json`);
  if (!fs.existsSync(file)) return null;
  const t = readJson(file);
  if (!t || typeof t.cells !== 'object') throw new Error(`${file}: expected { "notebook": ..., "cells": { "<id>": { "en_sha256", "zh" } } }`);
  return t;
}

/** Write a file atomically: a temporary file in the same folder, then a rename. @param {string} file @param {string} text */
function writeAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The first words of an English cell, for reports. @param {string} text */
function firstWords(text) {
  const line = text.split('\n').map((l) => l.replace(/^[#>*\-\s]+/, '').trim()).find(Boolean) || '(empty)';
  const words = line.split(/\s+/);
  return words.slice(0, 8).join(' ') + (words.length > 8 ? ' …' : '');
}

// ───────────────────────────── generate ─────────────────────────────

/** The cells' sources of a notebook as one hash: whether the learner changed any cell. @param {Notebook} nb */
function sourcesHash(nb) {
  return sha256(JSON.stringify(nb.cells.map((c) => [c.id, c.cell_type, sourceOf(c)])));
}

/** Split a text into nbformat's list of lines (each ends in '\n' except the last). @param {string} text */
function toLines(text) {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/**
 * The Chinese notebook of one English notebook: same cells and ids, code cells as they are, markdown translated
 * (or English where no current translation exists), anchors and links made to work from notebooks/zh/.
 * @param {Notebook} en
 * @param {TranslationFile} translation
 * @param {string} name  the notebook's file name
 * @param {Set<string>} zhNames  notebooks that have a Chinese version (links to them stay in notebooks/zh/)
 * @returns {{ nb: Notebook, english: string[] }}  english: ids of markdown cells left in English
 */
function zhNotebook(en, translation, name, zhNames) {
  /** @type {Notebook} */
  const nb = JSON.parse(JSON.stringify(en));
  /** @type {string[]} */
  const english = [];
  const relink = (/** @type {string} */ t) => relinkTarget(t, zhNames);
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const source = sourceOf(cell);
    const tr = cell.id ? translation.cells[cell.id] : undefined;
    let text;
    if (tr && tr.en_sha256 === sha256(source) && typeof tr.zh === 'string') text = md.addEnglishAnchors(source, tr.zh);
    else {
      english.push(String(cell.id));
      text = source;
    }
    const relinked = md.rewriteLinks(text, relink);
    cell.source = Array.isArray(cell.source) ? toLines(relinked) : relinked;
  }
  nb.metadata = { ...(nb.metadata || {}), language: LANG };
  nb.metadata.i18n = { language: LANG, source: `../${name}`, generated_by: 'npm run zh (kernel-setup/i18n.js): edit the English notebook or notebooks/i18n/zh/, not this file' };
  nb.metadata.i18n.sources_sha256 = sourcesHash(nb);
  return { nb, english };
}

/**
 * A link target as seen from notebooks/zh/: URLs, fragments and absolute paths unchanged; a notebook that has a
 * Chinese version stays a sibling (the reader stays in Chinese); any other relative path gets '../'.
 * @param {string} target
 * @param {Set<string>} zhNames
 */
function relinkTarget(target, zhNames) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('/') || target === '') return target;
  const file = target.split(/[#?]/)[0];
  if (zhNames.has(file)) return target;
  return `../${target}`;
}

/**
 * Write notebooks/zh/<name>.ipynb for every English notebook with a translation file.
 * @param {Paths & { force?: boolean, log?: (line: string) => void }} [options]
 */
function generate(options = {}) {
  const p = paths(options);
  const log = options.log || ((/** @type {string} */ l) => console.log(l));
  const sources = englishNotebooks(p.notebooksDir);
  const translated = sources.filter((f) => fs.existsSync(path.join(p.i18nDir, `${path.basename(f, '.ipynb')}.json`)));
  const zhNames = new Set(translated.map((f) => path.basename(f)));
  /** @type {{ written: string[], unchanged: string[], kept: string[], untranslated: string[], englishCells: number }} */
  const result = { written: [], unchanged: [], kept: [], untranslated: [], englishCells: 0 };
  for (const file of sources) {
    const name = path.basename(file);
    const translation = readTranslation(p.i18nDir, file);
    if (!translation) {
      result.untranslated.push(name);
      continue;
    }
    const { nb, english } = zhNotebook(readNotebook(file), translation, name, zhNames);
    result.englishCells += english.length;
    const target = path.join(p.outDir, name);
    if (fs.existsSync(target)) {
      let old;
      try { old = readNotebook(target); } catch { old = null; }
      if (old && sourcesHash(old) === sourcesHash(nb)) {
        result.unchanged.push(name); // up to date: keep the file (and the learner's outputs)
        continue;
      }
      const lastGenerated = old && old.metadata && old.metadata.i18n && old.metadata.i18n.sources_sha256;
      if (old && lastGenerated !== sourcesHash(old) && !options.force) {
        result.kept.push(name);
        log(`[zh] ${path.relative(p.root, target)} has your edits (a cell changed since it was generated): kept as it is; ` +
          '`npm run zh -- --force` replaces it with the current translation');
        continue;
      }
    }
    writeAtomic(target, serialize(nb));
    result.written.push(name);
    if (english.length) log(`[zh] ${name}: ${english.length} markdown cell(s) without a current translation stay English (npm run i18n:check lists them)`);
  }
  log(`[zh] ${result.written.length} written, ${result.unchanged.length} up to date, ${result.kept.length} kept (your edits) in ` +
    `${path.relative(p.root, p.outDir) || p.outDir}/; ${result.untranslated.length} notebook(s) not translated yet` +
    (result.untranslated.length ? ` (${result.untranslated.map((n) => n.slice(0, 2)).join(', ')})` : ''));
  return result;
}

// ───────────────────────────── check ─────────────────────────────

/**
 * A case-insensitive, whole-word pattern for a glossary term, plural -s/-es allowed; spaces match any whitespace.
 * @param {string} en
 */
function termPattern(en) {
  const body = en.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?:s|es)?(?![\\p{L}\\p{N}_])`, 'iu');
}

/**
 * The differences of two lists as multisets: what `a` has more of, and what `b` has more of.
 * @param {string[]} a
 * @param {string[]} b
 */
function multisetDiff(a, b) {
  const count = new Map();
  for (const x of a) count.set(x, (count.get(x) || 0) + 1);
  for (const x of b) count.set(x, (count.get(x) || 0) - 1);
  /** @type {string[]} */ const onlyA = [];
  /** @type {string[]} */ const onlyB = [];
  for (const [x, n] of count) {
    for (let i = 0; i < n; i++) onlyA.push(x);
    for (let i = 0; i < -n; i++) onlyB.push(x);
  }
  return { onlyA, onlyB };
}

/** @param {string} s */
const short = (s) => JSON.stringify(s.length > 70 ? `${s.slice(0, 67)}…` : s);

/**
 * What is wrong with one translated text against its English: glossary terms translated another way, code spans/blocks,
 * math and link targets not carried over unchanged, and (for cells) headings not kept.
 * @param {string} en
 * @param {string} zh
 * @param {Term[]} terms
 * @param {{ headings?: boolean }} [opts]
 * @returns {{ kind: string, message: string }[]}
 */
function translationProblems(en, zh, terms, opts = {}) {
  /** @type {{ kind: string, message: string }[]} */
  const out = [];
  const e = md.analyse(en);
  const z = md.analyse(zh);
  for (const t of terms) {
    if (termPattern(t.en).test(e.prose) && !z.prose.includes(t.zh)) {
      out.push({ kind: 'glossary', message: `the English uses "${t.en}": the Chinese must use the glossary's ${t.zh} (translated another way?)` });
    }
  }
  for (const [kind, what] of /** @type {const} */ ([['code', 'code'], ['math', 'math'], ['links', 'link target']])) {
    const { onlyA, onlyB } = multisetDiff(e[kind], z[kind]);
    for (const x of onlyA) out.push({ kind, message: `${what} ${short(x)} of the English is not in the Chinese (keep it verbatim)` });
    for (const x of onlyB) out.push({ kind, message: `${what} ${short(x)} is in the Chinese but not in the English` });
  }
  // Numbers: the Chinese prose adds none that the English (prose, math or code) does not have (1,000 = 1000).
  const numbers = (/** @type {string} */ t) => (t.match(/(?<![\p{L}\p{N}_.])\d+(?:[.,]\d+)*/gu) || []).map((x) => x.replace(/,(?=\d{3}(?!\d))/g, ''));
  const enNumbers = new Set(numbers(en));
  for (const x of new Set(numbers(z.prose))) {
    if (!enNumbers.has(x)) out.push({ kind: 'numbers', message: `the number ${x} is in the Chinese but not in the English (never add a number: every number comes from the English)` });
  }
  if (opts.headings) {
    const eh = md.headings(en).map((h) => h.level);
    const zh2 = md.headings(zh).map((h) => h.level);
    if (eh.join() !== zh2.join()) {
      out.push({ kind: 'headings', message: `headings differ: the English has levels [${eh.join(', ')}], the Chinese [${zh2.join(', ')}] (keep the heading structure)` });
    }
  }
  return out;
}

/**
 * The glossary (notebooks/i18n/zh/glossary.json) and its own problems (a term given two Chinese forms).
 * @param {string} i18nDir
 */
function readGlossary(i18nDir) {
  const file = path.join(i18nDir, 'glossary.json');
  /** @type {Term[]} */
  const terms = fs.existsSync(file) ? (readJson(file).terms || []) : [];
  /** @type {Problem[]} */
  const problems = [];
  const seen = new Map();
  for (const t of terms) {
    const key = String(t.en).toLowerCase().trim();
    if (seen.has(key) && seen.get(key) !== t.zh) problems.push({ where: 'glossary.json', kind: 'glossary', message: `"${t.en}" is translated two ways: ${seen.get(key)} and ${t.zh}` });
    seen.set(key, t.zh);
  }
  return { terms, problems };
}

/**
 * Check the Chinese edition: notebooks' markdown cells, exercise hints, the label table.
 * @param {Paths & { exercises?: ExerciseHintSource[] | null, labelProblems?: (table: Record<string, string>) => string[] }} [options]
 *   exercises: the catalog's exercises (id, English hint); null skips the hints. labelProblems: the library's
 *   labelTableProblems (src/notebook/language.ts), applied to labels.json.
 */
function check(options = {}) {
  const p = paths(options);
  /** @type {Problem[]} */
  const problems = [];
  const { terms, problems: glossaryProblems } = readGlossary(p.i18nDir);
  problems.push(...glossaryProblems);
  const sources = englishNotebooks(p.notebooksDir);
  let cells = 0;
  let current = 0;
  const expectedFiles = new Set(['glossary.json', 'exercises.json', 'labels.json']);
  for (const file of sources) {
    const name = path.basename(file);
    expectedFiles.add(`${path.basename(file, '.ipynb')}.json`);
    const nb = readNotebook(file);
    let translation;
    try {
      translation = readTranslation(p.i18nDir, file);
    } catch (err) {
      problems.push({ where: name, kind: 'file', message: err instanceof Error ? err.message : String(err) });
      translation = null;
    }
    const tcells = translation ? translation.cells : {};
    if (translation && translation.notebook !== name) {
      problems.push({ where: name, kind: 'file', message: `its translation file says "notebook": ${JSON.stringify(translation.notebook)}, expected "${name}"` });
    }
    const ids = new Set();
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'markdown') continue;
      cells++;
      const id = String(cell.id);
      ids.add(id);
      const en = sourceOf(cell);
      const tr = tcells[id];
      const head = `"${firstWords(en)}"`;
      if (!tr || typeof tr.zh !== 'string' || tr.zh.trim() === '') {
        problems.push({ where: name, cell: id, kind: 'missing', message: `${head}: no translation${translation ? '' : ` (no ${path.basename(file, '.ipynb')}.json yet)`}; en_sha256 ${sha256(en)}` });
        continue;
      }
      if (tr.en_sha256 !== sha256(en)) {
        problems.push({ where: name, cell: id, kind: 'stale', message: `${head}: stale — the English changed since it was translated: ` +
          `update the Chinese to the English as it is now, and its en_sha256 to ${sha256(en)}` });
        continue;
      }
      const found = translationProblems(en, tr.zh, terms, { headings: true });
      for (const f of found) problems.push({ where: name, cell: id, kind: f.kind, message: `${head}: ${f.message}` });
      if (found.length === 0) current++;
    }
    for (const id of Object.keys(tcells)) {
      if (!ids.has(id)) problems.push({ where: name, cell: id, kind: 'orphaned', message: 'a translation of a markdown cell the English notebook no longer has (remove it)' });
    }
  }
  if (fs.existsSync(p.i18nDir)) {
    for (const f of fs.readdirSync(p.i18nDir).filter((x) => x.endsWith('.json'))) {
      if (!expectedFiles.has(f)) problems.push({ where: f, kind: 'orphaned', message: 'a translation file for a notebook that does not exist' });
    }
  }
  let hints = 0;
  let hintsCurrent = 0;
  if (options.exercises) {
    const file = path.join(p.i18nDir, 'exercises.json');
    /** @type {Record<string, { en_sha256: string, hint: string }>} */
    const zh = fs.existsSync(file) ? readJson(file) : {};
    for (const ex of options.exercises) {
      hints++;
      const tr = zh[ex.id];
      if (!tr || typeof tr.hint !== 'string' || !tr.hint.trim()) {
        problems.push({ where: 'exercises.json', cell: ex.id, kind: 'missing', message: `hint "${firstWords(ex.hint)}": no translation (en_sha256 ${sha256(ex.hint)})` });
      } else if (tr.en_sha256 !== sha256(ex.hint)) {
        problems.push({ where: 'exercises.json', cell: ex.id, kind: 'stale', message: `hint "${firstWords(ex.hint)}": stale — the English hint changed since ` +
          `it was translated: update the Chinese, and its en_sha256 to ${sha256(ex.hint)}` });
      } else {
        const found = translationProblems(ex.hint, tr.hint, terms);
        for (const f of found) problems.push({ where: 'exercises.json', cell: ex.id, kind: f.kind, message: `hint: ${f.message}` });
        if (found.length === 0) hintsCurrent++;
      }
    }
    const known = new Set(options.exercises.map((e) => e.id));
    for (const id of Object.keys(zh)) if (!known.has(id)) problems.push({ where: 'exercises.json', cell: id, kind: 'orphaned', message: 'a hint for an exercise the catalog does not have' });
  }
  const labelsFile = path.join(p.i18nDir, 'labels.json');
  let labels = 0;
  if (fs.existsSync(labelsFile)) {
    /** @type {Record<string, string>} */
    const table = readJson(labelsFile);
    delete table.about;
    labels = Object.keys(table).length;
    if (options.labelProblems) for (const m of options.labelProblems(table)) problems.push({ where: 'labels.json', kind: 'label', message: m });
    for (const [key, value] of Object.entries(table)) {
      for (const f of translationProblems(key, String(value), terms)) {
        if (f.kind === 'glossary') problems.push({ where: 'labels.json', kind: 'glossary', message: `"${key}": ${f.message}` });
      }
    }
  }
  return { problems, notebooks: sources.length, cells, current, hints, hintsCurrent, labels };
}

/**
 * The check's report: problems grouped by file, then a summary line.
 * @param {ReturnType<typeof check>} r
 */
function report(r) {
  /** @type {string[]} */
  const lines = [];
  const byWhere = new Map();
  for (const pr of r.problems) byWhere.set(pr.where, (byWhere.get(pr.where) || []).concat(pr));
  for (const [where, list] of byWhere) {
    const kinds = new Map();
    for (const pr of list) kinds.set(pr.kind, (kinds.get(pr.kind) || 0) + 1);
    lines.push(`${where}: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}`);
    for (const pr of list) lines.push(`  ${pr.cell ? `cell ${pr.cell}` : '-'} [${pr.kind}] ${pr.message}`);
  }
  lines.push(`i18n: ${r.notebooks} notebooks, ${r.current} of ${r.cells} markdown cells current` +
    (r.hints ? `, ${r.hintsCurrent} of ${r.hints} exercise hints current` : '') + `, ${r.labels} figure labels; ` +
    `${r.problems.length === 0 ? 'no problems' : `${r.problems.length} problem(s)`}`);
  return lines.join('\n');
}

/**
 * The catalog's exercises and the label rule from the built library (build/lib, what the notebooks load).
 * @param {string} root
 */
function libraryParts(root) {
  require('./common').buildLibrary();
  const lib = path.join(root, 'build', 'lib');
  const { EXERCISES } = require(path.join(lib, 'exercises', 'catalog.js'));
  const { labelTableProblems } = require(path.join(lib, 'notebook', 'language.js'));
  return {
    exercises: /** @type {ExerciseHintSource[]} */ (EXERCISES.map((/** @type {ExerciseHintSource} */ e) => ({ id: e.id, hint: e.hint }))),
    labelProblems: /** @type {(t: Record<string, string>) => string[]} */ (labelTableProblems),
  };
}

/** @param {string[]} argv */
function main(argv) {
  const [command = 'check', ...rest] = argv;
  if (command === 'generate') {
    generate({ force: rest.includes('--force') });
    return 0;
  }
  if (command === 'check') {
    const r = check({ ...libraryParts(ROOT) });
    console.log(report(r));
    return r.problems.length === 0 ? 0 : 1;
  }
  console.error(`[i18n] unknown command '${command}': use generate [--force] | check`);
  return 2;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
module.exports = { sha256, generate, check, report, zhNotebook, relinkTarget, translationProblems, termPattern, sourcesHash, englishNotebooks, LANG };
