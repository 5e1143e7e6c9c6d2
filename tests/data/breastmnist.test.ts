import * as fs from 'fs';
import { dataRoot, dataTest } from '../support/datasets';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BREASTMNIST_CLASSES, loadBreastMnist } from '../../src/data/breastmnist';
import { encodeNpy, NpyArray, readNpz, writeNpz } from '../../src/data/npy';
import { writeZip } from '../../src/data/zip';

const MIRROR = dataRoot('breastmnist');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-breast-'));
  process.env.COURSE_DATA_CACHE = path.join(tmp, 'cache');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

dataTest('breastmnist')('the real file: official split 546/78/156, class counts, shapes, [0,1] pixels; the variant is reported', async () => {
  const b = await loadBreastMnist({ mirror: MIRROR, offline: true, quiet: true });
  expect(b.train.images.shape).toEqual([546, 28, 28, 1]);
  expect(b.val.images.shape).toEqual([78, 28, 28, 1]);
  expect(b.test.images.shape).toEqual([156, 28, 28, 1]);
  expect(b.train.labels.dtype).toBe('int32');
  expect(b.train.oneHot.shape).toEqual([546, 2]);
  expect(b.train.classCounts).toEqual([147, 399]);
  expect(b.val.classCounts).toEqual([21, 57]);
  expect(b.test.classCounts).toEqual([42, 114]);
  expect(b.classes).toEqual(['malignant', 'normal/benign']);
  expect(BREASTMNIST_CLASSES[0]).toBe('malignant');
  expect(b.variant).toMatch(/^re-saved copy .*labels \(N,\)$/);
  expect(b.file).toBe(path.join(tmp, 'cache', 'breastmnist', 'breastmnist.npz'));
  const [min, max] = [b.train.images.min().dataSync()[0], b.train.images.max().dataSync()[0]];
  expect(min).toBeGreaterThanOrEqual(0);
  expect(max).toBeLessThanOrEqual(1);
  expect(max).toBeGreaterThan(0.9);
  // Same pixels as the raw uint8 array / 255.
  const raw = readNpz(b.file).get('val_images').data as Uint8Array;
  expect(b.val.images.dataSync()[500]).toBeCloseTo(raw[500]! / 255, 6);
  tf.dispose([b.train, b.val, b.test].flatMap((s) => [s.images, s.labels, s.oneHot]));
});

dataTest('breastmnist')('labels shaped (N, 1), as in the official MedMNIST file, are accepted', async () => {
  const src = readNpz(path.join(MIRROR, 'breastmnist', 'breastmnist.npz'));
  const arrays: Record<string, NpyArray> = {};
  for (const name of src.names) {
    const a = src.get(name);
    arrays[name] = name.endsWith('_labels') ? { ...a, shape: [a.shape[0]!, 1] } : a;
  }
  const file = path.join(tmp, 'official-shape.npz');
  writeNpz(file, arrays);
  expect(readNpz(file).get('train_labels').shape).toEqual([546, 1]);
  const b = await loadBreastMnist({ file });
  expect(b.variant).toBe('unverified');
  expect(b.train.labels.shape).toEqual([546]);
  expect(b.train.classCounts).toEqual([147, 399]);
  expect(b.test.classCounts).toEqual([42, 114]);
});

test('an npz without an expected array, with an unknown dtype, or with mismatched labels is a clear error', async () => {
  const img = { dtype: 'uint8' as const, shape: [2, 28, 28], data: new Uint8Array(2 * 784) };
  const lab = { dtype: 'uint8' as const, shape: [2], data: Uint8Array.from([0, 1]) };
  const missing = path.join(tmp, 'missing.npz');
  writeNpz(missing, { train_images: img, train_labels: lab, val_images: img, val_labels: lab, test_images: img });
  await expect(loadBreastMnist({ file: missing })).rejects.toThrow(/missing\.npz: no array 'test_labels' in this \.npz; it holds train_images, train_labels, val_images, val_labels, test_images/);

  const complex = Buffer.from(encodeNpy(lab));
  complex.write("'<c8'", complex.indexOf("'|u1'"), 'latin1');
  const unknown = path.join(tmp, 'unknown.npz');
  fs.writeFileSync(unknown, writeZip(['train', 'val', 'test'].flatMap((s) => [
    { name: `${s}_images.npy`, data: encodeNpy(img) },
    { name: `${s}_labels.npy`, data: s === 'val' ? complex : encodeNpy(lab) },
  ])));
  await expect(loadBreastMnist({ file: unknown })).rejects.toThrow(/unknown\.npz:val_labels\.npy: dtype '<c8' is not supported/);

  const mismatch = path.join(tmp, 'mismatch.npz');
  writeNpz(mismatch, { train_images: img, train_labels: { ...lab, shape: [1, 2] }, val_images: img, val_labels: lab, test_images: img, test_labels: lab });
  await expect(loadBreastMnist({ file: mismatch })).rejects.toThrow(/mismatch\.npz:train_labels: labels must have shape \(2,\) or \(2, 1\) to match the images, found \(1, 2\)/);

  const badLabel = path.join(tmp, 'bad-label.npz');
  writeNpz(badLabel, { train_images: img, train_labels: { ...lab, data: Uint8Array.from([0, 7]) }, val_images: img, val_labels: lab, test_images: img, test_labels: lab });
  await expect(loadBreastMnist({ file: badLabel })).rejects.toThrow(/bad-label\.npz:train_labels: label 7 at position 1 is not a class id 0\.\.1/);
});

dataTest('breastmnist')('a corrupt cached copy is not used: the mirror copy replaces it', async () => {
  const cacheDir = path.join(tmp, 'cache-corrupt');
  fs.mkdirSync(path.join(cacheDir, 'breastmnist'), { recursive: true });
  const good = fs.readFileSync(path.join(MIRROR, 'breastmnist', 'breastmnist.npz'));
  fs.writeFileSync(path.join(cacheDir, 'breastmnist', 'breastmnist.npz'), good.subarray(0, 1000));
  const b = await loadBreastMnist({ cacheDir, mirror: MIRROR, offline: true, quiet: true });
  expect(b.train.count).toBe(546);
  expect(fs.statSync(b.file).size).toBe(559574);
});
