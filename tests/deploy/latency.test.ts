import * as tf from '@tensorflow/tfjs';
import { inferenceThroughput, predictLatencies, trainingThroughput } from '../../src/deploy/latency';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const dense = (inputs: number, units: number, activation: 'softmax' | 'sigmoid'): tf.Sequential =>
  tf.sequential({ layers: [tf.layers.dense({ units, activation, inputShape: [inputs] })] });

test('predictLatencies times `repeats` calls after the warm-up, each read back, and leaks nothing', () => {
  const model = dense(4, 3, 'softmax');
  let calls = 0;
  const predict = model.predict.bind(model);
  model.predict = ((x: tf.Tensor) => { calls++; return predict(x); }) as typeof model.predict;
  const x = tf.ones([8, 4]);
  const before = tf.memory().numTensors;
  const ms = predictLatencies(model, x, { repeats: 5, warmup: 2 });
  expect(ms).toHaveLength(5);
  expect(calls).toBe(7);
  expect(ms.every((t) => t > 0 && t < 5000)).toBe(true);
  expect(tf.memory().numTensors).toBe(before);
  expect(() => predictLatencies(model, x, { repeats: 0 })).toThrow(/repeats must be a whole number ≥ 1, got 0/);
  x.dispose();
  model.dispose();
});

test('inferenceThroughput passes over all examples in batches (plus one warm-up batch) and reports examples/s', () => {
  const x = tf.ones([10, 2]);
  const sizes: number[] = [];
  const r = inferenceThroughput((xb) => { sizes.push(xb.shape[0]!); return tf.mul(xb, 2); }, x, { batchSize: 4, repeats: 2 });
  // warm-up batch of 4, then two passes of 4 + 4 + 2
  expect(sizes).toEqual([4, 4, 4, 2, 4, 4, 2]);
  expect(r.examplesPerSecond).toBeGreaterThan(0);
  expect(Number.isFinite(r.examplesPerSecond)).toBe(true);
  expect(r.cpuMsPerExample).toBeGreaterThanOrEqual(0);
  expect(() => inferenceThroughput((xb) => xb, x, { batchSize: 0, repeats: 1 })).toThrow(/batchSize/);
  x.dispose();
});

test('trainingThroughput takes warm-up + timed optimizer steps on the model, for softmax and sigmoid outputs', () => {
  for (const [classes, activation] of [[3, 'softmax'], [1, 'sigmoid']] as const) {
    const model = dense(6, classes, activation);
    const w0 = Array.from(model.getWeights()[0]!.dataSync());
    const before = tf.memory().numTensors;
    const perSecond = trainingThroughput(model, { inputShape: [6], classes, steps: 3, warmup: 1, batchSize: 16 });
    expect(perSecond).toBeGreaterThan(0);
    expect(Number.isFinite(perSecond)).toBe(true);
    // the steps trained the model; their data and optimizer state are gone
    expect(Array.from(model.getWeights()[0]!.dataSync())).not.toEqual(w0);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  }
  const m = dense(2, 2, 'softmax');
  expect(() => trainingThroughput(m, { inputShape: [2], classes: 0, steps: 1 })).toThrow(/classes must be a whole number ≥ 1/);
  m.dispose();
});
