/**
 * The plumbing the course's WebAssembly training kernels (WebAssembly 训练算子) are built on.
 *
 * A kernel registered for the `wasm` backend receives `TensorInfo`s (shape, dtype, data id) and
 * the backend object; it may call the backend's other kernels directly, as the wasm backend's own
 * kernels do. Tensors made on the way are not tracked by the engine, so `withScope` frees every
 * intermediate and hands back only the result:
 *
 * ```ts
 * const dx = withScope(backend, (s) => s.transpose(s.reverse(filter, [0, 1]), [0, 1, 3, 2]));
 * ```
 *
 * Kernels the course replaces (a buggy `MaxPoolGrad`, a slow `Tile`, ...) keep the original
 * implementation reachable through `wasmKernelFunc(name)` for the cases they do not handle.
 */
import * as tf from '@tensorflow/tfjs';

export type Shape4 = [number, number, number, number];
export type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

/** What the course needs of the wasm backend's per-tensor record. */
export interface WasmTensorRecord {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: tf.DataType;
  refCount: number;
}

/** The parts of `BackendWasm` (tfjs-backend-wasm 4.22) the course's kernels use. */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: tf.DataId): WasmTensorRecord | undefined; has(dataId: tf.DataId): boolean };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  incRef(dataId: tf.DataId): void;
  numDataIds(): number;
}

/** The arguments every kernel function receives. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: WasmBackend;
  attrs: tf.NamedAttrMap;
}

/** Narrow the engine's untyped backend to the wasm one. */
export function asWasmBackend(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (!b || typeof b !== 'object' || !b.wasm || !b.dataIdMap || typeof b.makeOutput !== 'function') {
    throw new Error('wasm training kernel called without the wasm backend');
  }
  return b as WasmBackend;
}

/** The kernels the course replaced, as they were: consulted before the registry. */
const originalKernels = new Map<string, tf.KernelConfig>();

/** Remember the wasm backend's own kernel before replacing it (only the first time). */
export function rememberOriginal(config: tf.KernelConfig): void {
  if (!originalKernels.has(config.kernelName)) originalKernels.set(config.kernelName, config);
}

/** The wasm backend's original kernel `name`, or undefined when it had none. */
export function originalKernel(name: string): tf.KernelConfig | undefined {
  return originalKernels.get(name);
}

/** The kernel function to call for `name` on wasm: the original if the course replaced it. */
function wasmKernelFunc(name: string): tf.KernelFunc {
  const config = originalKernels.get(name) ?? tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`Kernel '${name}' is not registered for backend 'wasm'`);
  return config.kernelFunc;
}

/** A wasm kernel registration from one of the course's kernel functions. */
export function wasmKernel(kernelName: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): tf.KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Run an original wasm kernel with the kernel's own arguments (the fallback path). */
export function runOriginal(name: string, args: KernelArgs): tf.TensorInfo {
  return single(wasmKernelFunc(name)({ inputs: args.inputs, backend: args.backend, attrs: args.attrs }), name);
}

function single(out: tf.TensorInfo | tf.TensorInfo[], name: string): tf.TensorInfo {
  if (Array.isArray(out)) throw new Error(`Kernel '${name}' returned ${out.length} tensors where one was expected`);
  return out;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A Float32Array view of a float32 tensor's wasm memory. Re-take it after any allocation. */
export function f32(backend: WasmBackend, t: tf.TensorInfo): Float32Array {
  const record = backend.dataIdMap.get(t.dataId);
  if (!record) throw new Error('tensor data is not on the wasm backend');
  if (t.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  return new Float32Array(backend.wasm.HEAPU8.buffer, record.memoryOffset, sizeOf(t.shape));
}

/** Integer values of an int32/float32 tensor as a fresh array (indices, ids: small). */
export function intValues(backend: WasmBackend, t: tf.TensorInfo): Int32Array {
  const record = backend.dataIdMap.get(t.dataId);
  if (!record) throw new Error('tensor data is not on the wasm backend');
  const n = sizeOf(t.shape);
  const buffer = backend.wasm.HEAPU8.buffer;
  if (t.dtype === 'int32') return new Int32Array(buffer, record.memoryOffset, n).slice();
  if (t.dtype === 'float32') return Int32Array.from(new Float32Array(buffer, record.memoryOffset, n), (v) => Math.trunc(v));
  if (t.dtype === 'bool') return Int32Array.from(new Uint8Array(buffer, record.memoryOffset, n));
  throw new Error(`expected a numeric tensor, got ${t.dtype}`);
}

/** A typed view of a numeric tensor (float32 → Float32Array, int32 → Int32Array, bool → Uint8Array). */
export function heapView(backend: WasmBackend, t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array {
  const record = backend.dataIdMap.get(t.dataId);
  if (!record) throw new Error('tensor data is not on the wasm backend');
  const n = sizeOf(t.shape);
  const buffer = backend.wasm.HEAPU8.buffer;
  if (t.dtype === 'float32') return new Float32Array(buffer, record.memoryOffset, n);
  if (t.dtype === 'int32') return new Int32Array(buffer, record.memoryOffset, n);
  if (t.dtype === 'bool') return new Uint8Array(buffer, record.memoryOffset, n);
  throw new Error(`no numeric view for dtype ${t.dtype}`);
}

/** Conv2D-family attributes for an inner call. */
export interface ConvCall {
  strides: [number, number];
  dilations: [number, number];
  pad: ExplicitPad | 'valid' | 'same';
}

/**
 * A kernel's workspace: runs other wasm kernels and frees whatever it made, except the result
 * handed to `keep` (or returned from `withScope`).
 */
export class KernelScope {
  private readonly temps: tf.TensorInfo[] = [];

  constructor(readonly backend: WasmBackend) {}

  /** Run wasm kernel `name` and track its output. */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const out = single(wasmKernelFunc(name)({ inputs, backend: this.backend, attrs }), name);
    this.temps.push(out);
    return out;
  }

  /** A new, uninitialised output tracked by the scope. */
  make(shape: number[], dtype: tf.DataType): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, dtype);
    this.temps.push(out);
    return out;
  }

  /** Stop tracking `t` (it becomes the caller's). */
  keep(t: tf.TensorInfo): tf.TensorInfo {
    const i = this.temps.lastIndexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    else this.backend.incRef(t.dataId); // an input handed back: the caller gets its own reference
    return t;
  }

  /** Free every tracked tensor. */
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  reverse(x: tf.TensorInfo, dims: number[]): tf.TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }

  sum(x: tf.TensorInfo, axis: number[]): tf.TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  conv2d(x: tf.TensorInfo, filter: tf.TensorInfo, call: ConvCall): tf.TensorInfo {
    return this.run('Conv2D', { x, filter }, {
      strides: call.strides, dilations: call.dilations, pad: call.pad,
      dataFormat: 'NHWC', dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
  }

  depthwiseConv2d(x: tf.TensorInfo, filter: tf.TensorInfo, call: ConvCall): tf.TensorInfo {
    return this.run('DepthwiseConv2dNative', { x, filter }, {
      strides: call.strides, dilations: call.dilations, pad: call.pad,
      dataFormat: 'NHWC', dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
  }
}

/** Run `body` in a fresh scope; its result survives, every other tensor it made is freed. */
export function withScope(backend: WasmBackend, body: (s: KernelScope) => tf.TensorInfo): tf.TensorInfo {
  const scope = new KernelScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

/** Read a `[h, w]` or scalar attribute. */
export function pair(value: unknown, name: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0] as number, value[1] as number];
  }
  throw new Error(`attribute ${name} must be a number or a pair, got ${JSON.stringify(value)}`);
}

/** The kernel attribute types tfjs passes for conv/pool padding. */
export type PadAttr = 'same' | 'valid' | number | ExplicitPad;
export type RoundingAttr = 'floor' | 'round' | 'ceil' | undefined;
