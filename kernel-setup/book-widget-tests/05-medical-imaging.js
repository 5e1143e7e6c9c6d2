// @ts-check
// Book test of notebook 05's widget (kernel-setup/book/widgets/05-medical-imaging.js), driven as a reader would:
//  1. drag the threshold slider with the mouse: the sensitivity shown changes and equals the value recomputed here from
//     the exported test scores and labels at the slider's new value (so do specificity, FN, FP and the ROC point);
//     the Home key takes t to 0 (every cancer found); the validation-threshold button restores the notebook's t;
//  2. pick every image of the picker, the one scored nearest 0.5 last: the score computed by the page's model equals the
//     notebook's score of that image within 1e-3, and its saliency overlay is drawn (non-empty, different each time);
//  3. at 360 px wide nothing sticks out of the widget or the screen (screenshot widget-05-medical-imaging-360px[-zh].png).
// Called by kernel-setup/book-test.js once per edition (en, zh) after the widget is ready and the generic check of the
// page's model against the notebook's outputs has passed.
'use strict';

const NB = '05-medical-imaging';
const SCORE_TOLERANCE = 1e-3;

/**
 * The counts and rates at threshold th, as src/metrics/binary-metrics.ts `binaryConfusion` (flagged when score ≥ th).
 * @param {number[]} scores @param {number[]} labels @param {number} th
 */
function confusion(scores, labels, th) {
  let tp = 0, fn = 0, fp = 0, tn = 0;
  scores.forEach((s, i) => {
    const flagged = s >= th;
    if (labels[i] === 1) { if (flagged) tp++; else fn++; } else if (flagged) fp++; else tn++;
  });
  return { tp, fn, fp, tn, sensitivity: tp / (tp + fn), specificity: tn / (tn + fp) };
}

module.exports = {
  notebook: NB,
  /**
   * @param {import('playwright-core').Page} page
   * @param {{ say: (s: string) => void, screenshot: (name: string) => Promise<unknown>, lang: string }} helpers
   *   screenshot(name) writes build/browser/<name>[-zh].png of the widget (the edition's suffix is added for us)
   */
  async check(page, { say, screenshot, lang }) {
    const root = page.locator(`.course-widget[data-notebook="${NB}"]`);
    /** @type {{ scores: number[], labels: number[], threshold: number, picks: number[] }} */
    const data = await page.evaluate((nb) => {
      const book = /** @type {any} */ (window).COURSE_BOOK[nb];
      return book.data;
    }, NB);
    const { scores, labels, picks } = data;
    if (!Array.isArray(scores) || scores.length !== labels.length || !picks.length) throw new Error(`${NB}: exported data lacks scores, labels or picks`);

    const slider = root.locator('input[type=range][data-role=threshold]');
    const metric = (/** @type {string} */ key) => root.locator(`[data-role=metrics] [data-metric=${key}]`);
    /** What the widget shows: the slider's t, the t its metrics belong to, each metric's value and displayed text. */
    const shown = async () => ({
      slider: Number(await slider.inputValue()),
      threshold: Number(await root.locator('[data-role=metrics]').getAttribute('data-threshold')),
      sensitivity: Number(await metric('sensitivity').getAttribute('data-value')),
      sensitivityText: (await metric('sensitivity').locator('.w05-value').textContent()) || '',
      specificity: Number(await metric('specificity').getAttribute('data-value')),
      fn: Number(await metric('fn').getAttribute('data-value')),
      fp: Number(await metric('fp').getAttribute('data-value')),
      fnText: (await metric('fn').locator('.w05-value').textContent()) || '',
      rocX: Number(await root.locator('[data-role=roc-point]').getAttribute('data-x')),
      rocY: Number(await root.locator('[data-role=roc-point]').getAttribute('data-y')),
    });
    /**
     * Everything shown must be what the exported scores give at threshold th.
     * @param {Awaited<ReturnType<typeof shown>>} s @param {number} th @param {string} what
     */
    const expectAt = (s, th, what) => {
      const c = confusion(scores, labels, th);
      const bad = [];
      if (s.threshold !== th) bad.push(`metrics are for t = ${s.threshold}, not ${th}`);
      if (Math.abs(s.sensitivity - c.sensitivity) > 1e-12) bad.push(`sensitivity ${s.sensitivity} ≠ ${c.sensitivity}`);
      if (s.sensitivityText.trim() !== c.sensitivity.toFixed(3)) bad.push(`sensitivity reads "${s.sensitivityText}", not ${c.sensitivity.toFixed(3)}`);
      if (Math.abs(s.specificity - c.specificity) > 1e-12) bad.push(`specificity ${s.specificity} ≠ ${c.specificity}`);
      if (s.fn !== c.fn || s.fnText.trim() !== String(c.fn)) bad.push(`missed cancers ${s.fn} ("${s.fnText}") ≠ ${c.fn}`);
      if (s.fp !== c.fp) bad.push(`false alarms ${s.fp} ≠ ${c.fp}`);
      if (Math.abs(s.rocX - (1 - c.specificity)) > 1e-12 || Math.abs(s.rocY - c.sensitivity) > 1e-12) bad.push(`ROC point (${s.rocX}, ${s.rocY}) is off`);
      if (bad.length) throw new Error(`${NB} (${lang}) ${what}: ${bad.join('; ')}`);
      return c;
    };

    // 1a. The slider starts at the notebook's threshold; drag it with the mouse to where the sensitivity clearly differs.
    const before = await shown();
    expectAt(before, data.threshold, 'at the start');
    const steady = (/** @type {number} */ c) => Math.min(...[-0.03, -0.015, 0, 0.015, 0.03].map((d) => Math.abs(confusion(scores, labels, c + d).sensitivity - before.sensitivity)));
    const candidates = Array.from({ length: 17 }, (_, k) => 0.1 + 0.05 * k);
    const goal = candidates.reduce((a, c) => (steady(c) > steady(a) ? c : a));
    if (!(steady(goal) > 0)) throw new Error(`${NB}: no threshold changes the sensitivity of the exported scores; the scores look degenerate`);
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    if (!box) throw new Error(`${NB}: the threshold slider is not visible`);
    const THUMB = 8;        // about half Chromium's default range thumb: the value maps to x between the thumb's centres
    const xOf = (/** @type {number} */ v) => box.x + THUMB + v * (box.width - 2 * THUMB);
    const y = box.y + box.height / 2;
    await page.mouse.move(xOf(before.slider), y);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++) await page.mouse.move(xOf(before.slider + ((goal - before.slider) * k) / 8), y);
    await page.mouse.up();
    const dragged = await shown();
    if (dragged.slider === before.slider) throw new Error(`${NB} (${lang}): dragging the slider did not move it (still ${before.slider})`);
    const at = expectAt(dragged, dragged.slider, 'after the drag');
    if (dragged.sensitivity === before.sensitivity) {
      throw new Error(`${NB} (${lang}): the sensitivity did not change when t moved ${before.threshold.toFixed(3)} → ${dragged.slider}`);
    }
    say(`slider dragged t ${before.threshold.toFixed(3)} → ${dragged.slider}: sensitivity ${before.sensitivity.toFixed(3)} → ` +
      `${at.sensitivity.toFixed(3)}, specificity ${at.specificity.toFixed(3)}, FN ${at.fn}, FP ${at.fp} (= recomputed from the exported scores)`);

    // 1b. Keyboard: Home takes t to 0, where every image is flagged.
    await slider.focus();
    await page.keyboard.press('Home');
    const home = await shown();
    const c0 = expectAt(home, 0, 'after Home');
    if (c0.sensitivity !== 1 || c0.fn !== 0) throw new Error(`${NB}: at t = 0 every cancer must be found, got sensitivity ${c0.sensitivity}`);

    // 1c. The validation-threshold button restores the notebook's exact threshold.
    await root.locator(`button[data-role=preset][data-threshold="${data.threshold}"]`).click();
    expectAt(await shown(), data.threshold, 'after the validation-threshold button');

    // 2. Pick every test image of the picker, the one scored nearest 0.5 last (a score near 0 or 1 would hardly test the
    //    model): each time the page's score equals the notebook's within 1e-3 and a new saliency overlay is drawn.
    const readout = root.locator('[data-role=readout]');
    const overlayPixels = () => root.locator('canvas[data-role=saliency-overlay]').evaluate((c) => {
      const canvas = /** @type {HTMLCanvasElement} */ (c);
      // Read a copy: reading the widget's own canvas back twice makes Chromium warn (willReadFrequently) in the console.
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const g = /** @type {CanvasRenderingContext2D} */ (copy.getContext('2d'));
      g.drawImage(canvas, 0, 0);
      const px = g.getImageData(0, 0, copy.width, copy.height).data;
      let drawn = 0, hash = 0;
      for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) drawn++; hash = (hash * 31 + px[i] + px[i - 3]) % 1000000007; }
      const r = canvas.getBoundingClientRect();
      return { drawn, hash, visible: !canvas.hidden && r.width > 0 && r.height > 0 };
    });
    await page.waitForSelector(`.course-widget[data-notebook="${NB}"] [data-role=readout][data-state=ready]`);
    const startIndex = Number(await readout.getAttribute('data-test-index'));
    let previous = await overlayPixels();
    const middle = picks.reduce((a, i) => (Math.abs(scores[i] - 0.5) < Math.abs(scores[a] - 0.5) ? i : a));
    const order = [...picks.filter((i) => i !== middle && i !== startIndex), middle];
    let worst = 0;
    /** @type {{ testIndex: number, pageScore: number, gap: number, drawn: number }} */
    let last = { testIndex: -1, pageScore: NaN, gap: NaN, drawn: 0 };
    for (const testIndex of order) {
      await root.locator(`button[data-role=pick][data-test-index="${testIndex}"]`).click();
      await page.waitForSelector(`.course-widget[data-notebook="${NB}"] [data-role=readout][data-state=ready][data-test-index="${testIndex}"]`);
      const pageScore = Number(await readout.getAttribute('data-page-score'));
      const gap = Math.abs(pageScore - scores[testIndex]);
      if (!(gap <= SCORE_TOLERANCE)) {
        throw new Error(`${NB} (${lang}): test image ${testIndex}: the page's model scores ${pageScore}, the notebook ${scores[testIndex]} (|Δ| ${gap} > ${SCORE_TOLERANCE})`);
      }
      const scoreText = ((await readout.locator('.w05-score').textContent()) || '').trim();
      if (scoreText !== pageScore.toFixed(3)) throw new Error(`${NB}: the readout shows "${scoreText}", not the page's score ${pageScore.toFixed(3)}`);
      const overlay = await overlayPixels();
      if (!overlay.visible || overlay.drawn < 28) throw new Error(`${NB} (${lang}): test image ${testIndex}: the saliency overlay is not drawn (${overlay.drawn} of 784 pixels, visible ${overlay.visible})`);
      if (overlay.hash === previous.hash) throw new Error(`${NB} (${lang}): the saliency overlay did not change for test image ${testIndex}`);
      previous = overlay;
      worst = Math.max(worst, gap);
      last = { testIndex, pageScore, gap, drawn: overlay.drawn };
    }
    say(`picked ${order.length} test images: page scores = the notebook's within ${worst.toExponential(1)}; last, test image ${last.testIndex} ` +
      `(${labels[last.testIndex] === 1 ? 'malignant' : 'benign'}): page ${last.pageScore.toFixed(4)} vs notebook ${scores[last.testIndex].toFixed(4)}, ` +
      `saliency overlay on ${last.drawn} of 784 pixels`);

    // 3. A phone-width screen: nothing may stick out of the widget.
    const size = page.viewportSize();
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await root.evaluate((r) => {
      const right = Math.min(r.getBoundingClientRect().right, document.documentElement.clientWidth) + 1;
      return Array.from(r.querySelectorAll('*')).filter((e) => e.getBoundingClientRect().right > right)
        .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''}`).slice(0, 5);
    });
    await screenshot(`widget-${NB}-360px`);
    if (size) await page.setViewportSize(size);
    if (overflow.length) throw new Error(`${NB} (${lang}): at 360 px these stick out of the widget: ${overflow.join(', ')}`);
    // book-widgets-test.js takes the widget's screenshot (build/browser/widget-05-medical-imaging[-zh].png) after this check.
    return `slider t → ${dragged.slider}: sensitivity ${before.sensitivity.toFixed(3)} → ${at.sensitivity.toFixed(3)} as recomputed; ` +
      `${order.length} images scored as in the notebook (max |Δ| ${worst.toExponential(1)}), image ${last.testIndex} ${last.pageScore.toFixed(4)} vs ` +
      `${scores[last.testIndex].toFixed(4)}; saliency drawn; fits 360 px`;
  },
};
