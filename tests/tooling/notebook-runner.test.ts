// The headless runner must fail loudly: notebook name, cell number, the cell's first line, the error.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const common = require('../../kernel-setup/common') as {
  ROOT: string; ensurePython(): string; registerKernel(python: string): string; jupyterEnv(extra?: object): NodeJS.ProcessEnv;
};

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' } },
    nbformat: 4, nbformat_minor: 5,
  });
}

let python = '';
let dir = '';
beforeAll(() => {
  python = common.ensurePython();
  common.registerKernel(python);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-runner-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runNotebooks(files: string[]): { status: number | null; out: string } {
  const r = spawnSync(python, [path.join(common.ROOT, 'kernel-setup', 'run_notebooks.py'), '--out', path.join(dir, 'out'), '--timeout', '60', ...files],
    { encoding: 'utf8', env: common.jupyterEnv(), cwd: common.ROOT });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('a failing cell makes the runner exit non-zero and name notebook, cell and error; the source is untouched', () => {
  const file = path.join(dir, 'failing-demo.ipynb');
  const text = notebook(['const a = 1 + 1;\nconsole.log(a);', 'console.log("still fine");', 'const data: number[] = [];\nif (data.length === 0) throw new Error("the dataset is empty: run npm run data");', 'console.log("never reached");']);
  fs.writeFileSync(file, text);
  const r = runNotebooks([file]);
  expect(r.status).toBe(1);
  expect(r.out).toContain('✘ failing-demo.ipynb failed at cell 3: const data: number[] = [];');
  expect(r.out).toContain('Error: the dataset is empty: run npm run data');
  expect(r.out).toMatch(/failing-demo\.ipynb\s+4\s+[\d.]+\s+FAILED \(cell 3\)/);
  expect(r.out).toContain('notebooks: 0 passed, 1 failed');
  expect(fs.readFileSync(file, 'utf8')).toBe(text);
  const executed = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'failing-demo.ipynb'), 'utf8'));
  expect(executed.cells).toHaveLength(4);
  expect([].concat(executed.cells[0].outputs[0].text).join('')).toBe('2\n');
}, 120000);

test('a type error and an exception thrown later by a timer are both caught', () => {
  const typeError = path.join(dir, 'type-error.ipynb');
  fs.writeFileSync(typeError, notebook(['const n: number = "seven";']));
  const timer = path.join(dir, 'timer-error.ipynb');
  fs.writeFileSync(timer, notebook(['setTimeout(() => { throw new Error("late failure from a timer"); }, 10);', 'const x = 1;', 'await new Promise((r) => setTimeout(r, 200));']));
  const ok = path.join(dir, 'fine.ipynb');
  fs.writeFileSync(ok, notebook(['console.log(6 * 7);']));
  const r = runNotebooks([typeError, timer, ok]);
  expect(r.status).toBe(1);
  expect(r.out).toContain("✘ type-error.ipynb failed at cell 1: const n: number = \"seven\";");
  expect(r.out).toContain("Type 'string' is not assignable to type 'number'");
  // The timer fires during cell 1 or later, depending on load: the runner names the cell it surfaced in.
  expect(r.out).toMatch(/✘ timer-error\.ipynb failed at cell [123]:/);
  expect(r.out).toContain('UncaughtException: Error: late failure from a timer');
  expect(r.out).toContain('✔ fine.ipynb: 1 cells');
  expect(r.out).toContain('notebooks: 1 passed, 2 failed');
}, 120000);

test('a cell that writes to stderr fails the run (readers see a red box; the book refuses it), naming the text', () => {
  const file = path.join(dir, 'warning-demo.ipynb');
  fs.writeFileSync(file, notebook(['console.log("a note on stdout is fine");', 'console.warn("note: over the budget");', 'console.log("never reached");']));
  const r = runNotebooks([file]);
  expect(r.status).toBe(1);
  expect(r.out).toContain('✘ warning-demo.ipynb failed at cell 2: console.warn("note: over the budget");');
  expect(r.out).toContain('wrote to stderr');
  expect(r.out).toContain('note: over the budget');
}, 120000);
