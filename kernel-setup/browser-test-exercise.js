// @ts-check
// The browser test's exercise step (kernel-setup/browser-test.js runs it after the notebooks): a learner doing one
// exercise in JupyterLab, through the UI.
//
//   1. opens the course notebook (its copy in the test's workspace: the source is never modified) and waits for the kernel;
//   2. runs the cell the exercise needs (the one importing checkExercise) and the exercise's stub cell as it is,
//      which must print "· NN.k … not attempted yet";
//   3. types a WRONG answer (the first of `wrong` in notebooks/solutions/NN-name.ts) over the stub's `undefined` with
//      the keyboard, checks the editor now holds exactly that, runs the cell (Ctrl+Enter) and requires the ✗ line
//      with the exercise's hint;
//   4. types the RIGHT answer (the solution's `answer`) the same way, runs it and requires the ✓ line.
// The verdict lines are compared with the exercise's title and hint from the compiled catalog (build/lib, what the
// kernel runs). Screenshots: build/browser/exercise-NN.k-wrong.png (the ✗ and hint) and exercise-NN.k.png (the ✓).
'use strict';
const fs = require('fs');
const path = require('path');
const c = require('./common');
const { readNotebook, sourceOf } = require('./nb-format');
const { readSolutions, exerciseCalls } = require('./book-solutions');

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('playwright-core').BrowserContext} BrowserContext
 * @typedef {import('./browser-test').Lab} Lab
 * @typedef {{ id: string, title: string, kind: string, difficulty: number, hint: string }} ExerciseInfo   from the catalog
 * @typedef {'not attempted' | 'wrong' | 'correct'} Verdict
 * @typedef {{ notebook: string, exercise: string, ok: boolean, failures: string[], seconds: number, steps: string[],
 *   timings: Record<string, number>, screenshots: string[] }} ExerciseResult
 */

/** The exercise the step does: an *understand* exercise of notebook 01 whose stub is a value (`undefined`). */
const EXERCISE_STEP = { notebook: '01-concepts-pipeline', exercise: '01.1' };

const STARS = ['', '★', '★★', '★★★'];
const secs = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

// ───────────────────────── pure helpers (unit-tested in tests/tooling/browser.test.ts) ─────────────────────────

/**
 * Where a stub cell's answer goes: the `undefined` the checked name is declared with (`const x: T = undefined;`).
 * Returns its offset in the cell's source, or null when the stub is not of that form.
 * @param {string} source
 * @param {string} name   the name the cell passes to checkExercise
 * @returns {number | null}
 */
function answerSlot(source, name) {
  const re = new RegExp(`\\b(?:const|let)\\s+${name.replace(/\$/g, '\\$')}\\s*(?::[^=\\n]*)?=\\s*(undefined)\\s*;`);
  const m = re.exec(source);
  return m ? m.index + m[0].lastIndexOf('undefined') : null;
}

/**
 * The problem with what a checked cell printed, or null when it printed the verdict `want` for `exercise`:
 * `· id title (kind, ★): not attempted yet`, `✗ id title (kind, ★): … — hint: <hint>`, `✓ id title (kind, ★)`.
 * @param {string} printed
 * @param {Verdict} want
 * @param {ExerciseInfo} exercise
 * @returns {string | null}
 */
function verdictProblem(printed, want, exercise) {
  const label = `${exercise.id} ${exercise.title} (${exercise.kind}, ${STARS[exercise.difficulty]})`;
  const lines = printed.split('\n').map((l) => l.trim()).filter(Boolean);
  const shown = lines.length ? `"${lines.join(' | ').slice(0, 300)}"` : 'nothing';
  if (want === 'not attempted') return lines.includes(`· ${label}: not attempted yet`) ? null : `expected "· ${label}: not attempted yet", the cell printed ${shown}`;
  if (want === 'correct') return lines.includes(`✓ ${label}`) ? null : `expected "✓ ${label}", the cell printed ${shown}`;
  const wrong = lines.find((l) => l.startsWith(`✗ ${label}: `));
  if (!wrong) return `expected "✗ ${label}: …", the cell printed ${shown}`;
  if (!wrong.endsWith(`— hint: ${exercise.hint}`)) return `the ✗ line does not end with the hint "— hint: ${exercise.hint}": "${wrong.slice(0, 300)}"`;
  return null;
}

/**
 * The cells the step uses in a notebook: the stub cell of `id` (with the name it checks and where its answer goes)
 * and the cell importing checkExercise, which the stub needs.
 * @param {import('./nb-format').Notebook} nb
 * @param {string} id
 */
function exerciseCells(nb, id) {
  const stub = nb.cells.findIndex((cell) => cell.cell_type === 'code' && exerciseCalls(sourceOf(cell)).some((call) => call.id === id));
  if (stub < 0) throw new Error(`no cell checks exercise ${id}`);
  const source = sourceOf(/** @type {import('./nb-format').Cell} */ (nb.cells[stub]));
  const call = exerciseCalls(source).find((x) => x.id === id);
  const name = call && call.name;
  const slot = name ? answerSlot(source, name) : null;
  if (!name || slot === null) throw new Error(`exercise ${id}'s stub cell does not declare its answer as \`const name = undefined;\`: ${source.slice(0, 120)}`);
  const setup = nb.cells.findIndex((cell, i) => i < stub && cell.cell_type === 'code' && /\bimport\s*\{[^}]*\bcheckExercise\b[^}]*\}\s*from\s*['"]ai-course['"]/.test(sourceOf(cell)));
  if (setup < 0) throw new Error(`no cell before exercise ${id} imports checkExercise from 'ai-course'`);
  return { stub, setup, source, name, slot };
}

// ───────────────────────── the page ─────────────────────────

/**
 * The cell's editor text, line by line as CodeMirror shows it (runs in the browser).
 * @param {number} index
 */
function editorText(index) {
  const cell = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[index];
  if (!cell) return null;
  return [...cell.querySelectorAll('.cm-content .cm-line')].map((l) => (l.textContent || '').replace(/\u200b/g, '')).join('\n');
}

/**
 * The cell's prompt and its printed output (stdout and plain text), as the page shows them (runs in the browser).
 * @param {number} index
 */
function cellState(index) {
  const cell = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[index];
  const ind = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  if (!cell) return null;
  const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
  return {
    prompt: ((cell.querySelector('.jp-InputPrompt') || { textContent: '' }).textContent || '').trim(),
    printed: outputs.filter((o) => /jupyter\.stdout|text\/plain/.test(o.getAttribute('data-mime-type') || '')).map((o) => o.textContent || '').join('\n'),
    errors: outputs.filter((o) => /stderr/.test(o.getAttribute('data-mime-type') || '')).map((o) => (o.textContent || '').slice(0, 600)),
    idle: ind ? ind.getAttribute('data-status') === 'idle' : false,
  };
}

/**
 * Select cell `index` (a click on its prompt: command mode, no editing) and run it with Ctrl+Enter (Run ▸ Run Selected
 * Cell and Do not Advance); waits until its prompt shows a new execution count and the kernel is idle.
 * @param {Page} page
 * @param {number} index
 */
async function runCellAt(page, index, timeoutMs = 120000) {
  const cell = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').nth(index);
  await cell.scrollIntoViewIfNeeded();
  const before = await page.evaluate(cellState, index);
  await cell.locator('.jp-InputPrompt').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  const t0 = Date.now();
  let stable = 0;
  while (Date.now() - t0 < timeoutMs) {
    await sleep(200);
    const s = await page.evaluate(cellState, index);
    const done = !!s && /^\[\d+\]:?$/.test(s.prompt) && s.prompt !== (before && before.prompt) && s.idle;
    stable = done ? stable + 1 : 0;
    if (stable >= 3) return /** @type {NonNullable<typeof s>} */ (s);
  }
  const s = await page.evaluate(cellState, index);
  throw new Error(`cell ${index + 1} did not finish within ${secs(timeoutMs)} (prompt "${s && s.prompt}")`);
}

/**
 * Replace `length` characters at `offset` of cell `index`'s source with `text`, with the keyboard as a learner does:
 * click into the editor, Ctrl+Home, arrow keys to the answer, Shift+arrows over it, type. Then the editor must hold
 * exactly `expected`.
 * @param {Page} page
 * @param {number} index
 * @param {number} offset
 * @param {number} length
 * @param {string} text
 * @param {string} expected
 */
async function typeAnswer(page, index, offset, length, text, expected) {
  const editor = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').nth(index).locator('.cm-content').first();
  await editor.click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < offset; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type(text, { delay: 20 });
  await sleep(200);
  const now = await page.evaluate(editorText, index);
  if (now !== expected) throw new Error(`after typing ${text}, the editor holds:\n${now}\ninstead of:\n${expected}`);
}

/**
 * The exercise's title, kind, difficulty and hint from the compiled catalog (what the kernel prints from).
 * @param {string} id
 * @returns {ExerciseInfo}
 */
function catalogEntry(id) {
  const file = path.join(c.ROOT, 'build', 'lib', 'exercises', 'catalog.js');
  if (!fs.existsSync(file)) throw new Error(`no compiled catalog ${path.relative(c.ROOT, file)}: run \`npm run build\``);
  /** @type {{ EXERCISES: ExerciseInfo[] }} */
  const catalog = require(file);
  const e = catalog.EXERCISES.find((x) => x.id === id);
  if (!e) throw new Error(`the catalog has no exercise ${id}`);
  return e;
}

/**
 * The whole step for one exercise. `notebookDir` is the workspace's copy of notebooks/ (Lab may save into it).
 * @param {BrowserContext} context
 * @param {Lab} lab
 * @param {{ notebookDir: string, shots: string, say: (msg: string) => void, notebook?: string, exercise?: string, swap?: boolean }} opts
 *   swap (the self-test): type the right answer where the wrong one is due — the step must then fail
 * @returns {Promise<ExerciseResult>}
 */
async function testExercise(context, lab, opts) {
  const bt = require('./browser-test');
  const notebook = opts.notebook || EXERCISE_STEP.notebook;
  const id = opts.exercise || EXERCISE_STEP.exercise;
  const t0 = Date.now();
  /** @type {ExerciseResult} */
  const result = { notebook, exercise: id, ok: false, failures: [], seconds: 0, steps: [], timings: {}, screenshots: [] };
  const page = await context.newPage();
  const shot = path.join(opts.shots, `exercise-${id}${opts.swap ? '-selftest' : ''}.png`);
  let stubIndex = -1;
  try {
    const rel = `${notebook}.ipynb`;
    const nb = readNotebook(path.join(opts.notebookDir, rel));
    const cells = exerciseCells(nb, id);
    stubIndex = cells.stub;
    const solution = readSolutions(path.join(c.ROOT, 'notebooks', 'solutions')).solutions.get(id);
    if (!solution || !solution.wrong.length) throw new Error(`notebooks/solutions has no solution with a wrong answer for ${id}`);
    const exercise = catalogEntry(id);
    const [wrong, right] = opts.swap ? [solution.answer, solution.wrong[0]] : [solution.wrong[0], solution.answer];
    if (/\n/.test(wrong + right)) throw new Error(`exercise ${id}: the step types one-line answers, not ${JSON.stringify([wrong, right])}`);

    await bt.openNotebook(page, lab, rel, opts.swap ? 'bt-exercise-selftest' : 'bt-exercise');
    await bt.waitForKernel(page);
    result.timings.kernel = (Date.now() - t0) / 1000;
    opts.say(`  ${notebook}: kernel ready in ${secs(Date.now() - t0)}; exercise ${id}: running cell ${cells.setup + 1} (imports checkExercise)`);
    const setup = await runCellAt(page, cells.setup);
    if (setup.errors.length) throw new Error(`cell ${cells.setup + 1} failed: ${setup.errors[0]}`);

    /** @type {[string, Verdict, string | null][]} */
    const attempts = [['the stub as it is', 'not attempted', null], [`the wrong answer ${wrong}`, 'wrong', wrong], [`the right answer ${right}`, 'correct', right]];
    let current = 'undefined';
    for (const [what, want, text] of attempts) {
      const t1 = Date.now();
      if (text !== null) {
        const expected = cells.source.slice(0, cells.slot) + text + cells.source.slice(cells.slot + 'undefined'.length);
        await typeAnswer(page, cells.stub, cells.slot, current.length, text, expected);
        current = text;
      }
      const s = await runCellAt(page, cells.stub);
      if (s.errors.length) throw new Error(`with ${what}, cell ${cells.stub + 1} wrote an error: ${s.errors[0]}`);
      const problem = verdictProblem(s.printed, want, exercise);
      const line = s.printed.split('\n').map((l) => l.trim()).find((l) => /^[·✗✓]/.test(l)) || '';
      if (problem) throw new Error(`with ${what}: ${problem}`);
      result.steps.push(`${what} → ${line.slice(0, 200)}`);
      result.timings[want] = (Date.now() - t1) / 1000;
      if (want === 'wrong') { // the ✗ line with its hint, as the learner sees it
        const wrongShot = path.join(opts.shots, `exercise-${id}${opts.swap ? '-selftest' : ''}-wrong.png`);
        await bt.screenshot(page, wrongShot, cells.stub);
        result.screenshots.push(path.relative(c.ROOT, wrongShot));
      }
      opts.say(`  ${id}: ${what} → "${line.length > 150 ? `${line.slice(0, 150)}…` : line}" (${secs(Date.now() - t1)})`);
    }
    await bt.screenshot(page, shot, cells.stub);
    result.screenshots.push(path.relative(c.ROOT, shot));
  } catch (err) {
    result.failures.push(err instanceof Error ? err.message : String(err));
    try {
      if (stubIndex >= 0) await bt.screenshot(page, shot, stubIndex);
      else await page.screenshot({ path: shot });
      result.screenshots.push(path.relative(c.ROOT, shot));
    } catch { /* page gone */ }
  }
  return bt.finishTest(page, lab, result, t0);
}

module.exports = { EXERCISE_STEP, answerSlot, verdictProblem, exerciseCells, testExercise };
