/**
 * `'same'` padding for convolutions on WebAssembly (卷积的 same 填充), fixed.
 *
 * tfjs-backend-wasm 4.22 hands `'same'` to XNNPACK as its TensorFlow-SAME flag, and for a filter
 * smaller than the stride but wider than one (a 2×2 filter with stride 3, say) XNNPACK places the
 * window differently from TensorFlow: `Conv2D`, `FusedConv2D`, `DepthwiseConv2dNative` and
 * `FusedDepthwiseConv2D` return different numbers than cpu (off by several units). Pooling is
 * not affected. For those shapes the course passes the padding TensorFlow.js itself computes
 * (`computeConv2DInfo`) as explicit numbers; every other call goes straight to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, Shape4, asWasmBackend, runOriginal, wasmKernel } from './wasm-kernels-core';

/** Explicit pads for a `'same'` conv whose (dilated) filter is smaller than its stride, else null. */
export function explicitSamePad(
  xShape: Shape4, filterShape: Shape4, strides: number | [number, number], dilations: number | [number, number] | undefined,
  depthwise: boolean,
): [[number, number], [number, number], [number, number], [number, number]] | null {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations ?? 1, 'same', undefined, depthwise);
  if (info.effectiveFilterHeight >= info.strideHeight && info.effectiveFilterWidth >= info.strideWidth) return null;
  const p = info.padInfo;
  return [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]];
}

function samePadFixed(kernel: string, depthwise: boolean, args: KernelArgs): tf.TensorInfo {
  asWasmBackend(args.backend);
  const attrs = args.attrs as unknown as {
    pad: unknown; strides: number | [number, number]; dilations?: number | [number, number]; dataFormat?: string;
  };
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  if (attrs.pad !== 'same' || (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')) return runOriginal(kernel, args);
  const pad = explicitSamePad(x.shape as Shape4, filter.shape as Shape4, attrs.strides, attrs.dilations, depthwise);
  if (!pad) return runOriginal(kernel, args);
  return runOriginal(kernel, { ...args, attrs: { ...args.attrs, pad } as unknown as tf.NamedAttrMap });
}

function config(kernel: string, depthwise: boolean): tf.KernelConfig {
  return wasmKernel(kernel, (args) => samePadFixed(kernel, depthwise, args));
}

/** `Conv2D` for wasm: `'same'` with a filter smaller than the stride as explicit pads. */
export const wasmConv2DSameConfig = config(tf.Conv2D, false);
/** `FusedConv2D` for wasm: as `Conv2D`. */
export const wasmFusedConv2DSameConfig = config(tf.FusedConv2D, false);
/** `DepthwiseConv2dNative` for wasm: as `Conv2D`. */
export const wasmDepthwiseConv2dSameConfig = config(tf.DepthwiseConv2dNative, true);
/** `FusedDepthwiseConv2D` for wasm: as `Conv2D`. */
export const wasmFusedDepthwiseConv2DSameConfig = config(tf.FusedDepthwiseConv2D, true);
