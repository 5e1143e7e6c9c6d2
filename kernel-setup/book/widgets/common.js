// The book's live widgets: the models a notebook trained, running in the reader's browser with TF.js (no server, no
// network: the models and the WebAssembly binaries are embedded in local scripts, so a page works from file:// too).
//
// A chapter page with a widget has <div class="course-widget" data-notebook="NN-name" data-lang="en|zh"> and loads, in
// order: tf.min.js, tf-backend-wasm.min.js, wasm-binaries.js (window.COURSE_WASM), the notebook's export
// (window.COURSE_BOOK[NN-name] = { data, samples, models: { name: { modelTopology, weightSpecs, weightData (base64) } } }),
// this file, and the notebook's widget (assets/widgets/NN-name.js), which calls
//   CourseWidgets.register('NN-name', async (root, ctx) => { … })
// with ctx = { tf, models (loaded tf.LayersModel by name), data, samples (Float32Array inputs/outputs by model name),
// lang, t(en, zh), backend }. When the widget's function resolves, the root gets data-ready="true"; when anything fails
// the reader sees why in the widget and the root gets data-error (and the console an error, so the book test fails).
//
// CourseWidgets.verify(nb) reruns each model on the notebook's check inputs and returns, per model,
// { n, maxDiff, sameTop, tolerance }: the book test asserts the page reproduces the notebook's predictions.
(function () {
  'use strict';
  var registry = {};
  var loaded = {};
  var backendReady = null;

  function t(lang) {
    return function (en, zh) { return lang === 'zh' && zh ? zh : en; };
  }

  function base64ToBuffer(text) {
    var bin = atob(text);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  }

  // WebGL where the browser has it, else WebAssembly (its binaries from blob: URLs, so no fetch of a file), else
  // plain JavaScript. A backend counts only if a small op runs on it.
  function chooseBackend(tf) {
    function works(name) {
      return Promise.resolve()
        .then(function () { return tf.setBackend(name); })
        .then(function (ok) {
          if (!ok) return false;
          var s = tf.tidy(function () { return tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0]; });
          return s === 14;
        })
        .catch(function () { return false; });
    }
    if (tf.wasm && window.COURSE_WASM) {
      var urls = {};
      Object.keys(window.COURSE_WASM).forEach(function (name) {
        urls[name] = URL.createObjectURL(new Blob([base64ToBuffer(window.COURSE_WASM[name])], { type: 'application/wasm' }));
      });
      tf.wasm.setWasmPaths(urls);
    }
    var order = ['webgl', 'wasm', 'cpu'].filter(function (b) { return tf.findBackendFactory(b); });
    var forced = new URLSearchParams(location.search).get('backend');
    if (forced) order = [forced];
    return order.reduce(function (p, name) {
      return p.then(function (chosen) { return chosen || works(name).then(function (ok) { return ok ? name : null; }); });
    }, Promise.resolve(null)).then(function (chosen) {
      if (!chosen) throw new Error('no TF.js backend works in this browser (tried ' + order.join(', ') + ')');
      return chosen;
    });
  }

  function loadExport(tf, nb) {
    if (loaded[nb]) return loaded[nb];
    var bundle = (window.COURSE_BOOK || {})[nb];
    if (!bundle) return Promise.reject(new Error('the export of ' + nb + ' is not in the page (models/…/' + nb + '.js did not load)'));
    var names = Object.keys(bundle.models || {});
    loaded[nb] = Promise.all(names.map(function (name) {
      var m = bundle.models[name];
      return tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: m.modelTopology, weightSpecs: m.weightSpecs, weightData: base64ToBuffer(m.weightData),
      }));
    })).then(function (models) {
      var byName = {};
      var samples = {};
      names.forEach(function (name, i) { byName[name] = models[i]; });
      Object.keys(bundle.samples || {}).forEach(function (name) {
        var s = bundle.samples[name];
        samples[name] = { shape: s.shape, inputs: Float32Array.from(s.inputs), outShape: s.outShape, outputs: Float32Array.from(s.outputs) };
      });
      return { models: byName, samples: samples, data: bundle.data || {}, tolerance: bundle.tolerance };
    });
    return loaded[nb];
  }

  function topClasses(values, width) {
    var out = [];
    for (var r = 0; r < values.length / width; r++) {
      if (width === 1) { out.push(values[r] >= 0.5 ? 1 : 0); continue; }
      var best = 0;
      for (var j = 1; j < width; j++) if (values[r * width + j] > values[r * width + best]) best = j;
      out.push(best);
    }
    return out;
  }

  function verify(nb) {
    var tf = window.tf;
    return backendReady.then(function () { return loadExport(tf, nb); }).then(function (ex) {
      var result = {};
      Object.keys(ex.samples).forEach(function (name) {
        var s = ex.samples[name];
        var got = tf.tidy(function () { return ex.models[name].predict(tf.tensor(s.inputs, s.shape)).dataSync(); });
        var maxDiff = 0;
        for (var i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - s.outputs[i]));
        var width = s.outputs.length / s.shape[0];
        var a = topClasses(got, width);
        var b = topClasses(s.outputs, width);
        result[name] = { n: s.shape[0], maxDiff: maxDiff, sameTop: a.every(function (c, k) { return c === b[k]; }), tolerance: ex.tolerance, backend: tf.getBackend() };
      });
      return result;
    });
  }

  function start(root) {
    var nb = root.getAttribute('data-notebook');
    var lang = root.getAttribute('data-lang') || 'en';
    var say = t(lang);
    var tf = window.tf;
    var status = document.createElement('p');
    status.className = 'widget-status';
    status.textContent = say('Loading the model into this page…', '正在把模型载入本页……');
    root.appendChild(status);
    var body = document.createElement('div');
    body.className = 'widget-body';
    root.appendChild(body);
    Promise.resolve().then(function () {
      if (!tf) throw new Error('TF.js did not load (assets/tfjs/tf.min.js)');
      if (!registry[nb]) throw new Error('no widget registered for ' + nb + ' (assets/widgets/' + nb + '.js)');
      return backendReady.then(function (backend) {
        return loadExport(tf, nb).then(function (ex) {
          return registry[nb](body, { tf: tf, models: ex.models, data: ex.data, samples: ex.samples, lang: lang, t: say, backend: backend });
        }).then(function () {
          status.textContent = say('Ready · TF.js, ' + backend + ' backend', '已就绪 · TF.js，' + backend + ' 后端');
          root.setAttribute('data-backend', backend);
          root.setAttribute('data-ready', 'true');
        });
      });
    }).catch(function (err) {
      var why = (err && err.message) || String(err);
      status.textContent = say('This widget could not start: ', '此交互组件无法启动：') + why;
      root.setAttribute('data-error', why);
      console.error('course book: widget ' + nb + ' could not start: ' + why);
    });
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  // A new element: attributes (`text` sets its text content; null and undefined are left out), then children (strings
  // and numbers become text; null, undefined and false are left out). The widgets build their DOM with it.
  function make(ns, tag, attrs, children) {
    var node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined) return;
      if (k === 'text') node.textContent = String(v);
      else node.setAttribute(k, String(v));
    });
    children.forEach(function (c) { if (c !== null && c !== undefined && c !== false) node.append(c); });
    return node;
  }

  window.CourseWidgets = {
    register: function (nb, fn) { registry[nb] = fn; },
    verify: verify,
    /** el('div', { class: 'x', text: 'hi' }, child, …): an HTML element. */
    el: function (tag, attrs) { return make(null, tag, attrs, Array.prototype.slice.call(arguments, 2)); },
    /** svg('circle', { r: 3 }, …): an SVG element. */
    svg: function (tag, attrs) { return make(SVG_NS, tag, attrs, Array.prototype.slice.call(arguments, 2)); },
  };

  // Widgets register synchronously in the scripts after this one; start them once the document is parsed.
  function startAll() {
    var roots = document.querySelectorAll('.course-widget');
    if (!roots.length) return;
    backendReady = window.tf ? chooseBackend(window.tf) : Promise.reject(new Error('TF.js did not load'));
    backendReady.catch(function () {});
    Array.prototype.forEach.call(roots, start);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startAll);
  else setTimeout(startAll, 0);
})();
