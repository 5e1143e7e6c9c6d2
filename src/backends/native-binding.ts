/**
 * tfjs-node's binding as the course's native kernels use it (原生绑定): the parts of tfjs-node's
 * `NodeJSKernelBackend` and its N-API binding that `native-kernels.ts`, `native-fused.ts` and `native-adam.ts` call
 * (tfjs-node ships no types for them), the one way those modules replace a stock kernel, and the one count of the
 * TensorFlow ops they run straight through the binding (no tfjs kernel, so tfjs's profiler does not see them).
 *
 * ```ts
 * const backend = tf.backend() as unknown as NodeBackend;   // on the 'tensorflow' backend
 * const [out] = executeDirect(backend, 'Sqrt', [typeAttr(backend)], backend.getInputTensorIds([x]), 1);
 * const y = backend.createOutputTensor(out!);               // a tfjs tensor owning TensorFlow's result
 * nativeDirectOpCount();                                    // 1 more than before
 * ```
 */
import * as tf from '@tensorflow/tfjs';

/** The tfjs backend these modules serve. */
export const NATIVE_BACKEND = 'tensorflow';

/** One attribute of a TensorFlow op, as the binding takes it (`type` is one of the binding's `TF_ATTR_*`). */
export interface OpAttr { name: string; type: number; value: number | number[] | string | string[] | boolean }

/** A TensorFlow tensor held by the binding: its id, shape and TensorFlow dtype (`TF_FLOAT`, …). */
export interface TensorMetadata { id: number; shape: number[]; dtype: number }

/** tfjs-node's N-API binding (the functions and constants used here). */
export interface NodeBinding {
  TF_ATTR_INT: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_ATTR_FLOAT: number;
  TF_FLOAT: number; TF_INT32: number; TF_BOOL: number;
  executeOp(name: string, attrs: OpAttr[], inputIds: number[], outputs: number): TensorMetadata[];
  createTensor(shape: number[], dtype: number, values: Float32Array | Int32Array): number;
  deleteTensor(id: number): void;
}

/** tfjs-node's `NodeJSKernelBackend` (the methods used here). */
export interface NodeBackend {
  binding: NodeBinding;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], count: number): tf.Tensor[];
  getInputTensorIds(tensors: tf.TensorInfo[]): number[];
  createOutputTensor(metadata: TensorMetadata): tf.Tensor;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The float32 `T` attribute most ops take. */
export function typeAttr(b: NodeBackend): OpAttr {
  return { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
}

let directOps = 0;

/**
 * Run TensorFlow op `name` on binding tensor ids, straight through the binding (no tfjs kernel, tensor or scope):
 * the caller owns the `outputs` results (free them with `binding.deleteTensor` or adopt them with `createOutputTensor`).
 */
export function executeDirect(b: NodeBackend, name: string, attrs: OpAttr[], inputIds: number[], outputs: number): TensorMetadata[] {
  directOps++;
  return b.binding.executeOp(name, attrs, inputIds, outputs);
}

/** How many ops `executeDirect` has run since the process started (for `npm run bench`'s native op count). */
export function nativeDirectOpCount(): number {
  return directOps;
}

/**
 * Replace the `tensorflow` backend's kernel `name` by `attempt`, which returns null for a call it does not cover: that
 * call goes to the stock kernel. Returns false (nothing replaced) when the backend has no such kernel.
 */
export function replaceWithFallback(name: string, attempt: (args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo | null): boolean {
  const stock = tf.getKernel(name, NATIVE_BACKEND);
  if (!stock) return false;
  tf.unregisterKernel(name, NATIVE_BACKEND);
  tf.registerKernel({ kernelName: name, backendName: NATIVE_BACKEND, kernelFunc: (args) => attempt(args) ?? stock.kernelFunc(args) });
  return true;
}
