// @ts-check
// Browser test of notebook 04's widget (kernel-setup/book/widgets/04-cnn-mnist.js), called by kernel-setup/book-test.js
// on the chapter page of each edition once the widget is ready. It uses the widget as a reader does:
//   1. draws every other exported test digit on the pad with the mouse — the digit's pixels ≥ INK_THRESHOLD, row by row,
//      each run of inked pixels one press–move–release at the pad's scale — and asserts that both charts' top digit is
//      the notebook's prediction for that digit (stored by the notebook's book-export cell) and the bars add up to 1;
//   2. does it once more with the window 360 px wide (the pad is smaller there: the pointer must still land right) and
//      checks that the widget fits that width;
//   3. clicks a test digit's thumbnail: both charts show the notebook's predictions for it (and, when the model's input
//      is the stored digit itself, the notebook's very outputs);
//   4. clicks 'clear': no ink on the pad or in the model's input, no bar, no prediction.
// Handles: see the comment at the top of the widget.
'use strict';

const NB = '04-cnn-mnist';
const ROOT = `.course-widget[data-notebook="${NB}"]`;
const INK_THRESHOLD = 128;        // of 255: the pixels drawn
const MODELS = ['article', 'improved'];

/**
 * @typedef {{ index: number, label: number, pixels: number[], predicted: Record<string, number> }} Example
 * @typedef {import('playwright-core').Page} Page
 */

/** Horizontal runs [row, first column, last column] of a 28 × 28 digit's pixels ≥ INK_THRESHOLD. */
function inkRuns(/** @type {number[]} */ pixels) {
  /** @type {[number, number, number][]} */
  const runs = [];
  for (let y = 0; y < 28; y++) {
    let start = -1;
    for (let x = 0; x <= 28; x++) {
      const on = x < 28 && (pixels[y * 28 + x] ?? 0) >= INK_THRESHOLD;
      if (on && start < 0) start = x;
      if (!on && start >= 0) { runs.push([y, start, x - 1]); start = -1; }
    }
  }
  return runs;
}

/** Waits until the charts show the predictions for the pad's current drawing; returns each model's top digit and Σp. */
async function settled(/** @type {Page} */ page) {
  await page.waitForFunction((root) => {
    const pad = document.querySelector(`${root} [data-role=pad]`);
    const out = document.querySelector(`${root} [data-role=output]`);
    return pad instanceof HTMLElement && out instanceof HTMLElement && pad.dataset.ink === out.dataset.ink;
  }, ROOT, { timeout: 20000 });
  return page.evaluate(([root, models]) => Object.fromEntries(models.map((m) => {
    const chart = document.querySelector(`${root} [data-model=${m}]`);
    const ps = Array.from(document.querySelectorAll(`${root} [data-model=${m}] [data-class]`), (b) => (b instanceof HTMLElement ? b.dataset.p : ''));
    return [m, { top: chart instanceof HTMLElement ? chart.dataset.top : undefined, ps }];
  })), /** @type {[string, string[]]} */ ([ROOT, MODELS]));
}

/** Clicks 'clear' and checks that the pad, the model's input and the bars are empty. */
async function clearAndCheck(/** @type {Page} */ page) {
  await page.click(`${ROOT} [data-role=clear]`);
  const shown = await settled(page);
  const ink = await page.evaluate((root) => ['pad', 'model-input'].map((role) => {
    const c = document.querySelector(`${root} canvas[data-role=${role}]`);
    if (!(c instanceof HTMLCanvasElement)) return -1;
    const d = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  }), ROOT);
  if (ink[0] !== 0 || ink[1] !== 0) throw new Error(`after 'clear': ${ink[0]} inked pixels on the pad, ${ink[1]} in the model's input (want 0, 0)`);
  for (const m of MODELS) {
    const s = shown[m];
    if (!s || s.top !== '' || s.ps.length !== 10 || s.ps.some((p) => p !== '')) {
      throw new Error(`after 'clear': the ${m} chart still shows ${JSON.stringify(s)}`);
    }
  }
  const widths = await page.$$eval(`${ROOT} .w04-fill`, (fills) => fills.map((f) => f.getBoundingClientRect().width));
  if (widths.some((w) => w > 0)) throw new Error(`after 'clear': a bar is still ${Math.max(...widths)} px long`);
}

/** Draws one example with the mouse and checks both charts against the notebook's predictions; returns a note. */
async function drawAndCheck(/** @type {Page} */ page, /** @type {Example} */ ex) {
  await page.click(`${ROOT} [data-role=clear]`);
  const pad = page.locator(`${ROOT} [data-role=pad]`);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  const cell = box.width / 28;                  // one MNIST pixel on the screen
  const at = (/** @type {number} */ v, /** @type {number} */ origin) => origin + (v + 0.5) * cell;
  const runs = inkRuns(ex.pixels);
  for (const [y, x0, x1] of runs) {
    await page.mouse.move(at(x0, box.x), at(y, box.y));
    await page.mouse.down();
    await page.mouse.move(at(x1, box.x), at(y, box.y), { steps: Math.max(1, Math.ceil((x1 - x0) / 3)) });
    await page.mouse.up();
  }
  const shown = await settled(page);
  for (const m of MODELS) {
    const s = shown[m];
    const sum = s ? s.ps.reduce((a, p) => a + Number(p), 0) : NaN;
    if (!s || s.top !== String(ex.predicted[m])) {
      throw new Error(`test digit #${ex.index} (label ${ex.label}) drawn with the mouse (${runs.length} strokes, pad ${box.width.toFixed(0)} px): ` +
        `the ${m} chart predicts ${s ? s.top : '(no chart)'}, the notebook's ${m} model predicted ${ex.predicted[m]}`);
    }
    if (!(Math.abs(sum - 1) < 1e-3)) throw new Error(`the ${m} chart's ten probabilities add up to ${sum}, not 1`);
  }
  return `#${ex.index}→${ex.predicted.article}/${ex.predicted.improved}`;
}

/**
 * After a thumbnail: when the model's input is the stored digit itself (its longer side already 20 pixels, its centre
 * of mass already on pixel 14, 14 — true of most MNIST digits), the bars must be the notebook's own outputs for it (the
 * export's check inputs start with the examples) within the export's tolerance + 1e-4; returns what was compared.
 * @param {Page} page @param {Example} ex @param {Record<string, { ps: (string | undefined)[] }>} shown
 */
async function sameAsNotebook(page, ex, shown) {
  const { input, samples, tolerance } = await page.evaluate(([root, nb]) => {
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector(`${root} canvas[data-role=model-input]`));
    const d = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, 28, 28).data;
    const entry = /** @type {any} */ (window).COURSE_BOOK[nb];
    return { input: Array.from({ length: 784 }, (_, i) => d[4 * i + 3]), samples: entry.samples, tolerance: entry.tolerance };
  }, [ROOT, NB]);
  const inputDiff = Math.max(...input.map((v, i) => Math.abs(v - (ex.pixels[i] ?? 0))));
  if (inputDiff > 1) return `the model's input differs from the stored digit by up to ${inputDiff}/255 (re-centred or re-scaled): top digits compared only`;
  const parts = [];
  for (const m of MODELS) {
    const s = samples[m];
    const stored = s.inputs.slice(0, 784).map((/** @type {number} */ v) => Math.round(255 * v));
    if (stored.some((/** @type {number} */ v, /** @type {number} */ i) => v !== ex.pixels[i])) throw new Error(`the export's first check input of ${m} is not examples[0]`);
    const diff = Math.max(...(shown[m]?.ps ?? []).map((p, k) => Math.abs(Number(p) - s.outputs[k])));
    if (!(diff <= tolerance + 1e-4)) throw new Error(`thumbnail of test digit #${ex.index}: the ${m} bars differ from the notebook's outputs by ${diff}`);
    parts.push(`${m} |Δ| ${diff.toExponential(1)}`);
  }
  return `the model's input is the stored digit and the bars are the notebook's outputs (${parts.join(', ')})`;
}

module.exports = {
  notebook: NB,
  /**
   * @param {Page} page
   * @param {{ say: (msg: string) => void, screenshot: (name: string) => Promise<unknown>, lang: string }} helpers
   */
  async check(page, { say, screenshot, lang }) {
    /** @type {{ examples: Example[] }} */
    const data = await page.evaluate((nb) => {
      const entry = /** @type {any} */ (window).COURSE_BOOK[nb];
      return entry && entry.data ? entry.data : entry;
    }, NB);
    const examples = data && Array.isArray(data.examples) ? data.examples : [];
    if (examples.length < 3) throw new Error(`the export holds ${examples.length} test digits to draw (want ≥ 3)`);
    const drawn = [];
    for (const ex of examples.filter((_, i) => i % 2 === 0)) drawn.push(await drawAndCheck(page, ex));   // every other class: time
    say(`${NB} (${lang}): ${drawn.length} test digits drawn with the mouse, both CNNs' top digit = the notebook's: ${drawn.join(' ')}`);

    // a phone-sized window: the widget fits, and drawing still lands on the right pixels
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      const over = await page.$eval(ROOT, (r) => r.scrollWidth - r.clientWidth);
      if (over > 1) throw new Error(`at 360 px the widget is ${over} px wider than its column`);
      const narrow = await drawAndCheck(page, /** @type {Example} */ (examples[examples.length - 1]));
      say(`${NB} (${lang}): at 360 px the widget fits and ${narrow} holds`);
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }

    // a test digit's thumbnail → the notebook's predictions for it
    const ex = /** @type {Example} */ (examples[0]);
    await page.click(`${ROOT} [data-role=example][data-example="0"]`);
    const shown = await settled(page);
    for (const m of MODELS) {
      if (shown[m]?.top !== String(ex.predicted[m])) throw new Error(`thumbnail of test digit #${ex.index}: the ${m} chart predicts ${shown[m]?.top}, the notebook ${ex.predicted[m]}`);
    }
    const note = await page.$eval(`${ROOT} [data-role=note]`, (n) => n.textContent || '');
    if (!note.includes(String(ex.index))) throw new Error(`thumbnail of test digit #${ex.index}: the note says "${note}"`);
    const same = await sameAsNotebook(page, ex, shown);
    say(`${NB} (${lang}): thumbnail of test digit #${ex.index} → ${same}`);

    await clearAndCheck(page);
    // the screenshot (build/browser/widget-04-cnn-mnist[-zh].png) shows a drawn digit and both charts
    await drawAndCheck(page, /** @type {Example} */ (examples[Math.min(3, examples.length - 1)]));
    await screenshot(`widget-${NB}`);
    return `${drawn.length + 2} digits drawn with the mouse (one at 360 px) → both CNNs' top digit = the notebook's; thumbnail → the notebook's predictions; 'clear' empties pad, input and bars`;
  },
};
