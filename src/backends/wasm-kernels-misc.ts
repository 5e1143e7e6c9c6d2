/**
 * Small wasm kernels the course fixes or adds (杂项算子): `OneHot` in float32, `UnsortedSegmentSum`
 * (the gradient of `gather`, i.e. of an embedding layer), the broadcast-shaped `Tile` that batch
 * norm's gradient uses, `Cast`, `GatherV2` and `Identity`. Each is at most one pass over wasm memory.
 *
 * - tfjs-backend-wasm 4.22 `OneHot` writes int32 bit patterns whatever the dtype: with
 *   `dtype: 'float32'` a 1 reads as 1.4e-45. Other dtypes keep the original kernel.
 * - `UnsortedSegmentSum` is missing; ids outside `[0, numSegments)` are dropped, as on cpu.
 * - `Tile` of a tensor whose leading axes are 1 (`[1, 1, 1, C]` by `[N, H, W, 1]`) is the same block
 *   repeated: done by doubling copies. Every other `Tile` keeps the original kernel.
 * - `Cast` to the tensor's own dtype (relu's gradient casts its input to float32) copies on wasm;
 *   like cpu, the course shares the buffer instead. Casts to bool are wrong on wasm (the value is
 *   truncated to a byte: −2.3 → 254, 0.5 → 0, 256 → 0); the course writes `x !== 0` as cpu does.
 * - `GatherV2` (what `fit` runs on every batch to pick its rows) is a generic strided loop on wasm;
 *   gathering whole rows is block copies. Out-of-range indices keep the stock kernel (and its error).
 * - `Identity` (what `clone()` runs; every `customGrad` op — fused matMul/conv, softmax cross-entropy
 *   — clones its inputs) copies the data on wasm, where cpu and webgl share it by reference count.
 *   Besides the copies, that trips tfjs-core's kernel leak check (on when `IS_TEST` is set, as
 *   `selectBackend` does): "Backend 'wasm' has an internal memory leak (3 data ids) after running
 *   'fusedMatMul__op'". The course's `Identity` shares the buffer, as cpu does. Strings keep the original.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, asWasmBackend, heapView, intValues, runOriginal, sizeOf, wasmKernel } from './wasm-kernels-core';

function oneHot(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { indices } = args.inputs as { indices: tf.TensorInfo };
  const { dtype, depth, onValue, offValue } = args.attrs as unknown as {
    dtype: tf.DataType; depth: number; onValue: number; offValue: number;
  };
  if (dtype !== 'float32') return runOriginal(tf.OneHot, args);
  const ids = intValues(backend, indices);
  const out = backend.makeOutput([...indices.shape, depth], 'float32');
  const view = heapView(backend, out);
  view.fill(offValue);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= 0 && id < depth) view[i * depth + id] = onValue;
  }
  return out;
}

function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as { numSegments: number };
  const ids = intValues(backend, segmentIds);
  const inner = ids.length === 0 ? 0 : sizeOf(x.shape) / ids.length;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = backend.makeOutput(outShape, x.dtype);
  const o = heapView(backend, out);
  const v = heapView(backend, x);
  o.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i]!;
    if (seg < 0 || seg >= numSegments) continue;
    const src = i * inner;
    const dst = seg * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += v[src + j]!;
  }
  return out;
}

/** True when tiling only repeats the whole tensor: every axis with reps > 1 precedes every axis of size > 1. */
export function tileIsBlockRepeat(shape: readonly number[], reps: readonly number[]): boolean {
  let seenData = false;
  for (let i = 0; i < shape.length; i++) {
    if (reps[i]! > 1 && (seenData || shape[i] !== 1)) return false;
    if (shape[i]! > 1) seenData = true;
  }
  return true;
}

function tile(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { reps } = args.attrs as unknown as { reps: number[] };
  if (x.dtype === 'string' || x.dtype === 'complex64' || !tileIsBlockRepeat(x.shape, reps)) {
    return runOriginal(tf.Tile, args);
  }
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  const out = backend.makeOutput(outShape, x.dtype);
  const o = heapView(backend, out);
  const block = sizeOf(x.shape);
  const total = o.length;
  if (total === 0) return out;
  o.set(heapView(backend, x));
  for (let filled = block; filled < total; filled *= 2) o.copyWithin(filled, 0, Math.min(filled, total - filled));
  return out;
}

function gather(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const attrs = args.attrs as unknown as { axis: number; batchDims?: number };
  if ((attrs.batchDims ?? 0) !== 0 || x.dtype === 'string' || x.dtype === 'complex64') return runOriginal(tf.GatherV2, args);
  const axis = attrs.axis < 0 ? attrs.axis + x.shape.length : attrs.axis;
  const n = x.shape[axis]!;
  const ids = intValues(backend, indices);
  for (let j = 0; j < ids.length; j++) if (!(ids[j]! >= 0 && ids[j]! < n)) return runOriginal(tf.GatherV2, args);
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = backend.makeOutput(outShape, x.dtype);
  const o = heapView(backend, out);
  const v = heapView(backend, x);
  let dst = 0;
  for (let p = 0; p < outer; p++) {
    const base = p * n * inner;
    for (let j = 0; j < ids.length; j++) {
      const src = base + ids[j]! * inner;
      if (inner >= 16) {
        o.set(v.subarray(src, src + inner), dst);
      } else {
        for (let q = 0; q < inner; q++) o[dst + q] = v[src + q]!;
      }
      dst += inner;
    }
  }
  return out;
}

function cast(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
  if (dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput(x.shape.slice(), 'bool');
    const o = heapView(backend, out);
    const v = heapView(backend, x);
    for (let i = 0; i < v.length; i++) o[i] = v[i] !== 0 ? 1 : 0;
    return out;
  }
  if (dtype !== x.dtype || dtype === 'string' || dtype === 'complex64') return runOriginal(tf.Cast, args);
  asWasmBackend(args.backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype };
}

function identity(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string' || x.dtype === 'complex64') return runOriginal(tf.Identity, args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

/** `OneHot` for wasm: float32 output written as floats. */
export const wasmOneHotConfig: tf.KernelConfig = wasmKernel(tf.OneHot, oneHot);

/** `UnsortedSegmentSum` for wasm (missing; embeddings' gradient). */
export const wasmUnsortedSegmentSumConfig: tf.KernelConfig = wasmKernel(tf.UnsortedSegmentSum, unsortedSegmentSum);

/** `Tile` for wasm: block repeats by doubling copies, the rest by the original kernel. */
export const wasmTileConfig: tf.KernelConfig = wasmKernel(tf.Tile, tile);

/** `Identity` for wasm: shares the buffer (reference-counted) instead of copying it. */
export const wasmIdentityConfig: tf.KernelConfig = wasmKernel(tf.Identity, identity);

/** `GatherV2` for wasm: row copies. */
export const wasmGatherConfig: tf.KernelConfig = wasmKernel(tf.GatherV2, gather);

/** `Cast` for wasm: a cast to the same dtype shares the buffer. */
export const wasmCastConfig: tf.KernelConfig = wasmKernel(tf.Cast, cast);
