/**
 * Building blocks of exercise checks: seeded random inputs, and comparisons that say where an answer first
 * goes wrong (the input, the entry, the value expected), so the learner can reproduce it.
 *
 * ```ts
 * const rand = mulberry32(7);
 * const z = randomVector(rand, 4, 10);            // 4 numbers in [−10, 10)
 * mismatch([1, 2.5], [1, 2], 1e-9);               // "entry [1] is 2.5, expected 2"
 * ```
 */
import { mulberry32 } from '../training/random';

export { mulberry32 };

/** `n` numbers drawn uniformly from `[−scale, scale)` with `rand`. */
export function randomVector(rand: () => number, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => (2 * rand() - 1) * scale);
}

/** A number as a learner can paste it back (up to 6 significant digits; exact integers as they are). */
function showNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString();
}

/** An array (nested or not) of numbers, short: `[0.5, -1, [2, 3]]`. */
export function showValue(x: unknown): string {
  if (typeof x === 'number') return showNumber(x);
  if (Array.isArray(x)) return `[${x.map(showValue).join(', ')}]`;
  return JSON.stringify(x);
}

/**
 * Where `got` first differs from `want` by more than `tolerance` (absolute, or relative to |want| when
 * `relative`), as a sentence; `null` when they agree. Shapes are compared first; NaN and ±∞ are never close
 * to a finite value.
 */
export function mismatch(got: unknown, want: unknown, tolerance: number, relative = false, path = ''): string | null {
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return `${path ? `entry ${path}` : 'the answer'} is ${showValue(got)}, expected an array of ${want.length}`;
    if (got.length !== want.length) return `${path ? `entry ${path}` : 'the answer'} has ${got.length} entries, expected ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const m = mismatch(got[i], want[i], tolerance, relative, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  const where = path ? `entry ${path}` : 'the answer';
  if (typeof got !== 'number') return `${where} is ${showValue(got)}, expected a number (${showNumber(want as number)})`;
  const w = want as number;
  const scale = relative ? Math.max(Math.abs(w), 1e-300) : 1;
  const close = Number.isFinite(got) ? Math.abs(got - w) <= tolerance * scale : got === w;
  return close ? null : `${where} is ${showNumber(got)}, expected ${showNumber(w)}`;
}

/**
 * `n` seeded 0/1 labels (about 30 % ones; the first two are 0 and 1, so both classes occur) and scores that are
 * higher for the ones by `shift` on average, rounded to multiples of `1 / levels` so that ties occur.
 * @example labelledScores(7, 20, 0.4, 20)   // { y: [0, 1, …], s: [0.35, 0.9, …] }
 */
export function labelledScores(seedValue: number, n: number, shift: number, levels: number): { y: number[]; s: number[] } {
  const rand = mulberry32(seedValue);
  const y = Array.from({ length: n }, (_, i): number => (i < 2 ? i : rand() < 0.3 ? 1 : 0));
  return { y, s: y.map((label) => Math.round((rand() + shift * label) * levels) / levels) };
}

/** The choices as a learner reads them: `'a' or 'b'`, `'a', 'b' or 'c'`, `true or false`. */
function listChoices(choices: readonly unknown[]): string {
  const shown = choices.map((c) => (typeof c === 'string' ? `'${c}'` : String(c)));
  return shown.length < 2 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** `null` when `answer` is one of `choices`, else a sentence naming them: the first check of a multiple-choice answer. */
export function choiceProblem(answer: unknown, choices: readonly unknown[]): string | null {
  return choices.includes(answer) ? null : `the answer is ${showValue(answer)}, expected ${listChoices(choices)}`;
}

/** `null` when `answer` is `right`; else why not — outside the `choices`, or the wrong one of them. */
export function choiceMismatch(answer: unknown, right: unknown, choices: readonly unknown[]): string | null {
  if (answer === right) return null;
  return choiceProblem(answer, choices) ?? `the answer is ${showValue(answer)}, expected ${listChoices(choices)} — the right one`;
}
