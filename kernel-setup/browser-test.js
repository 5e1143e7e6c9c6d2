#!/usr/bin/env node
// @ts-check
// The learner's path, in a real browser: JupyterLab 4 + the tslab kernel + headless Chromium.
//
//   node kernel-setup/browser-test.js [names or .ipynb paths] [--no-reopen] [--no-exercise] [--self-test] [--only-self-test]
//                                     [--keep] [--no-setup] [--executed=DIR (headless runs to compare with; default build/notebooks)]
//
// For each notebook (default: 00-start-here; COURSE_BROWSER_NOTEBOOKS="00,03" or "all" also selects):
//   1. opens it in JupyterLab (started on 127.0.0.1 with a random token, fresh settings, on a
//      temporary COPY of notebooks/ placed next to links to the rest of the project, so the sources
//      are never modified), waits for the kernel, runs Run ▸ Run All Cells through the menu and waits
//      until the kernel is idle;
//   2. asserts: every code cell ran; no output on stderr and no error output; the expected text
//      (e.g. 00's "backend: …" line); every Plotly figure drawn (an SVG `.main-svg` with at least one
//      visible trace; figures with SVG = figures); and, when an up-to-date headless run exists in
//      build/notebooks/, the same figures/images/printed output per cell as that run;
//   3. saves the notebook (Ctrl+S), closes the tab, changes the file on disk (as when it comes from
//      another machine: its signature no longer matches, so it reopens UNTRUSTED — checked through
//      the contents API), reopens it and asserts that every figure is still drawn; the headless
//      executed copy from build/notebooks/ (untrusted as well) is opened and checked the same way;
//   4. saves screenshots to build/browser/<name>.png and <name>-reopened.png.
// Then (unless --no-exercise or --only-self-test) a learner does one exercise through the UI (browser-test-exercise.js):
// in 01-concepts-pipeline, exercise 01.1's stub cell is run as it is ("not attempted yet"), then a wrong answer from
// notebooks/solutions/ is typed into it with the keyboard and run (✗ and the hint), then the right one (✓). With
// --self-test, the same step with the two answers swapped must fail (a ✓ where the ✗ is due).
// --self-test also runs a deliberately broken notebook (a figure Plotly cannot draw, a figure without a
// drawable trace, a cell that throws) and passes only if it FAILS with the right message for each.
// Lab and Chromium are stopped at the end, also on failure or Ctrl+C. build/browser/summary.json
// records the results; the last line is "browser: N passed, M failed".
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const c = require('./common');
const { cjkGlyphsDrawn, CJK_FONT_HINT } = require('./cjk-glyphs');
const { readNotebook, sourceOf, textOf } = require('./nb-format');

/**
 * @typedef {import('./nb-format').Notebook} Notebook
 * @typedef {import('./nb-format').Output} Output
 * @typedef {{ text?: RegExp[], minFigures?: number }} Expectation   what a notebook must show beyond "no errors, figures drawn"
 * @typedef {{ name: string, what: string, nb: Notebook, must: RegExp[] }} SelfTest   a broken notebook and the failures it must cause
 * @typedef {{ kind: string, text: string, svg: boolean, traces: number, image: boolean }} PageOutput   one output as the DOM shows it
 * @typedef {{ type: string, prompt: string, outputs: PageOutput[] }} PageCell   one cell as the DOM shows it
 * @typedef {{ notebook: string, ok: boolean, failures: string[], seconds?: number, detected?: string[] }} Summary
 *   one line of build/browser/summary.json
 * @typedef {Summary & { figures: number, svgFigures?: number, seconds: number, timings: Record<string, number>,
 *   screenshots: string[], consoleErrors: string[], savedSnapshots?: number,
 *   reopened?: { figures: number, pngSnapshots: number, svg: number }, headless?: { figures: number, svg: number } }} NotebookResult
 */

const OUT = path.join(c.ROOT, 'build', 'browser');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const STDERR_MIME = 'application/vnd.jupyter.stderr';
const STDOUT_MIME = 'application/vnd.jupyter.stdout';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--no-proxy-server'];

/**
 * What specific notebooks must show beyond "no errors, every figure drawn".
 * @type {Record<string, Expectation>}
 */
const EXPECT = {
  '00-start-here': { text: [/^backend: (tensorflow|wasm|cpu) \(TensorFlow\.js [\d.]+\)/m], minFigures: 1 },
};

/** @param {string} msg */
function say(msg) { console.log(`[browser] ${msg}`); }
const secs = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

// ───────────────────────── pure helpers (unit-tested in tests/tooling/browser.test.ts) ─────────────────────────

/**
 * The first non-blank line of a text, trimmed to 80 characters.
 * @param {string} src
 */
function firstLine(src) { return (src.split('\n').find((l) => l.trim()) || '(empty cell)').trim().slice(0, 80); }

/**
 * What one executed cell printed and displayed, from the notebook JSON.
 * @param {Output[] | undefined} outputs
 */
function summarizeOutputs(outputs) {
  const s = { stdout: '', stderr: '', figures: 0, images: 0, html: 0 };
  for (const o of outputs || []) {
    if (o.output_type === 'stream') s[o.name === 'stderr' ? 'stderr' : 'stdout'] += textOf(o.text);
    else if (o.output_type === 'error') s.stderr += (o.traceback || [`${o.ename}: ${o.evalue}`]).join('\n');
    else if (o.data) {
      if (o.data[PLOTLY_MIME]) s.figures++;
      else if (o.data['image/png'] || o.data['image/jpeg'] || o.data['image/svg+xml']) s.images++;
      else if (o.data['text/html']) s.html++;
      else if (o.data['text/plain'] && o.output_type === 'execute_result') s.stdout += textOf(o.data['text/plain']);
    }
  }
  return s;
}

/**
 * The headless run of the same notebook (build/notebooks/<name>.ipynb) as a reference, when it is
 * of the same sources and ran without error; otherwise null and why.
 * @param {Notebook} source
 * @param {string} refPath
 * @returns {{ ref: Notebook | null, why: string }}
 */
function loadReference(source, refPath) {
  if (!fs.existsSync(refPath)) return { ref: null, why: `no headless run in ${path.relative(c.ROOT, refPath)}` };
  let ref;
  try { ref = readNotebook(refPath); } catch (e) { return { ref: null, why: `${refPath} is not a notebook` }; }
  const a = source.cells.map(sourceOf);
  const b = ref.cells.map(sourceOf);
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
    return { ref: null, why: `${path.relative(c.ROOT, refPath)} was run from an older version of the notebook` };
  }
  if (ref.cells.some((cell) => cell.cell_type === 'code' && summarizeOutputs(cell.outputs).stderr)) {
    return { ref: null, why: `${path.relative(c.ROOT, refPath)} ended with an error` };
  }
  return { ref, why: '' };
}

/**
 * Compare what the browser showed with what it must show. `page` is the list of cells read from the
 * DOM ({type, prompt, outputs: [{kind, text, svg, traces}]}); `nb` the source notebook; `ref` the
 * headless reference or null; `expect` the extra expectations. Returns failure messages (empty = pass).
 * @param {PageCell[]} page
 * @param {Notebook} nb
 * @param {Notebook | null} ref
 * @param {Expectation} [expect]
 * @returns {string[]}
 */
function analyse(page, nb, ref, expect = {}) {
  /** @type {string[]} */
  const failures = [];
  if (page.length !== nb.cells.length) {
    failures.push(`the page shows ${page.length} cells but the notebook has ${nb.cells.length}`);
    return failures;
  }
  const where = (/** @type {number} */ i) => `cell ${i + 1} (\`${firstLine(sourceOf(nb.cells[i]))}\`)`;
  /** @type {number[]} */
  const notRun = [];
  let figures = 0;
  let allText = '';
  page.forEach((cell, i) => {
    if (nb.cells[i]?.cell_type !== 'code') return;
    if (!/^\[\d+\]:?$/.test(cell.prompt)) notRun.push(i + 1);
    const errors = cell.outputs.filter((o) => o.kind === STDERR_MIME || o.kind === 'error');
    for (const e of errors) {
      if (/^Javascript Error:/.test(e.text.trim())) failures.push(`${where(i)}: an output could not be rendered by JupyterLab (${e.text.trim().slice(0, 300)})`);
      else {
        // Lead with the line that names the error (tslab prints the source location first).
        const text = e.text.trim();
        const key = text.split('\n').find((l) => /^\s*(\w*(Error|Exception)\b.*:|\d+:\d+ - )/.test(l)) || text.split('\n')[0];
        failures.push(`${where(i)} wrote an error: ${key.trim()}${text !== key.trim() ? `\n${text.slice(0, 600)}` : ''}`);
      }
    }
    const figs = cell.outputs.filter((o) => o.kind === PLOTLY_MIME);
    figs.forEach((f, k) => {
      figures++;
      if (!f.svg) failures.push(`${where(i)}: figure ${k + 1} of ${figs.length} did not render (no Plotly SVG .main-svg in its output)`);
      else if (!f.traces) failures.push(`${where(i)}: figure ${k + 1} of ${figs.length} was drawn without any visible trace (its data is not a list of drawable traces)`);
    });
    allText += cell.outputs.filter((o) => o.kind === STDOUT_MIME || o.kind === 'text/plain').map((o) => o.text).join('\n') + '\n';
    if (ref) {
      const want = summarizeOutputs(ref.cells[i]?.outputs);
      const images = cell.outputs.filter((o) => /^image\//.test(o.kind)).length;
      const html = cell.outputs.filter((o) => o.kind === 'text/html').length;
      if (want.figures !== figs.length) failures.push(`${where(i)} shows ${figs.length} figure(s); the headless run displayed ${want.figures}`);
      if (want.images !== images) failures.push(`${where(i)} shows ${images} image(s); the headless run displayed ${want.images}`);
      if (want.html !== html) failures.push(`${where(i)} shows ${html} HTML output(s); the headless run displayed ${want.html}`);
      const printed = cell.outputs.some((o) => o.kind === STDOUT_MIME || o.kind === 'text/plain');
      if (want.stdout.trim() && !printed) failures.push(`${where(i)} printed nothing; the headless run printed "${firstLine(want.stdout)}"`);
    }
  });
  if (notRun.length) {
    failures.push(`${notRun.length} code cell(s) did not run: ${notRun.slice(0, 8).join(', ')}${notRun.length > 8 ? ', …' : ''} ` +
      '(Run All stops at the first cell that fails)');
  }
  for (const re of expect.text || []) {
    if (!re.test(allText)) failures.push(`no output matches ${re} (expected text missing)`);
  }
  if (expect.minFigures && figures < expect.minFigures) failures.push(`${figures} figure(s) on the page, expected at least ${expect.minFigures}`);
  return failures;
}

/**
 * Notebooks to test: names ("00", "00-start-here"), .ipynb paths, or "all"; default 00.
 * @param {string[]} args
 * @returns {string[]}
 */
function selectNotebooks(args, all = c.listNotebooks()) {
  const wanted = args.length ? args : (process.env.COURSE_BROWSER_NOTEBOOKS || '00').split(/[,\s]+/).filter(Boolean);
  if (wanted.includes('all')) return all;
  return wanted.map((arg) => {
    if (arg.endsWith('.ipynb')) {
      const p = path.resolve(arg);
      if (!fs.existsSync(p)) throw new Error(`${arg}: no such notebook`);
      return p;
    }
    const hits = all.filter((f) => path.basename(f, '.ipynb') === arg || path.basename(f).startsWith(`${arg}-`));
    if (hits.length !== 1) {
      throw new Error(`${arg}: ${hits.length ? 'matches several notebooks' : 'no such notebook'}; choose from: ` +
        `${all.map((f) => path.basename(f, '.ipynb')).join(', ')} or all`);
    }
    return /** @type {string} */ (hits[0]);
  });
}

// ───────────────────────── processes: JupyterLab and Chromium ─────────────────────────

/** @returns {Promise<number>} a TCP port free on 127.0.0.1 now */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

function findChromium() {
  const candidates = [process.env.COURSE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'].filter((p) => typeof p === 'string' && p !== '');
  const hit = candidates.find((p) => p !== undefined && fs.existsSync(p));
  if (!hit) {
    throw new Error('no Chromium found (looked at ' + candidates.join(', ') + '). Install it (Debian/Ubuntu: apt-get install chromium) ' +
      'or set COURSE_CHROMIUM to a Chrome/Chromium executable.');
  }
  return hit;
}

/**
 * Children of a process (Linux /proc); used to stop kernels if Lab itself must be killed.
 * @param {number} pid
 * @returns {number[]}
 */
function childPids(pid) {
  try {
    return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
      try { return fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid); } catch { return false; }
    }).map(Number);
  } catch { return []; }
}

const alive = (/** @type {number} */ pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

class Lab {
  /**
   * @param {number} port
   * @param {string} logFile
   */
  constructor(port, logFile) {
    this.token = crypto.randomBytes(24).toString('hex');
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.logFile = logFile;
    /** @type {import('child_process').ChildProcess | null} */
    this.proc = null;
    /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */
    this.exited = null;
    this.startSeconds = 0;
  }

  /**
   * Start JupyterLab on 127.0.0.1:<free port> with a random token, isolated config/runtime/notary.
   * @param {string} python
   * @param {string} notebookDir
   * @param {string} workDir
   */
  static async start(python, notebookDir, workDir) {
    const lab = new Lab(await freePort(), path.join(workDir, 'lab.log'));
    const log = fs.openSync(lab.logFile, 'w');
    const args = ['-m', 'jupyter', 'lab', '--no-browser', `--port=${lab.port}`, '--ServerApp.port_retries=0',
      `--ServerApp.token=${lab.token}`, '--ServerApp.ip=127.0.0.1', `--notebook-dir=${notebookDir}`,
      // signatures in memory only: every notebook this server did not itself save opens untrusted
      '--NotebookNotary.db_file=:memory:',
      '--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'];
    if (process.getuid && process.getuid() === 0) args.push('--allow-root');
    const env = c.jupyterEnv({
      JUPYTER_CONFIG_DIR: path.join(workDir, 'jupyter-config'), // fresh user settings and workspaces
      JUPYTER_RUNTIME_DIR: path.join(workDir, 'jupyter-runtime'),
    });
    // No news/update toast over the screenshots (and no request to jupyter.org).
    const notif = path.join(workDir, 'jupyter-config', 'lab', 'user-settings', '@jupyterlab', 'apputils-extension');
    fs.mkdirSync(notif, { recursive: true });
    fs.writeFileSync(path.join(notif, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
    lab.proc = spawn(python, args, { cwd: notebookDir, env, stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    lab.exited = null;
    lab.proc.on('exit', (code, signal) => { lab.exited = { code, signal }; });
    const t0 = Date.now();
    for (;;) {
      if (lab.exited) throw new Error(`JupyterLab exited during start (${JSON.stringify(lab.exited)}):\n${lab.logTail()}`);
      if (Date.now() - t0 > 180000) throw new Error(`JupyterLab did not answer within 180 s:\n${lab.logTail()}`);
      try {
        const r = await lab.api('/api/status');
        if (r.ok) break;
      } catch { /* not up yet */ }
      await sleep(250);
    }
    lab.startSeconds = (Date.now() - t0) / 1000;
    return lab;
  }

  /**
   * A request to Lab's REST API with the token.
   * @param {string} p
   * @param {RequestInit & { headers?: Record<string, string> }} [init]
   */
  api(p, init = {}) {
    return fetch(`${this.base}${p}`, { ...init, headers: { Authorization: `token ${this.token}`, ...(init.headers || {}) } });
  }

  /** Shut down every kernel (after each notebook, so they do not pile up). */
  async shutdownKernels() {
    try {
      const sessions = await (await this.api('/api/sessions')).json();
      for (const sess of sessions) await this.api(`/api/sessions/${sess.id}`, { method: 'DELETE' });
      const kernels = await (await this.api('/api/kernels')).json();
      for (const k of kernels) await this.api(`/api/kernels/${k.id}`, { method: 'DELETE' });
    } catch { /* the server is gone: stop() deals with it */ }
  }

  logTail(n = 30) {
    try { return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-n).join('\n'); } catch { return ''; }
  }

  /** Graceful shutdown (kernels first), then SIGTERM, then SIGKILL — Lab, its process group and its kernels. */
  async stop() {
    if (!this.proc || this.exited || this.proc.pid === undefined) return;
    const pid = this.proc.pid;
    const kernels = childPids(pid);
    try { await this.api('/api/shutdown', { method: 'POST' }); } catch { /* already gone */ }
    for (let i = 0; i < 40 && !this.exited; i++) await sleep(250);
    if (!this.exited) { try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ } }
    for (let i = 0; i < 20 && !this.exited; i++) await sleep(250);
    this.killNow(kernels);
  }

  /**
   * Synchronous last resort (also from process 'exit').
   * @param {number[]} [extra]
   */
  killNow(extra = []) {
    if (!this.proc || this.proc.pid === undefined) return;
    const pid = this.proc.pid;
    const pids = [...new Set([...childPids(pid), ...extra])];
    if (!this.exited) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
    for (const p of pids) if (alive(p)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  }
}

// ───────────────────────── the page ─────────────────────────

/**
 * Read every cell of the open notebook from the DOM (runs in the browser).
 * @returns {PageCell[] | null}
 */
function readCells() {
  const PLOTLY = 'application/vnd.plotly.v1+json';
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  return [...panel.querySelectorAll('.jp-Notebook .jp-Cell')].map((cell) => ({
    type: cell.classList.contains('jp-CodeCell') ? 'code' : cell.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw',
    prompt: (cell.querySelector('.jp-InputPrompt') || { textContent: '' }).textContent.trim(),
    // One renderer per output; a renderer that threw loses its jp-OutputArea-output class and becomes a
    // stderr-typed "Javascript Error: …" block, so take the first rendered node of every output child.
    outputs: [...cell.querySelectorAll('.jp-OutputArea-child')].map((child) => child.querySelector('.jp-OutputArea-output, [data-mime-type]'))
      .filter((o) => o !== null).map((o) => {
      if (o.classList.contains('jp-RenderedPlotly')) {
        /** @type {{ visible?: boolean | string }[]} */
        const full = /** @type {any} */ (o)._fullData || [];
        const img = o.querySelector('img.plot-img');
        return {
          kind: PLOTLY, text: '', svg: !!o.querySelector('.main-svg'),
          traces: full.filter((t) => t.visible !== false).length,
          image: !!(img instanceof HTMLImageElement && img.naturalWidth > 0 && getComputedStyle(img).display !== 'none'),
        };
      }
      const kind = o.getAttribute('data-mime-type') || (o.querySelector('img') ? 'image/png' : 'unknown');
      return { kind, text: (o.textContent || '').slice(0, 4000), svg: false, traces: 0, image: false };
    }),
  }));
}

/**
 * Open a notebook of the workspace in a fresh JupyterLab workspace (layout) and wait for its cells.
 * @param {Page} page
 * @param {Lab} lab
 * @param {string} rel   path under the notebook folder
 * @param {string} workspace
 */
async function openNotebook(page, lab, rel, workspace) {
  const url = `${lab.base}/lab/workspaces/${workspace}/tree/${rel.split('/').map(encodeURIComponent).join('/')}?token=${lab.token}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });
  await page.waitForSelector('.jp-NotebookPanel .jp-Notebook .jp-Cell', { timeout: 120000 });
}

/**
 * File ▸ Open from Path… in the running Lab (a learner reopening a closed notebook).
 * @param {Page} page
 * @param {string} rel
 */
async function openFromPath(page, rel) {
  await clickMenu(page, 'File', 'Open from Path…');
  const input = page.locator('.jp-Dialog input').first();
  await input.fill(rel);
  await page.locator('.jp-Dialog button', { hasText: /^Open$/ }).first().click();
  await page.waitForSelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell', { timeout: 120000 });
}

/**
 * The status bar, the notebook's execution indicator and any open dialog, as text.
 * @param {Page} page
 */
async function statusText(page) {
  return page.evaluate(() => {
    const bar = document.querySelector('.jp-StatusBar-Widget');
    const ind = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
    const dialog = document.querySelector('.jp-Dialog');
    return {
      bar: bar instanceof HTMLElement ? bar.innerText.replace(/\s+/g, ' ') : '',
      indicator: ind ? ind.getAttribute('data-status') : '',
      dialog: dialog instanceof HTMLElement ? dialog.innerText.replace(/\s+/g, ' ').slice(0, 300) : '',
    };
  });
}

/**
 * Wait until the kernel is idle (status bar and execution indicator); a dialog instead is an error.
 * @param {Page} page
 */
async function waitForKernel(page, timeoutMs = 300000) {
  const t0 = Date.now();
  let last = null;
  while (Date.now() - t0 < timeoutMs) {
    last = await statusText(page);
    if (last.dialog) throw new Error(`a dialog is open instead of the kernel starting: "${last.dialog}"`);
    if (/\|\s*Idle\b/.test(last.bar) && last.indicator === 'idle' && !/No Kernel/.test(last.bar)) return;
    await sleep(300);
  }
  throw new Error(`the kernel was not ready after ${secs(timeoutMs)} (status bar: "${last && last.bar}")`);
}

/**
 * Click a menu of the menu bar, then one of its items (exact labels).
 * @param {Page} page
 * @param {string} menu
 * @param {string} item
 */
async function clickMenu(page, menu, item) {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${menu}$`) }).first().click();
  await page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }).first().click();
}

/**
 * Run ▸ Run All Cells, then wait until no cell is pending and the kernel is idle.
 * @param {Page} page
 * @param {string} name
 * @param {number} timeoutMs
 */
async function runAll(page, name, timeoutMs) {
  await clickMenu(page, 'Run', 'Run All Cells');
  const t0 = Date.now();
  let stable = 0;
  let lastDone = -1;
  let lastPrint = 0;
  for (;;) {
    const s = await page.evaluate(() => {
      const panel = /** @type {Element} */ (document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)'));
      const cells = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell')];
      const prompts = cells.map((cell) => (cell.querySelector('.jp-InputPrompt') || { textContent: '' }).textContent.trim());
      const running = prompts.findIndex((p) => p.includes('*'));
      const runningLine = running >= 0 ? ((cells[running]?.querySelector('.cm-line') || { textContent: '' }).textContent || '').slice(0, 60) : '';
      const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
      const dialog = document.querySelector('.jp-Dialog');
      return {
        total: prompts.length, done: prompts.filter((p) => /\d/.test(p)).length, pending: prompts.filter((p) => p.includes('*')).length,
        runningLine, idle: ind ? ind.getAttribute('data-status') === 'idle' : false,
        dialog: dialog instanceof HTMLElement ? dialog.innerText.replace(/\s+/g, ' ').slice(0, 300) : '',
      };
    });
    const elapsed = Date.now() - t0;
    if (s.dialog) throw new Error(`a dialog opened while running: "${s.dialog}"`);
    if (s.done !== lastDone && Date.now() - lastPrint > 2000 || Date.now() - lastPrint > 30000) {
      say(`  ${name}: ${s.done}/${s.total} code cells run (${secs(elapsed)})${s.pending ? ` — running \`${s.runningLine}\`` : ''}`);
      lastDone = s.done;
      lastPrint = Date.now();
    }
    const finished = s.pending === 0 && s.idle && (s.done > 0 || s.total === 0);
    stable = finished ? stable + 1 : 0;
    if (stable >= 3) return { seconds: elapsed / 1000, ...s };
    if (elapsed > timeoutMs) {
      throw new Error(`still running after ${secs(timeoutMs)} (COURSE_BROWSER_TIMEOUT): ${s.done}/${s.total} cells done, running \`${s.runningLine}\``);
    }
    await sleep(400);
  }
}

/**
 * Wait until every figure output has its SVG (scrolling stragglers into view), or the time is up.
 * @param {Page} page
 */
async function waitForFigures(page, timeoutMs = 30000, { hover = false } = {}) {
  const t0 = Date.now();
  let scrolled = false;
  for (;;) {
    const missing = await page.evaluate(() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedPlotly')]
      .map((el, i) => (el.querySelector('.main-svg') ? -1 : i)).filter((i) => i >= 0));
    if (missing.length === 0) return;
    const elapsed = Date.now() - t0;
    if (elapsed > timeoutMs) return;
    if (hover || (elapsed > 3000 && !scrolled)) {
      // Off-screen figures: bring each into view; a figure shown as its saved PNG becomes interactive on hover.
      const figs = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedPlotly');
      for (const i of missing) {
        const fig = figs.nth(i);
        try {
          await fig.scrollIntoViewIfNeeded({ timeout: 5000 });
          if (hover) await fig.hover({ timeout: 5000, force: true });
        } catch { /* reported by the caller */ }
      }
      scrolled = true;
    }
    await sleep(300);
  }
}

/**
 * Scroll cell `cellIndex` (or, when −1, the first figure) into view and save a screenshot.
 * @param {Page} page
 * @param {string} file
 * @param {number} cellIndex
 */
async function screenshot(page, file, cellIndex) {
  await page.evaluate((i) => {
    const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell');
    const target = i >= 0 ? cells[i] : document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedPlotly');
    if (target) target.scrollIntoView({ block: 'center' });
  }, cellIndex);
  await sleep(500);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

/**
 * Lab's contents API must report no trusted code cell in the notebook (it would open trusted); returns the code cells.
 * @param {Lab} lab
 * @param {string} rel
 */
async function assertUntrusted(lab, rel) {
  const r = await lab.api(`/api/contents/${rel.split('/').map(encodeURIComponent).join('/')}?content=1&type=notebook`);
  /** @type {{ content: Notebook }} */
  const model = await r.json();
  const code = model.content.cells.filter((cell) => cell.cell_type === 'code');
  const trusted = code.filter((cell) => cell.metadata && cell.metadata.trusted === true).length;
  if (trusted) throw new Error(`${rel} still opens trusted (${trusted} trusted cells): the reopen check would prove nothing`);
  return code.length;
}

const tabDirty = (/** @type {Page} */ page) => page.evaluate(() => !!document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current.jp-mod-dirty'));

/**
 * File ▸ Save with the keyboard (Ctrl+S), as a learner does, until the file is written and the tab
 * stays clean (the Plotly renderer adds a PNG snapshot to each figure's output a moment after drawing,
 * which makes the notebook dirty again), then File ▸ Close Tab.
 * @param {Page} page
 * @param {string} file
 */
async function saveAndClose(page, file) {
  const mtime = fs.statSync(file).mtimeMs;
  await sleep(1000);
  await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').first().click({ position: { x: 5, y: 5 }, force: true });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  const t0 = Date.now();
  let lastSave = t0;
  let clean = 0;
  while (Date.now() - t0 < 60000) {
    await sleep(250);
    const dirty = await tabDirty(page);
    if (dirty && Date.now() - lastSave > 3000) { await clickMenu(page, 'File', 'Save Notebook'); lastSave = Date.now(); }
    clean = !dirty && fs.statSync(file).mtimeMs !== mtime ? clean + 1 : 0;
    if (clean >= 8) break; // 2 s clean after a write
  }
  if (fs.statSync(file).mtimeMs === mtime) throw new Error('saving the executed notebook (Ctrl+S, then File ▸ Save Notebook) did not write the file');
  // A snapshot that arrives after the last save is saved too, as a learner would.
  await closeTab(page, 'Save');
}

/**
 * File ▸ Close Tab; if Lab asks about unsaved changes, answer `answer` (Save or Discard).
 * @param {Page} page
 * @param {'Save' | 'Discard'} answer
 */
async function closeTab(page, answer) {
  const before = await page.evaluate(() => document.querySelectorAll('.jp-NotebookPanel').length);
  await clickMenu(page, 'File', 'Close Tab');
  for (let i = 0; i < 80; i++) {
    const state = await page.evaluate(() => {
      const dialog = document.querySelector('.jp-Dialog');
      return {
        open: document.querySelectorAll('.jp-NotebookPanel').length,
        dialog: dialog instanceof HTMLElement ? dialog.innerText.replace(/\s+/g, ' ') : '',
      };
    });
    if (state.open < before && !state.dialog) return;
    if (state.dialog) {
      const button = page.locator('.jp-Dialog button', { hasText: new RegExp(`^${answer}$`) });
      if (await button.count()) await button.first().click();
      else throw new Error(`closing the notebook asked: "${state.dialog.slice(0, 200)}"`);
    }
    await sleep(250);
  }
  throw new Error('the notebook tab did not close');
}

/**
 * Check figures of a notebook that was opened without running it.
 * @param {Page} page
 * @param {number} expectedFigures
 * @param {string} label
 */
async function checkReopened(page, expectedFigures, label) {
  /** @type {string[]} */
  const failures = [];
  for (let t0 = Date.now(); Date.now() - t0 < 20000;) { // let the output renderers attach
    const n = await page.evaluate(() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedPlotly').length);
    if (n >= expectedFigures) break;
    await sleep(300);
  }
  await sleep(500);
  const before = (await page.evaluate(readCells)) || [];
  const figs = before.flatMap((cell) => cell.outputs.filter((o) => o.kind === PLOTLY_MIME));
  const errors = before.flatMap((cell) => cell.outputs.filter((o) => o.kind === STDERR_MIME));
  if (errors.length) failures.push(`${label}: ${errors.length} error output(s) after reopening`);
  if (figs.length !== expectedFigures) failures.push(`${label}: ${figs.length} figure output(s) after reopening, expected ${expectedFigures}`);
  // A figure saved by JupyterLab carries a PNG snapshot next to its data: the renderer shows that image
  // first and swaps in the interactive plot when the mouse enters it. Either counts as drawn; then
  // hovering must give the interactive SVG for every figure.
  await waitForFigures(page, 20000, { hover: true });
  const after = (await page.evaluate(readCells)) || [];
  const drawn = after.flatMap((cell) => cell.outputs.filter((o) => o.kind === PLOTLY_MIME));
  const svg = drawn.filter((o) => o.svg && o.traces > 0).length;
  if (svg !== figs.length) failures.push(`${label}: ${svg} of ${figs.length} figure(s) rendered as an interactive SVG after reopening`);
  return { failures, figures: figs.length, snapshots: figs.filter((o) => o.image).length, svg };
}

/**
 * The whole learner's path for one notebook.
 * @param {BrowserContext} context
 * @param {Lab} lab
 * @param {Job} job
 * @param {{ timeoutMs: number, reopen: boolean, shots: string, notebookDir: string }} opts
 * @returns {Promise<NotebookResult>}
 */
async function testNotebook(context, lab, job, opts) {
  const t0 = Date.now();
  /** @type {NotebookResult} */
  const result = { notebook: job.name, ok: false, failures: [], figures: 0, seconds: 0, timings: {}, screenshots: [], consoleErrors: [] };
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text().slice(0, 300)); });
  page.on('pageerror', (e) => result.consoleErrors.push(`page error: ${String(e.message).slice(0, 300)}`));
  try {
    await openNotebook(page, lab, job.rel, `bt-${job.id}-run`);
    result.timings.open = (Date.now() - t0) / 1000;
    await waitForKernel(page);
    result.timings.kernel = (Date.now() - t0) / 1000;
    say(`  ${job.name}: opened, kernel ready in ${secs(Date.now() - t0)}; Run ▸ Run All Cells`);
    const run = await runAll(page, job.name, opts.timeoutMs);
    result.timings.run = run.seconds;
    await waitForFigures(page);
    const cells = (await page.evaluate(readCells)) || [];
    const nb = readNotebook(job.source);
    result.failures.push(...analyse(cells, nb, job.ref, job.expect));
    // The notebook's Chinese headings must be drawn with real glyphs, not empty boxes (no CJK font).
    const chinese = await page.evaluate(cjkGlyphsDrawn, /** @type {string | undefined} */ (undefined));
    if (chinese.text && !chinese.drawn) result.failures.push(`Chinese is drawn as empty boxes ("${chinese.text}" in ${chinese.font}): ${CJK_FONT_HINT}`);
    const figs = cells.flatMap((cell) => cell.outputs.filter((o) => o.kind === PLOTLY_MIME));
    result.figures = figs.length;
    result.svgFigures = figs.filter((o) => o.svg && o.traces > 0).length;
    const firstBad = cells.findIndex((cell, i) => nb.cells[i] && nb.cells[i].cell_type === 'code' &&
      (cell.outputs.some((o) => o.kind === STDERR_MIME || (o.kind === PLOTLY_MIME && !o.svg)) || !/\d/.test(cell.prompt)));
    const shot = path.join(opts.shots, `${job.name}.png`);
    await screenshot(page, shot, result.failures.length ? firstBad : -1);
    result.screenshots.push(path.relative(c.ROOT, shot));

    if (opts.reopen && result.failures.length === 0) {
      const t1 = Date.now();
      const file = path.join(opts.notebookDir, job.rel);
      await saveAndClose(page, file);
      const savedNb = readNotebook(file);
      const savedFigures = savedNb.cells.reduce((n, cell) => n + summarizeOutputs(cell.outputs).figures, 0);
      if (savedFigures !== result.figures) result.failures.push(`the saved notebook holds ${savedFigures} figure(s), the page showed ${result.figures}`);
      result.savedSnapshots = savedNb.cells.reduce((n, cell) => n + (cell.outputs || []).filter((o) => o.data && o.data[PLOTLY_MIME] && o.data['image/png']).length, 0);
      // A changed file no longer matches its signature: it opens untrusted, as one from another machine.
      savedNb.metadata = { ...savedNb.metadata };
      savedNb.metadata.course_browser_test = { reopened: new Date().toISOString() };
      fs.writeFileSync(file, JSON.stringify(savedNb, null, 1) + '\n');
      await assertUntrusted(lab, job.rel);
      await openFromPath(page, job.rel);
      const re = await checkReopened(page, result.figures, 'saved, closed and reopened untrusted');
      result.failures.push(...re.failures);
      const shot2 = path.join(opts.shots, `${job.name}-reopened.png`);
      await screenshot(page, shot2, -1);
      result.screenshots.push(path.relative(c.ROOT, shot2));
      result.reopened = { figures: re.figures, pngSnapshots: re.snapshots, svg: re.svg };
      if (job.ref) {
        // The headless executed copy (nbclient): never signed here, so untrusted too.
        const rel = `headless/${path.basename(job.rel)}`;
        fs.mkdirSync(path.join(opts.notebookDir, 'headless'), { recursive: true });
        fs.writeFileSync(path.join(opts.notebookDir, rel), JSON.stringify(job.ref));
        await assertUntrusted(lab, rel);
        const want = job.ref.cells.reduce((n, cell) => n + summarizeOutputs(cell.outputs).figures, 0);
        await closeTab(page, 'Discard');
        await openFromPath(page, rel);
        const h = await checkReopened(page, want, 'headless executed copy opened untrusted');
        result.failures.push(...h.failures);
        result.headless = { figures: h.figures, svg: h.svg };
      }
      result.timings.reopen = (Date.now() - t1) / 1000;
    }
  } catch (err) {
    result.failures.push(err instanceof Error ? err.message : String(err));
    try {
      const shot = path.join(opts.shots, `${job.name}.png`);
      await page.screenshot({ path: shot });
      if (!result.screenshots.includes(path.relative(c.ROOT, shot))) result.screenshots.push(path.relative(c.ROOT, shot));
    } catch { /* page gone */ }
  }
  return finishTest(page, lab, result, t0);
}

/**
 * End a test of a page in Lab: close the page and the kernels it started, and settle the result (ok, seconds).
 * @template {{ failures: string[], ok: boolean, seconds: number }} R
 * @param {import('playwright-core').Page} page
 * @param {{ shutdownKernels(): Promise<void> }} lab
 * @param {R} result
 * @param {number} t0   Date.now() when the test started
 * @returns {Promise<R>}
 */
async function finishTest(page, lab, result, t0) {
  await page.close().catch(() => {});
  await lab.shutdownKernels();
  result.ok = result.failures.length === 0;
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

// ───────────────────────── deliberately broken notebooks (--self-test) ─────────────────────────

/**
 * A notebook of code cells for the self-test.
 * @param {string[]} sources
 * @returns {Notebook}
 */
function codeNotebook(sources) {
  return {
    cells: sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: c.KERNEL_NAME, display_name: c.KERNEL_DISPLAY, language: 'typescript' }, language_info: { name: 'typescript' } },
    nbformat: 4, nbformat_minor: 5,
  };
}

// One notebook with every kind of breakage (one kernel start): each must be reported on its own.
// A renderer error does not stop Run All (the kernel succeeded), so the figures come before the throw.
/** @type {SelfTest[]} */
const SELF_TESTS = [
  {
    name: 'selftest-broken', what: 'a figure Plotly cannot draw, a figure without traces, a cell that throws',
    nb: codeNotebook([
      'import * as tslab from "tslab";\n// xaxis must be an object: Plotly throws while drawing, so no SVG appears\n' +
      `tslab.display.raw("${PLOTLY_MIME}", { data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: { xaxis: "not an axis" } } as any);`,
      `tslab.display.raw("${PLOTLY_MIME}", { data: "not a list of traces", layout: { title: { text: "empty" } } } as any);`,
      'throw new Error("deliberate failure for the browser self-test");',
      'console.log("never reached");',
    ]),
    must: [
      /cell 1 .*(an output could not be rendered by JupyterLab \(Javascript Error|figure 1 of 1 did not render \(no Plotly SVG)/,
      /cell 2 .*figure 1 of 1 (was drawn without any visible trace|did not render)/,
      /cell 3 \(`throw new Error.*wrote an error: .*deliberate failure for the browser self-test/s,
      /did not run: 4\b/,
    ],
  },
];

// ───────────────────────── main ─────────────────────────

/**
 * A temporary project: a COPY of notebooks/ (Lab saves into it, the sources stay untouched) next to
 * links to everything else in the project, so the kernel resolves 'ai-course' and node_modules from
 * the notebook's folder and paths such as ../build/models mean what they mean for a learner.
 * @param {string} work
 * @returns {string} the notebook folder
 */
function makeWorkspace(work) {
  const notebookDir = path.join(work, 'notebooks');
  fs.cpSync(path.join(c.ROOT, 'notebooks'), notebookDir, { recursive: true, filter: (src) => !src.includes('.ipynb_checkpoints') });
  for (const entry of fs.readdirSync(c.ROOT)) {
    if (entry === 'notebooks' || entry.startsWith('.')) continue;
    const target = path.join(c.ROOT, entry);
    fs.symlinkSync(target, path.join(work, entry), fs.statSync(target).isDirectory() && process.platform === 'win32' ? 'junction' : undefined);
  }
  return notebookDir;
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const opts = {
    /** @type {string[]} */ names: [], reopen: true, exercise: true, selfTest: false, keep: false, noSetup: false, onlySelfTest: false,
    executedDir: path.join(c.ROOT, 'build', 'notebooks'),
  };
  for (const a of argv) {
    if (a === '--no-reopen') opts.reopen = false;
    else if (a === '--no-exercise') opts.exercise = false;
    else if (a === '--self-test') opts.selfTest = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--no-setup') opts.noSetup = true;
    else if (a.startsWith('--executed=')) opts.executedDir = path.resolve(a.slice('--executed='.length));
    else if (a === '--only-self-test') { opts.selfTest = true; opts.onlySelfTest = true; }
    else if (a.startsWith('--')) {
      throw new Error(`unknown option ${a} (use names, .ipynb paths, --no-reopen, --no-exercise, --self-test, --only-self-test, --keep, --no-setup, --executed=DIR)`);
    }
    else opts.names.push(a);
  }
  return opts;
}

/**
 * One notebook to test in the browser: where it is in the workspace, its headless reference and expectations;
 * `self` marks a deliberately broken notebook of --self-test.
 * @typedef {{ id: number, name: string, rel: string, source: string, ref: Notebook | null, expect: Expectation,
 *   self?: SelfTest }} Job
 */

/**
 * The jobs for the selected notebooks: each copied into the workspace when it lives outside notebooks/, with its
 * headless run as reference when that run is of the same sources.
 * @param {string[]} notebooks
 * @param {string} notebookDir
 * @param {string} executedDir
 * @returns {Job[]}
 */
function notebookJobs(notebooks, notebookDir, executedDir) {
  return notebooks.map((source, id) => {
    const name = path.basename(source, '.ipynb');
    let rel = path.relative(path.join(c.ROOT, 'notebooks'), source);
    if (rel.startsWith('..') || path.isAbsolute(rel)) { // a notebook from elsewhere: copy it in too
      rel = `extra/${path.basename(source)}`;
      fs.mkdirSync(path.join(notebookDir, 'extra'), { recursive: true });
      fs.copyFileSync(source, path.join(notebookDir, rel));
    }
    const { ref, why } = loadReference(readNotebook(source), path.join(executedDir, path.basename(source)));
    if (!ref) say(`${name}: comparing without a headless reference (${why})`);
    return { id, name, rel, source, ref, expect: EXPECT[name] || {} };
  });
}

/**
 * The deliberately broken notebooks, written into the workspace's selftest/ folder; ids continue after `firstId`.
 * @param {string} notebookDir
 * @param {number} firstId
 * @returns {Job[]}
 */
function selfTestJobs(notebookDir, firstId) {
  fs.mkdirSync(path.join(notebookDir, 'selftest'), { recursive: true });
  return SELF_TESTS.map((t, k) => {
    const rel = `selftest/${t.name}.ipynb`;
    fs.writeFileSync(path.join(notebookDir, rel), JSON.stringify(t.nb, null, 1));
    return { id: firstId + k, name: t.name, rel, source: path.join(notebookDir, rel), ref: null, expect: {}, self: t };
  });
}

/**
 * What is running and must be stopped on exit or Ctrl+C.
 * @typedef {{ lab: Lab | null, context: import('playwright-core').BrowserContext | null, work: string, keep: boolean }} Running
 */

/**
 * Stop Lab (synchronously) if the process exits, and Chromium, Lab and the workspace on SIGINT/SIGTERM.
 * @param {Running} running
 * @returns {() => void} removes the exit hook (the normal path stops everything itself)
 */
function stopOnExitOrSignal(running) {
  const onExit = () => { if (running.lab) running.lab.killNow(); };
  process.on('exit', onExit);
  /** @param {NodeJS.Signals} sig */
  const onSignal = (sig) => {
    console.error(`[browser] ${sig}: stopping JupyterLab and Chromium`);
    const { lab, context } = running;
    Promise.resolve(context && context.close().catch(() => {})).then(() => (lab ? lab.stop() : null)).finally(() => {
      if (!running.keep) fs.rmSync(running.work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => process.removeListener('exit', onExit);
}

/**
 * Headless Chromium with a fresh profile in the workspace; every request leaving Lab is collected in `external`.
 * @param {string} work
 * @param {string} executablePath
 * @param {Lab} lab
 * @param {string[]} external
 */
async function launchChromium(work, executablePath, lab, external) {
  const { chromium } = require('playwright-core');
  const context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
    executablePath, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1400, height: 900 },
  });
  context.on('request', (r) => { if (!r.url().startsWith(lab.base) && !/^(data|blob):/.test(r.url())) external.push(r.url()); });
  return context;
}

/**
 * Print one notebook's outcome: the counts and timings when it passed, every failure when it did not.
 * @param {NotebookResult} r
 */
function reportNotebook(r) {
  if (r.ok) {
    const extra = r.reopened ? `; saved with ${r.savedSnapshots} PNG snapshot(s), reopened untrusted: ${r.reopened.svg}/${r.reopened.figures} figure(s) drawn` +
      (r.headless ? `; headless copy: ${r.headless.svg}/${r.headless.figures}` : '') : '';
    say(`✔ ${r.notebook}: all cells ran, no errors, ${r.svgFigures}/${r.figures} figure(s) drawn as SVG${extra} — ` +
      `${secs(r.seconds * 1000)} (kernel ready ${secs((r.timings.kernel || 0) * 1000)}, run ${secs((r.timings.run || 0) * 1000)}` +
      `${r.timings.reopen ? `, save/reopen checks ${secs(r.timings.reopen * 1000)}` : ''}); screenshots ${r.screenshots.join(', ')}`);
  } else {
    say(`✘ ${r.notebook} failed in the browser:`);
    for (const f of r.failures) say(`    - ${f}`);
    say(`    screenshot: ${r.screenshots.join(', ')}`);
  }
}

/**
 * Run a broken notebook; it passes only if it fails with every message its self-test requires.
 * @param {import('playwright-core').BrowserContext} context
 * @param {Lab} lab
 * @param {Job & { self: SelfTest }} job
 * @param {string} notebookDir
 * @returns {Promise<Summary>}
 */
async function runSelfTest(context, lab, job, notebookDir) {
  say(`▶ self-test: ${job.self.what} (${job.rel}) must FAIL`);
  const r = await testNotebook(context, lab, job, { timeoutMs: 300000, reopen: false, shots: path.join(OUT, 'selftest'), notebookDir });
  const text = r.failures.join('\n');
  const missing = job.self.must.filter((re) => !re.test(text));
  const ok = !r.ok && missing.length === 0;
  if (ok) {
    say(`✔ self-test: the broken notebook failed as it must, with ${r.failures.length} finding(s):`);
    for (const f of r.failures) say(`    - ${f.split('\n')[0].slice(0, 170)}`);
  } else {
    say(`✘ self-test: ${job.self.what}: ${r.ok ? 'the broken notebook PASSED' : `wrong failure: ${text}`}`);
  }
  return {
    notebook: `self-test: ${job.self.what}`, ok, seconds: r.seconds, detected: r.failures,
    failures: ok ? [] : (r.ok ? ['the broken notebook PASSED the browser test'] : missing.map((re) => `no failure message matches ${re}; got:\n${text}`)),
  };
}

/**
 * The exercise step (browser-test-exercise.js): one exercise done through the UI, wrong then right, on the workspace's
 * copy of the notebook; the source notebook must be unchanged afterwards.
 * @param {BrowserContext} context
 * @param {Lab} lab
 * @param {string} notebookDir
 * @returns {Promise<Summary>}
 */
async function exerciseStep(context, lab, notebookDir) {
  const { testExercise, EXERCISE_STEP } = require('./browser-test-exercise');
  const source = path.join(c.ROOT, 'notebooks', `${EXERCISE_STEP.notebook}.ipynb`);
  const before = fs.readFileSync(source);
  say(`▶ exercise ${EXERCISE_STEP.exercise} in ${EXERCISE_STEP.notebook}: the stub, a wrong answer, the right answer — typed in the cell`);
  const r = await testExercise(context, lab, { notebookDir, shots: OUT, say });
  if (!before.equals(fs.readFileSync(source))) r.failures.push(`${path.relative(c.ROOT, source)} changed on disk during the exercise step`);
  r.ok = r.failures.length === 0;
  if (r.ok) say(`✔ exercise ${r.exercise}: ${r.steps.length} runs of its cell gave "not attempted", ✗ with the hint, ✓ — ${secs(r.seconds * 1000)}; screenshot ${r.screenshots.join(', ')}`);
  else {
    say(`✘ exercise ${r.exercise} in ${r.notebook} failed in the browser:`);
    for (const f of r.failures) say(`    - ${f}`);
  }
  return { notebook: `exercise ${r.exercise} (${r.notebook})`, ok: r.ok, failures: r.failures, seconds: r.seconds, detected: r.steps };
}

/**
 * The exercise step's self-test: typing the right answer where the wrong one is due must FAIL, at that answer.
 * @param {BrowserContext} context
 * @param {Lab} lab
 * @param {string} notebookDir
 * @returns {Promise<Summary>}
 */
async function exerciseSelfTest(context, lab, notebookDir) {
  const { testExercise, EXERCISE_STEP } = require('./browser-test-exercise');
  const what = `exercise ${EXERCISE_STEP.exercise} with the right answer typed where the wrong one is due`;
  say(`▶ self-test: ${what} must FAIL`);
  const r = await testExercise(context, lab, { notebookDir, shots: path.join(OUT, 'selftest'), say: () => {}, swap: true });
  const must = new RegExp(`^with the wrong answer .*: expected "✗ ${EXERCISE_STEP.exercise.replace('.', '\\.')} .*", the cell printed "✓ `);
  const ok = !r.ok && r.failures.length === 1 && must.test(r.failures[0] || '');
  if (ok) say(`✔ self-test: the step failed as it must: ${(r.failures[0] || '').slice(0, 170)}`);
  else say(`✘ self-test: ${what}: ${r.ok ? 'the step PASSED' : `wrong failure: ${r.failures.join(' | ')}`}`);
  return {
    notebook: `self-test: ${what}`, ok, seconds: r.seconds, detected: r.failures,
    failures: ok ? [] : [r.ok ? 'the exercise step PASSED with the answers swapped' : `no failure matches ${must}; got: ${r.failures.join(' | ')}`],
  };
}

/**
 * Start Lab and Chromium, test every job, then the self-tests; always stops both. Returns one summary per job (or
 * one "(setup)" failure) and how long Lab took to start.
 * @param {{ python: string, executablePath: string, notebookDir: string, jobs: Job[], selfJobs: Job[], running: Running,
 *   reopen: boolean, exercise: boolean, timeoutMs: number }} s
 * @returns {Promise<{ results: Summary[], labSeconds: number }>}
 */
async function runInBrowser(s) {
  /** @type {Summary[]} */
  const results = [];
  let labSeconds = 0;
  const { running, notebookDir } = s;
  try {
    say(`starting JupyterLab on a copy of notebooks/ in ${notebookDir}`);
    const lab = await Lab.start(s.python, notebookDir, running.work);
    running.lab = lab;
    labSeconds = lab.startSeconds;
    say(`JupyterLab answers on 127.0.0.1:${lab.port} after ${secs(labSeconds * 1000)}`);
    /** @type {string[]} */
    const external = [];
    const context = await launchChromium(running.work, s.executablePath, lab, external);
    running.context = context;
    for (const job of s.jobs) {
      say(`▶ ${job.name}`);
      const r = await testNotebook(context, lab, job, { timeoutMs: s.timeoutMs, reopen: s.reopen, shots: OUT, notebookDir });
      results.push(r);
      reportNotebook(r);
    }
    if (s.exercise) results.push(await exerciseStep(context, lab, notebookDir));
    for (const job of s.selfJobs) {
      if (job.self) results.push(await runSelfTest(context, lab, { ...job, self: job.self }, notebookDir));
    }
    if (s.exercise && s.selfJobs.length) results.push(await exerciseSelfTest(context, lab, notebookDir));
    if (external.length) say(`note: the pages tried to reach ${external.length} URL(s) outside Lab, e.g. ${external[0]}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    results.push({ notebook: '(setup)', ok: false, failures: [message] });
    say(`✘ ${message}`);
    if (running.lab) console.error(running.lab.logTail());
  } finally {
    if (running.context) await running.context.close().catch(() => {});
    if (running.lab) await running.lab.stop();
  }
  return { results, labSeconds };
}

/**
 * Write build/browser/summary.json and print the last line, "browser: N passed, M failed — …"; returns the exit status.
 * @param {Summary[]} results
 * @param {number} labSeconds
 * @param {number} t0   when the test started (ms)
 */
function writeSummary(results, labSeconds, t0) {
  fs.writeFileSync(path.join(OUT, 'summary.json'), JSON.stringify({ labStartSeconds: labSeconds, results }, null, 2));
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const per = results.filter((r) => r.seconds).map((r) => `${r.notebook} ${secs((r.seconds || 0) * 1000)}`).join(', ');
  console.log(`browser: ${passed} passed, ${failed} failed — Lab start ${secs(labSeconds * 1000)}; ${per}; total ${secs(Date.now() - t0)}`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

/**
 * The browser test: options and notebooks, Chromium and Python (setup), a workspace with the jobs, the run, the summary.
 * @param {string[]} argv
 * @returns {Promise<number>} the exit status
 */
async function main(argv) {
  const t0 = Date.now();
  /** @type {ReturnType<typeof parseArgs>} */
  let opts;
  /** @type {string[]} */
  let notebooks;
  try {
    opts = parseArgs(argv);
    notebooks = opts.onlySelfTest ? [] : selectNotebooks(opts.names);
  } catch (e) {
    console.error(`[browser] ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  let executablePath;
  try { executablePath = findChromium(); } catch (e) { console.error(`[browser] ✘ ${e instanceof Error ? e.message : String(e)}`); return 1; }
  // --no-setup (used by npm test, which has just done it): skip npm/tsc, only find Python and register the kernel.
  const python = opts.noSetup ? c.ensurePython() : c.ensureAll().python;
  if (opts.noSetup) c.registerKernel(python);
  fs.mkdirSync(OUT, { recursive: true });
  const work = fs.mkdtempSync(path.join(require('os').tmpdir(), 'course-browser-'));
  const notebookDir = makeWorkspace(work);
  const jobs = notebookJobs(notebooks, notebookDir, opts.executedDir);
  const selfJobs = opts.selfTest ? selfTestJobs(notebookDir, jobs.length) : [];
  /** @type {Running} */
  const running = { lab: null, context: null, work, keep: opts.keep };
  const removeExitHook = stopOnExitOrSignal(running);
  const timeoutMs = Number(process.env.COURSE_BROWSER_TIMEOUT || 1800) * 1000;
  const exercise = opts.exercise && !opts.onlySelfTest;
  const { results, labSeconds } = await runInBrowser({ python, executablePath, notebookDir, jobs, selfJobs, running, reopen: opts.reopen, exercise, timeoutMs });
  removeExitHook();
  if (!opts.keep) fs.rmSync(work, { recursive: true, force: true });
  else say(`kept ${work}`);
  return writeSummary(results, labSeconds, t0);
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));

module.exports = {
  finishTest,
  analyse, summarizeOutputs, loadReference, selectNotebooks, parseArgs, freePort, findChromium, Lab, SELF_TESTS, EXPECT, CHROMIUM_ARGS,
  openNotebook, waitForKernel, screenshot, clickMenu,
};
