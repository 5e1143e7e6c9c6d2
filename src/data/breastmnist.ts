/**
 * BreastMNIST (MedMNIST v2): 28×28 breast-ultrasound images, binary labels (乳腺超声二分类).
 *
 * Read from `breastmnist.npz` with the official split: train 546 / val 78 / test 156.
 * Label 0 = malignant, 1 = normal or benign — note that index 1 is the *non-malignant* class and
 * malignant is the ~27 % minority. Labels stored as `(N, 1)` (official file) or `(N,)` (the
 * re-saved copy in the course mirror) are both accepted.
 *
 * Shapes per split: images `[n, 28, 28, 1]` float32 in [0, 1]; labels `[n]` int32; one-hot `[n, 2]`.
 *
 * ```ts
 * const breast = await loadBreastMnist();
 * breast.train.images.shape;   // [546, 28, 28, 1]
 * breast.train.classCounts;    // [147, 399]  (malignant, normal/benign)
 * breast.variant;              // which accepted copy of the file was found
 * ```
 */
import * as path from 'path';
import { ensureDataset, EnsureOptions } from './download';
import { labelledImageSplit, LabelledImageSplit } from './mnist';
import { NpyArray, NpzArchive, readNpz } from './npy';

/** Class names by label: 0 = malignant, 1 = normal/benign. */
export const BREASTMNIST_CLASSES: readonly string[] = ['malignant', 'normal/benign'];

export interface BreastMnistOptions extends EnsureOptions {
  /** An .npz to read as it is (no checksum); default: `ensureDataset('breastmnist')`. */
  file?: string;
}

export interface BreastMnistData {
  train: LabelledImageSplit;
  val: LabelledImageSplit;
  test: LabelledImageSplit;
  classes: readonly string[];
  /** The .npz read. */
  file: string;
  /** The accepted variant the file matched (or 'unverified' when `file` was given). */
  variant: string;
}

function checkImages(a: NpyArray, where: string): [number, number, number] {
  if (a.dtype !== 'uint8' || a.shape.length !== 3) {
    throw new Error(`${where}: expected uint8 images of shape (N, H, W), found ${a.dtype} (${a.shape.join(', ')})`);
  }
  return a.shape as [number, number, number];
}

/** Flatten `(N,)` or `(N, 1)` labels to N numbers. */
function flattenLabels(a: NpyArray, n: number, where: string): ArrayLike<number> {
  const ok = (a.shape.length === 1 && a.shape[0] === n) || (a.shape.length === 2 && a.shape[0] === n && a.shape[1] === 1);
  if (!ok) throw new Error(`${where}: labels must have shape (${n},) or (${n}, 1) to match the images, found (${a.shape.join(', ')})`);
  if (a.data instanceof BigInt64Array || a.data instanceof BigUint64Array) return Array.from(a.data, (v) => Number(v));
  return a.data as ArrayLike<number>;
}

/** The three splits of a MedMNIST-style .npz (`<split>_images`, `<split>_labels`) as tensors. */
function breastMnistFromNpz(npz: NpzArchive, numClasses = 2): Pick<BreastMnistData, 'train' | 'val' | 'test'> {
  const split = (name: 'train' | 'val' | 'test'): LabelledImageSplit => {
    const x = npz.get(`${name}_images`);
    const [n, h, w] = checkImages(x, `${npz.file}:${name}_images`);
    const y = flattenLabels(npz.get(`${name}_labels`), n, `${npz.file}:${name}_labels`);
    return labelledImageSplit(x.data as Uint8Array, y, h, w, numClasses, null, `${npz.file}:${name}_labels`);
  };
  return { train: split('train'), val: split('val'), test: split('test') };
}

/** Load BreastMNIST (see the module doc). */
export async function loadBreastMnist(options: BreastMnistOptions = {}): Promise<BreastMnistData> {
  let file: string;
  let variant = 'unverified';
  if (options.file) {
    file = path.resolve(options.file);
  } else {
    const ds = await ensureDataset('breastmnist', options);
    file = ds.path('breastmnist.npz');
    variant = ds.variants['breastmnist.npz']!;
  }
  const splits = breastMnistFromNpz(readNpz(file));
  return { ...splits, classes: BREASTMNIST_CLASSES, file, variant };
}
