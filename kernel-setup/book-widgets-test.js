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
 * @typedef {{ tests?: string, query?: string, backend?: string | null, quiet?: boolean }} WidgetCheckOptions
 *   tests: the folder of the widgets' browser tests; query: appended to the page's URL (e.g. ?backend=wasm, which
 *   widgets/common.js obeys); backend: the backend the widget must end up on
 */

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
 * @param {WidgetCheckOptions} [options]
 */
async function checkWidgetPage(context, base, entry, { tests = TESTS, query = '', backend = null, quiet = false } = {}) {
  /** @type {string[]} */
  const failures = [];
  if (!entry.widget) return { failures: ['the notebook has a book-export cell but the page has no widget (its export or kernel-setup/book/widgets/ script was missing when the book was built)'], summary: '' };
  const nb = entry.widget;
  const lang = entry.lang === 'zh' ? 'zh' : 'en';
  const testFile = path.join(tests, `${nb}.js`);
  if (!fs.existsSync(testFile)) failures.push(`no browser test for the widget: write ${path.relative(c.ROOT, testFile)}`);
  const page = await context.newPage();
  watchPage(page, base, failures);
  const parts = [];
  try {
    await page.goto(`${base}/${entry.file}${query}`, { waitUntil: 'load', timeout: 60000 });
    const root = page.locator(`.course-widget[data-notebook="${nb}"]`);
    await page.waitForFunction((n) => {
      const el = document.querySelector(`.course-widget[data-notebook="${n}"]`);
      return !!el && (el.getAttribute('data-ready') === 'true' || el.hasAttribute('data-error'));
    }, nb, { timeout: READY_MS });
    const error = await root.getAttribute('data-error');
    if (error) throw new Error(`the widget did not start: ${error}`);
    const used = await root.getAttribute('data-backend');
    if (backend && used !== backend) failures.push(`the widget runs on ${used}, not ${backend}`);
    parts.push(`started on ${used}`);
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
    if (!quiet) await screenshot(`widget-${nb}`);   // not of the self-test's small books
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
 * @param {WidgetCheckOptions} [options]   quiet: no log lines and no screenshots (the self-test)
 * @returns {Promise<{ page: string, ok: boolean, failures: string[], seconds: number }[]>}
 */
async function checkWidgets(context, base, manifest, only = null, options = {}) {
  const results = [];
  const pages = manifest.pages.filter((p) => p.exportCell && (!only || only.includes(path.posix.basename(p.file).slice(0, 2))));
  if (only && !pages.length) return [{ page: `widgets ${only.join(',')}`, ok: false, failures: ['no page of book.json has a book-export cell for these chapters'], seconds: 0 }];
  for (const entry of pages) {
    const t0 = Date.now();
    const { failures, summary } = await checkWidgetPage(context, base, entry, options);
    const r = { page: `widget ${entry.file}`, ok: failures.length === 0, failures, seconds: (Date.now() - t0) / 1000 };
    results.push(r);
    if (options.quiet) continue;
    if (r.ok) say(`✔ widget ${entry.file}: ${summary} (${r.seconds.toFixed(1)} s)`);
    else { say(`✘ widget ${entry.file}:`); for (const f of failures) say(`    - ${f}`); }
  }
  return results;
}

// ───────────────────────── deliberately broken widgets (--self-test) ─────────────────────────

const SELF_NB = '98-widget-selftest';
/**
 * Small books with one widget each, and how their check must end: a sound widget passes; a page model that does not
 * reproduce the notebook's outputs, a widget that fails to start, one that fetches from elsewhere and one whose own
 * browser test fails must each be caught.
 * @type {{ what: string, expect: 'pass' | 'fails', must?: RegExp, shift?: number, start?: string, test?: string, backend?: string,
 *   file?: boolean }[]}
 */
const WIDGET_SELF_TESTS = [
  { what: 'a widget whose model reproduces the notebook', expect: 'pass' },
  { what: 'the same widget on the WebAssembly backend (its binaries from blob: URLs)', expect: 'pass', backend: 'wasm' },
  { what: 'the same widget opened from file:// (no server), on WebAssembly', expect: 'pass', file: true, backend: 'wasm' },
  { what: 'stored notebook outputs 0.01 away from the page\'s model', expect: 'fails', shift: 0.01, must: /differ from the notebook's by 1\.0\de-2/ },
  { what: 'a widget that throws while starting', expect: 'fails', start: 'throw new Error("boom");', must: /the widget did not start: boom/ },
  { what: 'a widget that fetches from another origin', expect: 'fails', start: 'await fetch("http://203.0.113.1/x").catch(() => {});', must: /request outside the book: http:\/\/203\.0\.113\.1\/x/ },
  { what: 'a widget whose browser test finds the wrong prediction', expect: 'fails', test: 'fail', must: /shows class \d, the notebook predicts \d/ },
];

/**
 * A widget script and its browser test for the self-test: a button that shows the model's top class on a check input.
 * @param {string} start   extra code run when the widget starts
 * @param {boolean} wrong   the test expects another class than the notebook's
 */
function selfTestFiles(start, wrong) {
  const widget = `CourseWidgets.register('${SELF_NB}', async (root, ctx) => {
  ${start}
  const out = document.createElement('output'); out.id = 'w98';
  const s = ctx.samples.m;
  const p = ctx.tf.tidy(() => ctx.models.m.predict(ctx.tf.tensor(s.inputs, s.shape)).argMax(-1).dataSync()[0]);
  out.textContent = ctx.t('class ', '类别 ') + p; root.appendChild(out);
});
`;
  const test = `module.exports = { notebook: '${SELF_NB}', async check(page) {
  const shown = Number((await page.textContent('#w98')).replace(/\\D/g, ''));
  const bundle = await page.evaluate(() => window.COURSE_BOOK['${SELF_NB}'].samples.m);
  const o = bundle.outputs.slice(0, 3); const want = o.indexOf(Math.max(...o))${wrong ? ' + 1' : ''};
  if (shown !== want) throw new Error('the widget shows class ' + shown + ', the notebook predicts ' + want);
  return 'shows class ' + shown;
} };
`;
  return { widget, test };
}

/**
 * Build and check each WIDGET_SELF_TESTS book; a result per case (ok when its check ended as expected).
 * @param {import('playwright-core').BrowserContext} context
 * @param {(root: string) => Promise<{ server: import('http').Server, base: string }>} serve
 */
async function selfTestWidgets(context, serve) {
  const book = require('./book');
  const { exportForBook } = require(path.join(c.ROOT, 'build', 'lib', 'notebook', 'book-export.js'));
  const tf = require('@tensorflow/tfjs');
  const results = [];
  const tmp = fs.mkdtempSync(path.join(require('os').tmpdir(), 'course-widget-selftest-'));
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
  const check = tf.tensor2d([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
  const lang = process.env.COURSE_LANG;
  try {
    delete process.env.COURSE_LANG;
    for (const [i, t] of WIDGET_SELF_TESTS.entries()) {
      const dir = path.join(tmp, String(i));
      const dirs = { exports: path.join(dir, 'exports'), scripts: path.join(dir, 'widgets'), tests: path.join(dir, 'tests') };
      for (const d of [dirs.scripts, dirs.tests, path.join(dir, 'src'), path.join(dir, 'executed')]) fs.mkdirSync(d, { recursive: true });
      await exportForBook({ notebook: SELF_NB, models: { m: { model, check } }, data: {}, dir: dirs.exports, tolerance: 1e-4 });
      if (t.shift) {
        const file = path.join(dirs.exports, 'en', SELF_NB, 'data.json');
        const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
        saved.samples.m.outputs = saved.samples.m.outputs.map((/** @type {number} */ v) => v + /** @type {number} */ (t.shift));
        fs.writeFileSync(file, JSON.stringify(saved));
      }
      const files = selfTestFiles(t.start || '', t.test === 'fail');
      fs.writeFileSync(path.join(dirs.scripts, `${SELF_NB}.js`), files.widget);
      fs.writeFileSync(path.join(dirs.tests, `${SELF_NB}.js`), files.test);
      const cells = [
        { cell_type: 'markdown', source: '# Widget self-test' },
        { metadata: { tags: ['book-export'] }, execution_count: 1, source: `await exportForBook({ notebook: "${SELF_NB}" });`, outputs: [] },
      ];
      fs.writeFileSync(path.join(dir, 'executed', `${SELF_NB}.ipynb`), JSON.stringify(c.fakeNotebook(cells)));
      fs.writeFileSync(path.join(dir, 'src', `${SELF_NB}.ipynb`), JSON.stringify(c.fakeNotebook(cells.map((x) => (x.cell_type ? x : { ...x, execution_count: null })))));
      const log = console.log;
      console.log = () => {};
      let manifest;
      try {
        manifest = await book.buildBook({ sources: [path.join(dir, 'src', `${SELF_NB}.ipynb`)], executedDir: path.join(dir, 'executed'), out: path.join(dir, 'book'), widgets: dirs });
      } finally {
        console.log = log;
      }
      const { server, base } = await serve(path.join(dir, 'book'));
      let failures;
      try {
        const options = { tests: dirs.tests, quiet: true, ...(t.backend ? { query: `?backend=${t.backend}`, backend: t.backend } : {}) };
        failures = (await checkWidgets(context, t.file ? `file://${path.join(dir, 'book')}` : base, manifest, null, options)).flatMap((r) => r.failures);
      } finally {
        await new Promise((r) => server.close(() => r(undefined)));
      }
      const outcome = failures.length ? 'fails' : 'pass';
      const detail = failures.join('\n');
      const ok = outcome === t.expect && (!t.must || t.must.test(detail));
      results.push({ page: `self-test: ${t.what}`, ok, failures: ok ? [] : [`expected ${t.expect}, got ${outcome}: ${detail}`] });
      say(`${ok ? '✔' : '✘'} self-test: ${t.what} → ${ok ? (t.expect === 'pass' ? 'passed' : `caught (${(detail.split('\n').find((l) => !!t.must && t.must.test(l)) || '').slice(0, 160)})`) : `expected ${t.expect}, got ${outcome}: ${detail}`}`);
    }
  } finally {
    if (lang !== undefined) process.env.COURSE_LANG = lang;
    model.dispose();
    check.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

module.exports = { checkWidgets, watchPage, selfTestWidgets, BACKEND_SLACK };
