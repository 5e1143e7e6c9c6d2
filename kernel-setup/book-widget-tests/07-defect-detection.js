// @ts-check
// Browser test of notebook 07's widget (kernel-setup/book/widgets/07-defect-detection.js), called by
// kernel-setup/book-test.js on the chapter page of each edition once the widget is ready. As a reader would:
//   1. clicks every test image's thumbnail and asserts the page's prediction is the notebook's (same top class, the six
//      probabilities within the export's tolerance + float32 slack), and that the page's Grad-CAM of the predicted class
//      matches the notebook's map (below);
//   2. on this edition's image (en: the first misread one, else the first; zh: the last image), clicks every class bar:
//      each class's page map matches the notebook's; with the true class, the share of the map inside the boxes
//      matches the notebook's (§5's measure);
//   3. reads the overlay's pixels: drawn (not empty), not uniform; with the map at 0 % opacity the image is gray apart
//      from the orange box outlines, which vanish when 'annotated boxes' is unticked; at the default opacity the map's
//      colours are there (the overlay really shows Grad-CAM);
//   4. at 360 px width the widget fits (no horizontal overflow) and the overlay is still drawn at a readable size.
// Grad-CAM tolerance: |page − notebook| ≤ CAM_TOLERANCE × (the largest cell of the image's six class maps) on every
// 6×6 cell. The page runs the exported copy, whose weights may be stored at uint8 or float16 (exportForBook picks the
// smallest precision that keeps the predictions): rounding the weights moves the maps by at most a few tenths of a
// percent of their scale (measured in Chromium: 0.35–0.53 % with the quick profile's uint8 copy, 0.04 % with the full
// profile's float16 copy); a wrong method is off by far more (measured: the softmax instead of the logit 82 %, a sum
// instead of the mean gradient 3509 %), so 2 % separates them with room on both sides. The 96×96 map
// is a fixed bilinear blend of the 6×6 cells (the same weights in the notebook and the page), so its error is at most
// the cells'. Handles: see the comment at the top of the widget.
'use strict';

const NB = '07-defect-detection';
const ROOT = `.course-widget[data-notebook="${NB}"]`;
const CAM_TOLERANCE = 0.02;      // of the image's largest Grad-CAM cell over the six classes (see above)
const PROB_SLACK = 1e-4;         // float32 arithmetic of the page's backend, on top of the export's tolerance
const SHARE_TOLERANCE = 0.02;    // share of the map inside the boxes, a ratio in [0, 1]

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{ image: number, camClass: number, predicted: number, top: number, readout: string, probs: number[], cam: number[], camMax: number, inside: number, drawn: number }} Shown */

/** The overlay's dataset after the draw that follows `action`. */
async function after(/** @type {Page} */ page, /** @type {() => Promise<void>} */ action) {
  const before = Number(await page.getAttribute(`${ROOT} .nd07-overlay`, 'data-drawn'));
  await action();
  await page.waitForFunction(([root, n]) => {
    const c = document.querySelector(`${root} .nd07-overlay`);
    return c instanceof HTMLElement && Number(c.dataset.drawn) > Number(n);
  }, /** @type {[string, number]} */ ([ROOT, before]), { timeout: 60000 });
  return /** @type {Promise<Shown>} */ (page.evaluate((root) => {
    const d = /** @type {HTMLElement} */ (document.querySelector(`${root} .nd07-overlay`)).dataset;
    const top = document.querySelector(`${root} .nd07-class.nd07-top`);
    const readout = document.querySelector(`${root} .nd07-readout`);
    return {
      image: Number(d.image), camClass: Number(d.camClass), predicted: Number(d.predicted), probs: JSON.parse(d.probs || '[]'),
      cam: JSON.parse(d.cam || '[]'), camMax: Number(d.camMax), inside: Number(d.inside), drawn: Number(d.drawn),
      top: top instanceof HTMLElement ? Number(top.dataset.class) : -1, readout: readout ? readout.textContent || '' : '',
    };
  }, ROOT));
}

/** Pixel statistics of the overlay: distinct colours, gray share, orange (box) pixels, spread of the red channel. */
async function overlayPixels(/** @type {Page} */ page) {
  return page.evaluate((root) => {
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector(`${root} .nd07-overlay`));
    const d = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    let opaque = 0; let gray = 0; let orange = 0; let sum = 0; let sum2 = 0;
    const n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
      if (a === 255) opaque++;
      if (r === g && g === b) gray++;
      if (r > 200 && g < 140 && b < 80 && r - b > 150) orange++;
      colours.add((r << 16) | (g << 8) | b);
      sum += r; sum2 += r * r;
    }
    return { n, opaque, gray, orange, colours: colours.size, sd: Math.sqrt(Math.max(0, sum2 / n - (sum / n) ** 2)) };
  }, ROOT);
}

function argmax(/** @type {ArrayLike<number>} */ v) {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

module.exports = {
  notebook: NB,
  /** @param {Page} page @param {{ say: (m: string) => void, lang: string }} opts */
  async check(page, { say, lang }) {
    /** @type {{ data: any, outputs: number[], tolerance: number }} */
    const book = await page.evaluate((nb) => {
      const b = /** @type {any} */ (window).COURSE_BOOK[nb];
      return { data: b.data, outputs: Array.from(b.samples.cnn96.outputs), tolerance: b.tolerance ?? 1e-3 };
    }, NB);
    const { data } = book;
    const n = data.images.length;
    const k = data.classes.length;
    const probLimit = book.tolerance + PROB_SLACK;
    const scaleOf = (/** @type {number} */ j) => Math.max(...data.cams[j].flat());
    /** Largest |page − notebook| over the cells of image j's map of class c, as a fraction of the image's scale. */
    const camError = (/** @type {Shown} */ s, /** @type {number} */ j, /** @type {number} */ c) => {
      const want = /** @type {number[]} */ (data.cams[j][c]);
      if (s.cam.length !== want.length) throw new Error(`image ${j}, class ${c}: the page's map has ${s.cam.length} cells, the notebook's ${want.length}`);
      return Math.max(...want.map((v, i) => Math.abs(v - s.cam[i]))) / scaleOf(j);
    };
    let worstCam = 0;
    let worstProb = 0;

    // 1. every image: prediction and the predicted class's Grad-CAM
    for (let j = 0; j < n; j++) {
      const s = await after(page, () => page.click(`${ROOT} .nd07-thumb[data-index="${j}"]`));
      const want = book.outputs.slice(j * k, (j + 1) * k);
      if (s.image !== j) throw new Error(`clicked image ${j}, the overlay shows image ${s.image}`);
      if (s.predicted !== argmax(want)) throw new Error(`image ${j} (${data.images[j].file}): the page predicts ${data.classes[s.predicted]}, the notebook ${data.classes[argmax(want)]}`);
      if (s.top !== s.predicted) throw new Error(`image ${j}: the highlighted bar is class ${s.top}, the prediction ${s.predicted}`);
      if (!s.readout.includes(`${(100 * want[s.predicted]).toFixed(1)} %`) && !s.readout.includes(`${(100 * s.probs[s.predicted]).toFixed(1)} %`)) {
        throw new Error(`image ${j}: the readout does not give the predicted class's probability: "${s.readout.slice(0, 120)}"`);
      }
      const dp = Math.max(...want.map((v, i) => Math.abs(v - s.probs[i])));
      if (!(dp <= probLimit)) throw new Error(`image ${j}: the page's probabilities differ from the notebook's by ${dp.toExponential(2)} > ${probLimit}`);
      if (s.camClass !== s.predicted) throw new Error(`image ${j}: Grad-CAM explains class ${s.camClass}, not the predicted ${s.predicted}`);
      const e = camError(s, j, s.predicted);
      if (!(e <= CAM_TOLERANCE)) throw new Error(`image ${j}: the page's Grad-CAM of ${data.classes[s.predicted]} differs from the notebook's by ${(100 * e).toFixed(2)} % of the map's scale > ${100 * CAM_TOLERANCE} %`);
      worstCam = Math.max(worstCam, e);
      worstProb = Math.max(worstProb, dp);
    }

    // 2. this edition's image: every class's map, and the share inside the boxes for the true class
    const firstWrong = data.images.findIndex((/** @type {any} */ im, /** @type {number} */ j) => argmax(book.outputs.slice(j * k, (j + 1) * k)) !== im.label);
    const pick = lang === 'zh' ? n - 1 : Math.max(0, firstWrong);
    await after(page, () => page.click(`${ROOT} .nd07-thumb[data-index="${pick}"]`));
    let shareNote = '';
    for (let c = 0; c < k; c++) {
      const s = await after(page, () => page.click(`${ROOT} .nd07-class[data-class="${c}"]`));
      if (s.camClass !== c || s.image !== pick) throw new Error(`clicked class ${c} on image ${pick}: the overlay shows class ${s.camClass} of image ${s.image}`);
      const e = camError(s, pick, c);
      if (!(e <= CAM_TOLERANCE)) throw new Error(`image ${pick}: the page's Grad-CAM of ${data.classes[c]} differs from the notebook's by ${(100 * e).toFixed(2)} % > ${100 * CAM_TOLERANCE} %`);
      worstCam = Math.max(worstCam, e);
      const wantShare = data.images[pick].camInside;
      if (c === data.images[pick].label && typeof wantShare === 'number') {
        if (!(Math.abs(s.inside - wantShare) <= SHARE_TOLERANCE)) throw new Error(`image ${pick}: share of Grad-CAM inside the boxes ${s.inside} in the page, ${wantShare} in the notebook`);
        shareNote = `; share inside the boxes ${(100 * s.inside).toFixed(1)} % (notebook ${(100 * wantShare).toFixed(1)} %)`;
      }
    }
    // back to the predicted class for the pixel checks and the screenshot
    const shown = await after(page, () => page.click(`${ROOT} .nd07-thumb[data-index="${pick}"]`));

    // 3. the overlay's pixels
    const atDefault = await overlayPixels(page);
    if (atDefault.opaque !== atDefault.n) throw new Error(`the overlay is not fully drawn: ${atDefault.n - atDefault.opaque} transparent pixels`);
    if (atDefault.colours < 50 || atDefault.sd < 5) throw new Error(`the overlay is (nearly) uniform: ${atDefault.colours} colours, sd ${atDefault.sd.toFixed(1)}`);
    const opacity = page.locator(`${ROOT} .nd07-opacity`);
    const defaultOpacity = await opacity.inputValue();
    await after(page, async () => { await opacity.focus(); await page.keyboard.press('Home'); });
    const plain = await overlayPixels(page);
    if (plain.gray + plain.orange < plain.n * 0.99 || plain.orange === 0) {
      throw new Error(`at 0 % opacity the overlay should be the gray image with orange boxes: ${plain.gray} gray, ${plain.orange} orange of ${plain.n}`);
    }
    await after(page, () => page.click(`${ROOT} .nd07-boxes`));
    const noBoxes = await overlayPixels(page);
    if (noBoxes.orange !== 0 || noBoxes.gray !== noBoxes.n) throw new Error(`without boxes at 0 % opacity: ${noBoxes.orange} orange, ${noBoxes.n - noBoxes.gray} coloured pixels`);
    await after(page, () => page.click(`${ROOT} .nd07-boxes`));
    // back to the default with the arrow keys (a range input cannot be typed into)
    await after(page, async () => {
      const step = Number(await opacity.getAttribute('step')) || 1;
      await opacity.focus();
      for (let i = 0; i < Number(defaultOpacity) / step; i++) await page.keyboard.press('ArrowRight');
    });
    if ((await opacity.inputValue()) !== defaultOpacity) throw new Error(`the opacity slider is at ${await opacity.inputValue()} %, not back at ${defaultOpacity} %`);
    const again = await overlayPixels(page);
    if (shown.camMax > 0 && again.gray > again.n * 0.5) throw new Error(`at ${defaultOpacity} % opacity the Grad-CAM colours are missing: ${again.gray} of ${again.n} pixels gray`);

    // 4. 360 px wide
    const size = page.viewportSize();
    await page.setViewportSize({ width: 360, height: 800 });
    const fit = await page.evaluate((root) => {
      const w = /** @type {HTMLElement} */ (document.querySelector(root));
      const c = /** @type {HTMLElement} */ (document.querySelector(`${root} .nd07-overlay`));
      const r = w.getBoundingClientRect();
      const cr = c.getBoundingClientRect();
      return { overflow: w.scrollWidth - w.clientWidth, canvas: cr.width, inside: cr.left >= r.left - 1 && cr.right <= r.right + 1 };
    }, ROOT);
    if (size) await page.setViewportSize(size);
    if (fit.overflow > 1 || !fit.inside || fit.canvas < 200) throw new Error(`at 360 px: overflow ${fit.overflow} px, overlay ${fit.canvas} px wide, inside the widget: ${fit.inside}`);

    say(`07 widget (${lang}): ${n} images, worst Grad-CAM |Δ| ${(100 * worstCam).toFixed(2)} % of the map scale (≤ ${100 * CAM_TOLERANCE} %), worst |Δp| ${worstProb.toExponential(1)}`);
    return `${n} images: page prediction = notebook's, Grad-CAM within ${(100 * worstCam).toFixed(2)} % (≤ ${100 * CAM_TOLERANCE} %) on every cell` +
      `, every class on ${data.images[pick].file}${shareNote}; overlay drawn, boxes and map toggle; fits 360 px`;
  },
};
