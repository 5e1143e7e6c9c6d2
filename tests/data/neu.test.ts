import * as fs from 'fs';
import { dataRoot, dataTest } from '../support/datasets';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { decodeGrayJpeg, loadNeu, NEU_CLASSES, neuClassOf, parseVocAnnotation } from '../../src/data/neu';

const MIRROR = dataRoot('neu-surface-defect-det');
const DIR = path.resolve(__dirname, '..', '..', MIRROR, 'neu-surface-defect-det');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-neu-'));
  process.env.COURSE_DATA_CACHE = path.join(tmp, 'cache');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

dataTest('neu-surface-defect-det')('all 1800 images decoded once (worker threads): 6 classes × 300, 4189 boxes, resized to 64×64', async () => {
  // Read from the mirror folder as it is; tests/data/download.test.ts covers copying and verifying it.
  const t0 = Date.now();
  const neu = await loadNeu({ dir: DIR, quiet: true, size: 64, resize: 'area' });
  console.log(`NEU: decode 1800 JPEGs + resize to 64×64: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(neu.images.shape).toEqual([1800, 64, 64, 1]);
  expect(neu.labels.shape).toEqual([1800]);
  expect(neu.labels.dtype).toBe('int32');
  expect(neu.classes).toEqual(['crazing', 'inclusion', 'patches', 'pitted_surface', 'rolled-in_scale', 'scratches']);
  expect(neu.classCounts).toEqual([300, 300, 300, 300, 300, 300]);
  expect(neu.size).toEqual([64, 64]);
  expect(neu.files[0]).toBe('IMAGES/crazing_1.jpg');
  expect(neu.files[1799]).toBe('IMAGES/scratches_300.jpg');
  // Labels follow the file-name prefix.
  const labels = neu.labels.dataSync();
  neu.files.forEach((f, i) => expect(neu.classes[labels[i]!]).toBe(neuClassOf(f).label));
  // Boxes: 4189 in all, 1-9 per image, per-class totals from PROVENANCE.md.
  const all = neu.boxes.flat();
  expect(all).toHaveLength(4189);
  const perLabel: Record<string, number> = {};
  for (const b of all) perLabel[b.label] = (perLabel[b.label] ?? 0) + 1;
  expect(perLabel).toEqual({ inclusion: 1011, patches: 881, crazing: 689, 'rolled-in_scale': 628, scratches: 548, pitted_surface: 432 });
  expect(Math.min(...neu.boxes.map((b) => b.length))).toBe(1);
  expect(Math.max(...neu.boxes.map((b) => b.length))).toBe(9);
  // 123 images also hold boxes of a second class.
  expect(neu.boxes.filter((b, i) => b.some((x) => x.label !== neu.classes[labels[i]!])).length).toBe(123);
  // Boxes are scaled to the 64×64 output.
  const raw = parseVocAnnotation(fs.readFileSync(path.join(DIR, 'ANNOTATIONS', 'scratches_300.xml'), 'utf8'));
  expect(neu.boxes[1799]).toEqual(raw.boxes.map((b) => ({ label: b.label, xmin: b.xmin * 0.32, ymin: b.ymin * 0.32, xmax: b.xmax * 0.32, ymax: b.ymax * 0.32 })));
  for (const b of all) expect(b.xmax).toBeLessThanOrEqual(64);
  const mean = neu.images.mean().dataSync()[0]!;
  expect(mean).toBeGreaterThan(0.2);
  expect(mean).toBeLessThan(0.8);
  tf.dispose([neu.images, neu.labels]);
});

dataTest('neu-surface-defect-det')('a quick subset at full size: pixels are the gray JPEG values / 255, boxes as in the XML', async () => {
  const neu = await loadNeu({ dir: DIR, perClass: 2, classes: ['scratches', 'crazing'], workers: 2 });
  expect(neu.files).toEqual(['IMAGES/scratches_1.jpg', 'IMAGES/scratches_2.jpg', 'IMAGES/crazing_1.jpg', 'IMAGES/crazing_2.jpg']);
  expect(Array.from(neu.labels.dataSync())).toEqual([0, 0, 1, 1]);
  expect(neu.images.shape).toEqual([4, 200, 200, 1]);
  const gray = decodeGrayJpeg(fs.readFileSync(path.join(DIR, 'IMAGES', 'crazing_1.jpg')));
  expect([gray.width, gray.height]).toEqual([200, 200]);
  const px = neu.images.slice([2, 0, 0, 0], [1, 200, 200, 1]).dataSync();
  for (const i of [0, 1234, 20099, 39999]) expect(px[i]).toBeCloseTo(gray.data[i]! / 255, 6);
  const ann = parseVocAnnotation(fs.readFileSync(path.join(DIR, 'ANNOTATIONS', 'crazing_1.xml'), 'utf8'));
  expect(neu.boxes[2]).toEqual(ann.boxes);
  expect(ann).toMatchObject({ width: 200, height: 200, depth: 1 });
});

dataTest('neu-surface-defect-det')('annotations are matched on the XML file name: 174 <filename>s lack .jpg', () => {
  let noExt = 0;
  for (const f of fs.readdirSync(path.join(DIR, 'ANNOTATIONS'))) {
    const ann = parseVocAnnotation(fs.readFileSync(path.join(DIR, 'ANNOTATIONS', f), 'utf8'), f);
    if (!ann.filename.endsWith('.jpg')) noExt++;
    expect(ann.boxes.length).toBeGreaterThan(0);
  }
  expect(noExt).toBe(174);
  expect(neuClassOf('IMAGES/rolled-in_scale_12.jpg')).toEqual({ label: 'rolled-in_scale', number: 12 });
  expect(() => neuClassOf('IMAGES/rust_1.jpg')).toThrow(/not an NEU file name/);
  expect(NEU_CLASSES).toHaveLength(6);
});

dataTest('neu-surface-defect-det')('a JPEG that does not decode, a missing or malformed annotation: errors name the file and the fix', async () => {
  const dir = path.join(tmp, 'broken');
  fs.mkdirSync(path.join(dir, 'IMAGES'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'ANNOTATIONS'), { recursive: true });
  const good = fs.readFileSync(path.join(DIR, 'IMAGES', 'patches_1.jpg'));
  fs.writeFileSync(path.join(dir, 'IMAGES', 'patches_1.jpg'), good.subarray(0, 5000)); // truncated
  fs.copyFileSync(path.join(DIR, 'ANNOTATIONS', 'patches_1.xml'), path.join(dir, 'ANNOTATIONS', 'patches_1.xml'));
  for (const workers of [0, 1]) {
    await expect(loadNeu({ dir, workers })).rejects.toThrow(/IMAGES\/patches_1\.jpg: not a decodable JPEG \(marker was not found\)\. The file is damaged or not a JPEG\. Run `npm run data -- neu-surface-defect-det` to verify/);
  }
  expect(() => decodeGrayJpeg(Buffer.from('GIF89a....'), 'x.jpg')).toThrow(/x\.jpg: not a decodable JPEG \(SOI not found\)/);

  fs.writeFileSync(path.join(dir, 'IMAGES', 'patches_1.jpg'), good);
  fs.rmSync(path.join(dir, 'ANNOTATIONS', 'patches_1.xml'));
  await expect(loadNeu({ dir })).rejects.toThrow(/ANNOTATIONS\/patches_1\.xml: the annotation of IMAGES\/patches_1\.jpg is missing/);

  fs.writeFileSync(path.join(dir, 'ANNOTATIONS', 'patches_1.xml'), '<annotation><size><width>200</width><height>200</height></size><object><name>patches</name><bndbox><xmin>1</xmin><ymin>a</ymin><xmax>5</xmax><ymax>9</ymax></bndbox></object></annotation>');
  await expect(loadNeu({ dir })).rejects.toThrow(/patches_1\.xml: <ymin> is 'a', not a number in <object> 1/);
  expect(() => parseVocAnnotation('<html></html>', 'y.xml')).toThrow(/y\.xml: not a Pascal-VOC annotation/);
  await expect(loadNeu({ dir: path.join(tmp, 'nowhere') })).rejects.toThrow(/IMAGES: folder not found/);
});
