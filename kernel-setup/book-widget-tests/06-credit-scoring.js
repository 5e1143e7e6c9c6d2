// @ts-check
// Browser test of notebook 06's widget (kernel-setup/book/widgets/06-credit-scoring.js), called by kernel-setup/book-test.js
// on the chapter page of each edition once the widget is ready. It uses the widget as a reader does and checks what it
// shows against the notebook's export (window.COURSE_BOOK['06-credit-scoring'].data), recomputed here independently:
//   1. at load, the cost slider stands at the data set's 5:1 and the threshold shown is the notebook's own
//      costMinimizingThreshold on the exported out-of-fold P(bad) (data.thresholdAt5);
//   2. picks every exported applicant from the picker and submits the form: the form holds the applicant's values and
//      P(bad) equals the notebook's P(bad) for that applicant within 1e-3; each attribute's points and the total score
//      equal the exported scorecard applied to the exported encoder's encoding; the decision is P(bad) ≥ threshold;
//   3. changes one categorical field (checking_status) and one number (duration_months) and submits: P(bad) changes and
//      equals the scorecard's P(bad) for the edited applicant (so the page encodes the form as the notebook's encoder);
//   4. moves the cost slider with the keyboard to a ratio where the decision flips (if any) and to both ends: the
//      threshold shown is the cost-minimising threshold recomputed here from the exported scores, and the decision follows;
//   5. at 360 px the widget fits its column; in the zh edition the labels and categories read as Chinese;
//   6. leaves applicant #1 at 5:1 for the book test's screenshot, build/browser/widget-06-credit-scoring[-zh].png.
// Handles: see the comment at the top of the widget.
'use strict';

const NB = '06-credit-scoring';
const ROOT = `.course-widget[data-notebook="${NB}"]`;
const TOL = 1e-3;                 // |page P(bad) − notebook P(bad)|
const RATIO = { min: 1, max: 20, step: 0.5, start: 5 };   // the slider's range (the widget's)

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {{ row: number, values: Record<string, string | number>, actual: string, pBad: number, oofPBad: number }} Applicant
 * @typedef {{ encoder: { categorical: string[], numeric: string[], categories: Record<string, string[]>,
 *   scaling: Record<string, { mean: number, std: number }>, featureNames: string[] },
 *   scorecard: { basePoints: number, factor: number, offset: number, bias: number, features: { name: string, weight: number, pointsPerUnit: number }[] },
 *   applicants: Applicant[], thresholdScores: { pBad: number[], bad: number[] }, thresholdAt5: number | null }} Data
 * @typedef {{ pBad: number, score: number, decision: string, threshold: number, points: Record<string, number>, error: string,
 *   form: Record<string, string> }} Shown
 */

/** The notebook's encoder (fitTabularEncoder's transform), from the exported metadata. */
function encode(/** @type {Data} */ data, /** @type {Record<string, string | number>} */ row) {
  const { encoder } = data;
  return encoder.featureNames.map((name) => {
    const scale = encoder.scaling[name];
    if (encoder.numeric.includes(name) && scale) return (Number(row[name]) - scale.mean) / scale.std;
    const at = name.indexOf('=');
    return String(row[name.slice(0, at)]) === name.slice(at + 1) ? 1 : 0;
  });
}

/** Points per attribute, total score and P(bad) of an applicant by the exported scorecard. */
function scorecard(/** @type {Data} */ data, /** @type {Record<string, string | number>} */ row) {
  const x = encode(data, row);
  /** @type {Record<string, number>} */
  const points = {};
  let logit = data.scorecard.bias;
  data.scorecard.features.forEach((f, j) => {
    const column = f.name.split('=')[0] ?? f.name;
    points[column] = (points[column] ?? 0) + f.pointsPerUnit * (x[j] ?? 0);
    logit += f.weight * (x[j] ?? 0);
  });
  const score = data.scorecard.basePoints + Object.values(points).reduce((a, b) => a + b, 0);
  return { points, score, pBad: 1 / (1 + Math.exp(-logit)) };
}

/** The cost-minimising threshold on P(bad) for costs [[0, 1], [ratio, 0]] (src/metrics/credit-metrics.ts's rule). */
function costMinimizingThreshold(/** @type {number[]} */ bad, /** @type {number[]} */ scores, /** @type {number} */ ratio) {
  const n = bad.length;
  const nBad = bad.reduce((a, b) => a + b, 0);
  const order = [...scores.keys()].sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const cuts = [{ t: Infinity, cost: (nBad * ratio) / n }];
  let caught = 0; let wronged = 0;
  order.forEach((i, k) => {
    if (bad[i] === 1) caught++; else wronged++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) cuts.push({ t: scores[i] ?? NaN, cost: (wronged + (nBad - caught) * ratio) / n });
  });
  let best = 0;
  cuts.forEach((c, i) => { if (c.cost < (cuts[best]?.cost ?? Infinity) - 1e-12) best = i; });
  if (best === 0) return Infinity;
  if (best === cuts.length - 1) return -Infinity;
  return ((cuts[best]?.t ?? NaN) + (cuts[best + 1]?.t ?? NaN)) / 2;
}

/** What the widget shows now. */
async function shown(/** @type {Page} */ page) {
  return page.evaluate((root) => {
    const q = (/** @type {string} */ s) => /** @type {HTMLElement | null} */ (document.querySelector(`${root} ${s}`));
    const num = (/** @type {string} */ s) => Number(q(s)?.dataset.value ?? NaN);
    /** @type {Record<string, number>} */
    const points = {};
    for (const tr of document.querySelectorAll(`${root} #cs-points tr[data-attribute]`)) {
      if (tr instanceof HTMLElement) points[tr.dataset.attribute ?? ''] = Number(tr.dataset.points);
    }
    /** @type {Record<string, string>} */
    const form = {};
    for (const f of document.querySelectorAll(`${root} #cs-form [name]`)) {
      if (f instanceof HTMLInputElement || f instanceof HTMLSelectElement) form[f.name] = f.value;
    }
    return {
      pBad: num('#cs-pbad'), score: num('#cs-score'), decision: q('#cs-decision')?.dataset.decision ?? '',
      threshold: num('#cs-threshold'), points, error: q('#cs-error')?.textContent ?? '', form,
    };
  }, ROOT);
}

/** Submits the form and checks P(bad), points, score and decision against the scorecard (and `expectP` if given). */
async function submitAndCheck(/** @type {Page} */ page, /** @type {Data} */ data, /** @type {string} */ what, /** @type {number | undefined} */ expectP) {
  await page.click(`${ROOT} #cs-submit`);
  const s = await shown(page);
  const row = Object.fromEntries(Object.entries(s.form).map(([k, v]) => [k, data.encoder.numeric.includes(k) ? Number(v) : v]));
  const card = scorecard(data, row);
  const want = expectP ?? card.pBad;
  if (!(Math.abs(s.pBad - want) <= TOL)) throw new Error(`${what}: the page shows P(bad) ${s.pBad}, the notebook's is ${want} (|Δ| > ${TOL})`);
  if (!(Math.abs(card.pBad - s.pBad) <= TOL)) throw new Error(`${what}: the page's P(bad) ${s.pBad} is not the scorecard's ${card.pBad}`);
  for (const [column, p] of Object.entries(card.points)) {
    if (!(Math.abs((s.points[column] ?? NaN) - p) < 1e-6)) throw new Error(`${what}: ${column} shows ${s.points[column]} points, the scorecard gives ${p}`);
  }
  if (!(Math.abs(s.score - card.score) < 1e-6)) throw new Error(`${what}: score ${s.score}, the scorecard gives ${card.score}`);
  const decision = s.pBad >= s.threshold ? 'reject' : 'approve';
  if (s.decision !== decision) throw new Error(`${what}: P(bad) ${s.pBad} at threshold ${s.threshold} should be '${decision}', the page says '${s.decision}'`);
  return s;
}

/** Moves the slider with the keyboard to `ratio`; checks the threshold against the recomputation and the decision. */
async function slideTo(/** @type {Page} */ page, /** @type {Data} */ data, /** @type {number} */ from, /** @type {number} */ ratio) {
  const slider = page.locator(`${ROOT} #cs-cost-ratio`);
  await slider.focus();
  const steps = Math.round((ratio - from) / RATIO.step);
  for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowRight' : 'ArrowLeft');
  const value = Number(await slider.inputValue());
  if (value !== ratio) throw new Error(`the cost slider stands at ${value} after ${Math.abs(steps)} key presses, want ${ratio}`);
  const s = await shown(page);
  const want = costMinimizingThreshold(data.thresholdScores.bad, data.thresholdScores.pBad, ratio);
  if (!(s.threshold === want || Math.abs(s.threshold - want) < 1e-12)) {
    throw new Error(`cost ratio ${ratio}: the page's threshold is ${s.threshold}, recomputed from the exported scores ${want}`);
  }
  const decision = s.pBad >= want ? 'reject' : 'approve';
  if (s.decision !== decision) throw new Error(`cost ratio ${ratio}: P(bad) ${s.pBad} vs threshold ${want} should be '${decision}', the page says '${s.decision}'`);
  return { threshold: want, decision };
}

module.exports = {
  notebook: NB,
  /**
   * @param {Page} page
   * @param {{ say: (msg: string) => void, lang: string }} helpers
   */
  async check(page, { say, lang }) {
    /** @type {Data} */
    const data = await page.evaluate((nb) => {
      const entry = /** @type {any} */ (window).COURSE_BOOK[nb];
      return entry && entry.data ? entry.data : entry;
    }, NB);
    const applicants = data && Array.isArray(data.applicants) ? data.applicants : [];
    if (applicants.length < 3) throw new Error(`the export holds ${applicants.length} applicants (want ≥ 3)`);
    const { pBad: scores, bad } = data.thresholdScores;
    if (scores.length !== bad.length || scores.length < 100) throw new Error(`the export's threshold scores: ${scores.length} scores, ${bad.length} labels`);

    // 1. the threshold at 5:1 is the notebook's
    const t5 = costMinimizingThreshold(bad, scores, RATIO.start);
    const first = await shown(page);
    if (data.thresholdAt5 === null || Math.abs(t5 - data.thresholdAt5) > 1e-12 || first.threshold !== t5) {
      throw new Error(`at 5:1 the page shows threshold ${first.threshold}; recomputed ${t5}; the notebook's ${data.thresholdAt5}`);
    }

    // 2. every exported applicant through the picker and the form
    let worst = 0;
    for (const [k, a] of applicants.entries()) {
      await page.selectOption(`${ROOT} #cs-applicant`, String(k));
      const s = await submitAndCheck(page, data, `applicant #${a.row}`, a.pBad);
      for (const [column, v] of Object.entries(a.values)) {
        if (column in s.form && s.form[column] !== String(v)) throw new Error(`applicant #${a.row}: the form's ${column} is '${s.form[column]}', the applicant's '${v}'`);
      }
      worst = Math.max(worst, Math.abs(s.pBad - a.pBad));
    }
    say(`${NB} (${lang}): ${applicants.length} exported applicants picked and submitted: P(bad) = the notebook's within ${worst.toExponential(1)}; points, score, decision = the scorecard's`);

    // 3. one field changed → P(bad) changes, and equals the scorecard's for the edited applicant
    const a = /** @type {Applicant} */ (applicants[1]);
    await page.selectOption(`${ROOT} #cs-applicant`, '1');
    const before = await submitAndCheck(page, data, `applicant #${a.row}`, a.pBad);
    const options = data.encoder.categories.checking_status ?? [];
    const other = options.filter((c) => c !== before.form.checking_status)
      .sort((x, y) => Math.abs(scorecard(data, { ...a.values, checking_status: y }).pBad - before.pBad) - Math.abs(scorecard(data, { ...a.values, checking_status: x }).pBad - before.pBad))[0];
    if (other === undefined) throw new Error('checking_status has a single category in the export');
    await page.selectOption(`${ROOT} #cs-form [name=checking_status]`, other);
    const edited = await submitAndCheck(page, data, `applicant #${a.row} with checking_status '${other}'`, undefined);
    if (!(Math.abs(edited.pBad - before.pBad) > TOL)) throw new Error(`checking_status '${before.form.checking_status}' → '${other}': P(bad) stayed ${before.pBad} → ${edited.pBad}`);
    await page.fill(`${ROOT} #cs-form [name=duration_months]`, String(Number(a.values.duration_months) + 24));
    const longer = await submitAndCheck(page, data, `applicant #${a.row}, 24 more months`, undefined);
    if (!(Math.abs(longer.pBad - edited.pBad) > TOL)) throw new Error(`duration +24 months: P(bad) stayed ${edited.pBad} → ${longer.pBad}`);
    say(`${NB} (${lang}): applicant #${a.row}: P(bad) ${before.pBad.toFixed(3)} → ${edited.pBad.toFixed(3)} (checking_status '${other}') → ` +
      `${longer.pBad.toFixed(3)} (+24 months), each = the exported scorecard's`);

    // 4. the cost slider: the threshold follows the recomputation, the decision follows the threshold
    const grid = [];
    for (let r = RATIO.min; r <= RATIO.max; r += RATIO.step) grid.push(r);
    const decisionAt = (/** @type {number} */ r) => (longer.pBad >= costMinimizingThreshold(bad, scores, r) ? 'reject' : 'approve');
    const flip = grid.find((r) => decisionAt(r) !== decisionAt(RATIO.start));
    const visits = [flip ?? RATIO.start + 5, RATIO.max, RATIO.min, RATIO.start];
    let at = RATIO.start;
    const seen = [];
    for (const r of visits) { const got = await slideTo(page, data, at, r); at = r; seen.push(`${r}:1 → t ${got.threshold.toFixed(3)} ${got.decision}`); }
    const [tHigh, tLow] = [costMinimizingThreshold(bad, scores, RATIO.min), costMinimizingThreshold(bad, scores, RATIO.max)];
    if (!(tHigh >= t5 && t5 >= tLow && tHigh > tLow)) throw new Error(`thresholds should fall as bad loans get dearer: 1:1 ${tHigh}, 5:1 ${t5}, 20:1 ${tLow}`);
    say(`${NB} (${lang}): cost slider (keyboard) ${seen.join('; ')}${flip === undefined ? ' (no ratio flips this applicant)' : ''}`);

    // 5. a phone-sized window; Chinese in the zh edition
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      const over = await page.$eval(ROOT, (r) => r.scrollWidth - r.clientWidth);
      if (over > 1) throw new Error(`at 360 px the widget is ${over} px wider than its column`);
      const wide = await page.$$eval(`${ROOT} select, ${ROOT} input, ${ROOT} button`, (els) => els.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).length);
      if (wide) throw new Error(`at 360 px ${wide} form control(s) stick out of the window`);
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }
    if (lang === 'zh') {
      const texts = await page.$$eval(`${ROOT} .cs-label, ${ROOT} #cs-form option, ${ROOT} #cs-submit, ${ROOT} #cs-decision`, (els) => els.map((e) => e.textContent || ''));
      const english = texts.filter((s) => !/[\u4e00-\u9fff]/.test(s) && /[A-Za-z]{3}/.test(s));
      if (english.length) throw new Error(`zh edition: ${english.length} label(s) without Chinese, e.g. ${JSON.stringify(english.slice(0, 3))}`);
    }

    // 6. back to applicant #1 of the file at 5:1 for the screenshot the book test takes after this check
    await page.selectOption(`${ROOT} #cs-applicant`, '0');
    await page.click(`${ROOT} #cs-submit`);
    return `${applicants.length} applicants: P(bad) = the notebook's (max |Δ| ${worst.toExponential(1)}); field edits change P(bad) as the scorecard does; ` +
      `the cost slider's threshold = the recomputation from the exported out-of-fold scores; fits 360 px`;
  },
};
