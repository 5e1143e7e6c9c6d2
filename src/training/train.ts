/**
 * Training and evaluating a classifier (训练与评估): a small, explicit training loop (训练循环)
 * with live progress, a per-epoch history, learning-rate schedules and batch augmentation, and an
 * evaluation that returns predictions, the confusion matrix and a per-class report.
 *
 * One epoch (轮) visits the training set once in a fresh random order (from the course's seeded
 * generator, see `seed`); each mini-batch (小批量) computes the loss, its gradients by automatic
 * differentiation, and one optimizer step — exactly what `model.fit` does, written out so every
 * step can be read, timed, and checked for tensor leaks (every batch runs inside `tf.tidy`).
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * const history = await fitModel(model, xTrain, yTrainOneHot, {
 *   epochs: 10, batchSize: 32, validationData: [xVal, yValOneHot],
 * });                                   // one progress line per epoch, updated in place
 * show(trainingCurves(history).loss);   // train vs validation loss per epoch
 * const ev = evaluateClassifier(model, xTest, yTestLabels);
 * ev.accuracy;                          // e.g. 0.9862
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { accuracyScore, classificationReport, ClassificationReport, confusionMatrix } from '../metrics/classification-metrics';
import { Figure, lineChart } from '../notebook/plot';
import { progress } from '../notebook/progress';
import { permutation, random } from './random';

/** Loss names understood by `fitModel`; the model's output must be probabilities (softmax). */
export type ClassificationLoss = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy';

/** A custom loss: per-example losses or their mean, from labels and model outputs. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Learning rate for optimizer step `step` (0-based, counted over all epochs). */
export type LearningRateSchedule = (step: number) => number;

/** What `fitModel` reports after each epoch. */
export interface EpochLogs {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches (weights change during the epoch, as in Keras). */
  loss: number;
  /** Training accuracy over the epoch's batches. */
  acc: number;
  valLoss?: number;
  valAcc?: number;
  /** Wall-clock seconds of the epoch, validation included. */
  seconds: number;
  /** Seconds of the training part only (the optimizer steps). */
  trainSeconds: number;
  /** Learning rate at the epoch's last step (when a schedule is set or the optimizer exposes it). */
  learningRate?: number;
}

/** Per-epoch curves, one entry per epoch, plus totals. */
export interface TrainingHistory {
  epoch: number[];
  loss: number[];
  acc: number[];
  /** Empty when no validation data was given. */
  valLoss: number[];
  valAcc: number[];
  seconds: number[];
  trainSeconds: number[];
  learningRate: number[];
  /** Training examples per epoch. */
  samples: number;
  batchSize: number;
  totalSeconds: number;
  /** Mean wall-clock seconds per epoch (validation included). */
  secondsPerEpoch: number;
  /**
   * CPU seconds this process spent in `fitModel` (all threads, user + system). Unlike wall-clock
   * time it does not grow when other programs share the machine; divided by the number of cores it
   * is about the wall-clock time on an otherwise idle machine.
   */
  cpuSeconds: number;
  /** With `keepBest`: the score after every epoch, and the epoch whose weights the model ends with. */
  best?: KeptBest;
}

/** What `keepBest` kept: the score of every epoch and the best one (higher is better). */
export interface KeptBest {
  /** The score after each epoch, `scores[e - 1]` for epoch e. */
  scores: number[];
  /** 1-based epoch whose weights were restored. */
  epoch: number;
  /** Its score. */
  score: number;
}

/**
 * Keep the weights of the best epoch (最佳轮次) by a validation score, and restore them at the end
 * — early stopping without stopping: every epoch runs, the best one is kept.
 */
export interface KeepBestOptions {
  /** The score of the model after an epoch, higher is better (e.g. validation ROC-AUC); runs in inference mode. */
  score: (model: tf.LayersModel, epoch: number) => number;
  /** The first epoch that may be kept (default 1): skips the noisy first epochs. */
  fromEpoch?: number;
}

/**
 * The best-epoch bookkeeping shared by `fitModel` and `fitCompiledKeepingBest`: after each epoch
 * `consider` scores the model and clones its weights when the score beats the best so far
 * (strictly; ties keep the earlier epoch); `restore` sets the kept weights and frees them.
 */
class BestWeights {
  readonly scores: number[] = [];
  private best: { epoch: number; score: number; weights: tf.Tensor[] } = { epoch: 0, score: -Infinity, weights: [] };

  constructor(private readonly model: tf.LayersModel, private readonly options: KeepBestOptions, epochs: number, fn: string) {
    const from = options.fromEpoch ?? 1;
    if (!Number.isInteger(from) || from < 1 || from > epochs) {
      throw new Error(`${fn}: keepBest.fromEpoch must be a whole number from 1 to epochs (${epochs}), got ${from}`);
    }
  }

  consider(epoch: number): number {
    const score = this.options.score(this.model, epoch);
    if (Number.isNaN(score)) throw new Error(`keepBest: the score after epoch ${epoch} is NaN; the score function must return a number (higher is better)`);
    this.scores.push(score);
    if (epoch >= (this.options.fromEpoch ?? 1) && score > this.best.score) {
      tf.dispose(this.best.weights);
      this.best = { epoch, score, weights: this.model.getWeights().map((w) => tf.clone(w)) };
    }
    return score;
  }

  get epoch(): number {
    return this.best.epoch;
  }

  get score(): number {
    return this.best.score;
  }

  /** Set the best epoch's weights on the model and free the copies; returns what was kept. */
  restore(): KeptBest {
    if (this.best.epoch === 0) throw new Error('keepBest: no epoch was scored at or after fromEpoch, so there are no weights to restore');
    this.model.setWeights(this.best.weights);
    tf.dispose(this.best.weights);
    const kept = { scores: this.scores.slice(), epoch: this.best.epoch, score: this.best.score };
    this.best = { ...this.best, weights: [] };
    return kept;
  }

  /** Free the copies without restoring (on an error). */
  dispose(): void {
    tf.dispose(this.best.weights);
    this.best = { ...this.best, weights: [] };
  }
}

export interface FitOptions {
  epochs: number;
  /** Examples per optimizer step (default 32, Keras' default). */
  batchSize?: number;
  /** Default: the optimizer given to `model.compile`, else `tf.train.adam(0.001)`. */
  optimizer?: tf.Optimizer;
  /**
   * Default: the compiled loss when it is one of the two names, else inferred from `y`:
   * `[n]` integer labels → sparse, `[n, k]` one-hot → categorical cross-entropy.
   */
  loss?: ClassificationLoss | LossFunction;
  /** `[x, y]` evaluated after every epoch (inference mode: no dropout, batch-norm moving statistics). */
  validationData?: readonly [tf.Tensor, tf.Tensor];
  /** A new random order each epoch from the course generator (default true). */
  shuffle?: boolean;
  /** Transforms each training batch `[b, h, w, c]` → same shape (e.g. `randomTranslate`); runs inside `tf.tidy`. */
  augment?: (batch: tf.Tensor) => tf.Tensor;
  /** A fixed learning rate or a schedule over steps (e.g. `oneCycleSchedule`), applied before each step. */
  learningRate?: number | LearningRateSchedule;
  /** Show one progress line per epoch (default true). */
  progress?: boolean;
  /** Prefix of the progress lines (default 'epoch'). */
  label?: string;
  /** Batch size for validation (default 1000). */
  evalBatchSize?: number;
  /** Called after every epoch, e.g. to record `tf.memory()` or stop early by throwing. */
  onEpochEnd?: (logs: EpochLogs) => void | Promise<void>;
  /**
   * Score the model after every epoch (before `onEpochEnd`) and end with the weights of the best
   * epoch; the scores and the kept epoch are returned in `history.best`.
   */
  keepBest?: KeepBestOptions;
}

/** Yield to the event loop so that notebook display messages (progress) are sent while training runs. */
function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The rank-2 one-hot / rank-1 sparse cross-entropy per example, on probabilities. */
function lossFunctionFor(loss: ClassificationLoss | LossFunction): LossFunction {
  if (typeof loss === 'function') return loss;
  if (loss === 'categoricalCrossentropy') return (yTrue, yPred) => tf.metrics.categoricalCrossentropy(yTrue, yPred);
  if (loss === 'sparseCategoricalCrossentropy') {
    return (yTrue, yPred) => tf.tidy(() => {
      const k = yPred.shape[yPred.shape.length - 1]!;
      return tf.metrics.categoricalCrossentropy(tf.oneHot(tf.cast(yTrue, 'int32').reshape([-1]), k), yPred);
    });
  }
  throw new Error(`fitModel: unknown loss '${String(loss)}'; use 'categoricalCrossentropy', 'sparseCategoricalCrossentropy' or a function`);
}

function resolveLoss(model: tf.LayersModel, y: tf.Tensor, given?: ClassificationLoss | LossFunction): LossFunction {
  let loss = given;
  if (loss === undefined) {
    const compiled = (model as { loss?: unknown }).loss;
    if (compiled === 'categoricalCrossentropy' || compiled === 'sparseCategoricalCrossentropy') loss = compiled;
    else loss = y.rank === 1 ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy';
  }
  if (loss === 'categoricalCrossentropy' && y.rank !== 2) {
    throw new Error(`fitModel: categorical cross-entropy needs one-hot labels [n, k], got [${y.shape.join(', ')}]; use tf.oneHot or loss 'sparseCategoricalCrossentropy'`);
  }
  if (loss === 'sparseCategoricalCrossentropy' && y.rank !== 1) {
    throw new Error(`fitModel: sparse categorical cross-entropy needs integer labels [n], got [${y.shape.join(', ')}]`);
  }
  return lossFunctionFor(loss);
}

/** Number of rows where the predicted class equals the label (labels one-hot `[b, k]` or indices `[b]`). */
function countCorrect(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const truth = yTrue.rank === 1 ? tf.cast(yTrue, 'int32') : tf.argMax(yTrue, -1);
    return tf.sum(tf.cast(tf.equal(tf.argMax(yPred, -1), truth), 'float32')) as tf.Scalar;
  });
}

/**
 * Set an optimizer's learning rate between steps. SGD and momentum have `setLearningRate`; Adam,
 * RMSProp and others read their `learningRate` field at every step, so it is written directly.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`setLearningRate: the learning rate must be a positive number, got ${lr}`);
  const o = optimizer as unknown as { setLearningRate?: (v: number) => void; learningRate?: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else if (typeof o.learningRate === 'number') o.learningRate = lr;
  else throw new Error(`setLearningRate: ${optimizer.getClassName()} has no learning rate to set`);
}

/** The optimizer's current learning rate, when it has one. */
export function getLearningRate(optimizer: tf.Optimizer): number | undefined {
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  return typeof lr === 'number' ? lr : undefined;
}

/**
 * The one-cycle schedule (单周期学习率, Smith 2018): the learning rate rises linearly from
 * `peak / startDivisor` to `peak` over the first `warmup` fraction of the steps, then follows a
 * half cosine down to `peak / endDivisor`. Large steps in the middle travel fast; tiny steps at the
 * end settle into a minimum, so few epochs suffice.
 *
 * ```ts
 * const lr = oneCycleSchedule({ peak: 0.005, steps: 3 * 469 });
 * lr(0);          // 0.0005
 * lr(0.25 * 1407) // ≈ 0.005 (the peak)
 * lr(1406);       // ≈ 0.000005
 * ```
 */
export function oneCycleSchedule(options: { peak: number; steps: number; warmup?: number; startDivisor?: number; endDivisor?: number }): LearningRateSchedule {
  const { peak, steps, warmup = 0.25, startDivisor = 10, endDivisor = 1000 } = options;
  if (!(peak > 0) || !(steps >= 1)) throw new Error(`oneCycleSchedule: need peak > 0 and steps >= 1, got peak ${peak}, steps ${steps}`);
  const up = Math.max(1, Math.round(warmup * steps));
  const start = peak / startDivisor;
  const end = peak / endDivisor;
  return (step: number): number => {
    const s = Math.min(Math.max(step, 0), steps - 1);
    if (s < up) return start + ((peak - start) * s) / up;
    const t = steps - 1 > up ? (s - up) / (steps - 1 - up) : 1;
    return end + ((peak - end) * (1 + Math.cos(Math.PI * t))) / 2;
  };
}

/**
 * Light augmentation (数据增强): shift every image of a batch by its own random whole-pixel offset
 * of at most `maxShift` pixels in each direction, filling with 0 (background). Offsets come from
 * the course generator, so `seed` makes them repeat.
 *
 * @param batch `[b, h, w, c]`. @returns a new `[b, h, w, c]` tensor.
 */
export function randomTranslate(batch: tf.Tensor, maxShift = 2): tf.Tensor4D {
  if (batch.rank !== 4) throw new Error(`randomTranslate: expected a batch [b, h, w, c], got [${batch.shape.join(', ')}]`);
  const [b, h, w] = batch.shape as [number, number, number, number];
  const p = Math.max(0, Math.floor(maxShift));
  return tf.tidy(() => {
    if (p === 0) return tf.clone(batch as tf.Tensor4D);
    const padded = tf.pad(batch as tf.Tensor4D, [[0, 0], [p, p], [p, p], [0, 0]]);
    const hp = h + 2 * p;
    const wp = w + 2 * p;
    const boxes = new Float32Array(b * 4);
    for (let i = 0; i < b; i++) {
      // A crop starting at (p + dy, p + dx) moves the digit by (−dy, −dx); the box corners fall on
      // pixel centres, so bilinear sampling returns the pixels unchanged.
      const dy = Math.floor(random() * (2 * p + 1)) - p;
      const dx = Math.floor(random() * (2 * p + 1)) - p;
      boxes[i * 4] = (p + dy) / (hp - 1);
      boxes[i * 4 + 1] = (p + dx) / (wp - 1);
      boxes[i * 4 + 2] = (p + dy + h - 1) / (hp - 1);
      boxes[i * 4 + 3] = (p + dx + w - 1) / (wp - 1);
    }
    const boxIndex = tf.range(0, b, 1, 'int32') as tf.Tensor1D;
    return tf.image.cropAndResize(padded, tf.tensor2d(boxes, [b, 4]), boxIndex, [h, w], 'bilinear');
  });
}

/**
 * Mean loss and accuracy of `model` on `(x, y)` in inference mode, in batches. No tensors are kept.
 *
 * @param y one-hot `[n, k]` or integer labels `[n]`.
 */
export function evaluateLossAccuracy(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor,
  options: { batchSize?: number; loss?: ClassificationLoss | LossFunction } = {}): { loss: number; acc: number } {
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw new Error(`evaluateLossAccuracy: ${n} inputs but ${y.shape[0]} labels`);
  const lossFn = resolveLoss(model, y, options.loss);
  const bs = options.batchSize ?? 1000;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += bs) {
    const size = Math.min(bs, n - start);
    const [l, c] = tf.tidy(() => {
      const xb = tf.slice(x, start, size);
      const yb = tf.slice(y, start, size);
      const pred = model.predict(xb) as tf.Tensor;
      return [tf.mul(tf.mean(lossFn(yb, pred)), size), countCorrect(yb, pred)];
    });
    lossSum += l!.dataSync()[0]!;
    correct += c!.dataSync()[0]!;
    l!.dispose();
    c!.dispose();
  }
  return { loss: lossSum / n, acc: correct / n };
}

function formatLogs(label: string, logs: EpochLogs): string {
  const parts = [`${label}: loss ${logs.loss.toFixed(4)}, acc ${logs.acc.toFixed(4)}`];
  if (logs.valLoss !== undefined) parts.push(`val_loss ${logs.valLoss.toFixed(4)}, val_acc ${logs.valAcc!.toFixed(4)}`);
  if (logs.learningRate !== undefined) parts.push(`lr ${logs.learningRate.toPrecision(3)}`);
  parts.push(`${logs.seconds.toFixed(1)} s`);
  return parts.join(', ');
}

/**
 * Train `model` on `(x, y)` with mini-batch gradient descent, showing one progress line per epoch
 * (updated in place in a notebook) and returning the per-epoch history.
 *
 * @param x inputs `[n, ...]` (e.g. `[60000, 28, 28, 1]`).
 * @param y one-hot labels `[n, k]` or integer labels `[n]`; the model outputs probabilities `[n, k]`.
 * @returns the history (loss, accuracy, validation loss/accuracy, seconds per epoch).
 *
 * Memory: each step runs in `tf.tidy`; the running sums are two scalars replaced every step; after
 * the first step only the optimizer's own state (e.g. Adam's moments) stays, so `tf.memory().numTensors`
 * is the same after every epoch.
 */
export async function fitModel(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitOptions): Promise<TrainingHistory> {
  const run = fitSettings(model, x, y, options);
  const history: TrainingHistory = {
    epoch: [], loss: [], acc: [], valLoss: [], valAcc: [], seconds: [], trainSeconds: [], learningRate: [],
    samples: run.n, batchSize: run.batchSize, totalSeconds: 0, secondsPerEpoch: 0, cpuSeconds: 0,
  };
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  const keeper = options.keepBest ? new BestWeights(model, options.keepBest, options.epochs, 'fitModel') : null;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const epochStart = Date.now();
      const epochLabel = `${run.label} ${epoch}/${options.epochs}`;
      const bar = run.showProgress ? progress({ total: run.n, label: epochLabel, unit: 'img' }) : null;
      const trained = await trainEpoch(model, x, y, options, run, (epoch - 1) * run.stepsPerEpoch, bar);
      const logs: EpochLogs = { epoch, loss: trained.loss, acc: trained.acc, seconds: 0, trainSeconds: (Date.now() - epochStart) / 1000 };
      if (trained.learningRate !== undefined) logs.learningRate = trained.learningRate;
      if (options.validationData) {
        if (bar) bar.update(run.n, { loss: logs.loss, acc: logs.acc, status: 'validating' });
        await nextTick();
        const v = evaluateLossAccuracy(model, options.validationData[0], options.validationData[1],
          { batchSize: options.evalBatchSize ?? 1000, loss: run.lossFn });
        logs.valLoss = v.loss;
        logs.valAcc = v.acc;
      }
      logs.seconds = (Date.now() - epochStart) / 1000;
      recordEpoch(history, logs);
      if (bar) bar.done(formatLogs(epochLabel, logs));
      if (keeper) keeper.consider(epoch);
      if (options.onEpochEnd) await options.onEpochEnd(logs);
      await nextTick();
    }
    if (keeper) history.best = keeper.restore();
  } finally {
    keeper?.dispose();
  }
  history.totalSeconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  history.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  history.secondsPerEpoch = history.seconds.reduce((a, b) => a + b, 0) / history.seconds.length;
  return history;
}

/** What `fitModel` works with, checked and resolved once from its arguments. */
interface FitSettings {
  n: number;
  batchSize: number;
  stepsPerEpoch: number;
  lossFn: LossFunction;
  optimizer: tf.Optimizer;
  schedule: LearningRateSchedule | null;
  shuffle: boolean;
  label: string;
  showProgress: boolean;
}

/** Check `fitModel`'s arguments and resolve its defaults: the loss, the optimizer (given, compiled, or Adam 0.001), the schedule. */
function fitSettings(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitOptions): FitSettings {
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw new Error(`fitModel: ${n} inputs but ${y.shape[0]} labels; give one label per example`);
  if (!(options.epochs >= 1) || !Number.isInteger(options.epochs)) throw new Error(`fitModel: epochs must be a positive integer, got ${options.epochs}`);
  const batchSize = options.batchSize ?? 32;
  if (!(batchSize >= 1)) throw new Error(`fitModel: batchSize must be >= 1, got ${batchSize}`);
  const lossFn = resolveLoss(model, y, options.loss);
  let compiledOptimizer: tf.Optimizer | undefined;
  try {
    compiledOptimizer = model.optimizer;
  } catch {
    compiledOptimizer = undefined;
  }
  const schedule: LearningRateSchedule | null = typeof options.learningRate === 'function'
    ? options.learningRate
    : typeof options.learningRate === 'number' ? (() => options.learningRate as number) : null;
  return {
    n, batchSize, stepsPerEpoch: Math.ceil(n / batchSize), lossFn, schedule,
    optimizer: options.optimizer ?? compiledOptimizer ?? tf.train.adam(0.001),
    shuffle: options.shuffle ?? true, label: options.label ?? 'epoch', showProgress: options.progress ?? true,
  };
}

/**
 * One epoch of mini-batch steps over a fresh order of the examples (steps counted from `firstStep` for the
 * schedule). The running loss and accuracy sums stay on the backend, two scalars replaced every step.
 * Returns the epoch's mean training loss and accuracy and the learning rate of its last step.
 */
async function trainEpoch(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitOptions, run: FitSettings,
  firstStep: number, bar: ReturnType<typeof progress> | null): Promise<{ loss: number; acc: number; learningRate: number | undefined }> {
  const { n, batchSize, optimizer, schedule, lossFn } = run;
  const order = tf.tensor1d(run.shuffle ? permutation(n) : Array.from({ length: n }, (_, i) => i), 'int32');
  let lossSum: tf.Scalar = tf.scalar(0);
  let correctSum: tf.Scalar = tf.scalar(0);
  let seen = 0;
  let lastYield = Date.now();
  let lr: number | undefined = getLearningRate(optimizer);
  try {
    for (let start = 0, step = firstStep; start < n; start += batchSize, step++) {
      const size = Math.min(batchSize, n - start);
      if (schedule) {
        lr = schedule(step);
        setLearningRate(optimizer, lr);
      }
      const [newLoss, newCorrect] = tf.tidy(() => {
        const idx = tf.slice(order, start, size);
        let xb = tf.gather(x, idx);
        if (options.augment) xb = options.augment(xb);
        const yb = tf.gather(y, idx);
        let pred: tf.Tensor | null = null;
        const loss = optimizer.minimize(() => {
          // `training: true` turns dropout on and makes batch norm use (and update) batch statistics.
          const out = model.apply(xb, { training: true }) as tf.Tensor;
          pred = tf.keep(out);
          return tf.mean(lossFn(yb, out)) as tf.Scalar;
        }, true) as tf.Scalar;
        const correct = countCorrect(yb, pred!);
        pred!.dispose();
        return [tf.add(lossSum, tf.mul(loss, size)) as tf.Scalar, tf.add(correctSum, correct) as tf.Scalar];
      });
      lossSum.dispose();
      correctSum.dispose();
      lossSum = newLoss!;
      correctSum = newCorrect!;
      seen += size;
      const now = Date.now();
      if (now - lastYield >= 200) {
        if (bar) bar.update(seen, { loss: lossSum.dataSync()[0]! / seen, acc: correctSum.dataSync()[0]! / seen });
        lastYield = now;
        await nextTick();
      }
    }
    return { loss: lossSum.dataSync()[0]! / seen, acc: correctSum.dataSync()[0]! / seen, learningRate: lr };
  } finally {
    order.dispose();
    lossSum.dispose();
    correctSum.dispose();
  }
}

/** Append one epoch's logs to the history. */
function recordEpoch(history: TrainingHistory, logs: EpochLogs): void {
  history.epoch.push(logs.epoch);
  history.loss.push(logs.loss);
  history.acc.push(logs.acc);
  if (logs.valLoss !== undefined) {
    history.valLoss.push(logs.valLoss);
    history.valAcc.push(logs.valAcc!);
  }
  history.seconds.push(logs.seconds);
  history.trainSeconds.push(logs.trainSeconds);
  if (logs.learningRate !== undefined) history.learningRate.push(logs.learningRate);
}

/** What `fitCompiledKeepingBest` returns. */
export interface KeepBestRun extends KeptBest {
  /** The compiled loss after each epoch (training mode, as `model.fit` reports it). */
  loss: number[];
  /** Wall-clock seconds of the whole run. */
  seconds: number;
}

/**
 * Train a model **compiled** with a Keras loss (e.g. `creditMlp`'s binary cross-entropy) one
 * `model.fit` epoch at a time, score it after every epoch, and end with the weights of the best
 * epoch — the tuning loop of notebooks 01 and 08. `model.fit` shuffles with `Math.random`, so
 * `seed()` before building the model makes the run repeat. One progress line counts the epochs and
 * ends with the kept epoch: "MLP: best validation AUC 0.789 at epoch 23 of 60 (4.2 s)".
 *
 * @param x inputs `[n, ...]`; @param y targets in the compiled loss's shape (e.g. `[n, 1]` 0/1).
 *
 * ```ts
 * seed(11);
 * const model = creditMlp(61);
 * const run = await fitCompiledKeepingBest(model, xTrain, yTrain, {
 *   epochs: 60, batchSize: 32, label: 'MLP', scoreName: 'validation AUC',
 *   score: (m) => rocAuc(yVal, tf.tidy(() => (m.predict(xVal) as tf.Tensor).dataSync())),
 * });
 * run.epoch; run.score;   // the kept epoch and its validation AUC
 * ```
 */
export async function fitCompiledKeepingBest(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: KeepBestOptions & {
  epochs: number;
  /** Examples per step (default 32). */
  batchSize?: number;
  /** Progress label (default 'training'). */
  label?: string;
  /** What the score is, for the progress line (default 'score'). */
  scoreName?: string;
  /** Show the progress line (default true). */
  progress?: boolean;
}): Promise<KeepBestRun> {
  const { epochs, batchSize = 32, label = 'training', scoreName = 'score' } = options;
  if (!(epochs >= 1) || !Number.isInteger(epochs)) throw new Error(`fitCompiledKeepingBest: epochs must be a positive integer, got ${epochs}`);
  if (y.shape[0] !== x.shape[0]) throw new Error(`fitCompiledKeepingBest: ${x.shape[0]} inputs but ${y.shape[0]} targets; give one target per example`);
  const keeper = new BestWeights(model, options, epochs, 'fitCompiledKeepingBest');
  const bar = (options.progress ?? true) ? progress({ total: epochs, label, unit: 'epoch' }) : null;
  const started = Date.now();
  const loss: number[] = [];
  try {
    for (let e = 1; e <= epochs; e++) {
      const h = await model.fit(x, y, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
      loss.push(Number(h.history.loss![0]));
      const score = keeper.consider(e);
      if (bar) bar.update(e, { loss: loss[e - 1]!, [scoreName]: score });
    }
    const kept = keeper.restore();
    const seconds = (Date.now() - started) / 1000;
    if (bar) bar.done(`${label}: best ${scoreName} ${kept.score.toFixed(3)} at epoch ${kept.epoch} of ${epochs} (${seconds.toFixed(1)} s)`);
    return { ...kept, loss, seconds };
  } finally {
    keeper.dispose();
  }
}

/**
 * Loss and accuracy curves of a history as two figures (train vs validation), ready for `show`.
 */
export function trainingCurves(history: TrainingHistory, title = ''): { loss: Figure; accuracy: Figure } {
  const prefix = title ? `${title}: ` : '';
  const lossSeries: Record<string, number[]> = { train: history.loss };
  const accSeries: Record<string, number[]> = { train: history.acc };
  if (history.valLoss.length === history.epoch.length && history.valLoss.length > 0) {
    lossSeries.validation = history.valLoss;
    accSeries.validation = history.valAcc;
  }
  return {
    loss: lineChart({ x: history.epoch, series: lossSeries },
      { title: `${prefix}loss per epoch`, xTitle: 'epoch', yTitle: 'cross-entropy loss', markers: true }),
    accuracy: lineChart({ x: history.epoch, series: accSeries },
      { title: `${prefix}accuracy per epoch`, xTitle: 'epoch', yTitle: 'accuracy', markers: true }),
  };
}

/**
 * A model's outputs for `x` as one flat array (a score per example for a one-output model: `[n, 1]` → `[n]`), with
 * no tensor left behind — the one-liner notebooks wrote as `tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync())`.
 * `config` goes to `model.predict` unchanged (its default batch size is 32).
 *
 * ```ts
 * const p = predictScores(creditModel, xTest);        // Float32Array of P(bad) per applicant
 * rocAuc(yTest, p);
 * ```
 */
export function predictScores(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], config?: tf.ModelPredictConfig): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(x, config);
    if (Array.isArray(out)) throw new Error(`predictScores: the model has ${out.length} outputs; use one output`);
    return out.dataSync() as Float32Array;
  });
}

/** Class predictions of a classifier, computed in batches in inference mode. */
export interface Predictions {
  /** argmax class of each example, `[n]`. */
  labels: Int32Array;
  /** The output probabilities, row-major `[n, k]`. */
  probabilities: Float32Array;
  numClasses: number;
}

/** Predict classes of `x` in batches (`[n, ...]` → `Predictions`); no tensors are kept. */
export function predictClasses(model: tf.LayersModel, x: tf.Tensor, batchSize = 1000): Predictions {
  const n = x.shape[0]!;
  let k = 0;
  const chunks: Float32Array[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => model.predict(tf.slice(x, start, size)) as tf.Tensor);
    if (probs.rank !== 2) {
      probs.dispose();
      throw new Error(`predictClasses: the model must output [n, k] class probabilities, got rank ${probs.rank}`);
    }
    k = probs.shape[1]!;
    chunks.push(probs.dataSync() as Float32Array);
    probs.dispose();
  }
  const probabilities = new Float32Array(n * k);
  let offset = 0;
  for (const c of chunks) {
    probabilities.set(c, offset);
    offset += c.length;
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probabilities[i * k + j]! > probabilities[i * k + best]!) best = j;
    labels[i] = best;
  }
  return { labels, probabilities, numClasses: k };
}

/** Labels as plain class indices, from a `[n]` tensor, a one-hot `[n, k]` tensor, or an array. */
export function labelsToArray(y: tf.Tensor | ArrayLike<number>): Int32Array {
  if (!(y instanceof tf.Tensor)) return Int32Array.from(y);
  if (y.rank === 1) return Int32Array.from(y.dataSync());
  if (y.rank === 2) {
    const idx = tf.argMax(y, -1);
    const out = Int32Array.from(idx.dataSync());
    idx.dispose();
    return out;
  }
  throw new Error(`labelsToArray: labels must be [n] or one-hot [n, k], got [${y.shape.join(', ')}]`);
}

/** Everything `evaluateClassifier` measures. */
export interface ClassifierEvaluation extends Predictions {
  accuracy: number;
  /** True class of each example. */
  actual: Int32Array;
  /** Rows = true class, columns = predicted class. */
  confusion: number[][];
  report: ClassificationReport;
  /** Mean cross-entropy of the true class (clipped at 1e-7). */
  loss: number;
  /** Seconds spent predicting. */
  seconds: number;
}

/**
 * Evaluate a classifier: predictions, accuracy, cross-entropy, confusion matrix and per-class
 * precision/recall/F1.
 *
 * @param x `[n, ...]` inputs; @param y `[n]` labels, `[n, k]` one-hot, or an array of labels.
 */
export function evaluateClassifier(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor | ArrayLike<number>,
  options: { batchSize?: number; classNames?: readonly (string | number)[] } = {}): ClassifierEvaluation {
  const t0 = Date.now();
  const actual = labelsToArray(y);
  const pred = predictClasses(model, x, options.batchSize ?? 1000);
  const seconds = (Date.now() - t0) / 1000;
  if (actual.length !== pred.labels.length) throw new Error(`evaluateClassifier: ${pred.labels.length} inputs but ${actual.length} labels`);
  const k = pred.numClasses;
  let loss = 0;
  for (let i = 0; i < actual.length; i++) loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, pred.probabilities[i * k + actual[i]!]!)));
  const confusion = confusionMatrix(actual, pred.labels, k);
  return {
    ...pred,
    actual,
    accuracy: accuracyScore(actual, pred.labels),
    confusion,
    report: classificationReport(confusion, options.classNames),
    loss: loss / actual.length,
    seconds,
  };
}

/**
 * Indices of the misclassified examples, the most confidently wrong first (highest probability
 * given to the wrong class), at most `limit`.
 */
export function misclassifiedIndices(ev: Pick<ClassifierEvaluation, 'labels' | 'actual' | 'probabilities' | 'numClasses'>, limit = Infinity): number[] {
  const wrong: { i: number; p: number }[] = [];
  for (let i = 0; i < ev.actual.length; i++) {
    if (ev.labels[i] !== ev.actual[i]) wrong.push({ i, p: ev.probabilities[i * ev.numClasses + ev.labels[i]!]! });
  }
  wrong.sort((a, b) => b.p - a.p || a.i - b.i);
  return wrong.slice(0, limit).map((w) => w.i);
}
