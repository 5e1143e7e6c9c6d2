#!/usr/bin/env node
// @ts-check
// `npm run book`: the course as a static HTML site in build/book/, from the EXECUTED notebooks in
// build/notebooks/ (what `npm run notebooks` writes), in reading order.
//
//   node kernel-setup/book.js [--execute] [--allow-missing] [--allow-errors] [--pdf] [--out DIR]
//
//  --pdf also prints the whole book to ONE PDF, book.pdf in the output (kernel-setup/book-pdf.js: Chromium, a contents
//  page, every chapter in order with its figures drawn and its math rendered, page numbers in the footer);
//  - index.html: table of contents (chapters and their sections); each chapter NN-name.html has
//    prev/next links, and links to NN-name.ipynb in the notebooks point to NN-name.html;
//  - markdown through `marked`; math ($…$, $$…$$, \begin{…}) found exactly as JupyterLab finds it
//    and rendered to HTML here by KaTeX (CSS and fonts copied to assets/katex: no network);
//  - code cells with their outputs: stdout/stderr, text/plain, text/html, text/markdown, image/png;
//  - Plotly figures interactive: ONE shared copy of plotly.js in assets/, each figure a div plus a
//    small script that calls Plotly.newPlot with the figure JSON (assets/figures.js checks it and
//    reports a figure it cannot draw on the page and in the console);
//  - ```mermaid blocks are shown as their source with a note (nothing is fetched);
//  - after each exercise's stub cell (a cell calling checkExercise('NN.k', …)), a collapsed "Solution · 解答" block
//    (<details>, closed): the explanation and the tested solution code from notebooks/solutions/NN-name.ts
//    (book-solutions.js reads it; `npm run exercises` proves it passes). An exercise without a solution stops the build.
// A notebook without an up-to-date executed copy stops the build with the command to run
// (--execute runs those notebooks first; --allow-missing leaves them out). A notebook whose executed
// copy has an error (a cell that did not run, an error output, stderr) stops it too, unless --allow-errors.
// Reading comfort: code and outputs wrap in the column (a source line is a block with a hanging indent); each figure is a
// <figure> labelled by a visually hidden description written from its JSON (describeFigure), with its data as a small
// table when it has few points; each chapter links to its notebook, copied without outputs to notebooks/ in the book.
// book.json in the output lists the pages with their figure and formula counts for kernel-setup/book-test.js.
'use strict';
const fs = require('fs');
const path = require('path');
const c = require('./common');
const { readNotebook, sourceOf, textOf, isBookExport } = require('./nb-format');
const widgets = require('./book-widgets');
const { readSolutions, solutionCode, exerciseCalls } = require('./book-solutions');
const { sectionCollector, writeSearchAssets, SEARCH_BOX, searchScripts } = require('./book-search');

const ASSETS_SRC = path.join(__dirname, 'book');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const BOOK_TITLE = 'The future of AI industrialization — from concepts to case studies';
const BOOK_SUBTITLE = '智能产业化的未来发展方向：从概念到案例';
/**
 * What differs between the two editions' pages (#23): the English book in the output folder, the Chinese one in zh/
 * beside it, built from the generated Chinese notebooks (kernel-setup/i18n.js) — same code cells, same cell ids.
 * @typedef {'en' | 'zh'} Lang
 */
const EDITIONS = {
  en: {
    html: 'en', title: BOOK_TITLE, subtitle: BOOK_SUBTITLE, other: '中文', otherLang: 'zh-CN',
    intro: 'TypeScript deep-learning notebooks, executed and rendered as a book. Every figure is interactive (hover, zoom);\n' +
      'every number was computed by running the notebook. To run them yourself: <code>npm start</code>.',
    missing: 'not executed yet, not in this build',
  },
  zh: {
    html: 'zh-CN', title: '智能产业化的未来发展方向：从概念到案例', subtitle: 'The future of AI industrialization — from concepts to case studies', other: 'English', otherLang: 'en',
    intro: '用 TypeScript 编写的深度学习笔记本，运行后排版成书。每张图都可以交互（悬停、缩放）；每个数字都是运行笔记本算出来的。\n' +
      '自己运行：<code>npm start</code>（中文笔记本在 <code>notebooks/zh/</code>）。',
    missing: '尚未运行，不在本次构建中',
  },
};
// The solution blocks' look (appended to the copied book.css).
const SOLUTION_CSS = `
/* Exercises' solutions (book.js): collapsed until the reader opens them. */
details.solution { margin: 0.4rem 0 1.2rem 3.7rem; border: 1px solid var(--rule); border-left: 4px solid #1a7f37; border-radius: 6px; padding: 0.4em 0.9em; }
details.solution > summary { cursor: pointer; font-weight: 600; color: #1a7f37; }
details.solution[open] > summary { margin-bottom: 0.5em; }
details.solution pre.source { background: var(--code-bg); border: 1px solid var(--rule); border-radius: 6px; padding: 0.6em 0.9em; }
details.solution .solution-note { color: var(--muted); font-size: 0.85rem; }
`;

/**
 * @typedef {import('./nb-format').Notebook} Notebook
 * @typedef {import('./nb-format').Cell} Cell
 * @typedef {import('./nb-format').Output} Output
 * @typedef {{ raw: string, math: boolean }} MathPiece   a piece hidden from the markdown parser; math: false = text that looked like a placeholder
 * @typedef {{ depth: number, id: string, text: string, html: string }} Heading
 * @typedef {{ math: number, mathErrors: string[], mermaid: number, figures: number, headings: Heading[], ids: Set<string>,
 *   files: Set<string>, links: string[], warnings: string[], inBook: Set<string> | null, exercises: string[], exportCell: boolean }} PageContext
 *   what a page needs and found (exercises: the ids whose solution block the page shows, in order; exportCell: the
 *   notebook has a book-export cell)
 * @typedef {{ renderToString(tex: string, options: Record<string, unknown>): string }} Katex
 * @typedef {{ Marked: typeof import('marked').Marked, katex: Katex }} Libs
 * @typedef {{ file: string, title: string }} PageLink
 * @typedef {{ exports?: string, scripts?: string }} WidgetDirs   where the notebooks' exports and the widgets' scripts are
 *   (default build/book-exports and kernel-setup/book/widgets; the book test's self-test uses its own)
 * @typedef {(src: string, forCell?: Cell | null) => string} RenderMarkdown
 * @typedef {import('./book-solutions').SolutionText} SolutionText
 */

/** @param {string} msg */
function say(msg) { console.log(`[book] ${msg}`); }

class BookError extends Error {}

const escapeHtml = (/** @type {unknown} */ s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const stripAnsi = (/** @type {unknown} */ s) => String(s).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

// ───────────────────────── math: JupyterLab's own splitting (rendermime latex.ts), KaTeX rendering ─────────────────────────

const MATHSPLIT = /(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\[()[\]])/i;

// Placeholders are written @@n@@ (n = the piece's index).
/**
 * Hide math from the markdown parser exactly as JupyterLab does: returns the text with numbered
 * placeholders and the list of pieces ({ raw, math }); `math: false` marks text that merely looked
 * like a placeholder. Dollars inside code spans and fenced code are left alone.
 * @param {string} input
 * @returns {{ text: string, math: MathPiece[] }}
 */
function removeMath(input) {
  /** @type {MathPiece[]} */
  const math = [];
  /** @type {number | null} */
  let start = null;
  /** @type {string | null} */
  let end = null;
  /** @type {number | null} */
  let last = null;
  let braces = 0;
  let text = input;
  let deTilde = (/** @type {string} */ t) => t;
  if (text.includes('`') || text.includes('~~~')) {
    text = text.replace(/~/g, '~T')
      .replace(/^(?<fence>`{3,}|(~T){3,})[^`\n]*\n([\s\S]*?)^\k<fence>`*$/gm, (m) => m.replace(/\$/g, '~D'))
      .replace(/(^|[^\\])(`+)([^\n]*?[^`\n])\2(?!`)/gm, (m) => m.replace(/\$/g, '~D'));
    deTilde = (t) => t.replace(/~([TD])/g, (_m, ch) => (ch === 'T' ? '~' : '$'));
  }
  /**
   * @param {number} i
   * @param {number} j
   * @param {string[]} blocks
   */
  const process = (i, j, blocks) => {
    const raw = deTilde(blocks.slice(i, j + 1).join(''));
    while (j > i) { blocks[j] = ''; j--; }
    blocks[i] = `@@${math.length}@@`;
    math.push({ raw, math: true });
    return blocks;
  };
  let blocks = text.replace(/\r\n?/g, '\n').split(MATHSPLIT);
  for (let i = 1, m = blocks.length; i < m; i += 2) {
    const block = /** @type {string} */ (blocks[i]);
    if (block.charAt(0) === '@') {
      blocks[i] = `@@${math.length}@@`;
      math.push({ raw: block, math: false });
    } else if (start !== null) {
      if (block === end) {
        if (braces) last = i;
        else { blocks = process(start, i, blocks); start = null; end = null; last = null; }
      } else if (block.match(/\n.*\n/)) {
        if (last !== null) { i = last; blocks = process(start, i, blocks); }
        start = null; end = null; last = null; braces = 0;
      } else if (block === '{') braces++;
      else if (block === '}' && braces) braces--;
    } else if (block === '$' || block === '$$') {
      start = i; end = block; braces = 0;
    } else if (block === '\\\\(' || block === '\\\\[') {
      start = i; end = block.slice(-1) === '(' ? '\\\\)' : '\\\\]'; braces = 0;
    } else if (block.substr(1, 5) === 'begin') {
      start = i; end = `\\end${block.substr(6)}`; braces = 0;
    }
  }
  if (start !== null && last !== null) blocks = process(start, last, blocks);
  return { text: deTilde(blocks.join('')), math };
}

/**
 * TeX and display mode of one math piece as written in a notebook.
 * @param {string} raw
 */
function mathSource(raw) {
  if (raw.startsWith('$$') && raw.endsWith('$$') && raw.length >= 4) return { tex: raw.slice(2, -2), display: true };
  if (raw.startsWith('$') && raw.endsWith('$')) return { tex: raw.slice(1, -1), display: false };
  if (raw.startsWith('\\\\(')) return { tex: raw.slice(3, -3), display: false };
  if (raw.startsWith('\\\\[')) return { tex: raw.slice(3, -3), display: true };
  return { tex: raw, display: true }; // \begin{env} … \end{env}
}

// ───────────────────────── markdown ─────────────────────────

/**
 * A heading's id: its words joined by '-', numbered when already used on the page.
 * @param {string} text
 * @param {Set<string>} used
 */
function slugify(text, used) {
  const base = text.trim().replace(/\s+/g, '-') || 'section';
  let id = base;
  for (let n = 1; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/**
 * Link to a course notebook → link to its page. With `inBook`, a link to a chapter that is not in
 * the book (not written yet) becomes plain text instead of a broken link (the build warns about it).
 * @param {string} html
 * @param {string[]} [links]   collects the linked notebook names
 * @param {Set<string> | null} [inBook]
 */
function rewriteNotebookLinks(html, links = [], inBook = null) {
  return html.replace(/<a href="(?:\.\/)?(\d\d-[^"/#?]+)\.ipynb(#[^"]*)?"([^>]*)>([\s\S]*?)<\/a>/g, (_m, name, hash, rest, text) => {
    links.push(name);
    if (inBook && !inBook.has(name)) return `<span class="chapter-missing" title="${escapeHtml(name)} is not in this book yet">${text}</span>`;
    return `<a href="${name}.html${hash || ''}"${rest}>${text}</a>`;
  });
}

/**
 * The markdown renderer of one page. `ctx` collects what the page needs: formula count, KaTeX
 * errors, headings, files to copy, notebook links.
 * @param {Libs} libs
 * @param {PageContext} ctx
 * @returns {RenderMarkdown}
 */
function createRenderer(libs, ctx) {
  const { Marked, katex } = libs;
  /** @type {Cell | null} */
  let cell = null; // the cell being rendered (for attachments)
  /** @type {MathPiece[]} */
  let pieces = [];
  const plain = (/** @type {string} */ s) => s.replace(/@@(\d+)@@/g, (m, n) => {
    const piece = pieces[Number(n)];
    return piece ? mathSource(piece.raw).tex : m;
  }).replace(/<[^>]*>/g, '');
  const marked = new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }) {
        const language = (lang || '').trim().split(/\s+/)[0];
        if (language === 'mermaid') {
          ctx.mermaid++;
          return '<figure class="mermaid-diagram"><pre class="mermaid">' + escapeHtml(text) + '</pre>' +
            '<figcaption>Diagram in Mermaid notation: JupyterLab draws it; this offline book shows its source.</figcaption></figure>\n';
        }
        return `<pre class="code"><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(text)}</code></pre>\n`;
      },
      heading({ tokens, depth, text }) {
        const inner = this.parser.parseInline(tokens);
        const label = plain(text);
        const id = slugify(label, ctx.ids);
        ctx.headings.push({ depth, id, text: label, html: inner });
        return `<h${depth} id="${escapeHtml(id)}">${inner}<a class="anchor" href="#${escapeHtml(id)}" aria-label="link to this section">¶</a></h${depth}>\n`;
      },
    },
    walkTokens(token) {
      if (token.type !== 'image') return;
      const href = token.href || '';
      if (href.startsWith('attachment:')) {
        const name = decodeURIComponent(href.slice('attachment:'.length));
        /** @type {Record<string, Record<string, unknown>> | undefined} */
        const attachments = cell ? /** @type {any} */ (cell.attachments) : undefined;
        const att = attachments && attachments[name];
        const mime = att && Object.keys(att)[0];
        if (mime) token.href = `data:${mime};base64,${textOf(att[mime]).replace(/\s/g, '')}`;
        else ctx.warnings.push(`attachment ${name} is missing`);
      } else if (!/^([a-z]+:|\/|#)/i.test(href)) {
        ctx.files.add(decodeURIComponent(href.split(/[?#]/)[0] || ''));
      }
    },
  });
  const renderMath = (/** @type {string} */ raw) => {
    const { tex, display } = mathSource(raw);
    ctx.math++;
    let html;
    try {
      html = katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: 'ignore', output: 'htmlAndMathml' });
    } catch (err) {
      ctx.mathErrors.push(`${raw.slice(0, 80)}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
      html = katex.renderToString(tex, { displayMode: display, throwOnError: false, strict: 'ignore' });
    }
    return html;
  };
  return function renderMarkdown(src, forCell = null) {
    cell = forCell;
    const removed = removeMath(src);
    pieces = removed.math;
    let html = /** @type {string} */ (marked.parse(removed.text));
    html = html.replace(/@@(\d+)@@/g, (m, n) => {
      const piece = removed.math[Number(n)];
      if (!piece) return m;
      return piece.math ? renderMath(piece.raw) : escapeHtml(piece.raw);
    });
    return rewriteNotebookLinks(html, ctx.links, ctx.inBook);
  };
}

/** @returns {PageContext} */
function newContext() {
  return { math: 0, mathErrors: [], mermaid: 0, figures: 0, headings: [], ids: new Set(), files: new Set(), links: [], warnings: [], inBook: null, exercises: [], exportCell: false };
}

// ───────────────────────── cells and outputs ─────────────────────────

/**
 * Source code as one block per line, so that a long line wraps with a hanging indent (book.css): its continuation is
 * indented past the line's own indentation (--i, in characters). The text (textContent) is the code unchanged.
 * @param {string} src
 */
function codeLinesHtml(src) {
  return src.split('\n').map((line, k, all) => {
    const indent = (/^[ \t]*/.exec(line) || [''])[0].replace(/\t/g, '  ').length;
    const nl = k < all.length - 1 ? '\n' : '';
    return `<span class="line"${indent ? ` style="--i:${indent}"` : ''}>${escapeHtml(line)}${nl}</span>`;
  }).join('');
}

/**
 * JSON inside <script>: nothing in it may close the script or break the line.
 * @param {unknown} value
 */
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// ───────────────────────── figures: a text alternative from the figure JSON ─────────────────────────

/** @param {unknown} t  a Plotly title: a string or { text } (may hold HTML such as <br>) */
function titleText(t) {
  const raw = typeof t === 'string' ? t : t && typeof t === 'object' && typeof (/** @type {any} */ (t).text) === 'string' ? /** @type {any} */ (t).text : '';
  return raw.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

/**
 * How many points a trace draws: its longest of x, y, values, labels; a grid (heatmap z) as rows × columns.
 * @param {Record<string, any>} t
 * @returns {{ points: number, grid: string | null }}
 */
function tracePoints(t) {
  if (Array.isArray(t.z) && Array.isArray(t.z[0])) {
    const cols = Math.max(...t.z.map((/** @type {unknown} */ r) => (Array.isArray(r) ? r.length : 0)));
    return { points: t.z.length * cols, grid: `${t.z.length}×${cols}` };
  }
  const n = Math.max(0, ...['x', 'y', 'z', 'values', 'labels', 'r'].map((k) => (Array.isArray(t[k]) ? t[k].length : 0)));
  return { points: n, grid: null };
}

/**
 * A figure's text alternative, from its JSON (the spirit of describeFigure in src/notebook/plot.ts, with more): its title,
 * axis titles, and each trace's type, name and number of points.
 * @param {unknown} fig
 * @returns {string}
 */
function describeFigure(fig) {
  if (!fig || typeof fig !== 'object' || !Array.isArray(/** @type {any} */ (fig).data)) return 'A figure whose data could not be read.';
  /** @type {{ data: Record<string, any>[], layout?: Record<string, any> }} */
  const f = /** @type {any} */ (fig);
  const layout = f.layout && typeof f.layout === 'object' ? f.layout : {};
  const title = titleText(layout.title);
  const axes = Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k)).sort()
    .map((k) => ({ k, text: titleText(layout[k] && layout[k].title) })).filter((a) => a.text)
    .map((a) => `${a.k[0]} axis${a.k.length > 5 ? ` ${a.k.slice(5)}` : ''}: ${a.text}`);
  const traces = f.data.map((t) => {
    const type = (t && typeof t.type === 'string' && t.type) || 'scatter';
    const mode = type === 'scatter' && typeof t.mode === 'string' ? ` (${t.mode.replace(/\+/g, ' and ')})` : '';
    const name = t && t.name != null && String(t.name).trim() ? ` "${titleText(String(t.name))}"` : '';
    const { points, grid } = tracePoints(t || {});
    return `${type}${mode}${name}, ${grid ? `a ${grid} grid` : `${points} point${points === 1 ? '' : 's'}`}`;
  });
  return `Figure: ${title || 'untitled'}. ${axes.length ? `${axes.join('; ')}. ` : ''}` +
    `${traces.length} trace${traces.length === 1 ? '' : 's'}: ${traces.join('; ')}.`;
}

const FIGURE_TABLE_MAX_POINTS = 24;

/**
 * For a figure with few points (x/y traces, FIGURE_TABLE_MAX_POINTS in all), its data as a small table in a closed
 * <details>; '' otherwise.
 * @param {unknown} fig
 */
function figureDataTable(fig) {
  /** @type {Record<string, any>[]} */
  const data = fig && typeof fig === 'object' && Array.isArray(/** @type {any} */ (fig).data) ? /** @type {any} */ (fig).data : [];
  if (!data.length || data.some((t) => !t || (!Array.isArray(t.x) && !Array.isArray(t.y)) || t.z !== undefined)) return '';
  const total = data.reduce((n, t) => n + tracePoints(t).points, 0);
  if (!total || total > FIGURE_TABLE_MAX_POINTS) return '';
  const cell = (/** @type {unknown} */ v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)))) : v == null ? '' : titleText(String(v)));
  const rows = data.flatMap((t, i) => {
    const n = tracePoints(t).points;
    const name = t.name != null && String(t.name).trim() ? titleText(String(t.name)) : `trace ${i + 1}`;
    return Array.from({ length: n }, (_, j) => `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(cell(Array.isArray(t.x) ? t.x[j] : j))}</td>` +
      `<td>${escapeHtml(cell(Array.isArray(t.y) ? t.y[j] : j))}</td></tr>`);
  });
  return `<details class="figure-data"><summary>The figure's data · 数据</summary><table><thead><tr><th>trace</th><th>x</th><th>y</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></details>`;
}

/**
 * One output as HTML ('' when it has nothing the book shows, with a warning in `page`).
 * @param {Output} out
 * @param {PageContext} ctx
 * @param {RenderMarkdown} renderMarkdown
 * @param {PageContext} page
 * @returns {string}
 */
function renderOutput(out, ctx, renderMarkdown, page) {
  if (out.output_type === 'stream') {
    const name = out.name === 'stderr' ? 'stderr' : 'stdout';
    return `<pre class="output stream ${name}">${escapeHtml(stripAnsi(textOf(out.text)))}</pre>`;
  }
  if (out.output_type === 'error') {
    const tb = (out.traceback && out.traceback.length ? out.traceback : [`${out.ename}: ${out.evalue}`]).join('\n');
    return `<pre class="output error">${escapeHtml(stripAnsi(tb))}</pre>`;
  }
  /** @type {Record<string, any>} */
  const data = out.data || {};
  if (data[PLOTLY_MIME]) {
    ctx.figures++;
    const id = `figure-${ctx.figures}`;
    let fig = data[PLOTLY_MIME];
    if (typeof fig === 'string') { try { fig = JSON.parse(fig); } catch { /* figures.js reports it */ } }
    // A screen reader gets the figure's description (its <figcaption>, visually hidden) and, for a small figure, its data.
    return `<figure class="plot" aria-labelledby="${id}-description">` +
      `<div class="output figure" id="${id}"></div>\n<script>courseFigure(${JSON.stringify(id)}, ${scriptJson(fig)});</script>\n` +
      `<figcaption class="figure-description visually-hidden" id="${id}-description">${escapeHtml(describeFigure(fig))}</figcaption>` +
      `${figureDataTable(fig)}</figure>`;
  }
  if (data['text/html']) return `<div class="output html">${rewriteNotebookLinks(textOf(data['text/html']), ctx.links, ctx.inBook)}</div>`;
  for (const mime of ['image/png', 'image/jpeg', 'image/gif']) {
    if (data[mime]) {
      /** @type {{ width?: number, height?: number }} */
      const md = (out.metadata && /** @type {Record<string, any>} */ (out.metadata)[mime]) || {};
      const size = `${md.width ? ` width="${Number(md.width)}"` : ''}${md.height ? ` height="${Number(md.height)}"` : ''}`;
      return `<div class="output image"><img src="data:${mime};base64,${textOf(data[mime]).replace(/\s/g, '')}"${size} alt="output image"></div>`;
    }
  }
  if (data['image/svg+xml']) return `<div class="output image">${textOf(data['image/svg+xml'])}</div>`;
  if (data['text/markdown']) return `<div class="output markdown">${renderMarkdown(textOf(data['text/markdown']))}</div>`;
  if (data['text/latex']) return `<div class="output latex">${renderMarkdown(textOf(data['text/latex']))}</div>`;
  if (data['application/json']) return `<pre class="output json">${escapeHtml(JSON.stringify(data['application/json'], null, 2))}</pre>`;
  if (data['text/plain']) return `<pre class="output text">${escapeHtml(stripAnsi(textOf(data['text/plain'])))}</pre>`;
  page.warnings.push(`an output with only ${Object.keys(data).join(', ') || 'no data'} was left out`);
  return '';
}

/**
 * The collapsed solution of one exercise, shown after its stub cell: a closed <details> with the explanation (Markdown)
 * and the tested code, written as a replacement for the stub (`name`: what the stub passes to checkExercise).
 * @param {SolutionText} solution
 * @param {string | null} name
 * @param {PageContext} ctx
 * @param {RenderMarkdown} renderMarkdown
 */
function solutionHtml(solution, name, ctx, renderMarkdown) {
  const id = slugify(`solution-${solution.id}`, ctx.ids);
  ctx.exercises.push(solution.id);
  return `<details class="solution" id="${escapeHtml(id)}" data-exercise="${escapeHtml(solution.id)}">` +
    `<summary>Solution · 解答 — exercise <code>${escapeHtml(solution.id)}</code></summary>\n` +
    `<div class="solution-explanation">${renderMarkdown(solution.explanation)}</div>\n` +
    `<pre class="source solution-code"><code class="language-typescript">${escapeHtml(solutionCode(solution, name || 'answer'))}</code></pre>\n` +
    `<p class="solution-note">From <code>notebooks/solutions/${escapeHtml(solution.file)}</code>, where <code>npm run exercises</code> checks it ` +
    'against the exercise (and its wrong answers against the hint).</p></details>';
}

/**
 * Exercises checked in an executed notebook that have no solution: one message each, naming the cell and the file the
 * solution belongs in.
 * @param {Notebook} executed
 * @param {string} name   the notebook's name (NN-name)
 * @param {Map<string, SolutionText>} solutions
 * @param {string} [folder]   where the solutions are, as the message names it
 * @returns {string[]}
 */
function missingSolutions(executed, name, solutions, folder = 'notebooks/solutions') {
  /** @type {string[]} */
  const problems = [];
  executed.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    for (const { id } of exerciseCalls(sourceOf(cell))) {
      if (!solutions.has(id)) {
        problems.push(`${name}: exercise ${id} (cell ${i + 1}) has no solution: add '${id}': { answer, wrong, explanation } to ` +
          `\`solutions\` in ${folder}/${name}.ts (\`npm run exercises\` tests it)`);
      }
    }
  });
  return problems;
}

/**
 * Problems that make an executed notebook unfit for the book: error outputs and stderr (tslab reports
 * errors on stderr; the headless runner stops at the first failing cell, which therefore has one).
 * (tslab leaves execution_count empty under nbclient, so "did not run" cannot be read from it.)
 * @param {Notebook} executed
 * @returns {string[]}
 */
function executionProblems(executed) {
  /** @type {string[]} */
  const problems = [];
  executed.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    const first = (sourceOf(cell).split('\n').find((l) => l.trim()) || '').trim().slice(0, 70);
    for (const o of cell.outputs || []) {
      if (o.output_type === 'error') problems.push(`cell ${i + 1} (\`${first}\`) raised ${o.ename}: ${o.evalue}`);
      else if (o.output_type === 'stream' && o.name === 'stderr') {
        problems.push(`cell ${i + 1} (\`${first}\`) wrote to stderr: ${stripAnsi(textOf(o.text)).trim().split('\n').slice(0, 3).join(' | ').slice(0, 300)}`);
      }
    }
  });
  return problems;
}

/**
 * The chapter's title: the first level-1 heading of its markdown, else `fallback`.
 * @param {Notebook} nb
 * @param {string} fallback
 * @returns {string}
 */
function chapterTitle(nb, fallback) {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const m = sourceOf(cell).match(/^#\s+(.+)$/m);
    if (m && m[1]) return m[1].trim();
  }
  return fallback;
}

/**
 * @param {{ title: string, body: string, hasFigures: boolean, nav: string, lang?: Lang, assets?: string, scripts?: string }} page
 *   scripts: HTML at the end of the body (a live widget's scripts)
 *   assets: where the shared assets are, relative to the page ('../assets/' for the Chinese pages in zh/)
 */
function pageHtml({ title, body, hasFigures, nav, lang = 'en', assets = 'assets/', scripts = '' }) {
  return `<!doctype html>
<html lang="${EDITIONS[lang].html}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets}katex/katex.min.css">
<link rel="stylesheet" href="${assets}book.css">
${hasFigures ? `<script src="${assets}plotly.min.js"></script>\n<script src="${assets}figures.js"></script>\n` : ''}</head>
<body>
${nav}
${SEARCH_BOX}
<main>
${body}
</main>
${nav.replace('class="chapter-nav top"', 'class="chapter-nav bottom"')}
${searchScripts(assets, lang === 'en' ? 'search-index.js' : `search-index-${lang}.js`)}<script src="${assets}lang.js"></script>
${scripts}</body>
</html>
`;
}

/**
 * @param {PageLink | null | undefined} prev
 * @param {PageLink | null | undefined} next
 * @param {{ href: string, lang: Lang } | null} [other]   the same page in the other edition (book/lang.js keeps the place)
 */
function navHtml(prev, next, other = null) {
  /** @type {(p: PageLink | null | undefined, rel: string, arrow: string) => string} */
  const link = (p, rel, arrow) => (p ? `<a rel="${rel}" href="${p.file}">${rel === 'prev' ? `${arrow} ` : ''}${escapeHtml(p.title)}${rel === 'next' ? ` ${arrow}` : ''}</a>` : '<span></span>');
  const edition = other ? EDITIONS[other.lang === 'zh' ? 'en' : 'zh'] : null;
  const switchLink = other && edition ? ` <a class="lang-switch" href="${escapeHtml(other.href)}" hreflang="${edition.otherLang}" lang="${edition.otherLang}">${edition.other}</a>` : '';
  return `<nav class="chapter-nav top">${link(prev, 'prev', '←')}<span class="middle"><a href="index.html" class="contents">Contents · 目录</a>${switchLink}</span>${link(next, 'next', '→')}</nav>`;
}

/**
 * Consecutive stream outputs of the same name shown as one block, as JupyterLab does.
 * @param {Output[]} outputs
 */
function mergeStreams(outputs) {
  /** @type {Output[]} */
  const merged = [];
  for (const o of outputs) {
    const prev = merged[merged.length - 1];
    if (o.output_type === 'stream' && prev && prev.output_type === 'stream' && prev.name === o.name) {
      merged[merged.length - 1] = { ...prev, text: textOf(prev.text) + textOf(o.text) };
    } else merged.push(o);
  }
  return merged;
}

/**
 * One chapter: returns { html, ctx }.
 * @param {Notebook} executed
 * @param {Libs} libs
 * @param {{ title: string, notebook: string, prev?: PageLink | null, next?: PageLink | null, inBook?: Set<string> | null,
 *   solutions?: Map<string, SolutionText>, lang?: Lang, assets?: string, other?: { href: string, lang: Lang } | null,
 *   widget?: { nb: string, src: string, bytes: number, scripts?: string } | null }} meta
 *   solutions: by exercise id (an exercise without one is an error); lang, assets, other: the edition (pageHtml, navHtml);
 *   widget: the notebook's live widget, src its bundle relative to the page (book-widgets.js)
 */
function renderChapter(executed, libs, meta) {
  const ctx = newContext();
  ctx.inBook = meta.inBook || null;
  const renderMarkdown = createRenderer(libs, ctx);
  const search = sectionCollector(meta.notebook.replace(/\.ipynb$/, '.html'), meta.title);
  /** @type {string[]} */
  const parts = [];
  let ordinal = 0;
  executed.cells.forEach((cell) => {
    const src = sourceOf(cell);
    // The cell's id (nbformat 4.5) on its section: the language switch lands on the same cell in the other edition.
    const cellId = typeof cell.id === 'string' && cell.id ? ` id="cell-${escapeHtml(cell.id)}"` : '';
    if (cell.cell_type === 'markdown') {
      const before = ctx.headings.length;
      parts.push(`<section class="cell markdown"${cellId}>${renderMarkdown(src, cell)}</section>`);
      search.cell(src, ctx.headings.slice(before));
    } else if (cell.cell_type === 'code') {
      ordinal++; // a top-to-bottom run numbers the cells in order (tslab leaves execution_count empty under nbclient)
      const n = cell.execution_count == null ? ordinal : cell.execution_count;
      const outputs = mergeStreams(cell.outputs || []).map((o) => renderOutput(o, ctx, renderMarkdown, ctx)).filter(Boolean);
      parts.push(`<section class="cell code"${cellId}><div class="input"><div class="prompt">[${n}]</div>` +
        `<pre class="source"><code class="language-typescript">${codeLinesHtml(src)}</code></pre></div>` +
        (outputs.length ? `<div class="outputs">${outputs.join('\n')}</div>` : '') + '</section>');
      if (isBookExport(cell)) {
        // The notebook's export for the book (#21): its live widget goes right after the cell.
        ctx.exportCell = true;
        if (meta.widget) parts.push(widgets.widgetSection(meta.widget.nb, meta.lang || 'en'));
        else ctx.warnings.push(`the book-export cell has no widget: no export in ${path.relative(c.ROOT, widgets.exportsDir())}/${meta.lang || 'en'}/ or no kernel-setup/book/widgets/ script (run \`npm run notebooks -- ${meta.notebook.slice(0, 2)}\`)`);
      }
      for (const { id, name } of exerciseCalls(src)) {
        const solution = meta.solutions && meta.solutions.get(id);
        if (!solution) throw new BookError(`${meta.notebook}: exercise ${id} has no solution in notebooks/solutions/`);
        parts.push(solutionHtml(solution, name, ctx, renderMarkdown));
      }
    } else if (src.trim()) {
      parts.push(`<section class="cell raw"><pre>${escapeHtml(src)}</pre></section>`);
    }
  });
  // The notebook itself (book.js copies it, without outputs, to notebooks/ in the book): for a reader who wants to run it.
  const open = `<p class="notebook-link">Open the notebook · 打开笔记本: <a href="notebooks/${encodeURIComponent(meta.notebook)}" download>${escapeHtml(meta.notebook)}</a>` +
    ' <span class="notebook-link-note">(run it in JupyterLab with <code>npm start</code>)</span></p>';
  const html = pageHtml({
    title: `${meta.title} — ${BOOK_TITLE}`,
    body: open + '\n' + parts.join('\n') + `\n<p class="source-note">Built from <code>${escapeHtml(meta.notebook)}</code> as executed by <code>npm run notebooks</code>.</p>`,
    hasFigures: ctx.figures > 0,
    nav: navHtml(meta.prev, meta.next, meta.other),
    lang: meta.lang, assets: meta.assets,
    scripts: meta.widget && ctx.exportCell ? widgets.widgetScripts(meta.widget.nb, meta.assets || 'assets/', meta.widget.src, meta.widget.scripts) : '',
  });
  return { html, ctx, searchDocs: search.docs };
}

/**
 * @param {(PageLink & { sections: Heading[] })[]} chapters
 * @param {string[]} missing
 * @param {{ lang?: Lang, assets?: string, other?: { href: string, lang: Lang } | null }} [edition]
 */
function indexHtml(chapters, missing, { lang = 'en', assets = 'assets/', other = null } = {}) {
  const e = EDITIONS[lang];
  const items = chapters.map((ch) => {
    const sections = ch.sections.length
      ? `<ul>${ch.sections.map((s) => `<li><a href="${ch.file}#${escapeHtml(s.id)}">${s.html}</a></li>`).join('')}</ul>` : '';
    return `<li><a href="${ch.file}">${escapeHtml(ch.title)}</a>${sections}</li>`;
  });
  for (const m of missing) items.push(`<li class="missing">${escapeHtml(m)} — ${e.missing}</li>`);
  const body = `<header class="book-title"><h1>${escapeHtml(e.title)}</h1><p class="subtitle">${escapeHtml(e.subtitle)}</p></header>
<p>${e.intro}</p>
<h2 id="contents">Contents · 目录</h2>
<ol class="toc">
${items.join('\n')}
</ol>`;
  return pageHtml({ title: e.title, body, hasFigures: false, nav: navHtml(null, chapters[0], other), lang, assets });
}

/**
 * @param {string} out
 * @param {string} [widgetScripts]   the widgets' scripts folder (default kernel-setup/book/widgets)
 */
function copyAssets(out, widgetScripts) {
  const assets = path.join(out, 'assets');
  fs.mkdirSync(path.join(assets, 'katex'), { recursive: true });
  const katexDist = path.dirname(require.resolve('katex/dist/katex.min.css', { paths: [c.ROOT] }));
  fs.copyFileSync(path.join(katexDist, 'katex.min.css'), path.join(assets, 'katex', 'katex.min.css'));
  fs.cpSync(path.join(katexDist, 'fonts'), path.join(assets, 'katex', 'fonts'), { recursive: true });
  const plotly = require.resolve('plotly.js-dist-min/plotly.min.js', { paths: [c.ROOT] });
  fs.copyFileSync(plotly, path.join(assets, 'plotly.min.js'));
  fs.writeFileSync(path.join(assets, 'book.css'), fs.readFileSync(path.join(ASSETS_SRC, 'book.css'), 'utf8') + SOLUTION_CSS);
  fs.copyFileSync(path.join(ASSETS_SRC, 'figures.js'), path.join(assets, 'figures.js'));
  fs.copyFileSync(path.join(ASSETS_SRC, 'lang.js'), path.join(assets, 'lang.js'));
  widgets.copyWidgetAssets(assets, widgetScripts);
}

/**
 * The source notebook into the book, without outputs or execution counts (committed notebooks have none; this makes sure).
 * @param {string} source
 * @param {string} to
 */
function copyNotebook(source, to) {
  const nb = JSON.parse(fs.readFileSync(source, 'utf8'));
  for (const cell of nb.cells || []) {
    if (cell.cell_type === 'code') { cell.outputs = []; cell.execution_count = null; }
  }
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, JSON.stringify(nb, null, 1) + '\n');
}

/**
 * @param {string} dir
 * @returns {number} bytes of every file below `dir`
 */
function dirSize(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return n;
}

/** @returns {Promise<Libs>} */
async function loadLibs() {
  const { Marked } = await import('marked');
  /** @type {Katex} */
  // @ts-expect-error katex declares its types through package.json "exports", which moduleResolution "node" does not read
  const katex = require('katex');
  return { Marked, katex };
}

/**
 * Check which executed copies are usable. Returns { ready: [{source, executed}], missing: [msg], stale: [names] }.
 * @param {string[]} sources
 * @param {string} executedDir
 */
function planBook(sources, executedDir) {
  /** @type {{ source: string, name: string, executed: Notebook }[]} */
  const ready = [];
  /** @type {string[]} */
  const missing = [];
  /** @type {string[]} */
  const toRun = [];
  for (const source of sources) {
    const base = path.basename(source);
    const name = path.basename(source, '.ipynb');
    const file = path.join(executedDir, base);
    if (!fs.existsSync(file)) { missing.push(`${name}: no executed copy ${path.relative(c.ROOT, file)}`); toRun.push(name); continue; }
    const src = readNotebook(source);
    const executed = readNotebook(file);
    const a = src.cells.map(sourceOf);
    const b = executed.cells.map(sourceOf);
    if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
      missing.push(`${name}: ${path.relative(c.ROOT, file)} was executed from an older version of the notebook`);
      toRun.push(name);
      continue;
    }
    ready.push({ source, name, executed });
  }
  return { ready, missing, toRun };
}

/**
 * Check one edition's notebooks before anything is written: executed, current, without errors, every exercise solved.
 * Returns the plan and the warnings; throws BookError with the reasons.
 * @param {{ sources: string[], executedDir: string, allowMissing?: boolean, allowErrors?: boolean }} edition
 * @param {(source: string) => string} solutionsDir
 * @param {(dir: string) => { solutions: Map<string, SolutionText>, problems: string[] }} solutionsIn
 * @param {string} label   '' for the English book, 'zh: ' for the Chinese one (in messages)
 */
function checkEdition(edition, solutionsDir, solutionsIn, label) {
  const plan = planBook(edition.sources, edition.executedDir);
  if (plan.missing.length && !edition.allowMissing) {
    const zh = label ? ' --lang zh' : '';
    throw new BookError(`${label}${plan.missing.length} notebook(s) are not executed (or changed since):\n  ${plan.missing.join('\n  ')}\n` +
      `Run \`npm run notebooks --${zh} ${plan.toRun.join(' ')}\` first, or \`npm run book -- --execute\` to do it now ` +
      '(--allow-missing builds the book without them).');
  }
  /** @type {string[]} */
  const problems = [];
  for (const r of plan.ready) {
    for (const p of executionProblems(r.executed)) problems.push(`${label}${r.name}: ${p}`);
  }
  if (problems.length && !edition.allowErrors) {
    throw new BookError(`the executed notebooks have errors, so the book would show them:\n  ${problems.join('\n  ')}\n` +
      'Fix the notebook and run it again with `npm run notebooks -- NN` (or pass --allow-errors).');
  }
  // Every exercise gets its tested solution, collapsed: one missing (or unreadable) stops the build, whatever the flags.
  /** @type {string[]} */
  const unsolved = [];
  for (const r of plan.ready) {
    const dir = solutionsDir(r.source);
    const { solutions, problems: unreadable } = solutionsIn(dir);
    const missing = missingSolutions(r.executed, r.name, solutions, dir.startsWith(c.ROOT) ? path.relative(c.ROOT, dir) : dir);
    if (missing.length) unsolved.push(...unreadable, ...missing);
  }
  if (unsolved.length) {
    throw new BookError(`exercises without a solution the book can show (each exercise needs a collapsed solution):\n  ${[...new Set(unsolved)].join('\n  ')}`);
  }
  return { plan, problems };
}

/**
 * Write one edition's chapters, contents page and search index into `dir` (the shared assets are at `assets`,
 * relative to a page). `other(name)` is the same page in the other edition, or null. Returns the manifest's pages
 * (files relative to `dir`), the chapters, and the warnings.
 * @param {ReturnType<typeof planBook>} plan
 * @param {{ dir: string, lang: Lang, assets: string, libs: Libs, other: (file: string) => string | null,
 *   solutionsOf: (source: string) => Map<string, SolutionText>, missing: string[], widgetDirs?: WidgetDirs }} edition
 */
function writeEdition(plan, { dir, lang, assets, libs, other, solutionsOf, missing, widgetDirs = {} }) {
  const otherLang = lang === 'en' ? 'zh' : 'en';
  const switchTo = (/** @type {string} */ file) => { const href = other(file); return href ? { href, lang: /** @type {Lang} */ (otherLang) } : null; };
  fs.mkdirSync(dir, { recursive: true });
  const chapters = plan.ready.map((r) => ({
    name: r.name, file: `${r.name}.html`, notebook: `${r.name}.ipynb`, title: chapterTitle(r.executed, r.name), executed: r.executed, source: r.source,
    /** @type {Heading[]} */ sections: [],
  }));
  const inBook = new Set(chapters.map((ch) => ch.name));
  const pages = [];
  /** @type {import('./book-search').SearchDoc[]} */
  const searchDocs = [];
  /** @type {string[]} */
  const warnings = [];
  const tag = lang === 'en' ? '' : `${lang}/`;
  for (let i = 0; i < chapters.length; i++) {
    const t1 = Date.now();
    const ch = /** @type {typeof chapters[number]} */ (chapters[i]);
    // The notebook's live widget (#21): its export as one script in the book's models/ folder (next to assets/).
    const bundle = ch.executed.cells.some(isBookExport)
      ? widgets.writeWidgetBundle(path.resolve(dir, assets, '..'), lang, ch.name, widgetDirs.exports, widgetDirs.scripts) : null;
    const widget = bundle ? { nb: ch.name, src: `${assets.replace(/assets\/$/, '')}${bundle.file}`, bytes: bundle.bytes, scripts: widgetDirs.scripts } : null;
    const { html, ctx, searchDocs: sections } = renderChapter(ch.executed, libs, {
      title: ch.title, notebook: ch.notebook, prev: chapters[i - 1], next: chapters[i + 1], inBook, solutions: solutionsOf(ch.source),
      lang, assets, other: switchTo(ch.file), widget,
    });
    fs.writeFileSync(path.join(dir, ch.file), html);
    copyNotebook(ch.source, path.join(dir, 'notebooks', ch.notebook));
    searchDocs.push(...sections);
    for (const f of ctx.files) {
      const from = path.join(path.dirname(ch.source), f);
      const to = path.join(dir, f);
      if (fs.existsSync(from) && path.resolve(to).startsWith(path.resolve(dir))) { fs.mkdirSync(path.dirname(to), { recursive: true }); fs.copyFileSync(from, to); } else warnings.push(`${tag}${ch.name}: image ${f} not found next to the notebook`);
    }
    for (const l of new Set(ctx.links)) if (!inBook.has(l)) warnings.push(`${tag}${ch.name} links to ${l}.ipynb, which is not in this book (shown as plain text)`);
    for (const e of ctx.mathErrors) warnings.push(`${tag}${ch.name}: KaTeX cannot render ${e}`);
    for (const w of ctx.warnings) warnings.push(`${tag}${ch.name}: ${w}`);
    ch.sections = ctx.headings.filter((h) => h.depth === 2);
    const cells = ch.executed.cells.length;
    pages.push({
      file: ch.file, notebook: ch.notebook, title: ch.title, cells, figures: ctx.figures, math: ctx.math, mathErrors: ctx.mathErrors.length, mermaid: ctx.mermaid,
      exercises: ctx.exercises, lang, exportCell: Boolean(ctx.exportCell), widget: widget ? widget.nb : null,
    });
    say(`${tag}${ch.file}: ${cells} cells, ${ctx.figures} figure(s), ${ctx.math} formula(s)${ctx.mermaid ? `, ${ctx.mermaid} mermaid diagram(s) as source` : ''}` +
      `${ctx.exercises.length ? `, ${ctx.exercises.length} exercise(s) with a collapsed solution` : ''}` +
      `${widget ? `, a live widget (models and data ${(widget.bytes / 1e6).toFixed(2)} MB)` : ''} — ${Date.now() - t1} ms`);
  }
  fs.writeFileSync(path.join(dir, 'index.html'), indexHtml(chapters, missing, { lang, assets, other: switchTo('index.html') }));
  const assetsDir = path.resolve(dir, assets);
  writeSearchAssets(assetsDir, searchDocs, c.ROOT, lang === 'en' ? 'search-index.js' : `search-index-${lang}.js`);
  const contents = { file: 'index.html', title: lang === 'en' ? 'Contents' : '目录', figures: 0, math: 0, mathErrors: 0, mermaid: 0, exercises: [], lang };
  return { pages: [contents, ...pages], chapters, warnings };
}

/**
 * Build the book. options: { sources (notebook paths in reading order), executedDir, out,
 * allowMissing, allowErrors, solutionsDir, zh }. Returns the manifest; throws BookError with the reasons.
 * @param {{ sources: string[], executedDir: string, out: string, allowMissing?: boolean, allowErrors?: boolean, solutionsDir?: string, pdf?: boolean,
 *   zh?: { sources: string[], executedDir: string } | null, widgets?: WidgetDirs }} options
 *   solutionsDir: where the exercises' solutions are (default: solutions/ next to each source notebook); pdf: also print
 *   the whole book to book.pdf with Chromium; zh: the Chinese edition's generated notebooks (notebooks/zh/, from
 *   kernel-setup/i18n.js) and their executed copies — its pages go to zh/ in `out`, every page of both editions with a
 *   language switch to the same page (and cell) of the other; their solutions are the English ones (same code)
 */
async function buildBook(options) {
  const t0 = Date.now();
  const { out } = options;
  /** @type {Map<string, { solutions: Map<string, SolutionText>, problems: string[] }>} */
  const byDir = new Map();
  const solutionsIn = (/** @type {string} */ dir) => {
    if (!byDir.has(dir)) byDir.set(dir, readSolutions(dir));
    return /** @type {{ solutions: Map<string, SolutionText>, problems: string[] }} */ (byDir.get(dir));
  };
  const enSolutions = (/** @type {string} */ source) => options.solutionsDir || path.join(path.dirname(source), 'solutions');
  const en = checkEdition({ ...options }, enSolutions, solutionsIn, '');
  // The Chinese notebooks run the English code: their exercises' solutions are the English solutions.
  const zhSolutions = (/** @type {string} */ source) => options.solutionsDir || path.join(path.dirname(source), '..', 'solutions');
  const zh = options.zh && options.zh.sources.length
    ? checkEdition({ ...options, ...options.zh }, zhSolutions, solutionsIn, 'zh: ') : null;
  const libs = await loadLibs();
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  copyAssets(out, options.widgets && options.widgets.scripts);
  const zhFiles = new Set(zh ? ['index.html', ...zh.plan.ready.map((r) => `${r.name}.html`)] : []);
  const enFiles = new Set(['index.html', ...en.plan.ready.map((r) => `${r.name}.html`)]);
  const english = writeEdition(en.plan, {
    dir: out, lang: 'en', assets: 'assets/', libs, other: (file) => (zhFiles.has(file) ? `zh/${file}` : null),
    solutionsOf: (source) => solutionsIn(enSolutions(source)).solutions, missing: options.allowMissing ? en.plan.missing : [], widgetDirs: options.widgets || {},
  });
  const chinese = zh ? writeEdition(zh.plan, {
    dir: path.join(out, 'zh'), lang: 'zh', assets: '../assets/', libs, other: (file) => (enFiles.has(file) ? `../${file}` : null),
    solutionsOf: (source) => solutionsIn(zhSolutions(source)).solutions, missing: options.allowMissing ? zh.plan.missing : [], widgetDirs: options.widgets || {},
  }) : null;
  const warnings = [...en.problems, ...english.warnings, ...(zh ? zh.problems : []), ...(chinese ? chinese.warnings : [])];
  const manifest = {
    title: BOOK_TITLE, built: new Date().toISOString(), index: 'index.html',
    pages: [...english.pages, ...(chinese ? chinese.pages.map((p) => ({ ...p, file: `zh/${p.file}` })) : [])],
    missing: [...en.plan.missing, ...(zh ? zh.plan.missing.map((m) => `zh: ${m}`) : [])], warnings,
  };
  if (options.pdf) {
    // The whole book as one PDF (book-pdf.js): Chromium prints a page of every chapter in order.
    const { printBook } = require('./book-pdf');
    const chapters = english.chapters;
    const printed = await printBook(out, chapters.map((ch) => ({ file: ch.file, title: ch.title })));
    /** @type {any} */ (manifest).pdf = { file: path.basename(printed.file), bytes: printed.bytes, pages: printed.pages, chapters: chapters.length };
    say(`book.pdf: ${printed.pages} page(s), ${(printed.bytes / 1e6).toFixed(1)} MB, ${chapters.length} chapter(s) — ${printed.seconds.toFixed(1)} s`);
  }
  fs.writeFileSync(path.join(out, 'book.json'), JSON.stringify(manifest, null, 2));
  for (const w of warnings) say(`warning: ${w}`);
  const chapterPages = manifest.pages.filter((p) => !p.file.endsWith('index.html'));
  const figures = chapterPages.reduce((n, p) => n + p.figures, 0);
  const math = chapterPages.reduce((n, p) => n + p.math, 0);
  const solved = chapterPages.reduce((n, p) => n + p.exercises.length, 0);
  const seconds = (Date.now() - t0) / 1000;
  const editions = chinese ? ` (English ${english.pages.length - 1}, 中文 ${chinese.pages.length - 1} in zh/)` : '';
  say(`book: ${manifest.pages.length} pages (${chapterPages.length} chapters${editions} + ${manifest.pages.length - chapterPages.length === 1 ? 'a contents page' : `${manifest.pages.length - chapterPages.length} contents pages`}) in ${out.startsWith(c.ROOT) ? path.relative(c.ROOT, out) : out}/ — ${figures} figure(s), ` +
    `${math} formula(s), ${solved} collapsed solution(s), ${(dirSize(out) / 1e6).toFixed(1)} MB with assets — ${seconds.toFixed(1)} s`);
  return { ...manifest, seconds };
}

/**
 * The Chinese edition's notebooks: notebooks/zh/NN-name.ipynb for each English notebook that has one (generated by
 * `npm run zh`), in reading order.
 * @param {string[]} sources   the English notebooks
 */
function chineseSources(sources) {
  return sources.map((s) => path.join(path.dirname(s), 'zh', path.basename(s))).filter((s) => fs.existsSync(s));
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const opts = { execute: false, allowMissing: false, allowErrors: false, pdf: false, out: path.join(c.ROOT, 'build', 'book'), executedDir: path.join(c.ROOT, 'build', 'notebooks'),
    /** @type {Lang[]} */ langs: ['en', 'zh'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--execute') opts.execute = true;
    else if (a === '--allow-missing') opts.allowMissing = true;
    else if (a === '--allow-errors') opts.allowErrors = true;
    else if (a === '--pdf') opts.pdf = true;
    else if (a === '--out') opts.out = path.resolve(argv[++i] || '');
    else if (a === '--executed') opts.executedDir = path.resolve(argv[++i] || '');
    else if (a === '--lang') {
      const v = argv[++i] || '';
      if (v !== 'en' && v !== 'en,zh' && v !== 'zh,en') throw new BookError(`--lang ${v}: use --lang en (the English book only) or --lang en,zh (both, the default)`);
      opts.langs = v === 'en' ? ['en'] : ['en', 'zh'];
    } else throw new BookError(`unknown option ${a} (use --execute, --allow-missing, --allow-errors, --pdf, --lang en, --out DIR, --executed DIR)`);
  }
  return opts;
}

/**
 * @param {string[]} argv
 * @returns {Promise<number>} the exit status
 */
async function main(argv) {
  let opts;
  try { opts = parseArgs(argv); } catch (e) { console.error(`[book] ${e instanceof Error ? e.message : String(e)}`); return 2; }
  const sources = c.listNotebooks();
  if (opts.execute) {
    const { toRun } = planBook(sources, opts.executedDir);
    if (toRun.length) {
      say(`executing ${toRun.join(', ')} first (npm run notebooks -- ${toRun.join(' ')})`);
      c.run(process.execPath, [path.join(__dirname, 'notebooks.js'), ...toRun]);
    }
  }
  // The Chinese edition, when its notebooks were generated (`npm run zh`, also done by `npm start`); executed copies in
  // build/notebooks/zh/.
  const zhSources = opts.langs.includes('zh') ? chineseSources(sources) : [];
  if (opts.langs.includes('zh') && !zhSources.length) say('no Chinese notebooks in notebooks/zh/ (`npm run zh` generates them): the English book only');
  try {
    await buildBook({ sources, ...opts, zh: zhSources.length ? { sources: zhSources, executedDir: path.join(opts.executedDir, 'zh') } : null });
    return 0;
  } catch (e) {
    if (!(e instanceof BookError)) throw e;
    console.error(`[book] ✘ ${e.message}`);
    return 1;
  }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));

module.exports = {
  removeMath, mathSource, rewriteNotebookLinks, createRenderer, newContext, renderChapter, renderOutput, executionProblems,
  missingSolutions, planBook, buildBook, loadLibs, scriptJson, BookError, BOOK_TITLE, describeFigure, figureDataTable, codeLinesHtml, copyNotebook,
  chineseSources, navHtml,
};
