// Draws the course's Plotly figures in the HTML book (one shared local plotly.js, no network).
// Each figure is a <div> plus a call courseFigure(id, figure) with the figure's JSON. A figure that
// cannot be drawn is reported in the page (so a reader sees it) and in the console (so the book
// test fails on it); a drawn figure gets data-rendered="true".
(function () {
  'use strict';
  function fail(el, id, why) {
    el.classList.add('figure-error');
    el.removeAttribute('data-rendered');
    el.textContent = 'This figure could not be drawn: ' + why;
    console.error('course book: figure ' + id + ' could not be drawn: ' + why);
  }
  window.courseFigure = function (id, fig) {
    var el = document.getElementById(id);
    if (!el) { console.error('course book: no element #' + id); return; }
    if (typeof window.Plotly === 'undefined') return fail(el, id, 'plotly.js did not load');
    if (!fig || typeof fig !== 'object') return fail(el, id, 'its JSON is not a figure object');
    if (!Array.isArray(fig.data) || fig.data.length === 0) return fail(el, id, 'its data is not a non-empty list of traces');
    if (fig.layout != null && (typeof fig.layout !== 'object' || Array.isArray(fig.layout))) return fail(el, id, 'its layout is not an object');
    var layout = Object.assign({}, fig.layout || {});
    if (!layout.height) layout.height = 380;
    var config = Object.assign({ responsive: true, displaylogo: false }, fig.config || {});
    try {
      window.Plotly.newPlot(el, fig.data, layout, config).then(function () {
        var shown = (el._fullData || []).filter(function (t) { return t.visible !== false; }).length;
        if (!shown) fail(el, id, 'none of its traces can be drawn');
        else el.setAttribute('data-rendered', 'true');
      }, function (err) { fail(el, id, (err && err.message) || String(err)); });
    } catch (err) {
      fail(el, id, (err && err.message) || String(err));
    }
  };
})();
