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
  const optimizer = options.optimizer ?? compiledOptimizer ?? tf.train.adam(0.001);
  const schedule: LearningRateSchedule | null = typeof options.learningRate === 'function'
    ? options.learningRate
    : typeof options.learningRate === 'number' ? (() => options.learningRate as number) : null;
  const shuffle = options.shuffle ?? true;
  const label = options.label ?? 'epoch';
  const showProgress = options.progress ?? true;
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const history: TrainingHistory = {
    epoch: [], loss: [], acc: [], valLoss: [], valAcc: [], seconds: [], trainSeconds: [], learningRate: [],
    samples: n, batchSize, totalSeconds: 0, secondsPerEpoch: 0, cpuSeconds: 0,
  };
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  let step = 0;

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const epochStart = Date.now();
    const epochLabel = `${label} ${epoch}/${options.epochs}`;
    const bar = showProgress ? progress({ total: n, label: epochLabel, unit: 'img' }) : null;
    const order = tf.tensor1d(shuffle ? permutation(n) : Array.from({ length: n }, (_, i) => i), 'int32');
    let lossSum: tf.Scalar = tf.scalar(0);
    let correctSum: tf.Scalar = tf.scalar(0);
    let seen = 0;
    let lastYield = Date.now();
    let lr: number | undefined = getLearningRate(optimizer);
    try {
      for (let start = 0; start < n; start += batchSize, step++) {
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
      const trainSeconds = (Date.now() - epochStart) / 1000;
      const logs: EpochLogs = {
        epoch,
        loss: lossSum.dataSync()[0]! / seen,
        acc: correctSum.dataSync()[0]! / seen,
        seconds: 0,
        trainSeconds,
      };
      if (lr !== undefined) logs.learningRate = lr;
      if (options.validationData) {
        if (bar) bar.update(seen, { loss: logs.loss, acc: logs.acc, status: 'validating' });
        await nextTick();
        const v = evaluateLossAccuracy(model, options.validationData[0], options.validationData[1],
          { batchSize: options.evalBatchSize ?? 1000, loss: lossFn });
        logs.valLoss = v.loss;
        logs.valAcc = v.acc;
      }
      logs.seconds = (Date.now() - epochStart) / 1000;
      history.epoch.push(epoch);
      history.loss.push(logs.loss);
      history.acc.push(logs.acc);
      if (logs.valLoss !== undefined) {
        history.valLoss.push(logs.valLoss);
        history.valAcc.push(logs.valAcc!);
      }
      history.seconds.push(logs.seconds);
      history.trainSeconds.push(logs.trainSeconds);
      if (logs.learningRate !== undefined) history.learningRate.push(logs.learningRate);
      if (bar) bar.done(formatLogs(epochLabel, logs));
      if (options.onEpochEnd) await options.onEpochEnd(logs);
      await nextTick();
    } finally {
      order.dispose();
      lossSum.dispose();
      correctSum.dispose();
    }
  }
  history.totalSeconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  history.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  history.secondsPerEpoch = history.seconds.reduce((a, b) => a + b, 0) / history.seconds.length;
  return history;
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
