/**
 * Federated learning (联邦学习) with federated averaging (FedAvg, McMahan et al. 2017): several
 * sites — hospitals, banks, phones — train a shared model without pooling their data. Each round,
 * every site starts from the current global weights, trains a little on its own data, and sends back
 * only its weights; the server averages them, weighted by the sites' data sizes:
 *
 * $$w_{t+1} = \sum_k \frac{n_k}{n}\, w^{(k)}_{t+1}, \qquad n = \sum_k n_k .$$
 *
 * With one local step of plain SGD on each site's full data this equals one step of centralized
 * gradient descent; with several local steps on **non-IID** data (each site sees different classes)
 * the sites drift apart, and the average is worse than central training — the price of privacy
 * that the course measures.
 *
 * ```ts
 * const parts = labelSkewPartition(labels, { classesPerSite: [[0,1,2,3],[4,5,6],[7,8,9]], mix: 0.1, seed: 1 });
 * const avg = federatedAverage([w1, w2, w3], [n1, n2, n3]);   // tensors, weighted by size
 * const run = await trainFederated({ createModel, sites, rounds: 10, localEpochs: 1, evaluate });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { fitModel } from '../training/train';
import { mulberry32 } from '../training/random';

/**
 * The size-weighted average of several models' weights: `Σ_k (n_k / n) · w_k`, tensor by tensor.
 *
 * @param weightSets one list of tensors per site, all with the same shapes (e.g. `model.getWeights()`).
 * @param sizes the number of training examples of each site (> 0).
 * @returns new tensors (the caller disposes them).
 */
export function federatedAverage(weightSets: readonly (readonly tf.Tensor[])[], sizes: readonly number[]): tf.Tensor[] {
  if (weightSets.length === 0) throw new Error('federatedAverage: no sites');
  if (sizes.length !== weightSets.length) throw new Error(`federatedAverage: ${weightSets.length} weight sets but ${sizes.length} sizes`);
  if (sizes.some((s) => !(s > 0) || !Number.isFinite(s))) throw new Error(`federatedAverage: sizes must be positive, got [${sizes.join(', ')}]`);
  const total = sizes.reduce((a, b) => a + b, 0);
  const first = weightSets[0]!;
  weightSets.forEach((ws, k) => {
    if (ws.length !== first.length) throw new Error(`federatedAverage: site ${k} has ${ws.length} tensors, site 0 has ${first.length}`);
    ws.forEach((w, j) => {
      if (w.shape.join(',') !== first[j]!.shape.join(',')) {
        throw new Error(`federatedAverage: tensor ${j} of site ${k} has shape [${w.shape.join(', ')}], site 0 has [${first[j]!.shape.join(', ')}]`);
      }
    });
  });
  return first.map((_, j) => tf.tidy(() => {
    let acc = tf.mul(weightSets[0]![j]!, sizes[0]! / total);
    for (let k = 1; k < weightSets.length; k++) acc = tf.add(acc, tf.mul(weightSets[k]![j]!, sizes[k]! / total));
    return acc;
  }));
}

/** Options of `labelSkewPartition`. */
export interface LabelSkewOptions {
  /** The classes each site mainly holds, e.g. `[[0,1,2,3],[4,5,6],[7,8,9]]`; every class must belong to one site. */
  classesPerSite: readonly (readonly number[])[];
  /** Fraction of each class spread uniformly over the other sites instead (0 = fully disjoint classes). Default 0.1. */
  mix?: number;
  seed?: number;
}

/**
 * Split example indices between sites by label (non-IID, 非独立同分布): an example of class c goes
 * to c's home site, except a fraction `mix` that goes to a uniformly chosen other site. Every index
 * goes to exactly one site; the order within a site is the original order.
 */
export function labelSkewPartition(labels: ArrayLike<number>, options: LabelSkewOptions): number[][] {
  const sites = options.classesPerSite.length;
  if (sites < 1) throw new Error('labelSkewPartition: need at least one site');
  const mix = options.mix ?? 0.1;
  if (!(mix >= 0 && mix <= 1)) throw new Error(`labelSkewPartition: mix must be in [0, 1], got ${mix}`);
  const home = new Map<number, number>();
  options.classesPerSite.forEach((classes, s) => classes.forEach((c) => {
    if (home.has(c)) throw new Error(`labelSkewPartition: class ${c} is listed for sites ${home.get(c)} and ${s}`);
    home.set(c, s);
  }));
  const rand = mulberry32(options.seed ?? 0);
  const out: number[][] = Array.from({ length: sites }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    const h = home.get(c);
    if (h === undefined) throw new Error(`labelSkewPartition: class ${c} (example ${i}) belongs to no site`);
    let s = h;
    if (sites > 1 && rand() < mix) {
      s = Math.floor(rand() * (sites - 1));
      if (s >= h) s++;
    }
    out[s]!.push(i);
  }
  return out;
}

/** Examples per class at each site: `counts[site][class]`. */
export function siteClassCounts(labels: ArrayLike<number>, partition: readonly (readonly number[])[], numClasses: number): number[][] {
  return partition.map((idx) => {
    const counts = new Array<number>(numClasses).fill(0);
    for (const i of idx) counts[labels[i]!]!++;
    return counts;
  });
}

/** One participant: its name and its private data. */
export interface FederatedSite {
  name: string;
  x: tf.Tensor;
  /** One-hot `[n, k]` or integer labels `[n]`, as `fitModel` takes them. */
  y: tf.Tensor;
}

export interface FederatedOptions {
  /** Makes a fresh, uncompiled model of the shared architecture (called once for the global model and once per site). */
  createModel: () => tf.LayersModel;
  sites: readonly FederatedSite[];
  rounds: number;
  /** Epochs each site trains per round (default 1). */
  localEpochs?: number;
  batchSize?: number;
  /** A new optimizer for each site's local training in a round (default: SGD with learning rate 0.05). */
  createOptimizer?: () => tf.Optimizer;
  /** Scores the global model after each round (e.g. test accuracy). */
  evaluate: (model: tf.LayersModel) => number;
  /** Called after each round with its results. */
  onRound?: (round: FederatedRound) => void | Promise<void>;
}

export interface FederatedRound {
  /** 1-based. */
  round: number;
  /** Score of the global (averaged) model. */
  score: number;
  /** Score of each site's local model just before averaging. */
  siteScores: number[];
  seconds: number;
}

export interface FederatedResult {
  /** The global model after the last round (the caller disposes it). */
  model: tf.LayersModel;
  rounds: FederatedRound[];
  sizes: number[];
  seconds: number;
}

/**
 * Train with FedAvg: `rounds` times, every site trains `localEpochs` on its own data from the global
 * weights, then the global weights become the size-weighted average of the sites' weights. Only
 * weights cross the site boundary; the data tensors are never combined.
 */
export async function trainFederated(options: FederatedOptions): Promise<FederatedResult> {
  const { sites, rounds } = options;
  if (sites.length === 0) throw new Error('trainFederated: no sites');
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`trainFederated: rounds must be a positive integer, got ${rounds}`);
  const sizes = sites.map((s) => s.x.shape[0]!);
  const global = options.createModel();
  const locals = sites.map(() => options.createModel());
  const started = Date.now();
  const history: FederatedRound[] = [];
  try {
    for (let r = 1; r <= rounds; r++) {
      const t0 = Date.now();
      const globalWeights = global.getWeights();
      const siteWeights: tf.Tensor[][] = [];
      const siteScores: number[] = [];
      for (let k = 0; k < sites.length; k++) {
        const local = locals[k]!;
        local.setWeights(globalWeights);
        const optimizer = options.createOptimizer ? options.createOptimizer() : tf.train.sgd(0.05);
        try {
          await fitModel(local, sites[k]!.x, sites[k]!.y, {
            epochs: options.localEpochs ?? 1, batchSize: options.batchSize ?? 32, optimizer, progress: false,
          });
        } finally {
          optimizer.dispose();
        }
        siteScores.push(options.evaluate(local));
        siteWeights.push(local.getWeights());
      }
      const averaged = federatedAverage(siteWeights, sizes);
      global.setWeights(averaged);
      tf.dispose(averaged);
      const round: FederatedRound = { round: r, score: options.evaluate(global), siteScores, seconds: (Date.now() - t0) / 1000 };
      history.push(round);
      if (options.onRound) await options.onRound(round);
    }
  } finally {
    locals.forEach((m) => m.dispose());
  }
  return { model: global, rounds: history, sizes, seconds: (Date.now() - started) / 1000 };
}
