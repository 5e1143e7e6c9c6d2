#!/usr/bin/env node
// @ts-check
// `npm test`: everything, on a fresh machine too. It sets up what is missing (npm deps, the built
// library, Python with JupyterLab/nbclient in .venv, the project-local tslab kernel), then runs:
//   1. typecheck  — tsc --strict over src/, tests/ and tools
//   2. nb:check   — notebook hygiene (no outputs) and a strict type-check of every notebook's code
//   3. jest       — unit tests that assert real values
//   3b. exercises — every exercise's solution passes, its stub is "not attempted", its wrong answers are caught
//   3c. i18n      — the Chinese edition is complete and current (npm run i18n:check: every markdown cell, exercise
//                   hint and the figure label table; glossary terms, code spans, math and links kept)
//   4. notebooks  — headless execution of every notebook (profile from COURSE_PROFILE, default full)
//   4b. zh        — the generated Chinese notebooks (notebooks/zh/, npm run zh), headless, in the quick profile
//   5. browser    — the learner's path in JupyterLab + headless Chromium (Run All, no errors, every figure
//                   drawn, figures still drawn after save/close/reopen untrusted) for COURSE_BROWSER_NOTEBOOKS
//                   (default 00), plus deliberately broken notebooks that must fail
//   6. book       — `npm run book` from the executed notebooks, then every page checked in Chromium
//                   (no console errors or failed requests, figures drawn, math rendered), plus broken books
// Every step runs even when an earlier one fails; the exit code is non-zero if any failed.
'use strict';
const fs = require('fs');
const path = require('path');
const c = require('./common');

/**
 * What a step reports; `step` adds its name and duration.
 * @typedef {{ ok: boolean, passed: number, failed: number, skipped?: number }} StepOutcome
 * @typedef {StepOutcome & { name: string, seconds: number }} StepResult
 * @typedef {{ ok: boolean }} Outcome   one line of a runner's summary.json
 */

/**
 * Run one step; an exception is a failed step, with its stack printed.
 * @param {string} name
 * @param {() => StepOutcome} fn
 * @returns {StepResult}
 */
function step(name, fn) {
  const t0 = Date.now();
  console.log(`\n━━ ${name} ━━`);
  /** @type {StepOutcome} */
  let result;
  try {
    result = fn();
  } catch (err) {
    console.error(String(err instanceof Error && err.stack || err));
    result = { ok: false, passed: 0, failed: 1 };
  }
  return { ...result, name, seconds: (Date.now() - t0) / 1000 };
}

/**
 * Run a Node script with this Node; returns its exit status.
 * @param {string} script
 * @param {string[]} [args]
 * @param {import('child_process').SpawnSyncOptions} [opts]
 */
function node(script, args = [], opts = {}) {
  return c.run(process.execPath, [script, ...args], opts);
}

function main() {
  const only = process.argv.slice(2);
  const want = (/** @type {string} */ s) => only.length === 0 || only.includes(s);
  const t0 = Date.now();
  const { python } = c.ensureAll();
  /** @type {StepResult[]} */
  const results = [];
  const tsc = path.join(c.ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

  if (want('typecheck')) results.push(step('typecheck (tsc --strict)', () => {
    const ok = node(tsc, ['-p', 'tsconfig.json']) === 0;
    if (ok) console.log('typecheck: src/, tests/ and kernel-setup/ compile under --strict');
    return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  }));

  if (want('nb:check')) results.push(step('notebook hygiene and type-check', () => {
    const ok = node(path.join(__dirname, 'nb-check.js')) === 0;
    return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  }));

  if (want('jest')) results.push(step('jest', () => {
    const report = path.join(c.ROOT, 'build', 'jest-report.json');
    const notRunFile = path.join(c.ROOT, 'build', 'jest-not-run.jsonl'); // written by tests/support/datasets.ts
    fs.mkdirSync(path.dirname(report), { recursive: true });
    fs.rmSync(report, { force: true });
    fs.rmSync(notRunFile, { force: true });
    const jest = path.join(c.ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const status = node(jest, ['--ci', '--json', `--outputFile=${report}`], { env: c.jupyterEnv({ COURSE_PYTHON: python }) });
    let passed = 0;
    let failed = status === 0 ? 0 : 1;
    let skipped = 0;
    if (fs.existsSync(report)) {
      const j = JSON.parse(fs.readFileSync(report, 'utf8'));
      passed = j.numPassedTests;
      failed = j.numFailedTests + j.numRuntimeErrorTestSuites + (status !== 0 && j.numFailedTests === 0 ? 1 : 0);
      skipped = j.numPendingTests + j.numTodoTests;
    }
    // Tests that did not run are said loudly, with the reason: a missing dataset (tests/datasets.ts) or a missing
    // native addon (the native-kernel tests). CI requires everything (COURSE_REQUIRE_DATA / COURSE_REQUIRE_NATIVE).
    const notRun = fs.existsSync(notRunFile) ? fs.readFileSync(notRunFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    if (skipped > 0) {
      console.log(`\njest: ${skipped} test(s) NOT RUN:`);
      const byReason = new Map();
      for (const r of notRun) byReason.set(r.reason, (byReason.get(r.reason) || []).concat(`${r.suite}: ${r.test}`));
      for (const [reason, tests] of byReason) console.log(`  ${tests.length} — ${reason}\n    ${tests.join('\n    ')}`);
      const other = skipped - notRun.length;
      if (other > 0) console.log(`  ${other} — skipped by their suite (the native-kernel tests skip when tfjs-node is not installed: npm run native)`);
    }
    const required = ['COURSE_REQUIRE_DATA', 'COURSE_REQUIRE_NATIVE'].filter((k) => process.env[k] === '1');
    if (skipped > 0 && required.length > 0) {
      console.log(`jest: ${required.join(' and ')} set: a test that does not run is a failure`);
      failed += skipped;
    }
    return { ok: status === 0 && !(skipped > 0 && required.length > 0), passed, failed, skipped };
  }));

  if (want('exercises')) results.push(step('exercises (solutions pass, stubs unattempted, wrong answers caught)', () => {
    const tsNode = path.join(c.ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
    const ok = node(tsNode, ['--transpile-only', path.join(__dirname, 'exercises.ts')]) === 0;
    return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  }));

  if (want('i18n')) results.push(step('i18n (the Chinese edition complete and current)', () => {
    const ok = node(path.join(__dirname, 'i18n.js'), ['check']) === 0;
    return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  }));

  /**
   * Run notebooks headlessly into build/notebooks/<sub> and count the runner's summary.
   * @param {string[]} list
   * @param {string} sub   '' or 'zh'
   * @param {Record<string, string>} [env]
   */
  const notebooksStep = (list, sub, env) => {
    const { runNotebooks } = require('./notebooks');
    const summary = path.join(c.ROOT, 'build', 'notebooks', sub, 'summary.json');
    fs.rmSync(summary, { force: true });
    const status = list.length > 0 ? runNotebooks(python, list, env) : 0;
    let passed = 0;
    let failed = status === 0 ? 0 : 1;
    if (fs.existsSync(summary)) {
      /** @type {Outcome[]} */
      const s = JSON.parse(fs.readFileSync(summary, 'utf8'));
      passed = s.filter((r) => r.ok).length;
      failed = s.length - passed;
    }
    return { ok: status === 0, passed, failed };
  };

  if (want('notebooks')) results.push(step('notebooks (headless, nbclient + tslab)', () => notebooksStep(c.listNotebooks(), '')));

  // The Chinese notebooks run the same code: the quick profile is enough to prove they run and their labels exist.
  if (want('zh')) results.push(step('Chinese notebooks (generated, headless, quick)', () => {
    require('./i18n').generate();
    const { listZhNotebooks } = require('./notebooks');
    const zh = listZhNotebooks();
    if (zh.length === 0) return { ok: false, passed: 0, failed: 1 };
    return notebooksStep(zh, 'zh', { COURSE_PROFILE: 'quick' });
  }));

  if (want('browser')) results.push(step('browser (JupyterLab + Chromium)', () => {
    const summary = path.join(c.ROOT, 'build', 'browser', 'summary.json');
    fs.rmSync(summary, { force: true });
    const status = node(path.join(__dirname, 'browser-test.js'), ['--no-setup', '--self-test']);
    let passed = 0;
    let failed = status === 0 ? 0 : 1;
    if (fs.existsSync(summary)) {
      /** @type {Outcome[]} */
      const s = JSON.parse(fs.readFileSync(summary, 'utf8')).results;
      passed = s.filter((r) => r.ok).length;
      failed = s.length - passed + (status !== 0 && s.every((r) => r.ok) ? 1 : 0);
    }
    return { ok: status === 0, passed, failed };
  }));

  if (want('book')) results.push(step('book (build + Chromium)', () => {
    const built = node(path.join(__dirname, 'book.js')) === 0;
    const summary = path.join(c.ROOT, 'build', 'browser', 'book-summary.json');
    fs.rmSync(summary, { force: true });
    // Without a book, still run the broken-book self-test so its checks are exercised.
    const status = node(path.join(__dirname, 'book-test.js'), [built ? '--self-test' : '--only-self-test']);
    let passed = built ? 1 : 0;
    let failed = (built ? 0 : 1) + (status === 0 ? 0 : 1);
    if (fs.existsSync(summary)) {
      /** @type {Outcome[]} */
      const s = JSON.parse(fs.readFileSync(summary, 'utf8'));
      passed += s.filter((r) => r.ok).length;
      failed = (built ? 0 : 1) + s.length - s.filter((r) => r.ok).length;
    }
    return { ok: built && status === 0, passed, failed };
  }));

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + (r.skipped || 0), 0);
  console.log('\n━━ summary ━━');
  for (const r of results) {
    console.log(`${r.ok ? '✔' : '✘'} ${r.name.padEnd(42)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${r.seconds.toFixed(0).padStart(5)} s` +
      (r.skipped ? `  (${r.skipped} not run: see above)` : ''));
  }
  console.log(`total time ${((Date.now() - t0) / 1000).toFixed(0)} s (profile ${process.env.COURSE_PROFILE || 'full'}, backend ${process.env.COURSE_BACKEND || 'auto'})`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

main();
