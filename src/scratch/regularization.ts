/**
 * Regularization (正则化): the L2 penalty (权重衰减) and inverted dropout (反向缩放的随机失活).
 *
 * **L2.** Adding $\frac{\lambda}{2}\lVert\theta\rVert^2$ to the loss adds $\lambda\theta$ to its gradient, so one
 * gradient-descent step becomes $\theta \leftarrow \theta - \eta(\nabla L + \lambda\theta) = (1 - \eta\lambda)\theta - \eta\nabla L$:
 * the weights shrink by the factor $1 - \eta\lambda$ each step ("weight decay"). The $\frac{1}{2}$ is a
 * convention that makes the gradient exactly $\lambda\theta$; `tf.regularizers.l2({l2: c})` has no $\frac{1}{2}$
 * (it adds $c\lVert\theta\rVert^2$), so it equals `l2Penalty(θ, 2c)`.
 *
 * **Inverted dropout.** During training each activation is kept with probability $1 - r$ and
 * dropped (set to 0) with probability $r$ (the *rate*); a kept activation is divided by $1 - r$.
 * The mask $m_i \in \{0, \frac{1}{1-r}\}$ then has
 * $$\mathbb{E}[m_i] = (1 - r)\cdot\frac{1}{1 - r} = 1, \qquad \mathrm{Var}[m_i] = \frac{1 - r}{(1 - r)^2} - 1 = \frac{r}{1 - r},$$
 * so $\mathbb{E}[m_i x_i] = x_i$: the expected activation is unchanged, and at test time the layer is
 * simply the identity (no rescaling). This is what `tf.dropout` and `tf.layers.dropout` do.
 *
 * ```ts
 * l2Penalty([3, 4], 0.1);           // 0.05 · 25 = 1.25
 * l2PenaltyGradient([3, 4], 0.1);   // [0.3, 0.4]
 * seed(0); dropoutMask(5, 0.5);     // e.g. [2, 0, 2, 2, 0]
 * ```
 */
import { random } from '../training/random';

/** $\frac{\lambda}{2}\sum_i \theta_i^2$. */
export function l2Penalty(weights: readonly number[], lambda: number): number {
  let s = 0;
  for (const w of weights) s += w * w;
  return 0.5 * lambda * s;
}

/** $\nabla_\theta \frac{\lambda}{2}\lVert\theta\rVert^2 = \lambda\theta$. */
export function l2PenaltyGradient(weights: readonly number[], lambda: number): number[] {
  return weights.map((w) => lambda * w);
}

function checkRate(what: string, rate: number): void {
  if (!(rate >= 0 && rate < 1)) throw new Error(`${what}: the dropout rate must be in [0, 1), got ${rate}`);
}

/**
 * An inverted-dropout mask of `size` entries: each is 0 with probability `rate` and $1/(1-\text{rate})$
 * otherwise. Draws from the course generator (`seed()` makes it repeat) unless `rng` is given.
 */
export function dropoutMask(size: number, rate: number, rng: () => number = random): number[] {
  checkRate('dropoutMask', rate);
  if (!Number.isInteger(size) || size < 0) throw new Error(`dropoutMask: size must be a non-negative integer, got ${size}`);
  const keep = 1 / (1 - rate);
  return Array.from({ length: size }, () => (rng() < rate ? 0 : keep));
}

/** Training-time inverted dropout of `x`: `x[i] * mask[i]`; returns the output and the mask used. */
export function invertedDropout(x: readonly number[], rate: number, rng: () => number = random): { output: number[]; mask: number[] } {
  const mask = dropoutMask(x.length, rate, rng);
  return { output: x.map((v, i) => v * mask[i]!), mask };
}

/** The exact mean and variance of one inverted-dropout mask entry: $1$ and $r/(1-r)$. */
export function dropoutMaskMoments(rate: number): { mean: number; variance: number } {
  checkRate('dropoutMaskMoments', rate);
  return { mean: 1, variance: rate / (1 - rate) };
}
