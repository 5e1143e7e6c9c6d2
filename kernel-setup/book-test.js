#!/usr/bin/env node
// @ts-check
// The HTML book in headless Chromium, served from 127.0.0.1 by a small static server started here.
//
//   node kernel-setup/book-test.js [--book DIR] [--self-test] [--only-self-test] [--only-widgets NN[,NN]]
//
// For every page listed in DIR/book.json (default build/book, written by `npm run book`):
//   - it loads with no console error, no page error, no failed request and no HTTP error
//     (so nothing is fetched from the network: every request must be answered by the local server);
//   - every figure is drawn: figures with a Plotly SVG (.main-svg) and data-rendered = the page's
//     figure count from book.json, and no figure reports an error;
//   - math is rendered: .katex elements = the page's formula count, and no .katex-error;
//   - every local link points to an existing file (and #anchors on the same page exist), the chapter's notebook too;
//   - no code or output block is wider than the main column (scrollWidth vs clientWidth, right edge vs the column's),
//     and every figure has a non-empty text alternative (its <figure>'s description);
//   - every exercise (a code cell calling checkExercise('NN.k', …)) is followed by its solution block: a <details>
//     that is CLOSED (its code not visible), holds code ending in checkExercise('NN.k', …) and opens on a click; the
//     page's exercises are the ones book.json lists, and no solution block stands alone.
// Every page whose notebook exports a live widget (#21) is then checked by book-widgets-test.js: the widget starts, its
// models reproduce the notebook's predictions, and the notebook's own browser test drives it
// (--only-widgets NN[,NN] checks just those widgets).
// With --pdf (or when the book has one), book.pdf is checked too: a PDF (%PDF-), at least one page per chapter.
// A screenshot of each page goes to build/browser/book/. --self-test also builds small books from
// deliberately broken executed notebooks and passes only if each is caught (a figure Plotly cannot
// draw, a figure with no traces, a solution block left open or without code → the page check fails; an error
// output, an exercise without a solution → the build fails; an output that cannot wrap, a figure with an empty description,
// a link to a notebook file that is not in the book → the page check fails).
// Results also go to build/browser/book-summary.json. Last line: "book-test: N passed, M failed".
'use strict';
const fs = require('fs');
const os = require('os');
const http = require('http');
const path = require('path');
const c = require('./common');
const book = require('./book');
const { findChromium, CHROMIUM_ARGS } = require('./browser-test');
const { cjkGlyphsDrawn, CJK_FONT_HINT } = require('./cjk-glyphs');
const { pdfPageCount } = require('./book-pdf');
const { checkWidgets, watchPage, selfTestWidgets } = require('./book-widgets-test');

const SHOTS = path.join(c.ROOT, 'build', 'browser', 'book');
const SUMMARY = path.join(c.ROOT, 'build', 'browser', 'book-summary.json');
/**
 * @typedef {import('playwright-core').BrowserContext} BrowserContext
 * @typedef {{ file: string, figures: number, math: number, exercises?: string[], notebook?: string }} PageEntry   one page of book.json
 * @typedef {{ page: string, ok: boolean, failures: string[], seconds?: number, detected?: string, solutions?: number,
 *   blocks?: number, widest?: number, figures?: number }} Result   blocks: code/output blocks measured; widest: the largest overflow (px)
 * @typedef {{ what: string, expect: 'pass' | 'page-fails' | 'build-fails', must?: RegExp, nb: Record<string, unknown>[],
 *   solutions?: string, tamper?: (html: string) => string, search?: string[] }} BookSelfTest
 *   a small book and how its check must end; 'NN' in cells and solutions stands for the chapter's number; solutions: the
 *   chapter's solutions file (TypeScript); tamper: changes the built chapter page before it is checked; search: queries
 *   that must find the chapter's second heading through the search box
 * @typedef {{ id: string, block: boolean, isDetails: boolean, open: boolean, summary: string, code: string, codeVisible: boolean }} SolutionState
 *   an exercise as the page shows it: the block right after its cell (block: false when there is none)
 */

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml',
};

/** @param {string} msg */
function say(msg) { console.log(`[book-test] ${msg}`); }

/**
 * A static file server for `root` on 127.0.0.1:<free port>.
 * @param {string} root
 * @returns {Promise<{ server: http.Server, base: string }>}
 */
function serve(root) {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      let rel;
      try { rel = decodeURIComponent(new URL(req.url || '/', 'http://x').pathname); } catch { rel = '/'; }
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.join(root, rel);
      if (!path.resolve(file).startsWith(path.resolve(root)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('net').AddressInfo} */ (server.address());
      resolve({ server, base: `http://127.0.0.1:${port}` });
    });
  });
}

/**
 * The exercises of the page (from its code cells) and the block right after each one's cell (runs in the browser).
 * @returns {{ exercises: SolutionState[], blocks: number }}
 */
function readSolutionBlocks() {
  /** @type {SolutionState[]} */
  const exercises = [];
  for (const cell of document.querySelectorAll('section.cell.code')) {
    const code = (cell.querySelector('pre.source code') || { textContent: '' }).textContent || '';
    let next = cell.nextElementSibling;
    for (const m of code.matchAll(/checkExercise\(\s*['"]([0-9]{2}\.[0-9]+)['"]/g)) {
      const id = /** @type {string} */ (m[1]);
      const block = next instanceof HTMLDetailsElement || (next && next.classList.contains('solution')) ? next : null;
      const pre = block && block.querySelector('pre code');
      exercises.push({
        id, block: !!block && (block.getAttribute('data-exercise') === id), isDetails: block instanceof HTMLDetailsElement,
        open: block instanceof HTMLDetailsElement ? block.open : true,
        summary: block ? ((block.querySelector('summary') || { textContent: '' }).textContent || '').trim() : '',
        code: pre ? pre.textContent || '' : '',
        // A closed <details> hides its content with content-visibility (Chromium): checkVisibility() sees that.
        codeVisible: !!pre && pre.checkVisibility() && pre.getClientRects().length > 0,
      });
      if (block) next = block.nextElementSibling;
    }
  }
  return { exercises, blocks: document.querySelectorAll('.solution').length };
}

/**
 * Reading comfort, measured in the page (runs in the browser): every code or output block's content width against its
 * box (scrollWidth vs clientWidth) and its right edge against the main column's; each figure's description (the
 * <figcaption> that labels its <figure>, or an aria-label); the link to the chapter's notebook.
 * @returns {{ wide: { what: string, scroll: number, client: number, text: string }[], widths: number[], undescribed: string[], notebookLink: string | null }}
 */
function readComfort() {
  const main = document.querySelector('main');
  const right = main ? main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight) : innerWidth;
  const wide = [];
  const widths = [];
  for (const el of document.querySelectorAll('main pre, main .output')) {
    if (!(el instanceof HTMLElement) || !el.getClientRects().length) continue; // inside a closed <details>
    const box = el.getBoundingClientRect();
    const overflow = Math.max(el.scrollWidth - el.clientWidth, box.right - right);
    widths.push(Math.round(overflow));
    if (overflow > 1) {
      wide.push({ what: el.tagName === 'PRE' ? `<pre class="${el.className}">` : `.${el.className.replace(/ /g, '.')}`, scroll: Math.round(el.scrollWidth + Math.max(0, box.right - right)),
        client: el.clientWidth, text: (el.textContent || '').trim().slice(0, 60) });
    }
  }
  const undescribed = [];
  for (const f of document.querySelectorAll('.output.figure')) {
    const figure = f.closest('figure');
    const labelled = figure && figure.getAttribute('aria-labelledby');
    const caption = labelled ? document.getElementById(labelled) : figure && figure.querySelector('figcaption');
    const text = (f.getAttribute('aria-label') || (caption && caption.textContent) || '').trim();
    if (!text) undescribed.push(f.id);
  }
  const link = document.querySelector('.notebook-link a[href]');
  return { wide, widths, undescribed, notebookLink: link ? new URL(link.getAttribute('href') || '', location.href).pathname : null };
}

/**
 * Every exercise on the page has its solution block right after its cell: closed (code hidden), with code that ends in
 * the exercise's check, and it opens when its summary is clicked. Adds failures; returns the number of sound blocks.
 * @param {import('playwright-core').Page} page
 * @param {PageEntry} entry
 * @param {string[]} failures
 */
async function checkSolutions(page, entry, failures) {
  const { exercises, blocks } = await page.evaluate(readSolutionBlocks);
  const ids = exercises.map((e) => e.id);
  const listed = entry.exercises || [];
  if (ids.join(',') !== listed.join(',')) failures.push(`exercises on the page: [${ids.join(', ')}]; book.json lists [${listed.join(', ')}]`);
  if (blocks !== exercises.length) failures.push(`${blocks} solution block(s) for ${exercises.length} exercise(s)`);
  let sound = 0;
  for (const [k, e] of exercises.entries()) {
    const before = failures.length;
    if (!e.block) { failures.push(`exercise ${e.id}: no solution block right after its cell`); continue; }
    if (!e.isDetails) failures.push(`exercise ${e.id}: its solution is not a collapsible <details> block`);
    if (e.open || e.codeVisible) failures.push(`exercise ${e.id}: its solution is open when the page loads (it must be collapsed)`);
    if (!/^Solution/.test(e.summary)) failures.push(`exercise ${e.id}: the block's summary reads "${e.summary.slice(0, 60)}", not "Solution …"`);
    if (!e.code.trim()) failures.push(`exercise ${e.id}: its solution block has no code`);
    else if (!e.code.includes(`checkExercise('${e.id}'`)) failures.push(`exercise ${e.id}: its solution code does not end in checkExercise('${e.id}', …)`);
    if (failures.length > before) continue;
    // A reader opens it: the code must then be visible.
    await page.locator(`details.solution[data-exercise="${e.id}"] > summary`).first().click();
    const after = (await page.evaluate(readSolutionBlocks)).exercises[k];
    if (!after || !after.open || !after.codeVisible) failures.push(`exercise ${e.id}: clicking "${e.summary}" does not show the solution's code`);
    else sound++;
  }
  return sound;
}

/**
 * Check one page; returns failure messages.
 * @param {BrowserContext} context
 * @param {string} base
 * @param {string} root
 * @param {PageEntry} entry
 * @param {string} shotDir
 */
async function checkPage(context, base, root, entry, shotDir) {
  /** @type {string[]} */
  const failures = [];
  /** @type {number[]} */
  const widths = [];
  const page = await context.newPage();
  watchPage(page, base, failures);
  try {
    await page.goto(`${base}/${entry.file}`, { waitUntil: 'load', timeout: 60000 });
    const t0 = Date.now();
    let state;
    for (;;) {
      state = await page.evaluate(() => {
        const figs = [...document.querySelectorAll('.output.figure')];
        return {
          figures: figs.length,
          drawn: figs.filter((f) => f.getAttribute('data-rendered') === 'true' && f.querySelector('.main-svg')).length,
          errors: figs.filter((f) => f.classList.contains('figure-error')).map((f) => `${f.id}: ${(f.textContent || '').slice(0, 200)}`),
          katex: document.querySelectorAll('.katex').length,
          katexErrors: [...document.querySelectorAll('.katex-error')].map((e) => (e.getAttribute('title') || e.textContent || '').slice(0, 200)),
        };
      });
      if (state.drawn + state.errors.length >= state.figures || Date.now() - t0 > 30000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (state.figures !== entry.figures) failures.push(`${state.figures} figure(s) on the page, the notebook has ${entry.figures}`);
    if (state.drawn !== entry.figures) failures.push(`${state.drawn} of ${entry.figures} figure(s) drawn (Plotly SVG)`);
    for (const e of state.errors) failures.push(`figure not drawn: ${e}`);
    if (state.katex !== entry.math) failures.push(`${state.katex} rendered formula(s) (.katex), the notebook has ${entry.math}`);
    for (const e of state.katexErrors) failures.push(`math not rendered: ${e}`);
    // Reading comfort: no code or output block is wider than the column (long lines wrap), every figure has a text
    // alternative, and a chapter page links to its notebook.
    const comfort = await page.evaluate(readComfort);
    for (const w of comfort.wide) failures.push(`a ${w.what} block is wider than the column: ${w.scroll} px of content in ${w.client} px (${w.text})`);
    for (const id of comfort.undescribed) failures.push(`figure ${id} has no text alternative (an empty description)`);
    if (path.posix.basename(entry.file) !== 'index.html' && !comfort.notebookLink) failures.push('no link to the chapter\'s notebook ("Open the notebook")');
    else if (comfort.notebookLink && !comfort.notebookLink.endsWith(`/${entry.notebook || ''}`)) failures.push(`the notebook link points to ${comfort.notebookLink}, not ${entry.notebook}`);
    widths.push(...comfort.widths);
    const chinese = await page.evaluate(cjkGlyphsDrawn, /** @type {string | undefined} */ (undefined));
    if (chinese.text && !chinese.drawn) failures.push(`Chinese is drawn as empty boxes ("${chinese.text}" in ${chinese.font}): ${CJK_FONT_HINT}`);
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
    const ids = new Set(await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id)));
    for (const href of new Set(links)) {
      if (href === null || /^[a-z]+:/i.test(href)) continue;
      const [file, hash] = href.split('#');
      if (!file) { if (hash && !ids.has(decodeURIComponent(hash))) failures.push(`link to a missing anchor: ${href}`); continue; }
      if (!fs.existsSync(path.join(root, path.dirname(entry.file), decodeURIComponent(file)))) failures.push(`broken link: ${href}`);
    }
    const shot = path.join(shotDir, entry.file.replace(/\.html$/, '.png'));
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.evaluate(() => { const f = document.querySelector('.output.figure'); if (f) f.scrollIntoView({ block: 'center' }); });
    await page.screenshot({ path: shot });
    const solutions = await checkSolutions(page, entry, failures);
    return { failures, state, solutions, comfort: { widths, figures: state.figures } };
  } catch (err) {
    failures.push(err instanceof Error ? err.message : String(err));
    return { failures, state: null, solutions: 0, comfort: { widths, figures: 0 } };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * The search box, as a reader uses it: on the contents page, type each query, find a result in `page`, click it, and
 * land on that page at a heading that contains the query (case aside). A nonsense query must find nothing, so a box
 * that lists every section for any query fails too.
 * @param {BrowserContext} context
 * @param {string} base
 * @param {{ q: string, page: string, from?: string }[]} searches   from: the page the search starts on (default index.html;
 *   zh/index.html searches the Chinese edition, whose results are its own pages, e.g. page zh/02-losses.html)
 * @returns {Promise<string[]>} failures
 */
async function checkSearch(context, base, searches) {
  /** @type {string[]} */
  const failures = [];
  const page = await context.newPage();
  try {
    /** @param {string} q */
    const search = async (q, from = 'index.html') => {
      await page.goto(`${base}/${from}`, { waitUntil: 'load' });
      await page.waitForSelector('.book-search[data-ready="true"]', { timeout: 10000 });
      await page.fill('.book-search input', q);
      await page.waitForFunction(() => document.querySelector('.book-search')?.hasAttribute('data-results'), undefined, { timeout: 5000 });
      return page.evaluate(() => [...document.querySelectorAll('.book-search .search-results a')].map((a) => a.getAttribute('href') || ''));
    };
    for (const { q, page: target, from = 'index.html' } of searches) {
      const hrefs = await search(q, from);
      const dir = path.posix.dirname(from) === '.' ? '' : `${path.posix.dirname(from)}/`;
      const k = hrefs.findIndex((h) => `${dir}${h}`.startsWith(`${target}#`));
      if (k < 0) { failures.push(`search "${q}": no result in ${target} (results: ${hrefs.join(', ') || 'none'})`); continue; }
      await page.click(`.book-search .search-results li:nth-child(${k + 1}) a`);
      await page.waitForURL((url) => url.pathname.endsWith(`/${target}`), { timeout: 60000, waitUntil: 'commit' });
      await page.waitForLoadState('domcontentloaded', { timeout: 60000 });
      const landed = await page.evaluate(() => {
        const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        return el ? (el.textContent || '') : null;
      });
      if (landed === null) failures.push(`search "${q}": the result ${hrefs[k]} leads to no element on ${target}`);
      else if (!landed.toLowerCase().includes(q.toLowerCase())) failures.push(`search "${q}": landed on "${landed.slice(0, 80)}", which does not contain it`);
      else say(`✔ search "${q}" → ${decodeURIComponent(/** @type {string} */ (hrefs[k]))}`);
    }
    const none = await search('zzqqxxnothing');
    if (none.length) failures.push(`search "zzqqxxnothing" found ${none.length} result(s): the box does not filter`);
  } catch (err) {
    failures.push(`search: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  } finally {
    await page.close().catch(() => {});
  }
  return failures;
}

/**
 * The language switch keeps the reader's place (#23): on `page` in one edition, scroll a cell from the middle of the
 * page to the top, click the switch, and land on the other edition's page with that same cell at the top; both ways.
 * The Chinese page must also be Chinese: most of its prose's letters are Han characters (a page generated without its
 * translations is English and fails).
 * @param {BrowserContext} context
 * @param {string} base
 * @param {string} file   a chapter in both editions, e.g. '02-losses.html' (the Chinese one is zh/<file>)
 * @returns {Promise<string[]>} failures
 */
async function checkLanguageSwitch(context, base, file) {
  /** @type {string[]} */
  const failures = [];
  const page = await context.newPage();
  try {
    for (const [from, to] of [[`zh/${file}`, file], [file, `zh/${file}`]]) {
      await page.goto(`${base}/${from}`, { waitUntil: 'load' });
      const picked = await page.evaluate(() => {
        const cells = [...document.querySelectorAll('main section.cell.markdown[id]')];
        const cell = cells[Math.floor(cells.length / 2)];
        if (!cell) return null;
        cell.scrollIntoView({ block: 'start' });
        const main = document.querySelector('main');
        // The prose without its formulas and code (KaTeX's text is Latin letters, twice: HTML and MathML).
        const prose = [...document.querySelectorAll('main section.cell.markdown')].map((e) => {
          const copy = /** @type {Element} */ (e.cloneNode(true));
          copy.querySelectorAll('.katex, code, pre').forEach((x) => x.remove());
          return copy.textContent || '';
        }).join(' ');
        const han = (prose.match(/\p{Script=Han}/gu) || []).length;
        const latin = (prose.match(/[A-Za-z]/g) || []).length;
        return { id: cell.id, lang: document.documentElement.lang, han, latin, main: !!main };
      });
      if (!picked) { failures.push(`${from}: no markdown cell with an id (the switch has nothing to keep)`); continue; }
      if (from.startsWith('zh/')) {
        if (picked.lang !== 'zh-CN') failures.push(`${from}: <html lang="${picked.lang}">, not zh-CN`);
        // Chinese prose keeps code, formulas and English terms in brackets: Han characters outnumber Latin letters
        // by far in a translated page (≥ 1 : 2), an untranslated page has almost none.
        if (picked.han < picked.latin / 2) failures.push(`${from}: the prose is not Chinese (${picked.han} Han characters, ${picked.latin} Latin letters)`);
      }
      await page.click('.chapter-nav.top a.lang-switch');
      await page.waitForURL((url) => url.pathname.endsWith(`/${to}`), { timeout: 60000, waitUntil: 'commit' });
      await page.waitForLoadState('load', { timeout: 60000 });
      const landed = await page.evaluate(() => {
        const id = decodeURIComponent(location.hash.slice(1));
        const el = id ? document.getElementById(id) : null;
        return { id, top: el ? el.getBoundingClientRect().top : null };
      });
      if (landed.id !== picked.id) failures.push(`switch ${from} → ${to}: landed at #${landed.id || '(none)'}, not at the cell being read (#${picked.id})`);
      else if (landed.top === null || Math.abs(landed.top) > 120) failures.push(`switch ${from} → ${to}: cell #${picked.id} is ${landed.top} px from the top of the window`);
      else say(`✔ language switch ${from} → ${to} keeps the place (#${picked.id})`);
    }
  } catch (err) {
    failures.push(`language switch: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  } finally {
    await page.close().catch(() => {});
  }
  return failures;
}

/**
 * Check every page of a built book with one browser context.
 * @param {BrowserContext} context
 * @param {string} root
 * @param {string} shotDir
 * @returns {Promise<Result[]>}
 */
async function checkBook(context, root, shotDir, label = '', searches = /** @type {{ q: string, page: string, from?: string }[]} */ ([]), switchPage = '',
  widgets = /** @type {string[] | null | false} */ (false)) {
  /** @type {{ pages: PageEntry[] }} */
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'book.json'), 'utf8'));
  const { server, base } = await serve(root);
  /** @type {Result[]} */
  const results = [];
  try {
    // --only-widgets NN,…: the live widgets of those chapters and nothing else.
    if (Array.isArray(widgets)) return await checkWidgets(context, base, manifest, widgets);
    for (const entry of manifest.pages) {
      const t0 = Date.now();
      const { failures, state, solutions, comfort } = await checkPage(context, base, root, entry, shotDir);
      const r = { page: `${label}${entry.file}`, ok: failures.length === 0, failures, seconds: (Date.now() - t0) / 1000, solutions,
        blocks: comfort.widths.length, widest: Math.max(0, ...comfort.widths), figures: comfort.figures };
      results.push(r);
      if (!label) {
        if (r.ok && state) {
          say(`✔ ${entry.file}: loaded cleanly, Chinese drawn, ${state.drawn}/${entry.figures} figure(s) drawn and described, ${state.katex} formula(s) rendered, ` +
            `${r.blocks} code/output block(s) within the column (largest overflow ${r.widest} px)` +
            `${solutions ? `, ${solutions} exercise(s) with a closed solution block that opens` : ''} (${r.seconds.toFixed(1)} s)`);
        } else {
          say(`✘ ${entry.file}:`);
          for (const f of failures) say(`    - ${f}`);
        }
      }
    }
    if (searches.length) {
      const t0 = Date.now();
      const failures = await checkSearch(context, base, searches);
      results.push({ page: `${label}search`, ok: failures.length === 0, failures, seconds: (Date.now() - t0) / 1000 });
      if (!label) for (const f of failures) say(`✘ ${f}`);
    }
    if (widgets === null) results.push(...await checkWidgets(context, base, manifest));
    if (switchPage) {
      const t0 = Date.now();
      const failures = await checkLanguageSwitch(context, base, switchPage);
      results.push({ page: `${label}language switch`, ok: failures.length === 0, failures, seconds: (Date.now() - t0) / 1000 });
      if (!label) for (const f of failures) say(`✘ ${f}`);
    }
  } finally {
    await new Promise((r) => server.close(() => r(undefined)));
  }
  return results;
}

// ───────────────────────── deliberately broken books (--self-test) ─────────────────────────

const md = (/** @type {string} */ source) => ({ cell_type: 'markdown', source });
const code = (/** @type {string} */ source, /** @type {unknown[]} */ outputs) => ({ cell_type: 'code', execution_count: null, source, outputs });
const fig = (/** @type {unknown} */ figure) => ({ output_type: 'display_data', metadata: {}, data: { 'application/vnd.plotly.v1+json': figure } });
const GOOD_FIGURE = { data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }], layout: { title: { text: 'fine' } } };
// An exercise as a notebook ends with it: the statement, then the stub cell (as executed: "not attempted yet").
const exercise = () => [
  md('**Exercise `NN.1`** · understand 理解 · ★ — the answer\n\nWhat is six times seven?'),
  code("const answer: number | undefined = undefined; // your answer\ncheckExercise('NN.1', answer);",
    [{ output_type: 'stream', name: 'stdout', text: '· NN.1 the answer (understand, ★): not attempted yet\n' }]),
];
const SOLUTIONS_FILE = "import { Solutions } from './types';\n\nconst times = (a: number, b: number): number => a * b;\n\n" +
  "export const solutions: Solutions = {\n  'NN.1': {\n    answer: times(6, 7),\n    wrong: [13],\n" +
  "    explanation: 'Six sevens are ' +\n      'forty-two.',\n  },\n};\n";

// A chapter whose heading the search self-tests look for.
const SEARCH_CHAPTER = [md('# NN · Search\n\n## 1 · Cross-entropy — 交叉熵\n\nThe loss of a classifier.'), md('## 2 · Other\n\nNothing here.')];
/** @type {BookSelfTest[]} */
const BOOK_SELF_TESTS = [
  {
    what: 'search finds a section in both languages (control: must PASS)', expect: 'pass', search: ['交叉熵', 'cross-entropy'], nb: SEARCH_CHAPTER,
  },
  {
    what: 'a book without its search script', expect: 'page-fails', search: ['交叉熵'], must: /search/,
    tamper: (html) => html.replace('<script src="assets/search.js"></script>', ''), nb: SEARCH_CHAPTER,
  },
  {
    what: 'a sound chapter (control: must PASS)', expect: 'pass',
    nb: [md('# 90 · Control\n\nInline $a^2+b^2=c^2$ and display:\n\n$$\\sum_{i=1}^n x_i$$\n\n```mermaid\ngraph LR; A-->B\n```\n\nCode `${x}` stays code.'),
      code('show(figure)', [{ output_type: 'stream', name: 'stdout', text: 'hello\n' }, fig(GOOD_FIGURE)])],
  },
  {
    what: 'a figure Plotly cannot draw', expect: 'page-fails', must: /figure not drawn: figure-2: This figure could not be drawn: /,
    nb: [md('# 91 · Bad figure'), code('show(a); show(b)', [fig(GOOD_FIGURE), fig({ data: [{ type: 'bar', x: [1], y: [2] }], layout: { xaxis: 'not an axis' } })])],
  },
  {
    what: 'a figure whose data is not a list of traces', expect: 'page-fails', must: /figure not drawn: figure-1: .*not a non-empty list of traces/,
    nb: [md('# 92 · No traces'), code('show(x)', [fig({ data: 'oops', layout: {} })])],
  },
  {
    what: 'an exercise with its solution (control: must PASS)', expect: 'pass', solutions: SOLUTIONS_FILE,
    nb: [md('# 94 · Exercise'), ...exercise()],
  },
  {
    what: 'an exercise without a solution', expect: 'build-fails', must: /exercise 9\d\.1 \(cell 3\) has no solution: add '9\d\.1'/,
    nb: [md('# 95 · Unsolved'), ...exercise()],
  },
  {
    what: 'a solution block left open', expect: 'page-fails', solutions: SOLUTIONS_FILE,
    must: /exercise 9\d\.1: its solution is open when the page loads/, tamper: (html) => html.replace('<details class="solution"', '<details open class="solution"'),
    nb: [md('# 96 · Open'), ...exercise()],
  },
  {
    what: 'a solution block without code', expect: 'page-fails', solutions: SOLUTIONS_FILE, must: /exercise 9\d\.1: its solution block has no code/,
    tamper: (html) => html.replace(/(<pre class="source solution-code"><code[^>]*>)[\s\S]*?(<\/code>)/, '$1$2'),
    nb: [md('# 97 · Empty'), ...exercise()],
  },
  {
    what: 'an executed notebook with an error', expect: 'build-fails', must: /cell 2 \(`throw new Error\("boom"\);`\) wrote to stderr/,
    nb: [md('# 93 · Error'), code('throw new Error("boom");', [{ output_type: 'stream', name: 'stderr', text: 'Error: boom\n    at evalmachine.<anonymous>:1:7\n' }])],
  },
  // Reading comfort (these chapters have no exercise: their numbers pass 99, which exercise ids cannot).
  {
    what: 'a code line and an output line of 430 characters wrap inside the column (control: must PASS)', expect: 'pass',
    nb: [md('# NN · Long lines'), code(`const long = [${'123456789, '.repeat(42)}];`, [{ output_type: 'stream', name: 'stdout', text: `${'x'.repeat(430)}\n` }])],
  },
  {
    what: 'an output block that cannot wrap', expect: 'page-fails', must: /a <pre class="output stream stdout"> block is wider than the column/,
    tamper: (html) => html.replace('<pre class="output stream stdout">', '<pre class="output stream stdout" style="white-space: pre; overflow-wrap: normal">'),
    nb: [md('# NN · Unwrappable'), code('console.log(long)', [{ output_type: 'stream', name: 'stdout', text: `${'x'.repeat(430)}\n` }])],
  },
  {
    what: 'a figure without a text alternative', expect: 'page-fails', must: /figure figure-1 has no text alternative/,
    tamper: (html) => html.replace(/(<figcaption[^>]*>)[^<]*(<\/figcaption>)/, '$1$2'),
    nb: [md('# NN · Undescribed'), code('show(figure)', [fig(GOOD_FIGURE)])],
  },
  {
    what: 'a link to a notebook file that is not in the book', expect: 'page-fails', must: /broken link: notebooks\/missing-/,
    tamper: (html) => html.replace('href="notebooks/', 'href="notebooks/missing-'),
    nb: [md('# NN · Lost notebook')],
  },
];

/**
 * Build and check each deliberately broken book; each must fail the way its entry says (the control must pass).
 * @param {BrowserContext} context
 * @returns {Promise<Result[]>}
 */
async function selfTest(context) {
  /** @type {Result[]} */
  const results = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-selftest-'));
  try {
    for (const [i, t] of BOOK_SELF_TESTS.entries()) {
      const dir = path.join(tmp, String(i));
      const src = path.join(dir, 'src');
      const exe = path.join(dir, 'executed');
      fs.mkdirSync(src, { recursive: true });
      fs.mkdirSync(exe, { recursive: true });
      const name = `9${i}-selftest.ipynb`;
      const number = (/** @type {string} */ text) => text.replace(/\bNN\./g, `9${i}.`);
      const nb = c.fakeNotebook(t.nb.map((cell) => JSON.parse(number(JSON.stringify(cell)))));
      if (t.solutions) {
        fs.mkdirSync(path.join(src, 'solutions'), { recursive: true });
        fs.writeFileSync(path.join(src, 'solutions', `9${i}-selftest.ts`), number(t.solutions));
      }
      fs.writeFileSync(path.join(exe, name), JSON.stringify(nb));
      fs.writeFileSync(path.join(src, name), JSON.stringify({ ...nb, cells: nb.cells.map((cell) => ({ ...cell, outputs: cell.cell_type === 'code' ? [] : undefined })) }));
      let outcome;
      let detail = '';
      const log = console.log;
      try {
        console.log = () => {};
        await book.buildBook({ sources: [path.join(src, name)], executedDir: exe, out: path.join(dir, 'book') });
        console.log = log;
        if (t.tamper) {
          // Every page of the small book (the chapter and the contents page) gets the same change.
          let changedAny = false;
          for (const file of fs.readdirSync(path.join(dir, 'book')).filter((f) => f.endsWith('.html'))) {
            const page = path.join(dir, 'book', file);
            const html = fs.readFileSync(page, 'utf8');
            const changed = t.tamper(html);
            if (changed !== html) { fs.writeFileSync(page, changed); changedAny = true; }
          }
          if (!changedAny) throw new Error(`self-test "${t.what}": tampering changed nothing (the page's markup changed?)`);
        }
        const searches = (t.search || []).map((q) => ({ q, page: name.replace(/\.ipynb$/, '.html') }));
        const pages = await checkBook(context, path.join(dir, 'book'), path.join(SHOTS, 'selftest', String(i)), 'self-test ', searches);
        const failures = pages.flatMap((p) => p.failures);
        const shown = pages.reduce((n, p) => n + (p.solutions || 0), 0);
        if (t.solutions && t.expect === 'pass' && shown === 0) failures.push('the exercise\'s solution block was not found on the page');
        outcome = failures.length ? 'page-fails' : 'pass';
        detail = failures.join('\n');
      } catch (e) {
        console.log = log;
        if (!(e instanceof book.BookError)) throw e;
        outcome = 'build-fails';
        detail = e.message;
      }
      const ok = outcome === t.expect && (!t.must || t.must.test(detail));
      results.push({ page: `self-test: ${t.what}`, ok, failures: ok ? [] : [`expected ${t.expect}, got ${outcome}: ${detail}`], detected: detail });
      if (ok) say(`✔ self-test: ${t.what} → ${t.expect === 'pass' ? 'passed' : `caught (${detail.split('\n').find((l) => !!t.must && t.must.test(l)) || detail.split('\n')[0]})`.slice(0, 220)}`);
      else say(`✘ self-test: ${t.what}: expected ${t.expect}, got ${outcome}\n${detail}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  results.push(...await selfTestGlyphs(context));
  results.push(...await selfTestWidgets(context, serve));
  results.push(...selfTestPdf());
  return results;
}

/**
 * The book's PDF (`npm run book -- --pdf`): the file exists, is a PDF (starts with %PDF) and has at least one page per
 * chapter (its /Type /Page objects), and book.json's record of it matches.
 * @param {string} root
 * @returns {Result}
 */
function checkPdf(root) {
  /** @type {string[]} */
  const failures = [];
  /** @type {{ pages: PageEntry[], pdf?: { file: string, pages: number, chapters: number } }} */
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'book.json'), 'utf8'));
  const chapters = manifest.pages.filter((p) => p.file !== 'index.html').length;
  const file = path.join(root, (manifest.pdf && manifest.pdf.file) || 'book.pdf');
  let pages = 0;
  let bytes = 0;
  if (!fs.existsSync(file)) failures.push(`no ${path.basename(file)} in the book: build it with \`npm run book -- --pdf\``);
  else {
    const pdf = fs.readFileSync(file);
    bytes = pdf.length;
    pages = pdfPageCount(pdf);
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') failures.push(`${path.basename(file)} does not start with %PDF-`);
    if (pages < chapters) failures.push(`${pages} page(s) for ${chapters} chapter(s): a chapter is missing`);
    if (manifest.pdf && manifest.pdf.pages !== pages) failures.push(`book.json records ${manifest.pdf.pages} page(s), the file has ${pages}`);
  }
  return { page: 'book.pdf', ok: failures.length === 0, failures, detected: `book.pdf: ${pages} page(s) for ${chapters} chapter(s), ${(bytes / 1e6).toFixed(1)} MB` };
}

/**
 * The PDF check can fail: a file that is not a PDF, and a PDF with fewer pages than chapters, are caught; the control
 * (a PDF of two pages for two chapters) passes. No browser needed.
 * @returns {Result[]}
 */
function selfTestPdf() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-pdf-selftest-'));
  const page = '<< /Type /Page /Parent 2 0 R >>';
  const cases = [
    { what: 'a PDF with a page per chapter (control: must PASS)', body: `%PDF-1.4\n${page}\n${page}\n<< /Type /Pages /Count 2 >>\n%%EOF\n`, expect: true, must: /./ },
    { what: 'a book.pdf that is not a PDF', body: '<html>not a pdf</html>', expect: false, must: /does not start with %PDF-/ },
    { what: 'a PDF with fewer pages than chapters', body: `%PDF-1.4\n${page}\n<< /Type /Pages /Count 1 >>\n%%EOF\n`, expect: false, must: /1 page\(s\) for 2 chapter\(s\)/ },
  ];
  /** @type {Result[]} */
  const results = [];
  try {
    for (const t of cases) {
      fs.writeFileSync(path.join(tmp, 'book.json'), JSON.stringify({ pages: [{ file: 'index.html' }, { file: '01-a.html' }, { file: '02-b.html' }] }));
      fs.writeFileSync(path.join(tmp, 'book.pdf'), t.body);
      const r = checkPdf(tmp);
      const detail = r.ok ? r.detected || '' : r.failures.join('; ');
      const ok = r.ok === t.expect && t.must.test(detail);
      results.push({ page: `self-test: ${t.what}`, ok, failures: ok ? [] : [`expected ${t.expect ? 'pass' : 'fail'}: ${detail}`] });
      say(`${ok ? '✔' : '✘'} self-test: ${t.what} → ${t.expect ? 'passed' : `caught (${detail})`}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

/**
 * The Chinese-glyph check can fail: unassigned code points as the heading's text must read as boxes, and real
 * Chinese as drawn (the control, which needs the CJK font the check asks for).
 * @param {BrowserContext} context
 * @returns {Promise<Result[]>}
 */
async function selfTestGlyphs(context) {
  const page = await context.newPage();
  try {
    await page.setContent('<h1>自测 · glyph self-test</h1>');
    const cases = [
      { what: 'unassigned code points as a Chinese heading', probe: '\u{10FFFE}\u{10FFFE}', expect: false },
      { what: 'a real Chinese heading (control)', probe: undefined, expect: true },
    ];
    /** @type {Result[]} */
    const results = [];
    for (const t of cases) {
      const r = await page.evaluate(cjkGlyphsDrawn, t.probe);
      const ok = r.drawn === t.expect;
      const outcome = r.drawn ? 'drawn' : 'boxes';
      results.push({ page: `self-test: ${t.what}`, ok, failures: ok ? [] : [`expected ${t.expect ? 'drawn' : 'boxes'}, got ${outcome}${t.expect ? `: ${CJK_FONT_HINT}` : ''}`] });
      say(`${ok ? '✔' : '✘'} self-test: ${t.what} → ${outcome}`);
    }
    return results;
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * @param {string[]} argv
 * @returns {Promise<number>} the exit status
 */
async function main(argv) {
  const t0 = Date.now();
  let root = path.join(c.ROOT, 'build', 'book');
  let self = false;
  let only = false;
  let requirePdf = false;
  /** @type {string[] | null} */
  let onlyWidgets = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--book') root = path.resolve(argv[++i] || '');
    else if (argv[i] === '--self-test') self = true;
    else if (argv[i] === '--only-self-test') { self = true; only = true; }
    else if (argv[i] === '--pdf') requirePdf = true;
    else if (argv[i] === '--only-widgets') onlyWidgets = String(argv[++i] || '').split(',').filter(Boolean).map((n) => n.padStart(2, '0'));
    else { console.error(`[book-test] unknown option ${argv[i]} (use --book DIR, --pdf, --self-test, --only-self-test, --only-widgets NN[,NN])`); return 2; }
  }
  if (!only && !fs.existsSync(path.join(root, 'book.json'))) {
    console.error(`[book-test] ✘ no book in ${path.relative(c.ROOT, root)}: run \`npm run book\` first`);
    return 1;
  }
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-chromium-'));
  /** @type {BrowserContext | null} */
  let context = null;
  /** @type {Result[]} */
  const results = [];
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true, viewport: { width: 1200, height: 900 },
    });
    if (onlyWidgets) {
      results.push(...await checkBook(context, root, SHOTS, '', [], '', onlyWidgets));
      only = true;
    } else fs.rmSync(SHOTS, { recursive: true, force: true }); // no screenshots of pages from an older book
    if (!only && (requirePdf || fs.existsSync(path.join(root, 'book.pdf')) || JSON.parse(fs.readFileSync(path.join(root, 'book.json'), 'utf8')).pdf)) {
      const r = checkPdf(root);
      results.push(r);
      say(r.ok ? `✔ ${r.detected}` : `✘ book.pdf: ${r.failures.join('; ')}`);
    }
    if (!only) {
      // Search finds the course's terms in both languages (02 teaches cross-entropy) and jumps to the section.
      const has02 = fs.existsSync(path.join(root, '02-losses.html'));
      /** @type {{ q: string, page: string, from?: string }[]} */
      const searches = has02 ? [{ q: '交叉熵', page: '02-losses.html' }, { q: 'cross-entropy', page: '02-losses.html' }] : [];
      // The Chinese edition (zh/, #23) searches its own pages, and its pages switch to the English ones in place.
      const zh02 = has02 && fs.existsSync(path.join(root, 'zh', '02-losses.html'));
      if (zh02) searches.push({ q: '交叉熵', page: 'zh/02-losses.html', from: 'zh/index.html' }, { q: '损失函数', page: 'zh/02-losses.html', from: 'zh/index.html' });
      results.push(...await checkBook(context, root, SHOTS, '', searches, zh02 ? '02-losses.html' : '', null));
    }
    if (self) results.push(...await selfTest(context));
  } catch (err) {
    results.push({ page: '(setup)', ok: false, failures: [String(err instanceof Error && err.stack || err)] });
    say(`✘ ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const solutions = results.filter((r) => !r.page.startsWith('self-test')).reduce((n, r) => n + (r.solutions || 0), 0);
  fs.mkdirSync(path.dirname(SUMMARY), { recursive: true });
  fs.writeFileSync(SUMMARY, JSON.stringify(results, null, 2));
  console.log(`book-test: ${passed} passed, ${results.length - passed} failed — ${only ? '' : `${solutions} collapsed solution(s) checked, `}` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s (screenshots in ${path.relative(c.ROOT, SHOTS)}/)`);
  return results.length && passed === results.length ? 0 : 1;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));

module.exports = { serve, checkBook, checkPdf, checkSearch, checkLanguageSwitch, BOOK_SELF_TESTS };
