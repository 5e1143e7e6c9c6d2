/**
 * One array type for the whole library (稠密数组): `data` holds the values of an n-dimensional
 * array of `shape` in row-major (C) order, the last axis fastest — TensorFlow's and NumPy's layout,
 * without a tensor's memory to dispose. Element `[i0, i1, …, ik]` sits at
 * `((i0·s1 + i1)·s2 + …)·sk + ik`, and `data.length` is the product of `shape`.
 *
 * The same type carries every plain array the course passes around; the doc comment of each function
 * says which shape it takes:
 * - images `[n, h, w]` or `[n, h, w, 1]` (image grids, saliency maps) and NHWC batches `[n, h, w, c]`,
 *   kernels `[kh, kw, cIn, cOut]` (the from-scratch convolution);
 * - files: MNIST's IDX (`Dense<Uint8Array>`), NumPy's `.npy` (`NpyArray` adds its `dtype`);
 * - tables: encoded feature matrices `[rows, cols]` (`fitTabularEncoder(...).transform`, permutation importance).
 *
 * `D` is the storage: `Float32Array` by default, any `ArrayLike<number>` (a typed array, a `number[]`) where a
 * function only reads, `BigInt64Array` for NumPy's 64-bit integers.
 *
 * ```ts
 * const m = denseMatrix(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3);  // { data, shape: [2, 3] }
 * m.data[1 * colsOf(m) + 2];                                         // 6: row 1, column 2
 * tf.tensor2d(m.data, matrixShape(m));                                // the same matrix as a tensor
 * const digits: Dense<ArrayLike<number>> = { data: pixels, shape: [16, 28, 28] };
 * ```
 */

/** An n-dimensional array: `data` holds `product(shape)` values in row-major order. */
export interface Dense<D extends ArrayLike<number | bigint> = Float32Array> {
  data: D;
  /** The size of each axis, outermost first, e.g. `[n, h, w, c]` or `[rows, cols]`. */
  shape: readonly number[];
}

/** The number of values an array of `shape` holds: the product of the sizes (1 for `[]`). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A row-major `rows × cols` matrix over `data` (not copied).
 * @throws if `data` does not hold `rows · cols` values.
 */
export function denseMatrix<D extends ArrayLike<number | bigint>>(data: D, rows: number, cols: number): Dense<D> {
  if (data.length !== rows * cols) throw new Error(`denseMatrix: ${data.length} values are not ${rows} rows × ${cols} columns`);
  return { data, shape: [rows, cols] };
}

/**
 * `[rows, cols]` of a matrix, the shape `tf.tensor2d` takes.
 * @throws if `m` is not two-dimensional.
 */
export function matrixShape(m: Dense<ArrayLike<number | bigint>>): [number, number] {
  if (m.shape.length !== 2) throw new Error(`matrixShape: expected a [rows, cols] matrix, got shape [${m.shape.join(', ')}]`);
  return [m.shape[0]!, m.shape[1]!];
}

/** The number of rows of a `[rows, cols]` matrix. */
export function rowsOf(m: Dense<ArrayLike<number | bigint>>): number {
  return matrixShape(m)[0];
}

/** The number of columns of a `[rows, cols]` matrix. */
export function colsOf(m: Dense<ArrayLike<number | bigint>>): number {
  return matrixShape(m)[1];
}
