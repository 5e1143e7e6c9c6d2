/**
 * Convolution from scratch (卷积, 从零实现): the loops that `tf.conv2d` runs, written out so they
 * can be read, and checked against TensorFlow in `tests/scratch/conv2d.test.ts`.
 *
 * For an input `x` of shape `[n, h, w, cIn]` (NHWC, TensorFlow's layout) and a kernel (卷积核)
 * `k` of shape `[kh, kw, cIn, cOut]`, output pixel `(i, j)` of channel `o` is
 *
 *   y[b, i, j, o] = Σ_{u < kh} Σ_{v < kw} Σ_{c < cIn} x[b, i·s + u − padTop, j·s + v − padLeft, c] · k[u, v, c, o]
 *
 * (strictly a cross-correlation (互相关): the kernel is not flipped, as in every deep-learning
 * library). Positions outside the image read 0 (zero padding, 零填充).
 *
 * ```ts
 * const x = tf.randomNormal([1, 28, 28, 1]) as tf.Tensor4D;
 * const k = tf.randomNormal([3, 3, 1, 32]) as tf.Tensor4D;
 * const mine = conv2dNaive(x, k);              // [1, 26, 26, 32]
 * const theirs = tf.conv2d(x, k, 1, 'valid');  // the same numbers up to float rounding
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { Dense } from '../data/dense';

export type ConvPadding = 'valid' | 'same';

export interface Conv2dOptions {
  /** Step between two output positions, one number or `[down, across]` (default 1). */
  strides?: number | readonly [number, number];
  /** `valid`: only where the kernel fits (default); `same`: pad so that out = ⌈in / stride⌉. */
  padding?: ConvPadding;
}

/**
 * Output length and padding before the first element along one axis, with TensorFlow's rules:
 * `valid` → out = ⌊(in − k) / s⌋ + 1, no padding; `same` → out = ⌈in / s⌉ and the total padding
 * `max((out − 1)·s + k − in, 0)` split with the smaller half first.
 *
 * ```ts
 * conv2dOutputSize(28, 3, 1, 'valid');   // { size: 26, padBefore: 0 }
 * conv2dOutputSize(28, 3, 1, 'same');    // { size: 28, padBefore: 1 }
 * ```
 */
export function conv2dOutputSize(inSize: number, kernelSize: number, stride = 1, padding: ConvPadding = 'valid'): { size: number; padBefore: number } {
  if (padding === 'valid') {
    const size = Math.floor((inSize - kernelSize) / stride) + 1;
    if (size < 1) throw new Error(`conv2d: a kernel of ${kernelSize} does not fit in ${inSize} pixels with 'valid' padding`);
    return { size, padBefore: 0 };
  }
  const size = Math.ceil(inSize / stride);
  const total = Math.max((size - 1) * stride + kernelSize - inSize, 0);
  return { size, padBefore: Math.floor(total / 2) };
}

/**
 * 2-D convolution on plain arrays, seven nested loops and nothing else.
 *
 * @param x input `{ data, shape: [n, h, w, cIn] }`.
 * @param kernel `{ data, shape: [kh, kw, cIn, cOut] }`.
 * @returns `{ data, shape: [n, outH, outW, cOut] }`.
 */
export function conv2dArrays(x: Dense, kernel: Dense, options: Conv2dOptions = {}): Dense {
  if (x.shape.length !== 4) throw new Error(`conv2d: input must be [n, h, w, cIn], got [${x.shape.join(', ')}]`);
  if (kernel.shape.length !== 4) throw new Error(`conv2d: kernel must be [kh, kw, cIn, cOut], got [${kernel.shape.join(', ')}]`);
  const [n, h, w, cIn] = x.shape as [number, number, number, number];
  const [kh, kw, kIn, cOut] = kernel.shape as [number, number, number, number];
  if (kIn !== cIn) throw new Error(`conv2d: the input has ${cIn} channels but the kernel expects ${kIn}`);
  const [sh, sw] = typeof options.strides === 'number' ? [options.strides, options.strides] : (options.strides ?? [1, 1]);
  const padding = options.padding ?? 'valid';
  const rows = conv2dOutputSize(h, kh, sh, padding);
  const cols = conv2dOutputSize(w, kw, sw, padding);
  const outH = rows.size;
  const outW = cols.size;
  const out = new Float32Array(n * outH * outW * cOut);
  const xd = x.data;
  const kd = kernel.data;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        for (let o = 0; o < cOut; o++) {
          let sum = 0;
          for (let u = 0; u < kh; u++) {
            const yIn = i * sh + u - rows.padBefore;
            if (yIn < 0 || yIn >= h) continue; // zero padding
            for (let v = 0; v < kw; v++) {
              const xIn = j * sw + v - cols.padBefore;
              if (xIn < 0 || xIn >= w) continue;
              for (let c = 0; c < cIn; c++) {
                sum += xd[((b * h + yIn) * w + xIn) * cIn + c]! * kd[((u * kw + v) * cIn + c) * cOut + o]!;
              }
            }
          }
          out[((b * outH + i) * outW + j) * cOut + o] = sum;
        }
      }
    }
  }
  return { data: out, shape: [n, outH, outW, cOut] };
}

/**
 * `conv2dArrays` on tensors: same arguments as `tf.conv2d(x, kernel, strides, padding)`, same
 * result (a new tensor the caller disposes), computed by the loops above on the CPU.
 *
 * @param x `[n, h, w, cIn]` (a `[h, w, cIn]` image is treated as a batch of one and returned as such).
 * @param kernel `[kh, kw, cIn, cOut]`.
 */
export function conv2dNaive<T extends tf.Tensor3D | tf.Tensor4D>(x: T, kernel: tf.Tensor4D, options: Conv2dOptions = {}): T {
  const single = x.rank === 3;
  const shape: number[] = single ? [1, ...x.shape] : x.shape.slice();
  const result = conv2dArrays({ data: Float32Array.from(x.dataSync()), shape },
    { data: Float32Array.from(kernel.dataSync()), shape: kernel.shape.slice() }, options);
  const outShape: number[] = single ? result.shape.slice(1) : result.shape.slice();
  return tf.tensor(result.data, outShape, 'float32') as tf.Tensor as T;
}

/**
 * Max pooling (最大池化) from scratch: the largest value in each `size × size` window, moved by
 * `stride` (default = size), 'valid' windows only, as `tf.maxPool(x, size, stride, 'valid')`.
 *
 * @param x `{ data, shape: [n, h, w, c] }` → `{ data, shape: [n, ⌊(h−size)/stride⌋+1, ..., c] }`.
 */
export function maxPool2dArrays(x: Dense, size = 2, stride = size): Dense {
  if (x.shape.length !== 4) throw new Error(`maxPool2d: input must be [n, h, w, c], got [${x.shape.join(', ')}]`);
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const outH = conv2dOutputSize(h, size, stride, 'valid').size;
  const outW = conv2dOutputSize(w, size, stride, 'valid').size;
  const out = new Float32Array(n * outH * outW * c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        for (let ch = 0; ch < c; ch++) {
          let m = -Infinity;
          for (let u = 0; u < size; u++) {
            for (let v = 0; v < size; v++) {
              const val = x.data[((b * h + i * stride + u) * w + j * stride + v) * c + ch]!;
              if (val > m) m = val;
            }
          }
          out[((b * outH + i) * outW + j) * c + ch] = m;
        }
      }
    }
  }
  return { data: out, shape: [n, outH, outW, c] };
}

/** `maxPool2dArrays` on a `[n, h, w, c]` tensor; returns a new tensor. */
export function maxPool2dNaive(x: tf.Tensor4D, size = 2, stride = size): tf.Tensor4D {
  const r = maxPool2dArrays({ data: Float32Array.from(x.dataSync()), shape: x.shape.slice() }, size, stride);
  return tf.tensor4d(r.data, r.shape as [number, number, number, number]);
}

/**
 * Parameters of a Conv2D layer: `kh·kw·cIn·cOut` weights + `cOut` biases — independent of the
 * image size, unlike a dense layer. `conv2dParamCount(3, 3, 1, 32)` is 320.
 */
export function conv2dParamCount(kh: number, kw: number, cIn: number, cOut: number, bias = true): number {
  return kh * kw * cIn * cOut + (bias ? cOut : 0);
}
