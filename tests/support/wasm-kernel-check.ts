/**
 * Shared by the wasm kernel tests: run one kernel on `cpu` and on `wasm` with the same seeded
 * inputs and measure how far apart the outputs are.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/training/random';
import { registerWasmTrainingKernels } from '../../src/backends/wasm-training';

export interface KernelInput {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** Register the course kernels and initialise both backends (leaves `cpu` current). */
export async function setupBackends(): Promise<void> {
  tf.env().set('IS_TEST', true);
  const status = registerWasmTrainingKernels();
  if (!status.ok) throw new Error(status.detail);
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend('cpu');
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Standard-normal values from a seeded generator. */
export function randn(shape: number[], seedValue: number): KernelInput {
  const next = mulberry32(seedValue);
  const values = new Float32Array(size(shape));
  for (let i = 0; i < values.length; i++) {
    const u = 1 - next();
    values[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  }
  return { values, shape, dtype: 'float32' };
}

/** Small integers in [lo, hi) as float32 (many ties) or int32. */
export function randInt(shape: number[], lo: number, hi: number, seedValue: number, dtype: 'float32' | 'int32' = 'float32'): KernelInput {
  const next = mulberry32(seedValue);
  const n = size(shape);
  const values = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + Math.floor(next() * (hi - lo));
  return { values, shape, dtype };
}

export interface KernelOutput {
  shape: number[];
  dtype: string;
  values: Float32Array | Int32Array | Uint8Array;
}

/** Run `kernel` on `backend`, returning plain copies of its outputs; nothing is left allocated. */
export async function runOn(backend: string, kernel: string, inputs: Record<string, KernelInput>, attrs: object): Promise<KernelOutput[]> {
  await tf.setBackend(backend);
  const tensors: tf.NamedTensorMap = {};
  for (const [name, input] of Object.entries(inputs)) tensors[name] = tf.tensor(input.values, input.shape, input.dtype);
  const before = tf.memory().numTensors;
  const result = tf.engine().runKernel(kernel, tensors, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  const outs = Array.isArray(result) ? result : [result];
  const copies = outs.map((t) => ({ shape: t.shape.slice(), dtype: t.dtype, values: t.dataSync().slice() as Float32Array | Int32Array | Uint8Array }));
  tf.dispose(outs);
  if (tf.memory().numTensors !== before) throw new Error(`${kernel} on ${backend} leaked tensors`);
  tf.dispose(Object.values(tensors));
  return copies;
}

export interface Comparison {
  maxAbsDiff: number;
  maxAbsRef: number;
  shapes: [number[], number[]][];
}

/** Outputs of `kernel` on cpu vs wasm: shapes must agree; returns the largest absolute difference. */
export async function compareKernel(kernel: string, inputs: Record<string, KernelInput>, attrs: object): Promise<Comparison> {
  const ref = await runOn('cpu', kernel, inputs, attrs);
  const got = await runOn('wasm', kernel, inputs, attrs);
  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  const shapes: [number[], number[]][] = [];
  ref.forEach((r, i) => {
    const g = got[i]!;
    shapes.push([r.shape, g.shape]);
    if (r.values.length !== g.values.length) {
      maxAbsDiff = Infinity;
      return;
    }
    for (let j = 0; j < r.values.length; j++) {
      const a = r.values[j]!;
      const b = g.values[j]!;
      maxAbsRef = Math.max(maxAbsRef, Math.abs(a));
      const d = Math.abs(a - b);
      maxAbsDiff = Math.max(maxAbsDiff, Number.isNaN(d) ? (Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity) : d);
    }
  });
  return { maxAbsDiff, maxAbsRef, shapes };
}

/** Record the worst difference seen per kernel (printed by the test files' afterAll). */
export class DiffLog {
  private readonly worst = new Map<string, { diff: number; ref: number }>();

  add(name: string, c: Comparison): void {
    const w = this.worst.get(name);
    if (!w || c.maxAbsDiff > w.diff) this.worst.set(name, { diff: c.maxAbsDiff, ref: c.maxAbsRef });
  }

  report(): string {
    return [...this.worst].map(([k, v]) => `${k}: max |wasm − cpu| = ${v.diff.toExponential(2)} (values up to ${v.ref.toFixed(2)})`).join('\n');
  }
}
