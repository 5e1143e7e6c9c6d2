import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModelFiles, saveModelFiles } from '../../src/deploy/model-io';
import {
  dequantizeFloat16, dequantizeUint8, directoryBytes, float16BitsToFloat32, float32ToFloat16Bits, maxAbsError,
  quantizeFloat16, quantizeUint8, roundTripWeights, saveQuantizedModelFiles,
} from '../../src/deploy/quantize';
import { mulberry32, seed } from '../../src/training/random';

beforeAll(async () => { await tf.setBackend('cpu'); });
afterAll(() => seed(null));

function randomValues(n: number, scale: number, s = 1): Float32Array {
  const r = mulberry32(s);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

describe('float16', () => {
  test('known bit patterns (IEEE 754 half precision)', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(0)).toBe(0);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);          // largest half
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);          // rounds up to Infinity
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001);       // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -14)).toBe(0x0400);       // smallest normal
    expect(float32ToFloat16Bits(0.1)).toBe(0x2e66);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);   // tie → even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(float16BitsToFloat32(0x3555)).toBeCloseTo(0.333251953125, 12);
  });

  test('every finite half value survives half → float → half exactly', () => {
    const wrong: number[] = [];
    let checked = 0;
    for (let h = 0; h < 0x10000; h++) {
      const exp = (h >>> 10) & 0x1f;
      if (exp === 0x1f) continue; // Inf/NaN
      checked++;
      if (float32ToFloat16Bits(float16BitsToFloat32(h)) !== h) wrong.push(h);
    }
    expect(checked).toBe(63488);
    expect(wrong).toEqual([]);
  });

  test('stays within 2^-11 relative error (the loader test below checks agreement with TF.js)', () => {
    const v = randomValues(5000, 3, 2);
    const bits = quantizeFloat16(v);
    const back = dequantizeFloat16(bits);
    const outside = Array.from(v).filter((x, i) => {
      const bound = Math.abs(x) >= 2 ** -14 ? Math.abs(x) * 2 ** -11 : 2 ** -25;
      return Math.abs(back[i]! - x) > bound * (1 + 1e-6);
    });
    expect(outside).toEqual([]);
  });
});

describe('uint8 affine', () => {
  test('every value within scale/2, zero exact, range includes 0', () => {
    for (const [scale, shift] of [[1, 0], [0.05, 0.3], [10, -4]] as const) {
      const v = randomValues(2000, scale, 3).map((x) => x + shift);
      v[7] = 0;
      const q = quantizeUint8(v);
      const back = dequantizeUint8(q);
      expect(q.min).toBeLessThanOrEqual(0);
      expect(maxAbsError(v, back)).toBeLessThanOrEqual(q.scale / 2 + 1e-6 * scale);
      expect(back[7]).toBeCloseTo(0, 6);
      const lo = Math.min(0, ...v);
      const hi = Math.max(0, ...v);
      expect(q.scale).toBeCloseTo((hi - lo) / 255, 9);
    }
  });

  test('a hand example: [-1, 0, 0.5, 2]', () => {
    const q = quantizeUint8([-1, 0, 0.5, 2]);
    expect(q.scale).toBeCloseTo(3 / 255, 12);
    expect(Array.from(q.data)).toEqual([0, 85, 128, 255]);
    const back = dequantizeUint8(q);
    expect(back[1]).toBeCloseTo(0, 6);
    expect(Math.abs(back[2]! - 0.5)).toBeLessThanOrEqual(q.scale / 2 + 1e-7);
  });

  test('a constant array and non-finite values', () => {
    expect(Array.from(dequantizeUint8(quantizeUint8([0, 0, 0])))).toEqual([0, 0, 0]);
    expect(() => quantizeUint8([1, Number.NaN])).toThrow(/not finite/);
  });
});

test('quantized model files load with tf.loadLayersModel, are smaller, and predict close to the original', async () => {
  seed(3);
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: 32, activation: 'relu', inputShape: [20] }),
    tf.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'course-quant-'));
  try {
    const full = await saveModelFiles(model, path.join(base, 'f32'));
    const f16 = await saveQuantizedModelFiles(model, path.join(base, 'f16'), 'float16', { note: 'x' });
    const u8 = await saveQuantizedModelFiles(model, path.join(base, 'u8'), 'uint8');
    const count = 20 * 32 + 32 + 32 * 3 + 3;
    expect(full.weightBytes).toBe(count * 4);
    expect(f16.weightBytes).toBe(count * 2);
    expect(u8.weightBytes).toBe(count);
    expect(f16.weightCount).toBe(count);
    expect(directoryBytes(path.join(base, 'u8'))).toBe(u8.weightBytes + u8.topologyBytes);
    const x = tf.randomNormal([50, 20], 0, 1, 'float32', 9);
    const ref = (model.predict(x) as tf.Tensor).dataSync();
    for (const info of [f16, u8]) {
      const { model: again, metadata } = await loadModelFiles(info.dir);
      expect(metadata.weightPrecision).toBe(info.precision);
      // The loaded weights are exactly the round-tripped ones.
      const w0 = model.getWeights()[0]!.dataSync() as Float32Array;
      expect(Array.from(again.getWeights()[0]!.dataSync())).toEqual(Array.from(roundTripWeights(w0, info.precision)));
      const out = (again.predict(x) as tf.Tensor).dataSync();
      expect(maxAbsError(ref, out)).toBeLessThan(info.precision === 'float16' ? 2e-3 : 5e-2);
      expect(maxAbsError(w0, again.getWeights()[0]!.dataSync())).toBeLessThanOrEqual(info.maxError + 1e-7);
    }
    expect(u8.tensors.every((t) => t.maxError <= (t.scale ?? 0) / 2 + 1e-6)).toBe(true);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
