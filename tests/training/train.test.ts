import * as tf from '@tensorflow/tfjs';
import { seed } from '../../src/training/random';
import {
  predictScores,
  evaluateClassifier, evaluateLossAccuracy, fitCompiledKeepingBest, fitModel, labelsToArray, misclassifiedIndices, oneCycleSchedule, predictClasses,
  randomTranslate, setLearningRate, getLearningRate, trainingCurves,
} from '../../src/training/train';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});
afterEach(() => seed(null));

/** n noisy 8×8 images: class 0 a horizontal bar, class 1 a vertical bar, class 2 a diagonal. */
function bars(n: number): { x: tf.Tensor4D; labels: tf.Tensor1D; oneHot: tf.Tensor2D } {
  const data = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const pos = 1 + Math.floor(Math.random() * 6);
    labels[i] = c;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const on = c === 0 ? y === pos : c === 1 ? x === pos : x === y;
        data[i * 64 + y * 8 + x] = (on ? 1 : 0) + 0.2 * (Math.random() - 0.5);
      }
    }
  }
  const lab = tf.tensor1d(labels, 'int32');
  return { x: tf.tensor4d(data, [n, 8, 8, 1]), labels: lab, oneHot: tf.oneHot(lab, 3).toFloat() as tf.Tensor2D };
}

function smallCnn(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.1 }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

test('fitModel learns a separable task, records the history, and leaks no tensors across epochs', async () => {
  seed(1);
  const train = bars(300);
  const val = bars(90);
  const model = smallCnn();
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const counts: number[] = [];
  const before = tf.memory().numTensors;
  const history = await fitModel(model, train.x, train.oneHot, {
    epochs: 4, batchSize: 16, validationData: [val.x, val.oneHot], progress: false,
    onEpochEnd: () => { counts.push(tf.memory().numTensors); },
  });
  // After the first epoch Adam's moment variables exist; from then on nothing may grow.
  expect(counts).toHaveLength(4);
  expect(new Set(counts.slice(1)).size).toBe(1);
  expect(counts[0]).toBe(counts[3]);
  const adamSlots = 2 * model.trainableWeights.length;
  expect(tf.memory().numTensors - before).toBeLessThanOrEqual(adamSlots + 2);
  expect(history.epoch).toEqual([1, 2, 3, 4]);
  expect(history.loss).toHaveLength(4);
  expect(history.valAcc).toHaveLength(4);
  expect(history.loss[3]!).toBeLessThan(history.loss[0]!);
  expect(history.valAcc[3]!).toBeGreaterThan(0.9);
  expect(history.samples).toBe(300);
  expect(history.secondsPerEpoch).toBeGreaterThan(0);
  expect(history.cpuSeconds).toBeGreaterThan(0);
  // the validation numbers are the model's loss/accuracy in inference mode
  const v = evaluateLossAccuracy(model, val.x, val.oneHot);
  expect(v.acc).toBeCloseTo(history.valAcc[3]!, 10);
  expect(v.loss).toBeCloseTo(history.valLoss[3]!, 5);
  const curves = trainingCurves(history, 'bars');
  expect(curves.loss.data.map((t) => t.name)).toEqual(['train', 'validation']);
  expect(curves.accuracy.layout.title).toEqual({ text: 'bars: accuracy per epoch' });
  tf.dispose([train.x, train.labels, train.oneHot, val.x, val.labels, val.oneHot]);
  model.dispose();
});

test('the same seed gives the same weights and history; sparse labels and SGD leave no tensors behind', async () => {
  const run = async (): Promise<{ loss: number[]; weights: number[] }> => {
    seed(7);
    const data = bars(120);
    const model = smallCnn();
    const optimizer = tf.train.sgd(0.1); // holds one scalar (−lr) of its own
    const before = tf.memory().numTensors;
    const h = await fitModel(model, data.x, data.labels, { epochs: 2, batchSize: 32, optimizer, progress: false });
    expect(tf.memory().numTensors).toBe(before); // plain SGD keeps no state
    const weights = Array.from(model.getWeights()[0]!.dataSync());
    tf.dispose([data.x, data.labels, data.oneHot]);
    model.dispose();
    return { loss: h.loss, weights };
  };
  const a = await run();
  const b = await run();
  expect(b.loss).toEqual(a.loss);
  expect(b.weights).toEqual(a.weights);
});

test('a learning-rate schedule is applied step by step and logged per epoch', async () => {
  seed(3);
  const data = bars(64);
  const model = smallCnn();
  const optimizer = tf.train.adam(0.001);
  const schedule = oneCycleSchedule({ peak: 0.01, steps: 8 });
  const h = await fitModel(model, data.x, data.oneHot, { epochs: 2, batchSize: 16, optimizer, learningRate: schedule, progress: false });
  expect(h.learningRate).toEqual([schedule(3), schedule(7)]);
  expect(getLearningRate(optimizer)).toBe(schedule(7));
  tf.dispose([data.x, data.labels, data.oneHot]);
  model.dispose();
});

test('oneCycleSchedule: warm-up from peak/10 to the peak, cosine down to peak/1000', () => {
  const lr = oneCycleSchedule({ peak: 0.01, steps: 101, warmup: 0.2 });
  expect(lr(0)).toBeCloseTo(0.001, 12);
  expect(lr(10)).toBeCloseTo(0.0055, 12);
  expect(lr(20)).toBeCloseTo(0.01, 12);
  expect(lr(60)).toBeCloseTo((0.01 + 0.00001) / 2, 12);
  expect(lr(100)).toBeCloseTo(0.00001, 12);
  expect(lr(500)).toBeCloseTo(0.00001, 12);
  const sgd = tf.train.sgd(0.1);
  setLearningRate(sgd, 0.05);
  expect(getLearningRate(sgd)).toBe(0.05);
  expect(() => setLearningRate(sgd, 0)).toThrow(/positive/);
});

test('randomTranslate shifts each image by whole pixels within the limit', () => {
  seed(11);
  // a single bright pixel at (4, 4) of 9×9: after the shift it is somewhere in 2..6 × 2..6, still 1.
  const x = tf.buffer([6, 9, 9, 1]);
  for (let i = 0; i < 6; i++) x.set(1, i, 4, 4, 0);
  const shifted = randomTranslate(x.toTensor(), 2);
  expect(shifted.shape).toEqual([6, 9, 9, 1]);
  const v = shifted.arraySync();
  const positions = new Set<string>();
  for (let i = 0; i < 6; i++) {
    let sum = 0;
    for (let r = 0; r < 9; r++) {
      for (let c = 0; c < 9; c++) {
        const p = v[i]![r]![c]![0]!;
        sum += p;
        if (p > 0.5) {
          expect(p).toBeCloseTo(1, 5);
          expect(Math.abs(r - 4)).toBeLessThanOrEqual(2);
          expect(Math.abs(c - 4)).toBeLessThanOrEqual(2);
          positions.add(`${r},${c}`);
        }
      }
    }
    expect(sum).toBeCloseTo(1, 5);
  }
  expect(positions.size).toBeGreaterThan(1);
  shifted.dispose();
});

test('evaluateClassifier: predictions, confusion matrix and report of a fixed model', () => {
  // A "model" whose output is its input: class = argmax of the row.
  const model = tf.sequential({ layers: [tf.layers.activation({ activation: 'softmax', inputShape: [3] })] });
  const x = tf.tensor2d([[5, 0, 0], [0, 5, 0], [0, 0, 5], [5, 0, 0], [0, 4, 0]]);
  const y = tf.tensor1d([0, 1, 2, 2, 0], 'int32');
  const before = tf.memory().numTensors;
  const ev = evaluateClassifier(model, x, y, { batchSize: 2 });
  expect(tf.memory().numTensors).toBe(before);
  expect([...ev.labels]).toEqual([0, 1, 2, 0, 1]);
  expect(ev.accuracy).toBeCloseTo(0.6, 12);
  expect(ev.confusion).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 1]]);
  expect(ev.report.classes[2]!.recall).toBeCloseTo(0.5, 12);
  // cross-entropy of the true class: softmax([5,0,0])[0] = e^5 / (e^5 + 2)
  const pHit = Math.exp(5) / (Math.exp(5) + 2);
  const pMiss5 = 1 / (Math.exp(5) + 2);
  const pMiss4 = 1 / (Math.exp(4) + 2);
  expect(ev.loss).toBeCloseTo(-(3 * Math.log(pHit) + Math.log(pMiss5) + Math.log(pMiss4)) / 5, 5);
  // most confidently wrong first: example 3 (p = pHit for class 0) before example 4 (e^4/(e^4+2))
  expect(misclassifiedIndices(ev)).toEqual([3, 4]);
  expect(misclassifiedIndices(ev, 1)).toEqual([3]);
  expect([...labelsToArray(tf.oneHot(y, 3))]).toEqual([0, 1, 2, 2, 0]);
  expect(predictClasses(model, x, 10).numClasses).toBe(3);
  tf.dispose([x, y]);
  model.dispose();
});

test('mismatched labels are explained', async () => {
  const model = smallCnn();
  const x = tf.zeros([4, 8, 8, 1]);
  await expect(fitModel(model, x, tf.zeros([3, 3]), { epochs: 1, progress: false })).rejects.toThrow(/4 inputs but 3 labels/);
  await expect(fitModel(model, x, tf.zeros([4, 3, 1]), { epochs: 1, progress: false })).rejects.toThrow(/one-hot labels \[n, k\]/);
  model.dispose();
});

test('keepBest: fitModel ends with the weights of the best-scored epoch, from fromEpoch on, and keeps no copies', async () => {
  seed(3);
  const train = bars(60);
  const model = smallCnn();
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const snapshots: number[][][] = [];
  const planned = [0.9, 0.2, 0.7, 0.6]; // epoch 1 scores best, but fromEpoch 2 excludes it → epoch 3
  const before = tf.memory().numTensors;
  const history = await fitModel(model, train.x, train.oneHot, {
    epochs: 4, batchSize: 16, progress: false,
    keepBest: { score: (_m, epoch) => planned[epoch - 1]!, fromEpoch: 2 },
    onEpochEnd: () => { snapshots.push(model.getWeights().map((w) => Array.from(w.dataSync()))); },
  });
  expect(history.best).toEqual({ scores: planned, epoch: 3, score: 0.7 });
  expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(snapshots[2]);
  expect(snapshots[2]).not.toEqual(snapshots[3]);
  // Only Adam's moments remain: the kept copy was freed.
  expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2 * model.trainableWeights.length + 2);
  await expect(fitModel(model, train.x, train.oneHot, { epochs: 2, progress: false, keepBest: { score: () => 1, fromEpoch: 3 } }))
    .rejects.toThrow(/keepBest.fromEpoch must be a whole number from 1 to epochs \(2\), got 3/);
  await expect(fitModel(model, train.x, train.oneHot, { epochs: 1, progress: false, keepBest: { score: () => Number.NaN } }))
    .rejects.toThrow(/score after epoch 1 is NaN/);
  tf.dispose([train.x, train.labels, train.oneHot]);
  model.dispose();
});

test('fitCompiledKeepingBest gives exactly the weights and scores of the hand-written tuning loop of notebooks 01 and 08', async () => {
  const x = tf.tensor2d(Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7)), [40, 5]);
  const y = tf.tensor2d(Array.from({ length: 40 }, (_, i) => (Math.sin(i * 1.7) + Math.cos(i) > 0 ? 1 : 0)), [40, 1]);
  const make = (): tf.Sequential => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'relu', inputShape: [5] }), tf.layers.dropout({ rate: 0.3 }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    m.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
    return m;
  };
  /** A validation score that moves up and down: the negative loss on a fixed probe. */
  const probe = tf.tensor2d(Array.from({ length: 25 }, (_, i) => Math.cos(i)), [5, 5]);
  const score = (m: tf.LayersModel): number => tf.tidy(() => -(m.predict(probe) as tf.Tensor).sub(0.5).abs().sum().dataSync()[0]!);
  // The loop as the notebooks wrote it.
  seed(11);
  const hand = make();
  let best = { score: -Infinity, epoch: 0, weights: [] as tf.Tensor[] };
  const handScores: number[] = [];
  for (let e = 1; e <= 6; e++) {
    await hand.fit(x, y, { epochs: 1, batchSize: 8, shuffle: true, verbose: 0 });
    const s = score(hand);
    handScores.push(s);
    if (s > best.score) {
      best.weights.forEach((w) => w.dispose());
      best = { score: s, epoch: e, weights: hand.getWeights().map((w) => w.clone()) };
    }
  }
  hand.setWeights(best.weights);
  best.weights.forEach((w) => w.dispose());
  seed(11);
  const ours = make();
  const before = tf.memory().numTensors;
  const run = await fitCompiledKeepingBest(ours, x, y, { epochs: 6, batchSize: 8, score, progress: false });
  expect(run.scores).toEqual(handScores);
  expect(run.epoch).toBe(best.epoch);
  expect(run.score).toBe(best.score);
  expect(run.loss).toHaveLength(6);
  expect(ours.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(hand.getWeights().map((w) => Array.from(w.dataSync())));
  expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2 * ours.trainableWeights.length + 2);
  await expect(fitCompiledKeepingBest(ours, x, tf.slice(y, 0, 10), { epochs: 1, score, progress: false })).rejects.toThrow(/40 inputs but 10 targets/);
  tf.dispose([x, y, probe]);
  hand.dispose();
  ours.dispose();
});

test('predictScores: the model\'s outputs as one flat array, exactly what predict gives, with no tensor left', () => {
  seed(3);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
  model.setWeights([tf.tensor2d([[1], [-2]]), tf.tensor1d([0.5])]);
  const x = tf.tensor2d([[0, 0], [1, 1], [2, -1]]);
  const before = tf.memory().numTensors;
  const p = predictScores(model, x);
  expect(tf.memory().numTensors).toBe(before);
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
  expect(Array.from(p).map((v) => Number(v.toFixed(6)))).toEqual([0.5, -0.5, 4.5].map((z) => Number(sigmoid(z).toFixed(6))));
  expect(Array.from(predictScores(model, x, { batchSize: 1 }))).toEqual(Array.from(p));
  tf.dispose([x]);
  model.dispose();
});
