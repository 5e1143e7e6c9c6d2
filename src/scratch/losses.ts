/**
 * Cross-entropy losses (交叉熵损失) from scratch, in float64, with their gradients.
 *
 * **Binary cross-entropy (二元交叉熵).** A label $y \in \{0, 1\}$ (or a soft label in $[0, 1]$),
 * a logit $z$ and the probability $p = \sigma(z)$:
 * $$\ell(y, z) = -\,y \log \sigma(z) - (1 - y) \log(1 - \sigma(z)).$$
 * Since $-\log\sigma(z) = \log(1 + e^{-z}) = \mathrm{softplus}(-z)$ and $1 - \sigma(z) = \sigma(-z)$, this is
 * $\ell = y\,\mathrm{softplus}(-z) + (1 - y)\,\mathrm{softplus}(z)$ with
 * $\mathrm{softplus}(z) = \max(z, 0) + \log(1 + e^{-|z|})$, which never overflows; and, as
 * $\mathrm{softplus}'(z) = \sigma(z)$, $\partial \ell / \partial z = -y\,\sigma(-z) + (1 - y)\,\sigma(z) = \sigma(z) - y$.
 *
 * **Categorical cross-entropy (多分类交叉熵).** Labels $y \in \mathbb{R}^K$ (one-hot, or any
 * distribution), logits $z \in \mathbb{R}^K$, $p = \mathrm{softmax}(z)$:
 * $$\ell(y, z) = -\sum_k y_k \log p_k = \Big(\sum_k y_k\Big)\,\mathrm{LSE}(z) - \sum_k y_k z_k,$$
 * so $\partial \ell / \partial z_k = p_k \sum_j y_j - y_k$, which is $p_k - y_k$ when the labels sum to 1.
 *
 * Every batch loss here is the **mean** over examples (what `tf.losses.*` returns with its default
 * reduction and what `tf.metrics.*(...).mean()` gives), so every gradient carries a factor $1/N$.
 *
 * Shapes: binary losses take `labels[N]`, `logits[N]` (or probabilities `[N]`); categorical losses take
 * `labels[N][K]`, `logits[N][K]`.
 *
 * ```ts
 * binaryCrossEntropyWithLogits([1, 0], [2, -1]);            // (softplus(-2) + softplus(-1)) / 2 ≈ 0.2201
 * binaryCrossEntropyWithLogitsGradient([1, 0], [2, -1]);    // [(σ(2) - 1) / 2, σ(-1) / 2]
 * categoricalCrossEntropyWithLogits([[0, 1, 0]], [[1, 3, 0]]); // LSE([1, 3, 0]) - 3 ≈ 0.1698
 * naiveBinaryCrossEntropyWithLogits([1], [40]);             // NaN: σ(40) rounds to 1 and 0 · log 0 is NaN
 * ```
 */
import { logSumExpParts, sigmoid, softmax, softplus } from './activations';

/** Labels and predictions given as rows of K classes: `[N][K]`. */
export type Rows = readonly (readonly number[])[];

/** Keras' (and TensorFlow.js') fuzz factor for probabilities: they are clipped to $[\epsilon, 1 - \epsilon]$. */
const PROBABILITY_EPSILON = 1e-7;

function checkPairs(what: string, labels: readonly number[], other: readonly number[], otherName: string): void {
  if (labels.length === 0) throw new Error(`${what}: the batch is empty; give at least one example`);
  if (labels.length !== other.length) {
    throw new Error(`${what}: ${labels.length} labels but ${other.length} ${otherName}; give one ${otherName.replace(/s$/, '')} per label`);
  }
}

function checkRows(what: string, labels: Rows, other: Rows, otherName: string): void {
  if (labels.length === 0) throw new Error(`${what}: the batch is empty; give at least one example`);
  if (labels.length !== other.length) throw new Error(`${what}: ${labels.length} label rows but ${other.length} ${otherName} rows`);
  labels.forEach((row, i) => {
    if (row.length !== other[i]!.length) {
      throw new Error(`${what}: row ${i} has ${row.length} labels but ${other[i]!.length} ${otherName}; both must be [N][K]`);
    }
  });
}

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Per-example binary cross-entropy from a logit: $y\,\mathrm{softplus}(-z) + (1-y)\,\mathrm{softplus}(z)$.
 * Both terms are $\ge 0$, so nothing cancels: even the $4.2\times10^{-18}$ loss of $y = 1, z = 40$ is exact.
 */
export function binaryCrossEntropyFromLogit(label: number, logit: number): number {
  // -log σ(z) = softplus(-z) and -log(1 - σ(z)) = -log σ(-z) = softplus(z); skip a term whose weight is 0.
  const pos = label === 0 ? 0 : label * softplus(-logit);
  const neg = label === 1 ? 0 : (1 - label) * softplus(logit);
  return pos + neg;
}

/**
 * Mean binary cross-entropy of `labels[N]` against `logits[N]`, computed stably
 * (equals `tf.losses.sigmoidCrossEntropy(labels, logits)`).
 */
export function binaryCrossEntropyWithLogits(labels: readonly number[], logits: readonly number[]): number {
  checkPairs('binaryCrossEntropyWithLogits', labels, logits, 'logits');
  return mean(labels.map((y, i) => binaryCrossEntropyFromLogit(y, logits[i]!)));
}

/** $\partial L / \partial z_i = (\sigma(z_i) - y_i) / N$ for the mean loss `binaryCrossEntropyWithLogits`. */
export function binaryCrossEntropyWithLogitsGradient(labels: readonly number[], logits: readonly number[]): number[] {
  checkPairs('binaryCrossEntropyWithLogitsGradient', labels, logits, 'logits');
  const n = labels.length;
  return labels.map((y, i) => (sigmoid(logits[i]!) - y) / n);
}

/**
 * The textbook formula evaluated literally: $p = 1/(1+e^{-z})$, then $-[y\log p + (1-y)\log(1-p)]$.
 * Kept to show why it is not used: it gives NaN for $z \gtrsim 37$ ($p$ rounds to 1, $0\cdot\log 0$)
 * and Infinity for $z \lesssim -710$ ($e^{-z}$ overflows, $\log 0$).
 */
export function naiveBinaryCrossEntropyWithLogits(labels: readonly number[], logits: readonly number[]): number {
  checkPairs('naiveBinaryCrossEntropyWithLogits', labels, logits, 'logits');
  return mean(labels.map((y, i) => {
    const p = 1 / (1 + Math.exp(-logits[i]!));
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  }));
}

/**
 * Mean binary cross-entropy of `labels[N]` against probabilities `[N]`, each clipped to
 * $[\epsilon, 1 - \epsilon]$ first (as `tf.metrics.binaryCrossentropy` does, with $\epsilon = 10^{-7}$),
 * so that a confident wrong prediction costs $-\log\epsilon \approx 16.1$ rather than Infinity.
 * Note: TensorFlow.js clips in float32, where $1 - 10^{-7}$ rounds to $1 - 1.19\times10^{-7}$.
 */
export function binaryCrossEntropy(labels: readonly number[], probabilities: readonly number[], epsilon = PROBABILITY_EPSILON): number {
  checkPairs('binaryCrossEntropy', labels, probabilities, 'probabilities');
  return mean(labels.map((y, i) => {
    const p = Math.min(Math.max(probabilities[i]!, epsilon), 1 - epsilon);
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  }));
}

/**
 * Per-example categorical cross-entropy from logits: $\sum_k y_k(\mathrm{LSE}(z) - z_k)$, each
 * $\mathrm{LSE}(z) - z_k$ evaluated as $(m - z_k) + \log(1 + r)$ (see `logSumExpParts`) so that the loss of a
 * confident right answer is not rounded to 0.
 */
export function categoricalCrossEntropyFromLogits(labels: readonly number[], logits: readonly number[]): number {
  checkPairs('categoricalCrossEntropyFromLogits', labels, logits, 'logits');
  const { max, rest } = logSumExpParts(logits);
  const shift = Math.log1p(rest);
  let total = 0;
  labels.forEach((y, k) => {
    if (y !== 0) total += y * ((max - logits[k]!) + shift); // skip 0 · (...) so a -Infinity logit of an unused class is harmless
  });
  return total;
}

/**
 * Mean categorical cross-entropy of `labels[N][K]` against `logits[N][K]`, computed with
 * log-sum-exp (equals `tf.losses.softmaxCrossEntropy(labels, logits)`).
 */
export function categoricalCrossEntropyWithLogits(labels: Rows, logits: Rows): number {
  checkRows('categoricalCrossEntropyWithLogits', labels, logits, 'logits');
  return mean(labels.map((row, i) => categoricalCrossEntropyFromLogits(row, logits[i]!)));
}

/**
 * $\partial L / \partial z_{ik} = (p_{ik} \sum_j y_{ij} - y_{ik}) / N$ with $p_i = \mathrm{softmax}(z_i)$:
 * $(p_{ik} - y_{ik})/N$ for one-hot (or any normalised) labels. Shape `[N][K]`.
 */
export function categoricalCrossEntropyWithLogitsGradient(labels: Rows, logits: Rows): number[][] {
  checkRows('categoricalCrossEntropyWithLogitsGradient', labels, logits, 'logits');
  const n = labels.length;
  return labels.map((row, i) => {
    const p = softmax(logits[i]!);
    const total = row.reduce((a, b) => a + b, 0);
    return p.map((pk, k) => (pk * total - row[k]!) / n);
  });
}

/**
 * The textbook formula evaluated literally: $p_k = e^{z_k} / \sum_j e^{z_j}$, then $-\sum_k y_k \log p_k$.
 * NaN once a logit exceeds about 709 ($e^{z}$ overflows to Infinity, Infinity/Infinity), and
 * Infinity when the true class' $e^{z_k}$ underflows to 0.
 */
export function naiveCategoricalCrossEntropyWithLogits(labels: Rows, logits: Rows): number {
  checkRows('naiveCategoricalCrossEntropyWithLogits', labels, logits, 'logits');
  return mean(labels.map((row, i) => {
    const e = logits[i]!.map((v) => Math.exp(v));
    const s = e.reduce((a, b) => a + b, 0);
    let total = 0;
    row.forEach((y, k) => {
      total -= y * Math.log(e[k]! / s);
    });
    return total;
  }));
}

/**
 * Mean categorical cross-entropy of `labels[N][K]` against predicted probabilities `[N][K]`, the way
 * `tf.metrics.categoricalCrossentropy` computes it: each row is rescaled to sum to 1, clipped to
 * $[\epsilon, 1 - \epsilon]$, then $-\sum_k y_k \log p_k$.
 */
export function categoricalCrossEntropy(labels: Rows, probabilities: Rows, epsilon = PROBABILITY_EPSILON): number {
  checkRows('categoricalCrossEntropy', labels, probabilities, 'probabilities');
  return mean(labels.map((row, i) => {
    const p = probabilities[i]!;
    const s = p.reduce((a, b) => a + b, 0);
    let total = 0;
    row.forEach((y, k) => {
      const q = Math.min(Math.max(p[k]! / s, epsilon), 1 - epsilon);
      total -= y * Math.log(q);
    });
    return total;
  }));
}
