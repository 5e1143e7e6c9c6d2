/**
 * Exercises that check themselves (练习与自动检查). An exercise has an id (`'03.2'`: notebook 03, second
 * exercise), a kind, a difficulty, a statement, a hint and a check. The learner's answer — a number, a
 * choice, or a function they implement — goes to `checkExercise(id, answer)` at the end of the exercise
 * cell, which prints one of three lines and never throws, so "Run All" and the headless runner pass on a
 * notebook whose exercises are not done yet:
 *
 * - `✓ 03.2 …` — right;
 * - `✗ 03.2 …: what is wrong, with the failing input — hint: …` — wrong;
 * - `· 03.2 … not attempted yet` — the answer is still the stub: `undefined`, or a function whose body is
 *   `return todo();` (`todo()` throws `NotAttempted`, which the check recognises).
 *
 * Kinds: *understand* (a checkable answer), *implement* (a typed function, checked by property tests on
 * seeded random inputs against a reference: the library's function, `tf.grad` or finite differences),
 * *experiment* (change something, observe, report the direction or a value; the check recomputes it).
 *
 * ```ts
 * function mySoftmaxJacobian(z: number[]): number[][] {
 *   return todo();                              // the stub: prints "· 02.2 … not attempted yet"
 * }
 * checkExercise('02.2', mySoftmaxJacobian);
 * checkExercise('02.4', 4 / 3);                 // "✓ 02.4 the inverted-dropout scale"
 * ```
 *
 * Solutions live apart from the learner notebooks (`notebooks/solutions/`); `npm run exercises` proves for
 * every exercise that its solution passes, its stub is "not attempted" and a plausible wrong answer fails.
 */

import { courseLanguage, zhExerciseHint } from '../notebook/language';

/** What an exercise asks for. */
export type ExerciseKind = 'understand' | 'implement' | 'experiment';

/** One exercise: its statement, hint and check. `A` is the type of the learner's answer. */
export interface Exercise<A = unknown> {
  /** `'NN.k'`: notebook NN, k-th exercise. */
  id: string;
  /** The notebook's file name without `.ipynb`, e.g. `'02-losses'`. */
  notebook: string;
  kind: ExerciseKind;
  /** 1 (★, a few minutes) to 3 (★★★, a real piece of work). */
  difficulty: 1 | 2 | 3;
  /** A few words, printed with every verdict. */
  title: string;
  /** What to do, in Markdown (the notebook shows the same text above the exercise cell). */
  statement: string;
  /** Printed after a wrong answer. */
  hint: string;
  /** The learner's starting point, e.g. `undefined` or a function that calls `todo()`. */
  stub: A;
  /** `null` when the answer is right, else what is wrong (with the input that shows it). May throw `NotAttempted`. */
  check(answer: A): string | null;
}

/** Thrown by `todo()`: the exercise has not been attempted yet. */
export class NotAttempted extends Error {
  constructor() {
    super('not attempted yet: replace `todo()` with your code');
    this.name = 'NotAttempted';
  }
}

/** The body of a stub: `return todo();`. Throws `NotAttempted`, which `checkExercise` reports as "not attempted yet". */
export function todo(): never {
  throw new NotAttempted();
}

/** The verdict on one answer. */
export interface ExerciseResult {
  id: string;
  status: 'correct' | 'wrong' | 'not attempted';
  /** The line `checkExercise` prints. */
  message: string;
}

const STARS = ['', '★', '★★', '★★★'];

// The verdict's words in each language of the course (the Chinese edition: courseLanguage() === 'zh').
const WORDS = {
  en: { kind: { understand: 'understand', implement: 'implement', experiment: 'experiment' }, colon: ': ',
    notAttempted: 'not attempted yet', threw: 'your code threw', hint: ' — hint: ' },
  zh: { kind: { understand: '理解', implement: '实现', experiment: '实验' }, colon: '：',
    notAttempted: '尚未作答', threw: '你的代码抛出了', hint: ' —— 提示：' },
} as const;

/**
 * Grade `answer` against `exercise` without printing. An exception other than `NotAttempted` makes the answer wrong.
 * In the Chinese edition the verdict's words and the hint are Chinese (the hint from notebooks/i18n/zh/exercises.json
 * when its translation is current, else the English hint); what the check found stays as the check wrote it.
 */
export function gradeExercise<A>(exercise: Exercise<A>, answer: A): ExerciseResult {
  const lang = courseLanguage();
  const w = WORDS[lang];
  const label = `${exercise.id} ${exercise.title} (${w.kind[exercise.kind]}, ${STARS[exercise.difficulty]})`;
  const notAttempted: ExerciseResult = { id: exercise.id, status: 'not attempted', message: `· ${label}${w.colon}${w.notAttempted}` };
  if (answer === undefined) return notAttempted;
  let problem: string | null;
  try {
    problem = exercise.check(answer);
  } catch (err) {
    if (err instanceof NotAttempted || (err instanceof Error && err.name === 'NotAttempted')) return notAttempted;
    problem = `${w.threw} ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
  if (problem === null) return { id: exercise.id, status: 'correct', message: `✓ ${label}` };
  const hint = lang === 'zh' ? zhExerciseHint(exercise.id, exercise.hint) ?? exercise.hint : exercise.hint;
  return { id: exercise.id, status: 'wrong', message: `✗ ${label}${w.colon}${problem}${w.hint}${hint}` };
}

/** Options of `checkExercise`. */
export interface CheckExerciseOptions {
  /** Where to print the verdict (default `console.log`). */
  print?: (line: string) => void;
  /** Throw on a wrong answer (default: when `COURSE_EXERCISES=strict`, as for the solutions' own run). */
  strict?: boolean;
}

/**
 * Check an answer to exercise `id` of `catalog` and print ✓, ✗ with what is wrong and a hint, or "not attempted
 * yet". Returns the verdict; throws only for an unknown id, or a wrong answer in strict mode. Notebooks call
 * `checkExercise(id, answer)`, which is this with the course's catalog.
 */
export function checkAgainst(catalog: readonly Exercise<any>[], id: string, answer: unknown, options: CheckExerciseOptions = {}): ExerciseResult {
  const exercise = catalog.find((e) => e.id === id);
  if (!exercise) {
    throw new Error(`checkExercise: no exercise '${id}'; the exercises are ${catalog.map((e) => e.id).join(', ')}`);
  }
  const result = gradeExercise(exercise, answer);
  (options.print ?? console.log)(result.message);
  const strict = options.strict ?? process.env.COURSE_EXERCISES === 'strict';
  if (strict && result.status === 'wrong') throw new Error(result.message);
  return result;
}
