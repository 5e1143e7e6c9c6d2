import * as tf from '@tensorflow/tfjs';
import { colsOf, Dense, denseMatrix, matrixShape, rowsOf, sizeOf } from '../../src/data/dense';

test('sizeOf is the product of the axes (1 for a scalar)', () => {
  expect(sizeOf([2, 3, 4])).toBe(24);
  expect(sizeOf([5])).toBe(5);
  expect(sizeOf([])).toBe(1);
  expect(sizeOf([3, 0])).toBe(0);
});

test('denseMatrix wraps the data without copying; rows, columns and the row-major index agree with tf.tensor2d', () => {
  const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const m = denseMatrix(data, 2, 3);
  expect(m).toEqual({ data, shape: [2, 3] });
  expect(m.data).toBe(data);
  expect([rowsOf(m), colsOf(m)]).toEqual([2, 3]);
  expect(m.data[1 * colsOf(m) + 2]).toBe(6);
  const t = tf.tensor2d(m.data, matrixShape(m));
  expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
  t.dispose();
});

test('a matrix helper refuses data of the wrong length and arrays that are not two-dimensional', () => {
  expect(() => denseMatrix([1, 2, 3], 2, 2)).toThrow('denseMatrix: 3 values are not 2 rows × 2 columns');
  const images: Dense<number[]> = { data: [0, 0, 0, 0], shape: [1, 2, 2] };
  expect(() => rowsOf(images)).toThrow('matrixShape: expected a [rows, cols] matrix, got shape [1, 2, 2]');
  expect(() => colsOf({ data: new Uint8Array(3), shape: [3] })).toThrow(/got shape \[3\]/);
});
