/**
 * Max-pooling gradients on WebAssembly (最大池化的梯度), fixed.
 *
 * tfjs-backend-wasm 4.22's `MaxPoolGrad` starts its running maximum at the smallest *positive*
 * float, so a window whose values are all ≤ 0 sends its gradient to the window's first cell
 * whatever the values; ties go to a different cell than on cpu/TensorFlow. After batch norm
 * half the activations are negative, and the first layers' gradients come out 28–120 % off —
 * silently. `MaxPoolWithArgmax` has the same bug (its pooled values come out as 1.18e-38).
 *
 * These replacements scan each window in row-major order from −∞ with a strict `>`, exactly as
 * the cpu backend and TensorFlow do (the first maximum wins a tie; NaN never wins), working
 * directly on the wasm heap: one pass over the input, channels innermost (contiguous in NHWC).
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, PadAttr, RoundingAttr, Shape4, asWasmBackend, f32, wasmKernel } from './wasm-kernels-core';

/** Bounds of one pooling window along one axis: first valid index, end (exclusive), step. */
function windowStart(corner: number, dilation: number): number {
  let at = corner;
  while (at < 0) at += dilation;
  return at;
}

/**
 * For every pooling window (and channel), the flat NHWC index of its first maximum, or −1.
 * `values` receives the maxima when given.
 */
function windowArgmax(x: Float32Array, info: tf.backend_util.Conv2DInfo, values?: Float32Array): Int32Array {
  const {
    batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth,
    dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth,
  } = info;
  const { top, left } = info.padInfo;
  const arg = new Int32Array(batchSize * outHeight * outWidth * c);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const rCorner = yR * strideHeight - top;
      const rMin = windowStart(rCorner, dilationHeight);
      const rMax = Math.min(inHeight, effectiveFilterHeight + rCorner);
      for (let yC = 0; yC < outWidth; yC++) {
        const cCorner = yC * strideWidth - left;
        const cMin = windowStart(cCorner, dilationWidth);
        const cMax = Math.min(inWidth, effectiveFilterWidth + cCorner);
        const out = ((b * outHeight + yR) * outWidth + yC) * c;
        for (let d = 0; d < c; d++) {
          let best = -Infinity;
          let where = -1;
          for (let xR = rMin; xR < rMax; xR += dilationHeight) {
            const row = (b * inHeight + xR) * inWidth;
            for (let xC = cMin; xC < cMax; xC += dilationWidth) {
              const i = (row + xC) * c + d;
              const v = x[i]!;
              if (v > best) {
                best = v;
                where = i;
              }
            }
          }
          arg[out + d] = where;
          if (values) values[out + d] = best;
        }
      }
    }
  }
  return arg;
}

/**
 * The common case — 2×2 windows, stride 2, no padding — in one pass: clear `dx`, then store each
 * window's gradient at its first maximum.
 */
function maxPoolGrad2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  dx.fill(0);
  const rowStride = w * c;
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < ho; yR++) {
      const row = (b * h + 2 * yR) * rowStride;
      const outRow = (b * ho + yR) * wo * c;
      for (let yC = 0; yC < wo; yC++) {
        const i0 = row + 2 * yC * c;
        const i2 = i0 + rowStride;
        const o = outRow + yC * c;
        for (let d = 0; d < c; d++) {
          const p0 = i0 + d;
          const p1 = p0 + c;
          const p2 = i2 + d;
          const p3 = p2 + c;
          const v0 = x[p0]!;
          // First maximum in row-major order, strict > from −∞ as on cpu (NaN never wins).
          let at = v0 > -Infinity ? p0 : -1;
          let best = at >= 0 ? v0 : -Infinity;
          const v1 = x[p1]!;
          if (v1 > best) { best = v1; at = p1; }
          const v2 = x[p2]!;
          if (v2 > best) { best = v2; at = p2; }
          if (x[p3]! > best) at = p3;
          if (at >= 0) dx[at] = dy[o + d]!;
        }
      }
    }
  }
}

function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const attrs = args.attrs as unknown as {
    filterSize: number | [number, number]; strides: number | [number, number]; pad: PadAttr; dimRoundingMode?: RoundingAttr;
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const dx = backend.makeOutput(input.shape, 'float32');
  const xv = f32(backend, input);
  const dyv = f32(backend, dy);
  const dxv = f32(backend, dx);
  const { padInfo } = info;
  if (info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
      padInfo.top === 0 && padInfo.left === 0 && 2 * info.outHeight <= info.inHeight && 2 * info.outWidth <= info.inWidth) {
    maxPoolGrad2x2(xv, dyv, dxv, info);
    return dx;
  }
  const arg = windowArgmax(xv, info);
  dxv.fill(0);
  for (let i = 0; i < arg.length; i++) {
    const at = arg[i]!;
    if (at >= 0) dxv[at] += dyv[i]!;
  }
  return dx;
}

function maxPoolWithArgmax(args: KernelArgs): tf.TensorInfo[] {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const attrs = args.attrs as unknown as {
    filterSize: number | [number, number]; strides: number | [number, number]; pad: 'same' | 'valid' | number;
    includeBatchInIndex: boolean;
  };
  const info = tf.backend_util.computePool2DInfo(x.shape as Shape4, attrs.filterSize, attrs.strides, [1, 1], attrs.pad);
  const result = backend.makeOutput(info.outShape, 'float32');
  const indexes = backend.makeOutput(info.outShape, 'int32');
  const values = new Float32Array(tf.util.sizeFromShape(info.outShape));
  const arg = windowArgmax(f32(backend, x), info, values);
  if (!attrs.includeBatchInIndex) {
    const perImage = info.inHeight * info.inWidth * info.inChannels;
    for (let i = 0; i < arg.length; i++) if (arg[i]! >= 0) arg[i] = arg[i]! % perImage;
  }
  const record = backend.dataIdMap.get(indexes.dataId)!;
  new Int32Array(backend.wasm.HEAPU8.buffer, record.memoryOffset, arg.length).set(arg);
  f32(backend, result).set(values);
  return [result, indexes];
}

/** `MaxPoolGrad` for wasm: the gradient goes to each window's first maximum, negative windows included. */
export const wasmMaxPoolGradConfig: tf.KernelConfig = wasmKernel(tf.MaxPoolGrad, maxPoolGrad);

/** `MaxPoolWithArgmax` for wasm: correct maxima and first-maximum indexes. */
export const wasmMaxPoolWithArgmaxConfig: tf.KernelConfig = wasmKernel(tf.MaxPoolWithArgmax, maxPoolWithArgmax);
