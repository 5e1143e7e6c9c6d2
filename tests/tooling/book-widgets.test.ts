// kernel-setup/book-widgets.js: a notebook's export becomes one script in the book, with everything embedded.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const widgets = require('../../kernel-setup/book-widgets') as {
  writeWidgetBundle(out: string, lang: 'en' | 'zh', nb: string, dir?: string, scripts?: string): { file: string; bytes: number; from: string } | null;
  widgetScripts(nb: string, assets: string, bundle: string, scripts?: string): string;
};

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'book-widgets-')); });
afterEach(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

/** An export as exportForBook writes it: data.json and one model folder (model.json + weights.bin). */
function fakeExport(lang: string, profile: string, weights: number[]): void {
  const dir = path.join(tmp, 'exports', lang, '98-demo');
  fs.mkdirSync(path.join(dir, 'm'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify({ notebook: '98-demo', lang, profile, tolerance: 1e-3, data: { lang }, samples: {}, models: { m: { precision: 'float32' } } }));
  fs.writeFileSync(path.join(dir, 'm', 'model.json'), JSON.stringify({ modelTopology: { t: 1 }, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [weights.length], dtype: 'float32' }] }] }));
  fs.writeFileSync(path.join(dir, 'm', 'weights.bin'), Buffer.from(new Float32Array(weights).buffer));
}

function readBundle(file: string): Record<string, any> {
  const text = fs.readFileSync(path.join(tmp, 'book', file), 'utf8');
  const window: Record<string, any> = {};
  new Function('window', text)(window);
  return window.COURSE_BOOK['98-demo'];
}

test('the bundle embeds the model (weights as base64) and the data; the page loads it as a script', () => {
  const scripts = path.join(tmp, 'widgets');
  fs.mkdirSync(scripts);
  expect(widgets.writeWidgetBundle(path.join(tmp, 'book'), 'en', '98-demo', path.join(tmp, 'exports'), scripts)).toBeNull(); // no widget script
  fs.writeFileSync(path.join(scripts, '98-demo.js'), '');
  expect(widgets.writeWidgetBundle(path.join(tmp, 'book'), 'en', '98-demo', path.join(tmp, 'exports'), scripts)).toBeNull(); // no export
  fakeExport('en', 'full', [1.5, -2]);
  const b = widgets.writeWidgetBundle(path.join(tmp, 'book'), 'en', '98-demo', path.join(tmp, 'exports'), scripts)!;
  expect(b.file).toBe('models/en/98-demo.js');
  const bundle = readBundle(b.file);
  expect(bundle.data).toEqual({ lang: 'en' });
  expect(bundle.models.m.weightSpecs).toEqual([{ name: 'w', shape: [2], dtype: 'float32' }]);
  const raw = Buffer.from(bundle.models.m.weightData, 'base64');
  expect(Array.from(new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4))).toEqual([1.5, -2]);
  expect(widgets.widgetScripts('98-demo', '../assets/', '../models/zh/98-demo.js', scripts))
    .toMatch(/tfjs\/tf\.min\.js[\s\S]*tf-backend-wasm\.min\.js[\s\S]*wasm-binaries\.js[\s\S]*\.\.\/models\/zh\/98-demo\.js[\s\S]*widgets\/common\.js[\s\S]*widgets\/98-demo\.js/);
});

test('a page uses its own edition\'s export unless only the other one comes from a full-profile run', () => {
  const scripts = path.join(tmp, 'widgets');
  fs.mkdirSync(scripts);
  fs.writeFileSync(path.join(scripts, '98-demo.js'), '');
  fakeExport('en', 'full', [1]);
  fakeExport('zh', 'quick', [2]);
  const zh = widgets.writeWidgetBundle(path.join(tmp, 'book'), 'zh', '98-demo', path.join(tmp, 'exports'), scripts)!;
  expect(readBundle(zh.file).data).toEqual({ lang: 'en' });
  fakeExport('zh', 'full', [3]);
  expect(readBundle(widgets.writeWidgetBundle(path.join(tmp, 'book'), 'zh', '98-demo', path.join(tmp, 'exports'), scripts)!.file).data).toEqual({ lang: 'zh' });
  fakeExport('en', 'quick', [4]);
  expect(readBundle(widgets.writeWidgetBundle(path.join(tmp, 'book'), 'en', '98-demo', path.join(tmp, 'exports'), scripts)!.file).data).toEqual({ lang: 'zh' });
});
