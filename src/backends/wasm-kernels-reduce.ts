/**
 * Reductions over leading axes on WebAssembly (前导轴归约): bias gradients and batch-norm moments.
 *
 * A conv layer's bias gradient is `sum(dy, [0, 1, 2])` over `[N, H, W, C]`, batch norm's moments
 * `mean(x, [0, 1, 2])`. The stock wasm `Sum` / `Mean` reduce innermost axes only, so they first
 * transpose the whole tensor; for the seed CNN that is 15× slower than treating the tensor as a
 * `[1, N·H·W, 1, C]` image and average-pooling it with one `N·H·W × 1` window (XNNPACK, SIMD across
 * channels). `Sum` then scales the `C` averages back by `N·H·W`. Other reductions keep the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, KernelScope, asWasmBackend, f32, runOriginal, sizeOf, wasmKernel } from './wasm-kernels-core';

/** Below this many elements the stock kernel is as fast. */
const MIN_SIZE = 4096;

/** If `axis` is exactly the leading axes `0..k-1` (k < rank), return k; else −1. */
export function leadingAxes(axis: number | number[] | null | undefined, rank: number): number {
  if (axis === null || axis === undefined) return -1;
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
  if (list.length === 0 || list.length >= rank) return -1;
  for (let i = 0; i < list.length; i++) if (list[i] !== i) return -1;
  return list.length;
}

function reduceLeading(kernel: 'Sum' | 'Mean', args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[] | null; keepDims: boolean };
  const k = leadingAxes(axis, x.shape.length);
  if (k < 0 || x.dtype !== 'float32' || sizeOf(x.shape) < MIN_SIZE) return runOriginal(kernel, args);
  const rows = sizeOf(x.shape.slice(0, k));
  const kept = x.shape.slice(k);
  const channels = sizeOf(kept);
  if (rows < 2 || channels === 0) return runOriginal(kernel, args);
  const s = new KernelScope(backend);
  try {
    const image = s.reshape(x, [1, rows, 1, channels]);
    const pooled = s.run('AvgPool', { x: image }, { filterSize: [rows, 1], strides: [1, 1], pad: 'valid' });
    if (kernel === 'Sum') {
      const v = f32(backend, pooled);
      for (let i = 0; i < v.length; i++) v[i] = v[i]! * rows;
    }
    const shape = keepDims ? [...new Array<number>(k).fill(1), ...kept] : kept;
    return s.keep(s.reshape(pooled, shape));
  } finally {
    s.dispose();
  }
}

/** `Sum` for wasm: leading-axes sums by one average pool. */
export const wasmSumConfig: tf.KernelConfig = wasmKernel(tf.Sum, (args) => reduceLeading('Sum', args));

/** `Mean` for wasm: leading-axes means by one average pool. */
export const wasmMeanConfig: tf.KernelConfig = wasmKernel(tf.Mean, (args) => reduceLeading('Mean', args));
