/**
 * Latency and throughput of a model inside this process (推理延迟与吞吐量) — what an application
 * that embeds the model pays per call, next to `runLoadTest`, which measures the same over HTTP.
 *
 * - `predictLatencies(model, x, { repeats })` — milliseconds of each of `repeats` calls of
 *   `model.predict(x)`, the result read back (`dataSync`) so the work is finished, after `warmup`
 *   untimed calls (the first calls compile kernels and allocate). Summarize with `summarizeLatencies`.
 * - `inferenceThroughput(predict, x, { batchSize, repeats })` — examples per second over all of `x`
 *   in batches, and CPU milliseconds per example (all threads), each the best of `repeats` passes.
 * - `trainingThroughput(model, { inputShape, classes, steps })` — training examples per second:
 *   batch size / the median time of one optimizer step on random data.
 *
 * Times are of this machine at this moment: report them, never assert them in a notebook.
 *
 * ```ts
 * const ms = predictLatencies(model, tf.slice(xTest, 0, 1), { repeats: 200 });
 * summarizeLatencies(ms).p50;                           // e.g. 0.21 ms for one applicant
 * inferenceThroughput((xb) => model.predict(xb) as tf.Tensor, xTest, { batchSize: 64, repeats: 3 }).examplesPerSecond;
 * trainingThroughput(articleCnn(), { inputShape: [28, 28, 1], classes: 10, steps: 31 });   // e.g. 2400 examples/s
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { summarizeLatencies } from './load-test';

/** Milliseconds since `t0` (from `process.hrtime.bigint()`). */
function msSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function checkWhole(fn: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`${fn}: ${name} must be a whole number ≥ ${min}, got ${v}`);
}

/**
 * Milliseconds of each timed call of `model.predict(x)` (result read back and disposed inside the
 * timing), after `warmup` untimed calls (default 3). @param x a batch `[b, ...]`. @returns `repeats` times.
 */
export function predictLatencies(model: tf.LayersModel, x: tf.Tensor, options: { repeats: number; warmup?: number }): number[] {
  const { repeats, warmup = 3 } = options;
  checkWhole('predictLatencies', 'repeats', repeats, 1);
  checkWhole('predictLatencies', 'warmup', warmup, 0);
  const times: number[] = [];
  for (let r = 0; r < repeats + warmup; r++) {
    const t0 = process.hrtime.bigint();
    const out = model.predict(x) as tf.Tensor;
    out.dataSync();
    out.dispose();
    if (r >= warmup) times.push(msSince(t0));
  }
  return times;
}

/** What `inferenceThroughput` measures. */
export interface InferenceThroughput {
  /** Examples per second of wall-clock time (the best pass). */
  examplesPerSecond: number;
  /** CPU milliseconds (user + system, all threads) per example (the best pass). */
  cpuMsPerExample: number;
}

/**
 * Predict all of `x` (`[n, ...]`) in batches of `batchSize`, `repeats` times after one warm-up
 * batch; the best wall-clock and the best CPU time of a pass give examples per second and CPU ms
 * per example. `predict` maps a batch to any tensor (e.g. `model.predict`, or test-time augmentation).
 */
export function inferenceThroughput(predict: (batch: tf.Tensor) => tf.Tensor, x: tf.Tensor,
  options: { batchSize: number; repeats: number }): InferenceThroughput {
  const { batchSize, repeats } = options;
  checkWhole('inferenceThroughput', 'batchSize', batchSize, 1);
  checkWhole('inferenceThroughput', 'repeats', repeats, 1);
  const n = x.shape[0]!;
  if (!(n >= 1)) throw new Error('inferenceThroughput: x has no examples (its first dimension is 0)');
  tf.tidy(() => predict(tf.slice(x, 0, Math.min(batchSize, n))).dataSync());
  let bestWall = Infinity;
  let bestCpu = Infinity;
  for (let r = 0; r < repeats; r++) {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    for (let s = 0; s < n; s += batchSize) tf.tidy(() => predict(tf.slice(x, s, Math.min(batchSize, n - s))).dataSync());
    bestWall = Math.min(bestWall, performance.now() - start);
    const cpu = process.cpuUsage(cpu0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  return { examplesPerSecond: (1000 * n) / bestWall, cpuMsPerExample: bestCpu / n };
}

export interface TrainingThroughputOptions {
  /** The shape of one example, e.g. `[28, 28, 1]` or `[61]`. */
  inputShape: readonly number[];
  /** Output classes: 1 → a sigmoid output with binary cross-entropy, k ≥ 2 → softmax with one-hot labels. */
  classes: number;
  /** Timed optimizer steps (the median is used). */
  steps: number;
  /** Untimed steps first (default 3). */
  warmup?: number;
  /** Examples per step (default 32). */
  batchSize?: number;
}

/**
 * Training examples per second of `model`: `batchSize` / the median milliseconds of one Adam step
 * (learning rate 0.001) on a fixed random batch (inputs uniform in [0, 1), labels random), after
 * `warmup` steps. The model is trained by it (its weights change); use a fresh model.
 */
export function trainingThroughput(model: tf.LayersModel, options: TrainingThroughputOptions): number {
  const { inputShape, classes, steps, warmup = 3, batchSize = 32 } = options;
  checkWhole('trainingThroughput', 'classes', classes, 1);
  checkWhole('trainingThroughput', 'steps', steps, 1);
  checkWhole('trainingThroughput', 'warmup', warmup, 0);
  checkWhole('trainingThroughput', 'batchSize', batchSize, 1);
  const x = tf.randomUniform([batchSize, ...inputShape], 0, 1, 'float32', 1);
  const y = tf.tidy(() => (classes === 1
    ? tf.cast(tf.greater(tf.randomUniform([batchSize, 1], 0, 1, 'float32', 2), 0.5), 'float32')
    : tf.oneHot(tf.randomUniform([batchSize], 0, classes, 'int32', 3), classes)));
  const opt = tf.train.adam(0.001);
  const lossFn = classes === 1
    ? (yt: tf.Tensor, yp: tf.Tensor) => tf.metrics.binaryCrossentropy(yt, yp)
    : (yt: tf.Tensor, yp: tf.Tensor) => tf.metrics.categoricalCrossentropy(yt, yp);
  const step = (): void => {
    const l = opt.minimize(() => tf.mean(lossFn(y, model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, true)!;
    l.dataSync();
    l.dispose();
  };
  try {
    for (let w = 0; w < warmup; w++) step();
    const ms: number[] = [];
    for (let s = 0; s < steps; s++) {
      const t0 = process.hrtime.bigint();
      step();
      ms.push(msSince(t0));
    }
    return batchSize / (summarizeLatencies(ms).p50 / 1000);
  } finally {
    tf.dispose([x, y]);
    opt.dispose();
  }
}
