import * as tf from '@tensorflow/tfjs';
import {
  logSigmoid, logSoftmax, logSumExp, relu, reluDerivative, sigmoid, sigmoidDerivative, softmax, softmaxJacobian, softplus,
} from '../../src/scratch/activations';
import { centralDifferenceGradient, maxAbsDifference } from '../../src/scratch/gradcheck';

// TensorFlow.js computes in float32 (relative rounding 6e-8); our functions in float64.
// Values of order 1 are compared to 1e-6 absolute; finite differences (float64, h = 1e-5) to 1e-8.
const TF_TOL = 1e-6;
const FD_TOL = 1e-8;

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

const zs = [-6, -2.5, -1, -0.3, 0, 0.2, 1, 3.7, 8];

test('relu and sigmoid equal tf.relu and tf.sigmoid', () => {
  // relu is exact, so on float32 inputs it equals tf.relu bit for bit.
  expect(zs.map(Math.fround).map(relu)).toEqual(tf.relu(zs).arraySync());
  expect(maxAbsDifference(zs.map(sigmoid), tf.sigmoid(zs).arraySync() as number[])).toBeLessThan(TF_TOL);
  expect(sigmoid(0)).toBe(0.5);
  expect(sigmoid(2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  expect(sigmoid(-2)).toBeCloseTo(1 / (1 + Math.exp(2)), 15);
});

test('sigmoid and log-sigmoid stay finite and exact at extreme logits', () => {
  expect(sigmoid(-800)).toBeGreaterThanOrEqual(0);
  expect(sigmoid(800)).toBe(1);
  expect(Number.isNaN(sigmoid(-1000))).toBe(false);
  expect(logSigmoid(-1000)).toBe(-1000);
  expect(Math.log(1 / (1 + Math.exp(1000)))).toBe(-Infinity); // the naive route
  expect(logSigmoid(40)).toBeCloseTo(-Math.exp(-40), 30);
  expect(maxAbsDifference(zs.map(logSigmoid), tf.logSigmoid(zs).arraySync() as number[])).toBeLessThan(TF_TOL);
  expect(softplus(-1000)).toBe(0);
  expect(softplus(1000)).toBe(1000);
  expect(maxAbsDifference(zs.map(softplus), tf.softplus(zs).arraySync() as number[])).toBeLessThan(TF_TOL);
  zs.forEach((z) => expect(logSigmoid(z)).toBeCloseTo(-softplus(-z), 12));
});

test('relu and sigmoid derivatives equal tf.grad and central differences', () => {
  const dRelu = tf.grad((x: tf.Tensor) => tf.relu(x).sum())(tf.tensor1d(zs)).arraySync() as number[];
  expect(zs.map(reluDerivative)).toEqual(dRelu);
  const dSig = tf.grad((x: tf.Tensor) => tf.sigmoid(x).sum())(tf.tensor1d(zs)).arraySync() as number[];
  expect(maxAbsDifference(zs.map(sigmoidDerivative), dSig)).toBeLessThan(TF_TOL);
  const fd = zs.map((z) => centralDifferenceGradient((x) => sigmoid(x[0]!), [z])[0]!);
  expect(maxAbsDifference(zs.map(sigmoidDerivative), fd)).toBeLessThan(FD_TOL);
  expect(sigmoidDerivative(0)).toBe(0.25);
});

test('softmax, logSoftmax and logSumExp equal tf.softmax, tf.logSoftmax and tf.logSumExp', () => {
  const rows = [[1, 2, 3], [-1, 0.5, 0.25, 4], [10, -10], [0, 0, 0, 0, 0]];
  for (const z of rows) {
    expect(maxAbsDifference(softmax(z), tf.softmax(z).arraySync() as number[])).toBeLessThan(TF_TOL);
    expect(maxAbsDifference(logSoftmax(z), tf.logSoftmax(z).arraySync() as number[])).toBeLessThan(TF_TOL);
    expect(Math.abs(logSumExp(z) - (tf.logSumExp(z).arraySync() as number))).toBeLessThan(TF_TOL * 10);
    expect(softmax(z).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  }
  expect(logSumExp([0, Math.log(3)])).toBeCloseTo(Math.log(4), 15);
  expect(softmax([Math.log(1), Math.log(3)])).toEqual([expect.closeTo(0.25, 15), expect.closeTo(0.75, 15)]);
});

test('softmax and logSumExp survive logits of ±1000 where the naive formula is NaN', () => {
  const naive = (z: number[]) => {
    const e = z.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };
  expect(naive([1000, 1000]).every(Number.isNaN)).toBe(true);
  expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
  expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 12);
  expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.log(2), 12);
  expect(logSoftmax([-1000, 0])).toEqual([-1000, 0]);
  expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
});

test('softmaxJacobian is p_k(δ_kj − p_j): matches central differences and tf.grad, rows sum to 0', () => {
  const z = [0.3, -1.2, 2.0, 0.7];
  const J = softmaxJacobian(z);
  z.forEach((_, k) => {
    const fdRow = centralDifferenceGradient((x) => softmax(x)[k]!, z);
    expect(maxAbsDifference(J[k]!, fdRow)).toBeLessThan(FD_TOL);
    const tfRow = tf.grad((x: tf.Tensor) => tf.softmax(x).gather([k]).sum())(tf.tensor1d(z)).arraySync() as number[];
    expect(maxAbsDifference(J[k]!, tfRow)).toBeLessThan(TF_TOL);
    expect(Math.abs(J[k]!.reduce((a, b) => a + b, 0))).toBeLessThan(1e-15);
  });
  const p = softmax(z);
  expect(J[1]![1]).toBeCloseTo(p[1]! * (1 - p[1]!), 15);
  expect(J[0]![2]).toBeCloseTo(-p[0]! * p[2]!, 15);
});

test('empty logits are rejected with a message', () => {
  expect(() => softmax([])).toThrow(/empty/);
  expect(() => logSumExp([])).toThrow(/empty/);
});
