// The browser test's verdicts, on the cell data it reads from JupyterLab's DOM (no browser here: the
// real runs, including deliberately broken notebooks, are `node kernel-setup/browser-test.js --self-test`,
// a step of `npm test`). A broken notebook or a figure that does not render must fail, naming the cell.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Output { kind: string; text: string; svg: boolean; traces: number; image: boolean }
interface PageCell { type: string; prompt: string; outputs: Output[] }
interface Nb { cells: Array<Record<string, unknown>>; metadata: Record<string, unknown>; nbformat: number }
// eslint-disable-next-line @typescript-eslint/no-var-requires
const bt = require('../../kernel-setup/browser-test') as {
  analyse(page: PageCell[], nb: Nb, ref: Nb | null, expect?: { text?: RegExp[]; minFigures?: number }): string[];
  summarizeOutputs(outputs: unknown[]): { stdout: string; stderr: string; figures: number; images: number; html: number };
  loadReference(source: Nb, refPath: string): { ref: Nb | null; why: string };
  selectNotebooks(args: string[], all?: string[]): string[];
  parseArgs(argv: string[]): { names: string[]; reopen: boolean; exercise: boolean; selfTest: boolean };
  CHROMIUM_ARGS: string[];
  EXPECT: Record<string, { text?: RegExp[]; minFigures?: number }>;
};

const PLOTLY = 'application/vnd.plotly.v1+json';
const STDOUT = 'application/vnd.jupyter.stdout';
const STDERR = 'application/vnd.jupyter.stderr';

const nb: Nb = {
  nbformat: 4,
  metadata: {},
  cells: [
    { cell_type: 'markdown', source: '# 00 · demo' },
    { cell_type: 'code', source: 'const backend = await selectBackend();\nconsole.log(describeBackend(backend));', outputs: [] },
    { cell_type: 'code', source: 'show(barChart(data));', outputs: [] },
  ],
};
const out = (kind: string, extra: Partial<Output> = {}): Output => ({ kind, text: '', svg: false, traces: 0, image: false, ...extra });
const goodPage = (): PageCell[] => [
  { type: 'markdown', prompt: '', outputs: [] },
  { type: 'code', prompt: '[1]:', outputs: [out(STDOUT, { text: 'backend: wasm (TensorFlow.js 4.22.0) — fast\n' })] },
  { type: 'code', prompt: '[2]:', outputs: [out(PLOTLY, { svg: true, traces: 1 })] },
];
const expect00 = bt.EXPECT['00-start-here'];

test('a clean run passes, with the expected backend line and figure', () => {
  expect(bt.analyse(goodPage(), nb, null, expect00)).toEqual([]);
});

test('a cell that throws fails, naming the cell, its first line and the error; later cells are reported as not run', () => {
  const page = goodPage();
  page[1].outputs = [out(STDERR, { text: 'evalmachine.<anonymous>:1\nError: deliberate\n' })];
  page[2] = { type: 'code', prompt: '[ ]:', outputs: [] };
  const failures = bt.analyse(page, nb, null, expect00);
  expect(failures[0]).toBe('cell 2 (`const backend = await selectBackend();`) wrote an error: Error: deliberate\nevalmachine.<anonymous>:1\nError: deliberate');
  expect(failures).toContain('1 code cell(s) did not run: 3 (Run All stops at the first cell that fails)');
  expect(failures.some((f) => f.startsWith('no output matches /^backend:'))).toBe(true);
  expect(failures).toContain('0 figure(s) on the page, expected at least 1');
});

test('a figure without SVG, a figure without traces and a renderer that threw all fail', () => {
  const noSvg = goodPage();
  noSvg[2].outputs = [out(PLOTLY, { svg: false })];
  expect(bt.analyse(noSvg, nb, null)).toEqual(['cell 3 (`show(barChart(data));`): figure 1 of 1 did not render (no Plotly SVG .main-svg in its output)']);
  const empty = goodPage();
  empty[2].outputs = [out(PLOTLY, { svg: true, traces: 0 })];
  expect(bt.analyse(empty, nb, null)[0]).toMatch(/figure 1 of 1 was drawn without any visible trace/);
  const threw = goodPage();
  threw[2].outputs = [out(STDERR, { text: "Javascript Error: Cannot create property 'anchor' on string 'x'" })];
  expect(bt.analyse(threw, nb, null)[0]).toMatch(/^cell 3 .*an output could not be rendered by JupyterLab \(Javascript Error: Cannot create property/);
});

test('compared with the headless run: a missing figure or missing printed output fails', () => {
  const ref: Nb = {
    nbformat: 4,
    metadata: {},
    cells: [
      nb.cells[0],
      { ...nb.cells[1], outputs: [{ output_type: 'stream', name: 'stdout', text: 'backend: wasm\n' }] },
      { ...nb.cells[2], outputs: [{ output_type: 'display_data', data: { [PLOTLY]: { data: [], layout: {} } } }, { output_type: 'display_data', data: { [PLOTLY]: {} } }] },
    ],
  };
  const page = goodPage();
  page[1].outputs = [];
  const failures = bt.analyse(page, nb, ref);
  expect(failures).toContain('cell 2 (`const backend = await selectBackend();`) printed nothing; the headless run printed "backend: wasm"');
  expect(failures).toContain('cell 3 (`show(barChart(data));`) shows 1 figure(s); the headless run displayed 2');
});

test('the page must show every cell of the notebook', () => {
  expect(bt.analyse(goodPage().slice(0, 2), nb, null)).toEqual(['the page shows 2 cells but the notebook has 3']);
});

test('a headless run is a reference only when it is of the same sources and had no error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-browser-'));
  try {
    const file = path.join(dir, '00-demo.ipynb');
    expect(bt.loadReference(nb, file).why).toMatch(/no headless run/);
    fs.writeFileSync(file, JSON.stringify({ ...nb, cells: nb.cells.map((c) => ({ ...c, outputs: [] })) }));
    expect(bt.loadReference(nb, file).ref).not.toBeNull();
    fs.writeFileSync(file, JSON.stringify({ ...nb, cells: [...nb.cells, { cell_type: 'code', source: 'x', outputs: [] }] }));
    expect(bt.loadReference(nb, file).why).toMatch(/older version/);
    const failed = { ...nb, cells: nb.cells.map((c, i) => (i === 1 ? { ...c, outputs: [{ output_type: 'stream', name: 'stderr', text: 'Error: x' }] } : c)) };
    fs.writeFileSync(file, JSON.stringify(failed));
    expect(bt.loadReference(nb, file).why).toMatch(/ended with an error/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('notebook selection: default 00, names, prefixes, all; unknown names are explained', () => {
  const all = ['/n/00-start-here.ipynb', '/n/01-concepts.ipynb', '/n/02-losses.ipynb'];
  const saved = process.env.COURSE_BROWSER_NOTEBOOKS;
  delete process.env.COURSE_BROWSER_NOTEBOOKS;
  try {
    expect(bt.selectNotebooks([], all)).toEqual(['/n/00-start-here.ipynb']);
    expect(bt.selectNotebooks(['02', '01-concepts'], all)).toEqual(['/n/02-losses.ipynb', '/n/01-concepts.ipynb']);
    expect(bt.selectNotebooks(['all'], all)).toEqual(all);
    process.env.COURSE_BROWSER_NOTEBOOKS = '01,02';
    expect(bt.selectNotebooks([], all)).toEqual(['/n/01-concepts.ipynb', '/n/02-losses.ipynb']);
    expect(() => bt.selectNotebooks(['07'], all)).toThrow(/07: no such notebook; choose from: 00-start-here, 01-concepts, 02-losses or all/);
  } finally {
    if (saved === undefined) delete process.env.COURSE_BROWSER_NOTEBOOKS;
    else process.env.COURSE_BROWSER_NOTEBOOKS = saved;
  }
  expect(bt.parseArgs(['00', '--no-reopen', '--self-test'])).toMatchObject({ names: ['00'], reopen: false, selfTest: true });
  expect(() => bt.parseArgs(['--bogus'])).toThrow(/unknown option --bogus/);
});

test('Chromium runs headless, sandbox-free and without background network', () => {
  expect(bt.CHROMIUM_ARGS).toEqual(expect.arrayContaining(['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic']));
});

// ───────────────────────── the exercise step: stub, wrong answer (✗ + hint), right answer (✓), typed in Lab ─────────────────────────

interface ExerciseInfo { id: string; title: string; kind: string; difficulty: number; hint: string }
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ex = require('../../kernel-setup/browser-test-exercise') as {
  EXERCISE_STEP: { notebook: string; exercise: string };
  answerSlot(source: string, name: string): number | null;
  verdictProblem(printed: string, want: 'not attempted' | 'wrong' | 'correct', exercise: ExerciseInfo): string | null;
  exerciseCells(nb: Nb, id: string): { stub: number; setup: number; source: string; name: string; slot: number };
};
const majority: ExerciseInfo = { id: '01.1', title: 'the majority baseline', kind: 'understand', difficulty: 1, hint: 'it is right on every good applicant.' };

test('the exercise step finds where the answer goes in a stub cell', () => {
  const stub = "const majorityAccuracy: number | undefined = undefined; // your answer\ncheckExercise('01.1', majorityAccuracy);";
  expect(ex.answerSlot(stub, 'majorityAccuracy')).toBe(stub.indexOf('= undefined') + 2);
  expect(ex.answerSlot("let x = undefined;\ncheckExercise('01.1', x);", 'x')).toBe(8);
  expect(ex.answerSlot("const y = undefined;\ncheckExercise('01.1', x);", 'x')).toBeNull();
  expect(ex.answerSlot("function f(): number { return todo(); }\ncheckExercise('01.3', f);", 'f')).toBeNull();
});

test('the exercise step reads the course notebook: the stub cell of its exercise and the cell importing checkExercise', () => {
  const file = path.join(__dirname, '..', '..', 'notebooks', `${ex.EXERCISE_STEP.notebook}.ipynb`);
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Nb;
  const cells = ex.exerciseCells(nb, ex.EXERCISE_STEP.exercise);
  const src = (i: number) => ([] as string[]).concat(nb.cells[i].source as string | string[]).join('');
  expect(src(cells.stub)).toContain(`checkExercise('${ex.EXERCISE_STEP.exercise}', ${cells.name})`);
  expect(src(cells.stub).slice(cells.slot, cells.slot + 'undefined'.length)).toBe('undefined');
  expect(src(cells.setup)).toMatch(/import \{[^}]*checkExercise[^}]*\} from 'ai-course'/);
  expect(cells.setup).toBeLessThan(cells.stub);
  expect(() => ex.exerciseCells(nb, '99.9')).toThrow(/no cell checks exercise 99\.9/);
});

test('the exercise step accepts only the verdict it expects, with the hint after a wrong answer', () => {
  const label = '01.1 the majority baseline (understand, ★)';
  expect(ex.verdictProblem(`· ${label}: not attempted yet\n`, 'not attempted', majority)).toBeNull();
  expect(ex.verdictProblem(`✗ ${label}: the answer is 0.3, expected 0.7 — hint: it is right on every good applicant.\n`, 'wrong', majority)).toBeNull();
  expect(ex.verdictProblem(`✓ ${label}\n`, 'correct', majority)).toBeNull();
  // A ✓ where ✗ was due, a ✗ without the hint, a ✓ for another exercise, nothing printed: all fail.
  expect(ex.verdictProblem(`✓ ${label}`, 'wrong', majority)).toMatch(/^expected "✗ 01\.1 the majority baseline \(understand, ★\): …", the cell printed "✓ 01\.1/);
  expect(ex.verdictProblem(`✗ ${label}: the answer is 0.3, expected 0.7`, 'wrong', majority)).toMatch(/does not end with the hint/);
  expect(ex.verdictProblem('✓ 01.2 where choices are made (understand, ★)', 'correct', majority)).toMatch(/expected "✓ 01\.1/);
  expect(ex.verdictProblem('', 'correct', majority)).toMatch(/the cell printed nothing$/);
  expect(ex.verdictProblem(`✗ ${label}: the answer is 0.3 — hint: it is right on every good applicant.`, 'not attempted', majority)).toMatch(/not attempted yet"/);
});

test('the exercise step is on by default and --no-exercise turns it off', () => {
  expect(bt.parseArgs([])).toMatchObject({ exercise: true });
  expect(bt.parseArgs(['--no-exercise'])).toMatchObject({ exercise: false });
});
