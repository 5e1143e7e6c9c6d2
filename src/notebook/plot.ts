/**
 * Plots as typed data (图表): build a Plotly figure as a plain object, then `show` it.
 *
 * A figure is sent to the notebook with Plotly's own MIME type
 * `application/vnd.plotly.v1+json`. JupyterLab renders it through the extension that the `plotly`
 * Python package installs; the figure is data, not a script, so it also renders when an executed
 * notebook is reopened (untrusted) and the course's HTML book can draw it with one local plotly.js.
 *
 * ```ts
 * show(lineChart({ x: [1, 2, 3], series: { train: [0.9, 0.5, 0.3], val: [1.0, 0.7, 0.6] } },
 *   { title: 'Loss per epoch', xTitle: 'epoch', yTitle: 'loss' }));
 * ```
 */
import { notebookDisplay } from './display';
import { courseLanguage, loadLabelTable, translateFigure } from './language';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

type Num = number | null;

/** The subset of Plotly trace attributes the course uses; more may be passed through. */
export interface Trace {
  type: 'scatter' | 'bar' | 'heatmap' | 'contour' | 'histogram' | 'box' | 'pie' | 'image' | 'table';
  name?: string;
  x?: readonly (Num | string)[];
  y?: readonly (Num | string)[];
  z?: readonly (readonly Num[])[];
  text?: string | readonly string[] | readonly (readonly string[])[];
  mode?: 'lines' | 'markers' | 'lines+markers' | 'text' | 'markers+text' | 'lines+markers+text';
  [attribute: string]: unknown;
}

export interface Axis {
  title?: { text: string };
  type?: 'linear' | 'log' | 'category';
  range?: [number, number];
  [attribute: string]: unknown;
}

export interface Layout {
  title?: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  width?: number;
  height?: number;
  [attribute: string]: unknown;
}

/** A complete Plotly figure: what `show` sends and the book renders. */
export interface Figure {
  data: Trace[];
  layout: Layout;
}

export interface ChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  logY?: boolean;
}

function baseLayout(o: ChartOptions): Layout {
  const layout: Layout = { margin: { t: o.title ? 50 : 20, r: 20, b: 50, l: 60 } };
  if (o.title) layout.title = { text: o.title };
  // automargin: long category labels (class names, feature names) get the room they need.
  layout.xaxis = { automargin: true, ...(o.xTitle ? { title: { text: o.xTitle } } : {}) };
  layout.yaxis = { automargin: true, ...(o.yTitle ? { title: { text: o.yTitle } } : {}) };
  if (o.logY) layout.yaxis.type = 'log';
  if (o.width) layout.width = o.width;
  layout.height = o.height ?? 380;
  return layout;
}

function checkLengths(what: string, x: readonly unknown[], series: Record<string, readonly unknown[]>): void {
  for (const [name, ys] of Object.entries(series)) {
    if (ys.length !== x.length) {
      throw new Error(`${what}: series '${name}' has ${ys.length} values but x has ${x.length}; give one y per x`);
    }
  }
}

/** Lines, one per named series over a shared x. */
export function lineChart(data: { x: readonly (number | string)[]; series: Record<string, readonly Num[]> },
  options: ChartOptions & { markers?: boolean } = {}): Figure {
  checkLengths('lineChart', data.x, data.series);
  return {
    data: Object.entries(data.series).map(([name, y]) => ({
      type: 'scatter', mode: options.markers ? 'lines+markers' : 'lines', name, x: data.x, y,
    })),
    layout: baseLayout(options),
  };
}

/** Points: one trace per named group of {x, y} (and optional hover text). */
export function scatterChart(groups: Record<string, { x: readonly number[]; y: readonly number[]; text?: readonly string[] }>,
  options: ChartOptions = {}): Figure {
  return {
    data: Object.entries(groups).map(([name, g]) => {
      checkLengths('scatterChart', g.x, { [name]: g.y });
      const t: Trace = { type: 'scatter', mode: 'markers', name, x: g.x, y: g.y };
      if (g.text) t.text = g.text;
      return t;
    }),
    layout: baseLayout(options),
  };
}

/** Bars: one trace per named series over shared categories. */
export function barChart(data: { x: readonly (string | number)[]; series: Record<string, readonly Num[]> },
  options: ChartOptions & { stacked?: boolean; horizontal?: boolean } = {}): Figure {
  checkLengths('barChart', data.x, data.series);
  const layout = baseLayout(options);
  if (options.stacked) layout.barmode = 'stack';
  return {
    data: Object.entries(data.series).map(([name, y]) => (options.horizontal
      ? { type: 'bar', name, x: y, y: data.x, orientation: 'h' }
      : { type: 'bar', name, x: data.x, y })),
    layout,
  };
}

/**
 * A heatmap of `z[row][col]` with row labels `y` and column labels `x` (e.g. a confusion matrix:
 * rows = true class, columns = predicted class). `annotate` writes each value in its cell.
 */
export function heatmap(z: readonly (readonly number[])[], labels: { x?: readonly (string | number)[]; y?: readonly (string | number)[] } = {},
  options: ChartOptions & { annotate?: boolean; colorscale?: string; reverseY?: boolean } = {}): Figure {
  const rows = z.length;
  const cols = rows ? z[0]!.length : 0;
  z.forEach((row, i) => {
    if (row.length !== cols) throw new Error(`heatmap: row ${i} has ${row.length} values, row 0 has ${cols}; z must be rectangular`);
  });
  if (labels.x && labels.x.length !== cols) throw new Error(`heatmap: ${labels.x.length} x labels for ${cols} columns`);
  if (labels.y && labels.y.length !== rows) throw new Error(`heatmap: ${labels.y.length} y labels for ${rows} rows`);
  const trace: Trace = { type: 'heatmap', z, colorscale: options.colorscale ?? 'Blues' };
  if (labels.x) trace.x = labels.x.map(String);
  if (labels.y) trace.y = labels.y.map(String);
  if (options.annotate) {
    trace.text = z.map((row) => row.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(2))));
    trace.texttemplate = '%{text}';
    trace.hovertemplate = 'x=%{x}<br>y=%{y}<br>%{z}<extra></extra>';
  }
  const layout = baseLayout(options);
  if (options.reverseY ?? true) layout.yaxis = { ...layout.yaxis, autorange: 'reversed' };
  if (labels.x) layout.xaxis = { ...layout.xaxis, type: 'category' };
  if (labels.y) layout.yaxis = { ...layout.yaxis, type: 'category' };
  return { data: [trace], layout };
}

/** Several figures' traces side by side is out of scope: compose traces yourself with `figure`. */
export function figure(data: Trace[], layout: Layout = {}): Figure {
  return { data, layout };
}

/** One line describing a figure, for logs and for the text fallback outside a notebook. */
export function describeFigure(fig: Figure): string {
  const title = fig.layout.title?.text ?? 'untitled';
  const traces = fig.data.map((t) => `${t.type}${t.name ? ` '${t.name}'` : ''}`).join(', ');
  return `[figure] ${title}: ${fig.data.length} trace(s) (${traces})`;
}

function assertSerializable(fig: Figure): void {
  if (!Array.isArray(fig.data) || fig.data.length === 0) throw new Error('show: the figure has no traces (figure.data is empty)');
  fig.data.forEach((t, i) => {
    for (const key of ['x', 'y'] as const) {
      const values = t[key];
      if (values === undefined) continue;
      for (let j = 0; j < values.length; j++) {
        const v = values[j];
        if (typeof v === 'number' && !Number.isFinite(v)) {
          throw new Error(`show: trace ${i}${t.name ? ` '${t.name}'` : ''} has ${v} at ${key}[${j}]; use null for a gap`);
        }
      }
    }
  });
}

/**
 * Display a figure: in a notebook as a Plotly figure, elsewhere as one line of text. Returns
 * nothing, so that a cell ending in `show(...)` does not also print the figure's object.
 *
 * In the Chinese edition (`courseLanguage()` is `'zh'`) the title, axis titles, trace names and annotations are
 * translated through notebooks/i18n/zh/labels.json; a label the table lacks fails the cell with the entry to add.
 */
export function show(fig: Figure): void {
  assertSerializable(fig);
  const shown = courseLanguage() === 'zh' ? translateFigure(fig, loadLabelTable()) : fig;
  const d = notebookDisplay();
  // Plotly's renderer wants the figure as JSON; a deep copy drops typed arrays and undefined.
  const payload = JSON.parse(JSON.stringify(shown)) as Figure;
  if (d) d.raw(PLOTLY_MIME, payload);
  else console.log(describeFigure(shown));
}
