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
  describeFigure(fig: unknown): string;
  figureDataTable(fig: unknown): string;
  codeLinesHtml(src: string): string;
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

test('a figure\'s text alternative: title, axis titles, each trace\'s type, name and points; a small figure\'s data as a table', () => {
  const fig = {
    data: [{ type: 'scatter', mode: 'lines+markers', name: 'train', x: [1, 2, 3], y: [0.5, 0.25, 0.125] }, { type: 'bar', name: '<b>val</b>', y: [2, 1] }],
    layout: { title: { text: 'Loss<br>per epoch' }, xaxis: { title: { text: 'epoch' } }, yaxis: { title: 'loss' } },
  };
  expect(book.describeFigure(fig)).toBe('Figure: Loss per epoch. x axis: epoch; y axis: loss. 2 traces: scatter (lines and markers) "train", 3 points; bar "val", 2 points.');
  expect(book.describeFigure({ data: [{ type: 'heatmap', z: [[1, 2, 3], [4, 5, 6]] }], layout: {} })).toBe('Figure: untitled. 1 trace: heatmap, a 2×3 grid.');
  expect(book.describeFigure('not a figure')).toBe('A figure whose data could not be read.');
  const table = book.figureDataTable(fig);
  expect(table).toMatch(/^<details class="figure-data"><summary>/);
  expect(table).toContain('<tr><td>train</td><td>3</td><td>0.125</td></tr>');
  expect(table).toContain('<tr><td>val</td><td>1</td><td>1</td></tr>'); // no x: the index
  // Many points, or a grid: no table (the description stands alone).
  expect(book.figureDataTable({ data: [{ type: 'scatter', x: Array.from({ length: 100 }, (_, i) => i), y: Array.from({ length: 100 }, (_, i) => i) }] })).toBe('');
  expect(book.figureDataTable({ data: [{ type: 'heatmap', z: [[1]] }] })).toBe('');
});

test('source code is one block per line (a hanging indent past the line\'s own indentation); the text is unchanged', () => {
  const html = book.codeLinesHtml('if (a < b) {\n  f();\n\n}');
  expect(html).toBe('<span class="line">if (a &lt; b) {\n</span><span class="line" style="--i:2">  f();\n</span><span class="line">\n</span><span class="line">}</span>');
  expect(html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<')).toBe('if (a < b) {\n  f();\n\n}');
});

describe('the PDF of the book', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const pdf = require('../../kernel-setup/book-pdf') as {
    printHtml(out: string, chapters: Array<{ file: string; title: string }>): string;
    pdfPageCount(buf: Buffer): number;
  };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const bookTest = require('../../kernel-setup/book-test') as { checkPdf(root: string): { ok: boolean; failures: string[] } };

  test('the print page: a contents page, then every chapter in order, each figure id its chapter\'s own', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-pdf-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.html'), '<main><header class="book-title"><h1>T</h1></header></main>');
      const page = (n: string) => `<html><nav>nav</nav><main><h1>${n}</h1><figure class="plot" aria-labelledby="figure-1-description"><div class="output figure" id="figure-1"></div>` +
        `<script>courseFigure("figure-1", {});</script><figcaption id="figure-1-description">d</figcaption></figure></main></html>`;
      fs.writeFileSync(path.join(dir, '01-a.html'), page('A'));
      fs.writeFileSync(path.join(dir, '02-b.html'), page('B'));
      const html = pdf.printHtml(dir, [{ file: '01-a.html', title: '01 · A' }, { file: '02-b.html', title: '02 · B <x>' }]);
      expect(html).toContain('<ol class="print-toc">\n<li><a href="#01-a">01 · A</a></li>\n<li><a href="#02-b">02 · B &lt;x></a></li>\n</ol>');
      expect(html.indexOf('<section class="print-chapter" id="01-a">')).toBeLessThan(html.indexOf('<section class="print-chapter" id="02-b">'));
      expect(html).toContain('courseFigure("01-a-figure-1", {})');
      expect(html).toContain('<div class="output figure" id="02-b-figure-1">');
      expect(html).toContain('aria-labelledby="02-b-figure-1-description"');
      expect(html).not.toContain('<nav>');
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pages are counted as /Type /Page objects (not /Pages); the check wants a PDF with a page per chapter', () => {
    expect(pdf.pdfPageCount(Buffer.from('%PDF-1.4\n<< /Type /Pages /Count 2 >>\n<</Type/Page>>\n<< /Type /Page /Parent 1 0 R >>'))).toBe(2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-pdf-'));
    try {
      fs.writeFileSync(path.join(dir, 'book.json'), JSON.stringify({ pages: [{ file: 'index.html' }, { file: '01-a.html' }, { file: '02-b.html' }] }));
      expect(bookTest.checkPdf(dir).failures.join()).toMatch(/no book\.pdf in the book/);
      fs.writeFileSync(path.join(dir, 'book.pdf'), '%PDF-1.4\n<< /Type /Page >>\n');
      expect(bookTest.checkPdf(dir).failures).toEqual(['1 page(s) for 2 chapter(s): a chapter is missing']);
      fs.writeFileSync(path.join(dir, 'book.pdf'), '%PDF-1.4\n<< /Type /Page >>\n<< /Type /Page >>\n');
      expect(bookTest.checkPdf(dir).ok).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
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
    expect(first).not.toMatch(/href="(?!notebooks\/)[^"]*\.ipynb"/); // only the link to the page's own notebook file
    expect((first.match(/class="katex"/g) || []).length).toBe(2);
    expect(second).toContain('class="katex-display"');
    expect(first).toContain('<script src="assets/plotly.min.js"></script>');
    expect(second).not.toContain('plotly.min.js');
    expect(first).toMatch(/<div class="output figure" id="figure-1"><\/div>\n<script>courseFigure\("figure-1", \{"data":\[\{"type":"bar"/);
    expect(first).not.toContain('"</script>"');
    // Each figure is a <figure> labelled by its description; a figure of one point also carries its data.
    expect(first).toContain('<figure class="plot" aria-labelledby="figure-1-description">');
    expect(first).toContain('<figcaption class="figure-description visually-hidden" id="figure-1-description">Figure: untitled. 1 trace: bar, 1 point.</figcaption>'); // markup in a title is dropped
    expect(first).toContain('<details class="figure-data">');
    // Each chapter links to its notebook, copied into the book without outputs.
    expect(first).toContain('Open the notebook · 打开笔记本: <a href="notebooks/00-first.ipynb" download>00-first.ipynb</a>');
    const copied = JSON.parse(fs.readFileSync(path.join(dir, 'book', 'notebooks', '00-first.ipynb'), 'utf8'));
    expect(copied.cells.map((c: { source: string }) => c.source)).toEqual(chapters[0]!.cells.map((c) => c.source));
    expect(copied.cells[1].outputs).toEqual([]);
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

// ───────────────────────── exercises: a collapsed, tested solution after each one ─────────────────────────

interface SolutionText { id: string; file: string; answer: string; wrong: string[]; explanation: string; helpers: string[] }
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sol = require('../../kernel-setup/book-solutions') as {
  readSolutions(dir: string): { solutions: Map<string, SolutionText>; problems: string[] };
  readSolutionFile(file: string): { solutions: SolutionText[]; problems: string[] };
  solutionCode(s: SolutionText, name?: string): string;
  exerciseCalls(code: string): Array<{ id: string; name: string | null }>;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nbFormat = require('../../kernel-setup/nb-format') as {
  readNotebook(file: string): { cells: Array<{ cell_type: string; source: string | string[] }> };
  sourceOf(cell: { source: string | string[] }): string;
};
const NOTEBOOKS = path.join(ROOT, 'notebooks');
const SOLUTIONS = path.join(NOTEBOOKS, 'solutions');

test('every exercise checked in a course notebook has a solution the book can show: code and an explanation', () => {
  const { solutions, problems } = sol.readSolutions(SOLUTIONS);
  expect(problems).toEqual([]);
  const ids: string[] = [];
  for (const file of fs.readdirSync(NOTEBOOKS).filter((f) => /^\d\d-.*\.ipynb$/.test(f))) {
    for (const cell of nbFormat.readNotebook(path.join(NOTEBOOKS, file)).cells) {
      if (cell.cell_type === 'code') ids.push(...sol.exerciseCalls(nbFormat.sourceOf(cell)).map((c) => c.id));
    }
  }
  expect(ids.length).toBeGreaterThanOrEqual(40);
  for (const id of ids) {
    const s = solutions.get(id);
    expect([id, !!s]).toEqual([id, true]);
    expect(s!.answer.trim()).not.toBe('');
    expect(s!.explanation.length).toBeGreaterThan(20);
    expect(s!.wrong.length).toBeGreaterThan(0);
  }
});

test('solution code: the imports and helpers the answer uses (transitively), then the answer under the stub\'s name', () => {
  const { solutions } = sol.readSolutions(SOLUTIONS);
  expect(sol.solutionCode(solutions.get('01.1')!, 'majorityAccuracy')).toBe("const majorityAccuracy = 0.7;\ncheckExercise('01.1', majorityAccuracy);");
  expect(solutions.get('01.1')!.wrong).toEqual(['0.3', '0.5', '70']);
  const split = sol.solutionCode(solutions.get('01.3')!, 'myStratifiedHoldout');
  expect(split.startsWith("import { mulberry32, shuffle } from 'ai-course';\n\nconst split = (labels: number[], count: number, seed: number, stratify = true): number[] => {\n  const rand = mulberry32(seed);")).toBe(true);
  expect(split).not.toContain('const standardize'); // another exercise's helper
  expect(split.endsWith("const myStratifiedHoldout = (labels: number[], count: number, seed: number): number[] => split(labels, count, seed);\ncheckExercise('01.3', myStratifiedHoldout);")).toBe(true);
  // Multi-line answers keep their shape, moved to the margin.
  expect(sol.solutionCode(solutions.get('02.2')!)).toContain('const answer = (z: number[]): number[][] => {\n  const p = softmax(z);\n  return p.map(');
  expect(sol.exerciseCalls("const x = 1;\ncheckExercise('03.2', x);\ncheckExercise( \"04.1\" , [1, 2]);")).toEqual([{ id: '03.2', name: 'x' }, { id: '04.1', name: null }]);
});

test('the solution code the book shows type-checks on its own (strict, against src/): no helper is left out', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ts = require('typescript') as typeof import('typescript');
  const { solutions } = sol.readSolutions(SOLUTIONS);
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, ROOT);
  const files = new Map<string, string>();
  for (const s of solutions.values()) files.set(path.join(NOTEBOOKS, `__book_solution_${s.id}.ts`), `import { checkExercise } from 'ai-course';\n${sol.solutionCode(s)}\nexport {};\n`);
  // The check can fail: the same code without its helper does not compile.
  const broken = path.join(NOTEBOOKS, '__book_solution_broken.ts');
  files.set(broken, `import { checkExercise } from 'ai-course';\n${sol.solutionCode({ ...solutions.get('01.3')!, helpers: [] })}\nexport {};\n`);
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, v, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, v) : getSourceFile(f, v, ...rest));
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  const program = ts.createProgram([...files.keys()], { ...parsed.options, noEmit: true }, host);
  const errors = (file: string) => ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => `${path.basename(file)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  expect([...files.keys()].filter((f) => f !== broken).flatMap(errors)).toEqual([]);
  expect(errors(broken).join('\n')).toMatch(/Cannot find name 'split'/);
});

test('a chapter with exercises: a closed solution block after each stub cell; an exercise without a solution stops the build', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-'));
  try {
    const src = path.join(dir, 'src');
    const exe = path.join(dir, 'executed');
    fs.mkdirSync(path.join(src, 'solutions'), { recursive: true });
    fs.mkdirSync(exe);
    const stub = "const sixTimesSeven: number | undefined = undefined;\ncheckExercise('91.1', sixTimesSeven);";
    const cells = [
      { cell_type: 'markdown', source: '# 91 · Exercises' },
      { cell_type: 'markdown', source: '**Exercise `91.1`** · understand — the product\n\nWhat is $6 \\times 7$?' },
      { cell_type: 'code', execution_count: null, source: stub, outputs: [{ output_type: 'stream', name: 'stdout', text: '· 91.1 the product (understand, ★): not attempted yet\n' }] },
      { cell_type: 'markdown', source: 'The end.' },
    ];
    const nb = { cells, metadata: {}, nbformat: 4, nbformat_minor: 5 };
    fs.writeFileSync(path.join(exe, '91-x.ipynb'), JSON.stringify(nb));
    fs.writeFileSync(path.join(src, '91-x.ipynb'), JSON.stringify({ ...nb, cells: cells.map((c) => (c.cell_type === 'code' ? { ...c, outputs: [] } : c)) }));
    const solutionFile = path.join(src, 'solutions', '91-x.ts');
    fs.writeFileSync(solutionFile, "import { Solutions } from './types';\n\nconst times = (a: number, b: number): number => a * b;\n\n" +
      "export const solutions: Solutions = {\n  '91.1': {\n    answer: times(6, 7),\n    wrong: [13],\n    explanation: 'Six sevens are ' +\n      '$42$, not <b>13</b>.',\n  },\n};\n");
    const script = `require(${JSON.stringify(path.join(ROOT, 'kernel-setup', 'book.js'))}).buildBook({ sources: [${JSON.stringify(path.join(src, '91-x.ipynb'))}], ` +
      `executedDir: ${JSON.stringify(exe)}, out: ${JSON.stringify(path.join(dir, 'book'))} }).then((m) => console.log('MANIFEST' + JSON.stringify(m)), (e) => { console.error(e.message); process.exit(1); });`;
    let r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    const manifest = JSON.parse(r.stdout.split('MANIFEST')[1]);
    expect(manifest.pages.map((p: { file: string; exercises: string[]; math: number }) => [p.file, p.exercises, p.math])).toEqual([['index.html', [], 0], ['91-x.html', ['91.1'], 2]]);
    expect(r.stdout).toContain('1 exercise(s) with a collapsed solution');
    const html = fs.readFileSync(path.join(dir, 'book', '91-x.html'), 'utf8');
    // Right after the stub cell, closed (no `open`), with the explanation (Markdown: math rendered) and the code.
    expect(html).toMatch(/not attempted yet\n<\/pre><\/div><\/section>\n<details class="solution" id="solution-91\.1" data-exercise="91\.1"><summary>Solution · 解答 — exercise <code>91\.1<\/code><\/summary>/);
    expect(html).not.toMatch(/<details[^>]* open/);
    const block = html.slice(html.indexOf('<details'), html.indexOf('</details>'));
    expect(block).toContain('Six sevens are <span class="katex">');
    expect(block).toContain('<b>13</b>');
    expect(block).toContain('<pre class="source solution-code"><code class="language-typescript">const times = (a: number, b: number): number =&gt; a * b;\n\n' +
      "const sixTimesSeven = times(6, 7);\ncheckExercise('91.1', sixTimesSeven);</code></pre>");
    expect(block).toContain('From <code>notebooks/solutions/91-x.ts</code>');
    expect(fs.readFileSync(path.join(dir, 'book', 'assets', 'book.css'), 'utf8')).toContain('details.solution');
    // Without its solution the exercise stops the build, saying where the solution goes.
    fs.rmSync(solutionFile);
    r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("91-x: exercise 91.1 (cell 3) has no solution: add '91.1': { answer, wrong, explanation } to `solutions` in ");
    expect(r.stderr).toContain('solutions/91-x.ts');
    // A computed explanation cannot be shown: that stops it too.
    fs.writeFileSync(solutionFile, "export const solutions = { '91.1': { answer: 42, wrong: [13], explanation: ['a', 'b'].join(' ') } };\n");
    r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("91-x.ts: the explanation of '91.1' must be a string literal (or literals joined by +) for the book to show it");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('search', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const search = require('../../kernel-setup/book-search') as {
    splitAtHeadings(markdown: string): { before: string; sections: string[] };
    plainText(markdown: string): string;
    sectionCollector(page: string, chapter: string): {
      docs: Array<{ id: string; page: string; anchor: string; chapter: string; heading: string; text: string }>;
      cell(markdown: string, headings: { id: string; text: string }[]): void;
    };
  };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { courseTokenize, OPTIONS } = require('../../kernel-setup/book/search.js') as { courseTokenize(text: string): string[]; OPTIONS: object };

  test('Chinese runs become character pairs, other words lower-case tokens', () => {
    expect(courseTokenize('Binary cross-entropy — 二元交叉熵, λ=0.5')).toEqual(['binary', 'cross', 'entropy', '二元', '元交', '交叉', '叉熵', 'λ', '0', '5']);
    expect(courseTokenize('熵 PSI')).toEqual(['熵', 'psi']);
  });

  test('a chapter becomes one document per heading, with the prose under it; headings in code fences are not headings', () => {
    expect(search.splitAtHeadings('intro\n## 1 · A\ntext a\n```\n# not a heading\n```\n### 1.1 B\ntext b\n')).toEqual({
      before: 'intro\n', sections: ['## 1 · A\ntext a\n```\n# not a heading\n```\n', '### 1.1 B\ntext b\n\n'] });
    expect(search.plainText('**Bold** and [a link](x.ipynb) | `code` | $\\sigma$')).toBe('Bold and a link code $\\sigma$');
    const c = search.sectionCollector('02-losses.html', '02 · Losses');
    c.cell('# 02 · Losses\nWhy losses.', [{ id: '02-·-Losses', text: '02 · Losses' }]);
    c.cell('More about losses, no heading.', []);
    c.cell('## 2 · Cross-entropy — 交叉熵\nThe loss.', [{ id: '2-·-Cross-entropy-—-交叉熵', text: '2 · Cross-entropy — 交叉熵' }]);
    expect(c.docs).toEqual([
      { id: '02-losses.html#02-·-Losses', page: '02-losses.html', anchor: '02-·-Losses', chapter: '02 · Losses', heading: '02 · Losses', text: '02 · Losses Why losses. More about losses, no heading.' },
      { id: '02-losses.html#2-·-Cross-entropy-—-交叉熵', page: '02-losses.html', anchor: '2-·-Cross-entropy-—-交叉熵', chapter: '02 · Losses',
        heading: '2 · Cross-entropy — 交叉熵', text: '2 · Cross-entropy — 交叉熵 The loss.' },
    ]);
  });

  test('MiniSearch with the course options finds a section by its Chinese and its English name, and nothing for noise', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const MiniSearch = require('minisearch') as new (options: object) => { addAll(docs: object[]): void; search(q: string): Array<{ id: string }> };
    const index = new MiniSearch(OPTIONS);
    index.addAll([
      { id: 'a#1', page: 'a', anchor: '1', chapter: 'A', heading: 'Binary cross-entropy — 二元交叉熵', text: 'the loss of a classifier' },
      { id: 'b#1', page: 'b', anchor: '1', chapter: 'B', heading: 'Momentum — 动量', text: 'a heavier ball; the entropy of nothing' },
    ]);
    expect(index.search('交叉熵').map((h) => h.id)).toEqual(['a#1']);
    expect(index.search('cross-entropy').map((h) => h.id)).toEqual(['a#1']);
    expect(index.search('动量').map((h) => h.id)).toEqual(['b#1']);
    expect(index.search('zzqqxxnothing')).toEqual([]);
  });
});

test('two editions (#23): the Chinese pages in zh/ share the assets, search their own index, and every page switches to the same page of the other edition', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-zh-'));
  try {
    const write = (folder: string, name: string, cells: Record<string, unknown>[]) => {
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, `${name}.ipynb`), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    };
    const code = { id: 'c2', cell_type: 'code', execution_count: null, source: 'console.log(1)', outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] };
    const en = [{ id: 'c1', cell_type: 'markdown', source: '# 00 · Losses\n\nThe loss function, see [01](01-next.ipynb).' }, code];
    const zh = [{ id: 'c1', cell_type: 'markdown', source: '# 00 · 损失\n\n损失函数（loss function），见 [01](01-next.ipynb)。' }, code];
    const next = [{ id: 'n1', cell_type: 'markdown', source: '# 01 · Next' }];
    for (const folder of ['src', 'exe']) {
      write(path.join(dir, folder), '00-loss', en);
      write(path.join(dir, folder), '01-next', next);
      write(path.join(dir, folder, 'zh'), '00-loss', zh); // 01 has no Chinese version yet: no switch on its page
    }
    const out = path.join(dir, 'book');
    const script = `require(${JSON.stringify(path.join(ROOT, 'kernel-setup', 'book.js'))}).buildBook({ ` +
      `sources: ${JSON.stringify(['00-loss', '01-next'].map((n) => path.join(dir, 'src', `${n}.ipynb`)))}, executedDir: ${JSON.stringify(path.join(dir, 'exe'))}, ` +
      `out: ${JSON.stringify(out)}, zh: { sources: [${JSON.stringify(path.join(dir, 'src', 'zh', '00-loss.ipynb'))}], executedDir: ${JSON.stringify(path.join(dir, 'exe', 'zh'))} } })` +
      `.then((m) => console.log('MANIFEST' + JSON.stringify(m)), (e) => { console.error(e.message); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const manifest = JSON.parse(r.stdout.split('MANIFEST')[1]);
    expect(manifest.pages.map((p: { file: string; lang: string }) => [p.file, p.lang]))
      .toEqual([['index.html', 'en'], ['00-loss.html', 'en'], ['01-next.html', 'en'], ['zh/index.html', 'zh'], ['zh/00-loss.html', 'zh']]);
    const page = (f: string) => fs.readFileSync(path.join(out, f), 'utf8');
    const enPage = page('00-loss.html');
    const zhPage = page('zh/00-loss.html');
    expect(enPage).toContain('<html lang="en">');
    expect(zhPage).toContain('<html lang="zh-CN">');
    expect(enPage).toContain('<a class="lang-switch" href="zh/00-loss.html" hreflang="zh-CN" lang="zh-CN">中文</a>');
    expect(zhPage).toContain('<a class="lang-switch" href="../00-loss.html" hreflang="en" lang="en">English</a>');
    expect(page('01-next.html')).not.toContain('lang-switch');
    expect(page('zh/index.html')).toContain('<h1>智能产业化的未来发展方向：从概念到案例</h1>');
    // The same cell ids on both pages: the switch (assets/lang.js) lands on the cell being read.
    for (const html of [enPage, zhPage]) {
      expect(html).toContain('<section class="cell markdown" id="cell-c1">');
      expect(html).toContain('<section class="cell code" id="cell-c2">');
    }
    expect(zhPage).toContain('<link rel="stylesheet" href="../assets/book.css">');
    expect(zhPage).toContain('<script src="../assets/search-index-zh.js"></script>');
    expect(zhPage).toContain('<script src="../assets/lang.js"></script>');
    expect(zhPage).toContain('<span class="chapter-missing" title="01-next is not in this book yet">01</span>'); // no Chinese 01 yet
    expect(enPage).toContain('<a href="01-next.html">01</a>');
    expect(page('zh/notebooks/00-loss.ipynb')).toContain('损失函数');
    const zhIndex = page('assets/search-index-zh.js');
    expect(zhIndex).toContain('"page":"00-loss.html"');
    expect(zhIndex).toContain('损失函数');
    expect(page('assets/search-index.js')).not.toContain('损失函数');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
