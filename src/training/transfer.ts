/**
 * Transfer learning (迁移学习) inside the course: pretrain a small CNN on one image set, copy its convolutional
 * **base** into a new model with a new classification **head**, and fine-tune it on another set — everything
 * (`freeze: false`) or only the head (`freeze: true`, a linear probe) — against the same architecture from scratch.
 *
 * - `transferCnn(classes)`: the notebook's network, 28×28×1 → conv 3×3×16 (ReLU) → max-pool 2 → conv 3×3×32 (ReLU)
 *   → max-pool 2 → flatten (800) → dense `classes` (softmax). The first `TRANSFER_BASE_LAYERS` = 5 layers are the base.
 * - `transferModel(base, classes, { baseLayers, freeze })`: a new Sequential whose first `baseLayers` layers are fresh
 *   layers of the base's classes and configurations holding **copies** of its weights, then a new dense softmax head
 *   of `classes` units (Glorot-uniform, from `Math.random`, so `seed()` fixes it).
 * - `copyBaseWeights(from, to, baseLayers)`: copy the weights of the first `baseLayers` layers, with a clear error when
 *   the layers or their weight shapes differ (e.g. a base built for 32×32 images into a 28×28 model).
 * - `setBaseTrainable(model, baseLayers, trainable)`: freeze or unfreeze the base.
 * - `fineTune(model, x, yOneHot, options)`: mini-batch Adam for a number of **steps** (not epochs: with 30 images an
 *   epoch is one step), the validation score every `evalEvery` steps, and at the end the weights of the best evaluation
 *   (ties keep the earlier). Only the model's trainable weights move, so a frozen base stays as it was — no recompile.
 * - `samplePerClass(labels, pool, perClass, seedValue)`: `perClass` examples of each class from `pool`, nested: with
 *   the same seed, the 5-per-class sample is part of the 10-per-class one.
 * - `pairedSeedInterval(a, b)`: the mean of the per-seed differences a_s − b_s with a Student-t 95 % interval.
 *
 * Shapes: images `[n, 28, 28, 1]`; `yOneHot` `[n, classes]`; a model's output `[n, classes]` probabilities.
 *
 * ```ts
 * seed(1);
 * const base = transferCnn(5);                                  // pretrain it on digits 0–4 …
 * await fineTune(base, xDigits, yDigits, { steps: 400, learningRate: 0.002 });
 * const probe = transferModel(base, 6, { freeze: true });       // … then a new 6-class head on a frozen base
 * await fineTune(probe, xSteel, ySteel, { steps: 80, score: (m) => accuracyOn(m, xVal, yVal) });
 * pairedSeedInterval([0.61, 0.58, 0.66], [0.55, 0.57, 0.60]);   // { mean: 0.0433, lower: …, upper: …, n: 3 }
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { mean as meanOf, sampleSd } from '../metrics/describe';
import { progress } from '../notebook/progress';
import { mulberry32 } from './random';

/** Layers 0..4 of `transferCnn` (conv, pool, conv, pool, flatten) are the base; layer 5 is the head. */
export const TRANSFER_BASE_LAYERS = 5;

/** The notebook's small CNN (see the module doc): `[b, 28, 28, 1]` → `[b, classes]`; 5,008 + 801·classes parameters; uncompiled. */
export function transferCnn(classes: number, inputShape: [number, number, number] = [28, 28, 1]): tf.Sequential {
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`transferCnn: classes must be an integer ≥ 2, got ${classes}`);
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: 16, kernelSize: 3, activation: 'relu' })); // 26×26×16
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));                                          // 13×13×16
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));             // 11×11×32
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));                                          // 5×5×32
  model.add(tf.layers.flatten());                                                              // 800
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}

function checkBaseLayers(model: tf.LayersModel, baseLayers: number, fn: string): void {
  if (!Number.isInteger(baseLayers) || baseLayers < 1 || baseLayers > model.layers.length) {
    throw new Error(`${fn}: baseLayers must be an integer from 1 to the model's ${model.layers.length} layers, got ${baseLayers}`);
  }
}

/**
 * Copy the weights of layers 0..baseLayers−1 of `from` into the same layers of `to`. Throws, naming the layer, when a
 * layer's class or a weight's shape differs. Returns the number of numbers copied.
 */
export function copyBaseWeights(from: tf.LayersModel, to: tf.LayersModel, baseLayers: number): number {
  checkBaseLayers(from, baseLayers, 'copyBaseWeights');
  checkBaseLayers(to, baseLayers, 'copyBaseWeights');
  let copied = 0;
  for (let i = 0; i < baseLayers; i++) {
    const a = from.layers[i]!;
    const b = to.layers[i]!;
    if (a.getClassName() !== b.getClassName()) throw new Error(`copyBaseWeights: layer ${i} is a ${a.getClassName()} in the base but a ${b.getClassName()} in the new model`);
    const wa = a.getWeights();
    const wb = b.getWeights();
    if (wa.length !== wb.length) throw new Error(`copyBaseWeights: layer ${i} (${a.name}) has ${wa.length} weight tensors in the base but ${wb.length} in the new model`);
    wa.forEach((w, k) => {
      if (!tf.util.arraysEqual(w.shape, wb[k]!.shape)) {
        throw new Error(`copyBaseWeights: layer ${i} (${a.name}) weight ${k} has shape [${w.shape.join(', ')}] in the base but [${wb[k]!.shape.join(', ')}] in the new model; the base does not fit this input or architecture`);
      }
      copied += w.size;
    });
    b.setWeights(wa);
  }
  return copied;
}

/** Freeze (`trainable = false`) or unfreeze layers 0..baseLayers−1. `fineTune` honours it at once; `model.fit` after a recompile. */
export function setBaseTrainable(model: tf.LayersModel, baseLayers: number, trainable: boolean): void {
  checkBaseLayers(model, baseLayers, 'setBaseTrainable');
  for (let i = 0; i < baseLayers; i++) model.layers[i]!.trainable = trainable;
}

export interface TransferModelOptions {
  /** How many leading layers of `base` to reuse (default `TRANSFER_BASE_LAYERS`). */
  baseLayers?: number;
  /** Freeze the copied layers: only the new head trains (a linear probe). Default false. */
  freeze?: boolean;
}

/**
 * A new model: fresh copies of `base`'s first `baseLayers` layers (same classes and configurations, copied weights),
 * then a new dense softmax head of `classes` units. The base model is left untouched and may be disposed afterwards.
 */
export function transferModel(base: tf.LayersModel, classes: number, options: TransferModelOptions = {}): tf.Sequential {
  const baseLayers = options.baseLayers ?? TRANSFER_BASE_LAYERS;
  checkBaseLayers(base, baseLayers, 'transferModel');
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`transferModel: classes must be an integer ≥ 2, got ${classes}`);
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  const model = tf.sequential();
  for (let i = 0; i < baseLayers; i++) {
    const layer = base.layers[i]!;
    const entry = registry[layer.getClassName()];
    if (!entry) throw new Error(`transferModel: layer ${i} is a ${layer.getClassName()}, which tfjs cannot rebuild from its configuration`);
    const config = { ...layer.getConfig() } as tf.serialization.ConfigDict;
    delete config.name;   // a fresh name, so base and copy can live side by side
    if (i === 0) config.batchInputShape = [null, ...base.inputs[0]!.shape.slice(1)] as tf.serialization.ConfigDictValue;
    model.add(entry[1](entry[0], config) as tf.layers.Layer);
  }
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  copyBaseWeights(base, model, baseLayers);
  if (options.freeze) setBaseTrainable(model, baseLayers, false);
  return model;
}

export interface FineTuneOptions {
  /** Adam steps (integer ≥ 1). */
  steps: number;
  /** Examples per step (default 32; the whole set when it is smaller). */
  batchSize?: number;
  /** Adam's learning rate (default 0.003). */
  learningRate?: number;
  /** Score the model every this many steps (default 10) and after the last. */
  evalEvery?: number;
  /** Higher is better, e.g. validation accuracy. Without it the last weights are kept. */
  score?: (model: tf.LayersModel) => number;
  /** Seed of the mini-batch order (default 1). */
  seed?: number;
  /** A progress label; none when absent. */
  label?: string;
}

/** What `fineTune` returns. */
export interface FineTuneRun {
  /** The step whose weights the model ends with. */
  step: number;
  /** Its score (NaN without `score`). */
  score: number;
  /** The step of each evaluation and its score. */
  evaluations: { step: number; score: number }[];
  /** The training loss (mean cross-entropy of the batch) at each step. */
  loss: number[];
  seconds: number;
}

/**
 * Mini-batch Adam on the categorical cross-entropy of `model` (softmax outputs), updating only its trainable weights;
 * keeps the weights of the best-scoring evaluation (see the module doc). Dropout layers run in training mode.
 */
export async function fineTune(model: tf.LayersModel, x: tf.Tensor, yOneHot: tf.Tensor2D, options: FineTuneOptions): Promise<FineTuneRun> {
  const { steps, learningRate = 0.003, evalEvery = 10 } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`fineTune: steps must be an integer ≥ 1, got ${steps}`);
  if (!Number.isInteger(evalEvery) || evalEvery < 1) throw new Error(`fineTune: evalEvery must be an integer ≥ 1, got ${evalEvery}`);
  const n = x.shape[0]!;
  if (yOneHot.shape[0] !== n) throw new Error(`fineTune: ${n} inputs but ${yOneHot.shape[0]} targets; give one target per example`);
  const outUnits = model.outputs[0]!.shape[1];
  if (yOneHot.shape[1] !== outUnits) throw new Error(`fineTune: the targets have ${yOneHot.shape[1]} classes but the model's head has ${outUnits} outputs`);
  const variables = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  if (variables.length === 0) throw new Error('fineTune: the model has no trainable weights (is every layer frozen?)');
  const batch = Math.min(options.batchSize ?? 32, n);
  const rand = mulberry32(options.seed ?? 1);
  const optimizer = tf.train.adam(learningRate);
  const bar = options.label ? progress({ total: steps, label: options.label, unit: 'step' }) : null;
  const started = Date.now();
  const loss: number[] = [];
  const evaluations: { step: number; score: number }[] = [];
  let best: { step: number; score: number; weights: tf.Tensor[] } = { step: steps, score: Number.NaN, weights: [] };
  let order: number[] = [];
  try {
    for (let step = 1; step <= steps; step++) {
      if (order.length < batch) {   // a new pass: a fresh shuffled order of all examples
        const next = Array.from({ length: n }, (_, i) => i);
        for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [next[i], next[j]] = [next[j]!, next[i]!]; }
        order = order.concat(next);
      }
      const idx = tf.tensor1d(order.splice(0, batch), 'int32');
      const value = optimizer.minimize(() => tf.tidy(() => {
        const p = (model.apply(tf.gather(x, idx), { training: true }) as tf.Tensor).clipByValue(1e-7, 1);
        return tf.neg(tf.mean(tf.sum(tf.mul(tf.gather(yOneHot, idx), tf.log(p)), -1))) as tf.Scalar;
      }), true, variables)!;
      loss.push(value.dataSync()[0]!);
      tf.dispose([value, idx]);
      if (options.score && (step % evalEvery === 0 || step === steps)) {
        const s = options.score(model);
        if (Number.isNaN(s)) throw new Error(`fineTune: the score after step ${step} is NaN; the score function must return a number`);
        evaluations.push({ step, score: s });
        if (!(s <= best.score)) {   // the first evaluation, or a strictly better one
          tf.dispose(best.weights);
          best = { step, score: s, weights: model.getWeights().map((w) => tf.clone(w)) };
        }
      }
      bar?.update(step, { loss: loss[step - 1]! });
    }
    if (best.weights.length > 0) model.setWeights(best.weights);
  } finally {
    tf.dispose(best.weights);
    optimizer.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  bar?.done(`${options.label}: kept step ${best.step} of ${steps}${options.score ? ` (score ${best.score.toFixed(3)})` : ''} in ${seconds.toFixed(1)} s`);
  return { step: best.step, score: best.score, evaluations, loss, seconds };
}

/**
 * `perClass` indices of each class among `pool` (labels indexed by pool entries), in a seeded order; with one seed the
 * samples are nested across sizes. Throws when a class has fewer than `perClass` examples in the pool.
 */
export function samplePerClass(labels: ArrayLike<number>, pool: readonly number[], perClass: number, seedValue: number): number[] {
  if (!Number.isInteger(perClass) || perClass < 1) throw new Error(`samplePerClass: perClass must be an integer ≥ 1, got ${perClass}`);
  const rand = mulberry32(seedValue);
  const order = [...pool];
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!]; }
  const taken = new Map<number, number>();
  const out: number[] = [];
  for (const i of order) {
    const c = labels[i]!;
    const k = taken.get(c) ?? 0;
    if (k < perClass) { out.push(i); taken.set(c, k + 1); }
  }
  for (const [c, k] of taken) if (k < perClass) throw new Error(`samplePerClass: class ${c} has only ${k} examples in the pool, fewer than ${perClass}`);
  return out.sort((a, b) => a - b);
}

/** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The per-seed differences a_s − b_s: their mean, standard deviation and Student-t 95 % interval. */
export interface PairedInterval {
  mean: number;
  sd: number;
  lower: number;
  upper: number;
  n: number;
  differences: number[];
}

/** Mean of a_s − b_s over paired runs (same seed: same sample, same head initialisation) with a t interval; n ≥ 2. */
export function pairedSeedInterval(a: readonly number[], b: readonly number[]): PairedInterval {
  if (a.length !== b.length) throw new Error(`pairedSeedInterval: ${a.length} values against ${b.length}; pair each seed's two runs`);
  const n = a.length;
  if (n < 2) throw new Error(`pairedSeedInterval: needs at least 2 pairs, got ${n}`);
  const differences = a.map((v, i) => v - b[i]!);
  const mean = meanOf(differences);
  const sd = sampleSd(differences);
  const half = (T_975[n - 2] ?? 1.96) * sd / Math.sqrt(n);
  return { mean, sd, lower: mean - half, upper: mean + half, n, differences };
}
