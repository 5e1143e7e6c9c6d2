// Notebook 05's live widget (issue #21): a threshold on the CNN ensemble's stored test scores, and a test image's
// malignant score and saliency map computed in the page by the model the notebook trained.
// Plain browser JS (no modules, no network); common.js (the book's widget loader) calls the function registered below.
//
// Contract (kernel-setup/book/widgets/common.js), written by the notebook's `book-export` cell:
//   ctx.models.ensemble  the score §5 evaluated and §6 explained, as ONE tf.LayersModel: the mean softmax of the
//                        ensemble's networks over the image and its mirror image; input [n, 28, 28, 1] grey values in
//                        [0, 1], output [n, 2], column 0 = p(malignant)
//   ctx.samples.ensemble { inputs, shape [n, 28, 28, 1], outputs, outShape }: the picked test images (the model's check
//                        inputs, row k = test image ctx.data.picks[k]) and the notebook's outputs on them
//   ctx.data  { scores: number[] the notebook's malignant score of every test image, labels: number[] (1 = malignant),
//               threshold: the threshold chosen on validation for sensitivity ≥ targetSensitivity, targetSensitivity,
//               picks: test indices of the picker's images, labelConflicts: test indices whose training near-copy has
//               the other label }
//   ctx.t(en, zh) the edition's text; ctx.tf TF.js
//
// Test handles (used by kernel-setup/book-widget-tests/05-medical-imaging.js):
//   input[type=range][data-role=threshold]   the threshold t (0–1); an image is flagged malignant when its score ≥ t
//   [data-role=metrics]                      data-threshold: the t the shown metrics belong to
//     [data-metric=sensitivity|specificity|fn|fp|roc]  data-value: the number shown (full precision; for roc "x,y")
//   button[data-role=preset]                 data-threshold: sets t (the validation threshold; 0.5)
//   svg[data-role=roc] circle[data-role=roc-point]   the ROC point at t (data-x, data-y: 1 − specificity, sensitivity)
//   button[data-role=pick]                   data-pick = k, data-test-index = ctx.data.picks[k]; aria-pressed
//   [data-role=readout]                      data-state busy|ready; data-test-index; data-page-score (computed here by
//                                            the model); data-notebook-score (ctx.data.scores); data-grad-backend
//   canvas[data-role=image]                  the picked image, 28 × 28
//   canvas[data-role=saliency-overlay]       its saliency map over it (red/blue, alpha = |gradient| / max |gradient|)
//   canvas[data-role=saliency]               the map alone, as the notebook shows it (diverging, white = 0)
//   input[type=checkbox][data-role=overlay-toggle]  shows/hides the overlay
CourseWidgets.register('05-medical-imaging', async (root, ctx) => {
  'use strict';
  const { tf, t } = ctx;
  const { scores, labels, picks } = ctx.data;
  const conflicts = new Set(ctx.data.labelConflicts || []);
  const chosen = ctx.data.threshold;
  const target = ctx.data.targetSensitivity;
  const model = ctx.models.ensemble;
  const sample = ctx.samples.ensemble;
  const N = 28;              // BreastMNIST: 28 × 28 grey pixels
  const MALIGNANT = 0;       // output column 0 = p(malignant)
  const nPos = labels.filter((y) => y === 1).length;
  const nNeg = labels.length - nPos;
  const f3 = (v) => v.toFixed(3);
  const { el, svg } = CourseWidgets;   // el/svg(tag, attrs, ...children): widgets/common.js

  /** The four counts and the two rates at threshold th (flagged when score ≥ th, as `binaryConfusion` in src/metrics). */
  function confusion(th) {
    let tp = 0, fn = 0, fp = 0, tn = 0;
    scores.forEach((s, i) => {
      const flagged = s >= th;
      if (labels[i] === 1) { if (flagged) tp++; else fn++; } else if (flagged) fp++; else tn++;
    });
    return { tp, fn, fp, tn, sensitivity: tp / (tp + fn), specificity: tn / (tn + fp) };
  }

  /** What a test image is at threshold th: TP (cancer found), FN (missed cancer), FP (false alarm) or TN. */
  function kindOf(i, th) {
    const flagged = scores[i] >= th;
    return labels[i] === 1 ? (flagged ? 'TP' : 'FN') : (flagged ? 'FP' : 'TN');
  }
  const KIND_TEXT = {
    TP: t('flagged, malignant: a cancer found (true positive)', '判为恶性，确为恶性：发现的癌症（真阳性）'),
    FN: t('not flagged, malignant: a missed cancer (false negative)', '未判为恶性，实为恶性：漏诊的癌症（假阴性）'),
    FP: t('flagged, benign: a false alarm (false positive)', '判为恶性，实为良性：误报（假阳性）'),
    TN: t('not flagged, benign: correctly cleared (true negative)', '未判为恶性，确为良性：正确排除（真阴性）'),
  };
  const classText = (y) => (y === 1 ? t('malignant', '恶性') : t('normal / benign', '正常/良性'));

  // ---- part 1: the threshold ------------------------------------------------------------------------------------
  const sliderId = `w05-threshold-${Math.random().toString(36).slice(2, 8)}`;
  const ticks = el('datalist', { id: `${sliderId}-ticks` }, el('option', { value: chosen }), el('option', { value: 0.5 }));
  const slider = el('input', { id: sliderId, type: 'range', min: 0, max: 1, step: 0.001, value: chosen, list: ticks.id,
    class: 'w05-slider', 'data-role': 'threshold' });
  const tOut = el('output', { for: sliderId, class: 'w05-t' });
  const presets = [
    { th: chosen, text: t(`validation threshold, sensitivity ≥ ${target.toFixed(2)} (§5): t = ${f3(chosen)}`,
      `验证集上选的阈值，灵敏度 ≥ ${target.toFixed(2)}（§5）：t = ${f3(chosen)}`) },
    { th: 0.5, text: t('t = 0.5 (MedMNIST ACC)', 't = 0.5（MedMNIST 的 ACC）') },
  ].map((p) => el('button', { type: 'button', class: 'w05-button', 'data-role': 'preset', 'data-threshold': p.th }, p.text));

  const METRICS = [
    { key: 'sensitivity', name: t('Sensitivity', '灵敏度'), value: (c) => c.sensitivity, show: f3,
      note: (c) => t(`${c.tp} of ${nPos} cancers found`, `${nPos} 个癌症中发现 ${c.tp} 个`) },
    { key: 'specificity', name: t('Specificity', '特异度'), value: (c) => c.specificity, show: f3,
      note: (c) => t(`${c.tn} of ${nNeg} benign images cleared`, `${nNeg} 张良性图像中正确排除 ${c.tn} 张`) },
    { key: 'fn', name: t('Missed cancers (FN)', '漏诊的癌症（假阴性）'), value: (c) => c.fn, show: String,
      note: () => t('malignant, score below t', '恶性，得分低于 t') },
    { key: 'fp', name: t('False alarms (FP)', '误报（假阳性）'), value: (c) => c.fp, show: String,
      note: () => t('benign, score ≥ t: a follow-up scan or biopsy', '良性，得分 ≥ t：需复查或活检') },
    { key: 'roc', name: t('ROC point', 'ROC 点'), value: (c) => `${1 - c.specificity},${c.sensitivity}`,
      show: (v) => { const [x, y] = v.split(',').map(Number); return `(${f3(x)}, ${f3(y)})`; },
      note: () => t('(1 − specificity, sensitivity)', '（1 − 特异度，灵敏度）') },
  ];
  const metricNodes = METRICS.map((m) => {
    const value = el('span', { class: 'w05-value' });
    const note = el('span', { class: 'w05-muted' });
    return { m, value, note, node: el('div', { class: 'w05-metric', 'data-metric': m.key }, el('span', { class: 'w05-name' }, m.name), value, note) };
  });
  const metrics = el('div', { class: 'w05-metrics', 'data-role': 'metrics', 'aria-live': 'polite' }, ...metricNodes.map((x) => x.node));

  const roc = rocChart();
  const strip = stripChart();
  const part1 = el('div', { class: 'w05-part' },
    el('p', { class: 'w05-title' }, t(`1 · Choose a threshold on the ${scores.length} stored test scores`, `1 · 在已存的 ${scores.length} 个测试集得分上选阈值`)),
    el('p', { class: 'w05-muted' }, t(
      `Each test image has the malignant score the notebook's CNN ensemble gave it (${nPos} malignant, ${nNeg} normal or benign). ` +
      'An image is flagged malignant when its score is at least the threshold t. Move t and watch the two kinds of error trade places.',
      `每张测试图像都有笔记本中 CNN 集成模型给出的恶性得分（${nPos} 张恶性，${nNeg} 张正常或良性）。` +
      '得分不低于阈值 t 的图像判为恶性。移动 t，看两类错误如何此消彼长。')),
    el('div', { class: 'w05-slider-row' }, el('label', { for: sliderId }, t('Threshold t', '阈值 t')), slider, ticks, tOut),
    el('div', { class: 'w05-presets' }, ...presets),
    metrics,
    el('div', { class: 'w05-charts' }, roc.node, strip.node));

  let threshold = chosen;
  function setThreshold(th, fromSlider) {
    threshold = th;
    if (!fromSlider) slider.value = String(th);
    tOut.textContent = `t = ${f3(th)}`;
    const c = confusion(th);
    metrics.dataset.threshold = String(th);
    for (const { m, value, note, node } of metricNodes) {
      const v = m.value(c);
      node.dataset.value = String(v);
      value.textContent = m.show(v);
      note.textContent = m.note(c);
    }
    roc.update(c);
    strip.update(th);
    updateKinds();
  }
  slider.addEventListener('input', () => setThreshold(Number(slider.value), true));
  presets.forEach((b) => b.addEventListener('click', () => setThreshold(Number(b.dataset.threshold), false)));

  /** The ROC curve of the stored scores (each distinct score as a threshold), the point at t and the validation threshold's. */
  function rocChart() {
    const S = 220, P = 34;                         // drawing size and margin in SVG units
    const X = (v) => P + v * S, Y = (v) => P / 2 + (1 - v) * S;
    const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
    const pts = [[0, 0]];
    let tp = 0, fp = 0;
    order.forEach((i, k) => {
      if (labels[i] === 1) tp++; else fp++;
      if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) pts.push([fp / nNeg, tp / nPos]);
    });
    const at = confusion(chosen);
    const point = svg('circle', { r: 6, class: 'w05-roc-point', 'data-role': 'roc-point' });
    const node = svg('svg', { viewBox: `0 0 ${S + P + 8} ${S + P + 22}`, class: 'w05-roc', 'data-role': 'roc', role: 'img',
      'aria-label': t('ROC curve of the test scores with the point at the current threshold', '测试集得分的 ROC 曲线及当前阈值对应的点') },
    svg('rect', { x: X(0), y: Y(1), width: S, height: S, class: 'w05-frame' }),
    svg('line', { x1: X(0), y1: Y(0), x2: X(1), y2: Y(1), class: 'w05-chance' }),
    svg('polyline', { points: pts.map(([x, y]) => `${X(x)},${Y(y)}`).join(' '), class: 'w05-curve' }),
    svg('circle', { cx: X(1 - at.specificity), cy: Y(at.sensitivity), r: 9, class: 'w05-chosen' },
      svg('title', {}, t(`validation threshold t = ${f3(chosen)}`, `验证集阈值 t = ${f3(chosen)}`))),
    point,
    ...[0, 0.5, 1].flatMap((v) => [
      svg('text', { x: X(v), y: Y(0) + 14, class: 'w05-tick', 'text-anchor': 'middle' }, String(v)),
      svg('text', { x: X(0) - 4, y: Y(v) + 4, class: 'w05-tick', 'text-anchor': 'end' }, String(v))]),
    svg('text', { x: X(0.5), y: Y(0) + 30, class: 'w05-axis', 'text-anchor': 'middle' }, t('1 − specificity (false-alarm rate)', '1 − 特异度（误报率）')),
    svg('text', { x: 11, y: Y(0.5), class: 'w05-axis', 'text-anchor': 'middle', transform: `rotate(-90 11 ${Y(0.5)})` }, t('sensitivity', '灵敏度')));
    const caption = el('figcaption', { class: 'w05-muted' }, t('ROC curve of the test scores; ● the current t, ○ the validation threshold.',
      '测试集得分的 ROC 曲线；● 当前的 t，○ 验证集上选的阈值。'));
    return {
      node: el('figure', { class: 'w05-figure' }, node, caption),
      update(c) {
        const x = 1 - c.specificity, y = c.sensitivity;
        point.setAttribute('cx', X(x)); point.setAttribute('cy', Y(y));
        point.dataset.x = String(x); point.dataset.y = String(y);
      },
    };
  }

  /** Every test score as a dot, one row per class, with the threshold line: dots right of it are flagged. */
  function stripChart() {
    const W = 300, P = 12, ROW = { 1: 30, 0: 78 };
    const X = (v) => P + v * (W - 2 * P);
    const dots = scores.map((s, i) => svg('circle', { cx: X(s), cy: ROW[labels[i]] + (((i * 0.618034) % 1) - 0.5) * 16, r: 2.6,
      class: labels[i] === 1 ? 'w05-dot-m' : 'w05-dot-b' }));
    const line = svg('line', { y1: 8, y2: 96, class: 'w05-tline' });
    const node = svg('svg', { viewBox: `0 0 ${W} 124`, class: 'w05-strip', 'data-role': 'strip', role: 'img',
      'aria-label': t('The test scores by class, with the threshold', '按类别显示的测试集得分与阈值') },
    svg('text', { x: P, y: 14, class: 'w05-axis' }, t(`malignant (${nPos})`, `恶性（${nPos}）`)),
    svg('text', { x: P, y: 62, class: 'w05-axis' }, t(`normal / benign (${nNeg})`, `正常/良性（${nNeg}）`)),
    svg('line', { x1: X(chosen), x2: X(chosen), y1: 8, y2: 96, class: 'w05-chosen-line' }),
    ...dots, line,
    ...[0, 0.5, 1].map((v) => svg('text', { x: X(v), y: 108, class: 'w05-tick', 'text-anchor': 'middle' }, String(v))),
    svg('text', { x: W / 2, y: 121, class: 'w05-axis', 'text-anchor': 'middle' }, t('malignant score', '恶性得分')));
    const caption = el('figcaption', { class: 'w05-muted' }, t('Scores right of the solid line are flagged; dashed: the validation threshold.',
      '实线右侧的得分判为恶性；虚线：验证集上选的阈值。'));
    return {
      node: el('figure', { class: 'w05-figure' }, node, caption),
      update(th) {
        line.setAttribute('x1', X(th)); line.setAttribute('x2', X(th));
        dots.forEach((d, i) => d.classList.toggle('w05-flagged', scores[i] >= th));
      },
    };
  }

  // ---- part 2: a test image, its score and saliency -----------------------------------------------------------
  const PIX = N * N;
  const pixelsOf = (k) => Float32Array.from(Array.prototype.slice.call(sample.inputs, k * PIX, (k + 1) * PIX));
  const thumbs = picks.map((testIndex, k) => {
    const c = el('canvas', { width: N, height: N, class: 'w05-thumb' });
    paintGrey(c, pixelsOf(k));
    const kind = el('span', { class: 'w05-kind' });
    const b = el('button', { type: 'button', class: 'w05-pick', 'data-role': 'pick', 'data-pick': k, 'data-test-index': testIndex,
      'aria-pressed': 'false', 'aria-label': t(`test image ${testIndex}, ${classText(labels[testIndex])}`, `测试图像 ${testIndex}，${classText(labels[testIndex])}`) },
    c, el('span', { class: 'w05-truth' }, labels[testIndex] === 1 ? t('M', '恶') : t('B', '良')), kind);
    return { b, kind, testIndex };
  });
  function updateKinds() {
    for (const { kind, testIndex } of thumbs) {
      const k = kindOf(testIndex, threshold);
      kind.textContent = k;
      kind.className = `w05-kind ${k[0] === 'T' ? 'w05-right' : 'w05-wrong'}`;
    }
    if (current !== null) describe(current);
  }

  const image = el('canvas', { width: N, height: N, class: 'w05-image', 'data-role': 'image', role: 'img',
    'aria-label': t('the picked test image, 28 × 28 pixels', '所选的测试图像，28 × 28 像素') });
  const overlay = el('canvas', { width: N, height: N, class: 'w05-overlay', 'data-role': 'saliency-overlay', 'aria-hidden': 'true' });
  const alone = el('canvas', { width: N, height: N, class: 'w05-image', 'data-role': 'saliency', role: 'img',
    'aria-label': t('its saliency map: red raises the malignant score, blue lowers it', '它的显著图：红色提高恶性得分，蓝色降低') });
  const toggle = el('input', { type: 'checkbox', checked: '', 'data-role': 'overlay-toggle' });
  toggle.addEventListener('change', () => { overlay.hidden = !toggle.checked; });
  const readout = el('div', { class: 'w05-readout', 'data-role': 'readout', 'data-state': 'busy', 'aria-live': 'polite' });
  const part2 = el('div', { class: 'w05-part' },
    el('p', { class: 'w05-title' }, t('2 · Pick a test image: its score and saliency map, computed in this page', '2 · 选一张测试图像：在本页计算的得分与显著图')),
    el('p', { class: 'w05-muted' }, t(
      'The images §6 explains, and more test images. M = malignant, B = normal / benign; TP, FN, FP, TN: what the image is at the current t.',
      '§6 解释过的图像，以及其他测试图像。恶 = 恶性，良 = 正常/良性；TP、FN、FP、TN：当前 t 下这张图像的判定结果。')),
    el('div', { class: 'w05-picks' }, ...thumbs.map((x) => x.b)),
    el('div', { class: 'w05-viewer' },
      el('figure', { class: 'w05-figure' }, el('div', { class: 'w05-stack' }, image, overlay),
        el('figcaption', { class: 'w05-muted' }, el('label', {}, toggle, ' ', t('saliency over the image', '在图像上叠加显著图')))),
      el('figure', { class: 'w05-figure' }, alone, el('figcaption', { class: 'w05-muted' }, t('the saliency map alone', '单独的显著图'))),
      readout),
    el('p', { class: 'w05-muted' }, t(
      'Saliency: the gradient ∂p(malignant)/∂pixel of the score above (tf.grad in this page), scaled to its own largest |value|. ' +
      'Red: a brighter pixel would raise the malignant score; blue: lower it. It shows what the model is locally sensitive to, not proof of why.',
      '显著图：上面这个得分对每个像素的梯度 ∂p(恶性)/∂像素（在本页用 tf.grad 计算），按其自身最大的 |值| 缩放。' +
      '红色：像素更亮会提高恶性得分；蓝色：会降低得分。它显示模型在局部对什么敏感，并不证明模型为何这样判断。')));

  let current = null;      // the picked row k
  let request = 0;         // the latest pick: an older computation that finishes later is dropped
  async function pick(k) {
    const mine = ++request;
    current = k;
    thumbs.forEach((x, j) => x.b.setAttribute('aria-pressed', String(j === k)));
    readout.dataset.state = 'busy';
    readout.dataset.testIndex = String(picks[k]);
    delete readout.dataset.pageScore;
    const pixels = pixelsOf(k);
    paintGrey(image, pixels);
    const { score, grad } = await scoreAndSaliency(pixels);
    if (mine !== request) return;
    paintSaliency(overlay, alone, grad);
    readout.dataset.pageScore = String(score);
    readout.dataset.notebookScore = String(scores[picks[k]]);
    describe(k);
    readout.dataset.state = 'ready';
  }
  thumbs.forEach((x, k) => x.b.addEventListener('click', () => { pick(k).catch(showError); }));

  // TF.js's fused convolution (what a Conv2D layer runs) computes its filter's gradient too, even when only the input's
  // is asked for, and the wasm backend has no kernel for that (Conv2DBackpropFilter): there the gradient runs on the
  // cpu backend (the weights move over by themselves), and the page's backend is restored afterwards.
  const gradBackend = tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) ? tf.getBackend() : 'cpu';

  /** The model's malignant score of one image and its gradient (the saliency map), both computed here. */
  async function scoreAndSaliency(pixels) {
    const pageBackend = tf.getBackend();
    const x = tf.tensor4d(pixels, [1, N, N, 1]);
    const p = model.predict(x);
    let g = null;
    try {
      const score = (await p.data())[MALIGNANT];
      if (gradBackend !== pageBackend) await tf.setBackend(gradBackend);
      g = tf.tidy(() => tf.grad((z) => tf.sum(tf.slice(model.apply(z), [0, MALIGNANT], [-1, 1])))(x));
      const grad = await g.data();
      readout.dataset.gradBackend = gradBackend;
      return { score, grad };
    } finally {
      tf.dispose([x, p, g]);
      if (tf.getBackend() !== pageBackend) await tf.setBackend(pageBackend);
    }
  }

  function describe(k) {
    const i = picks[k];
    const ready = readout.dataset.pageScore !== undefined && readout.dataset.testIndex === String(i);
    readout.replaceChildren(
      el('p', {}, el('strong', {}, t(`Test image ${i}`, `测试图像 ${i}`)), ' · ', t('truth: ', '真实标签：'), classText(labels[i])),
      el('p', {}, t('Malignant score computed in this page: ', '本页计算的恶性得分：'),
        el('strong', { class: 'w05-score' }, ready ? f3(Number(readout.dataset.pageScore)) : '…'),
        el('br'), el('span', { class: 'w05-muted' }, t(`the notebook: ${f3(scores[i])}`, `笔记本中：${f3(scores[i])}`))),
      el('p', {}, t(`At t = ${f3(threshold)}: `, `在 t = ${f3(threshold)} 时：`), KIND_TEXT[kindOf(i, threshold)]),
      ...(conflicts.has(i) ? [el('p', { class: 'w05-muted' }, t(
        'Its near-copy in the training set carries the other label (§5c): no model can be right on both.',
        '它在训练集中的近重复图像带有相反的标签（§5c）：没有模型能在两者上都判对。'))] : []));
  }

  function showError(err) {
    readout.dataset.state = 'error';
    readout.textContent = `${t('Error', '错误')}: ${err && err.message ? err.message : err}`;
    console.error(err);
  }

  // ---- drawing ------------------------------------------------------------------------------------------------
  function paintGrey(canvas, pixels) {
    const g = canvas.getContext('2d');
    const img = g.createImageData(N, N);
    for (let p = 0; p < PIX; p++) {
      const v = Math.round(Math.max(0, Math.min(1, pixels[p])) * 255);
      img.data.set([v, v, v, 255], 4 * p);
    }
    g.putImageData(img, 0, 0);
  }

  /** The map scaled to ±max|g|: over the image as red/blue with alpha |v|; alone as the notebook's diverging colours. */
  function paintSaliency(over, single, grad) {
    let max = 0;
    for (let p = 0; p < PIX; p++) max = Math.max(max, Math.abs(grad[p]));
    const a = over.getContext('2d').createImageData(N, N);
    const b = single.getContext('2d').createImageData(N, N);
    for (let p = 0; p < PIX; p++) {
      const v = max > 0 ? grad[p] / max : 0;
      const w = Math.round((1 - Math.abs(v)) * 255);     // src/vision/image-grid.ts colormapRgb('diverging')
      a.data.set(v >= 0 ? [230, 20, 20, Math.round(Math.abs(v) * 230)] : [20, 70, 235, Math.round(Math.abs(v) * 230)], 4 * p);
      b.data.set(v >= 0 ? [255, w, w, 255] : [w, w, 255, 255], 4 * p);
    }
    over.getContext('2d').putImageData(a, 0, 0);
    single.getContext('2d').putImageData(b, 0, 0);
  }

  root.replaceChildren(el('div', { class: 'w05' }, part1, part2));
  setThreshold(chosen, false);
  const firstMalignant = picks.findIndex((i) => labels[i] === 1);
  await pick(Math.max(0, firstMalignant));
});
