/**
 * Optimizers (优化器) from scratch: gradient descent with L2 weight decay, momentum (动量) and Adam
 * (自适应矩估计), written as pure update rules on plain parameter vectors `number[]`. They compute in
 * float64; `precision: 'float32'` stores every result as float32 does, to compare step for step with
 * TensorFlow.js (whose tensors are float32).
 *
 * Notation: parameters $\theta_t$, gradient $g_t = \nabla L(\theta_t)$, learning rate (学习率) $\eta$.
 *
 * - **SGD with L2 (权重衰减):** minimising $L(\theta) + \frac{\lambda}{2}\lVert\theta\rVert^2$ gives
 *   $\theta_{t+1} = \theta_t - \eta\,(g_t + \lambda\theta_t)$. Writing it as $\theta - \eta g + \lambda\theta$ (a sign
 *   error seen in the wild; `articleL2Step` below) makes the weights *grow* by $1 + \lambda$ per step: that is
 *   gradient descent on $L(\theta) - \frac{\lambda}{2\eta}\lVert\theta\rVert^2$, which is unbounded below as soon as
 *   $\lambda/\eta$ exceeds the smallest curvature of $L$, and then it diverges.
 * - **Momentum** (as `tf.train.momentum`): $v_{t+1} = \beta v_t + g_t$, $\theta_{t+1} = \theta_t - \eta v_{t+1}$, with $v_0 = 0$;
 *   Nesterov: $\theta_{t+1} = \theta_t - \eta\,(g_t + \beta v_{t+1})$.
 * - **Adam** (as `tf.train.adam`): $m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t$, $v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2$,
 *   bias correction $\hat m_t = m_t / (1 - \beta_1^t)$, $\hat v_t = v_t / (1 - \beta_2^t)$, and
 *   $\theta_t = \theta_{t-1} - \eta\,\hat m_t / (\sqrt{\hat v_t} + \epsilon)$; $t$ counts from 1, $m_0 = v_0 = 0$.
 *   TensorFlow.js' default $\epsilon$ is $10^{-7}$ (the paper's is $10^{-8}$).
 * - **Adam with weight decay** (`weightDecay` $\lambda$), two ways. *Adam + L2* (default): the penalty
 *   $\frac{\lambda}{2}\lVert\theta\rVert^2$ is part of the loss, so $g_t + \lambda\theta_{t-1}$ enters $m$ and $v$ and
 *   the decay is divided by $\sqrt{\hat v_t}$ like the rest of the gradient — what `tf.train.adam` does on a loss with
 *   an L2 term. *AdamW* (`decoupledWeightDecay: true`, Loshchilov & Hutter 2019): the moments see $g_t$ only, and
 *   $\theta_t = \theta_{t-1} - \eta\,\bigl(\hat m_t / (\sqrt{\hat v_t} + \epsilon) + \lambda\theta_{t-1}\bigr)$: every weight is
 *   shrunk by $1 - \eta\lambda$ per step whatever its gradient (the decay scaled by $\eta$, as PyTorch's and Keras'
 *   `AdamW`; the paper multiplies it by the schedule factor $\eta_t$ instead of the step size).
 *
 * ```ts
 * sgdStep([1, 2], [0.5, -1], { learningRate: 0.1, weightDecay: 0.01 });   // [0.949, 2.098]
 * const r = adamStep([1, 2], [0.5, -1], initAdamState(2), { learningRate: 0.1 });
 * r.params;                                    // ≈ [0.9, 2.1]: step 1 moves each θ by η·sign(g)
 * // AdamW on a weight whose gradient is 0: shrunk by exactly 1 − ηλ = 0.99 (Adam + L2 would move it by ≈ η = 0.1).
 * adamStep([1, 2], [0.5, 0], initAdamState(2), { learningRate: 0.1, weightDecay: 0.1, decoupledWeightDecay: true }).params;
 * // ≈ [0.89, 1.98]
 * // 100 momentum steps on f(θ) = θ₀² + 10θ₁² (gradient [2θ₀, 20θ₁]): 101 points from [1, 1] towards [0, 0].
 * const path = optimizePath(createScratchOptimizer({ kind: 'momentum', learningRate: 0.01, momentum: 0.9 }),
 *   (θ) => [2 * θ[0]!, 20 * θ[1]!], [1, 1], 100);
 * ```
 */

/**
 * How updated values are stored: `'float64'` (default, plain JS numbers) or `'float32'`, which rounds every
 * stored number (parameters, optimizer state, Adam's running powers $\beta^t$) with `Math.fround` after each
 * step, as a float32 framework such as TensorFlow.js stores them. The formulas are the same.
 */
export type StoredPrecision = 'float64' | 'float32';

function storer(precision: StoredPrecision | undefined): (x: number) => number {
  return precision === 'float32' ? Math.fround : (x: number) => x;
}

export interface SgdOptions {
  learningRate: number;
  precision?: StoredPrecision;
  /** L2 coefficient $\lambda$: the gradient of $\frac{\lambda}{2}\lVert\theta\rVert^2$ is added (default 0). */
  weightDecay?: number;
}

export interface MomentumOptions {
  learningRate: number;
  /** $\beta$, e.g. 0.9. */
  momentum: number;
  nesterov?: boolean;
  precision?: StoredPrecision;
}

export interface AdamOptions {
  learningRate: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7, as TensorFlow.js on float32 backends. */
  epsilon?: number;
  precision?: StoredPrecision;
  /**
   * Weight decay $\lambda \ge 0$ (default 0). How it enters is `decoupledWeightDecay`'s choice: by default as the
   * gradient $\lambda\theta$ of an L2 term $\frac{\lambda}{2}\lVert\theta\rVert^2$ in the loss (Adam + L2).
   */
  weightDecay?: number;
  /**
   * `true`: AdamW — the decay $\eta\lambda\theta$ is subtracted outside the adaptive step, not divided by $\sqrt{\hat v}$.
   * `false` (default): Adam + L2. Irrelevant when `weightDecay` is 0.
   */
  decoupledWeightDecay?: boolean;
}

/** Momentum's running sum of gradients ("velocity"). */
export interface MomentumState {
  velocity: number[];
}

/**
 * Adam's first and second moment estimates, the step count $t$ (0 before the first step) and the running
 * powers $\beta_1^t$, $\beta_2^t$ used by the bias correction (kept as products, as TensorFlow.js does).
 */
export interface AdamState {
  m: number[];
  v: number[];
  t: number;
  beta1Power: number;
  beta2Power: number;
}

function checkSizes(what: string, params: readonly number[], grads: readonly number[]): void {
  if (params.length !== grads.length) {
    throw new Error(`${what}: ${params.length} parameters but ${grads.length} gradient entries; give one gradient per parameter`);
  }
}

function checkRate(what: string, learningRate: number): void {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`${what}: learningRate must be a positive number, got ${learningRate}`);
}

/** One gradient-descent step with L2: $\theta - \eta(g + \lambda\theta)$. */
export function sgdStep(params: readonly number[], grads: readonly number[], options: SgdOptions): number[] {
  checkSizes('sgdStep', params, grads);
  checkRate('sgdStep', options.learningRate);
  const store = storer(options.precision);
  const eta = store(options.learningRate);
  const lambda = store(options.weightDecay ?? 0);
  return params.map((p, i) => store(p - eta * (grads[i]! + lambda * p)));
}

/**
 * WRONG on purpose: the update $\theta - \eta g + \lambda\theta$ with the sign error, kept so the course can
 * show it diverging. Never use it to train.
 */
export function articleL2Step(params: readonly number[], grads: readonly number[], options: SgdOptions): number[] {
  checkSizes('articleL2Step', params, grads);
  const eta = options.learningRate;
  const lambda = options.weightDecay ?? 0;
  return params.map((p, i) => p - eta * grads[i]! + lambda * p);
}

/** Zero velocity for `size` parameters. */
export function initMomentumState(size: number): MomentumState {
  return { velocity: new Array<number>(size).fill(0) };
}

/** One momentum step: $v \leftarrow \beta v + g$, $\theta \leftarrow \theta - \eta v$ (or Nesterov's $\theta - \eta(g + \beta v)$). */
export function momentumStep(params: readonly number[], grads: readonly number[], state: MomentumState,
  options: MomentumOptions): { params: number[]; state: MomentumState } {
  checkSizes('momentumStep', params, grads);
  checkSizes('momentumStep (state)', params, state.velocity);
  checkRate('momentumStep', options.learningRate);
  const store = storer(options.precision);
  const eta = store(options.learningRate);
  const beta = store(options.momentum);
  const velocity = state.velocity.map((v, i) => store(beta * v + grads[i]!));
  const next = params.map((p, i) => store(options.nesterov
    ? p - eta * (grads[i]! + beta * velocity[i]!)
    : p - eta * velocity[i]!));
  return { params: next, state: { velocity } };
}

/**
 * How fast heavy-ball momentum shrinks (or grows) the error along one curvature $h$ of a quadratic: the spectral
 * radius of $e_{t+1} = (1 + \beta - \eta h)\,e_t - \beta\,e_{t-1}$, i.e. the larger $|r|$ of the roots of
 * $r^2 - (1 + \beta - \eta h)\,r + \beta = 0$. Below 1 the error shrinks by about that factor per step; at or above 1
 * it does not. Stable exactly for $0 < \eta h < 2(1 + \beta)$ when $0 \le \beta < 1$ (notebook 03 §3 derives it).
 *
 * @param etaH the learning rate times the curvature, $\eta h$
 * @param beta the momentum $\beta$
 * @example momentumSpectralRadius(0.5, 0.9) // 0.9487 = √0.9 (complex roots: |r|² = β)
 * momentumSpectralRadius(3.9, 0.9)         // 1.316: ηh is above 2(1 + β) = 3.8, the error grows
 */
export function momentumSpectralRadius(etaH: number, beta: number): number {
  if (!Number.isFinite(etaH) || !Number.isFinite(beta)) throw new Error(`momentumSpectralRadius: ηh and β must be finite numbers, got ${etaH}, ${beta}`);
  const a = 1 + beta - etaH;
  const disc = a * a - 4 * beta;
  if (disc < 0) return Math.sqrt(beta); // a complex pair: |r|² is their product, β
  const s = Math.sqrt(disc);
  return Math.max(Math.abs((a + s) / 2), Math.abs((a - s) / 2));
}

/** Zero moments for `size` parameters, $t = 0$. */
export function initAdamState(size: number): AdamState {
  return { m: new Array<number>(size).fill(0), v: new Array<number>(size).fill(0), t: 0, beta1Power: 1, beta2Power: 1 };
}

/**
 * One Adam step with bias correction (see the file comment), optionally with weight decay: Adam + L2 (the
 * decay's gradient $\lambda\theta$ joins $g$ before the moments) or AdamW (`decoupledWeightDecay`: the moments see $g$
 * alone and the step subtracts $\eta\lambda\theta$ besides the adaptive step).
 *
 * @param params $\theta_{t-1}$, one entry per parameter (length n)
 * @param grads $g_t = \nabla L(\theta_{t-1})$ of the loss *without* the decay term (length n)
 * @param state the moments after step $t - 1$ (`initAdamState(n)` before the first step); not modified
 * @returns $\theta_t$ (length n) and the state after step $t$
 * @example
 * // Adam + L2 and AdamW, one step from θ = [1, −2] with g = [0.5, 0], η = 0.1, λ = 0.01:
 * const o = { learningRate: 0.1, weightDecay: 0.01 };
 * adamStep([1, -2], [0.5, 0], initAdamState(2), o).params;   // ≈ [0.9, −1.9]: both move by η·sign(g + λθ)
 * adamStep([1, -2], [0.5, 0], initAdamState(2), { ...o, decoupledWeightDecay: true }).params;
 * // ≈ [0.899, −1.998]: θ − η(sign(g) + λθ); the weight with g = 0 shrinks by the factor 1 − ηλ
 */
export function adamStep(params: readonly number[], grads: readonly number[], state: AdamState,
  options: AdamOptions): { params: number[]; state: AdamState } {
  checkSizes('adamStep', params, grads);
  checkSizes('adamStep (state)', params, state.m);
  checkRate('adamStep', options.learningRate);
  const decay = options.weightDecay ?? 0;
  if (!(decay >= 0) || !Number.isFinite(decay)) throw new Error(`adamStep: weightDecay must be a finite number ≥ 0, got ${decay}`);
  const store = storer(options.precision);
  const eta = store(options.learningRate);
  const lambda = store(decay);
  const decoupled = options.decoupledWeightDecay === true;
  // Adam + L2: the penalty's gradient λθ is part of the gradient the moments see. AdamW: they see g alone.
  const g = decoupled || lambda === 0 ? grads : grads.map((gi, i) => gi + lambda * params[i]!);
  // Constants are stored like the values: β and 1 − β each rounded once (in float32 mode),
  // exactly as TensorFlow.js turns the JS numbers `beta1` and `1 - beta1` into float32 scalars.
  const beta1 = store(options.beta1 ?? 0.9);
  const beta2 = store(options.beta2 ?? 0.999);
  const oneMinusBeta1 = store(1 - (options.beta1 ?? 0.9));
  const oneMinusBeta2 = store(1 - (options.beta2 ?? 0.999));
  const epsilon = store(options.epsilon ?? 1e-7);
  const t = state.t + 1;
  const beta1Power = store(state.beta1Power * beta1); // β1^t
  const beta2Power = store(state.beta2Power * beta2); // β2^t
  const m = state.m.map((mi, i) => store(beta1 * mi + oneMinusBeta1 * g[i]!));
  const v = state.v.map((vi, i) => store(beta2 * vi + oneMinusBeta2 * g[i]! * g[i]!));
  const c1 = 1 - beta1Power; // bias corrections 1 − β^t
  const c2 = 1 - beta2Power;
  const next = params.map((p, i) => {
    const adaptive = (m[i]! / c1) / (Math.sqrt(v[i]! / c2) + epsilon);
    return store(p - eta * (decoupled ? adaptive + lambda * p : adaptive));
  });
  return { params: next, state: { m, v, t, beta1Power, beta2Power } };
}

/** Which update rule to run, with its hyper-parameters. */
export type ScratchOptimizerConfig =
  | ({ kind: 'sgd' } & SgdOptions)
  | ({ kind: 'article-l2' } & SgdOptions)
  | ({ kind: 'momentum' } & MomentumOptions)
  | ({ kind: 'adam' } & AdamOptions);

/** An update rule with its state kept inside: call `step` once per gradient. */
export interface ScratchOptimizer {
  readonly config: ScratchOptimizerConfig;
  /** The parameters after one update with `grads` (evaluated at `params`). */
  step(params: readonly number[], grads: readonly number[]): number[];
}

/** A stateful optimizer for one of the update rules above. */
export function createScratchOptimizer(config: ScratchOptimizerConfig): ScratchOptimizer {
  let momentum: MomentumState | null = null;
  let adam: AdamState | null = null;
  return {
    config,
    step(params, grads) {
      switch (config.kind) {
        case 'sgd':
          return sgdStep(params, grads, config);
        case 'article-l2':
          return articleL2Step(params, grads, config);
        case 'momentum': {
          const r = momentumStep(params, grads, momentum ?? initMomentumState(params.length), config);
          momentum = r.state;
          return r.params;
        }
        case 'adam': {
          const r = adamStep(params, grads, adam ?? initAdamState(params.length), config);
          adam = r.state;
          return r.params;
        }
        default: {
          const never: never = config;
          throw new Error(`createScratchOptimizer: unknown kind ${JSON.stringify(never)}`);
        }
      }
    },
  };
}

/**
 * Run `steps` updates from `start`, taking the gradient from `gradient(θ)` each time, and return the
 * path $[\theta_0, \theta_1, \ldots, \theta_{\text{steps}}]$ (`steps + 1` points).
 */
export function optimizePath(optimizer: ScratchOptimizer, gradient: (params: readonly number[]) => number[],
  start: readonly number[], steps: number): number[][] {
  const path: number[][] = [start.slice()];
  let theta = start.slice();
  for (let s = 0; s < steps; s++) {
    theta = optimizer.step(theta, gradient(theta));
    path.push(theta);
  }
  return path;
}
