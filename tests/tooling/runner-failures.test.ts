// The headless runner (kernel-setup/run_notebooks.py) must attribute every failure to its notebook and cell and exit
// non-zero, also when it happens in the runner's hidden steps (the check after each cell, the wait after the last):
// a hang, process.exit in a timer, a killed kernel, a check that fails without saying why, output that arrives late,
// a message the kernel could not send, a notebook over its overall time. Each test drives the real runner and kernel
// on small generated notebooks in a temporary folder.
// RUNNER_UNDER_TEST=<path of another run_notebooks.py> runs these tests against that runner (e.g. an older one).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const common = require('../../kernel-setup/common') as {
  ROOT: string; ensurePython(): string; registerKernel(python: string): string; jupyterEnv(extra?: object): NodeJS.ProcessEnv;
};

const RUNNER = process.env.RUNNER_UNDER_TEST ?? path.join(common.ROOT, 'kernel-setup', 'run_notebooks.py');

let python = '';
let dir = '';
beforeAll(() => {
  python = common.ensurePython();
  common.registerKernel(python);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-runner-failures-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Write a notebook of code cells into the temp folder; returns its path. */
function notebook(name: string, cells: string[]): string {
  const file = path.join(dir, `${name}.ipynb`);
  fs.writeFileSync(file, JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' } },
    nbformat: 4, nbformat_minor: 5,
  }));
  return file;
}

function run(files: string[], cellTimeout: number, env: Record<string, string> = {}): { status: number | null; out: string } {
  const r = spawnSync(python, [RUNNER, '--out', path.join(dir, 'out'), '--timeout', String(cellTimeout), ...files],
    { encoding: 'utf8', env: common.jupyterEnv(env), cwd: common.ROOT, timeout: 170_000 + 1000 * cellTimeout });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const sleep = (ms: number): string => `await new Promise((resolve) => setTimeout(resolve, ${ms}));`;

test('a cell that hangs, and a timer that blocks the kernel after its cell replied, fail at their cell (cell timeout)', () => {
  const direct = notebook('hang-cell', ['console.log("fine");', 'await new Promise(() => undefined); // never settles']);
  // The cell itself ends; its timer then spins forever, so the runner's hidden check after it never gets an answer
  // (the old runner reported that as "(kernel start)", with no cell).
  const timer = notebook('hang-timer', ['setTimeout(() => { while (true) { /* spin */ } }, 0);\nconsole.log("armed");']);
  const r = run([direct, timer], 5);
  expect(r.status).toBe(1);
  expect(r.out).toContain('✘ hang-cell.ipynb failed at cell 2: await new Promise(() => undefined); // never settles');
  expect(r.out).toMatch(/cell 2: ran longer than 5 s \(COURSE_CELL_TIMEOUT/);
  expect(r.out).toContain('✘ hang-timer.ipynb failed at cell 1: setTimeout(() => { while (true) { /* spin */ } }, 0);');
  expect(r.out).toMatch(/cell 1, in the runner's check for asynchronous errors just after it: ran longer than 5 s/);
  expect(r.out).toMatch(/hang-timer\.ipynb\s+1\s+[\d.]+\s+FAILED \(cell 1\)/);
  expect(r.out).toContain('notebooks: 0 passed, 2 failed');
}, 180_000);

test('a notebook that runs longer than COURSE_NOTEBOOK_TIMEOUT fails at the cell that was running', () => {
  const slow = notebook('slow', [sleep(1000), sleep(20_000), 'console.log("never reached");']);
  const r = run([slow], 60, { COURSE_NOTEBOOK_TIMEOUT: '4' });
  expect(r.status).toBe(1);
  expect(r.out).toContain(`✘ slow.ipynb failed at cell 2: ${sleep(20_000)}`);
  expect(r.out).toContain('cell 2: the notebook ran longer than 4 s in all (COURSE_NOTEBOOK_TIMEOUT');
}, 180_000);

test('a timer that calls process.exit is a dead kernel blamed on its cell, and the next notebook still runs', () => {
  const exit = notebook('exit-timer', ['console.log("armed");', 'setTimeout(() => process.exit(3), 0);']);
  const fine = notebook('fine-after-exit', ['console.log(6 * 7);']);
  const r = run([exit, fine], 60);
  expect(r.status).toBe(1);
  expect(r.out).toContain('✘ exit-timer.ipynb failed at cell 2: setTimeout(() => process.exit(3), 0);');
  expect(r.out).toMatch(/cell 2[^\n]*: the kernel died \(exit code 3\)/);
  expect(r.out).toMatch(/exit-timer\.ipynb\s+2\s+[\d.]+\s+FAILED \(cell 2\)/);
  expect(r.out).toContain('✔ fine-after-exit.ipynb: 1 cells');
  expect(r.out).toContain('notebooks: 1 passed, 1 failed');
}, 180_000);

test('a cell that kills the kernel, at once or from a timer, fails at that cell with the signal', () => {
  const direct = notebook('kill-cell', ['console.log(1);', 'process.kill(process.pid, "SIGKILL");', 'console.log("never reached");']);
  const timer = notebook('kill-timer', ['console.log(1);', 'setTimeout(() => process.kill(process.pid, "SIGKILL"), 0);', 'console.log("maybe");']);
  const r = run([direct, timer], 60);
  expect(r.status).toBe(1);
  expect(r.out).toContain('✘ kill-cell.ipynb failed at cell 2: process.kill(process.pid, "SIGKILL");');
  expect(r.out).toContain('✘ kill-timer.ipynb failed at cell 2: setTimeout(() => process.kill(process.pid, "SIGKILL"), 0);');
  expect(r.out.match(/cell 2[^\n]*: the kernel died \(killed by signal 9\)/g)).toHaveLength(2);
  expect(r.out).toContain('notebooks: 0 passed, 2 failed');
}, 180_000);

test('a hidden check that fails without the asynchronous-error marker fails the run (closed, not open)', () => {
  // The cell breaks the runner's error list: the check after it throws a TypeError and prints no marker.
  const broken = notebook('break-check', ['(globalThis as any).courseRunnerAsyncErrors = null;', 'console.log("fine");']);
  const r = run([broken], 60);
  expect(r.status).toBe(1);
  expect(r.out).toContain('✘ break-check.ipynb failed at cell 1: (globalThis as any).courseRunnerAsyncErrors = null;');
  expect(r.out).toContain("cell 1, in the runner's check for asynchronous errors just after it: the runner's check failed");
}, 180_000);

test('output arriving later than COURSE_IOPUB_TIMEOUT after the reply fails the cell instead of being dropped', () => {
  // Every iopub message (outputs, the idle status) from now on leaves the kernel 5 s late; the reply does not.
  const zmq = path.dirname(require.resolve('zeromq/package.json'));
  const late = notebook('iopub-late', [
    `const zmq = require(${JSON.stringify(zmq)});\nconst proto = zmq.Publisher.prototype;\nconst send = proto.send;\n` +
    'proto.send = function (this: unknown, ...args: unknown[]) {\n  return new Promise((r) => setTimeout(r, 5000)).then(() => send.apply(this, args));\n};\n' +
    'console.log("late from here on");',
    'console.log("next");',
  ]);
  const r = run([late], 60, { COURSE_IOPUB_TIMEOUT: '2' });
  expect(r.status).toBe(1);
  expect(r.out).toContain(`✘ iopub-late.ipynb failed at cell 1: const zmq = require(${JSON.stringify(zmq)});`);
  expect(r.out).toContain("cell 1: the kernel's outputs did not all arrive within 2 s of its reply (COURSE_IOPUB_TIMEOUT)");
}, 180_000);

test('a kernel message lost at the send queue bound fails the run at the cell that printed it', () => {
  // 1000 lines printed in one synchronous loop: 1000 iopub sends at once, against a queue bound of 100.
  const lost = notebook('lost-messages', ['console.log("start");', 'for (let i = 0; i < 1000; i++) console.log(i);', 'console.log("after");']);
  const r = run([lost], 60, { COURSE_KERNEL_SEND_QUEUE: '100' });
  expect(r.status).toBe(1);
  expect(r.out).toContain('✘ lost-messages.ipynb failed at cell 2: for (let i = 0; i < 1000; i++) console.log(i);');
  expect(r.out).toMatch(/cell 2: LostKernelMessages: [89]\d\d message\(s\) from the kernel to Jupyter failed or were dropped/);
  expect(r.out).toContain("the kernel's send queue is full (100 messages waiting on one socket, COURSE_KERNEL_SEND_QUEUE)");
  // With the default bound a burst of 5,000 prints passes, every line in the executed copy, in order. Past zeromq's
  // send high-water mark (1,000) a publisher drops messages silently when Jupyter reads slowly (CI's Node 22 lane lost
  // outputs of a 1,000-line burst that way); the course kernel's iopub socket is noDrop, so a full pipe is retried
  // instead (serial-send.test.ts proves the mechanism on a slow reader).
  const many = notebook('many-lines', ['console.log("start");', 'for (let i = 0; i < 5000; i++) console.log(i);', 'console.log("after");']);
  const ok = run([many], 150, { COURSE_IOPUB_TIMEOUT: '120' });
  expect({ status: ok.status, out: ok.status === 0 ? '' : ok.out }).toEqual({ status: 0, out: '' });
  const executed = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'many-lines.ipynb'), 'utf8'));
  expect([].concat(...executed.cells[1].outputs.map((o: { text: string | string[] }) => o.text)).join('')).toBe(
    Array.from({ length: 5000 }, (_, i) => `${i}\n`).join(''));
}, 360_000);

test('a kernel that never answers fails at kernel start after COURSE_KERNEL_START_TIMEOUT, naming the setting', () => {
  // A kernelspec whose "kernel" is a process that never speaks: the runner must give up after the start timeout.
  const kernels = path.join(dir, 'silent-kernels', 'kernels', 'silent');
  fs.mkdirSync(kernels, { recursive: true });
  fs.writeFileSync(path.join(kernels, 'kernel.json'), JSON.stringify({ argv: ['sleep', '600'], display_name: 'silent', language: 'typescript' }));
  const file = path.join(dir, 'silent.ipynb');
  fs.writeFileSync(file, JSON.stringify({
    cells: [{ cell_type: 'code', id: 'c0', metadata: {}, execution_count: null, outputs: [], source: 'console.log(1);' }],
    metadata: { kernelspec: { name: 'silent', display_name: 'silent', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5,
  }));
  const jupyterPath = [path.join(dir, 'silent-kernels'), common.jupyterEnv().JUPYTER_PATH].join(path.delimiter);
  const t0 = Date.now();
  const r = run([file], 60, { JUPYTER_PATH: jupyterPath, COURSE_KERNEL_START_TIMEOUT: '3' });
  expect(r.status).toBe(1);
  expect(r.out).toMatch(/✘ silent\.ipynb failed at setup: \(kernel start\)/);
  expect(r.out).toMatch(/didn't respond in 3 seconds \(COURSE_KERNEL_START_TIMEOUT is 3 s; a busy machine may need more\)/);
  expect(Date.now() - t0).toBeLessThan(60_000); // it gave up at the start timeout, not at the cell timeout
}, 120_000);
