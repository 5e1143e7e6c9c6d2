/**
 * Weight quantization (权重量化): storing a model's float32 weights in fewer bits — 16-bit floats
 * (float16, 半精度) or 8-bit integers with a per-tensor scale and offset (int8/uint8 affine, 8 位量化) —
 * so that the model file is 2× or 4× smaller. The arithmetic still runs in float32: the weights
 * are dequantized when the model is loaded (this is what TF.js's converter calls
 * `--quantize_float16` / `--quantize_uint8`, and the files written here use the same
 * `weightsManifest` `quantization` entries, so `tf.loadLayersModel` and `loadModelFiles` read them).
 *
 * 8-bit affine: with `lo = min(0, min w)`, `hi = max(0, max w)`, `scale = (hi − lo) / 255` and a
 * zero point nudged so that 0 is exactly representable, `q = round((w − min) / scale)` in 0..255 and
 * `w' = q · scale + min`. Every weight is reproduced within `scale / 2`.
 * float16: 1 sign, 5 exponent, 10 mantissa bits; round-to-nearest-even, relative error ≤ 2⁻¹¹ for
 * normal numbers (|w| ≥ 6.1e-5), absolute error ≤ 2⁻²⁵ below.
 *
 * ```ts
 * const q = quantizeUint8(Float32Array.from([-1, 0, 0.5, 2]));   // { data: Uint8Array, scale, min }
 * dequantizeUint8(q);                                             // ≈ [-1, 0, 0.5, 2], each within scale/2
 * const info = await saveQuantizedModelFiles(model, 'build/models/cnn-uint8', 'uint8');
 * const { model: small } = await loadModelFiles(info.dir);        // float32 model with 8-bit-rounded weights
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

/** How weights are stored: as they are (float32), as 16-bit floats, or as 8-bit affine integers. */
export type WeightPrecision = 'float32' | 'float16' | 'uint8';


const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The IEEE 754 half-precision bits of `x` (round to nearest, ties to even; overflow → ±Infinity). */
export function float32ToFloat16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: Infinity
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit 1 into place, rounding to even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    const rounded = rest > mid || (rest === mid && (half & 1)) ? half + 1 : half;
    return sign | rounded;
  }
  const half = mant >>> 13;
  const rest = mant & 0x1fff;
  let out = (e << 10) | half;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) out += 1; // may carry into the exponent: still correct
  return sign | out;
}

/** The float value of half-precision bits `h`. */
export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** float32 values → their float16 bits. */
export function quantizeFloat16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]!);
  return out;
}

/** float16 bits → float32 values. */
export function dequantizeFloat16(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat32(bits[i]!);
  return out;
}

/** 8-bit affine quantized values: `value ≈ data[i] · scale + min`. */
export interface Uint8Quantized {
  data: Uint8Array;
  scale: number;
  /** The value of code 0 (≤ 0; a multiple of `scale`, so that 0.0 has an exact code). */
  min: number;
}

/**
 * Quantize to 8 bits with one scale and offset for the whole array (per-tensor affine), the
 * scheme of TF.js's `quantize_uint8`. The range always includes 0, and the offset is nudged so that
 * 0 is represented exactly (zero padding and ReLU zeros stay zeros).
 */
export function quantizeUint8(values: ArrayLike<number>): Uint8Quantized {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new Error(`quantizeUint8: value ${v} at ${i} is not finite`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-lo / scale)));
  const min = -zeroPoint * scale;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    data[i] = Math.min(255, Math.max(0, Math.round((values[i]! - min) / scale)));
  }
  return { data, scale, min };
}

/** 8-bit codes → float32 values, exactly as TF.js's loader computes them (`q · scale + min`). */
export function dequantizeUint8(q: Uint8Quantized): Float32Array {
  const out = new Float32Array(q.data.length);
  for (let i = 0; i < q.data.length; i++) out[i] = q.data[i]! * q.scale + q.min;
  return out;
}

/** Round-trip `values` through a precision: what a quantized model will compute with. */
export function roundTripWeights(values: Float32Array, precision: WeightPrecision): Float32Array {
  if (precision === 'float32') return Float32Array.from(values);
  if (precision === 'float16') return dequantizeFloat16(quantizeFloat16(values));
  return dequantizeUint8(quantizeUint8(values));
}

/** The largest |a − b| over two arrays of the same length. */
export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsError: lengths ${a.length} and ${b.length} differ`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** One weight tensor's quantization, for a report. */
export interface WeightQuantizationReport {
  name: string;
  shape: number[];
  count: number;
  /** max |w − w'| over the tensor. */
  maxError: number;
  /** For uint8: the tensor's scale (the step between two codes). */
  scale?: number;
}

/** What `saveQuantizedModelFiles` wrote. */
export interface QuantizedModelInfo {
  dir: string;
  precision: WeightPrecision;
  /** Bytes of weights.bin. */
  weightBytes: number;
  /** Bytes of model.json. */
  topologyBytes: number;
  /** Number of weight values (all float32 weights are quantized). */
  weightCount: number;
  /** Largest error over all weights, and per tensor. */
  maxError: number;
  tensors: WeightQuantizationReport[];
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/**
 * Save `model` like `saveModelFiles` (model.json + weights.bin in `dir`), with every float32
 * weight stored at `precision`. The file is standard TF.js: the weight manifest carries the
 * `quantization` entries, and `loadModelFiles` / `tf.loadLayersModel` dequantize on load.
 */
export async function saveQuantizedModelFiles(model: tf.LayersModel, dir: string, precision: WeightPrecision,
  metadata: Record<string, unknown> = {}): Promise<QuantizedModelInfo> {
  fs.mkdirSync(dir, { recursive: true });
  let info: QuantizedModelInfo | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const specs = artifacts.weightSpecs ?? [];
    const data = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
    const parts: Uint8Array[] = [];
    const outSpecs: tf.io.WeightsManifestEntry[] = [];
    const tensors: WeightQuantizationReport[] = [];
    let offset = 0;
    let weightCount = 0;
    for (const spec of specs) {
      if (spec.quantization) throw new Error(`saveQuantizedModelFiles: weight ${spec.name} is already quantized`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const bytes = count * (spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : 1);
      if (spec.dtype !== 'float32' || precision === 'float32') {
        if (spec.dtype === 'string') throw new Error(`saveQuantizedModelFiles: string weight ${spec.name} is not supported`);
        parts.push(new Uint8Array(data.slice(offset, offset + bytes)));
        outSpecs.push({ ...spec });
        offset += bytes;
        if (spec.dtype === 'float32') tensors.push({ name: spec.name, shape: spec.shape, count, maxError: 0 });
        weightCount += count;
        continue;
      }
      const values = new Float32Array(data.slice(offset, offset + bytes));
      offset += bytes;
      weightCount += count;
      if (precision === 'float16') {
        const bits = quantizeFloat16(values);
        parts.push(new Uint8Array(bits.buffer));
        outSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
        tensors.push({ name: spec.name, shape: spec.shape, count, maxError: maxAbsError(values, dequantizeFloat16(bits)) });
      } else {
        const q = quantizeUint8(values);
        parts.push(q.data);
        outSpecs.push({ ...spec, quantization: { dtype: 'uint8', scale: q.scale, min: q.min } });
        tensors.push({ name: spec.name, shape: spec.shape, count, maxError: maxAbsError(values, dequantizeUint8(q)), scale: q.scale });
      }
    }
    const total = parts.reduce((a, p) => a + p.byteLength, 0);
    const weights = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      weights.set(p, at);
      at += p.byteLength;
    }
    const json = JSON.stringify({
      format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology, trainingConfig: artifacts.trainingConfig,
      weightsManifest: [{ paths: ['weights.bin'], weights: outSpecs }],
      userDefinedMetadata: { ...metadata, weightPrecision: precision },
    });
    writeAtomic(path.join(dir, 'weights.bin'), weights);
    writeAtomic(path.join(dir, 'model.json'), json);
    info = {
      dir, precision, weightBytes: weights.byteLength, topologyBytes: Buffer.byteLength(json), weightCount,
      maxError: tensors.reduce((m, t) => Math.max(m, t.maxError), 0), tensors,
    };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
  }));
  return info!;
}

/** Total bytes of the regular files in `dir` (not recursive): the size of a saved model on disk. */
export function directoryBytes(dir: string): number {
  return fs.readdirSync(dir)
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .reduce((a, f) => a + fs.statSync(f).size, 0);
}
