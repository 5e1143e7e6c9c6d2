/**
 * NEU surface defects, NEU-DET release (钢带表面缺陷): 1800 grayscale 200×200 images of hot-rolled
 * steel strip, 300 for each of 6 classes, with Pascal-VOC bounding boxes.
 *
 * Research use only, with citation (see data/manifest.json): never commit or redistribute the
 * files. There is no automatic download; `npm run data -- neu-surface-defect-det` prints the
 * manual steps and verifies what you put in place.
 *
 * The class is the file-name prefix (`IMAGES/<class>_<n>.jpg`); boxes come from
 * `ANNOTATIONS/<class>_<n>.xml`, matched on the XML file name (174 files have a `<filename>`
 * without `.jpg`). JPEGs are decoded with jpeg-js and turned into one gray channel; `size`
 * resizes them (bilinear or area, src/vision/image-resize.ts) and scales the boxes to match.
 *
 * Shapes: images `[n, h, w, 1]` float32 in [0, 1] (h = w = 200 unless resized); labels `[n]` int32
 * indexing `classes`; `boxes[i]` the boxes of image i in pixels of the returned image.
 * Decoding all 1800 JPEGs takes several seconds (jpeg-js is plain JavaScript).
 *
 * ```ts
 * const neu = await loadNeu({ size: 64, resize: 'area' });
 * neu.images.shape;     // [1800, 64, 64, 1]
 * neu.classes;          // ['crazing', 'inclusion', 'patches', 'pitted_surface', 'rolled-in_scale', 'scratches']
 * neu.boxes[0];         // [{ label: 'crazing', xmin: 0.64, ymin: 0.64, xmax: 61.12, ymax: 63.68 }, ...]
 * const few = await loadNeu({ perClass: 20 });   // the first 20 of each class, 200×200
 * ```
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as tf from '@tensorflow/tfjs';
import * as jpeg from 'jpeg-js';
import { ensureDataset, EnsureOptions } from './download';
import { ResizeMethod, resizePixels } from '../vision/image-resize';
import { progress } from '../notebook/progress';
import { countPerClass } from './sample-indices';

/** The six defect classes, in label order. */
export const NEU_CLASSES: readonly string[] = ['crazing', 'inclusion', 'patches', 'pitted_surface', 'rolled-in_scale', 'scratches'];

/** A bounding box: `label` is the object's class; corners in pixels (VOC xmin/ymin/xmax/ymax). */
export interface NeuBox {
  label: string;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** A parsed Pascal-VOC annotation. */
export interface VocAnnotation {
  /** The `<filename>` text (may lack '.jpg'; do not match on it). */
  filename: string;
  width: number;
  height: number;
  depth: number;
  boxes: NeuBox[];
}

const HINT = 'Run `npm run data -- neu-surface-defect-det` to verify the files against data/neu-files.tsv.';

/** Decode a JPEG to one gray channel (`(299 R + 587 G + 114 B) / 1000`, rounded): `[height, width]` uint8. */
export function decodeGrayJpeg(bytes: Uint8Array, file = '<jpeg>'): { width: number; height: number; data: Uint8Array } {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 256 });
  } catch (err) {
    throw new Error(`${file}: not a decodable JPEG (${(err as Error).message}). The file is damaged or not a JPEG. ${HINT}`);
  }
  const n = img.width * img.height;
  if (!(n > 0) || img.data.length !== n * 3) throw new Error(`${file}: the JPEG decoded to ${img.width}×${img.height} with ${img.data.length} bytes; expected 3 channels. ${HINT}`);
  const gray = new Uint8Array(n);
  const d = img.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) gray[i] = Math.round((299 * d[j]! + 587 * d[j + 1]! + 114 * d[j + 2]!) / 1000);
  return { width: img.width, height: img.height, data: gray };
}

/** The worker's code: decode JPEG files to gray with jpeg-js, the same formula as `decodeGrayJpeg`. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const jpeg = require(workerData.jpegJs);
parentPort.on('message', (job) => {
  const out = [];
  const transfer = [];
  for (const file of job.files) {
    try {
      const img = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 256 });
      const n = img.width * img.height;
      if (!(n > 0) || img.data.length !== n * 3) throw new Error('decoded to ' + img.width + 'x' + img.height + ' with ' + img.data.length + ' bytes; expected 3 channels');
      const gray = new Uint8Array(n);
      const d = img.data;
      for (let i = 0, j = 0; i < n; i++, j += 3) gray[i] = Math.round((299 * d[j] + 587 * d[j + 1] + 114 * d[j + 2]) / 1000);
      out.push({ width: img.width, height: img.height, data: gray });
      transfer.push(gray.buffer);
    } catch (err) {
      out.push({ error: String(err && err.message || err) });
    }
  }
  parentPort.postMessage({ id: job.id, out }, transfer);
});
`;

/**
 * Decode many JPEG files to gray (as `decodeGrayJpeg`) on `workers` worker threads (default: the
 * CPU count, at most 4; 0 decodes on this thread). Results are in the order of `files`;
 * `onProgress(done)` is called as they arrive. A file that does not decode is an error naming it.
 */
async function decodeGrayJpegFiles(files: readonly string[], options: { workers?: number; onProgress?: (done: number) => void } = {}): Promise<{ width: number; height: number; data: Uint8Array }[]> {
  const parallel = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const count = Math.min(options.workers ?? Math.min(parallel, 4), Math.ceil(files.length / 8));
  const results: { width: number; height: number; data: Uint8Array }[] = new Array(files.length);
  if (count <= 0) {
    files.forEach((f, i) => {
      results[i] = decodeGrayJpeg(fs.readFileSync(f), f);
      options.onProgress?.(i + 1);
    });
    return results;
  }
  const batch = 8;
  const jobs: { id: number; files: string[] }[] = [];
  for (let i = 0; i < files.length; i += batch) jobs.push({ id: i, files: files.slice(i, i + batch) });
  const workers = Array.from({ length: count }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { jpegJs: require.resolve('jpeg-js') } }));
  let done = 0;
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      const next = (): void => {
        const job = jobs.shift();
        if (!job) return resolve();
        w.postMessage(job);
      };
      w.on('message', (msg: { id: number; out: ({ width: number; height: number; data: Uint8Array } | { error: string })[] }) => {
        for (let k = 0; k < msg.out.length; k++) {
          const r = msg.out[k]!;
          const file = files[msg.id + k]!;
          if ('error' in r) {
            reject(new Error(`${file}: not a decodable JPEG (${r.error}). The file is damaged or not a JPEG. ${HINT}`));
            return;
          }
          results[msg.id + k] = r;
        }
        done += msg.out.length;
        options.onProgress?.(done);
        next();
      });
      w.on('error', reject);
      next();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function tag(xml: string, name: string, file: string, where = ''): string {
  const m = new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml);
  if (!m) throw new Error(`${file}: <${name}> is missing${where}. ${HINT}`);
  return m[1]!;
}

function num(xml: string, name: string, file: string, where = ''): number {
  const text = tag(xml, name, file, where);
  const v = Number(text);
  if (text === '' || !Number.isFinite(v)) throw new Error(`${file}: <${name}> is '${text}', not a number${where}. ${HINT}`);
  return v;
}

/** Parse a Pascal-VOC XML annotation (size and every `<object>`'s name and box). */
export function parseVocAnnotation(xml: string, file = '<xml>'): VocAnnotation {
  if (!/<annotation[\s>]/.test(xml)) throw new Error(`${file}: not a Pascal-VOC annotation (no <annotation> element). ${HINT}`);
  const sizeMatch = /<size>([\s\S]*?)<\/size>/.exec(xml);
  if (!sizeMatch) throw new Error(`${file}: <size> is missing. ${HINT}`);
  const size = sizeMatch[1]!;
  const boxes: NeuBox[] = [];
  const objects = xml.match(/<object>[\s\S]*?<\/object>/g) ?? [];
  objects.forEach((o, i) => {
    const where = ` in <object> ${i + 1}`;
    const bb = /<bndbox>([\s\S]*?)<\/bndbox>/.exec(o);
    if (!bb) throw new Error(`${file}: <bndbox> is missing${where}. ${HINT}`);
    const box = {
      label: tag(o, 'name', file, where),
      xmin: num(bb[1]!, 'xmin', file, where), ymin: num(bb[1]!, 'ymin', file, where),
      xmax: num(bb[1]!, 'xmax', file, where), ymax: num(bb[1]!, 'ymax', file, where),
    };
    if (box.xmax < box.xmin || box.ymax < box.ymin) throw new Error(`${file}: box ${i + 1} has xmax < xmin or ymax < ymin. ${HINT}`);
    boxes.push(box);
  });
  const filenameMatch = /<filename>\s*([^<]*?)\s*<\/filename>/.exec(xml);
  return {
    filename: filenameMatch ? filenameMatch[1]! : '',
    width: num(size, 'width', file, ' in <size>'), height: num(size, 'height', file, ' in <size>'),
    depth: /<depth>/.test(size) ? num(size, 'depth', file, ' in <size>') : 1,
    boxes,
  };
}

/** The class of an NEU image from its file name: `rolled-in_scale_12.jpg` → `{ label: 'rolled-in_scale', number: 12 }`. */
export function neuClassOf(fileName: string): { label: string; number: number } {
  const base = path.basename(fileName);
  const m = /^(.+)_(\d+)\.(jpg|xml)$/i.exec(base);
  if (!m || !NEU_CLASSES.includes(m[1]!)) {
    throw new Error(`${fileName}: not an NEU file name '<class>_<n>.jpg' with class one of ${NEU_CLASSES.join(', ')}`);
  }
  return { label: m[1]!, number: Number(m[2]) };
}

export interface NeuOptions extends EnsureOptions {
  /** A folder with IMAGES/ and ANNOTATIONS/ used as it is (no checksum); default: `ensureDataset('neu-surface-defect-det')`. */
  dir?: string;
  /** Output size: n for n×n, or [height, width]. Default: the original 200×200. */
  size?: number | [number, number];
  /** 'bilinear' (default) or 'area' (better for shrinking). */
  resize?: ResizeMethod;
  /** Only the first `perClass` images of each class (by number), for quick runs. */
  perClass?: number;
  /** Only these classes (labels then index this list). */
  classes?: string[];
  /** Worker threads for JPEG decoding (default: CPU count, at most 4; 0 = this thread). */
  workers?: number;
}

export interface NeuData {
  /** `[n, h, w, 1]` float32 in [0, 1]. */
  images: tf.Tensor4D;
  /** `[n]` int32, indexes `classes`. */
  labels: tf.Tensor1D;
  classes: string[];
  /** `boxes[i]`: image i's boxes in pixels of the returned image. */
  boxes: NeuBox[][];
  /** Image paths relative to the dataset folder, e.g. 'IMAGES/crazing_1.jpg'. */
  files: string[];
  classCounts: number[];
  /** [height, width] of the returned images. */
  size: [number, number];
}

/** Load NEU-DET (see the module doc). */
export async function loadNeu(options: NeuOptions = {}): Promise<NeuData> {
  const classes = options.classes ? [...options.classes] : [...NEU_CLASSES];
  for (const c of classes) if (!NEU_CLASSES.includes(c)) throw new Error(`loadNeu: unknown class '${c}'; the classes are ${NEU_CLASSES.join(', ')}`);
  let locate: (rel: string) => string;
  let imageFiles: string[];
  if (options.dir) {
    const dir = path.resolve(options.dir);
    const imagesDir = path.join(dir, 'IMAGES');
    if (!fs.existsSync(imagesDir)) throw new Error(`${imagesDir}: folder not found; loadNeu({ dir }) needs <dir>/IMAGES and <dir>/ANNOTATIONS`);
    imageFiles = fs.readdirSync(imagesDir).filter((f) => /\.jpg$/i.test(f)).map((f) => `IMAGES/${f}`);
    locate = (rel) => path.join(dir, ...rel.split('/'));
  } else {
    const ds = await ensureDataset('neu-surface-defect-det', options);
    imageFiles = Object.keys(ds.files).filter((f) => f.startsWith('IMAGES/'));
    locate = (rel) => ds.path(rel);
  }
  const chosen = imageFiles
    .map((f) => ({ f, ...neuClassOf(f) }))
    .filter((e) => classes.includes(e.label))
    .sort((a, b) => classes.indexOf(a.label) - classes.indexOf(b.label) || a.number - b.number);
  const perClass = options.perClass;
  if (perClass !== undefined && !(Number.isInteger(perClass) && perClass > 0)) throw new Error(`loadNeu: perClass must be a positive integer, got ${perClass}`);
  const taken = new Map<string, number>();
  const list = chosen.filter((e) => {
    const k = taken.get(e.label) ?? 0;
    if (perClass !== undefined && k >= perClass) return false;
    taken.set(e.label, k + 1);
    return true;
  });
  if (list.length === 0) throw new Error('loadNeu: no images selected');

  const [outH, outW] = options.size === undefined ? [200, 200] : typeof options.size === 'number' ? [options.size, options.size] : options.size;
  if (!(Number.isInteger(outH) && outH > 0 && Number.isInteger(outW) && outW > 0)) throw new Error(`loadNeu: size must be positive integers, got ${String(options.size)}`);
  const method = options.resize ?? 'bilinear';
  const n = list.length;
  const pixels = new Float32Array(n * outH * outW);
  const labels = new Int32Array(n);
  const boxes: NeuBox[][] = [];
  const bar = options.quiet || n < 100 ? null : progress({ total: n, label: 'NEU: decoding JPEGs', unit: 'img', stream: options.progressStream });
  const decoded = await decodeGrayJpegFiles(list.map((e) => locate(e.f)), { workers: options.workers ?? (n < 32 ? 0 : undefined), onProgress: (d) => bar?.update(d) });
  for (let i = 0; i < n; i++) {
    const e = list[i]!;
    const img = decoded[i]!;
    const scaled = img.height === outH && img.width === outW ? img.data : resizePixels(img.data, img.height, img.width, 1, outH, outW, method);
    const off = i * outH * outW;
    for (let p = 0; p < outH * outW; p++) pixels[off + p] = scaled[p]! / 255;
    labels[i] = classes.indexOf(e.label);
    const xmlRel = `ANNOTATIONS/${path.basename(e.f).replace(/\.jpg$/i, '.xml')}`;
    const xmlFile = locate(xmlRel);
    let xml: string;
    try {
      xml = fs.readFileSync(xmlFile, 'utf8');
    } catch {
      throw new Error(`${xmlFile}: the annotation of ${e.f} is missing (every image needs ANNOTATIONS/<same name>.xml). ${HINT}`);
    }
    const ann = parseVocAnnotation(xml, xmlFile);
    const sx = outW / img.width;
    const sy = outH / img.height;
    boxes.push(ann.boxes.map((b) => ({ label: b.label, xmin: b.xmin * sx, ymin: b.ymin * sy, xmax: b.xmax * sx, ymax: b.ymax * sy })));
  }
  bar?.done(`NEU: ${n} images decoded${outH !== 200 || outW !== 200 ? ` and resized to ${outH}×${outW} (${method})` : ''}`);
  return {
    images: tf.tensor4d(pixels, [n, outH, outW, 1], 'float32'),
    labels: tf.tensor1d(labels, 'int32'),
    classes,
    boxes,
    files: list.map((e) => e.f),
    classCounts: countPerClass(labels, classes.length),
    size: [outH, outW],
  };
}
