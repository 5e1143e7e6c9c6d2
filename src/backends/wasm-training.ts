/**
 * Training on WebAssembly (在 WebAssembly 上训练), with correct gradients.
 *
 * The wasm backend of TensorFlow.js 4.22 runs inference fast (XNNPACK, SIMD) but cannot train a
 * CNN as shipped: some gradient kernels are missing and several give wrong answers without an
 * error (a CNN with batch norm before max pooling gets first-layer gradients 24–120 % off).
 * `registerWasmTrainingKernels()` registers the course's replacements, built from kernels wasm
 * already runs fast or single passes over wasm memory (`wasm-kernels-conv`, `-pool`, `-misc`,
 * `-matmul`, `-reduce`, `-same`; `-core` is the shared plumbing). Each is checked against the cpu
 * backend in `tests/wasm-kernels-*.test.ts`, and 20 Adam steps of whole models agree with cpu.
 *
 * | kernel | stock wasm 4.22 | course |
 * |---|---|---|
 * | Conv2DBackpropFilter | missing | im2col + one GEMM, or one Conv2D of transposed tensors |
 * | DepthwiseConv2dNativeBackpropFilter / Input | missing | depthwise convs |
 * | UnsortedSegmentSum (embedding grad) | missing | one pass |
 * | MaxPoolGrad, MaxPoolWithArgmax | **wrong** for windows ≤ 0, ties | first-max scan from −∞ |
 * | OneHot float32 | **wrong** (int bits) | written as floats |
 * | Conv2D, FusedConv2D, Depthwise(+Fused) with `'same'`, filter < stride | **wrong** window | explicit pads |
 * | Identity (clone) | copies; trips the `IS_TEST` leak check in every fused op | shares the buffer |
 * | Conv2DBackpropInput stride 1 | slow | one Conv2D with the rotated filter |
 * | Tile (batch-norm grad) | slow | block copies |
 * | BatchMatMul, _FusedMatMul with a transposed operand (dense grads) | scalar loop | Transpose + XNNPACK |
 * | Sum, Mean over leading axes (bias grads, batch-norm moments) | transpose + reduce | one AvgPool |
 * | GatherV2 (`fit`'s batch rows) | strided loop | row copies |
 * | Cast to bool; to the same dtype (relu's gradient) | **wrong** (byte truncation); copies | `x ≠ 0`; shares the buffer |
 * | conv + bias + ReLU while training (`Conv2D`, `Add`, `Relu`) | three passes | one `FusedConv2D` (`wasm-fused`; `COURSE_WASM_FUSION=0` off) |
 *
 * Loading the course library installs it as the hook `selectBackend` calls before it picks wasm,
 * so `await selectBackend()` is all a notebook needs. Node 20 runs the single-threaded SIMD build
 * (no worker threads are faked). `npm run bench` measures the seed CNN on every backend.
 *
 * ```ts
 * import { selectBackend, registerWasmTrainingKernels } from 'ai-course';
 * process.env.COURSE_BACKEND = 'wasm';
 * await selectBackend();            // registers the kernels, then uses wasm
 * // or, setting the backend by hand:
 * registerWasmTrainingKernels(); await tf.setBackend('wasm');
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { rememberOriginal } from './wasm-kernels-core';
import { registerWasmFusedConv } from './wasm-fused';
import {
  wasmConv2DBackpropFilterConfig, wasmConv2DBackpropInputConfig, wasmDepthwiseBackpropFilterConfig,
  wasmDepthwiseBackpropInputConfig,
} from './wasm-kernels-conv';
import {
  wasmCastConfig, wasmGatherConfig, wasmIdentityConfig, wasmOneHotConfig, wasmTileConfig, wasmUnsortedSegmentSumConfig,
} from './wasm-kernels-misc';
import { wasmBatchMatMulConfig, wasmFusedMatMulConfig } from './wasm-kernels-matmul';
import { wasmMaxPoolGradConfig, wasmMaxPoolWithArgmaxConfig } from './wasm-kernels-pool';
import { wasmMeanConfig, wasmSumConfig } from './wasm-kernels-reduce';
import {
  wasmConv2DSameConfig, wasmDepthwiseConv2dSameConfig, wasmFusedConv2DSameConfig, wasmFusedDepthwiseConv2DSameConfig,
} from './wasm-kernels-same';

// The kernel configs (to register selectively or test) and the knobs, for the barrel.
export {
  wasmConv2DBackpropFilterConfig, wasmConv2DBackpropInputConfig, wasmConvOptions, wasmDepthwiseBackpropFilterConfig,
  wasmDepthwiseBackpropInputConfig,
} from './wasm-kernels-conv';
export { wasmBatchMatMulConfig, wasmFusedMatMulConfig } from './wasm-kernels-matmul';
export {
  wasmCastConfig, wasmGatherConfig, wasmIdentityConfig, wasmOneHotConfig, wasmTileConfig, wasmUnsortedSegmentSumConfig,
} from './wasm-kernels-misc';
export { wasmMaxPoolGradConfig, wasmMaxPoolWithArgmaxConfig } from './wasm-kernels-pool';
export { wasmMeanConfig, wasmSumConfig } from './wasm-kernels-reduce';
export {
  explicitSamePad, wasmConv2DSameConfig, wasmDepthwiseConv2dSameConfig, wasmFusedConv2DSameConfig,
  wasmFusedDepthwiseConv2DSameConfig,
} from './wasm-kernels-same';

/** Why the course registers a kernel. */
export type WasmKernelReason = 'missing' | 'fixes a wrong result' | 'fixes an error' | 'faster';

/** One kernel the course registers for wasm. */
export interface WasmTrainingKernel {
  config: tf.KernelConfig;
  reason: WasmKernelReason;
}

/** Every kernel `registerWasmTrainingKernels` installs, and why. */
export const WASM_TRAINING_KERNELS: readonly WasmTrainingKernel[] = [
  { config: wasmConv2DBackpropFilterConfig, reason: 'missing' },
  { config: wasmDepthwiseBackpropFilterConfig, reason: 'missing' },
  { config: wasmDepthwiseBackpropInputConfig, reason: 'missing' },
  { config: wasmUnsortedSegmentSumConfig, reason: 'missing' },
  { config: wasmMaxPoolGradConfig, reason: 'fixes a wrong result' },
  { config: wasmMaxPoolWithArgmaxConfig, reason: 'fixes a wrong result' },
  { config: wasmOneHotConfig, reason: 'fixes a wrong result' },
  { config: wasmConv2DSameConfig, reason: 'fixes a wrong result' },
  { config: wasmFusedConv2DSameConfig, reason: 'fixes a wrong result' },
  { config: wasmDepthwiseConv2dSameConfig, reason: 'fixes a wrong result' },
  { config: wasmFusedDepthwiseConv2DSameConfig, reason: 'fixes a wrong result' },
  { config: wasmIdentityConfig, reason: 'fixes an error' },
  { config: wasmConv2DBackpropInputConfig, reason: 'faster' },
  { config: wasmTileConfig, reason: 'faster' },
  { config: wasmBatchMatMulConfig, reason: 'faster' },
  { config: wasmFusedMatMulConfig, reason: 'faster' },
  { config: wasmSumConfig, reason: 'faster' },
  { config: wasmMeanConfig, reason: 'faster' },
  { config: wasmGatherConfig, reason: 'faster' },
  { config: wasmCastConfig, reason: 'fixes a wrong result' },
];

/** The outcome of `registerWasmTrainingKernels` (`selectBackend` calls it before it accepts `wasm` for training). */
export interface WasmTrainingStatus {
  ok: boolean;
  detail: string;
  registered: string[];
}

let status: WasmTrainingStatus | null = null;

function loadWasmBackend(): void {
  // Registers the 'wasm' backend and its stock kernels in the one tfjs-core; must come before
  // ours, or its registration would overwrite the replacements.
  require('@tensorflow/tfjs-backend-wasm');
}

/**
 * Register the course's wasm training kernels (idempotent). Returns `{ ok, detail }`; `ok` is false
 * when the wasm backend package cannot load.
 */
export function registerWasmTrainingKernels(env: NodeJS.ProcessEnv = process.env): WasmTrainingStatus {
  if (status?.ok) return status;
  try {
    loadWasmBackend();
  } catch (err) {
    const text = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    status = { ok: false, detail: `@tensorflow/tfjs-backend-wasm did not load: ${text}`, registered: [] };
    return status;
  }
  const registered: string[] = [];
  for (const { config } of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing === config) continue;
    let setupFunc = config.setupFunc;
    if (existing) {
      // Keep the stock kernel reachable for the cases ours hands back, and keep its setup (the
      // backend runs every registered kernel's setup when it initialises).
      rememberOriginal(existing);
      setupFunc = existing.setupFunc;
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    if (setupFunc) config.setupFunc = setupFunc;
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  const byReason = (reason: WasmKernelReason) =>
    WASM_TRAINING_KERNELS.filter((k) => k.reason === reason).map((k) => k.config.kernelName).join(', ');
  const fused = registerWasmFusedConv(env); // conv + bias + ReLU as one kernel while training (wasm-fused.ts)
  if (fused) registered.push('CourseWasmFusedConv2D');
  status = {
    ok: true,
    detail: `training kernels registered (added: ${byReason('missing')}; fixed: ${byReason('fixes a wrong result')}; ` +
      `shares buffers instead of copying: ${byReason('fixes an error')}; faster: ${byReason('faster')}` +
      `${fused ? '; conv + bias + ReLU fused while training' : ''})`,
    registered,
  };
  return status;
}

/** Whether every course kernel is currently the one registered for wasm. */
export function wasmTrainingKernelsRegistered(): boolean {
  return WASM_TRAINING_KERNELS.every(({ config }) => tf.getKernel(config.kernelName, 'wasm') === config);
}
