/**
 * Convolution gradients on WebAssembly (卷积的反向传播), built from the wasm backend's own fast
 * `Conv2D` / `DepthwiseConv2dNative` (XNNPACK) plus transposes.
 *
 * - `Conv2DBackpropFilter` (missing in tfjs-backend-wasm 4.22):
 *   `dW[a,b,i,o] = Σ_{n,y,x} x[n, y·s + a − pad, x·s + b − pad, i] · dy[n, y, x, o]` is computed
 *   either as one matrix product `(dyᵀ · patches)ᵀ` (im2col, then XNNPACK's GEMM with the patches as its
 *   packed operand; best for first layers with 1–4 input channels) or as one convolution — of the input
 *   transposed to `[inC, H, W, batch]` with the output gradient transposed to `[outH, outW, batch, outC]`
 *   as filter, dilated by the forward stride (best with more channels). XNNPACK packs its weights operand
 *   anew on every call (a new `dy` each step): that packing, not the arithmetic, is most of the kernel's
 *   time, hence the smaller operand in that role where the choice exists.
 * - `Conv2DBackpropInput` with stride 1: a plain convolution of the output gradient with the
 *   filter rotated by 180° and its in/out channels swapped ("full" padding). Other strides keep
 *   the wasm backend's own kernel.
 * - `DepthwiseConv2dNativeBackpropFilter` / `...BackpropInput` (missing; separable convs): the same
 *   two ideas with depthwise convolutions, the batch folded into the channels for the filter.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ExplicitPad, KernelArgs, KernelScope, PadAttr, RoundingAttr, Shape4, asWasmBackend, f32, pair,
  runOriginal, sizeOf, withScope, wasmKernel,
} from './wasm-kernels-core';

const NCHW_TO_NHWC = [0, 2, 3, 1];

/**
 * Tuning for `Conv2DBackpropFilter`: im2col + GEMM for inputs with at most `maxIm2colChannels`
 * channels (the seed CNN's first layer: 2.1 ms per training step; 2.75 ms with `dy` as the packed operand), the transposed-convolution form
 * otherwise (2–3× faster there), and never an im2col matrix above `maxPatches` elements
 * (`maxPatches: 0` forces the convolution form; the tests use it).
 */
export const wasmConvOptions = { maxPatches: 16 * 1024 * 1024, maxIm2colChannels: 4 };

function isNCHW(dataFormat: unknown): boolean {
  return dataFormat === 'NCHW';
}

/**
 * Filter gradient of a (possibly dilated, strided) 2-D convolution as one forward convolution.
 * `x`: `[N, H, W, Ci]`; `dy`: `[N, Ho, Wo, Co]`; returns `[fh, fw, Ci, Co]`.
 */
function filterGradient(
  s: KernelScope, x: tf.TensorInfo, dy: tf.TensorInfo, fh: number, fw: number,
  info: tf.backend_util.Conv2DInfo, depthwise: boolean, channelMultiplier: number,
): tf.TensorInfo {
  const [n, h, w, ci] = x.shape as Shape4;
  const ho = info.outHeight;
  const wo = info.outWidth;
  const { top, left } = info.padInfo;
  // Rows the inner convolution must see: a·dil + y·stride − top for a < fh, y < Ho.
  const bottom = Math.max(0, (fh - 1) * info.dilationHeight + (ho - 1) * info.strideHeight + 1 - h - top);
  const right = Math.max(0, (fw - 1) * info.dilationWidth + (wo - 1) * info.strideWidth + 1 - w - left);
  const call = {
    // The forward dilation becomes the stride, the forward stride the dilation.
    strides: [info.dilationHeight, info.dilationWidth] as [number, number],
    dilations: [info.strideHeight, info.strideWidth] as [number, number],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]] as ExplicitPad,
  };
  if (!depthwise) {
    const co = dy.shape[3]!;
    const xt = s.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]: input channels become the batch
    const ft = s.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]: the batch is summed as channels
    let out = s.conv2d(xt, ft, call); // [Ci, >= fh, >= fw, Co]
    if (out.shape[1] !== fh || out.shape[2] !== fw) out = s.slice(out, [0, 0, 0, 0], [ci, fh, fw, co]);
    return s.transpose(out, [1, 2, 0, 3]);
  }
  // Depthwise: every (image, channel) pair is its own channel; the batch is summed afterwards.
  const m = channelMultiplier;
  const xt = s.reshape(s.transpose(x, [1, 2, 0, 3]), [1, h, w, n * ci]); // [1, H, W, N·Ci]
  const dy5 = s.reshape(dy, [n, ho, wo, ci, m]);
  const ft = s.reshape(s.transpose(dy5, [1, 2, 0, 3, 4]), [ho, wo, n * ci, m]); // [Ho, Wo, N·Ci, M]
  let out = s.depthwiseConv2d(xt, ft, call); // [1, >= fh, >= fw, N·Ci·M]
  if (out.shape[1] !== fh || out.shape[2] !== fw) out = s.slice(out, [0, 0, 0, 0], [1, fh, fw, n * ci * m]);
  const summed = s.sum(s.reshape(out, [fh, fw, n, ci * m]), [2]); // [fh, fw, Ci·M]
  return s.reshape(summed, [fh, fw, ci, m]);
}

/**
 * The transposed im2col matrix of `x` for a convolution: row `(a, b, i)` (filter cell and input
 * channel, in the filter's HWIO order) holds, for every output position `(n, y, x)`, the input
 * value that cell multiplies (0 in the padding). Shape `[fh·fw·Ci, N·Ho·Wo]`.
 */
function patchesTransposed(s: KernelScope, x: tf.TensorInfo, fh: number, fw: number, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const [n, h, w, ci] = x.shape as Shape4;
  const ho = info.outHeight;
  const wo = info.outWidth;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const dh = info.dilationHeight;
  const dw = info.dilationWidth;
  const { top, left } = info.padInfo;
  const m = n * ho * wo;
  // Channel-major input ([Ci, N, H, W]) so each patch row is read from one contiguous image row.
  const xc = ci === 1 ? x : s.transpose(x, [3, 0, 1, 2]);
  const out = s.make([1, fh * fw * ci, m], 'float32');
  const heap = new Float32Array(s.backend.wasm.HEAPU8.buffer);
  const xBase = s.backend.dataIdMap.get(xc.dataId)!.memoryOffset / 4;
  const pBase = s.backend.dataIdMap.get(out.dataId)!.memoryOffset / 4;
  for (let a = 0; a < fh; a++) {
    for (let b = 0; b < fw; b++) {
      // Output columns whose input column is inside the image: ox in [oxMin, oxMax).
      const shift = b * dw - left;
      const oxMin = Math.min(wo, Math.max(0, Math.ceil(-shift / sw)));
      const oxMax = Math.max(oxMin, Math.min(wo, Math.floor((w - 1 - shift) / sw) + 1));
      for (let c = 0; c < ci; c++) {
        let dst = pBase + ((a * fw + b) * ci + c) * m;
        for (let img = 0; img < n; img++) {
          const plane = xBase + (c * n + img) * h * w;
          for (let oy = 0; oy < ho; oy++, dst += wo) {
            const iy = oy * sh + a * dh - top;
            if (iy < 0 || iy >= h) {
              heap.fill(0, dst, dst + wo);
              continue;
            }
            if (oxMin > 0) heap.fill(0, dst, dst + oxMin);
            const row = plane + iy * w + shift;
            if (sw === 1) {
              heap.copyWithin(dst + oxMin, row + oxMin, row + oxMax);
            } else {
              for (let ox = oxMin; ox < oxMax; ox++) heap[dst + ox] = heap[row + ox * sw]!;
            }
            if (oxMax < wo) heap.fill(0, dst + oxMax, dst + wo);
          }
        }
      }
    }
  }
  return out;
}

/**
 * Filter gradient as one matrix product over the `K = N·Ho·Wo` output positions, computed transposed:
 * `dWᵀ = dyᵀ · patches` (`[Co, K]·[K, fh·fw·Ci]`). XNNPACK packs its second operand as weights on every call
 * (a new `dy` each step), so that operand is the smaller one — the patches (`fh·fw·Ci` columns), not `dy`
 * (`Co` columns): for the seed CNN's first layer that packing was 2 of the kernel's 2.75 ms per step.
 */
function filterGradientIm2col(
  s: KernelScope, x: tf.TensorInfo, dy: tf.TensorInfo, fh: number, fw: number, info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const ci = x.shape[3]!;
  const co = dy.shape[3]!;
  const pt = patchesTransposed(s, x, fh, fw, info); // [1, fh·fw·Ci, K]
  const dyT = s.transpose(s.reshape(dy, [1, sizeOf(dy.shape) / co, co]), [0, 2, 1]); // [1, Co, K]
  const prod = s.run('BatchMatMul', { a: dyT, b: s.transpose(pt, [0, 2, 1]) }, { transposeA: false, transposeB: false }); // [1, Co, fh·fw·Ci]
  return s.reshape(s.transpose(prod, [0, 2, 1]), [fh, fw, ci, co]);
}

/** Insert `stride − 1` zeros between the rows and columns of `dy` (for strided input gradients). */
function dilateRows(s: KernelScope, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, ho, wo, c] = dy.shape as Shape4;
  const hd = (ho - 1) * sh + 1;
  const wd = (wo - 1) * sw + 1;
  const out = s.make([n, hd, wd, c], 'float32');
  const o = f32(s.backend, out);
  const v = f32(s.backend, dy);
  o.fill(0);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < ho; y++) {
      for (let x = 0; x < wo; x++) {
        const src = ((b * ho + y) * wo + x) * c;
        const dst = ((b * hd + y * sh) * wd + x * sw) * c;
        o.set(v.subarray(src, src + c), dst);
      }
    }
  }
  return out;
}

/**
 * Input gradient of a 2-D convolution as a forward convolution of the (stride-dilated) output
 * gradient with the 180°-rotated filter; `null` when the shapes need negative padding.
 */
function inputGradient(
  s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, inShape: Shape4,
  info: tf.backend_util.Conv2DInfo, depthwise: boolean,
): tf.TensorInfo | null {
  const [, h, w] = inShape;
  const [fh, fw] = filter.shape as Shape4;
  const dh = info.dilationHeight;
  const dw = info.dilationWidth;
  const hd = (info.outHeight - 1) * info.strideHeight + 1;
  const wd = (info.outWidth - 1) * info.strideWidth + 1;
  const top = (fh - 1) * dh - info.padInfo.top;
  const left = (fw - 1) * dw - info.padInfo.left;
  const bottom = h - 1 + (fh - 1) * dh - top - (hd - 1);
  const right = w - 1 + (fw - 1) * dw - left - (wd - 1);
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  const call = {
    strides: [1, 1] as [number, number],
    dilations: [dh, dw] as [number, number],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]] as ExplicitPad,
  };
  const dyd = dilateRows(s, dy, info.strideHeight, info.strideWidth);
  const rotated = s.reverse(filter, [0, 1]);
  if (!depthwise) {
    return s.conv2d(dyd, s.transpose(rotated, [0, 1, 3, 2]), call); // filter [fh, fw, Co, Ci]
  }
  const [, , ci, m] = filter.shape as Shape4;
  const flat = s.reshape(rotated, [fh, fw, ci * m, 1]);
  const out = s.depthwiseConv2d(dyd, flat, call); // [N, H, W, Ci·M]
  if (m === 1) return out;
  const [n] = inShape;
  return s.sum(s.reshape(out, [n, h, w, ci, m]), [4]);
}

function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as {
    strides: number | [number, number]; pad: PadAttr; dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: RoundingAttr; filterShape: Shape4;
  };
  return withScope(backend, (s) => {
    const nchw = isNCHW(attrs.dataFormat);
    const xh = nchw ? s.transpose(x, NCHW_TO_NHWC) : x;
    const dyh = nchw ? s.transpose(dy, NCHW_TO_NHWC) : dy;
    const [fh, fw] = attrs.filterShape;
    const info = tf.backend_util.computeConv2DInfo(
      xh.shape as Shape4, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
    const patchCount = fh * fw * xh.shape[3]! * info.outHeight * info.outWidth * xh.shape[0]!;
    if (xh.shape[3]! <= wasmConvOptions.maxIm2colChannels && patchCount <= wasmConvOptions.maxPatches) {
      return filterGradientIm2col(s, xh, dyh, fh, fw, info);
    }
    return filterGradient(s, xh, dyh, fh, fw, info, false, 1);
  });
}

function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as {
    strides: number | [number, number]; pad: PadAttr; dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: RoundingAttr; inputShape: Shape4;
  };
  const [sh, sw] = pair(attrs.strides, 'strides');
  // Strided input gradients: the wasm backend's own kernel is as fast as zero-dilating dy.
  if (sh !== 1 || sw !== 1 || isNCHW(attrs.dataFormat)) return runOriginal('Conv2DBackpropInput', args);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const scope = new KernelScope(backend);
  try {
    const out = inputGradient(scope, dy, filter, attrs.inputShape, info, false);
    if (out) return scope.keep(out);
  } finally {
    scope.dispose();
  }
  return runOriginal('Conv2DBackpropInput', args);
}

interface DepthwiseAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: PadAttr;
  dimRoundingMode?: RoundingAttr;
}

function depthwiseBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseAttrs & { filterShape: Shape4 };
  const [fh, fw, , m] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4, attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  return withScope(backend, (s) => filterGradient(s, x, dy, fh, fw, info, true, m));
}

function depthwiseBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseAttrs & { inputShape: Shape4 };
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as Shape4, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  return withScope(backend, (s) => {
    const out = inputGradient(s, dy, filter, attrs.inputShape, info, true);
    if (!out) throw new Error(`DepthwiseConv2dNativeBackpropInput: unsupported padding ${JSON.stringify(attrs.pad)}`);
    return out;
  });
}

/** `Conv2DBackpropFilter` for wasm (missing in tfjs-backend-wasm 4.22). */
export const wasmConv2DBackpropFilterConfig: tf.KernelConfig = wasmKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);

/** `Conv2DBackpropInput` for wasm: stride 1 as one Conv2D, other strides the original kernel. */
export const wasmConv2DBackpropInputConfig: tf.KernelConfig = wasmKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);

/** `DepthwiseConv2dNativeBackpropFilter` for wasm (missing). */
export const wasmDepthwiseBackpropFilterConfig: tf.KernelConfig = wasmKernel(tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter);

/** `DepthwiseConv2dNativeBackpropInput` for wasm (missing). */
export const wasmDepthwiseBackpropInputConfig: tf.KernelConfig = wasmKernel(tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput);
