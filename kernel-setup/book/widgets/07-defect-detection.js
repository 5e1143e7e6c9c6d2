// @ts-nocheck
// Notebook 07 · live widget: pick an NEU test image → the CNN's class probabilities, a Grad-CAM map computed in the
// page (over the image, with the annotated defect boxes), and the share of the map inside the boxes (§5's measure).
//
// Contract (kernel-setup/book/widgets/common.js): CourseWidgets.register(nb, async (root, ctx) => …) with
//   ctx.models.cnn96            the notebook's 96×96 CNN (tf.LayersModel, weights possibly stored at uint8/float16)
//   ctx.samples.cnn96           { inputs, shape: [n, 96, 96, 1], outputs, outShape: [n, 6] }: the shown images (the
//                               export's check inputs, pixels in [0, 1]) and the notebook's probabilities for them
//   ctx.data                    from the notebook's book-export cell:
//     classes, short            the six class names and the papers' abbreviations
//     size, layer, featureSize  96, 'last_conv', [6, 6]
//     images[j]                 { file, label (true class), boxes: [[xmin, ymin, xmax, ymax]] in 96×96 pixels,
//                                 camInside, boxArea }  (notebook's Grad-CAM share inside the boxes for the true class)
//     cams[j][c]                the notebook's Grad-CAM of image j for class c at 6×6, before upsampling (row-major)
//
// Test handles (kernel-setup/book-widget-tests/07-defect-detection.js):
//   button.nd07-thumb[data-index=j]      one per image; aria-pressed="true" on the chosen one
//   button.nd07-class[data-class=c]      one per class (its probability bar); picks the class Grad-CAM explains
//   canvas.nd07-overlay                  image + Grad-CAM + boxes; after each draw its dataset holds
//       data-image, data-cam-class, data-predicted (page's top class), data-probs (JSON, 6 page probabilities),
//       data-cam (JSON, the page's 6×6 map before upsampling), data-cam-max (max of the 96×96 map),
//       data-inside (page's share of the map inside the boxes), data-drawn (increments on every draw)
//   input.nd07-opacity (range 0–100)     overlay opacity in %; input.nd07-boxes (checkbox) shows the boxes
(function () {
  'use strict';

  const NB = '07-defect-detection';
  const ZH_CLASS = ['龟裂', '夹杂', '斑块', '麻点', '压入氧化皮', '划痕'];
  // Viridis (as in the notebook's figures), 9 stops from 0 to 1: dark blue = little evidence, yellow = the most.
  const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
    [31, 158, 137], [53, 183, 121], [110, 206, 88], [253, 231, 37]];
  const BOX_COLOR = 'rgb(255, 64, 0)'; // the notebook's box colour (src/vision/draw-boxes.ts)
  const SCALE = 3;                     // the main canvas shows the 96×96 input at 3× (288 px)

  /** Viridis colour of v in [0, 1]. */
  function viridis(v) {
    const x = Math.min(1, Math.max(0, v)) * (VIRIDIS.length - 1);
    const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
    const f = x - i;
    return VIRIDIS[i].map((a, k) => a + (VIRIDIS[i + 1][k] - a) * f);
  }

  /** A DOM element with a class, attributes and children (CourseWidgets.el of widgets/common.js). */
  const el = (tag, cls, attrs, children) => CourseWidgets.el(tag, { class: cls || null, ...attrs }, ...(children || []));

  /** The whole pixels a box covers, as src/vision/draw-boxes.ts boxPixelBounds: columns x0..x1, rows y0..y1. */
  function pixelBounds([xmin, ymin, xmax, ymax], size) {
    const x0 = Math.max(0, Math.floor(xmin));
    const y0 = Math.max(0, Math.floor(ymin));
    const x1 = Math.min(size - 1, Math.ceil(xmax) - 1);
    const y1 = Math.min(size - 1, Math.ceil(ymax) - 1);
    return x1 < x0 || y1 < y0 ? null : { x0, y0, x1, y1 };
  }

  /** Pixels whose centre lies in a box, as src/explain/saliency-in-boxes.ts boxMask (the §5 measure). */
  function boxMask(boxes, size) {
    const mask = new Uint8Array(size * size);
    for (const [xmin, ymin, xmax, ymax] of boxes) {
      const x0 = Math.max(0, Math.ceil(xmin - 0.5));
      const x1 = Math.min(size - 1, Math.floor(xmax - 0.5));
      const y0 = Math.max(0, Math.ceil(ymin - 0.5));
      const y1 = Math.min(size - 1, Math.floor(ymax - 0.5));
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * size + x] = 1;
    }
    return mask;
  }

  /**
   * Grad-CAM as src/explain/grad-cam.ts, on the loaded model: a sub-model up to `layerName` gives the feature maps A;
   * the layers after it (without the final softmax) give the class scores y; α_k = mean of ∂y_c/∂A_k over positions,
   * map = ReLU(Σ_k α_k A_k), upsampled bilinearly (half-pixel centres) to the input size.
   * Returns a function: one image [1, H, W, 1] → for every class c { coarse: Float32Array(h'·w'), full: Float32Array(H·W) }.
   */
  function gradCamAllClasses(tf, model, layerName) {
    const index = model.layers.findIndex((l) => l.name === layerName);
    if (index < 0) throw new Error(`no layer '${layerName}' in the page's model`);
    const features = tf.model({ inputs: model.inputs, outputs: model.layers[index].output });
    const head = model.layers.slice(index + 1);
    const last = head[head.length - 1];
    if (last.getClassName() === 'Activation' && last.getConfig().activation === 'softmax') head.pop();
    const scores = (a) => head.reduce((h, l) => l.apply(h, { training: false }), a);
    // All classes in one backward pass: the features repeated once per class, row c picking class c's score
    // (each row's score depends only on its own features, so row c of the gradient is ∂y_c/∂A).
    return (x) => tf.tidy(() => {
      const [, H, W] = x.shape;
      const a = features.predict(x);                                       // [1, h', w', K]
      const classes = scores(a).shape[1];
      const aa = tf.tile(a, [classes, 1, 1, 1]);                           // [C, h', w', K]
      const pick = tf.eye(classes);
      const grads = tf.grad((fa) => tf.sum(tf.mul(scores(fa), pick)))(aa);
      const alpha = tf.mean(grads, [1, 2], true);                          // [C, 1, 1, K]
      const cam = tf.relu(tf.sum(tf.mul(alpha, aa), -1, true));            // [C, h', w', 1]
      const full = tf.image.resizeBilinear(cam, [H, W], false, true);      // [C, H, W, 1]
      const coarse = cam.dataSync();
      const fine = full.dataSync();
      const cells = coarse.length / classes;
      return Array.from({ length: classes }, (_, c) => ({
        coarse: coarse.slice(c * cells, (c + 1) * cells), full: fine.slice(c * H * W, (c + 1) * H * W),
      }));
    });
  }

  /** Gray pixels in [0, 1] → a size × size canvas. */
  function drawGray(canvas, pixels, size) {
    const g = canvas.getContext('2d');
    const img = g.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, pixels[i])));
      img.data.set([v, v, v, 255], 4 * i);
    }
    g.putImageData(img, 0, 0);
  }

  CourseWidgets.register(NB, async (root, ctx) => {
    const { tf, data, t } = ctx;
    const model = ctx.models.cnn96;
    const samples = ctx.samples.cnn96;
    const inputs = Float32Array.from(samples.inputs);
    const outputs = Float32Array.from(samples.outputs);
    const camOf = gradCamAllClasses(tf, model, data.layer);
    const size = data.size;
    const n = data.images.length;
    const nClasses = data.classes.length;
    const pixelsOf = (j) => inputs.subarray(j * size * size, (j + 1) * size * size);
    const className = (c) => t(data.classes[c].replace(/_/g, ' '), ZH_CLASS[c] || data.classes[c]);
    const pct = (v, d = 1) => `${(100 * v).toFixed(d)} %`;

    // ---- layout: caption · thumbnails · (overlay + controls | probabilities) · readout
    root.classList.add('nd07');
    root.append(el('p', 'nd07-caption', {}, [t(
      `Pick a test image: the CNN of this chapter (${size}×${size} input) classifies it here in your browser, and Grad-CAM shows where ` +
      `it found the evidence for a class (click a class to explain it). The orange boxes are the NEU annotators' defect boxes. ` +
      `These ${n} images are NEU-DET test images, for research and teaching only: the database has no licence to ` +
      `redistribute, so they are exported only into this locally built book (never committed or published by the course).`,
      `选择一张测试图像：本章的卷积神经网络（输入 ${size}×${size}）在你的浏览器中对它分类，Grad-CAM 显示它在哪里找到某一类别的证据` +
      `（点击类别即可解释该类别）。橙色框是 NEU 标注者标出的缺陷边界框。这 ${n} 张图像来自 NEU-DET 测试集，仅供研究和教学使用：` +
      `该数据库没有再分发许可，因此它们只被导出到你在本地构建的这本书中（课程从不提交或发布这些图像）。`)]));

    const thumbs = el('div', 'nd07-thumbs', { role: 'group', 'aria-label': t('test images', '测试图像') });
    data.images.forEach((img, j) => {
      const c = el('canvas', '', { width: size, height: size, 'aria-hidden': 'true' });
      drawGray(c, pixelsOf(j), size);
      const b = el('button', 'nd07-thumb', { type: 'button', 'data-index': j, 'aria-pressed': 'false',
        title: `${img.file} — ${t('true class', '真实类别')}: ${className(img.label)}` },
      [c, el('span', '', {}, [data.short[img.label]])]);
      b.addEventListener('click', () => select(j));
      thumbs.append(b);
    });
    root.append(thumbs);

    const overlay = el('canvas', 'nd07-overlay', { width: size * SCALE, height: size * SCALE, 'data-drawn': 0,
      role: 'img', 'aria-label': t('test image with the Grad-CAM map and the defect boxes', '叠加 Grad-CAM 热力图与缺陷框的测试图像') });
    const legend = el('div', 'nd07-legend', {}, [
      el('span', 'nd07-scale', { 'aria-hidden': 'true' }, ['0', el('span', 'nd07-ramp'), t('max', '最大')]),
      el('span', '', {}, [t('Grad-CAM, scaled to this map\'s maximum (yellow: most evidence)', 'Grad-CAM，按该图的最大值缩放（黄色：证据最多）')]),
    ]);
    const opacity = el('input', 'nd07-opacity', { type: 'range', min: 0, max: 100, step: 5, value: 55 });
    const opacityValue = el('output', '', {}, ['55 %']);
    const boxes = el('input', 'nd07-boxes', { type: 'checkbox' });
    boxes.checked = true;
    const controls = el('div', 'nd07-controls', {}, [
      el('label', '', {}, [t('map opacity ', '热力图不透明度 '), opacity, ' ', opacityValue]),
      el('label', '', {}, [boxes, t(' annotated boxes', ' 标注框')]),
    ]);
    const bars = el('div', 'nd07-bars', { role: 'group', 'aria-label': t('class probabilities', '各类别概率') });
    const barRows = data.classes.map((_, c) => {
      const fill = el('span', 'nd07-fill');
      const value = el('span', 'nd07-value');
      const row = el('button', 'nd07-class', { type: 'button', 'data-class': c, 'aria-pressed': 'false' }, [
        el('span', 'nd07-name', {}, [`${className(c)} (${data.short[c]})`]), el('span', 'nd07-track', {}, [fill]), value]);
      row.addEventListener('click', () => { state.camClass = c; draw(); });
      bars.append(row);
      return { row, fill, value };
    });
    const readout = el('p', 'nd07-readout', { 'aria-live': 'polite' });
    root.append(el('div', 'nd07-main', {}, [
      el('div', 'nd07-view', {}, [overlay, legend, controls]),
      el('div', 'nd07-side', {}, [
        el('p', 'nd07-head', {}, [t('Probability of each class (softmax output; ✓ true class). Click a class to see its Grad-CAM.',
          '各类别的概率（softmax 输出；✓ 为真实类别）。点击类别可查看它的 Grad-CAM。')]), bars, readout]),
    ]));

    // ---- state and computation
    const state = { ticket: 0, image: 0, camClass: 0, predicted: 0, probs: null, cams: null };
    const small = el('canvas', '', { width: size, height: size });

    // The last click wins: a slower earlier computation that finishes later is dropped.
    async function select(j) {
      const ticket = ++state.ticket;
      const x = tf.tensor4d(pixelsOf(j), [1, size, size, 1]);
      const p = model.predict(x);
      const probs = Array.from(await p.data());
      p.dispose();
      const cams = camOf(x);
      x.dispose();
      if (ticket !== state.ticket) return;
      const predicted = probs.indexOf(Math.max(...probs));
      Object.assign(state, { image: j, probs, cams, predicted, camClass: predicted });
      thumbs.querySelectorAll('.nd07-thumb').forEach((b, k) => b.setAttribute('aria-pressed', String(k === j)));
      draw();
    }

    function draw() {
      if (!state.cams) return;   // nothing computed yet
      const img = data.images[state.image];
      const cam = state.cams[state.camClass];
      const alpha = Number(opacity.value) / 100;
      opacityValue.textContent = `${opacity.value} %`;
      let max = 0;
      for (const v of cam.full) max = Math.max(max, v);
      // image · map blend at 96×96, then scaled 3× without smoothing (the texture stays sharp)
      const pixels = pixelsOf(state.image);
      const g = small.getContext('2d');
      const blend = g.createImageData(size, size);
      for (let i = 0; i < size * size; i++) {
        const gray = 255 * Math.min(1, Math.max(0, pixels[i]));
        const col = max > 0 ? viridis(cam.full[i] / max) : [gray, gray, gray];
        for (let k = 0; k < 3; k++) blend.data[4 * i + k] = Math.round((1 - alpha) * gray + alpha * col[k]);
        blend.data[4 * i + 3] = 255;
      }
      g.putImageData(blend, 0, 0);
      const big = overlay.getContext('2d', { willReadFrequently: true });
      big.imageSmoothingEnabled = false;
      big.drawImage(small, 0, 0, size * SCALE, size * SCALE);
      if (boxes.checked) {
        big.strokeStyle = BOX_COLOR;
        big.lineWidth = 2;
        for (const b of img.boxes) {
          const r = pixelBounds(b, size);
          if (r) big.strokeRect(r.x0 * SCALE + 1, r.y0 * SCALE + 1, (r.x1 - r.x0 + 1) * SCALE - 2, (r.y1 - r.y0 + 1) * SCALE - 2);
        }
      }
      // share of the map inside the boxes (§5), against the box-area share a uniform map gets
      const mask = boxMask(img.boxes, size);
      let inside = 0;
      let total = 0;
      let area = 0;
      cam.full.forEach((v, i) => { total += v; if (mask[i]) { inside += v; area += 1; } });
      const share = total > 0 ? inside / total : NaN;
      area /= size * size;

      barRows.forEach(({ row, fill, value }, c) => {
        fill.style.width = `${(100 * state.probs[c]).toFixed(1)}%`;
        value.textContent = pct(state.probs[c]);
        row.setAttribute('aria-pressed', String(c === state.camClass));
        row.classList.toggle('nd07-true', c === img.label);
        row.classList.toggle('nd07-top', c === state.predicted);
      });
      const right = state.predicted === img.label;
      readout.replaceChildren(
        el('strong', right ? 'nd07-ok' : 'nd07-wrong', {}, [right ? t('Correct: ', '正确：') : t('Misread: ', '误判：')]),
        t(`predicted ${className(state.predicted)} (${pct(state.probs[state.predicted])}), true class ${className(img.label)} — ${img.file}. `,
          `预测为${className(state.predicted)}（${pct(state.probs[state.predicted])}），真实类别为${className(img.label)} —— ${img.file}。`),
        el('br'),
        max > 0
          ? t(`Grad-CAM of ${className(state.camClass)} (layer ${data.layer}, ${data.featureSize.join('×')} cells upsampled to ${size}×${size}): ` +
              `${pct(share)} of its mass lies inside the boxes, which cover ${pct(area)} of the image (a uniform map would put ${pct(area)} inside).`,
            `${className(state.camClass)}的 Grad-CAM（${data.layer} 层，${data.featureSize.join('×')} 个单元上采样到 ${size}×${size}）：` +
              `其质量的 ${pct(share)} 落在框内，而框只占图像的 ${pct(area)}（均匀的图在框内也是 ${pct(area)}）。`)
          : t(`Grad-CAM of ${className(state.camClass)} is zero everywhere: no region of the image raises this class's score.`,
            `${className(state.camClass)}的 Grad-CAM 处处为零：图像中没有任何区域提高该类别的得分。`));

      Object.assign(overlay.dataset, {
        image: state.image, camClass: state.camClass, predicted: state.predicted, probs: JSON.stringify(state.probs),
        cam: JSON.stringify(Array.from(cam.coarse)), camMax: max, inside: share, drawn: Number(overlay.dataset.drawn) + 1,
      });
    }

    opacity.addEventListener('input', draw);
    boxes.addEventListener('change', draw);
    // start on the first misread image if there is one (the most instructive), else on the first
    const firstWrong = data.images.findIndex((img, j) => {
      const row = outputs.subarray(j * nClasses, (j + 1) * nClasses);
      return row.indexOf(Math.max(...row)) !== img.label;
    });
    await select(Math.max(0, firstWrong));
  });
})();
