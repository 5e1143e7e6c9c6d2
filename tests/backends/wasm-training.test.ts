import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends/backend';
import { seed } from '../../src/training/random';
import { asWasmBackend, originalKernel } from '../../src/backends/wasm-kernels-core';
import { WASM_TRAINING_KERNELS, registerWasmTrainingKernels, wasmTrainingKernelsRegistered } from '../../src/backends/wasm-training';
import { randInt, randn, setupBackends } from '../support/wasm-kernel-check';

beforeAll(setupBackends);

const N = 8;
const INPUT: [number, number, number] = [10, 10, 1];
const xData = randn([N, ...INPUT], 11);
const labelData = randInt([N], 0, 10, 12, 'int32');
const tokenData = randInt([N, 6], 0, 30, 13, 'int32');

/** A small CNN with batch norm before max pooling (the case the stock MaxPoolGrad gets wrong), a separable conv and a strided conv. */
function cnn(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: INPUT, filters: 6, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', depthMultiplier: 2 }));
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** Odd shapes: a 2×2 conv with stride 3 and 'same' padding, elu, average pooling, a global pool. */
function oddCnn(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: INPUT, filters: 4, kernelSize: 2, strides: 3, padding: 'same', activation: 'elu' }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** An embedding model (its gradient is an UnsortedSegmentSum). */
function embedder(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 30, outputDim: 5, inputLength: 6 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

type Weights = { values: Float32Array; shape: number[] }[];

function readWeights(model: tf.LayersModel): Weights {
  return model.getWeights().map((w) => ({ values: w.dataSync().slice() as Float32Array, shape: w.shape.slice() }));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Build `make()` on `backend` with `initial` weights, run `steps` Adam steps, return losses and weights. */
async function train(backend: string, make: () => tf.LayersModel, initial: Weights, input: 'image' | 'tokens', steps: number) {
  await tf.setBackend(backend);
  const model = make();
  model.setWeights(initial.map((w) => tf.tensor(w.values, w.shape)));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const x = input === 'image' ? tf.tensor4d(xData.values, [N, ...INPUT]) : tf.tensor2d(tokenData.values, tokenData.shape as [number, number], 'int32');
  const y = tf.oneHot(tf.tensor1d(labelData.values, 'int32'), 10, 1, 0, 'float32');
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(Number(await model.trainOnBatch(x, y)));
  const weights = readWeights(model);
  tf.dispose([x, y]);
  model.dispose();
  return { losses, weights };
}

async function initialWeights(make: () => tf.LayersModel): Promise<Weights> {
  await tf.setBackend('cpu');
  seed(7);
  const model = make();
  const w = readWeights(model);
  model.dispose();
  return w;
}

test('the kernels are registered once, and the backend hook picks wasm with them', async () => {
  const again = registerWasmTrainingKernels();
  expect(again.ok).toBe(true);
  expect(wasmTrainingKernelsRegistered()).toBe(true);
  expect(WASM_TRAINING_KERNELS.map((k) => k.config.kernelName)).toEqual(expect.arrayContaining([
    'Conv2DBackpropFilter', 'MaxPoolGrad', 'OneHot', 'UnsortedSegmentSum', 'DepthwiseConv2dNativeBackpropFilter',
  ]));
  const info = await selectBackend({ env: { COURSE_BACKEND: 'wasm' }, refresh: true });
  expect(info.name).toBe('wasm');
  expect(info.reason).toMatch(/training kernels registered/);
  await tf.setBackend('cpu');
});

test('20 Adam steps of a CNN (batch norm → max pool, separable and strided convs) agree on wasm and cpu', async () => {
  const initial = await initialWeights(cnn);
  const cpu = await train('cpu', cnn, initial, 'image', 20);
  const wasm = await train('wasm', cnn, initial, 'image', 20);
  const lossDiff = Math.max(...cpu.losses.map((l, i) => Math.abs(l - wasm.losses[i]!)));
  const weightDiff = Math.max(...cpu.weights.map((w, i) => maxAbsDiff(w.values, wasm.weights[i]!.values)));
  console.log(`CNN, 20 Adam steps: loss ${cpu.losses[0]!.toFixed(4)} → ${cpu.losses[19]!.toFixed(4)} (cpu), ` +
    `max |Δloss| = ${lossDiff.toExponential(2)}, max |Δweight| = ${weightDiff.toExponential(2)}`);
  expect(cpu.losses[19]!).toBeLessThan(cpu.losses[0]! * 0.5); // it does learn
  expect(lossDiff).toBeLessThan(1e-3);
  expect(weightDiff).toBeLessThan(1e-3); // Adam moves weights by up to 20 × 0.01 = 0.2
});

test('20 Adam steps of a CNN with a 2×2 stride-3 "same" conv, elu and average pooling agree on wasm and cpu', async () => {
  const initial = await initialWeights(oddCnn);
  const cpu = await train('cpu', oddCnn, initial, 'image', 20);
  const wasm = await train('wasm', oddCnn, initial, 'image', 20);
  const weightDiff = Math.max(...cpu.weights.map((w, i) => maxAbsDiff(w.values, wasm.weights[i]!.values)));
  expect(cpu.losses[19]!).toBeLessThan(cpu.losses[0]!);
  expect(weightDiff).toBeLessThan(1e-4);
});

test('20 Adam steps of an embedding model agree on wasm and cpu', async () => {
  const initial = await initialWeights(embedder);
  const cpu = await train('cpu', embedder, initial, 'tokens', 20);
  const wasm = await train('wasm', embedder, initial, 'tokens', 20);
  const weightDiff = Math.max(...cpu.weights.map((w, i) => maxAbsDiff(w.values, wasm.weights[i]!.values)));
  expect(cpu.losses[19]!).toBeLessThan(cpu.losses[0]!);
  expect(weightDiff).toBeLessThan(1e-4);
});

/** Relative error of the first conv layer's kernel gradient, wasm vs cpu. */
async function firstLayerGradError(): Promise<number> {
  const initial = await initialWeights(cnn);
  const grads: Float32Array[] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const model = cnn();
    model.setWeights(initial.map((w) => tf.tensor(w.values, w.shape)));
    const g = tf.tidy(() => {
      const x = tf.tensor4d(xData.values, [N, ...INPUT]);
      const y = tf.oneHot(tf.tensor1d(labelData.values, 'int32'), 10).toFloat();
      const kernel = model.trainableWeights[0]!.read() as tf.Variable;
      const { grads: gs } = tf.variableGrads(
        () => tf.mean(tf.sum(tf.mul(y, tf.log(model.apply(x, { training: true }) as tf.Tensor)), -1)).neg() as tf.Scalar, [kernel]);
      return gs[kernel.name]!.dataSync().slice() as Float32Array;
    });
    grads.push(g);
    model.dispose();
  }
  const [c, w] = grads as [Float32Array, Float32Array];
  let num = 0;
  let den = 0;
  for (let i = 0; i < c.length; i++) {
    num += (c[i]! - w[i]!) ** 2;
    den += c[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

test('first-layer gradients behind batch norm + max pool: stock wasm is far off, the course kernels agree with cpu', async () => {
  const fixedError = await firstLayerGradError();
  const ours = tf.getKernel('MaxPoolGrad', 'wasm')!;
  const stock = originalKernel('MaxPoolGrad')!;
  tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel(stock);
  let stockError: number;
  try {
    stockError = await firstLayerGradError();
  } finally {
    tf.unregisterKernel('MaxPoolGrad', 'wasm');
    tf.registerKernel(ours);
  }
  console.log(`first conv kernel gradient, ‖wasm − cpu‖/‖cpu‖: stock MaxPoolGrad ${(100 * stockError).toFixed(1)} %, course ${fixedError.toExponential(2)}`);
  expect(stockError).toBeGreaterThan(0.1);
  expect(fixedError).toBeLessThan(1e-5);
});

test('no tensor or wasm buffer leaks over 100 training steps', async () => {
  await tf.setBackend('wasm');
  seed(3);
  const model = cnn();
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(xData.values, [N, ...INPUT]);
  const y = tf.oneHot(tf.tensor1d(labelData.values, 'int32'), 10, 1, 0, 'float32');
  const backend = asWasmBackend(tf.backend());
  const snapshot = () => ({ tensors: tf.memory().numTensors, buffers: backend.numDataIds(), heap: backend.wasm.HEAPU8.length });
  for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y); // optimizer slots are made on the first step
  const start = snapshot();
  for (let i = 0; i < 100; i++) await model.trainOnBatch(x, y);
  const end = snapshot();
  console.log(`100 wasm steps: tensors ${start.tensors} → ${end.tensors}, wasm buffers ${start.buffers} → ${end.buffers}, heap ${start.heap} → ${end.heap} bytes`);
  expect(end.tensors).toBe(start.tensors);
  expect(end.buffers).toBe(start.buffers);
  expect(end.heap).toBe(start.heap);
  tf.dispose([x, y]);
  model.dispose();
  await tf.setBackend('cpu');
});
