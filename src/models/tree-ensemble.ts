/**
 * Tree ensembles (集成学习: random forest 随机森林, gradient-boosted trees 梯度提升树) from scikit-learn,
 * called from TypeScript.
 *
 * The trees are fitted by scikit-learn (`RandomForestClassifier`, `HistGradientBoostingClassifier`)
 * in a child process that runs `tree_ensemble.py` (beside this module) with the course's Python:
 * `COURSE_PYTHON` if set, else the project's `.venv/bin/python`, else `python3` — the order
 * kernel-setup/common.js uses. One process runs a **batch** of fit+predict jobs on one matrix:
 * the matrix `x` (`[rows, cols]`, sent as float64) and the 0/1 labels cross the pipe once, each job
 * names its training rows and the rows to score, and the process returns P(class 1) for those.
 * Every fit uses `random_state` = seed + 1000 · `COURSE_SEED_OFFSET` (as `seed()` does), so a run
 * repeats exactly and a claim study's runs differ.
 *
 * ```ts
 * const forest: TreeEnsembleSpec = { name: 'forest', kind: 'random-forest', params: { n_estimators: 200, min_samples_leaf: 5 } };
 * const p = await fitPredictTreeEnsemble(forest, [[0, 1], [1, 0], [0, 2], [2, 0]], [0, 1, 0, 1], [[0, 3], [3, 0]], { seed: 1 });
 * // Float64Array [P(1) of [0, 3], P(1) of [3, 0]]
 * const cv = await crossValidateTreeEnsemble(x, y, [forest, { ...forest, name: 'forest, leaf 20', params: { ...forest.params, min_samples_leaf: 20 } }],
 *   { k: 5, seed: 42, innerK: 4, cost: credit.costMatrix });
 * cv.oof; cv.foldAuc; cv.chosen;   // out-of-fold P(bad), test-fold AUCs, the setting each fold chose on its validation folds
 * ```
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Dense, matrixShape } from '../data/dense';
import { Fold, stratifiedKFold } from '../data/kfold';
import { CostMatrix, costMinimizingThreshold } from '../metrics/credit-metrics';
import { rocAuc } from '../metrics/roc';
import { progress } from '../notebook/progress';
import type { CrossValidationResult } from '../training/cross-validate';
import { seedOffset } from '../training/random';

/** Which scikit-learn estimator: `RandomForestClassifier` or `HistGradientBoostingClassifier`. */
export type TreeEnsembleKind = 'random-forest' | 'gradient-boosting';

/** One model setting: the estimator and its keyword arguments (scikit-learn's names, e.g. `n_estimators`, `learning_rate`). */
export interface TreeEnsembleSpec {
  /** Shown in tables and progress lines. */
  name: string;
  kind: TreeEnsembleKind;
  /** Keyword arguments of the estimator; `random_state` is set from the seed (and `n_jobs` of a forest from `threads`). */
  params: Readonly<Record<string, number | string | boolean | null>>;
}

/** One fit+predict: fit `spec` on rows `train`, return P(class 1) of rows `predict`. */
export interface TreeEnsembleJob {
  spec: TreeEnsembleSpec;
  train: readonly number[];
  predict: readonly number[];
}

export interface TreeEnsembleRunOptions {
  /** Base of every fit's `random_state` (moved by 1000 per `COURSE_SEED_OFFSET`, like `seed()`). */
  seed: number;
  /** Threads per forest fit (`n_jobs`, default 2). Boosting runs on one OpenMP thread: its threads spin-wait, which on a shared 2-core machine measured 9 s per German Credit fit. */
  threads?: number;
  /** The Python to run (default: `coursePython()`). */
  python?: string;
  /** Label of the progress bar (none when omitted). */
  label?: string;
}

/** The course folder: the nearest parent of this module holding kernel-setup/requirements.txt (src/models and build/lib/models both lie below it). */
function courseRoot(): string | null {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'kernel-setup', 'requirements.txt'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * The Python that fits the trees, and where it came from: `COURSE_PYTHON` if set; else the project's
 * `.venv` (what `npm start` / `npm test` create); else `python3`.
 */
export function coursePython(env: NodeJS.ProcessEnv = process.env): { python: string; source: string } {
  if (env.COURSE_PYTHON) return { python: env.COURSE_PYTHON, source: 'COURSE_PYTHON' };
  const root = courseRoot();
  if (root) {
    const venv = process.platform === 'win32' ? path.join(root, '.venv', 'Scripts', 'python.exe') : path.join(root, '.venv', 'bin', 'python');
    if (fs.existsSync(venv)) return { python: venv, source: 'the project .venv' };
  }
  return { python: 'python3', source: 'PATH (no COURSE_PYTHON, no .venv)' };
}

/** tree_ensemble.py: beside this module (ts-jest, ts-node), or in src/models of the course folder (the built build/lib/models). */
function scriptPath(): string {
  const beside = path.join(__dirname, 'tree_ensemble.py');
  if (fs.existsSync(beside)) return beside;
  const root = courseRoot();
  const inSrc = root ? path.join(root, 'src', 'models', 'tree_ensemble.py') : beside;
  if (!fs.existsSync(inSrc)) throw new Error(`tree ensembles: tree_ensemble.py is neither beside ${__dirname} nor in ${inSrc}`);
  return inSrc;
}

const FIX = 'Fix: run `npm start` once (it creates .venv with kernel-setup/requirements.txt), or ' +
  '`<python> -m pip install -r kernel-setup/requirements.txt`, or point COURSE_PYTHON at a Python that has scikit-learn';

/**
 * Run fit+predict jobs on the rows of `x` (`[rows, cols]`) with labels `y` (0/1) in one Python
 * process; returns, per job, P(class 1) of its `predict` rows (Float64Array, in that order).
 */
export async function runTreeEnsembleJobs(x: Dense<ArrayLike<number>>, y: ArrayLike<number>, jobs: readonly TreeEnsembleJob[],
  options: TreeEnsembleRunOptions): Promise<Float64Array[]> {
  const [rows, cols] = matrixShape(x);
  if (x.data.length !== rows * cols) throw new Error(`tree ensembles: x holds ${x.data.length} values, not ${rows} × ${cols}`);
  if (y.length !== rows) throw new Error(`tree ensembles: ${rows} rows but ${y.length} labels`);
  for (let i = 0; i < rows; i++) if (y[i] !== 0 && y[i] !== 1) throw new Error(`tree ensembles: label ${i} is ${y[i]}, not 0 or 1`);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i]!)) throw new Error(`tree ensembles: x[${Math.floor(i / cols)}][${i % cols}] is ${x.data[i]}, not a finite number`);
  }
  for (const [j, job] of jobs.entries()) {
    for (const i of [...job.train, ...job.predict]) {
      if (!Number.isInteger(i) || i < 0 || i >= rows) throw new Error(`tree ensembles: job ${j} (${job.spec.name}) names row ${i}; x has ${rows} rows`);
    }
  }
  const threads = options.threads ?? 2;
  const { python, source } = options.python ? { python: options.python, source: 'the python option' } : coursePython();
  const header = JSON.stringify({
    rows, cols, threads, randomState: options.seed + 1000 * seedOffset(),
    jobs: jobs.map((j) => ({ kind: j.spec.kind, params: j.spec.params, train: j.train, predict: j.predict })),
  });
  const input = Buffer.concat([Buffer.from(header + '\n', 'utf8'), Buffer.from(Float64Array.from(x.data).buffer),
    Buffer.from(Float64Array.from(y).buffer)]);
  const bar = options.label ? progress({ total: jobs.length, label: options.label, unit: 'fit' }) : null;
  const start = Date.now();
  let errText = '';
  const out = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn(python, [scriptPath()], { env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      errText += c.toString('utf8');
      const done = [...errText.matchAll(/^progress (\d+) /gm)].pop();
      if (done && bar) bar.update(Number(done[1]));
    });
    child.stdin.on('error', () => undefined); // EPIPE when Python exits early; the exit status says why
    child.on('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code === 'ENOENT'
      ? `tree ensembles: the Python ${python} (from ${source}) was not found. ${FIX}`
      : `tree ensembles: could not start ${python}: ${err.message}`)));
    child.on('close', (code) => {
      const detail = errText.split('\n').filter((l) => l && !l.startsWith('progress ')).slice(-8).join('\n');
      if (code === 3) reject(new Error(`tree ensembles: scikit-learn is not installed in ${python} (from ${source}). ${FIX}. (${detail})`));
      else if (code !== 0) reject(new Error(`tree ensembles: ${python} (from ${source}) failed with status ${code}:\n${detail}`));
      else resolve(Buffer.concat(chunks));
    });
    child.stdin.end(input);
  });
  const expected = jobs.reduce((s, j) => s + j.predict.length, 0);
  if (out.length !== 8 * expected) throw new Error(`tree ensembles: expected ${expected} probabilities from ${python}, got ${out.length / 8}`);
  const all = new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
  const cpu = [...errText.matchAll(/^progress \d+ \d+ cpu ([\d.]+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  bar?.done(`${options.label}: ${jobs.length} fits in ${((Date.now() - start) / 1000).toFixed(1)} s (${cpu.toFixed(1)} CPU s fitting in Python)`);
  let at = 0;
  return jobs.map((j) => all.slice(at, (at += j.predict.length)));
}

/**
 * Fit one tree ensemble on `trainX` (rows of equal length) and labels `trainY` (0/1); P(class 1) of each row of `predictX`.
 */
export async function fitPredictTreeEnsemble(spec: TreeEnsembleSpec, trainX: readonly (readonly number[])[], trainY: ArrayLike<number>,
  predictX: readonly (readonly number[])[], options: TreeEnsembleRunOptions): Promise<Float64Array> {
  const all = [...trainX, ...predictX];
  if (trainX.length === 0) throw new Error('fitPredictTreeEnsemble: no training rows');
  const cols = trainX[0]!.length;
  all.forEach((r, i) => {
    if (r.length !== cols) {
      throw new Error(`fitPredictTreeEnsemble: ${i < trainX.length ? `training row ${i}` : `row ${i - trainX.length} to predict`} has ${r.length} values; the first training row has ${cols}`);
    }
  });
  const x: Dense<Float64Array> = { data: Float64Array.from(all.flat()), shape: [all.length, cols] };
  const y = [...Array.from(trainY), ...new Array<number>(predictX.length).fill(0)];
  const train = trainX.map((_, i) => i);
  const predict = predictX.map((_, i) => trainX.length + i);
  if (trainY.length !== trainX.length) throw new Error(`fitPredictTreeEnsemble: ${trainX.length} training rows but ${trainY.length} labels`);
  return (await runTreeEnsembleJobs(x, y, [{ spec, train, predict }], options))[0]!;
}

export interface TreeCrossValidationOptions {
  /** Outer folds (≥ 2). */
  k: number;
  /** Seed of the outer split (inner splits: seed + 1 + fold) and of every fit's random_state. */
  seed: number;
  /** Inner (validation) folds of each training part: they choose the setting and, with `cost`, the threshold (≥ 2). */
  innerK: number;
  /** Cost matrix [[good→good, good→bad], [bad→good, bad→bad]]: each fold's threshold minimises the validation cost. */
  cost?: CostMatrix;
  threads?: number;
  python?: string;
  /** Label of the progress bars (default: the first setting's name). */
  label?: string;
}

export interface TreeCrossValidationResult extends CrossValidationResult {
  /** The setting each outer fold chose (by validation AUC). */
  chosen: TreeEnsembleSpec[];
  /** validationAuc[fold][setting]: the AUC of the inner out-of-fold scores of the fold's training part. */
  validationAuc: number[][];
}

/**
 * Nested cross-validation of tree ensembles, like `crossValidate` (src/training/cross-validate.ts) with
 * the settings `grid` chosen inside: for each outer fold (`stratifiedKFold(y, k, seed)`), the
 * training part's `innerK` inner folds (seed + 1 + fold) give out-of-fold scores of every setting;
 * the setting with the best validation AUC is chosen and, with a cost matrix, the threshold that
 * minimises its validation cost; then that setting is refitted on the whole training part and scores
 * the test part. The test folds are used once, for `oof`, `rejected` and `foldAuc`.
 * Two Python processes: all inner jobs, then the k refits. Fits: k · (grid · innerK + 1).
 */
export async function crossValidateTreeEnsemble(x: Dense<ArrayLike<number>>, y: ArrayLike<number>, grid: readonly TreeEnsembleSpec[],
  options: TreeCrossValidationOptions): Promise<TreeCrossValidationResult> {
  return (await crossValidateTreeEnsembles(x, y, { model: grid }, options)).model!;
}

/**
 * `crossValidateTreeEnsemble` for several models at once (`{ 'random forest': grid1, 'gradient boosting': grid2 }`), on the
 * same folds: the same two Python processes fit every model's jobs, so the data and the interpreter start are paid once.
 * Each model's `seconds` is the wall time of the whole call.
 */
export async function crossValidateTreeEnsembles(x: Dense<ArrayLike<number>>, y: ArrayLike<number>,
  grids: Readonly<Record<string, readonly TreeEnsembleSpec[]>>, options: TreeCrossValidationOptions): Promise<Record<string, TreeCrossValidationResult>> {
  const { k, innerK, cost } = options;
  const names = Object.keys(grids);
  if (names.length === 0 || names.some((n) => grids[n]!.length === 0)) throw new Error('crossValidateTreeEnsembles: every model needs at least one setting');
  if (!Number.isInteger(innerK) || innerK < 2) throw new Error(`crossValidateTreeEnsembles: innerK = ${innerK}; the validation folds need innerK ≥ 2`);
  const start = Date.now();
  const label = options.label ?? names.join(' + ');
  const run = { seed: options.seed, threads: options.threads, python: options.python };
  const folds: Fold[] = stratifiedKFold(y, k, options.seed);
  const innerJobs: TreeEnsembleJob[] = [];
  const innerSplits = folds.map((fold, f) => {
    const trainY = fold.train.map((i) => y[i]!);
    const splits = stratifiedKFold(trainY, innerK, options.seed + 1 + f);
    for (const inner of splits) {
      const train = inner.train.map((j) => fold.train[j]!);
      const predict = inner.test.map((j) => fold.train[j]!);
      for (const name of names) for (const spec of grids[name]!) innerJobs.push({ spec, train, predict });
    }
    return { trainY, splits };
  });
  const innerP = await runTreeEnsembleJobs(x, y, innerJobs, { ...run, label: `${label}: validation folds` });
  // scores[fold][model][setting]: the inner out-of-fold scores of the fold's training part.
  let job = 0;
  const scores = innerSplits.map(({ trainY, splits }) => {
    const s = names.map((n) => grids[n]!.map(() => new Float64Array(trainY.length)));
    for (const inner of splits) {
      for (const perModel of s) for (const out of perModel) { const p = innerP[job++]!; inner.test.forEach((j, r) => { out[j] = p[r]!; }); }
    }
    return s;
  });
  const choices = names.map((name, m) => folds.map((_, f) => {
    const trainY = innerSplits[f]!.trainY;
    const aucs = scores[f]![m]!.map((s) => rocAuc(trainY, s));
    const best = aucs.indexOf(Math.max(...aucs));
    return { aucs, spec: grids[name]![best]!, threshold: cost ? costMinimizingThreshold(trainY, scores[f]![m]![best]!, cost).threshold : 0.5 };
  }));
  const refits = choices.flatMap((perFold) => folds.map((fold, f) => ({ spec: perFold[f]!.spec, train: fold.train, predict: fold.test })));
  const testP = await runTreeEnsembleJobs(x, y, refits, { ...run, label: `${label}: refits` });
  const seconds = (Date.now() - start) / 1000;
  return Object.fromEntries(names.map((name, m) => {
    const oof = new Float64Array(y.length);
    const rejected = new Uint8Array(y.length);
    const thresholds = choices[m]!.map((c) => c.threshold);
    const foldAuc = folds.map((fold, f) => {
      const p = testP[m * k + f]!;
      fold.test.forEach((i, r) => { oof[i] = p[r]!; rejected[i] = p[r]! >= thresholds[f]! ? 1 : 0; });
      return rocAuc(fold.test.map((i) => y[i]!), p);
    });
    const result: TreeCrossValidationResult = {
      oof, rejected, foldAuc, thresholds, folds, fits: k * (grids[name]!.length * innerK + 1), seconds,
      chosen: choices[m]!.map((c) => c.spec), validationAuc: choices[m]!.map((c) => c.aucs),
    };
    return [name, result];
  }));
}
