/**
 * `npm run exercises`: prove every exercise of the course — (a) its solution (notebooks/solutions/NN-*.ts) passes its
 * check, (b) its stub is reported as "not attempted", (c) every plausible wrong answer fails with its hint — and that
 * each exercise is checked exactly once, in its own notebook (a cell calling `checkExercise('NN.k', …)` after the statement).
 * Prints `N exercises: N solutions pass, N stubs unattempted, N wrong answers caught`; exits 1 on any problem.
 *
 * `npm run exercises -- --reset NN` puts notebook NN's exercise cells back to their stubs, as committed (git), and
 * leaves every other cell as it is; close the notebook in JupyterLab first (or reload it from disk afterwards).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EXERCISES } from '../src/exercises/catalog';
import { exerciseCallsIn, ExerciseSolution, resetExerciseCells, verifyExercises } from '../src/exercises/verify';
import { readNotebook, serialize, sourceOf } from './nb-format';

const ROOT = path.join(__dirname, '..');
const NOTEBOOKS = path.join(ROOT, 'notebooks');
const SOLUTIONS = path.join(NOTEBOOKS, 'solutions');

function loadSolutions(): Record<string, ExerciseSolution> {
  const all: Record<string, ExerciseSolution> = {};
  for (const file of fs.readdirSync(SOLUTIONS).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(SOLUTIONS, file)) as { solutions?: Record<string, ExerciseSolution> };
    if (!mod.solutions) throw new Error(`notebooks/solutions/${file}: exports no \`solutions\``);
    for (const [id, solution] of Object.entries(mod.solutions)) {
      if (!id.startsWith(file.slice(0, 2))) throw new Error(`notebooks/solutions/${file}: solution '${id}' belongs to notebook ${id.slice(0, 2)}`);
      all[id] = solution;
    }
  }
  return all;
}

/**
 * Every exercise is checked exactly once, in a code cell of its own notebook, right after a markdown cell that states it
 * (the catalog's statement, verbatim: the notebook and the catalog cannot drift apart); no cell checks an unknown exercise.
 */
function notebookProblems(): string[] {
  const problems: string[] = [];
  const byId = new Map(EXERCISES.map((e) => [e.id, e]));
  const seen = new Map<string, string[]>();
  for (const file of fs.readdirSync(NOTEBOOKS).filter((f) => /^\d\d-.*\.ipynb$/.test(f))) {
    const cells = readNotebook(path.join(NOTEBOOKS, file)).cells.map((c) => ({ type: c.cell_type, text: sourceOf(c) }));
    cells.forEach((cell, i) => {
      if (cell.type !== 'code') return;
      for (const id of exerciseCallsIn([cell.text])) {
        const exercise = byId.get(id);
        if (!exercise) {
          problems.push(`${file}: checks exercise '${id}', which the catalog (src/exercises/) does not have`);
          continue;
        }
        seen.set(id, [...(seen.get(id) ?? []), file.replace(/\.ipynb$/, '')]);
        const before = cells[i - 1];
        if (!before || before.type !== 'markdown' || !before.text.includes(exercise.statement)) {
          problems.push(`${file}: the cell checking ${id} must follow a markdown cell with the exercise's statement from src/exercises/ (verbatim)`);
        }
      }
    });
  }
  for (const e of EXERCISES) {
    const where = seen.get(e.id) ?? [];
    if (where.length !== 1 || where[0] !== e.notebook) {
      problems.push(`${e.id}: checked ${where.length ? `in ${where.join(', ')}` : 'in no notebook'}; expected once, in ${e.notebook}.ipynb`);
    }
  }
  return problems;
}

/** `--reset NN`: notebook NN's exercise cells back to their committed stubs (outputs cleared); the file is replaced atomically. */
function resetNotebook(which: string): void {
  const file = fs.readdirSync(NOTEBOOKS).find((f) => f.startsWith(`${which}-`) && f.endsWith('.ipynb'));
  if (!/^\d\d$/.test(which) || !file) {
    console.error(`[exercises] --reset ${which}: give a notebook number, e.g. --reset 03 (notebooks: ${fs.readdirSync(NOTEBOOKS).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).map((f) => f.slice(0, 2)).join(', ')})`);
    process.exit(2);
  }
  let committed: string;
  try {
    committed = execFileSync('git', ['show', `HEAD:notebooks/${file}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    console.error(`[exercises] --reset ${which}: cannot read the committed notebooks/${file} with git (${String((err as Error).message).split('\n')[0]}); ` +
      `the stubs are the exercise cells of the notebook as it is in the repository`);
    process.exit(1);
  }
  const target = path.join(NOTEBOOKS, file);
  const nb = readNotebook(target);
  const { cells, reset } = resetExerciseCells(nb.cells, JSON.parse(committed).cells);
  nb.cells = cells.map((c) => (c.cell_type === 'code' && reset.some((id) => exerciseCallsIn([sourceOf(c)]).includes(id))
    ? { ...c, outputs: [], execution_count: null } : c));
  const tmp = `${target}.reset-${process.pid}`;
  fs.writeFileSync(tmp, serialize(nb));
  fs.renameSync(tmp, target);
  console.log(`[exercises] ${file}: ${reset.length ? `reset ${reset.join(', ')} to the stub` : 'every exercise cell is already its stub'}; ` +
    'other cells untouched. In JupyterLab: File ▸ Reload Notebook from Disk.');
}

function main(): void {
  const at = process.argv.indexOf('--reset');
  if (at >= 0) {
    resetNotebook(process.argv[at + 1] ?? '');
    return;
  }
  const report = verifyExercises(EXERCISES, loadSolutions());
  const problems = [...report.problems, ...notebookProblems()];
  for (const p of problems) console.error(`[exercises] ✗ ${p}`);
  console.log(`[exercises] ${report.summary}`);
  if (problems.length) {
    console.error(`[exercises] ${problems.length} problem(s)`);
    process.exit(1);
  }
}

main();
