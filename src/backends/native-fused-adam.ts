/**
 * Adam as one native op per variable on the native backend (原生后端的 Adam): TensorFlow's `ResourceApplyAdam`,
 * the op Keras runs, instead of tfjs's 14 element-wise ops per variable.
 *
 * tfjs-node's binding passes resource handles as tensor ids already (only its JavaScript side refuses to wrap them), so
 * each (optimizer, variable) gets three TensorFlow resource variables (value, first and second moment) created once with
 * `VarHandleOp`. A step per variable: `AssignVariableOp` only when the tfjs variable no longer holds the value read back
 * last time (first step, `setWeights`, another optimizer), then `ResourceApplyAdam`, then `ReadVariableOp` of the value
 * and both moments into the tfjs variables (so `getWeights`, saving and the optimizer's own variables stay right).
 *
 * Same arithmetic as tfjs's `AdamOptimizer`: TensorFlow computes `lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε')`, tfjs
 * `lr · m̂ / (√v̂ + ε)`; they are equal with ε' = ε·√(1−β₂ᵗ), which is what is passed. The powers βᵗ are tfjs's own
 * float32 `accBeta1`/`accBeta2` (passed as they are, and advanced as tfjs advances them): in float32, 1 − β₂ᵗ loses
 * five digits to cancellation (1 − 0.999), so powers computed in float64 instead made √(1 − β₂ᵗ) differ by 3e-5
 * relative at t = 1 — notebook 03's comparison with `tf.train.adam` (1e-6) saw exactly that. Float32 variables only
 * (else tfjs's own step).
 * `tests/backends/native-fused.test.ts` trains with it and with tfjs's Adam on the cpu backend and compares the weights.
 */
import * as tf from '@tensorflow/tfjs';

interface OpAttr { name: string; type: number; value: number | number[] | string | string[] | boolean }
interface NamedTensor { name: string; tensor: tf.Tensor }
interface Metadata { id: number; shape: number[]; dtype: number }
interface Binding {
  TF_ATTR_TYPE: number; TF_ATTR_SHAPE: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_FLOAT: number;
  executeOp(name: string, attrs: OpAttr[], inputIds: number[], outputs: number): Metadata[];
  deleteTensor(id: number): void;
}
interface NodeBackend {
  binding: Binding;
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(metadata: Metadata): tf.Tensor;
}
/** The parts of tfjs's AdamOptimizer used here (protected in its types). */
interface Adam {
  learningRate: number; beta1: number; beta2: number; epsilon: number; readonly iterations: number;
  accBeta1: tf.Variable; accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}
/** One variable's TensorFlow resources (ids in the binding) and the tfjs data the value resource last matched. */
interface Slot { value: number; m: number; v: number; synced: object | null; shape: number[] }

const BACKEND = 'tensorflow';
const slots = new WeakMap<object, Slot[]>();
let counter = 0;
let installed = false;
/** Native ops this module has run through the binding directly (not seen by tfjs's profiler), for `npm run bench`. */
let directOps = 0;
/** How many native ops the native Adam step has run directly through the binding since the process started. */
export function nativeAdamOpCount(): number {
  return directOps;
}

function newResource(b: NodeBackend, shape: number[]): number {
  const B = b.binding;
  const [handle] = B.executeOp('VarHandleOp', [
    { name: 'dtype', type: B.TF_ATTR_TYPE, value: B.TF_FLOAT }, { name: 'shape', type: B.TF_ATTR_SHAPE, value: shape },
    { name: 'container', type: B.TF_ATTR_STRING, value: '' }, { name: 'shared_name', type: B.TF_ATTR_STRING, value: `ai_course_adam_${process.pid}_${counter++}` },
  ], [], 1);
  return handle!.id;
}
function assign(b: NodeBackend, resource: number, t: tf.Tensor): void {
  directOps++;
  b.binding.executeOp('AssignVariableOp', [{ name: 'dtype', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT }], [resource, ...b.getInputTensorIds([t])], 0);
}
function read(b: NodeBackend, resource: number): tf.Tensor {
  directOps++;
  const [md] = b.binding.executeOp('ReadVariableOp', [{ name: 'dtype', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT }], [resource], 1);
  return b.createOutputTensor(md!);
}
function destroy(b: NodeBackend, resource: number): void {
  try {
    b.binding.executeOp('DestroyResourceOp', [{ name: 'ignore_lookup_error', type: b.binding.TF_ATTR_BOOL, value: true }], [resource], 0);
  } finally {
    b.binding.deleteTensor(resource);
  }
}

/** One Adam step for every float32 variable with a gradient; false (nothing done) when a variable is not float32. */
function nativeStep(opt: Adam, grads: tf.NamedTensorMap | NamedTensor[]): boolean {
  const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
  const values = names.map((n) => tf.engine().registeredVariables[n]!);
  if (values.some((v) => !v || v.dtype !== 'float32')) return false;
  const b = tf.backend() as unknown as NodeBackend;
  const mine = slots.get(opt) ?? [];
  slots.set(opt, mine);
  tf.tidy(() => {
    // tfjs's accBeta1/accBeta2 hold β₁ᵗ, β₂ᵗ for this step, in float32 as tfjs uses them.
    const epsilonHat = opt.epsilon * Math.sqrt(1 - opt.accBeta2.dataSync()[0]!);
    const scalars = [opt.accBeta1, opt.accBeta2, ...[opt.learningRate, opt.beta1, opt.beta2, epsilonHat].map((v) => tf.scalar(v))];
    const scalarIds = b.getInputTensorIds(scalars);
    names.forEach((name, i) => {
      const value = values[i]!;
      opt.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      opt.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const gradient = Array.isArray(grads) ? grads[i]!.tensor : grads[name];
      if (gradient == null) return;
      const m = opt.accumulatedFirstMoment[i]!.variable;
      const v = opt.accumulatedSecondMoment[i]!.variable;
      let slot = mine[i];
      if (!slot || !tf.util.arraysEqual(slot.shape, value.shape)) {
        if (slot) for (const r of [slot.value, slot.m, slot.v]) destroy(b, r);
        slot = mine[i] = { value: newResource(b, value.shape), m: newResource(b, value.shape), v: newResource(b, value.shape), synced: null, shape: value.shape.slice() };
      }
      // The moments are read back every step, so their resources hold them unless setWeights replaced the tfjs variables.
      if (slot.synced !== value.dataId || (m as unknown as { courseSynced?: boolean }).courseSynced !== true) {
        assign(b, slot.value, value);
        assign(b, slot.m, m);
        assign(b, slot.v, v);
      }
      directOps++;
      b.binding.executeOp('ResourceApplyAdam', [
        { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT },
        { name: 'use_locking', type: b.binding.TF_ATTR_BOOL, value: false }, { name: 'use_nesterov', type: b.binding.TF_ATTR_BOOL, value: false },
      ], [slot.value, slot.m, slot.v, ...scalarIds, ...b.getInputTensorIds([gradient as tf.Tensor])], 0);
      value.assign(read(b, slot.value));
      m.assign(read(b, slot.m));
      v.assign(read(b, slot.v));
      (m as unknown as { courseSynced?: boolean }).courseSynced = true;
      slot.synced = value.dataId;
    });
    opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
    opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
  });
  opt.incrementIterations();
  return true;
}

/**
 * Make tfjs's `AdamOptimizer` take the native step on the `tensorflow` backend while `enabled()` holds (once per process;
 * other backends and non-float32 variables keep tfjs's step); its `dispose` frees the resources too. A probe first runs
 * three steps both ways on a small variable: if the op is missing or the weights differ, nothing is changed. True when
 * the native step is installed.
 */
export function installNativeAdam(enabled: () => boolean): boolean {
  if (installed) return true;
  const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients(g: tf.NamedTensorMap | NamedTensor[]): void; dispose(): void };
  const applyGradients = proto.applyGradients;
  const dispose = proto.dispose;
  const disposeSlots = (opt: object) => {
    const mine = slots.get(opt);
    const b = tf.findBackend(BACKEND) as unknown as NodeBackend | null;
    if (mine && b) for (const slot of mine) if (slot) for (const r of [slot.value, slot.m, slot.v]) destroy(b, r);
    slots.delete(opt);
  };
  if (!probe(applyGradients, disposeSlots)) return false;
  installed = true;
  proto.applyGradients = function (this: Adam, grads: tf.NamedTensorMap | NamedTensor[]) {
    if (enabled() && tf.getBackend() === BACKEND && nativeStep(this, grads)) return;
    applyGradients.call(this, grads);
  } as typeof proto.applyGradients;
  proto.dispose = function (this: Adam) {
    disposeSlots(this);
    dispose.call(this);
  };
  return true;
}

/** Three native steps against three of tfjs's on the current (tensorflow) backend: the same weights and moments? */
function probe(tfjsStep: (this: unknown, g: tf.NamedTensorMap) => void, disposeSlots: (opt: object) => void): boolean {
  const ours = tf.train.adam(0.1);
  const theirs = tf.train.adam(0.1);
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
    const m = (o: tf.AdamOptimizer) => (o as unknown as Adam).accumulatedSecondMoment[0]!.variable;
    // TensorFlow updates v as v + (g² − v)(1 − β₂): float32 rounding differs in the last digits (about 1e-6 here).
    const close = (x: tf.Tensor, y: tf.Tensor) => tf.max(tf.div(tf.abs(tf.sub(x, y)), tf.maximum(tf.abs(y), 1))).dataSync()[0]! < 1e-4;
    return tf.tidy(() => close(a, c) && close(m(ours), m(theirs)));
  } catch {
    return false;
  } finally {
    disposeSlots(ours);
    ours.dispose();
    theirs.dispose();
    tf.dispose([a, c]);
  }
}
