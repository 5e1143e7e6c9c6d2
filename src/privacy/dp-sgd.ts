/**
 * Differentially private SGD (差分隐私随机梯度下降, DP-SGD; Abadi et al. 2016). Plain SGD averages
 * the gradients of a batch; one unusual training example can move the model a lot, and a model
 * can memorize it. DP-SGD bounds and hides each example's influence:
 *
 * 1. compute the gradient $g_i$ of **each example** separately;
 * 2. **clip** it to norm at most $C$: $\bar g_i = g_i \cdot \min(1, C / \lVert g_i \rVert_2)$;
 * 3. add **Gaussian noise** scaled to that bound and average:
 *    $\tilde g = \frac{1}{B}\left(\sum_i \bar g_i + \mathcal N(0, \sigma^2 C^2 I)\right)$;
 * 4. take the step with $\tilde g$.
 *
 * σ (the noise multiplier) sets the privacy: with sampling rate q = B/N and T steps the training is
 * (ε, δ)-differentially private, ε from `dpSgdEpsilon` (Rényi-DP accounting of the sampled Gaussian
 * mechanism). With C = ∞ and σ = 0 the update is exactly plain SGD's batch-mean gradient.
 *
 * Per-example gradients: for a model made of Dense layers (an MLP, logistic regression) they are
 * never materialized. A Dense layer's per-example kernel gradient is the outer product $a_i \delta_i^\top$
 * of its input and the gradient at its pre-activation, so $\lVert g_i \rVert^2 = \sum_\ell (\lVert a_{\ell,i}\rVert^2 + 1)\lVert\delta_{\ell,i}\rVert^2$
 * (the "+1" is the bias) and the clipped sum is $A^\top \operatorname{diag}(c)\,\Delta$ — one backward
 * pass for the whole batch. Any other model falls back to one gradient per example (slow).
 *
 * ```ts
 * const g = dpGradients(model, xb, yb, { l2NormClip: 1, noiseMultiplier: 1.1, seed: step });
 * const run = await trainDpSgd(model, x, y, { epochs: 3, batchSize: 256, learningRate: 0.1, l2NormClip: 1, noiseMultiplier: 1.1 });
 * dpSgdEpsilon({ sampleRate: 256 / 60000, noiseMultiplier: 1.1, steps: run.steps, delta: 1e-5 }).epsilon;
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { permutation } from '../training/random';

/** Clipping bound C (Infinity: no clipping) and noise multiplier σ (0: no noise). */
export interface DpConfig {
  l2NormClip: number;
  noiseMultiplier: number;
  /** Seed of the Gaussian noise (vary it per step). */
  seed?: number;
}

/** The result of one private gradient computation. */
export interface DpGradients {
  /** Noisy, clipped mean gradient, one tensor per trainable weight (model.trainableWeights order). */
  grads: tf.Tensor[];
  /** ‖g_i‖₂ of every example before clipping. */
  norms: Float32Array;
  /** Fraction of examples whose gradient was clipped. */
  clippedFraction: number;
  /** Mean loss of the batch (before the step). */
  loss: number;
  method: 'dense' | 'per-example';
}

type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';
const SUPPORTED_ACTIVATIONS = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh', 'softmax']);

function checkConfig(config: DpConfig): void {
  if (!(config.l2NormClip > 0)) throw new Error(`DP-SGD: l2NormClip must be > 0 (Infinity for no clipping), got ${config.l2NormClip}`);
  if (!(config.noiseMultiplier >= 0) || !Number.isFinite(config.noiseMultiplier)) throw new Error(`DP-SGD: noiseMultiplier must be a finite number ≥ 0, got ${config.noiseMultiplier}`);
  if (config.noiseMultiplier > 0 && !Number.isFinite(config.l2NormClip)) throw new Error('DP-SGD: noise needs a finite clipping bound (the noise is σ·C)');
}

/** The Dense layers of `model` when it is a plain stack of Flatten/Dropout/Dense layers; null otherwise. */
export function denseStack(model: tf.LayersModel): tf.layers.Layer[] | null {
  const dense: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || cls === 'Flatten') continue;
    if (cls !== 'Dense') return null;
    const cfg = layer.getConfig() as { activation?: string; useBias?: boolean };
    if (!SUPPORTED_ACTIVATIONS.has(cfg.activation ?? 'linear') || cfg.useBias === false) return null;
    dense.push(layer);
  }
  if (dense.length === 0) return null;
  // Only softmax (multi-class) or sigmoid (binary) at the end; not inside.
  for (const l of dense.slice(0, -1)) if ((l.getConfig() as { activation?: string }).activation === 'softmax') return null;
  return dense;
}

/** Per-example losses from the last layer's pre-activation `z` (numerically stable, from logits). */
function perExampleLoss(z: tf.Tensor, y: tf.Tensor, last: Activation): tf.Tensor1D {
  if (last === 'softmax') {
    const k = z.shape[1]!;
    const oneHot = y.rank === 1 ? tf.oneHot(tf.cast(y, 'int32'), k) : y;
    return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(z)), -1)) as tf.Tensor1D;
  }
  if (last === 'sigmoid') {
    const t = tf.reshape(tf.cast(y, 'float32'), z.shape);
    // −[t log σ(z) + (1 − t) log(1 − σ(z))] = softplus(z) − t z
    return tf.reshape(tf.sub(tf.softplus(z), tf.mul(t, z)), [-1]) as tf.Tensor1D;
  }
  throw new Error(`DP-SGD: the last layer must end in softmax or sigmoid, not ${last}`);
}

function activate(z: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'relu': return tf.relu(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'tanh': return tf.tanh(z);
    case 'softmax': return tf.softmax(z);
    default: return z;
  }
}

/** The loss `fitModel` would use for a model with a softmax/sigmoid output, per example. */
function modelPerExampleLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Tensor1D {
  const p = model.apply(x, { training: true }) as tf.Tensor;
  const eps = 1e-7;
  const pc = tf.clipByValue(p, eps, 1 - eps);
  if (p.shape[1] === 1) {
    const t = tf.reshape(tf.cast(y, 'float32'), p.shape);
    return tf.reshape(tf.neg(tf.add(tf.mul(t, tf.log(pc)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, pc))))), [-1]) as tf.Tensor1D;
  }
  const oneHot = y.rank === 1 ? tf.oneHot(tf.cast(y, 'int32'), p.shape[1]!) : y;
  return tf.neg(tf.sum(tf.mul(oneHot, tf.log(pc)), -1)) as tf.Tensor1D;
}

function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Per-example gradients the slow, general way — one backward pass per example. Returns
 * `grads[i][j]`: example i, trainable weight j. For tests and small batches (the caller disposes them).
 */
export function perExampleGradients(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Tensor[][] {
  const vars = trainableVariables(model);
  const n = x.shape[0]!;
  const out: tf.Tensor[][] = [];
  for (let i = 0; i < n; i++) {
    const g = tf.tidy(() => {
      const xi = tf.slice(x, i, 1);
      const yi = tf.slice(y, i, 1);
      const { grads } = tf.variableGrads(() => tf.sum(modelPerExampleLoss(model, xi, yi)) as tf.Scalar, vars);
      return vars.map((v) => grads[v.name]!);
    });
    out.push(g);
  }
  return out;
}

/** The global L2 norm of a list of tensors: sqrt(Σ‖t‖²). */
export function globalNorm(tensors: readonly tf.Tensor[]): number {
  return tf.tidy(() => Math.sqrt(tensors.reduce((acc, t) => acc + tf.sum(tf.square(t)).dataSync()[0]!, 0)));
}

/** Scale a gradient (a list of tensors) so that its global norm is at most `clip`: g · min(1, C/‖g‖). New tensors. */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], clip: number): { clipped: tf.Tensor[]; norm: number; factor: number } {
  const norm = globalNorm(grads);
  const factor = Number.isFinite(clip) && norm > clip ? clip / norm : 1;
  return { clipped: grads.map((g) => tf.mul(g, factor)), norm, factor };
}

/** Noise N(0, (σC)²) added to a summed gradient, then divided by the batch size. */
function noisyMean(sums: tf.Tensor[], batch: number, config: DpConfig): tf.Tensor[] {
  const std = config.noiseMultiplier * config.l2NormClip;
  return sums.map((s, j) => tf.tidy(() => {
    const noisy = std > 0 ? tf.add(s, tf.randomNormal(s.shape, 0, std, 'float32', (config.seed ?? 0) * 1009 + j)) : s;
    return tf.div(noisy, batch);
  }));
}

/** The fast path for Dense stacks (see the module doc). */
function denseDpGradients(model: tf.LayersModel, layers: tf.layers.Layer[], x: tf.Tensor, y: tf.Tensor, config: DpConfig): DpGradients {
  const batch = x.shape[0]!;
  const acts = layers.map((l) => (l.getConfig() as { activation?: string }).activation as Activation ?? 'linear');
  const last = acts[acts.length - 1]!;
  const inputs: tf.Tensor[] = [];
  let lossValue = 0;
  const deltas = tf.tidy(() => {
    const probes = layers.map((l) => tf.zeros([batch, (l.getConfig() as { units: number }).units]));
    const f = (...ps: tf.Tensor[]): tf.Scalar => {
      inputs.forEach((t) => t.dispose());
      inputs.length = 0;
      let a: tf.Tensor = tf.reshape(x, [batch, -1]);
      let z: tf.Tensor = a;
      layers.forEach((layer, l) => {
        const [kernel, bias] = layer.getWeights();
        inputs.push(tf.keep(a));
        z = tf.add(tf.add(tf.matMul(a, kernel!), bias!), ps[l]!);
        if (l < layers.length - 1) a = activate(z, acts[l]!);
      });
      const losses = perExampleLoss(z, y, last);
      const total = tf.sum(losses) as tf.Scalar;
      lossValue = total.dataSync()[0]! / batch;
      return total;
    };
    return tf.grads(f)(probes);
  });
  try {
    // ‖g_i‖² = Σ_ℓ (‖a_ℓ,i‖² + 1) · ‖δ_ℓ,i‖²
    const normsT = tf.tidy(() => {
      let sq: tf.Tensor = tf.zeros([batch]);
      layers.forEach((_, l) => {
        const a2 = tf.add(tf.sum(tf.square(inputs[l]!), -1), 1);
        const d2 = tf.sum(tf.square(deltas[l]!), -1);
        sq = tf.add(sq, tf.mul(a2, d2));
      });
      return tf.sqrt(sq);
    });
    const norms = normsT.dataSync() as Float32Array;
    const factorsT = tf.tidy(() => (Number.isFinite(config.l2NormClip)
      ? tf.minimum(1, tf.div(config.l2NormClip, tf.maximum(normsT, 1e-12)))
      : tf.onesLike(normsT)));
    normsT.dispose();
    const sums: tf.Tensor[] = [];
    layers.forEach((_, l) => {
      const [k, b] = tf.tidy(() => {
        const scaled = tf.mul(deltas[l]!, tf.reshape(factorsT, [batch, 1]));
        return [tf.matMul(inputs[l]!, scaled, true, false), tf.sum(scaled, 0)];
      });
      sums.push(k!, b!);
    });
    factorsT.dispose();
    const grads = noisyMean(sums, batch, config);
    tf.dispose(sums);
    let clipped = 0;
    for (const v of norms) if (v > config.l2NormClip) clipped++;
    return { grads, norms: Float32Array.from(norms), clippedFraction: clipped / batch, loss: lossValue, method: 'dense' };
  } finally {
    tf.dispose(deltas);
    tf.dispose(inputs);
  }
}

/**
 * One private gradient of the batch `(x, y)`: per-example gradients, clipped to `l2NormClip`, summed,
 * plus N(0, (σC)²) noise, divided by the batch size. Order of `grads`: `model.trainableWeights`.
 * The model's output must be softmax (labels one-hot or integer) or a single sigmoid (labels 0/1).
 */
export function dpGradients(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, config: DpConfig,
  method: 'auto' | 'dense' | 'per-example' = 'auto'): DpGradients {
  checkConfig(config);
  const layers = denseStack(model);
  if (method === 'dense' && !layers) throw new Error('dpGradients: the dense method needs a stack of Dense layers (with biases; activations linear/relu/sigmoid/tanh, softmax or sigmoid last)');
  if (layers && method !== 'per-example') return denseDpGradients(model, layers, x, y, config);
  const batch = x.shape[0]!;
  const per = perExampleGradients(model, x, y);
  const norms = new Float32Array(batch);
  let clipped = 0;
  const sums = tf.tidy(() => {
    let acc: tf.Tensor[] | null = null;
    per.forEach((g, i) => {
      const c = clipByGlobalNorm(g, config.l2NormClip);
      norms[i] = c.norm;
      if (c.factor < 1) clipped++;
      acc = acc ? acc.map((a, j) => tf.add(a, c.clipped[j]!)) : c.clipped;
    });
    return acc!;
  });
  per.forEach((g) => tf.dispose(g));
  const loss = tf.tidy(() => tf.mean(modelPerExampleLoss(model, x, y)).dataSync()[0]!);
  const grads = noisyMean(sums, batch, config);
  tf.dispose(sums);
  return { grads, norms, clippedFraction: clipped / batch, loss, method: 'per-example' };
}

export interface DpSgdOptions {
  epochs: number;
  batchSize: number;
  /** SGD learning rate (ignored when `optimizer` is given). */
  learningRate?: number;
  optimizer?: tf.Optimizer;
  l2NormClip: number;
  noiseMultiplier: number;
  /** Base seed for the noise (default 0); batch order comes from the course generator (`seed`). */
  seed?: number;
  /** Called after each epoch; e.g. return test accuracy to record it. */
  onEpochEnd?: (epoch: number) => number | void | Promise<number | void>;
}

export interface DpSgdResult {
  steps: number;
  /** Mean batch loss per epoch. */
  loss: number[];
  /** Mean fraction of clipped per-example gradients per epoch. */
  clippedFraction: number[];
  /** What `onEpochEnd` returned per epoch (when numbers). */
  scores: number[];
  seconds: number;
  method: 'dense' | 'per-example';
}

/**
 * Train `model` with DP-SGD: every epoch visits the data in a new order (course generator) in batches of
 * `batchSize` (the last partial batch is dropped, so that every step has the same sampling rate).
 */
export async function trainDpSgd(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: DpSgdOptions): Promise<DpSgdResult> {
  const n = x.shape[0]!;
  const { batchSize, epochs } = options;
  if (!(batchSize >= 1) || batchSize > n) throw new Error(`trainDpSgd: batchSize must be in 1..${n}, got ${batchSize}`);
  const optimizer = options.optimizer ?? tf.train.sgd(options.learningRate ?? 0.1);
  const vars = trainableVariables(model);
  const result: DpSgdResult = { steps: 0, loss: [], clippedFraction: [], scores: [], seconds: 0, method: denseStack(model) ? 'dense' : 'per-example' };
  const started = Date.now();
  const stepsPerEpoch = Math.floor(n / batchSize);
  for (let e = 1; e <= epochs; e++) {
    const order = permutation(n);
    let lossSum = 0;
    let clipSum = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const idx = tf.tensor1d(order.slice(s * batchSize, (s + 1) * batchSize), 'int32');
      const xb = tf.gather(x, idx);
      const yb = tf.gather(y, idx);
      const g = dpGradients(model, xb, yb, { l2NormClip: options.l2NormClip, noiseMultiplier: options.noiseMultiplier, seed: (options.seed ?? 0) * 1_000_003 + result.steps });
      optimizer.applyGradients(Object.fromEntries(vars.map((v, j) => [v.name, g.grads[j]!])));
      tf.dispose([idx, xb, yb, ...g.grads]);
      lossSum += g.loss;
      clipSum += g.clippedFraction;
      result.steps++;
      if (s % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    result.loss.push(lossSum / stepsPerEpoch);
    result.clippedFraction.push(clipSum / stepsPerEpoch);
    if (options.onEpochEnd) {
      const score = await options.onEpochEnd(e);
      if (typeof score === 'number') result.scores.push(score);
    }
  }
  if (!options.optimizer) optimizer.dispose();
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * Rényi-DP of one step of the sampled Gaussian mechanism at integer order α ≥ 2 (Mironov, Talwar,
 * Zhang 2019): ε_α = log A_α / (α − 1), A_α = Σ_k C(α,k) (1−q)^(α−k) q^k exp((k² − k) / (2σ²)).
 * With q = 1 this is the Gaussian mechanism's α / (2σ²).
 */
export function sampledGaussianRdp(sampleRate: number, noiseMultiplier: number, order: number): number {
  if (!Number.isInteger(order) || order < 2) throw new Error(`sampledGaussianRdp: order must be an integer ≥ 2, got ${order}`);
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new Error(`sampledGaussianRdp: sampleRate must be in (0, 1], got ${sampleRate}`);
  if (!(noiseMultiplier > 0)) return Infinity;
  const q = sampleRate;
  if (q === 1) return order / (2 * noiseMultiplier ** 2);
  let logA = -Infinity;
  let logBinom = 0; // log C(order, k), updated incrementally
  for (let k = 0; k <= order; k++) {
    if (k > 0) logBinom += Math.log(order - k + 1) - Math.log(k);
    const term = logBinom + (order - k) * Math.log1p(-q) + k * Math.log(q) + (k * k - k) / (2 * noiseMultiplier ** 2);
    logA = logAdd(logA, term);
  }
  return logA / (order - 1);
}

/**
 * The ε of (ε, δ)-DP after `steps` steps of DP-SGD with sampling rate q = batch / N and noise
 * multiplier σ: RDP composes by adding, and ε = min_α [T·ε_α + log(1/δ)/(α − 1)] (Mironov 2017,
 * Proposition 3), over integer orders 2..256. Infinity when σ = 0. (Shuffled fixed-size batches are
 * accounted as Poisson sampling with the same rate, the usual approximation.)
 */
export function dpSgdEpsilon(options: { sampleRate: number; noiseMultiplier: number; steps: number; delta: number }): { epsilon: number; order: number } {
  const { sampleRate, noiseMultiplier, steps, delta } = options;
  if (!(delta > 0 && delta < 1)) throw new Error(`dpSgdEpsilon: delta must be in (0, 1), got ${delta}`);
  if (!(steps >= 0)) throw new Error(`dpSgdEpsilon: steps must be ≥ 0, got ${steps}`);
  if (!(noiseMultiplier > 0)) return { epsilon: Infinity, order: NaN };
  let best = { epsilon: Infinity, order: NaN };
  for (let order = 2; order <= 256; order++) {
    const eps = steps * sampledGaussianRdp(sampleRate, noiseMultiplier, order) + Math.log(1 / delta) / (order - 1);
    if (eps < best.epsilon) best = { epsilon: eps, order };
  }
  return best;
}
