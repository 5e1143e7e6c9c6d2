/**
 * Notebook 15's search problem: notebook 04's improved MNIST CNN with five of its settings open, trained on a budget
 * counted in **training examples seen**.
 *
 * The hand-set recipe (`HAND_CNN_CONFIG`) is notebook 04's: conv 32 → pool → conv 64 → pool → dropout 0.25 → dense 128
 * → dropout 0.25 → dense 10, Adam with a one-cycle schedule peaking at 0.004, batch 128, shifts of ±2 pixels.
 * `tunableCnn(HAND_CNN_CONFIG)` is `improvedCnn()` layer for layer (225,034 parameters, the same weights after the
 * same seed). The search varies the peak learning rate, the batch size, the width (first conv's filters; the second
 * has twice as many), the hidden layer and the dropout rate (`CNN_SEARCH_SPACE`); the training procedure stays 04's.
 *
 * A budget of b examples is b / batch steps (the last one smaller when b is not a multiple): the model sees a
 * stream of seeded random passes over the training digits, cut after exactly b examples.
 *
 * ```ts
 * const model = tunableCnn(HAND_CNN_CONFIG);                    // [b, 28, 28, 1] → [b, 10]
 * const run = await trainCnnForBudget(HAND_CNN_CONFIG, x, yOneHot, 11520);
 * run.examples; run.steps;                                      // 11520, 90
 * const ev = cnnEvaluator({ train: [x, yOneHot], validation: [xv, yv], seedBase: 1500 });
 * await successiveHalving(configs, { eta: 3, minBudget: 1280 }, ev.evaluate);
 * ev.bestModel();                                               // the model of the best validation accuracy
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { fitModel, evaluateLossAccuracy, oneCycleSchedule, randomTranslate } from '../training/train';
import { seed, shuffle } from '../training/random';
import { checkSearchSpace, Configuration, inSpace, SearchSpace } from './space';
import { EvaluateFn, TrialContext } from './search';

/** The five open settings of the MNIST CNN. */
export interface CnnConfig extends Configuration {
  /** Adam's peak learning rate of the one-cycle schedule. */
  learningRate: number;
  /** Examples per step. */
  batchSize: number;
  /** Filters of the first conv layer; the second has twice as many. */
  filters: number;
  /** Units of the hidden dense layer. */
  dense: number;
  /** Dropout rate before and after the hidden layer. */
  dropout: number;
}

/** Where the search looks: log-uniform learning rate, and choices of batch, widths; uniform dropout. */
export const CNN_SEARCH_SPACE: SearchSpace = {
  learningRate: { kind: 'logUniform', min: 1e-4, max: 3e-2 },
  batchSize: { kind: 'choice', values: [32, 64, 128, 256] },
  filters: { kind: 'choice', values: [8, 16, 32] },
  dense: { kind: 'choice', values: [32, 64, 128, 256] },
  dropout: { kind: 'uniform', min: 0, max: 0.5 },
};

/** Notebook 04's hand-set recipe for the improved CNN, as one point of `CNN_SEARCH_SPACE`. */
export const HAND_CNN_CONFIG: CnnConfig = { learningRate: 0.004, batchSize: 128, filters: 32, dense: 128, dropout: 0.25 };

/** Check a configuration's values are usable (positive integer sizes, learning rate > 0, dropout in [0, 1)). */
function checkCnnConfig(config: CnnConfig): void {
  const { learningRate, batchSize, filters, dense, dropout } = config;
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`CNN config: learningRate must be > 0, got ${learningRate}`);
  for (const [name, v] of [['batchSize', batchSize], ['filters', filters], ['dense', dense]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`CNN config: ${name} must be a positive integer, got ${v}`);
  }
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`CNN config: dropout must be in [0, 1), got ${dropout}`);
}

/**
 * The CNN of a configuration: conv(filters, 3×3, ReLU) → max-pool 2 → conv(2·filters) → max-pool 2 → flatten →
 * dropout → dense(dense, ReLU) → dropout → dense 10 softmax. `[b, 28, 28, 1]` → `[b, 10]`; uncompiled.
 * Parameters: 10f + (18f² + 2f) + (25·2f·d + d) + (10d + 10) for f filters and d hidden units.
 */
export function tunableCnn(config: CnnConfig): tf.Sequential {
  checkCnnConfig(config);
  const { filters, dense, dropout } = config;
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters, kernelSize: 3, activation: 'relu' }));   // 26×26×f
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));                                                       // 13×13×f
  model.add(tf.layers.conv2d({ filters: 2 * filters, kernelSize: 3, activation: 'relu' }));               // 11×11×2f
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));                                                       // 5×5×2f
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: dropout }));
  model.add(tf.layers.dense({ units: dense, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: dropout }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** What `trainCnnForBudget` returns. */
export interface BudgetRun {
  model: tf.Sequential;
  /** Training examples seen: exactly the budget. */
  examples: number;
  /** Optimizer steps: ⌈budget / batchSize⌉. */
  steps: number;
  /** Wall-clock seconds of training. */
  seconds: number;
}

/**
 * Build `tunableCnn(config)` and train it on exactly `budget` examples of `(x, yOneHot)` (`[n, 28, 28, 1]`, `[n, 10]`):
 * seeded random passes over the n digits, cut after `budget`; Adam with `oneCycleSchedule` (peak = learningRate,
 * warm-up a quarter of the steps) and shifts of ±2 pixels, as notebook 04. The weights and the order come from the
 * course generator: call `seed` first for a repeatable run.
 */
export async function trainCnnForBudget(config: CnnConfig, x: tf.Tensor, yOneHot: tf.Tensor, budget: number,
  options: { augment?: boolean } = {}): Promise<BudgetRun> {
  checkCnnConfig(config);
  if (!Number.isInteger(budget) || budget < 1) throw new Error(`trainCnnForBudget: the budget must be a positive whole number of examples, got ${budget}`);
  const n = x.shape[0]!;
  if (yOneHot.shape[0] !== n || n < 1) throw new Error(`trainCnnForBudget: ${n} images but ${yOneHot.shape[0]} labels`);
  const order: number[] = [];
  const all = Array.from({ length: n }, (_, i) => i);
  while (order.length < budget) order.push(...shuffle(all));
  order.length = budget;
  const model = tunableCnn(config);
  const steps = Math.ceil(budget / config.batchSize);
  const indices = tf.tensor1d(order, 'int32');
  const [xs, ys] = [tf.gather(x, indices), tf.gather(yOneHot, indices)];
  indices.dispose();
  const optimizer = tf.train.adam(config.learningRate);
  try {
    const history = await fitModel(model, xs, ys, {
      epochs: 1, batchSize: config.batchSize, shuffle: false, progress: false, optimizer,
      learningRate: oneCycleSchedule({ peak: config.learningRate, steps, warmup: 0.25 }),
      augment: options.augment === false ? undefined : (batch) => randomTranslate(batch, 2),
    });
    return { model, examples: budget, steps, seconds: history.totalSeconds };
  } finally {
    tf.dispose([xs, ys]);
    optimizer.dispose();                                        // Adam's moments: the model keeps only its weights
  }
}

/** One trained trial of `cnnEvaluator`. */
export interface CnnTrialRecord {
  context: TrialContext;
  config: CnnConfig;
  budget: number;
  validationAccuracy: number;
  seconds: number;
}

/** What `cnnEvaluator` returns: the `evaluate` for a search, and the model of the best trial so far. */
export interface CnnEvaluator {
  evaluate: EvaluateFn<CnnConfig>;
  /** The model of the trial with the highest validation accuracy so far (the last of equal ones, as the searches' `best`), or null. */
  bestModel(): tf.Sequential | null;
  /** Every trial, in order. */
  records: CnnTrialRecord[];
  /** Dispose the kept model. */
  dispose(): void;
}

/**
 * An `evaluate(config, budget)` for the searches: `seed(seedBase + trial)`, `trainCnnForBudget` on `train`, the accuracy
 * on `validation` as the score. It keeps the best model (so the winner need not be trained again) and disposes the rest.
 * Configurations outside `space` (default `CNN_SEARCH_SPACE`) are an error.
 */
export function cnnEvaluator(options: { train: readonly [tf.Tensor, tf.Tensor]; validation: readonly [tf.Tensor, tf.Tensor];
  seedBase: number; space?: SearchSpace; onTrial?: (record: CnnTrialRecord) => void }): CnnEvaluator {
  const space = options.space ?? CNN_SEARCH_SPACE;
  checkSearchSpace(space);
  let best: { score: number; model: tf.Sequential } | null = null;
  const records: CnnTrialRecord[] = [];
  const evaluate: EvaluateFn<CnnConfig> = async (config, budget, context) => {
    if (!inSpace(space, config)) throw new Error(`cnnEvaluator: configuration ${JSON.stringify(config)} is outside the search space`);
    seed(options.seedBase + context.trial);
    const run = await trainCnnForBudget(config, options.train[0], options.train[1], budget);
    const score = evaluateLossAccuracy(run.model, options.validation[0], options.validation[1]).acc;
    if (best === null || score >= best.score) {
      best?.model.dispose();
      best = { score, model: run.model };
    } else {
      run.model.dispose();
    }
    const record = { context, config, budget, validationAccuracy: score, seconds: run.seconds };
    records.push(record);
    options.onTrial?.(record);
    return score;
  };
  return {
    evaluate, records,
    bestModel: () => best?.model ?? null,
    dispose: () => { best?.model.dispose(); best = null; },
  };
}
