/**
 * Fused convolution and dense layers on the native backend (原生后端的融合内核): conv + bias + ReLU as one
 * TensorFlow op, the op Keras's graphs run after grappler's fusion (`_FusedConv2D`; oneDNN's `_MklNativeFusedConv2D`
 * where this libtensorflow has it), dense + bias (+ ReLU) as three native ops without tfjs's reshapes (or as
 * `_FusedMatMul`, opt-in, see below), and their gradients with the ops TensorFlow itself uses:
 *
 * | layer | forward | backward |
 * |---|---|---|
 * | conv + bias + ReLU | 1 fused op (tfjs-node: conv, add, relu) | `ReluGrad`, `BiasAddGrad`, `Conv2DBackpropFilter` (+ `Conv2DBackpropInput` when the input needs a gradient) |
 * | dense + bias (+ ReLU) | `BatchMatMulV2`, `BiasAdd` (, `Relu`) (tfjs: 3 reshapes + matmul + add (+ relu)) | (`ReluGrad`), `BiasAddGrad`, one `BatchMatMulV2` per input that needs a gradient |
 * | dense without bias (softmax layers: tfjs adds the bias after) | `BatchMatMulV2` (tfjs: 3 reshapes + matmul) | one `BatchMatMulV2` per input |
 *
 * The fused ops take list attributes (`fused_ops: list(string)`, `TArgs: list(type)`) that tfjs-node 4.22's
 * binding cannot pass; `npm run native` compiles the binding with `kernel-setup/patches/tfjs-node-4.22-list-attrs.patch`,
 * which can. A startup probe runs the fused ops on small cases (both paddings, stride 2, transposes) and
 * compares them with tfjs's unfused ops; if the binding is unpatched, an op is missing or a value differs,
 * nothing is registered and the course's unfused kernels stay. `COURSE_NATIVE_FUSION=0` switches it off.
 * `COURSE_NATIVE_FUSED_MATMUL=1` adds the fused matmul (`_MklNativeFusedMatMul`; `_FusedMatMul` for a transposed first
 * operand, which oneDNN refuses): it is off by default because this libtensorflow's eager matmuls (`MatMul`, the fused
 * ones) corrupt the heap when a signal interrupts them (see plainMatMul).
 *
 * How layers reach them: tfjs-layers calls `tf.fused.conv2d`/`tf.fused.matMul`. While gradients are recorded,
 * tfjs computes a fused conv with ReLU unfused (three kernels, then `Step`, `mul`, …); on the `tensorflow`
 * backend the course routes the cases it covers (NHWC, float32, rank-1 bias, 'valid'/'same' padding, no
 * dilation, `linear` or `relu`) to two kernels of its own, `CourseFusedConv2D` and `CourseFusedMatMul`,
 * whose registered gradients are lazy (an input that needs no gradient costs nothing). Every other call,
 * and every call on another backend, goes to tfjs unchanged. The stock `FusedConv2D`/`_FusedMatMul`
 * kernels of the `tensorflow` backend are replaced too (used by `predict`), with the same coverage.
 * The gradients are first-order only (the native ops are not recorded for a second derivative).
 *
 * `tests/backends/native-fused.test.ts` compares values and gradients with the `cpu` backend.
 */
import * as tf from '@tensorflow/tfjs';
import { NATIVE_BACKEND as BACKEND, replaceWithFallback, typeAttr } from './native-binding';
import type { NodeBackend, OpAttr } from './native-binding';

const ACTIVATIONS: Record<string, string[]> = {
  linear: ['BiasAdd'], relu: ['BiasAdd', 'Relu'], relu6: ['BiasAdd', 'Relu6'], elu: ['BiasAdd', 'Elu'], leakyrelu: ['BiasAdd', 'LeakyRelu'],
};
/** Activations whose gradient the course's fused kernels compute (the others go to tfjs's ops). */
const TRAINABLE = new Set(['linear', 'relu']);

/**
 * The op names the probe chose, and whether each needs the label that selects oneDNN's kernels. oneDNN's fused matmul
 * refuses a transposed first operand ("In[0] of MklMatMul can't be transposed"): those calls use `matMulT`.
 */
interface FusedOps { conv: string; convLabel: boolean; matMul: string | null; matMulLabel: boolean; matMulT: string | null; matMulTLabel: boolean }
type Pad = 'valid' | 'same';
export interface ConvAttrs { strides: [number, number]; pad: Pad; activation: string; leakyreluAlpha?: number }
interface MatMulAttrs { transposeA: boolean; transposeB: boolean; activation: string; leakyreluAlpha?: number }

let ops: FusedOps | null = null;
let registered: string[] | null = null;

function label(b: NodeBackend, on: boolean): OpAttr[] {
  return on ? [{ name: '_kernel', type: b.binding.TF_ATTR_STRING, value: 'MklNameChangeOp' }] : [];
}
function activationAttrs(b: NodeBackend, activation: string, alpha: number | undefined): OpAttr[] {
  const B = b.binding;
  return [
    { name: 'fused_ops', type: B.TF_ATTR_STRING, value: ACTIVATIONS[activation]! },
    { name: 'num_args', type: B.TF_ATTR_INT, value: 1 },
    { name: 'leakyrelu_alpha', type: B.TF_ATTR_FLOAT, value: alpha ?? 0.2 },
  ];
}

/** conv2d(x, filter) + bias, then the activation, as one native op. x `[b, h, w, c]`, filter `[k, k, c, n]`, bias `[n]`. */
function nativeConv(b: NodeBackend, name: string, withLabel: boolean, x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor, a: ConvAttrs): tf.Tensor {
  const B = b.binding;
  return b.executeSingleOutput(name, [
    typeAttr(b), { name: 'TArgs', type: B.TF_ATTR_TYPE, value: [B.TF_FLOAT] },
    { name: 'strides', type: B.TF_ATTR_INT, value: [1, a.strides[0], a.strides[1], 1] },
    { name: 'padding', type: B.TF_ATTR_STRING, value: a.pad.toUpperCase() },
    { name: 'data_format', type: B.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'dilations', type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
    ...activationAttrs(b, a.activation, a.leakyreluAlpha), ...label(b, withLabel),
  ], [x, filter, bias]);
}

/** op(a)·op(b) + bias, then the activation, as one native op. a, b rank 2; bias `[n]`. */
function nativeMatMul(b: NodeBackend, name: string, withLabel: boolean, x: tf.Tensor, y: tf.Tensor, bias: tf.Tensor, a: MatMulAttrs): tf.Tensor {
  const B = b.binding;
  return b.executeSingleOutput(name, [
    typeAttr(b), { name: 'transpose_a', type: B.TF_ATTR_BOOL, value: a.transposeA }, { name: 'transpose_b', type: B.TF_ATTR_BOOL, value: a.transposeB },
    ...activationAttrs(b, a.activation, a.leakyreluAlpha), ...label(b, withLabel),
  ], [x, y, bias]);
}

/** Native activations after a bias (`linear`: none). */
const ACTIVATION_OPS: Record<string, string | null> = { linear: null, relu: 'Relu', relu6: 'Relu6', elu: 'Elu', leakyrelu: 'LeakyRelu' };

/**
 * op(a)·op(b) + bias, then the activation: one fused op where the probe enabled it (COURSE_NATIVE_FUSED_MATMUL=1), else
 * `BatchMatMulV2`, `BiasAdd` and the activation op — three native ops and no reshapes, against tfjs's six.
 */
function fusedMatMul(b: NodeBackend, x: tf.Tensor, y: tf.Tensor, bias: tf.Tensor, a: MatMulAttrs): tf.Tensor {
  const fusedOp = a.transposeA ? ops!.matMulT : ops!.matMul;
  if (fusedOp) return nativeMatMul(b, fusedOp, a.transposeA ? ops!.matMulTLabel : ops!.matMulLabel, x, y, bias, a);
  const B = b.binding;
  const product = plainMatMul(b, x, y, a.transposeA, a.transposeB);
  const biased = b.executeSingleOutput('BiasAdd', [typeAttr(b), { name: 'data_format', type: B.TF_ATTR_STRING, value: 'NHWC' }], [product, bias]);
  product.dispose();
  const op = ACTIVATION_OPS[a.activation];
  if (!op) return biased;
  const alpha: OpAttr[] = op === 'LeakyRelu' ? [{ name: 'alpha', type: B.TF_ATTR_FLOAT, value: a.leakyreluAlpha ?? 0.2 }] : [];
  const out = b.executeSingleOutput(op, [typeAttr(b), ...alpha], [biased]);
  biased.dispose();
  return out;
}

/**
 * op(a)·op(b) (rank 2) as `BatchMatMulV2`, the op tfjs-node itself uses. Not `MatMul`: this libtensorflow's eager
 * `MatMul` (oneDNN) corrupts the heap when a signal interrupts it — reproducibly under `node --cpu-prof` after 20–60
 * calls of a [32, 5408]·[5408, 10] product, while `BatchMatMulV2` runs clean. The fused matmul shares that weakness
 * (it is used only where it replaces a product, a bias and an activation: a dense layer with a fused activation).
 */
function plainMatMul(b: NodeBackend, x: tf.Tensor, y: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  const B = b.binding;
  return b.executeSingleOutput('BatchMatMulV2', [typeAttr(b),
    { name: 'adj_x', type: B.TF_ATTR_BOOL, value: transposeA }, { name: 'adj_y', type: B.TF_ATTR_BOOL, value: transposeB }], [x, y]);
}

/** Largest |a − b| relative to max(1, |b|) (Infinity if the shapes differ). */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  if (!tf.util.arraysEqual(a.shape, b.shape)) return Infinity;
  return tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(a, b)), tf.maximum(tf.abs(b), 1))).dataSync()[0]!);
}

/**
 * Which fused ops work here and agree with tfjs's unfused ops (oneDNN's first, then TensorFlow's own)? Null when none
 * does: the binding is unpatched (list attributes are refused), the ops are missing, or a value differs.
 */
function probe(b: NodeBackend, withFusedMatMul: boolean): FusedOps | null {
  const tryOps = (candidates: [string, boolean][], run: (name: string, withLabel: boolean) => boolean): [string, boolean] | null => {
    for (const c of candidates) {
      try {
        if (run(c[0], c[1])) return c;
      } catch {
        // not available, or the binding cannot pass list attributes: try the next
      }
    }
    return null;
  };
  const conv = tryOps([['_MklNativeFusedConv2D', true], ['_FusedConv2D', false]], (name, withLabel) => tf.tidy(() => {
    const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2);
    const bias = tf.randomNormal([4], 0, 1, 'float32', 3);
    return ([[1, 'valid', 'relu'], [2, 'same', 'relu'], [2, 'valid', 'linear']] as const).every(([s, pad, act]) => {
      const ours = nativeConv(b, name, withLabel, x, w, bias, { strides: [s, s], pad, activation: act });
      const z = tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad), bias);
      return relativeError(ours, act === 'relu' ? tf.relu(z) : z) < 1e-4;
    });
  }));
  const matMulWorks = (transposedA: boolean) => (name: string, withLabel: boolean) => tf.tidy(() => {
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
    const bias = tf.randomNormal([3], 0, 1, 'float32', 5);
    const cases = transposedA ? [[true, true, 'linear'], [true, false, 'relu']] as const : [[false, false, 'relu'], [false, true, 'linear']] as const;
    return cases.every(([ta, tb, act]) => {
      const a = ta ? tf.transpose(x) : x;
      const w = tf.randomNormal(tb ? [3, 4] : [4, 3], 0, 1, 'float32', 6);
      const ours = nativeMatMul(b, name, withLabel, a, w, bias, { transposeA: ta, transposeB: tb, activation: act });
      const z = tf.add(tf.matMul(a, w, ta, tb), bias);
      return relativeError(ours, act === 'relu' ? tf.relu(z) : z) < 1e-4;
    });
  });
  // The fused matmul is opt-in: like the plain MatMul (see plainMatMul) it corrupts the heap under node --cpu-prof.
  const matMul = withFusedMatMul ? tryOps([['_MklNativeFusedMatMul', true], ['_FusedMatMul', false]], matMulWorks(false)) : null;
  const matMulT = withFusedMatMul ? tryOps([['_FusedMatMul', false]], matMulWorks(true)) : null;
  if (!conv || (withFusedMatMul && !matMul)) return null;
  return { conv: conv[0], convLabel: conv[1], matMul: matMul?.[0] ?? null, matMulLabel: matMul?.[1] ?? false, matMulT: matMulT?.[0] ?? null, matMulTLabel: matMulT?.[1] ?? false };
}

/** The upstream gradient through the activation: `ReluGrad(dy, y)` for ReLU (y is the op's output), dy for linear. */
function throughActivation(b: NodeBackend, dy: tf.Tensor, y: tf.Tensor, activation: string): tf.Tensor {
  return activation === 'relu' ? b.executeSingleOutput('ReluGrad', [typeAttr(b)], [dy, y]) : dy;
}
function biasGrad(b: NodeBackend, dy: tf.Tensor): tf.Tensor {
  return b.executeSingleOutput('BiasAddGrad', [typeAttr(b), { name: 'data_format', type: b.binding.TF_ATTR_STRING, value: 'NHWC' }], [dy]);
}

/**
 * The gradients of `conv2d(x, filter) + bias` given `g`, the gradient at the pre-activation (x `[b, h, w, ci]`, filter
 * `[fh, fw, ci, co]`, g `[b, oh, ow, co]`): tfjs's own conv gradient kernels for x and the filter, `biasGradient(g)` for the
 * bias (`[co]`); each computed only when asked for. The fused conv kernels of the native and the wasm backend share it.
 */
export function convBiasGradients(x: tf.Tensor4D, filter: tf.Tensor4D, g: tf.Tensor, a: ConvAttrs, biasGradient: (g: tf.Tensor) => tf.Tensor): Record<'x' | 'filter' | 'bias', () => tf.Tensor> {
  const conv = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC' };
  return {
    x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: g, filter }, { ...conv, inputShape: x.shape }) as tf.Tensor,
    filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, { ...conv, filterShape: filter.shape }) as tf.Tensor,
    bias: () => biasGradient(g),
  };
}

/** The course's own kernels and their gradients (registered once per process; the gradients are global in tfjs). */
function registerCourseKernels(): void {
  tf.registerKernel({
    kernelName: 'CourseFusedConv2D', backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, filter, bias } = inputs as { x: tf.Tensor; filter: tf.Tensor; bias: tf.Tensor };
      return nativeConv(backend as unknown as NodeBackend, ops!.conv, ops!.convLabel, x, filter, bias, attrs as unknown as ConvAttrs) as unknown as tf.TensorInfo;
    },
  });
  tf.registerGradient({
    kernelName: 'CourseFusedConv2D', inputsToSave: ['x', 'filter'], outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as ConvAttrs;
      const b = tf.backend() as unknown as NodeBackend;
      const g = throughActivation(b, dy as tf.Tensor, y, a.activation); // every call below needs it (tape.ts tidies each)
      return convBiasGradients(x, filter, g, a, (t) => biasGrad(b, t));
    },
  });
  tf.registerKernel({
    kernelName: 'CourseFusedMatMul', backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b, bias } = inputs as { a: tf.Tensor; b: tf.Tensor; bias?: tf.Tensor };
      const be = backend as unknown as NodeBackend;
      const o = attrs as unknown as MatMulAttrs;
      if (!bias) return plainMatMul(be, a, b, o.transposeA, o.transposeB) as unknown as tf.TensorInfo; // linear only (matMulCase)
      return fusedMatMul(be, a, b, bias, o) as unknown as tf.TensorInfo;
    },
  });
  tf.registerGradient({
    kernelName: 'CourseFusedMatMul', inputsToSave: ['a', 'b'], outputsToSave: [true], // bias is optional (then linear)
    gradFunc: (dy, saved, attrs) => {
      const [a, b, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const { transposeA: ta, transposeB: tb, activation } = attrs as unknown as MatMulAttrs;
      const be = tf.backend() as unknown as NodeBackend;
      const g = throughActivation(be, dy as tf.Tensor, y, activation);
      const mm = (p: tf.Tensor, q: tf.Tensor, tp: boolean, tq: boolean) => plainMatMul(be, p, q, tp, tq);
      // y = op(a)·op(b): the gradients of tfjs's matMul, one MatMul each.
      return {
        a: () => (ta ? (tb ? mm(b, g, true, true) : mm(b, g, false, true)) : (tb ? mm(g, b, false, false) : mm(g, b, false, true))),
        b: () => (ta ? (tb ? mm(g, a, true, true) : mm(a, g, false, false)) : (tb ? mm(g, a, true, false) : mm(a, g, true, false))),
        bias: () => biasGrad(be, g),
      };
    },
  });
}

const isTensor = (t: unknown): t is tf.Tensor => t instanceof tf.Tensor;
const oneStep = (d: unknown) => d === undefined || d === 1 || (Array.isArray(d) && d.every((v) => v === 1));
const pair = (s: number | [number, number]): [number, number] => (typeof s === 'number' ? [s, s] : s);
/** Is the fused path on for this call (native backend current, probe passed)? */
const active = () => ops !== null && tf.getBackend() === BACKEND;

type FusedConvArgs = Parameters<typeof tf.fused.conv2d>[0];
type FusedMatMulArgs = Parameters<typeof tf.fused.matMul>[0];

/** The conv attributes when the course's fused kernel covers this call, else null. */
function convCase(x: unknown, filter: unknown, bias: unknown, o: { strides: number | [number, number]; pad: unknown; dataFormat?: string; dilations?: unknown; dimRoundingMode?: unknown; activation?: string; preluActivationWeights?: unknown }, activations: Set<string> | null): ConvAttrs | null {
  const activation = o.activation ?? 'linear';
  if (!isTensor(x) || !isTensor(filter) || !isTensor(bias) || x.rank !== 4 || filter.rank !== 4 || bias.rank !== 1) return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || bias.dtype !== 'float32' || bias.shape[0] !== filter.shape[3]) return null;
  if ((o.dataFormat ?? 'NHWC') !== 'NHWC' || !oneStep(o.dilations) || o.dimRoundingMode != null || o.preluActivationWeights != null) return null;
  if ((o.pad !== 'valid' && o.pad !== 'same') || !(activation in ACTIVATIONS) || (activations && !activations.has(activation))) return null;
  return { strides: pair(o.strides), pad: o.pad, activation };
}

/** The matMul attributes when the course's fused kernel covers a rank-2 call, else null. */
function matMulCase(a: unknown, b: unknown, bias: unknown, o: { transposeA?: boolean; transposeB?: boolean; activation?: string; preluActivationWeights?: unknown }, activations: Set<string> | null): MatMulAttrs | null {
  const activation = o.activation ?? 'linear';
  if (!isTensor(a) || !isTensor(b) || a.rank !== 2 || b.rank !== 2 || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  if (o.preluActivationWeights != null || !(activation in ACTIVATIONS) || (activations && !activations.has(activation))) return null;
  // Without a bias only the plain product (a dense layer whose activation, e.g. softmax, tfjs applies after its bias).
  if (bias == null) return activation === 'linear' ? { transposeA: !!o.transposeA, transposeB: !!o.transposeB, activation } : null;
  if (!isTensor(bias) || bias.rank !== 1 || bias.dtype !== 'float32' || bias.shape[0] !== b.shape[o.transposeB ? 0 : 1]) return null;
  return { transposeA: !!o.transposeA, transposeB: !!o.transposeB, activation };
}

/** The kernel that takes the covered `tf.fused.conv2d` calls on each backend (`routeFusedConv2D`). */
const convRoutes = new Map<string, string>();

/**
 * Route the `tf.fused.conv2d` calls the course covers (`convCase` with the trainable activations) on `backend` to
 * `kernel`, which the caller registers with inputs `x`, `filter`, `bias` and `ConvAttrs` (the native backend's
 * `CourseFusedConv2D`, wasm's `CourseWasmFusedConv2D`). One wrapper serves every backend; the route is looked up per
 * call, so other backends and uncovered calls keep tfjs's own `tf.fused.conv2d`.
 */
export function routeFusedConv2D(backend: string, kernel: string): void {
  const first = convRoutes.size === 0;
  convRoutes.set(backend, kernel);
  if (!first) return;
  const fused = tf.fused as { conv2d: typeof tf.fused.conv2d };
  const conv2d = fused.conv2d;
  fused.conv2d = ((args: FusedConvArgs) => {
    const route = convRoutes.get(tf.getBackend());
    const attrs = route ? convCase(args.x, args.filter, args.bias, args, TRAINABLE) : null;
    if (!route || !attrs) return conv2d(args);
    return tf.engine().runKernel(route, { x: args.x as tf.Tensor, filter: args.filter as tf.Tensor, bias: args.bias as tf.Tensor }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }) as typeof tf.fused.conv2d;
}

/** Route `tf.fused.conv2d`/`tf.fused.matMul` calls the course covers to its kernels (once per process; checked per call). */
function wrapFusedOps(): void {
  routeFusedConv2D(BACKEND, 'CourseFusedConv2D');
  const fused = tf.fused as { matMul: typeof tf.fused.matMul };
  const matMul = fused.matMul;
  fused.matMul = ((args: FusedMatMulArgs) => {
    const attrs = active() ? matMulCase(args.a, args.b, args.bias, args, TRAINABLE) : null;
    if (!attrs) return matMul(args);
    const inputs: Record<string, tf.Tensor> = { a: args.a as tf.Tensor, b: args.b as tf.Tensor };
    if (args.bias != null) inputs.bias = args.bias as tf.Tensor;
    return tf.engine().runKernel('CourseFusedMatMul', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }) as typeof tf.fused.matMul;
}

/** Replace the `tensorflow` backend's `FusedConv2D` and `_FusedMatMul` kernels (inference) for the cases covered. */
function replaceStockKernels(): void {
  replaceWithFallback('FusedConv2D', (args) => {
    const { x, filter, bias } = args.inputs as { x: tf.Tensor; filter: tf.Tensor; bias?: tf.Tensor };
    const attrs = convCase(x, filter, bias, args.attrs as unknown as ConvAttrs, null);
    if (!attrs) return null;
    attrs.leakyreluAlpha = (args.attrs as { leakyreluAlpha?: number }).leakyreluAlpha;
    return nativeConv(args.backend as unknown as NodeBackend, ops!.conv, ops!.convLabel, x, filter, bias!, attrs) as unknown as tf.TensorInfo;
  });
  replaceWithFallback('_FusedMatMul', (args) => {
    const { a, b, bias } = args.inputs as { a: tf.Tensor3D; b: tf.Tensor3D; bias?: tf.Tensor };
    // tfjs passes rank-3 operands; one batch of each is a plain matrix product.
    if (a.rank !== 3 || b.rank !== 3 || a.shape[0] !== 1 || b.shape[0] !== 1 || !bias) return null;
    const [a2, b2] = [tf.reshape(a, a.shape.slice(1)), tf.reshape(b, b.shape.slice(1))];
    try {
      const attrs = matMulCase(a2, b2, bias, args.attrs as unknown as MatMulAttrs, null);
      if (!attrs) return null;
      attrs.leakyreluAlpha = (args.attrs as { leakyreluAlpha?: number }).leakyreluAlpha;
      return tf.tidy(() => {
        const y = fusedMatMul(args.backend as unknown as NodeBackend, a2, b2, bias, attrs);
        return tf.reshape(y, [1, ...y.shape]);
      }) as unknown as tf.TensorInfo;
    } finally {
      tf.dispose([a2, b2]);
    }
  });
}

/**
 * Register the fused kernels for the `tensorflow` backend when the binding can call the fused ops and they agree with
 * tfjs's unfused ops; otherwise (or with `COURSE_NATIVE_FUSION=0`) register nothing. Call after tfjs-node is loaded
 * (registerNativeTrainingKernels does). Returns the kernel names added or replaced, e.g. `['FusedConv2D', '_FusedMatMul']`;
 * calling it again returns the same.
 */
export function registerNativeFusedKernels(env: NodeJS.ProcessEnv = process.env): string[] {
  if (registered) return registered.slice();
  const backend = tf.findBackend(BACKEND) as unknown as NodeBackend | null;
  if (!backend) throw new Error("registerNativeFusedKernels: the 'tensorflow' backend is not loaded (load tfjs-node first)");
  if (env.COURSE_NATIVE_FUSION === '0') return []; // decided per call until the kernels are registered
  if (tf.getBackend() !== BACKEND) throw new Error("registerNativeFusedKernels: make 'tensorflow' the current backend first (its probe runs on it)");
  const found = probe(backend, env.COURSE_NATIVE_FUSED_MATMUL === '1');
  if (!found) return (registered = []).slice();
  ops = found;
  registerCourseKernels();
  replaceStockKernels();
  wrapFusedOps();
  registered = ['FusedConv2D', '_FusedMatMul'];
  return registered.slice();
}

/** The native ops the probe chose (e.g. `_MklNativeFusedConv2D`), or null when the fused kernels are off. */
export function nativeFusedOps(): { conv: string; matMul: string | null; matMulTransposedA: string | null } | null {
  return ops ? { conv: ops.conv, matMul: ops.matMul, matMulTransposedA: ops.matMulT } : null;
}
