/**
 * The notebook preamble (笔记本开头), written once: choose the backend, read the profile, and
 * give the notebook its `check`.
 *
 * Every notebook starts the same way: `selectBackend()` and one line saying which backend runs and
 * why; the profile from `COURSE_PROFILE` (`courseProfile()`: 'quick' runs small subsets in seconds,
 * 'full' is the default) and, when the notebook says what its quick profile shrinks, one line
 * `profile: quick (…)` or `profile: full`; and `check(condition, claim)`, which throws — and so fails a
 * headless run — when a claim of the notebook is false.
 *
 * ```ts
 * const { backend, quick, check, minutes } = await startNotebook({ quick: 'small subsets, 1 epoch' });
 * // tensorflow backend (native TensorFlow …)          ← describeBackend
 * // profile: full
 * check(2 + 2 === 4, 'arithmetic works');             // throws "check failed: …" when false
 * minutes();                                          // minutes since startNotebook
 * ```
 */
import { BackendInfo, describeBackend, selectBackend } from '../backends/backend';
import { courseProfile } from '../backends/environment';

/** Throw `check failed: <claim>` — and so fail a headless run — when `condition` is false. */
export function check(condition: boolean, claim: string): void {
  if (!condition) throw new Error(`check failed: ${claim}`);
}

/** What `startNotebook` returns. */
export interface NotebookStart {
  /** The backend in use (`selectBackend`). */
  backend: BackendInfo;
  /** `COURSE_PROFILE`: 'quick' or 'full'. */
  profile: 'quick' | 'full';
  /** `profile === 'quick'`. */
  quick: boolean;
  /** `Date.now()` when the notebook started. */
  startedAt: number;
  /** The notebook's `check` (see `check`). */
  check: (condition: boolean, claim: string) => void;
  /** Minutes since `startNotebook` was called. */
  minutes: () => number;
}

export interface StartNotebookOptions {
  /** What the quick profile shrinks, e.g. 'small subsets, 1 epoch': prints `profile: quick (…)` or `profile: full`. Omitted: no profile line. */
  quick?: string;
  /** Where lines go (default `console.log`). */
  log?: (line: string) => void;
  /** The environment to read `COURSE_PROFILE` and `COURSE_BACKEND` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Select the backend and print it, read the profile (and print it when `options.quick` says what
 * the quick profile does), and return both with `check` and a clock.
 */
export async function startNotebook(options: StartNotebookOptions = {}): Promise<NotebookStart> {
  const startedAt = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  const profile = courseProfile(env);
  const backend = await selectBackend({ env });
  log(describeBackend(backend));
  if (options.quick !== undefined) log(`profile: ${profile === 'quick' ? `quick (${options.quick})` : 'full'}`);
  return {
    backend, profile, quick: profile === 'quick', startedAt, check,
    minutes: () => (Date.now() - startedAt) / 60000,
  };
}
