/**
 * Proving the exercises (what `npm run exercises` runs): for every exercise, (a) its solution passes its check,
 * (b) its stub is reported as "not attempted", (c) every plausible wrong answer fails, with the hint; and every
 * exercise has exactly one solution and no solution is left without an exercise.
 *
 * ```ts
 * const report = verifyExercises(EXERCISES, { '02.4': { answer: 4 / 3, wrong: [0.75], explanation: '…' }, … });
 * report.problems;   // [] when everything holds
 * report.summary;    // "11 exercises: 11 solutions pass, 11 stubs unattempted, 24 wrong answers caught"
 * ```
 */
import { Exercise, gradeExercise } from './exercise';

/** One exercise's tested solution (see notebooks/solutions/). */
export interface ExerciseSolution {
  answer: unknown;
  wrong: unknown[];
  explanation: string;
}

/** The outcome of `verifyExercises`. */
export interface ExerciseVerification {
  exercises: number;
  solutionsPass: number;
  stubsUnattempted: number;
  wrongCaught: number;
  wrongTotal: number;
  /** One sentence per failure, naming the exercise. Empty when all holds. */
  problems: string[];
  summary: string;
}

/** Check (a), (b) and (c) for every exercise of `catalog` against `solutions` (keyed by exercise id). */
export function verifyExercises(catalog: readonly Exercise<any>[], solutions: Readonly<Record<string, ExerciseSolution>>): ExerciseVerification {
  const problems: string[] = [];
  let solutionsPass = 0;
  let stubsUnattempted = 0;
  let wrongCaught = 0;
  let wrongTotal = 0;
  const ids = new Set<string>();
  for (const exercise of catalog) {
    if (ids.has(exercise.id)) problems.push(`${exercise.id}: two exercises have this id`);
    ids.add(exercise.id);
    const solution = solutions[exercise.id];
    if (!solution) {
      problems.push(`${exercise.id} (${exercise.notebook}): no solution in notebooks/solutions/${exercise.notebook}.ts`);
      continue;
    }
    const right = gradeExercise(exercise, solution.answer);
    if (right.status === 'correct') solutionsPass++;
    else problems.push(`${exercise.id}: the solution does not pass: ${right.message}`);
    const stub = gradeExercise(exercise, exercise.stub);
    if (stub.status === 'not attempted') stubsUnattempted++;
    else problems.push(`${exercise.id}: the stub is not reported as "not attempted" but: ${stub.message}`);
    if (solution.wrong.length === 0) problems.push(`${exercise.id}: no wrong answer to show that the check can fail`);
    solution.wrong.forEach((answer, i) => {
      wrongTotal++;
      const verdict = gradeExercise(exercise, answer);
      if (verdict.status === 'wrong' && verdict.message.includes(exercise.hint)) wrongCaught++;
      else problems.push(`${exercise.id}: wrong answer #${i + 1} is not caught: ${verdict.message}`);
    });
    if (!solution.explanation.trim()) problems.push(`${exercise.id}: the solution has no explanation`);
  }
  for (const id of Object.keys(solutions)) if (!ids.has(id)) problems.push(`${id}: a solution without an exercise`);
  const summary = `${catalog.length} exercises: ${solutionsPass} solutions pass, ${stubsUnattempted} stubs unattempted, `
    + `${wrongCaught} wrong answers caught${wrongCaught < wrongTotal ? ` (of ${wrongTotal})` : ''}`;
  return { exercises: catalog.length, solutionsPass, stubsUnattempted, wrongCaught, wrongTotal, problems, summary };
}

/**
 * The exercise ids a notebook's code cells check, in order (calls `checkExercise('NN.k', …)`), for the
 * command's cross-check that every exercise appears exactly once, in its own notebook.
 */
export function exerciseCallsIn(codeCells: readonly string[]): string[] {
  const ids: string[] = [];
  for (const code of codeCells) for (const m of code.matchAll(/checkExercise\(\s*['"]([0-9]{2}\.[0-9]+)['"]/g)) ids.push(m[1]!);
  return ids;
}

/** A notebook cell as the reset reads it (the nbformat fields it needs). */
export interface ResettableCell {
  cell_type: string;
  source: string | string[];
}

/**
 * Put a notebook's exercise cells back to their stubs: every code cell of `cells` that checks an exercise gets the
 * source of the cell of `stubs` (the notebook as committed) that checks the same exercise; every other cell stays as the
 * learner left it. Returns the new cells and the ids reset (a cell already equal to its stub is not counted).
 *
 * ```ts
 * const { cells, reset } = resetExerciseCells(mine.cells, committed.cells);   // reset: ['01.3'] when only 01.3 was edited
 * ```
 */
export function resetExerciseCells<C extends ResettableCell>(cells: readonly C[], stubs: readonly ResettableCell[]): { cells: C[]; reset: string[] } {
  const text = (c: ResettableCell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);
  const stubOf = new Map<string, string | string[]>();
  for (const c of stubs) if (c.cell_type === 'code') for (const id of exerciseCallsIn([text(c)])) stubOf.set(id, c.source);
  const reset: string[] = [];
  const out = cells.map((c) => {
    if (c.cell_type !== 'code') return c;
    const [id] = exerciseCallsIn([text(c)]);
    const stub = id === undefined ? undefined : stubOf.get(id);
    if (stub === undefined || text({ cell_type: 'code', source: stub }) === text(c)) return c;
    reset.push(id!);
    return { ...c, source: Array.isArray(stub) ? [...stub] : stub };
  });
  return { cells: out, reset };
}
