/**
 * Choosing the TensorFlow.js backend (计算后端) — and saying why.
 *
 * Order of preference, fastest first:
 *  1. `tensorflow`: native libtensorflow through tfjs-node (installed as the optional dependency
 *     `tfjs-node-native`; `npm run native` builds it from the `tensorflow-cpu` pip wheel where
 *     Google storage is blocked);
 *  2. `wasm`: WebAssembly with SIMD, usable for training once the kernels it lacks are registered
 *     (`registerWasmTrainingKernels`, which `selectBackend` calls);
 *  3. `cpu`: plain JavaScript, always there, slow.
 * `COURSE_BACKEND=tensorflow|wasm|cpu` forces one; a forced backend that cannot load is an error.
 *
 * ```ts
 * const info = await selectBackend();
 * console.log(describeBackend(info));   // "backend: tensorflow — native TensorFlow loaded ..."
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { registerNativeTrainingKernels } from './native-kernels';
import { registerWasmTrainingKernels } from './wasm-training';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** One backend that was tried, and what happened. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  detail: string;
}

/** The outcome of `selectBackend`: the backend in use, why, and what was tried on the way. */
export interface BackendInfo {
  name: BackendName;
  reason: string;
  forced: boolean;
  attempts: BackendAttempt[];
  tfjsVersion: string;
}

let selected: BackendInfo | null = null;

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 300);
}

/** Read and check `COURSE_BACKEND`. */
export function forcedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | null {
  const raw = (env.COURSE_BACKEND ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto') return null;
  if ((BACKEND_NAMES as readonly string[]).includes(raw)) return raw as BackendName;
  throw new Error(`COURSE_BACKEND=${env.COURSE_BACKEND} is not a backend: use one of ${BACKEND_NAMES.join(', ')} (or leave it unset)`);
}

/**
 * The `util.is*` helpers that tfjs-node 4.22 calls on every op, with their old meaning. Node 23
 * removed `util.isNullOrUndefined` (and other long-deprecated `util.is*` helpers); on Node ≥ 23
 * every tfjs-node op then fails with "isNullOrUndefined is not a function".
 * `tests/backends/backend.test.ts` scans tfjs-node's code so that this list names every helper it calls.
 */
export const LEGACY_UTIL_HELPERS: Readonly<Record<string, (value: unknown) => boolean>> = {
  isNullOrUndefined: (value) => value === null || value === undefined,
  isArray: (value) => Array.isArray(value),
};

/**
 * Install the `LEGACY_UTIL_HELPERS` on `target` (default: Node's `util` module) before tfjs-node loads:
 * Node ≥ 23 removed them (every tfjs-node op would fail), and Node 22 still has them but prints a
 * DeprecationWarning (DEP0051) on the first op — in every notebook. Same meaning, no warning.
 * Returns the names it set ([] when they are already the course's).
 */
export function provideLegacyUtilHelpers(target: Record<string, unknown> = require('util') as Record<string, unknown>): string[] {
  const set: string[] = [];
  for (const [name, fn] of Object.entries(LEGACY_UTIL_HELPERS)) {
    if (target[name] !== fn) {
      target[name] = fn;
      set.push(name);
    }
  }
  return set;
}

/** What `proveBackend` found: `ok`, and what was computed (or the error) in one line. */
export interface BackendProof {
  ok: boolean;
  detail: string;
}

/**
 * Prove that the current backend computes, before the course relies on it: a backend can load and
 * still fail on every op (tfjs-node on Node ≥ 23 without its `util` helpers). Two real ops with
 * answers worked out by hand:
 *  - matMul [[1,2],[3,4]] × [[5,6],[7,8]] = [[19,22],[43,50]];
 *  - the gradient of sum(conv2d(x, w)) for x = 1..9 as a 1×3×3×1 image and a 2×2 filter of ones:
 *    with respect to w, the sums of the four 2×2 windows' shifted pixels, [12,16,24,28]; with respect
 *    to x, how many windows cover each pixel, [1,2,1, 2,4,2, 1,2,1].
 *
 * ```ts
 * await tf.setBackend('tensorflow');
 * proveBackend();   // { ok: true, detail: 'matMul and conv2d gradients give the expected numbers' }
 * proveBackend({ gradients: false });   // an inference-only backend: matMul alone
 * ```
 */
export function proveBackend(options: { gradients?: boolean } = {}): BackendProof {
  const close = (got: ArrayLike<number>, want: number[]) =>
    got.length === want.length && want.every((w, i) => Math.abs(got[i]! - w) <= 1e-4 * Math.max(1, Math.abs(w)));
  const show = (v: ArrayLike<number>) => `[${Array.from(v, (x) => Number(x.toFixed(4))).join(', ')}]`;
  try {
    return tf.tidy(() => {
      const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])).dataSync();
      if (!close(product, [19, 22, 43, 50])) return { ok: false, detail: `matMul [[1,2],[3,4]]×[[5,6],[7,8]] gave ${show(product)}, not [19, 22, 43, 50]` };
      if (options.gradients === false) return { ok: true, detail: 'matMul gives the expected numbers (gradients not checked: inference only)' };
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')))([x, w]);
      const gw = dw!.dataSync();
      if (!close(gw, [12, 16, 24, 28])) return { ok: false, detail: `conv2d filter gradient gave ${show(gw)}, not [12, 16, 24, 28]` };
      const gx = dx!.dataSync();
      if (!close(gx, [1, 2, 1, 2, 4, 2, 1, 2, 1])) return { ok: false, detail: `conv2d input gradient gave ${show(gx)}, not [1, 2, 1, 2, 4, 2, 1, 2, 1]` };
      return { ok: true, detail: 'matMul and conv2d gradients give the expected numbers' };
    });
  } catch (err) {
    return { ok: false, detail: `a real op failed: ${errorText(err)}` };
  }
}

/** After `tf.setBackend(name)` succeeded: keep the attempt only if `proveBackend` passes. */
function proven(name: BackendName, detail: string, gradients = true): BackendAttempt {
  const proof = proveBackend({ gradients });
  return proof.ok ? { name, ok: true, detail: `${detail}; ${proof.detail}` }
    : { name, ok: false, detail: `it loaded, but ${proof.detail}` };
}

async function tryTensorflow(env: NodeJS.ProcessEnv): Promise<BackendAttempt> {
  try {
    // Node ≥ 23 removed util.isNullOrUndefined, which tfjs-node calls on every op: provide it first.
    provideLegacyUtilHelpers();
    // libtensorflow logs its CPU features on stderr at load: keep notebooks quiet unless asked.
    if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) process.env.TF_CPP_MIN_LOG_LEVEL = '2';
    // tfjs-node registers the 'tensorflow' backend in the one tfjs-core the course uses.
    require('tfjs-node-native');
    const ok = await tf.setBackend('tensorflow');
    if (!ok) return { name: 'tensorflow', ok: false, detail: 'tfjs-node loaded but its backend did not initialise' };
    // tfjs-node's step(x) (every ReLU gradient) and max-pool gradient are slow: replace them.
    const replaced = registerNativeTrainingKernels(env);
    return proven('tensorflow', `native TensorFlow (libtensorflow via tfjs-node) loaded; the course's kernels: ${replaced.join(', ')}`);
  } catch (err) {
    const text = errorText(err);
    const hint = /Cannot find module 'tfjs-node-native'/.test(text)
      ? 'tfjs-node is not installed (its libtensorflow download is blocked here?): `npm run native` builds it from the tensorflow-cpu pip wheel'
      : `tfjs-node did not load: ${text}`;
    return { name: 'tensorflow', ok: false, detail: hint };
  }
}

async function tryWasm(forced: boolean, env: NodeJS.ProcessEnv): Promise<BackendAttempt> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    // The course's wasm training kernels are registered here, explicitly (never as a side effect of an import).
    const support = registerWasmTrainingKernels(env);
    if (!support.ok && !forced) return { name: 'wasm', ok: false, detail: `WebAssembly cannot train here: ${support.detail}` };
    const training = support.detail;
    const trains = support.ok;
    const ok = await tf.setBackend('wasm');
    if (!ok) return { name: 'wasm', ok: false, detail: 'the wasm backend did not initialise' };
    return proven('wasm', `WebAssembly (SIMD) backend; ${training}`, trains);
  } catch (err) {
    return { name: 'wasm', ok: false, detail: `the wasm backend did not load: ${errorText(err)}` };
  }
}

async function tryCpu(): Promise<BackendAttempt> {
  const ok = await tf.setBackend('cpu');
  // The cpu backend prints a "install tfjs-node" banner on first use; the course reports the reason
  // (and `npm run native`) itself, so mark the banner as shown.
  if (!ok) return { name: 'cpu', ok, detail: 'the cpu backend did not initialise' };
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return proven('cpu', 'pure-JavaScript cpu backend (slow, always available)');
}

async function attempt(name: BackendName, forced: boolean, env: NodeJS.ProcessEnv): Promise<BackendAttempt> {
  if (name === 'tensorflow') return tryTensorflow(env);
  if (name === 'wasm') return tryWasm(forced, env);
  return tryCpu();
}

/**
 * Pick the fastest backend that works (or the forced one), make it current, and report why.
 * Calling it again returns the first answer unless `refresh` is set.
 */
export async function selectBackend(options: { env?: NodeJS.ProcessEnv; refresh?: boolean } = {}): Promise<BackendInfo> {
  if (selected && !options.refresh) return selected;
  const env = options.env ?? process.env;
  const forced = forcedBackend(env);
  const attempts: BackendAttempt[] = [];
  const order = forced ? [forced] : BACKEND_NAMES;
  for (const name of order) {
    const result = await attempt(name, forced !== null, env);
    attempts.push(result);
    if (result.ok) {
      await tf.ready();
      const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.detail}`);
      const reason = forced
        ? `forced by COURSE_BACKEND=${forced}; ${result.detail}`
        : [result.detail, ...skipped.map((s) => `not ${s}`)].join('; ');
      selected = { name, reason, forced: forced !== null, attempts, tfjsVersion: tf.version.tfjs };
      return selected;
    }
  }
  const tried = attempts.map((a) => `${a.name}: ${a.detail}`).join('; ');
  throw new Error(`No TensorFlow.js backend could be used (${tried}). ` +
    (forced ? `Unset COURSE_BACKEND or choose another of ${BACKEND_NAMES.join(', ')}.` : 'Reinstall with `npm ci`.'));
}

/** One readable line for a notebook or a log. */
export function describeBackend(info: BackendInfo): string {
  const path = codePathSettings();
  return `backend: ${info.name} (TensorFlow.js ${info.tfjsVersion}) — ${info.reason}` +
    (path.length ? `; CPU code path and seeds set by the environment: ${path.join(', ')}` : '');
}

/**
 * The environment settings that change which numbers a run computes (a claim study varies them):
 * oneDNN's instruction-set cap, TensorFlow's thread counts, the study's seed offset, the native backend's fused
 * kernels switched off or on (src/backends/native-fused.ts), the wasm backend's fused conv switched off
 * (src/backends/wasm-fused.ts). Not `COURSE_NATIVE_ADAM`: the native Adam computes tfjs's numbers bit for bit.
 * Empty when every one is at its default.
 */
export function codePathSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  return ['ONEDNN_MAX_CPU_ISA', 'TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', 'TF_ENABLE_ONEDNN_OPTS', 'COURSE_SEED_OFFSET',
    'COURSE_NATIVE_FUSION', 'COURSE_NATIVE_FUSED_MATMUL', 'COURSE_WASM_FUSION']
    .filter((k) => (env[k] ?? '') !== '')
    .map((k) => `${k}=${env[k]}`);
}
