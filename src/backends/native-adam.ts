/**
 * Adam on the native backend without tfjs's per-kernel bookkeeping (原生后端的 Adam): the very TensorFlow ops tfjs's
 * `AdamOptimizer.applyGradients` runs — `Mul`, `Add`, `Square`, `RealDiv`, `Sqrt`, `Sub` — in its order, on the same
 * float32 inputs, issued straight through tfjs-node's binding. The weights, the moments and tfjs's `accBeta1`/`accBeta2`
 * come out **bitwise identical** to tfjs's own step (the same kernels on the same numbers), so every number a notebook
 * prints is unchanged; what goes is the engine's work around each of the 14 element-wise ops per variable (kernel
 * lookup, tape and scope bookkeeping, a tfjs tensor per intermediate and a scalar tensor per constant), about a third
 * of a seed-CNN training step's JavaScript time. Only the three results per variable become tfjs tensors; the
 * intermediates are freed through the binding.
 *
 * TensorFlow's own `ResourceApplyAdam` (one op per variable, what Keras runs) was tried first: it computes the same
 * formula in another float32 order (`m += (g − m)(1 − β₁)`), which put notebook 03's 100-step comparison with
 * `tf.train.adam` 1.5e-5 apart (its check is 1e-6), and it kept three copies of every weight in TensorFlow resources.
 *
 * `COURSE_NATIVE_ADAM=0` switches it off (checked at every step). Float32 variables and gradients only (else tfjs's step).
 * `tests/backends/native-adam.test.ts` trains with it and with tfjs's step and compares every weight and moment bitwise.
 */
import * as tf from '@tensorflow/tfjs';
import { executeDirect, NATIVE_BACKEND as BACKEND, typeAttr } from './native-binding';
import type { NodeBackend, OpAttr, TensorMetadata as Metadata } from './native-binding';

interface NamedTensor { name: string; tensor: tf.Tensor }
/** The parts of tfjs's AdamOptimizer used here (protected in its types). */
interface Adam {
  learningRate: number; beta1: number; beta2: number; epsilon: number;
  accBeta1: tf.Variable; accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

let installed = false;

/**
 * One Adam step for every variable with a gradient, as tfjs's `AdamOptimizer.applyGradients` computes it; false
 * (nothing done) when a variable or gradient is not float32.
 */
function nativeStep(opt: Adam, grads: tf.NamedTensorMap | NamedTensor[]): boolean {
  const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
  const values = names.map((n) => tf.engine().registeredVariables[n]!);
  const gradients = names.map((n, i) => (Array.isArray(grads) ? grads[i]!.tensor : grads[n]) ?? null);
  if (values.some((v, i) => !v || v.dtype !== 'float32' || (gradients[i] !== null && gradients[i]!.dtype !== 'float32'))) return false;
  const b = tf.backend() as unknown as NodeBackend;
  const B = b.binding;
  const attrs: OpAttr[] = [typeAttr(b)];
  const temporaries = new Map<number, Metadata>();
  /** Run a one-output float32 op on binding ids; its result is freed at the end unless adopted. */
  const op = (name: string, ...inputs: number[]): number => {
    const md = executeDirect(b, name, attrs, inputs, 1)[0]!;
    temporaries.set(md.id, md);
    return md.id;
  };
  const scalar = (value: number): number => {
    const id = B.createTensor([], B.TF_FLOAT, new Float32Array([value]));
    temporaries.set(id, { id, shape: [], dtype: B.TF_FLOAT });
    return id;
  };
  /** Hand a result to tfjs (as a tensor in the current tidy scope). */
  const adopt = (id: number): tf.Tensor => {
    const md = temporaries.get(id)!;
    temporaries.delete(id);
    return b.createOutputTensor(md);
  };
  try {
    tf.tidy(() => {
      // tfjs: oneMinusAccBeta1 = sub(1, accBeta1), the same for β₂; the constants become float32 scalars as tfjs makes them.
      const [accBeta1, accBeta2] = b.getInputTensorIds([opt.accBeta1, opt.accBeta2]) as [number, number];
      const one = scalar(1);
      const oneMinusAccBeta1 = op('Sub', one, accBeta1);
      const oneMinusAccBeta2 = op('Sub', one, accBeta2);
      const beta1 = scalar(opt.beta1);
      const beta2 = scalar(opt.beta2);
      const oneMinusBeta1 = scalar(1 - opt.beta1);
      const oneMinusBeta2 = scalar(1 - opt.beta2);
      const epsilon = scalar(opt.epsilon);
      const minusLearningRate = scalar(-opt.learningRate);
      names.forEach((name, i) => {
        const value = values[i]!;
        opt.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        opt.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = gradients[i];
        if (gradient === null) return;
        const firstMoment = opt.accumulatedFirstMoment[i]!.variable;
        const secondMoment = opt.accumulatedSecondMoment[i]!.variable;
        const [m, v, g, x] = b.getInputTensorIds([firstMoment, secondMoment, gradient!, value]) as [number, number, number, number];
        // newFirstMoment = m·β₁ + g·(1 − β₁); newSecondMoment = v·β₂ + g²·(1 − β₂)
        const newM = op('Add', op('Mul', m, beta1), op('Mul', g, oneMinusBeta1));
        const newV = op('Add', op('Mul', v, beta2), op('Mul', op('Square', g), oneMinusBeta2));
        // newValue = (m̂ / (√v̂ + ε))·(−lr) + value, with m̂ = newM / (1 − β₁ᵗ), v̂ = newV / (1 − β₂ᵗ)
        const mHat = op('RealDiv', newM, oneMinusAccBeta1);
        const vHat = op('RealDiv', newV, oneMinusAccBeta2);
        const newValue = op('Add', op('Mul', op('RealDiv', mHat, op('Add', op('Sqrt', vHat), epsilon)), minusLearningRate), x);
        firstMoment.assign(adopt(newM));
        secondMoment.assign(adopt(newV));
        value.assign(adopt(newValue));
      });
      opt.accBeta1.assign(adopt(op('Mul', accBeta1, beta1)));
      opt.accBeta2.assign(adopt(op('Mul', accBeta2, beta2)));
    });
  } finally {
    for (const id of temporaries.keys()) B.deleteTensor(id);
  }
  opt.incrementIterations();
  return true;
}

/**
 * Make tfjs's `AdamOptimizer` take the native step on the `tensorflow` backend while `enabled()` holds (once per process;
 * other backends and non-float32 variables keep tfjs's step). A probe first runs three steps both ways on a small
 * variable: if an op fails or a weight, moment or βᵗ differs in any bit, nothing is changed. True when installed.
 */
export function installNativeAdam(enabled: () => boolean): boolean {
  if (installed) return true;
  const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients(g: tf.NamedTensorMap | NamedTensor[]): void };
  const applyGradients = proto.applyGradients;
  if (!probe(applyGradients)) return false;
  installed = true;
  proto.applyGradients = function (this: Adam, grads: tf.NamedTensorMap | NamedTensor[]) {
    if (enabled() && tf.getBackend() === BACKEND && nativeStep(this, grads)) return;
    applyGradients.call(this, grads);
  } as typeof proto.applyGradients;
  return true;
}

/** Three native steps against three of tfjs's on the current (tensorflow) backend: bitwise the same state? */
function probe(tfjsStep: (this: unknown, g: tf.NamedTensorMap) => void): boolean {
  const ours = tf.train.adam(0.1, 0.8, 0.95);
  const theirs = tf.train.adam(0.1, 0.8, 0.95);
  const a = tf.variable(tf.tensor2d([0.5, -1, 2, 0, 3, -0.25], [2, 3]));
  const c = tf.variable(tf.tensor2d([0.5, -1, 2, 0, 3, -0.25], [2, 3]));
  try {
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        const g = tf.mul(tf.tensor2d([0.1, -0.3, 0.7, 0, 1e-3, -2], [2, 3]), i + 1);
        if (!nativeStep(ours as unknown as Adam, { [a.name]: g })) throw new Error('not float32');
        tfjsStep.call(theirs, { [c.name]: g });
      });
    }
    const state = (o: tf.AdamOptimizer, v: tf.Variable): tf.Tensor[] => {
      const s = o as unknown as Adam;
      return [v, s.accumulatedFirstMoment[0]!.variable, s.accumulatedSecondMoment[0]!.variable, s.accBeta1, s.accBeta2];
    };
    const mine = state(ours, a);
    const reference = state(theirs, c);
    return mine.every((t, i) => tf.util.arraysEqual(t.dataSync(), reference[i]!.dataSync()));
  } catch {
    return false;
  } finally {
    ours.dispose();
    theirs.dispose();
    tf.dispose([a, c]);
  }
}
