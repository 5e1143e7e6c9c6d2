// @ts-check
// The book's live widgets in Chromium (#21), run by book-test.js after the page checks (or alone:
// `node kernel-setup/book-test.js --only-widgets 04,05`). For every chapter page (both editions) whose notebook has a
// book-export cell:
//   - the page has the widget (an export and a widget script were found when the book was built);
//   - the widget starts (data-ready) with no console error, no page error and no request leaving the page's origin;
//   - the page's models reproduce the notebook's predictions on the stored check inputs: the same top class for every
//     input and |page − notebook| ≤ the export's tolerance + BACKEND_SLACK (CourseWidgets.verify in widgets/common.js);
//   - the notebook's own browser test, kernel-setup/book-widget-tests/<nb>.js, drives the widget as a reader would
//     (`module.exports = { notebook, async check(page, { say, screenshot, lang, base }) → summary }`, throws on failure);
//   - a screenshot of the widget goes to build/browser/widget-<nb>[-zh].png.
'use strict';
const fs = require('fs');
const path = require('path');
const c = require('./common');

const TESTS = path.join(__dirname, 'book-widget-tests');
const SHOT_DIR = path.join(c.ROOT, 'build', 'browser');
/** The page's backend (WebAssembly, WebGL or JavaScript) may differ from the notebook's native TensorFlow by float32 rounding. */
const BACKEND_SLACK = 1e-4;
const READY_MS = 90000;

/** @param {string} msg */
function say(msg) { console.log(`[book-test] ${msg}`); }

/**
 * Record what a page must not do: console errors, page errors, failed requests, HTTP errors, requests off its origin.
 * @param {import('playwright-core').Page} page
 * @param {string} base
 * @param {string[]} failures
 */
function watchPage(page, base, failures) {
  page.on('console', (m) => { if (m.type() === 'error') failures.push(`console error: ${m.text().slice(0, 300)}`); });
  page.on('pageerror', (e) => failures.push(`page error: ${String(e.message).slice(0, 300)}`));
  page.on('requestfailed', (r) => failures.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  page.on('response', (r) => { if (r.status() >= 400) failures.push(`HTTP ${r.status()} for ${r.url()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(base) && !/^(data|blob|about):/.test(r.url())) failures.push(`request outside the book: ${r.url()}`); });
}

/**
 * Check the widget of one page; returns { failures, summary }.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} base
 * @param {{ file: string, widget?: string | null, exportCell?: boolean, lang?: string }} entry
 */
async function checkWidgetPage(context, base, entry) {
  /** @type {string[]} */
  const failures = [];
  if (!entry.widget) return { failures: ['the notebook has a book-export cell but the page has no widget (its export or kernel-setup/book/widgets/ script was missing when the book was built)'], summary: '' };
  const nb = entry.widget;
  const lang = entry.lang === 'zh' ? 'zh' : 'en';
  const testFile = path.join(TESTS, `${nb}.js`);
  if (!fs.existsSync(testFile)) failures.push(`no browser test for the widget: write ${path.relative(c.ROOT, testFile)}`);
  const page = await context.newPage();
  watchPage(page, base, failures);
  const parts = [];
  try {
    await page.goto(`${base}/${entry.file}`, { waitUntil: 'load', timeout: 60000 });
    const root = page.locator(`.course-widget[data-notebook="${nb}"]`);
    await page.waitForFunction((n) => {
      const el = document.querySelector(`.course-widget[data-notebook="${n}"]`);
      return !!el && (el.getAttribute('data-ready') === 'true' || el.hasAttribute('data-error'));
    }, nb, { timeout: READY_MS });
    const error = await root.getAttribute('data-error');
    if (error) throw new Error(`the widget did not start: ${error}`);
    parts.push(`started on ${await root.getAttribute('data-backend')}`);
    /** @type {Record<string, { n: number, maxDiff: number, sameTop: boolean, tolerance: number }>} */
    const verified = await page.evaluate((n) => /** @type {any} */ (window).CourseWidgets.verify(n), nb);
    for (const [name, v] of Object.entries(verified)) {
      const limit = v.tolerance + BACKEND_SLACK;
      if (!v.sameTop) failures.push(`model ${name}: the page's top class differs from the notebook's on a check input`);
      if (!(v.maxDiff <= limit)) failures.push(`model ${name}: the page's outputs differ from the notebook's by ${v.maxDiff.toExponential(2)} > ${limit.toExponential(1)}`);
      parts.push(`${name} reproduces the notebook on ${v.n} input(s) (max |Δ| ${v.maxDiff.toExponential(1)})`);
    }
    if (!Object.keys(verified).length) parts.push('no model to verify');
    const screenshot = async (/** @type {string} */ name) => {
      fs.mkdirSync(SHOT_DIR, { recursive: true });
      const file = path.join(SHOT_DIR, `${name}${lang === 'zh' ? '-zh' : ''}.png`);
      await root.scrollIntoViewIfNeeded();
      await page.locator(`#widget-${nb}`).screenshot({ path: file });
      return file;
    };
    if (fs.existsSync(testFile)) {
      const test = require(testFile);
      const summary = await test.check(page, { say, screenshot, lang, base });
      if (summary) parts.push(String(summary));
    }
    await screenshot(`widget-${nb}`);
  } catch (err) {
    failures.push(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await page.close().catch(() => {});
  }
  return { failures, summary: parts.join('; ') };
}

/**
 * Check the widgets of every page of book.json that has a book-export cell (only those of `only`, chapter numbers, when given).
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} base
 * @param {{ pages: { file: string, widget?: string | null, exportCell?: boolean, lang?: string }[] }} manifest
 * @param {string[] | null} [only]
 * @returns {Promise<{ page: string, ok: boolean, failures: string[], seconds: number }[]>}
 */
async function checkWidgets(context, base, manifest, only = null) {
  const results = [];
  const pages = manifest.pages.filter((p) => p.exportCell && (!only || only.includes(path.posix.basename(p.file).slice(0, 2))));
  if (only && !pages.length) return [{ page: `widgets ${only.join(',')}`, ok: false, failures: ['no page of book.json has a book-export cell for these chapters'], seconds: 0 }];
  for (const entry of pages) {
    const t0 = Date.now();
    const { failures, summary } = await checkWidgetPage(context, base, entry);
    const r = { page: `widget ${entry.file}`, ok: failures.length === 0, failures, seconds: (Date.now() - t0) / 1000 };
    results.push(r);
    if (r.ok) say(`✔ widget ${entry.file}: ${summary} (${r.seconds.toFixed(1)} s)`);
    else { say(`✘ widget ${entry.file}:`); for (const f of failures) say(`    - ${f}`); }
  }
  return results;
}

module.exports = { checkWidgets, watchPage, BACKEND_SLACK };
