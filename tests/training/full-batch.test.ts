import * as tf from '@tensorflow/tfjs';
import {
  disposeLogisticRegression, fitLogisticRegression, fullBatchAdam, logisticRegressionScores,
} from '../../src/training/full-batch';

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
});

test('fullBatchAdam minimises a quadratic and returns the loss of the last step', () => {
  const v = tf.variable(tf.scalar(0));
  const last = fullBatchAdam(() => tf.square(tf.sub(v, 3)) as tf.Scalar, { steps: 400, learningRate: 0.1 });
  expect(v.dataSync()[0]).toBeCloseTo(3, 2);
  expect(last).toBeGreaterThanOrEqual(0);
  expect(last).toBeLessThan(1e-3);
  v.dispose();
});

test('fullBatchAdam: one step of Adam moves a variable by the learning rate against the gradient sign', () => {
  const v = tf.variable(tf.scalar(1));
  const last = fullBatchAdam(() => tf.mul(v, 2) as tf.Scalar, { steps: 1, learningRate: 0.5 });
  expect(last).toBeCloseTo(2, 6);                      // the loss before the update
  expect(v.dataSync()[0]).toBeCloseTo(0.5, 4);         // Adam's first step is lr · sign(g)
  v.dispose();
});

test('fullBatchAdam names bad settings', () => {
  expect(() => fullBatchAdam(() => tf.scalar(0), { steps: 0, learningRate: 0.1 })).toThrow(/steps = 0/);
  expect(() => fullBatchAdam(() => tf.scalar(0), { steps: 1, learningRate: 0 })).toThrow(/learningRate = 0/);
});

test('logistic regression on an uninformative input learns the prevalence, or ½ when class-weighted', () => {
  // z is all zeros: only the bias can move, so the fitted p is the maximum-likelihood constant.
  const y = [1, 0, 0, 0, 1, 0, 0, 0];                  // prevalence 0.25
  const z = tf.zeros([8, 3]) as tf.Tensor2D;
  const plain = fitLogisticRegression(z, y, { lambda: 0, steps: 600, learningRate: 0.05 });
  const weighted = fitLogisticRegression(z, y, { lambda: 0, classWeighted: true, steps: 600, learningRate: 0.05 });
  expect(logisticRegressionScores(plain, z)[0]).toBeCloseTo(0.25, 3);
  expect(logisticRegressionScores(weighted, z)[0]).toBeCloseTo(0.5, 3);
  expect(Array.from(plain.w.dataSync())).toEqual([0, 0, 0]);
  expect(plain.lambda).toBe(0);
  expect(weighted.classWeighted).toBe(true);
  disposeLogisticRegression(plain);
  disposeLogisticRegression(weighted);
  z.dispose();
});

test('logistic regression ranks a separable feature perfectly, and λ shrinks its weight', () => {
  const y = [0, 0, 0, 1, 1, 1];
  const z = tf.tensor2d([[-2], [-1], [-0.5], [0.5], [1], [2]]);
  const weak = fitLogisticRegression(z, y, { lambda: 1, steps: 300 });
  const strong = fitLogisticRegression(z, y, { lambda: 0.001, steps: 300 });
  const s = logisticRegressionScores(strong, z);
  expect(s.slice(0, 3).every((v) => v < 0.5) && s.slice(3).every((v) => v > 0.5)).toBe(true);
  expect(weak.w.dataSync()[0]!).toBeGreaterThan(0);
  expect(weak.w.dataSync()[0]!).toBeLessThan(strong.w.dataSync()[0]!);
  disposeLogisticRegression(weak);
  disposeLogisticRegression(strong);
  z.dispose();
});

test('fitLogisticRegression names bad input', () => {
  const z = tf.zeros([3, 2]) as tf.Tensor2D;
  expect(() => fitLogisticRegression(z, [0, 1], { lambda: 0, steps: 1 })).toThrow(/2 labels for 3 rows/);
  expect(() => fitLogisticRegression(z, [0, 2, 1], { lambda: 0, steps: 1 })).toThrow(/must be 0 or 1/);
  expect(() => fitLogisticRegression(z, [1, 1, 1], { lambda: 0, steps: 1, classWeighted: true })).toThrow(/both classes/);
  z.dispose();
});
