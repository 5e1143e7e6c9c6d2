// Notebook 04's live widget (issue #21): draw a digit and see what the two CNNs the notebook trained make of it.
// Plain browser JS (no modules, no network); common.js (the book's widget loader) calls the function registered below.
//
// Contract (kernel-setup/book/widgets/common.js):
//   ctx.models  { article, improved }: the notebook's two CNNs (tf.LayersModel), input [n, 28, 28, 1] with ink in
//               [0, 1] (pixel / 255, as loadMnist reads MNIST), output [n, 10] softmax probabilities
//   ctx.data    { classNames: string[10], testAccuracy: { article, improved },
//                 examples: [{ index, label, pixels: 784 ints 0–255 (row by row), predicted: { article, improved } }] }
//               written by the notebook's `book-export` cell (test digits both models classify confidently)
//   ctx.t(en, zh) the edition's text; ctx.tf TF.js
//
// Test handles (used by kernel-setup/book-widget-tests/04-cnn-mnist.js):
//   canvas[data-role=pad]          the drawing pad, 28 MNIST pixels across whatever its CSS size (pointer events:
//                                  mouse, touch, pen); data-ink counts the changes of the drawing (segment, clear,
//                                  example); data-pen is the pen's width in MNIST pixels
//   button[data-role=clear]        empties the pad and the bars
//   canvas[data-role=model-input]  the 28 × 28 input the models see (after the preprocessing below)
//   [data-role=output]             data-ink: the pad's data-ink the shown predictions belong to (wait for equality)
//   [data-model=article|improved]  a model's bar chart; data-top: its predicted digit ('' while the pad is empty)
//     [data-class=k]               digit k's bar; data-p: its probability ('' while the pad is empty)
//   button[data-role=example]      data-example = i: puts exported test digit ctx.data.examples[i] on the pad
//   [data-role=note]               what the notebook predicted for that test digit (empty once the reader draws)
CourseWidgets.register('04-cnn-mnist', async (root, ctx) => {
  'use strict';
  const { tf, t } = ctx;
  const data = ctx.data;
  const MODELS = [
    { key: 'article', name: t("Article's CNN", '原文的 CNN'), about: t('1 conv layer', '1 个卷积层') },
    { key: 'improved', name: t('Improved CNN', '改进的 CNN'), about: t('2 conv blocks', '2 个卷积块') },
  ];
  const N = 28;              // MNIST: 28 × 28 pixels
  const BOX = 20;            // MNIST's digits fit a 20 × 20 box, centred by mass in the 28 × 28 image
  const PAD = 280;           // the pad's own resolution: 10 pad pixels per MNIST pixel
  const PEN = 2.2;           // pen width in MNIST pixels (a digit drawn as tall as the box gets MNIST's stroke width)
  const pct = (p) => `${(100 * p).toFixed(1)} %`;

  const { el } = CourseWidgets;   // el(tag, attrs, ...children): widgets/common.js

  // ---- layout -------------------------------------------------------------------------------------------------
  const pad = el('canvas', { class: 'w04-pad', width: PAD, height: PAD, 'data-role': 'pad', 'data-ink': 0, 'data-pen': PEN,
    'aria-label': t('Drawing pad: draw one digit, 0 to 9', '画板：写一个数字（0–9）') });
  const clear = el('button', { type: 'button', class: 'w04-button', 'data-role': 'clear' }, t('Clear', '清除'));
  const modelInput = el('canvas', { class: 'w04-input', width: N, height: N, 'data-role': 'model-input',
    'aria-label': t('The 28 × 28 input the models see', '模型看到的 28 × 28 输入') });
  const note = el('p', { class: 'w04-note', 'data-role': 'note', 'aria-live': 'polite' });
  const output = el('div', { class: 'w04-output', 'data-role': 'output', 'data-ink': 0 });
  const charts = MODELS.map((m) => barChart(m));
  output.append(...charts.map((c) => c.node));

  const examples = el('div', { class: 'w04-examples' },
    el('span', { class: 'w04-muted' }, t('Or try a test digit:', '或者试一个测试集数字：')));
  data.examples.forEach((ex, i) => {
    const thumb = el('canvas', { width: N, height: N, class: 'w04-thumb' });
    paintDigit(thumb.getContext('2d'), ex.pixels.map((v) => v / 255));
    const button = el('button', { type: 'button', class: 'w04-example', 'data-role': 'example', 'data-example': i,
      title: t(`test digit #${ex.index}, label ${ex.label}`, `测试集第 ${ex.index} 号，标签 ${ex.label}`) }, thumb);
    button.addEventListener('click', () => showExample(ex));
    examples.append(button);
  });

  root.append(el('div', { class: 'w04' },
    el('div', { class: 'w04-left' },
      el('p', { class: 'w04-muted' }, t('Draw a digit (mouse or finger):', '用鼠标或手指写一个数字：')),
      pad,
      el('div', { class: 'w04-row' }, clear),
      el('figure', { class: 'w04-eye' }, modelInput,
        el('figcaption', { class: 'w04-muted' }, t(
          'What the models see: 28 × 28 pixels, ink 0 (white) to 1 (black). As MNIST was made: cropped to the drawing, ' +
          'scaled so its longer side is 20 pixels, its centre of mass put at the centre.',
          '模型看到的输入：28 × 28 像素，墨迹 0（白）到 1（黑）。与 MNIST 的制作方式相同：裁剪到笔迹、' +
          '缩放到长边 20 像素、质心放在图像中心。')))),
    el('div', { class: 'w04-right' },
      el('p', { class: 'w04-muted' }, t(
        'Each bar: the probability the model gives to that digit (its softmax output; the ten add up to 100 %). ' +
        'The darker bar is its prediction. Test accuracy: on the 10,000 MNIST test digits, in the notebook.',
        '每个条形：模型认为是该数字的概率（softmax 输出，十个加起来为 100 %）。深色条是它的预测。' +
        '测试准确率：笔记本中在 10,000 个 MNIST 测试数字上的结果。')),
      output, note, examples)));

  // ---- bar charts ---------------------------------------------------------------------------------------------
  /** One model's chart: ten horizontal bars, digit k's length = its probability. */
  function barChart(m) {
    const acc = data.testAccuracy && typeof data.testAccuracy[m.key] === 'number'
      ? t(` · test accuracy ${pct(data.testAccuracy[m.key])}`, ` · 测试准确率 ${pct(data.testAccuracy[m.key])}`) : '';
    const verdict = el('span', { class: 'w04-verdict' });
    const bars = data.classNames.map((name, k) => {
      const fill = el('span', { class: 'w04-fill' });
      const value = el('span', { class: 'w04-value' });
      const row = el('div', { class: 'w04-bar', 'data-class': k, 'data-p': '' },
        el('span', { class: 'w04-digit' }, name), el('span', { class: 'w04-track' }, fill), value);
      return { row, fill, value };
    });
    const node = el('figure', { class: 'w04-chart', 'data-model': m.key, 'data-top': '' },
      el('figcaption', {}, el('b', {}, m.name), el('br'), el('span', { class: 'w04-muted' }, m.about + acc), el('br'), verdict),
      el('div', { class: 'w04-bars' }, ...bars.map((b) => b.row)));
    /** Shows probabilities p (or empties the chart when p is null). */
    function show(p) {
      const top = p ? p.indexOf(Math.max(...p)) : -1;
      node.dataset.top = p ? String(top) : '';
      verdict.textContent = p ? t(`prediction: ${data.classNames[top]} (${pct(p[top])})`, `预测：${data.classNames[top]}（${pct(p[top])}）`)
        : t('prediction: — (draw a digit)', '预测：—（请写一个数字）');
      bars.forEach((b, k) => {
        b.row.dataset.p = p ? String(p[k]) : '';
        b.row.classList.toggle('w04-top', k === top);
        b.fill.style.width = p ? `${(100 * p[k]).toFixed(2)}%` : '0';
        b.value.textContent = p ? pct(p[k]) : '';
      });
    }
    show(null);
    return { node, show };
  }

  // ---- drawing ------------------------------------------------------------------------------------------------
  const padCtx = pad.getContext('2d', { willReadFrequently: true });
  let last = null;                                   // the pen's last point while drawing, in pad pixels
  /** The pointer's position in pad pixels (the pad may be shown smaller than PAD, e.g. on a 360 px screen). */
  function at(event) {
    const r = pad.getBoundingClientRect();
    return { x: ((event.clientX - r.left) / r.width) * PAD, y: ((event.clientY - r.top) / r.height) * PAD };
  }
  function stroke(from, to) {
    padCtx.strokeStyle = '#000';
    padCtx.lineWidth = (PEN * PAD) / N;
    padCtx.lineCap = 'round';
    padCtx.lineJoin = 'round';
    padCtx.beginPath();
    padCtx.moveTo(from.x, from.y);
    padCtx.lineTo(to.x, to.y);
    padCtx.stroke();
    changed();
  }
  pad.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    note.textContent = '';
    last = at(e);
    stroke(last, last);                              // a dot
  });
  pad.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    stroke(last, p);
    last = p;
  });
  for (const end of ['pointerup', 'pointercancel']) pad.addEventListener(end, () => { last = null; });
  clear.addEventListener('click', () => {
    padCtx.clearRect(0, 0, PAD, PAD);
    note.textContent = '';
    changed();
  });

  /** Paints 784 ink values (0–1) into a 28 × 28 canvas context, black on transparent. */
  function paintDigit(c2d, ink) {
    const img = c2d.createImageData(N, N);
    ink.forEach((v, i) => { img.data[4 * i + 3] = Math.round(255 * Math.min(1, Math.max(0, v))); });
    c2d.putImageData(img, 0, 0);
  }

  /**
   * Puts an exported test digit on the pad, each of its pixels a 10 × 10 block (no smoothing, so the preprocessing
   * gives back the stored digit), and says what the notebook predicted for it.
   */
  function showExample(ex) {
    const small = el('canvas', { width: N, height: N });
    paintDigit(small.getContext('2d'), ex.pixels.map((v) => v / 255));
    padCtx.clearRect(0, 0, PAD, PAD);
    padCtx.imageSmoothingEnabled = false;
    padCtx.drawImage(small, 0, 0, PAD, PAD);
    note.textContent = t(
      `Test digit #${ex.index}, label ${ex.label}. In the notebook: article's CNN predicted ${ex.predicted.article}, improved CNN ${ex.predicted.improved}.`,
      `测试集第 ${ex.index} 号数字，标签 ${ex.label}。笔记本中：原文的 CNN 预测为 ${ex.predicted.article}，改进的 CNN 预测为 ${ex.predicted.improved}。`);
    changed();
  }

  // ---- preprocessing: the pad → a 28 × 28 MNIST-like input ------------------------------------------------------
  /** 1-D area weights: target cell i covers source [i/s, (i+1)/s) from `start`; returns for each cell [j, weight] pairs. */
  function areaWeights(start, length, s, cells) {
    const out = [];
    for (let i = 0; i < cells; i++) {
      const a = start + i / s, b = start + (i + 1) / s, w = [];
      for (let j = Math.floor(a); j < Math.min(Math.ceil(b), start + length); j++) {
        const overlap = Math.min(b, j + 1) - Math.max(a, j);
        if (overlap > 0) w.push([j, overlap * s]);   // weights of one cell add up to 1: an average
      }
      out.push(w);
    }
    return out;
  }

  /** The pad's ink as the models' input (Float32Array of 784, or null when the pad is empty). */
  function modelInputFromPad() {
    const rgba = padCtx.getImageData(0, 0, PAD, PAD).data;
    const ink = new Float32Array(PAD * PAD);
    let x0 = PAD, y0 = PAD, x1 = -1, y1 = -1;
    for (let y = 0; y < PAD; y++) {
      for (let x = 0; x < PAD; x++) {
        const v = rgba[4 * (y * PAD + x) + 3] / 255;
        ink[y * PAD + x] = v;
        if (v > 0) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
      }
    }
    if (x1 < 0) return null;
    // 1. crop to the drawing and scale it (area average) so that its longer side is BOX pixels
    const w = x1 - x0 + 1, h = y1 - y0 + 1, s = BOX / Math.max(w, h);
    const tw = Math.max(1, Math.round(w * s)), th = Math.max(1, Math.round(h * s));
    const wx = areaWeights(x0, w, s, tw), wy = areaWeights(y0, h, s, th);
    const box = new Float32Array(tw * th);
    let mass = 0, mx = 0, my = 0;
    for (let i = 0; i < th; i++) {
      for (let j = 0; j < tw; j++) {
        let v = 0;
        for (const [sy, ay] of wy[i]) for (const [sx, ax] of wx[j]) v += ay * ax * ink[sy * PAD + sx];
        box[i * tw + j] = v;
        mass += v; mx += v * j; my += v * i;         // by pixel index
      }
    }
    // 2. put it in the 28 × 28 image with its centre of mass on pixel (14, 14), where MNIST's digits have theirs
    //    (a whole-pixel shift)
    const ox = Math.round(N / 2 - mx / mass), oy = Math.round(N / 2 - my / mass);
    const out = new Float32Array(N * N);
    for (let i = 0; i < th; i++) {
      for (let j = 0; j < tw; j++) {
        const y = i + oy, x = j + ox;
        if (x >= 0 && x < N && y >= 0 && y < N) out[y * N + x] = Math.min(1, box[i * tw + j]);
      }
    }
    return out;
  }

  // ---- prediction, as the reader draws (at most one at a time; the latest drawing wins) ---------------------------
  let ink = 0, busy = false, again = false;
  function changed() {
    ink += 1;
    pad.dataset.ink = String(ink);
    if (busy) { again = true; return; }
    busy = true;
    requestAnimationFrame(() => { predict().catch(showError); });
  }
  async function predict() {
    do {
      again = false;
      const version = ink;
      const x = modelInputFromPad();
      const eye = modelInput.getContext('2d');
      eye.clearRect(0, 0, N, N);
      if (x) paintDigit(eye, x);
      let probs = null;
      if (x) {
        const outs = tf.tidy(() => {
          const input = tf.tensor4d(x, [1, N, N, 1]);
          return MODELS.map((m) => ctx.models[m.key].predict(input));
        });
        probs = await Promise.all(outs.map((o) => o.data()));
        tf.dispose(outs);
      }
      charts.forEach((c, i) => c.show(probs ? Array.from(probs[i]) : null));
      output.dataset.ink = String(version);
    } while (again);
    busy = false;
  }
  function showError(err) {
    busy = false;
    note.textContent = `${t('Error', '错误')}: ${err && err.message ? err.message : String(err)}`;
    console.error(err);
  }

  // One prediction before the reader's first stroke, so that the backend's kernels are ready (WebGL compiles them).
  const warm = tf.tidy(() => MODELS.map((m) => ctx.models[m.key].predict(tf.zeros([1, N, N, 1]))));
  await Promise.all(warm.map((w) => w.data()));
  tf.dispose(warm);
});
