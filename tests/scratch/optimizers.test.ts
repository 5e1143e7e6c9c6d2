import * as tf from '@tensorflow/tfjs';
import { maxAbsDifference } from '../../src/scratch/gradcheck';
import {
  AdamOptions, adamStep, articleL2Step, createScratchOptimizer, initAdamState, initMomentumState, momentumSpectralRadius, momentumStep, optimizePath,
  ScratchOptimizerConfig, sgdStep,
} from '../../src/scratch/optimizers';

// The shared problem: fit a line y ≈ w·x + b to 9 fixed points by mean squared error,
//   L(w, b) = (1/N) Σ (w x_i + b − y_i)²,   ∇L = (2/N) Σ (w x_i + b − y_i) · [x_i, 1].
// Its Hessian (2/N) Σ [x_i, 1][x_i, 1]ᵀ has eigenvalues ≈ 12.81 and 0.52 (condition number ≈ 25).
const X = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4];
const Y = X.map((x) => 1.5 * x - 0.8 + 0.3 * Math.sin(3 * x));
const N = X.length;
const START = [-1, 2];
const STEPS = 100;

function lossGradient(theta: readonly number[]): number[] {
  const [w, b] = theta as [number, number];
  let gw = 0;
  let gb = 0;
  X.forEach((x, i) => {
    const r = w * x + b - Y[i]!;
    gw += (2 / N) * r * x;
    gb += (2 / N) * r;
  });
  return [gw, gb];
}

/** Solve (A + shift·I) θ = c for the 2×2 normal equations A = (2/N) Σ [x,1][x,1]ᵀ, c = (2/N) Σ y [x,1]. */
function solveShifted(shift: number): number[] {
  const sxx = (2 / N) * X.reduce((a, x) => a + x * x, 0) + shift;
  const sx = (2 / N) * X.reduce((a, x) => a + x, 0);
  const s1 = 2 + shift;
  const cx = (2 / N) * X.reduce((a, x, i) => a + x * Y[i]!, 0);
  const c1 = (2 / N) * Y.reduce((a, y) => a + y, 0);
  const det = sxx * s1 - sx * sx;
  return [(cx * s1 - sx * c1) / det, (sxx * c1 - sx * cx) / det];
}

/**
 * The same descent in TensorFlow.js: θ is a float32 variable, tf computes the gradient of the same loss
 * (plus (λ/2)‖θ‖² when `l2` is given) and the tf optimizer updates θ. Returns θ_0..θ_steps.
 */
function tfPath(optimizer: tf.Optimizer, steps: number, l2 = 0): number[][] {
  const theta = tf.variable(tf.tensor1d(START));
  const xs = tf.tensor1d(X);
  const ys = tf.tensor1d(Y);
  const path: number[][] = [START.slice()];
  for (let s = 0; s < steps; s++) {
    optimizer.minimize(() => {
      const pred = xs.mul(theta.gather(0)).add(theta.gather(1));
      const mse = pred.sub(ys).square().mean();
      return (l2 > 0 ? mse.add(theta.square().sum().mul(l2 / 2)) : mse) as tf.Scalar;
    }, false, [theta]);
    path.push(Array.from(theta.dataSync()));
  }
  tf.dispose([theta, xs, ys]);
  optimizer.dispose();
  return path;
}

function scratchPath(config: ScratchOptimizerConfig, steps: number): number[][] {
  return optimizePath(createScratchOptimizer(config), lossGradient, START, steps);
}

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

describe('update rules by hand', () => {
  test('SGD with L2 is θ − η(g + λθ)', () => {
    const next = sgdStep([1, 2], [0.5, -1], { learningRate: 0.1, weightDecay: 0.01 });
    expect(next[0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.01 * 1), 15);
    expect(next[1]).toBeCloseTo(2 - 0.1 * (-1 + 0.01 * 2), 15);
    expect(sgdStep([1], [0.5], { learningRate: 0.1 })).toEqual([0.95]);
    // The article's sign: θ − ηg + λθ.
    expect(articleL2Step([1, 2], [0.5, -1], { learningRate: 0.1, weightDecay: 0.01 })[0]).toBeCloseTo(1 - 0.05 + 0.01, 15);
  });

  test('momentum accumulates v ← βv + g and steps θ ← θ − ηv (and Nesterov θ − η(g + βv))', () => {
    const opts = { learningRate: 0.1, momentum: 0.9 };
    let state = initMomentumState(1);
    let r = momentumStep([1], [2], state, opts);
    expect(r.state.velocity[0]).toBe(2);
    expect(r.params[0]).toBeCloseTo(1 - 0.1 * 2, 15);
    state = r.state;
    r = momentumStep(r.params, [1], state, opts);
    expect(r.state.velocity[0]).toBeCloseTo(0.9 * 2 + 1, 15);
    expect(r.params[0]).toBeCloseTo(0.8 - 0.1 * 2.8, 15);
    const n = momentumStep([1], [1], { velocity: [2] }, { ...opts, nesterov: true });
    expect(n.params[0]).toBeCloseTo(1 - 0.1 * (1 + 0.9 * 2.8), 15);
  });

  test('Adam with bias correction: step 1 moves by η·g/(|g| + ε); step 2 by hand', () => {
    const opts = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const r1 = adamStep([1, 2], [0.5, -1], initAdamState(2), opts);
    expect(r1.params[0]).toBeCloseTo(1 - 0.1 * 0.5 / (0.5 + 1e-7), 15);
    expect(r1.params[1]).toBeCloseTo(2 + 0.1 * 1 / (1 + 1e-7), 15);
    expect(r1.state.t).toBe(1);
    const r2 = adamStep(r1.params, [0.2, 0], r1.state, opts);
    const m = 0.9 * 0.05 + 0.1 * 0.2;
    const v = 0.999 * 0.001 * 0.25 + 0.001 * 0.04;
    const mHat = m / (1 - 0.9 ** 2);
    const vHat = v / (1 - 0.999 ** 2);
    expect(r2.state.m[0]).toBeCloseTo(m, 15);
    expect(r2.state.v[0]).toBeCloseTo(v, 15);
    expect(r2.params[0]).toBeCloseTo(r1.params[0]! - 0.1 * mHat / (Math.sqrt(vHat) + 1e-7), 14);
    // Without bias correction step 1 would move by η·0.1·g/(sqrt(0.001)|g|) ≈ 0.316 η: the test above rules that out.
  });

  test('bad inputs are rejected with a message', () => {
    expect(() => sgdStep([1, 2], [1], { learningRate: 0.1 })).toThrow(/2 parameters but 1 gradient/);
    expect(() => sgdStep([1], [1], { learningRate: 0 })).toThrow(/learningRate must be a positive/);
  });
});

describe('against tf.train over 100 steps on the line-fit problem', () => {
  // What is compared: the whole path θ_0..θ_100 (101 points × 2 parameters). Ours uses the analytic
  // gradient; tf uses its own autodiff gradient of the same loss, in float32 on the cpu backend.
  // Ours runs with `precision: 'float32'`: the same formulas, but every stored number (θ, velocity, m, v,
  // β^t and the constants) rounded with Math.fround as tf stores them. Tolerance: 1e-6 absolute at every
  // step, for θ of order 1 where float32 spacing is 6e-8 to 1.2e-7 (measured: at most 6e-7).
  const TOL = 1e-6;
  const cases: { name: string; ours: ScratchOptimizerConfig; tf: () => tf.Optimizer; l2?: number }[] = [
    { name: 'sgd', ours: { kind: 'sgd', learningRate: 0.05 }, tf: () => tf.train.sgd(0.05) },
    { name: 'sgd + L2', ours: { kind: 'sgd', learningRate: 0.05, weightDecay: 0.1 }, tf: () => tf.train.sgd(0.05), l2: 0.1 },
    { name: 'momentum', ours: { kind: 'momentum', learningRate: 0.01, momentum: 0.9 }, tf: () => tf.train.momentum(0.01, 0.9) },
    { name: 'nesterov', ours: { kind: 'momentum', learningRate: 0.01, momentum: 0.9, nesterov: true }, tf: () => tf.train.momentum(0.01, 0.9, true) },
    { name: 'adam', ours: { kind: 'adam', learningRate: 0.05 }, tf: () => tf.train.adam(0.05) },
    { name: 'adam β=(0.8, 0.99)', ours: { kind: 'adam', learningRate: 0.02, beta1: 0.8, beta2: 0.99 }, tf: () => tf.train.adam(0.02, 0.8, 0.99) },
    // Adam + L2 (weightDecay, not decoupled) is tf.train.adam on the loss plus (λ/2)‖θ‖²: the course's Adam models.
    { name: 'adam + L2', ours: { kind: 'adam', learningRate: 0.05, weightDecay: 0.1 }, tf: () => tf.train.adam(0.05), l2: 0.1 },
  ];
  test.each(cases)('$name: max |θ_ours − θ_tf| ≤ 1e-6 at every step', ({ ours, tf: makeTf, l2 }) => {
    const a = scratchPath({ ...ours, precision: 'float32' }, STEPS);
    const b = tfPath(makeTf(), STEPS, l2 ?? 0);
    expect(maxAbsDifference(a, b)).toBeLessThanOrEqual(TOL);
    // The paths really move (so agreement is not trivial): θ travels more than 0.5 from the start.
    expect(maxAbsDifference(a[STEPS]!, START)).toBeGreaterThan(0.5);
    // The float32 storage only rounds: the float64 path is within 2e-5 of it.
    expect(maxAbsDifference(scratchPath(ours, STEPS), a)).toBeLessThan(2e-5);
  });

  test('in float64, SGD and momentum still agree with tf to 1e-6; Adam differs by ~1.5e-5, all of it float32 β2^t', () => {
    for (const c of cases.filter((k) => k.ours.kind !== 'adam')) {
      expect(maxAbsDifference(scratchPath(c.ours, STEPS), tfPath(c.tf(), STEPS, c.l2 ?? 0))).toBeLessThanOrEqual(TOL);
    }
    const adam = cases.find((k) => k.name === 'adam')!;
    const ours64 = scratchPath(adam.ours, STEPS);
    const ours32 = scratchPath({ ...adam.ours, precision: 'float32' }, STEPS);
    const viaTf = tfPath(adam.tf(), STEPS);
    const gap = maxAbsDifference(ours64, viaTf);
    expect(gap).toBeGreaterThan(TOL);
    expect(gap).toBeLessThan(3e-5);
    // In float32, β2 = 0.999 is stored as 0.99900001287, so the step-1 bias correction 1 − β2 is off by 1.3e-5 (relative).
    expect((1 - Math.fround(0.999)) / 0.001 - 1).toBeCloseTo(-1.287e-5, 8);
    // The same gap separates our own float64 and float32 runs: precision, not a formula, explains it.
    expect(Math.abs(maxAbsDifference(ours64, ours32) - gap)).toBeLessThan(TOL);
  });
});

describe('the L2 sign', () => {
  test('θ − η(∇L + λθ) converges to the ridge solution; the article\'s θ − η∇L + λθ diverges', () => {
    const eta = 0.05;
    const lambda = 0.1;
    const ridge = solveShifted(lambda);
    const good = scratchPath({ kind: 'sgd', learningRate: eta, weightDecay: lambda }, 1000);
    expect(maxAbsDifference(good[1000]!, ridge)).toBeLessThan(1e-9);
    const bad = scratchPath({ kind: 'article-l2', learningRate: eta, weightDecay: lambda }, 200);
    // λ = 0.1 > η·h_min ≈ 0.026, so the smallest-curvature direction grows by ≈ 1 + λ − η·h_min ≈ 1.074 per step.
    expect(Math.hypot(...bad[200]!)).toBeGreaterThan(1e5);
    expect(Math.hypot(...bad[200]!) / Math.hypot(...bad[199]!)).toBeCloseTo(1.074, 2);
  });

  test('with λ < η·h_min the article\'s rule converges, but to the wrong point: ∇L(θ) = (λ/η)θ', () => {
    const eta = 0.05;
    const lambda = 0.01;
    const bad = scratchPath({ kind: 'article-l2', learningRate: eta, weightDecay: lambda }, 3000);
    expect(maxAbsDifference(bad[3000]!, solveShifted(-lambda / eta))).toBeLessThan(1e-9);
    expect(maxAbsDifference(bad[3000]!, solveShifted(lambda))).toBeGreaterThan(0.1);
  });
});

describe('heavy-ball stability', () => {
  test('the spectral radius is below 1 exactly for 0 < ηh < 2(1 + β), for several β', () => {
    for (const beta of [0, 0.5, 0.9, 0.99]) {
      const limit = 2 * (1 + beta);
      for (const f of [0.01, 0.3, 0.7, 0.99]) expect(momentumSpectralRadius(f * limit, beta)).toBeLessThan(1);
      for (const f of [-0.01, 1.01, 1.5]) expect(momentumSpectralRadius(f * limit, beta)).toBeGreaterThan(1);
    }
    expect(momentumSpectralRadius(0.5, 0.9)).toBeCloseTo(Math.sqrt(0.9), 15);
    expect(() => momentumSpectralRadius(Number.NaN, 0.9)).toThrow(/must be finite/);
  });
  test('it is the rate the momentum step itself shrinks the error by, on a one-dimensional quadratic', () => {
    // L(θ) = h θ²/2, gradient hθ; after many steps |θ_{t+1}/θ_t| tends to the spectral radius (real roots here).
    const h = 2, eta = 0.1, beta = 0.1; // ηh = 0.2: real roots 0.770 and 0.130, so the ratio settles
    let state = initMomentumState(1);
    let theta = [1];
    let previous = 1;
    let ratio = 0;
    for (let t = 0; t < 200; t++) {
      const r = momentumStep(theta, [h * theta[0]!], state, { learningRate: eta, momentum: beta, precision: 'float64' });
      theta = r.params;
      state = r.state;
      ratio = Math.abs(theta[0]! / previous);
      previous = theta[0]!;
    }
    expect(ratio).toBeCloseTo(momentumSpectralRadius(eta * h, beta), 10);
  });
});

describe('weight decay with Adam: L2 in the loss (Adam + L2) or decoupled (AdamW)', () => {
  /** n steps of adamStep on the gradient `grad(θ)`, from `start`. */
  function adamRun(start: number[], grad: (theta: readonly number[]) => number[], steps: number, options: AdamOptions): number[][] {
    return optimizePath(createScratchOptimizer({ kind: 'adam', ...options }), grad, start, steps);
  }

  test('with λ = 0 both are plain Adam, bit for bit', () => {
    const plain = scratchPath({ kind: 'adam', learningRate: 0.05 }, 50);
    expect(scratchPath({ kind: 'adam', learningRate: 0.05, weightDecay: 0 }, 50)).toEqual(plain);
    expect(scratchPath({ kind: 'adam', learningRate: 0.05, weightDecay: 0, decoupledWeightDecay: true }, 50)).toEqual(plain);
    // …and λ > 0 does change both (the options are not ignored).
    expect(maxAbsDifference(scratchPath({ kind: 'adam', learningRate: 0.05, weightDecay: 0.1 }, 50), plain)).toBeGreaterThan(1e-3);
    expect(maxAbsDifference(scratchPath({ kind: 'adam', learningRate: 0.05, weightDecay: 0.1, decoupledWeightDecay: true }, 50), plain)).toBeGreaterThan(1e-3);
  });

  test('AdamW by hand: two steps of θ − η(m̂/(√v̂ + ε) + λθ), the moments fed with g alone', () => {
    const o = { learningRate: 0.1, weightDecay: 0.01, decoupledWeightDecay: true };
    const r1 = adamStep([1, -2], [0.5, 0], initAdamState(2), o);
    // Step 1: m̂ = g, v̂ = g², so the adaptive step is g/(|g| + ε); the zero-gradient weight only decays.
    expect(r1.params[0]).toBeCloseTo(1 - 0.1 * (0.5 / (0.5 + 1e-7) + 0.01 * 1), 15);
    expect(r1.params[1]).toBeCloseTo(-2 * (1 - 0.1 * 0.01), 15);
    // m = 0.1·g, not 0.1·(g + λθ): the decay never enters the moments.
    expect(r1.state.m[0]).toBeCloseTo(0.05, 16);
    expect(r1.state.m[1]).toBe(0);
    const r2 = adamStep(r1.params, [0.2, 0], r1.state, o);
    const m = 0.9 * 0.05 + 0.1 * 0.2;
    const v = 0.999 * 0.001 * 0.25 + 0.001 * 0.04;
    const adaptive = (m / (1 - 0.9 ** 2)) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-7);
    expect(r2.params[0]).toBeCloseTo(r1.params[0]! - 0.1 * (adaptive + 0.01 * r1.params[0]!), 14);
    expect(r2.params[1]).toBeCloseTo(-2 * (1 - 0.1 * 0.01) ** 2, 15);
  });

  test('Adam + L2 by hand: the moments are fed with g + λθ', () => {
    const o = { learningRate: 0.1, weightDecay: 0.01 };
    const r1 = adamStep([1, -2], [0.5, 0], initAdamState(2), o);
    const g = [0.5 + 0.01 * 1, 0 + 0.01 * -2];
    expect(r1.state.m[0]).toBeCloseTo(0.1 * g[0]!, 16);
    expect(r1.state.m[1]).toBeCloseTo(0.1 * g[1]!, 16);
    expect(r1.state.v[1]).toBeCloseTo(0.001 * g[1]! ** 2, 18);
    // Step 1 is η·(g + λθ)/(|g + λθ| + ε): the zero-gradient weight moves by ≈ η = 0.1, not by ηλθ = 0.002.
    expect(r1.params[0]).toBeCloseTo(1 - 0.1 * g[0]! / (Math.abs(g[0]!) + 1e-7), 15);
    expect(r1.params[1]).toBeCloseTo(-2 - 0.1 * g[1]! / (Math.abs(g[1]!) + 1e-7), 15);
  });

  test('on a weight whose loss gradient is 0, AdamW shrinks it by exactly (1 − ηλ) per step; Adam + L2 moves it by ≈ η whatever λ', () => {
    const eta = 0.01;
    const zero = (): number[] => [0];
    const l2Paths: number[][] = [];
    for (const lambda of [1e-3, 0.1, 10]) {
      const w = adamRun([1], zero, 30, { learningRate: eta, weightDecay: lambda, decoupledWeightDecay: true });
      w.forEach((theta, t) => expect(Math.abs(theta[0]! / (1 - eta * lambda) ** t - 1)).toBeLessThan(1e-13));
      const l2 = adamRun([1], zero, 30, { learningRate: eta, weightDecay: lambda });
      // The first step is η·λθ/(λθ + ε) ≈ η: the size of λ has cancelled out.
      expect(1 - l2[1]![0]!).toBeCloseTo(eta * lambda / (lambda + 1e-7), 15);
      expect(Math.abs(1 - l2[1]![0]! - eta)).toBeLessThan(1e-6);
      l2Paths.push(l2.map((p) => p[0]!));
    }
    // Adam divides λθ by its own RMS, so λ = 0.001 and λ = 10 give the same path (up to ε); AdamW's differ a lot.
    expect(maxAbsDifference(l2Paths[0]!, l2Paths[2]!)).toBeLessThan(1e-4);
    expect((1 - eta * 1e-3) ** 30 - (1 - eta * 10) ** 30).toBeGreaterThan(0.9);
  });

  test('on ½h(θ − 1)², AdamW\'s path is the same for h = 100 and h = 0.01; Adam + L2 ends at the ridge point h/(h + λ)', () => {
    // Adam is blind to the gradient's scale h; AdamW keeps that; Adam + L2 does not, because λθ is compared with hθ.
    const lambda = 0.1;
    const steps = 1000;
    const opts = { learningRate: 0.01, weightDecay: lambda };
    const quadratic = (h: number) => (theta: readonly number[]): number[] => [h * (theta[0]! - 1)];
    const w100 = adamRun([0], quadratic(100), steps, { ...opts, decoupledWeightDecay: true }).map((p) => p[0]!);
    const wSmall = adamRun([0], quadratic(0.01), steps, { ...opts, decoupledWeightDecay: true }).map((p) => p[0]!);
    expect(maxAbsDifference(w100, wSmall)).toBeLessThan(1e-4);
    expect(1 - w100[steps]!).toBeGreaterThan(1e-3);   // and it does shrink: θ stays below the loss' minimum 1
    for (const h of [100, 1, 0.01]) {
      const end = adamRun([0], quadratic(h), steps, opts)[steps]![0]!;
      expect(Math.abs(end - h / (h + lambda))).toBeLessThan(1e-6);
    }
  });

  test('a negative or non-finite weightDecay is rejected', () => {
    expect(() => adamStep([1], [1], initAdamState(1), { learningRate: 0.1, weightDecay: -0.1 })).toThrow(/weightDecay must be a finite number ≥ 0/);
    expect(() => adamStep([1], [1], initAdamState(1), { learningRate: 0.1, weightDecay: Number.NaN, decoupledWeightDecay: true })).toThrow(/weightDecay/);
  });
});
