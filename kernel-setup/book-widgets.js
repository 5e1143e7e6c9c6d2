// @ts-check
// The book's live widgets, build side (#21): a notebook's export (build/book-exports/<lang>/<nb>/, written by
// exportForBook in src/notebook/book-export.ts) becomes one script in the book, models/<lang>/<nb>.js, with the models'
// topology, weights (base64) and the page data embedded, so the chapter page runs them with TF.js from any static
// server or from file:// with no fetch. The page loads TF.js and its WebAssembly backend from assets/tfjs/ (the
// .wasm binaries embedded in wasm-binaries.js for the same reason), kernel-setup/book/widgets/common.js (the loader)
// and kernel-setup/book/widgets/<nb>.js (the notebook's widget).
'use strict';
const fs = require('fs');
const path = require('path');
const c = require('./common');

const WIDGETS_SRC = path.join(__dirname, 'book', 'widgets');
const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** The default folder of the notebooks' exports. */
function exportsDir() {
  return process.env.COURSE_BOOK_EXPORTS || path.join(c.ROOT, 'build', 'book-exports');
}

/**
 * TF.js, its WebAssembly backend and the widgets' scripts into the book's assets folder.
 * @param {string} assets
 * @param {string} [scripts]   the widgets' scripts (default kernel-setup/book/widgets; the book test's self-test has its own)
 */
function copyWidgetAssets(assets, scripts = WIDGETS_SRC) {
  const tfjs = path.join(assets, 'tfjs');
  fs.mkdirSync(tfjs, { recursive: true });
  fs.copyFileSync(require.resolve('@tensorflow/tfjs/dist/tf.min.js', { paths: [c.ROOT] }), path.join(tfjs, 'tf.min.js'));
  const wasmDist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js', { paths: [c.ROOT] }));
  fs.copyFileSync(path.join(wasmDist, 'tf-backend-wasm.min.js'), path.join(tfjs, 'tf-backend-wasm.min.js'));
  const binaries = Object.fromEntries(WASM_BINARIES.map((f) => [f, fs.readFileSync(path.join(wasmDist, f)).toString('base64')]));
  fs.writeFileSync(path.join(tfjs, 'wasm-binaries.js'), `window.COURSE_WASM = ${JSON.stringify(binaries)};\n`);
  fs.mkdirSync(path.join(assets, 'widgets'), { recursive: true });
  fs.copyFileSync(path.join(WIDGETS_SRC, 'common.js'), path.join(assets, 'widgets', 'common.js'));
  for (const f of fs.readdirSync(scripts)) {
    if (/^\d\d-.*\.(js|css)$/.test(f)) fs.copyFileSync(path.join(scripts, f), path.join(assets, 'widgets', f));
  }
}

/**
 * The export of notebook `nb` for edition `lang` as one script `models/<lang>/<nb>.js` in `out` (the book's root);
 * null when the notebook has no export (of either edition) or no widget script.
 * @param {string} out
 * @param {'en' | 'zh'} lang
 * @param {string} nb
 * @param {string} [dir]   the exports folder
 * @param {string} [scripts]   the widgets' scripts
 * @returns {{ file: string, bytes: number, from: string } | null}   file: relative to `out`
 */
function writeWidgetBundle(out, lang, nb, dir = exportsDir(), scripts = WIDGETS_SRC) {
  if (!fs.existsSync(path.join(scripts, `${nb}.js`))) return null;
  // Both editions run the same code, so either's export serves either page: the edition's own, unless only the other
  // one comes from a full-profile run (CI runs the Chinese notebooks in the quick profile).
  const found = (lang === 'zh' ? ['zh', 'en'] : ['en', 'zh']).map((l) => path.join(dir, l, nb)).filter((d) => fs.existsSync(path.join(d, 'data.json')))
    .map((d) => ({ d, saved: JSON.parse(fs.readFileSync(path.join(d, 'data.json'), 'utf8')) }));
  const chosen = found.find((f) => f.saved.profile !== 'quick') || found[0];
  if (!chosen) return null;
  const { d: from, saved } = chosen;
  /** @type {Record<string, unknown>} */
  const models = {};
  for (const name of Object.keys(saved.models || {})) {
    const modelDir = path.join(from, name);
    const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
    const group = json.weightsManifest[0];
    if (json.weightsManifest.length !== 1 || group.paths.length !== 1) throw new Error(`${modelDir}/model.json: expected one weights file (written by exportForBook); run the notebook again`);
    models[name] = {
      precision: saved.models[name].precision, modelTopology: json.modelTopology, weightSpecs: group.weights,
      weightData: fs.readFileSync(path.join(modelDir, group.paths[0])).toString('base64'),
    };
  }
  const bundle = { notebook: nb, lang: saved.lang, profile: saved.profile, exportedAt: saved.exportedAt, tolerance: saved.tolerance, data: saved.data, samples: saved.samples, models };
  const file = `models/${lang}/${nb}.js`;
  const text = `(window.COURSE_BOOK = window.COURSE_BOOK || {})[${JSON.stringify(nb)}] = ${JSON.stringify(bundle)};\n`;
  fs.mkdirSync(path.join(out, 'models', lang), { recursive: true });
  fs.writeFileSync(path.join(out, file), text);
  return { file, bytes: Buffer.byteLength(text), from };
}

/**
 * The widget's place on the chapter page (right after the notebook's book-export cell).
 * @param {string} nb
 * @param {'en' | 'zh'} lang
 */
function widgetSection(nb, lang) {
  const caption = lang === 'zh'
    ? '交互组件：本章笔记本训练的模型，在你的浏览器中运行（无需服务器，不联网）。'
    : 'Live widget: the model this chapter\'s notebook trained, running in your browser (no server, no network).';
  return `<section class="cell widget" id="widget-${nb}"><p class="widget-caption">${caption}</p>` +
    `<div class="course-widget" data-notebook="${nb}" data-lang="${lang}"></div></section>`;
}

/**
 * The scripts (and stylesheet) a page with the widget of `nb` loads, at the end of its body.
 * @param {string} nb
 * @param {string} assets   the assets folder relative to the page ('assets/' or '../assets/')
 * @param {string} bundle   the bundle relative to the page
 * @param {string} [scripts]   the widgets' scripts
 */
function widgetScripts(nb, assets, bundle, scripts = WIDGETS_SRC) {
  const css = fs.existsSync(path.join(scripts, `${nb}.css`)) ? `<link rel="stylesheet" href="${assets}widgets/${nb}.css">\n` : '';
  return `${css}<script src="${assets}tfjs/tf.min.js"></script>\n<script src="${assets}tfjs/tf-backend-wasm.min.js"></script>\n` +
    `<script src="${assets}tfjs/wasm-binaries.js"></script>\n<script src="${bundle}"></script>\n` +
    `<script src="${assets}widgets/common.js"></script>\n<script src="${assets}widgets/${nb}.js"></script>\n`;
}

module.exports = { exportsDir, copyWidgetAssets, writeWidgetBundle, widgetSection, widgetScripts, WIDGETS_SRC };
