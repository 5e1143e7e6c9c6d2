/**
 * A notebook's models and data for the HTML book's live widgets (书中的交互组件).
 *
 * The book (`npm run book`) turns each export into one script embedded in the chapter's page, where TF.js runs
 * the model the notebook trained: a digit drawn on a canvas, a threshold slider, an applicant form. An export is
 * written at the end of a notebook, in a code cell tagged `book-export`: the claim study leaves such cells out of
 * its code hash because they run after every claim (and `checkClaim` refuses to run after an export).
 *
 * Each model is stored at the smallest weight precision (uint8 → float16 → float32) that does not change its
 * predictions on the `check` inputs: the same top class for every input and every output within `tolerance` of the
 * float32 model's. The check inputs and the float32 model's outputs (the notebook's predictions) are stored with
 * the export: the book test asserts that the page's model reproduces them.
 *
 * ```ts
 * const exported = await exportForBook({
 *   notebook: '04-cnn-mnist',
 *   models: { small: { model: cnn, check: xTest.slice(0, 32) } },   // check: [n, ...inputShape], n ≤ 64
 *   data: { classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
 * });
 * console.log(describeBookExport(exported));
 * // book export 04-cnn-mnist → build/book-exports/en/04-cnn-mnist
 * //   small: uint8, 27.1 kB of 94.6 kB float32 (29 %); 32 check inputs, top class kept, max |Δ| 4.2e-4 ≤ 1e-3
 * ```
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { findCourseRoot } from '../data/manifest';
import { loadModelFiles, saveModelFiles } from '../deploy/model-io';
import { directoryBytes, saveQuantizedModelFiles, type WeightPrecision } from '../deploy/quantize';
import { courseLanguage } from './language';
import { formatBytes } from './progress';

/** A model to export and the inputs its exported copy is checked on. */
export interface BookModel {
  model: tf.LayersModel;
  /** Real inputs, shape [n, ...inputShape] with 1 ≤ n ≤ 64: the precision is chosen on them, and the book test reruns them. */
  check: tf.Tensor;
}

export interface BookExportOptions {
  /** The notebook's file name without `.ipynb`, e.g. `'04-cnn-mnist'`. */
  notebook: string;
  models?: Record<string, BookModel>;
  /** Anything JSON the page needs (class names, thresholds, stored scores, encoder metadata, images as numbers). */
  data: Record<string, unknown>;
  /** Largest |output − float32 output| a quantized copy may have on the check inputs (default 1e-3). */
  tolerance?: number;
  /** Where exports go (default `COURSE_BOOK_EXPORTS` or build/book-exports of the course); the language is a subfolder. */
  dir?: string;
}

/** What was exported for one model. */
export interface BookModelReport {
  name: string;
  precision: WeightPrecision;
  /** Bytes of the exported files (model.json + weights.bin), and of the float32 files. */
  bytes: number;
  float32Bytes: number;
  /** Check inputs, and the largest |Δ| between the exported copy's outputs and the float32 model's on them. */
  checks: number;
  maxDiff: number;
  /** Precisions tried before the chosen one, with why each was refused. */
  refused: string[];
}

export interface BookExportReport {
  notebook: string;
  lang: 'en' | 'zh';
  dir: string;
  models: BookModelReport[];
  /** Bytes of data.json (the page data, the check inputs and the notebook's outputs). */
  dataBytes: number;
  tolerance: number;
}

/** The check inputs and the float32 model's outputs of one model, as stored in data.json. */
export interface BookSamples {
  shape: number[];
  inputs: number[];
  outShape: number[];
  outputs: number[];
}

const MAX_CHECKS = 64;
const PRECISIONS: readonly WeightPrecision[] = ['uint8', 'float16', 'float32'];
let exported = false;

/** True once `exportForBook` ran in this process: `checkClaim` refuses to record after it (see the module comment). */
export function bookExportDone(): boolean {
  return exported;
}

/** The folder exports go to: `COURSE_BOOK_EXPORTS`, else build/book-exports in the course folder. */
export function bookExportDir(): string {
  return process.env.COURSE_BOOK_EXPORTS ?? path.join(findCourseRoot(), 'build', 'book-exports');
}

function predictValues(model: tf.LayersModel, x: tf.Tensor): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const y = model.predict(x);
    if (Array.isArray(y)) throw new Error(`exportForBook: model ${model.name} has ${y.length} outputs; export single-output models`);
    return { values: Float32Array.from(y.dataSync()), shape: y.shape.slice() };
  });
}

/** Index of the largest value in each row of `values` (rows of `width`); one-column outputs are compared at 0.5. */
function topClasses(values: Float32Array, width: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < values.length / width; r++) {
    if (width === 1) { out.push(values[r]! >= 0.5 ? 1 : 0); continue; }
    let best = 0;
    for (let j = 1; j < width; j++) if (values[r * width + j]! > values[r * width + best]!) best = j;
    out.push(best);
  }
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** float32 values as the shortest JSON numbers that read back as the same float32 (9 significant digits, not 17). */
function float32Json(values: ArrayLike<number>): number[] {
  return Array.from(values, (v) => Number(Math.fround(v).toPrecision(9)));
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Save one model at the smallest precision that keeps its predictions on `check`; returns the report and the samples.
 * Each precision is written to a scratch folder, loaded back and rerun; the chosen one is moved to `to`.
 */
async function exportModel(name: string, { model, check }: BookModel, to: string, tolerance: number): Promise<{ report: BookModelReport; samples: BookSamples }> {
  const n = check.shape[0] ?? 0;
  if (check.rank < 2 || n < 1 || n > MAX_CHECKS) {
    throw new Error(`exportForBook: models.${name}.check has shape [${check.shape}]; give a batch [n, ...inputShape] of 1 to ${MAX_CHECKS} real inputs`);
  }
  const reference = predictValues(model, check);
  const width = reference.values.length / n;
  const wanted = topClasses(reference.values, width);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `book-export-${name}-`));
  try {
    const float32Dir = path.join(scratch, 'float32');
    await saveModelFiles(model, float32Dir);
    const float32Bytes = directoryBytes(float32Dir);
    const refused: string[] = [];
    for (const precision of PRECISIONS) {
      const dir = precision === 'float32' ? float32Dir : path.join(scratch, precision);
      if (precision !== 'float32') await saveQuantizedModelFiles(model, dir, precision);
      const { model: copy } = await loadModelFiles(dir);
      const got = predictValues(copy, check);
      copy.dispose();
      const diff = maxAbsDiff(got.values, reference.values);
      const changed = topClasses(got.values, width).filter((c, i) => c !== wanted[i]).length;
      if (precision !== 'float32' && (changed > 0 || !(diff <= tolerance))) {
        refused.push(`${precision}: ${changed ? `top class changed on ${changed} of ${n}` : `max |Δ| ${diff.toExponential(1)} > ${tolerance}`}`);
        continue;
      }
      fs.rmSync(to, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.cpSync(dir, to, { recursive: true });
      const samples: BookSamples = {
        shape: check.shape.slice(), inputs: float32Json(check.dataSync()), outShape: reference.shape, outputs: float32Json(reference.values),
      };
      return { report: { name, precision, bytes: directoryBytes(to), float32Bytes, checks: n, maxDiff: diff, refused }, samples };
    }
    throw new Error('unreachable: float32 is always accepted');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Export models and page data for the book: `<dir>/<lang>/<notebook>/` gets one folder per model (TF.js model.json +
 * weights.bin) and data.json `{ notebook, lang, profile, exportedAt, data, samples, models }`. The folder is replaced whole.
 */
export async function exportForBook(options: BookExportOptions): Promise<BookExportReport> {
  const { notebook, data } = options;
  const tolerance = options.tolerance ?? 1e-3;
  if (!/^\d\d-[a-z0-9-]+$/.test(notebook)) throw new Error(`exportForBook: notebook "${notebook}" should be the file name without .ipynb, e.g. "04-cnn-mnist"`);
  const lang = courseLanguage();
  const dir = path.join(options.dir ?? bookExportDir(), lang, notebook);
  const building = `${dir}.partial-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  const models: BookModelReport[] = [];
  const samples: Record<string, BookSamples> = {};
  for (const [name, m] of Object.entries(options.models ?? {})) {
    if (!/^[A-Za-z][\w-]*$/.test(name)) throw new Error(`exportForBook: model name "${name}" should be a plain identifier`);
    const { report, samples: s } = await exportModel(name, m, path.join(building, name), tolerance);
    models.push(report);
    samples[name] = s;
  }
  const json = JSON.stringify({
    notebook, lang, profile: process.env.COURSE_PROFILE === 'quick' ? 'quick' : 'full', exportedAt: new Date().toISOString(), tolerance, data, samples,
    models: Object.fromEntries(models.map((m) => [m.name, { precision: m.precision, bytes: m.bytes, maxDiff: m.maxDiff }])),
  });
  writeAtomic(path.join(building, 'data.json'), json);
  // The previous export is replaced only by a complete one.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(building, dir);
  exported = true;
  return { notebook, lang, dir, models, dataBytes: Buffer.byteLength(json), tolerance };
}

/** One line for the export, then one per model: precision, size against float32, and the check. */
export function describeBookExport(report: BookExportReport): string {
  const root = (() => { try { return findCourseRoot(); } catch { return null; } })();
  const where = root && report.dir.startsWith(root) ? path.relative(root, report.dir) : report.dir;
  const lines = [`book export ${report.notebook} → ${where} (page data ${formatBytes(report.dataBytes)})`];
  for (const m of report.models) {
    lines.push(`  ${m.name}: ${m.precision}, ${formatBytes(m.bytes)} of ${formatBytes(m.float32Bytes)} float32 (${Math.round((100 * m.bytes) / m.float32Bytes)} %); ` +
      `${m.checks} check inputs, top class kept, max |Δ| ${m.maxDiff.toExponential(1)} ≤ ${report.tolerance}` +
      (m.refused.length ? `; refused ${m.refused.join('; ')}` : ''));
  }
  return lines.join('\n');
}
