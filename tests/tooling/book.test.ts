// The HTML book: math found as JupyterLab finds it and rendered by KaTeX, notebook links rewritten,
// figures as a div + Plotly.newPlot script with one shared plotly.js, errors in executed notebooks
// refused. Fast (no browser): the Chromium checks are `node kernel-setup/book-test.js --self-test`.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const book = require('../../kernel-setup/book') as {
  removeMath(text: string): { text: string; math: Array<{ raw: string; math: boolean }> };
  mathSource(raw: string): { tex: string; display: boolean };
  rewriteNotebookLinks(html: string, links?: string[], inBook?: Set<string> | null): string;
  executionProblems(nb: unknown): string[];
  scriptJson(value: unknown): string;
};
const ROOT = path.resolve(__dirname, '..', '..');

test('math is split out like JupyterLab does, leaving code spans and fences alone', () => {
  const r = book.removeMath('Loss $L = -\\sum_i y_i \\log p_i$ and `${name}` and\n\n$$\na^2 + b^2\n$$\n\n```ts\nconst s = `$${x}`;\n```');
  expect(r.math.map((m) => m.raw)).toEqual(['$L = -\\sum_i y_i \\log p_i$', '$$\na^2 + b^2\n$$']);
  expect(r.text).toBe('Loss @@0@@ and `${name}` and\n\n@@1@@\n\n```ts\nconst s = `$${x}`;\n```');
  expect(book.mathSource('$$\na^2\n$$')).toEqual({ tex: '\na^2\n', display: true });
  expect(book.mathSource('$x$')).toEqual({ tex: 'x', display: false });
  expect(book.mathSource('\\begin{aligned}a&=b\\end{aligned}')).toEqual({ tex: '\\begin{aligned}a&=b\\end{aligned}', display: true });
  // A lone dollar (a price) is not math.
  expect(book.removeMath('costs $5 per hour').math).toEqual([]);
});

test('links to course notebooks point to their pages', () => {
  const links: string[] = [];
  expect(book.rewriteNotebookLinks('<a href="01-concepts-pipeline.ipynb">next</a> <a href="./03-optimizers.ipynb#Adam">Adam</a> <a href="https://x.org/a.ipynb">ext</a>', links))
    .toBe('<a href="01-concepts-pipeline.html">next</a> <a href="03-optimizers.html#Adam">Adam</a> <a href="https://x.org/a.ipynb">ext</a>');
  expect(links).toEqual(['01-concepts-pipeline', '03-optimizers']);
  // A chapter not in the book (not written yet) is plain text, not a broken link.
  expect(book.rewriteNotebookLinks('see <a href="09-challenges.ipynb">09</a>', [], new Set(['00-start-here'])))
    .toBe('see <span class="chapter-missing" title="09-challenges is not in this book yet">09</span>');
});

test('figure JSON cannot close its script tag', () => {
  expect(book.scriptJson({ t: '</script><script>alert(1)</script>' })).not.toContain('</script>');
  expect(JSON.parse(book.scriptJson({ t: '</script>&\u2028' }))).toEqual({ t: '</script>&\u2028' });
});

test('an executed notebook with an error output or stderr is refused for the book', () => {
  const nb = {
    cells: [
      { cell_type: 'code', source: 'console.log(1)', outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] },
      { cell_type: 'code', source: 'throw new Error("x");', outputs: [{ output_type: 'stream', name: 'stderr', text: '\u001b[31mError: x\u001b[0m\n' }] },
      { cell_type: 'code', source: 'f()', outputs: [{ output_type: 'error', ename: 'TypeError', evalue: 'f is not a function', traceback: [] }] },
    ],
  };
  expect(book.executionProblems(nb)).toEqual([
    'cell 2 (`throw new Error("x");`) wrote to stderr: Error: x',
    'cell 3 (`f()`) raised TypeError: f is not a function',
  ]);
});

test('a small book: TOC, prev/next, KaTeX, figures with one shared plotly.js, mermaid as source, no network', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-'));
  try {
    const src = path.join(dir, 'src');
    const exe = path.join(dir, 'executed');
    fs.mkdirSync(src);
    fs.mkdirSync(exe);
    const fig = { data: [{ type: 'bar', x: ['a'], y: [1] }], layout: { title: { text: '</script>' } } };
    const chapters = [
      { name: '00-first', cells: [
        { cell_type: 'markdown', source: '# 00 · First\n\n## Section one\n\nSee $E = mc^2$ and [the next chapter](01-second.ipynb).\n\n```mermaid\ngraph LR; A-->B\n```' },
        { cell_type: 'code', execution_count: null, source: 'show(f)', outputs: [
          { output_type: 'stream', name: 'stdout', text: 'a\n' }, { output_type: 'stream', name: 'stdout', text: 'b\n' },
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.plotly.v1+json': fig, 'text/plain': 'fig' } },
          { output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0KGgo=' } },
          { output_type: 'execute_result', metadata: {}, execution_count: null, data: { 'text/markdown': 'rendered $x^2$' } },
        ] },
      ] },
      { name: '01-second', cells: [{ cell_type: 'markdown', source: '# 01 · Second\n\n$$\\int_0^1 x\\,dx = \\tfrac12$$' }] },
    ];
    for (const ch of chapters) {
      const nb = { cells: ch.cells, metadata: {}, nbformat: 4, nbformat_minor: 5 };
      fs.writeFileSync(path.join(exe, `${ch.name}.ipynb`), JSON.stringify(nb));
      fs.writeFileSync(path.join(src, `${ch.name}.ipynb`), JSON.stringify({ ...nb, cells: ch.cells.map((c) => ({ ...c, outputs: [] })) }));
    }
    const script = `require(${JSON.stringify(path.join(ROOT, 'kernel-setup', 'book.js'))}).buildBook({ sources: ${JSON.stringify(chapters.map((ch) => path.join(src, `${ch.name}.ipynb`)))}, ` +
      `executedDir: ${JSON.stringify(exe)}, out: ${JSON.stringify(path.join(dir, 'book'))} }).then((m) => console.log('MANIFEST' + JSON.stringify(m)), (e) => { console.error(e.message); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const manifest = JSON.parse(r.stdout.split('MANIFEST')[1]);
    expect(manifest.pages.map((p: { file: string; figures: number; math: number }) => [p.file, p.figures, p.math]))
      .toEqual([['index.html', 0, 0], ['00-first.html', 1, 2], ['01-second.html', 0, 1]]);
    const out = path.join(dir, 'book');
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('<a href="00-first.html">00 · First</a><ul><li><a href="00-first.html#Section-one">Section one</a></li></ul>');
    expect(index.indexOf('00-first.html')).toBeLessThan(index.indexOf('01-second.html'));
    const first = fs.readFileSync(path.join(out, '00-first.html'), 'utf8');
    const second = fs.readFileSync(path.join(out, '01-second.html'), 'utf8');
    expect(first).toContain('<a rel="next" href="01-second.html">01 · Second →</a>');
    expect(second).toContain('<a rel="prev" href="00-first.html">← 00 · First</a>');
    expect(first).toContain('href="01-second.html"');
    expect(first).not.toContain('.ipynb"');
    expect((first.match(/class="katex"/g) || []).length).toBe(2);
    expect(second).toContain('class="katex-display"');
    expect(first).toContain('<script src="assets/plotly.min.js"></script>');
    expect(second).not.toContain('plotly.min.js');
    expect(first).toMatch(/<div class="output figure" id="figure-1"><\/div>\n<script>courseFigure\("figure-1", \{"data":\[\{"type":"bar"/);
    expect(first).not.toContain('"</script>"');
    expect(first).toContain('<pre class="output stream stdout">a\nb\n</pre>');
    expect(first).toContain('<img src="data:image/png;base64,iVBORw0KGgo="');
    expect(first).toContain('<pre class="mermaid">graph LR; A--&gt;B</pre>');
    // Everything local: no http(s) URL is loaded by any page.
    for (const html of [index, first, second]) expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(fs.existsSync(path.join(out, 'assets', 'plotly.min.js'))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'assets', 'katex', 'fonts')).some((f) => f.endsWith('.woff2'))).toBe(true);
    const css = fs.readFileSync(path.join(out, 'assets', 'katex', 'katex.min.css'), 'utf8');
    for (const font of css.match(/url\(fonts\/[^)]+\)/g) || []) expect(fs.existsSync(path.join(out, 'assets', 'katex', font.slice(4, -1)))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing or stale executed notebook stops the build with the command to run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-'));
  try {
    const srcFile = path.join(dir, '05-x.ipynb');
    fs.writeFileSync(srcFile, JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: 'a', outputs: [] }], metadata: {} }));
    fs.mkdirSync(path.join(dir, 'exe'));
    const script = `require(${JSON.stringify(path.join(ROOT, 'kernel-setup', 'book.js'))}).buildBook({ sources: [${JSON.stringify(srcFile)}], executedDir: ${JSON.stringify(path.join(dir, 'exe'))}, out: ${JSON.stringify(path.join(dir, 'out'))} }).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
    let r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/05-x: no executed copy .*\nRun `npm run notebooks -- 05-x` first/);
    fs.writeFileSync(path.join(dir, 'exe', '05-x.ipynb'), JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: 'b', outputs: [] }], metadata: {} }));
    r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/05-x: .* was executed from an older version of the notebook/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
