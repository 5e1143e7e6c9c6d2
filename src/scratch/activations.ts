/**
 * Activation functions (激活函数), from scratch in float64, written to be numerically stable.
 *
 * - ReLU (修正线性单元): $\mathrm{relu}(z) = \max(0, z)$, derivative $1$ for $z > 0$, else $0$.
 * - Sigmoid (S 型函数): $\sigma(z) = 1 / (1 + e^{-z})$, derivative $\sigma(z)(1 - \sigma(z))$.
 *   Evaluated as $e^{z} / (1 + e^{z})$ for $z < 0$ so that no `exp` overflows.
 * - Log-sigmoid: $\log\sigma(z) = \min(z, 0) - \log(1 + e^{-|z|})$, finite for every finite $z$
 *   (the naive `Math.log(sigmoid(z))` is `-Infinity` once $\sigma(z)$ underflows, near $z < -745$).
 * - Softmax (归一化指数函数): $\mathrm{softmax}(z)_k = e^{z_k - m} / \sum_j e^{z_j - m}$ with $m = \max_j z_j$:
 *   subtracting the maximum changes nothing mathematically and keeps every `exp` in $(0, 1]$.
 * - Log-sum-exp: $\mathrm{LSE}(z) = m + \log \sum_j e^{z_j - m}$, and $\log\mathrm{softmax}(z)_k = z_k - \mathrm{LSE}(z)$.
 *
 * Shapes: scalar functions take a number; `softmax`, `logSoftmax` and `logSumExp` take one vector
 * of logits `[K]` (one example, K classes).
 *
 * ```ts
 * sigmoid(0);                 // 0.5
 * logSigmoid(-1000);          // -1000   (Math.log(1 / (1 + Math.exp(1000))) is -Infinity)
 * softmax([1000, 1000]);      // [0.5, 0.5]  (the naive formula gives [NaN, NaN])
 * logSumExp([0, Math.log(3)]); // Math.log(4)
 * ```
 */

/** $\max(0, z)$. */
export function relu(z: number): number {
  return z > 0 ? z : 0;
}

/** $\mathrm{relu}'(z)$: 1 for $z > 0$, 0 otherwise (the subgradient 0 is taken at $z = 0$, as TensorFlow does). */
export function reluDerivative(z: number): number {
  return z > 0 ? 1 : 0;
}

/** The logistic sigmoid $\sigma(z) = 1/(1+e^{-z})$, stable for any $z$ (never evaluates `exp` of a positive number). */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$. */
export function sigmoidDerivative(z: number): number {
  const s = sigmoid(z);
  return s * (1 - s);
}

/** $\mathrm{softplus}(z) = \log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})$, stable. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** $\log \sigma(z) = -\mathrm{softplus}(-z) = \min(z, 0) - \log(1 + e^{-|z|})$, stable. */
export function logSigmoid(z: number): number {
  return Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z)));
}

function checkVector(what: string, z: readonly number[]): void {
  if (z.length === 0) throw new Error(`${what}: the logits vector is empty; give at least one class`);
}

/**
 * The pieces of a stable log-sum-exp: the maximum $m = z_a$, its index $a$, and
 * $r = \sum_{j \ne a} e^{z_j - m}$, so that $\mathrm{LSE}(z) = m + \log(1 + r)$ (evaluated with `log1p`,
 * which keeps the tiny $r$ of a confident prediction that $\log(\sum_j e^{z_j - m})$ would round away).
 */
export function logSumExpParts(z: readonly number[]): { max: number; argmax: number; rest: number } {
  checkVector('logSumExp', z);
  let argmax = 0;
  for (let k = 1; k < z.length; k++) if (z[k]! > z[argmax]! || Number.isNaN(z[k]!)) argmax = k;
  const max = z[argmax]!;
  let rest = 0;
  if (Number.isFinite(max)) {
    for (let k = 0; k < z.length; k++) if (k !== argmax) rest += Math.exp(z[k]! - max);
  }
  return { max, argmax, rest };
}

/** $\mathrm{LSE}(z) = \log\sum_k e^{z_k}$, computed as $m + \log(1 + \sum_{j \ne a} e^{z_j - m})$ with $m = z_a = \max_k z_k$. */
export function logSumExp(z: readonly number[]): number {
  const { max, rest } = logSumExpParts(z);
  if (!Number.isFinite(max)) return max; // -Infinity (every class impossible), +Infinity or NaN propagate
  return max + Math.log1p(rest);
}

/** $\mathrm{softmax}(z)_k = e^{z_k - m} / \sum_j e^{z_j - m}$: a probability vector, stable for large logits. */
export function softmax(z: readonly number[]): number[] {
  checkVector('softmax', z);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** $\log\mathrm{softmax}(z)_k = z_k - \mathrm{LSE}(z) = (z_k - m) - \log(1 + r)$ (never takes the log of an underflowed 0). */
export function logSoftmax(z: readonly number[]): number[] {
  const { max, rest } = logSumExpParts(z);
  const shift = Math.log1p(rest);
  return z.map((v) => (v - max) - shift);
}

/**
 * The Jacobian of softmax, $J_{kj} = \partial p_k / \partial z_j = p_k(\delta_{kj} - p_j)$, as a `[K][K]` array.
 * Its rows sum to 0 (the probabilities always sum to 1).
 */
export function softmaxJacobian(z: readonly number[]): number[][] {
  const p = softmax(z);
  return p.map((pk, k) => p.map((pj, j) => pk * ((k === j ? 1 : 0) - pj)));
}
