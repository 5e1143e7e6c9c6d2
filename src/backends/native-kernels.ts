/**
 * Faster and corrected training kernels for the native backend (原生后端的训练内核): replacements for
 * two kernels that tfjs-node 4.22 ships in a slow form, and for one that some CPUs compute wrongly. Together they take the seed CNN's training step on the
 * `tensorflow` backend from ~14 ms to ~7 ms here (`npm run bench` prints both, side by side).
 *
 * **Step** — every ReLU layer's gradient is `dy · step(x)`. tfjs-node computes `step(x)` as
 * `select(isNaN(x), x, select(x > 0, ones(shape), fill(shape, α)))`, and `ones(shape)` is built as a
 * JavaScript array and copied into TensorFlow on every call: for the seed CNN's first layer
 * (`[32, 26, 26, 32]`, 692,224 values) that is 4.3 ms. For α = 0 (the ReLU case) the same function
 * is two native element-wise ops, `sign(relu(x))`:
 *
 * | x | step(x) | relu(x) | sign(relu(x)) |
 * |---|---|---|---|
 * | > 0 | 1 | x | 1 |
 * | ≤ 0 | 0 | 0 | 0 |
 * | NaN | NaN | NaN | NaN |
 *
 * For α ≠ 0 it is `select(isNaN(x), x, α + (1 − α)·cast(x > 0))`, still without a JavaScript array.
 *
 * **MaxPoolGrad** — libtensorflow's eager `MaxPoolGrad` rescans every window (3.4 ms for that
 * layer); Keras's graphs on x86 run oneDNN's pooling instead, and so do we where this libtensorflow
 * has it (the `tensorflow-cpu` wheel does): 0.4 ms, identical results. A startup probe compares it
 * with the stock kernel on ties and both paddings and keeps the stock kernel if anything differs.
 * **MaxPool**, while gradients are recorded, runs oneDNN's forward pooling too and keeps its
 * workspace (each window's argmax) with the output, so the gradient needs no second forward pass,
 * as in Keras's graph; the workspace is freed with the output (identical values either way).
 *
 * **Conv2DBackpropInput** — libtensorflow's input gradient of a convolution with one input and one
 * output channel is wrong in some cases, which ones depending on the CPU's code path (stride 1 on the
 * AVX-512 path of an AMD EPYC Zen 5: a 2×2 filter of ones on a 3×3 image gives
 * `[1, 1, 0, 1, 1, 0, 0, 0, 0]`, not `[1, 2, 1, 2, 4, 2, 1, 2, 1]`; strides ≥ 2 on the AVX2 path);
 * every case with more channels is right. That case is computed with an extra all-zero output
 * channel, which takes a path that is right.
 *
 * `tests/backends/native-kernels.test.ts` checks them against the `cpu` backend (NaN, ±0, ±∞, ties and
 * all-zero windows included). `selectBackend` calls `registerNativeTrainingKernels()` after it
 * loads tfjs-node, so notebooks get them by `await selectBackend()`.
 *
 * ```ts
 * process.env.COURSE_BACKEND = 'tensorflow';
 * const info = await selectBackend();       // loads tfjs-node and registers the replacements
 * info.reason;                              // "... the course's kernels: Step, MaxPoolGrad" 
 * tf.step(tf.tensor1d([-1, 0, 2, NaN]));    // [0, 0, 1, NaN], two native ops
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { installNativeAdam } from './native-adam';
import { executeDirect, NATIVE_BACKEND as BACKEND, replaceWithFallback } from './native-binding';
import type { NodeBackend, OpAttr } from './native-binding';
import { registerNativeFusedKernels } from './native-fused';

/** `step(x)` for any α from native element-wise ops only. Input: any shape, float32 or int32; output: same shape and dtype. */
function nativeStep(x: tf.Tensor, alpha: number): tf.Tensor {
  return tf.tidy(() => {
    if (alpha === 0) return tf.sign(tf.relu(x));
    const positive = tf.cast(tf.greater(x, 0), x.dtype);
    const stepped = tf.add(tf.mul(positive, 1 - alpha), alpha);
    // int32 has no NaN; its result is truncated to int32, as the cpu backend stores it.
    return x.dtype === 'float32' ? tf.where(tf.isNaN(x), x, stepped) : tf.cast(stepped, x.dtype);
  });
}

/** Reshape's shape operands: one int32 TensorFlow tensor per target shape, kept for the process (the 256 newest). */
const shapeOperands = new Map<string, number>();
const MAX_SHAPE_OPERANDS = 256;

/**
 * `reshape(x, shape)` as TensorFlow's `Reshape` with a kept shape operand: tfjs-node makes a tfjs tensor for the
 * shape, copies it into TensorFlow and frees both on every call (8 times per seed-CNN training step). Input: float32,
 * int32 or bool of any shape (else null: the stock kernel); output: the same data in `shape` (−1 inferred by TensorFlow).
 */
function nativeReshape(backend: NodeBackend, x: tf.TensorInfo, shape: number[]): tf.Tensor | null {
  const B = backend.binding;
  const type = x.dtype === 'float32' ? B.TF_FLOAT : x.dtype === 'int32' ? B.TF_INT32 : x.dtype === 'bool' ? B.TF_BOOL : null;
  if (type === null) return null;
  const key = shape.join(',');
  let operand = shapeOperands.get(key);
  if (operand === undefined) {
    if (shapeOperands.size >= MAX_SHAPE_OPERANDS) {
      const [oldest, id] = shapeOperands.entries().next().value as [string, number];
      shapeOperands.delete(oldest);
      B.deleteTensor(id);
    }
    operand = B.createTensor([shape.length], B.TF_INT32, new Int32Array(shape));
    shapeOperands.set(key, operand);
  }
  const [out] = executeDirect(backend, 'Reshape', [
    { name: 'T', type: B.TF_ATTR_TYPE, value: type }, { name: 'Tshape', type: B.TF_ATTR_TYPE, value: B.TF_INT32 },
  ], [...backend.getInputTensorIds([x]), operand], 1);
  return backend.createOutputTensor(out!);
}
interface MaxPoolGradAttrs { filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' }

/** oneDNN's pooling attributes for a covered case (float32 NHWC, 'valid'/'same', no rounding mode), else null. */
function poolAttrs(backend: NodeBackend, input: tf.Tensor, attrs: MaxPoolGradAttrs): OpAttr[] | null {
  if (input.dtype !== 'float32' || input.rank !== 4 || typeof attrs.pad !== 'string' || attrs.dimRoundingMode) return null;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad);
  if (info.padInfo.type !== 'VALID' && info.padInfo.type !== 'SAME') return null;
  const b = backend.binding;
  return [
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'ksize', type: b.TF_ATTR_INT, value: [1, info.filterHeight, info.filterWidth, 1] },
    { name: 'strides', type: b.TF_ATTR_INT, value: [1, info.strideHeight, info.strideWidth, 1] },
    { name: 'padding', type: b.TF_ATTR_STRING, value: info.padInfo.type },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'workspace_enabled', type: b.TF_ATTR_BOOL, value: false },
    // oneDNN's kernels are registered under this label; Python's eager runtime adds it, tfjs-node does not.
    { name: '_kernel', type: b.TF_ATTR_STRING, value: 'MklNameChangeOp' },
  ];
}

/**
 * oneDNN's forward pooling workspaces (uint8 argmax per window, one per output value), by the dataId of the pooled
 * output they belong to: kept by `MaxPool` while gradients are recorded, read by `MaxPoolGrad`, freed when the output's
 * data is freed (the backend's `disposeData` is wrapped for that in `registerNativeTrainingKernels`).
 */
const workspaces = new Map<object, tf.Tensor>();

/** How many pooling workspaces are kept now (each with a pooled output still alive); for the tests. */
export function keptPoolWorkspaces(): number {
  return workspaces.size;
}

/** Free the workspace kept for `dataId`, if any (called as the output's data is freed). */
function releaseWorkspace(dataId: object): void {
  const workspace = workspaces.get(dataId);
  if (!workspace) return;
  workspaces.delete(dataId);
  workspace.dispose();
}

/**
 * `MaxPool` as oneDNN's `_MklNativeMaxPool`, keeping its workspace for the gradient. Input `[b, h, w, c]`, output
 * `[b, h', w', c]`. Null when the case is not covered.
 */
function oneDnnMaxPool(backend: NodeBackend, x: tf.Tensor, attrs: MaxPoolGradAttrs): tf.Tensor | null {
  const opAttrs = poolAttrs(backend, x, attrs);
  if (!opAttrs) return null;
  const [output, workspace] = backend.executeMultipleOutputs('_MklNativeMaxPool', opAttrs, [x], 2) as [tf.Tensor, tf.Tensor];
  workspaces.set(output.dataId, tf.keep(workspace));
  return output;
}

/**
 * `MaxPoolGrad` through oneDNN's pooling (`_MklNativeMaxPoolGrad`, with the workspace `MaxPool` kept for `output`, or
 * `_MklNativeMaxPool` again for one), the kernels Keras's graphs use on x86. libtensorflow's eager
 * `MaxPoolGrad` rescans every window: 3.4 ms for the seed CNN's `[32, 26, 26, 32]` input against
 * 0.4 ms for the two oneDNN ops, with identical results (the gradient goes to the first maximum of
 * each window). Inputs: `dy` `[b, h', w', c]`, `input` `[b, h, w, c]`, `output` (the pooled input, optional);
 * output: `[b, h, w, c]`. Returns null when the case is not covered (explicit pads, rounding modes, non-float32).
 */
function oneDnnMaxPoolGrad(backend: NodeBackend, dy: tf.Tensor, input: tf.Tensor, attrs: MaxPoolGradAttrs, pooled?: tf.Tensor): tf.Tensor | null {
  const opAttrs = poolAttrs(backend, input, attrs);
  if (!opAttrs) return null;
  const kept = pooled ? workspaces.get(pooled.dataId) : undefined;
  if (pooled && kept) return backend.executeSingleOutput('_MklNativeMaxPoolGrad', opAttrs, [input, pooled, dy, kept]);
  const [output, workspace] = backend.executeMultipleOutputs('_MklNativeMaxPool', opAttrs, [input], 2) as [tf.Tensor, tf.Tensor];
  try {
    return backend.executeSingleOutput('_MklNativeMaxPoolGrad', opAttrs, [input, output, dy, workspace]);
  } finally {
    output.dispose();
    workspace.dispose();
  }
}

/**
 * Does the oneDNN pooling gradient exist in this libtensorflow, and agree with the stock kernel on
 * a small case with ties, negatives and both paddings? (The libtensorflow that tfjs-node downloads
 * may be built without oneDNN; then the stock kernel stays.)
 */
function oneDnnPoolingWorks(backend: NodeBackend, stock: tf.KernelFunc): boolean {
  try {
    return tf.tidy(() => {
      const input = tf.tensor4d([0, 0, -1, 2, 0, 0, -3, 2, 5, -1, -1, -1, 1, 5, -2, -1, 0, 0, 0, 0, 3, 3, 3, 3, 0, 4, 4, 0, -1, -1, 7, 7], [1, 4, 4, 2]);
      const same = (a: tf.Tensor | null, b: tf.Tensor) => a !== null && tf.util.arraysEqual(a.shape, b.shape) && tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] === 0;
      for (const [size, stride, pad] of [[2, 2, 'valid'], [3, 1, 'same'], [3, 2, 'same']] as const) {
        const output = tf.maxPool(input, size, stride, pad);
        const dy = tf.add(tf.range(0, output.size).reshape(output.shape), 1);
        const attrs: MaxPoolGradAttrs = { filterSize: size, strides: stride, pad };
        const theirs = stock({ inputs: { dy, input, output }, backend: backend as unknown as tf.KernelBackend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.Tensor;
        if (!same(oneDnnMaxPoolGrad(backend, dy, input, attrs), theirs)) return false;
        // The forward pass that keeps its workspace, and the gradient that uses it.
        const pooled = oneDnnMaxPool(backend, input, attrs);
        try {
          if (!same(pooled, output) || !same(oneDnnMaxPoolGrad(backend, dy, input, attrs, pooled!), theirs)) return false;
        } finally {
          if (pooled) releaseWorkspace(pooled.dataId);
        }
      }
      return true;
    });
  } catch {
    return false;
  }
}

/** The inputs and attributes of tfjs's `Conv2DBackpropInput` kernel (the input gradient of `conv2d`). */
interface Conv2DBackpropInputArgs { inputs: { dy: tf.Tensor4D; filter: tf.Tensor4D }; attrs: { dataFormat?: 'NHWC' | 'NCHW' } }

/**
 * `Conv2DBackpropInput` for one input and one output channel, computed with a second, all-zero output
 * channel. The libtensorflow of the `tensorflow-cpu` 2.21 wheel (oneDNN) returns a wrong input gradient
 * for a `[k, k, 1, 1]` filter, k ≥ 2, in some cases that depend on the CPU's code path: stride 1 on
 * the AVX-512 path of an AMD EPYC Zen 5, strides ≥ 2 under `ONEDNN_MAX_CPU_ISA=AVX2` (2×2 ones on a
 * 3×3 image give `[1, 1, 0, 1, 1, 0, 0, 0, 0]`, not `[1, 2, 1, 2, 4, 2, 1, 2, 1]`). Every case with two
 * or more channels, the forward convolution and the filter gradient are right. The zero channel adds
 * exact zeros, so the result is the single-channel gradient. Input: `dy` `[b, h', w', 1]`, `filter`
 * `[k, k, 1, 1]` (NHWC); output: `[b, h, w, 1]`. Any other case goes to the stock kernel unchanged.
 */
function singleChannelInputGradient(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs: { dy, filter }, attrs } = args as unknown as Conv2DBackpropInputArgs;
    const nhwc = (attrs.dataFormat ?? 'NHWC') === 'NHWC';
    if (!nhwc || filter.shape[2] !== 1 || filter.shape[3] !== 1 || dy.dtype !== 'float32') return stock(args);
    return tf.tidy(() => {
      const widened = {
        dy: tf.concat([dy, tf.zerosLike(dy)], 3),
        filter: tf.concat([filter, tf.zerosLike(filter)], 3),
      };
      return stock({ ...args, inputs: widened as unknown as tf.NamedTensorInfoMap }) as tf.Tensor;
    }) as unknown as tf.TensorInfo;
  };
}

let registered: string[] | null = null;

/**
 * Register the course's kernels for the `tensorflow` backend (replacing tfjs-node's own):
 * `Step` always, `MaxPoolGrad` when this libtensorflow has oneDNN's pooling and it agrees with the
 * stock kernel, `Reshape` (kept shape operands) and `Conv2DBackpropInput` (its single-channel case) always, the fused kernels when the binding is
 * patched (`native-fused.ts`), and Adam's step through the binding (`native-adam.ts`, listed as `Adam`) unless
 * `COURSE_NATIVE_ADAM=0`. Call after tfjs-node is loaded; calling it again does nothing. Returns the kernel
 * names replaced.
 */
export function registerNativeTrainingKernels(env: NodeJS.ProcessEnv = process.env): string[] {
  if (registered) return registered.slice();
  const stockMaxPoolGrad = tf.getKernel('MaxPoolGrad', BACKEND);
  const backend = tf.findBackend(BACKEND) as unknown as NodeBackend | null;
  if (!tf.getKernel('Step', BACKEND) || !stockMaxPoolGrad || !backend) {
    throw new Error("registerNativeTrainingKernels: the 'tensorflow' backend is not loaded (load tfjs-node first, e.g. with selectBackend())");
  }
  const replaced = ['Step'];
  replaceWithFallback('Step', ({ inputs, attrs }) =>
    nativeStep((inputs as { x: tf.Tensor }).x, (attrs as { alpha?: number }).alpha ?? 0) as unknown as tf.TensorInfo);
  const stockMaxPool = tf.getKernel('MaxPool', BACKEND);
  if (stockMaxPool && oneDnnPoolingWorks(backend, stockMaxPoolGrad.kernelFunc)) {
    replaceWithFallback('MaxPoolGrad', (args) => {
      const { dy, input, output } = args.inputs as { dy: tf.Tensor; input: tf.Tensor; output?: tf.Tensor };
      return oneDnnMaxPoolGrad(args.backend as unknown as NodeBackend, dy, input, args.attrs as unknown as MaxPoolGradAttrs, output) as unknown as tf.TensorInfo | null;
    });
    // While gradients are recorded (and this is not a kernel inside another), pool with oneDNN and keep the workspace.
    const disposeData = backend.disposeData.bind(backend);
    backend.disposeData = (dataId: object, force?: boolean) => {
      const freed = disposeData(dataId, force); // false while other tensors (the tape's saved copy) share the data
      if (freed) releaseWorkspace(dataId);
      return freed;
    };
    const engine = tf.engine() as unknown as { state: { gradientDepth: number; kernelDepth: number } };
    replaceWithFallback('MaxPool', (args) => {
      const recording = engine.state.gradientDepth > 0 && engine.state.kernelDepth === 1;
      const { x } = args.inputs as { x: tf.Tensor };
      return (recording ? oneDnnMaxPool(args.backend as unknown as NodeBackend, x, args.attrs as unknown as MaxPoolGradAttrs) : null) as unknown as tf.TensorInfo | null;
    });
    replaced.push('MaxPool', 'MaxPoolGrad');
  }
  const reshape = replaceWithFallback('Reshape', (args) =>
    nativeReshape(args.backend as unknown as NodeBackend, (args.inputs as { x: tf.TensorInfo }).x, (args.attrs as { shape: number[] }).shape) as unknown as tf.TensorInfo | null);
  if (reshape) replaced.push('Reshape');
  const stockInputGradient = tf.getKernel('Conv2DBackpropInput', BACKEND);
  if (stockInputGradient) {
    tf.unregisterKernel('Conv2DBackpropInput', BACKEND);
    tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: BACKEND, kernelFunc: singleChannelInputGradient(stockInputGradient.kernelFunc) });
    replaced.push('Conv2DBackpropInput');
  }
  // conv + bias + ReLU and dense + bias as TensorFlow's fused ops, when the binding is patched (src/backends/native-fused.ts).
  replaced.push(...registerNativeFusedKernels(env));
  // Adam's ops straight through the binding (src/backends/native-adam.ts): bitwise tfjs's step. COURSE_NATIVE_ADAM=0 in
  // `env` does not install it; in process.env, read at every step (the patch is process-wide), it switches it off.
  if (env.COURSE_NATIVE_ADAM !== '0' && installNativeAdam(() => process.env.COURSE_NATIVE_ADAM !== '0')) replaced.push('Adam');
  registered = replaced;
  return replaced.slice();
}
