/**
 * Solutions of notebook 03's exercises, kept apart from the learner's notebook and tested by `npm run exercises`.
 */
import { createScratchOptimizer, optimizePath } from 'ai-course';
import { Solutions } from './types';

export const solutions: Solutions = {
  '03.1': {
    answer: (theta: number[], grad: number[], eta: number, lambda: number): number[] => theta.map((t, i) => t - eta * (grad[i]! + lambda * t)),
    wrong: [
      (theta: number[], grad: number[], eta: number, lambda: number): number[] => theta.map((t, i) => t - eta * grad[i]! + lambda * t),
      (theta: number[], grad: number[], eta: number, lambda: number): number[] => theta.map((t, i) => t - eta * (grad[i]! - lambda * t)),
    ],
    explanation: 'The gradient of (λ/2)‖θ‖² is λθ; it joins g inside the step: θ − η(g + λθ). The article\'s θ − ηg + λθ '
      + 'grows the weights by (1 + λ) per step.',
  },
  '03.2': {
    answer: (theta: number[], grad: number[], velocity: number[], eta: number, beta: number) => {
      const v = velocity.map((vi, i) => beta * vi + grad[i]!);
      return { theta: theta.map((t, i) => t - eta * v[i]!), velocity: v };
    },
    wrong: [
      (theta: number[], grad: number[], velocity: number[], eta: number, beta: number) => {
        const v = velocity.map((vi, i) => beta * vi + (1 - beta) * grad[i]!);
        return { theta: theta.map((t, i) => t - eta * v[i]!), velocity: v };
      },
      (theta: number[], grad: number[], velocity: number[], eta: number, beta: number) => {
        const v = velocity.map((vi, i) => beta * vi + grad[i]!);
        return { theta: theta.map((t, i) => t - eta * velocity[i]!), velocity: v };
      },
    ],
    explanation: 'tf.train.momentum keeps v ← βv + g (no 1 − β factor) and then steps θ ← θ − ηv with the new velocity.',
  },
  '03.3': {
    answer: [0, -0.1 * (1e-3 / (1e-3 + 1e-7)), 0.1 * (50 / (50 + 1e-7))],
    wrong: [[0, -1e-4, 5], [-0.1, -0.1, 0.1]],
    explanation: 'At t = 1 the bias-corrected moments are m̂ = g and v̂ = g², so the step is η·g/(|g| + ε): ≈ η·sign(g) for '
      + 'both the tiny and the huge gradient (−0.1 × (10⁻³/(10⁻³ + 10⁻⁷)) = −0.09999), and exactly 0 where g = 0.',
  },
  '03.4': {
    answer: 0.1,
    wrong: [1, 0.2, 0.05],
    explanation: 'The curvatures are 2 and 20; the error along the steep one is multiplied by 1 − 20η per step, which '
      + 'leaves (−1, 1) for η > 2/20 = 0.1.',
  },
  '03.5': {
    answer: ((): number => {
      const steps = [0, 0.5, 0.8, 0.9].map((momentum) => {
        const optimizer = momentum > 0
          ? createScratchOptimizer({ kind: 'momentum', learningRate: 0.05, momentum })
          : createScratchOptimizer({ kind: 'sgd', learningRate: 0.05 });
        const path = optimizePath(optimizer, (t) => [2 * t[0]!, 20 * t[1]!], [1, 1], 2000);
        return path.findIndex((t) => Math.hypot(t[0]!, t[1]!) < 1e-6);
      });
      return [0, 0.5, 0.8, 0.9][steps.indexOf(Math.min(...steps))]!;
    })(),
    wrong: [0.9, 0, 0.8],
    explanation: 'With η = 0.05 the steep direction (curvature 20, ηh = 1) is easy for every β; the flat one (ηh = 0.1) decides. '
      + 'Its error shrinks per step by the spectral radius of momentum: 0.9 for β = 0, √β once the roots are complex '
      + '(β = 0.5: 0.71, β = 0.8: 0.89, β = 0.9: 0.95). So a moderate β is fastest and β = 0.9 is slower than plain descent.',
  },
};
