/**
 * Conv + bias + ReLU as one kernel while training on WebAssembly (WebAssembly 上训练时的融合卷积).
 *
 * While gradients are recorded, tfjs runs `tf.fused.conv2d` with a ReLU unfused — `Conv2D`, `Add`, `Relu`, three passes
 * over the output (for the seed CNN's first layer, `[32, 26, 26, 32]`: 0.65 ms of a 9 ms step) — because its fused
 * gradient is generic. On the `wasm` backend the course routes the cases it covers (the same as the native fused
 * kernels: NHWC, float32, rank-1 bias, 'valid'/'same', no dilation, `linear` or `relu`) to one kernel,
 * `CourseWasmFusedConv2D`, which runs the backend's own `FusedConv2D` (XNNPACK adds the bias and clamps in the
 * convolution's output loop), and whose gradient is tfjs's own for those ops:
 *
 * | | forward | backward |
 * |---|---|---|
 * | tfjs while training | `Conv2D`, `Add`, `Relu` | `Step`, `Multiply`, `Sum`, `Conv2DBackpropFilter` (+ `Conv2DBackpropInput`) |
 * | course | `FusedConv2D` | the same five, each only when its input needs a gradient |
 *
 * The gradients are bit-for-bit tfjs's (`step` of the output equals `step` of the pre-activation for ReLU); the output
 * differs from conv-then-add in the float32 rounding of the bias only. `COURSE_WASM_FUSION=0` switches it off;
 * `tests/backends/wasm-fused.test.ts` compares values and gradients with the `cpu` backend.
 */
import * as tf from '@tensorflow/tfjs';
import { ConvAttrs, convBiasGradients, routeFusedConv2D } from './native-fused';

const BACKEND = 'wasm';
const KERNEL = 'CourseWasmFusedConv2D';
let installed = false;

/** The backend's own `FusedConv2D` (the course's corrected one once the training kernels are registered). */
function fusedConv(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: ConvAttrs }): tf.TensorInfo {
  const { strides, pad, activation } = args.attrs;
  const kernel = tf.getKernel('FusedConv2D', BACKEND);
  if (!kernel) throw new Error("CourseWasmFusedConv2D: the wasm backend has no 'FusedConv2D' kernel");
  return kernel.kernelFunc({
    inputs: args.inputs, backend: args.backend,
    attrs: { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation } as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo;
}

/**
 * Register `CourseWasmFusedConv2D` and route covered `tf.fused.conv2d` calls on the `wasm` backend to it (once per
 * process; the route is checked per call, so other backends are unaffected). Does nothing with `COURSE_WASM_FUSION=0`.
 * Returns whether the route is installed.
 */
export function registerWasmFusedConv(env: NodeJS.ProcessEnv = process.env): boolean {
  if (installed) return true;
  if (env.COURSE_WASM_FUSION === '0') return false;
  tf.registerKernel({
    kernelName: KERNEL, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => fusedConv({ inputs, backend: backend as tf.KernelBackend, attrs: attrs as unknown as ConvAttrs }),
  });
  tf.registerGradient({
    kernelName: KERNEL, inputsToSave: ['x', 'filter'], outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as ConvAttrs;
      const g = a.activation === 'relu' ? tf.mul(dy as tf.Tensor, tf.step(y)) : (dy as tf.Tensor); // relu's gradient, as tfjs's
      return convBiasGradients(x, filter, g, a, (t) => tf.sum(t, [0, 1, 2]));
    },
  });
  routeFusedConv2D(BACKEND, KERNEL); // src/backends/native-fused.ts: the one wrapper of tf.fused.conv2d
  installed = true;
  return true;
}

/** Whether `CourseWasmFusedConv2D` is registered and routed to. */
export function wasmFusedConvInstalled(): boolean {
  return installed;
}
