import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { describeBookExport, exportForBook } from '../../src/notebook/book-export';
import { checkClaim } from '../../src/notebook/claims';
import { loadModelFiles } from '../../src/deploy/model-io';

// A small classifier with fixed weights (so the precision chosen is the same on every machine).
function classifier(seed: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [32], units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  return model;
}

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'book-export-test-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

test('exports each model at the smallest precision that keeps its predictions, with the checks and the notebook\'s outputs', async () => {
  const model = classifier(3);
  const check = tf.randomUniform([16, 32], -1, 1, 'float32', 5);
  const before = tf.memory().numTensors;
  const report = await exportForBook({ notebook: '99-test', models: { small: { model, check } }, data: { classNames: ['a', 'b', 'c'] }, dir, tolerance: 0.05 });
  expect(tf.memory().numTensors).toBe(before);
  expect(report.dir).toBe(path.join(dir, 'en', '99-test'));
  const [m] = report.models;
  // uint8 keeps every top class within 0.05 on this model: it is chosen, and is about a quarter of float32.
  expect(m!.precision).toBe('uint8');
  expect(m!.bytes).toBeLessThan(0.6 * m!.float32Bytes);
  expect(m!.maxDiff).toBeGreaterThan(0);
  expect(m!.maxDiff).toBeLessThanOrEqual(0.05);

  const saved = JSON.parse(fs.readFileSync(path.join(report.dir, 'data.json'), 'utf8'));
  expect(saved.data).toEqual({ classNames: ['a', 'b', 'c'] });
  expect(saved.samples.small.shape).toEqual([16, 32]);
  expect(saved.samples.small.outShape).toEqual([16, 3]);
  const expected = Array.from((model.predict(check) as tf.Tensor).dataSync());
  saved.samples.small.outputs.forEach((v: number, i: number) => expect(v).toBeCloseTo(expected[i]!, 6));
  expect(saved.samples.small.inputs).toHaveLength(16 * 32);
  // Stored with 9 significant digits: each reads back as exactly the float32 the model saw.
  const inputs = check.dataSync();
  saved.samples.small.inputs.forEach((v: number, i: number) => expect(Math.fround(v)).toBe(inputs[i]));
  expect(Math.max(...saved.samples.small.inputs.map((v: number) => String(v).replace(/^-?0\.|e.*$|\./g, '').replace(/^0+/, '').length))).toBeLessThanOrEqual(9);

  // The exported files are a loadable TF.js model whose outputs are within the tolerance of the notebook's.
  const { model: again } = await loadModelFiles(path.join(report.dir, 'small'));
  const got = Array.from((again.predict(check) as tf.Tensor).dataSync());
  got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(0.05));
  expect(describeBookExport(report)).toMatch(/small: uint8, .* of .* float32 \(\d+ %\); 16 check inputs, top class kept, max \|Δ\| .* ≤ 0.05/);
});

test('a tight tolerance refuses the quantized copies and says why', async () => {
  const report = await exportForBook({
    notebook: '99-test', models: { small: { model: classifier(7), check: tf.randomUniform([8, 32], -1, 1, 'float32', 9) } }, data: {}, dir, tolerance: 1e-9,
  });
  const [m] = report.models;
  expect(m!.precision).toBe('float32');
  expect(m!.maxDiff).toBe(0);
  expect(m!.refused).toHaveLength(2);
  expect(m!.refused[0]).toMatch(/^uint8: (top class changed on \d+ of 8|max \|Δ\| .* > 1e-9)$/);
  expect(describeBookExport(report)).toContain('refused uint8');
});

test('bad input names the field and the fix, and leaves the previous export in place', async () => {
  await exportForBook({ notebook: '99-test', data: { v: 1 }, dir });
  const kept = path.join(dir, 'en', '99-test', 'data.json');
  expect(JSON.parse(fs.readFileSync(kept, 'utf8')).data).toEqual({ v: 1 });
  await expect(exportForBook({ notebook: '99-test.ipynb', data: {}, dir })).rejects.toThrow(/file name without \.ipynb/);
  await expect(exportForBook({ notebook: '99-test', models: { m: { model: classifier(1), check: tf.zeros([0, 32]) } }, data: { v: 2 }, dir }))
    .rejects.toThrow(/models\.m\.check has shape \[0,32\]; give a batch \[n, \.\.\.inputShape\] of 1 to 64 real inputs/);
  expect(JSON.parse(fs.readFileSync(kept, 'utf8')).data).toEqual({ v: 1 });
});

test('the Chinese notebook exports into zh/, and a study run refuses a claim recorded after an export', async () => {
  const lang = process.env.COURSE_LANG;
  process.env.COURSE_LANG = 'zh';
  try {
    const report = await exportForBook({ notebook: '99-test', data: {}, dir });
    expect(report.dir).toBe(path.join(dir, 'zh', '99-test'));
  } finally {
    if (lang === undefined) delete process.env.COURSE_LANG; else process.env.COURSE_LANG = lang;
  }
  // A learner may rerun a claim's cell after the export; a study run may not record one.
  expect(checkClaim(null, 'auc', 0.9, { text: 'AUC', profile: 'quick' }).mode).toBe('quick');
  const records = path.join(dir, 'claims.jsonl');
  expect(() => checkClaim(null, 'auc', 0.9, { text: 'AUC', recordTo: records })).toThrow(/recorded after exportForBook — the book-export cell must come after every claim/);
  expect(fs.existsSync(records)).toBe(false);
});
