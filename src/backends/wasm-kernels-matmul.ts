/**
 * Matrix products on WebAssembly (矩阵乘法) without the slow path.
 *
 * tfjs-backend-wasm 4.22 sends `BatchMatMul` / `_FusedMatMul` to XNNPACK only when neither operand
 * is transposed and there is one matrix per operand; anything else runs a scalar triple loop. A
 * dense layer's backward pass is exactly that: `dW = xᵀ·dy` (transposeA) and `dx = dy·Wᵀ`
 * (transposeB), ~10× slower than XNNPACK. The course transposes the operand once with the fast
 * `Transpose` kernel and then calls the stock kernel on the XNNPACK path. Batched products
 * (more than one matrix) keep the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, KernelScope, asWasmBackend, runOriginal, sizeOf, wasmKernel } from './wasm-kernels-core';

/** `[rows, cols]` of the last two axes. */
function lastTwo(t: tf.TensorInfo): [number, number] {
  const r = t.shape.length;
  return [t.shape[r - 2]!, t.shape[r - 1]!];
}

/** Materialise `t` (one matrix) transposed, as a rank-3 `[1, cols, rows]` tensor. */
function transposed(s: KernelScope, t: tf.TensorInfo): tf.TensorInfo {
  const [rows, cols] = lastTwo(t);
  return s.transpose(s.reshape(t, [1, rows, cols]), [0, 2, 1]);
}

function matMul(kernel: string, args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const single = a.shape.length >= 2 && b.shape.length >= 2 &&
    sizeOf(a.shape.slice(0, -2)) === 1 && sizeOf(b.shape.slice(0, -2)) === 1;
  if (!single || (!attrs.transposeA && !attrs.transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runOriginal(kernel, args);
  }
  const s = new KernelScope(backend);
  try {
    const a2 = attrs.transposeA ? transposed(s, a) : a;
    const b2 = attrs.transposeB ? transposed(s, b) : b;
    const out = runOriginal(kernel, {
      inputs: { ...args.inputs, a: a2, b: b2 },
      backend,
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    // The stock kernel shapes its output from the operands' batch dims: restore the caller's rank.
    const rank = Math.max(a.shape.length, b.shape.length);
    const m = attrs.transposeA ? lastTwo(a)[1] : lastTwo(a)[0];
    const n = attrs.transposeB ? lastTwo(b)[0] : lastTwo(b)[1];
    const shape = [...new Array<number>(rank - 2).fill(1), m, n];
    return { ...out, shape };
  } finally {
    s.dispose();
  }
}

/** `BatchMatMul` for wasm: transposed operands are transposed once, then multiplied by XNNPACK. */
export const wasmBatchMatMulConfig: tf.KernelConfig = wasmKernel(tf.BatchMatMul, (args) => matMul(tf.BatchMatMul, args));

/** `_FusedMatMul` for wasm: as `BatchMatMul`, with the bias and activation of the stock kernel. */
export const wasmFusedMatMulConfig: tf.KernelConfig = wasmKernel(tf._FusedMatMul, (args) => matMul(tf._FusedMatMul, args));
