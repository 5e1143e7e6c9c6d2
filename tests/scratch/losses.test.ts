import * as tf from '@tensorflow/tfjs';
import { sigmoid, softmax } from '../../src/scratch/activations';
import { centralDifferenceGradient, maxAbsDifference } from '../../src/scratch/gradcheck';
import {
  binaryCrossEntropy, binaryCrossEntropyFromLogit, binaryCrossEntropyWithLogits, binaryCrossEntropyWithLogitsGradient,
  categoricalCrossEntropy, categoricalCrossEntropyFromLogits, categoricalCrossEntropyWithLogits,
  categoricalCrossEntropyWithLogitsGradient, naiveBinaryCrossEntropyWithLogits, naiveCategoricalCrossEntropyWithLogits,
} from '../../src/scratch/losses';
import { random, seed } from '../../src/training/random';

// What is compared: our float64 losses and gradients against TensorFlow.js (float32, cpu backend) and
// against float64 central differences (h = 1e-5).
// Tolerances: 1e-6 absolute vs tf for values of order 1 (float32 keeps ~7 digits), 1e-8 vs finite differences.
const TF_TOL = 1e-6;
const FD_TOL = 1e-8;

beforeAll(async () => {
  tf.enableProdMode(); // quiet; IS_TEST would turn on tf's kernel leak check, which its own softmaxCrossEntropy gradient fails
  await tf.setBackend('cpu');
});
afterAll(() => seed(null));

const flat = (f: (v: number[]) => number) => (x: readonly number[]) => f(x.slice());
const reshape = (x: readonly number[], k: number): number[][] => Array.from({ length: x.length / k }, (_, i) => x.slice(i * k, i * k + k));

function binaryBatch(n: number, soft = false): { labels: number[]; logits: number[] } {
  const labels = Array.from({ length: n }, () => (soft ? random() : random() < 0.5 ? 0 : 1));
  const logits = Array.from({ length: n }, () => -6 + 12 * random());
  return { labels, logits };
}

function categoricalBatch(n: number, k: number, soft = false): { labels: number[][]; logits: number[][] } {
  const labels = Array.from({ length: n }, () => {
    if (soft) {
      const w = Array.from({ length: k }, () => random() + 0.05);
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((v) => v / s);
    }
    const hot = Math.floor(random() * k);
    return Array.from({ length: k }, (_, j) => (j === hot ? 1 : 0));
  });
  const logits = Array.from({ length: n }, () => Array.from({ length: k }, () => -5 + 10 * random()));
  return { labels, logits };
}

describe('binary cross-entropy', () => {
  test('the per-example value is -[y log σ(z) + (1-y) log(1-σ(z))] (hand-computed cases)', () => {
    expect(binaryCrossEntropyFromLogit(1, 0)).toBeCloseTo(Math.log(2), 15);
    expect(binaryCrossEntropyFromLogit(1, 2)).toBeCloseTo(-Math.log(sigmoid(2)), 15);
    expect(binaryCrossEntropyFromLogit(0, 2)).toBeCloseTo(-Math.log(1 - sigmoid(2)), 14);
    expect(binaryCrossEntropyFromLogit(0.3, -1.5)).toBeCloseTo(-(0.3 * Math.log(sigmoid(-1.5)) + 0.7 * Math.log(1 - sigmoid(-1.5))), 14);
    expect(binaryCrossEntropyWithLogits([1, 0], [2, -1])).toBeCloseTo((Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1))) / 2, 15);
  });

  test('equals tf.losses.sigmoidCrossEntropy (hard and soft labels)', () => {
    seed(1);
    for (const soft of [false, true]) {
      const { labels, logits } = binaryBatch(32, soft);
      const ours = binaryCrossEntropyWithLogits(labels, logits);
      const theirs = tf.losses.sigmoidCrossEntropy(labels, logits).arraySync() as number;
      expect(Math.abs(ours - theirs)).toBeLessThan(TF_TOL);
      expect(Math.abs(ours - naiveBinaryCrossEntropyWithLogits(labels, logits))).toBeLessThan(1e-12); // same formula at moderate z
    }
  });

  test('the gradient (σ(z) − y)/N equals tf.grad and central differences', () => {
    seed(2);
    const { labels, logits } = binaryBatch(16, true);
    const ours = binaryCrossEntropyWithLogitsGradient(labels, logits);
    const viaTf = tf.grad((z: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, z))(tf.tensor1d(logits)).arraySync() as number[];
    expect(maxAbsDifference(ours, viaTf)).toBeLessThan(TF_TOL / 16);
    const fd = centralDifferenceGradient(flat((z) => binaryCrossEntropyWithLogits(labels, z)), logits);
    expect(maxAbsDifference(ours, fd)).toBeLessThan(FD_TOL / 16);
    expect(ours[0]).toBeCloseTo((sigmoid(logits[0]!) - labels[0]!) / 16, 15);
  });

  test('from probabilities it equals tf.metrics.binaryCrossentropy, clipping at ε = 1e-7', () => {
    seed(3);
    const { labels, logits } = binaryBatch(24);
    const probs = logits.map(sigmoid);
    const theirs = tf.metrics.binaryCrossentropy(tf.tensor1d(labels), tf.tensor1d(probs)).arraySync() as number;
    expect(Math.abs(binaryCrossEntropy(labels, probs) - theirs)).toBeLessThan(TF_TOL);
    expect(Math.abs(binaryCrossEntropy(labels, probs) - binaryCrossEntropyWithLogits(labels, logits))).toBeLessThan(1e-12);
    // A confident wrong prediction p = 0 for y = 1 costs -log(1e-7), not Infinity.
    expect(binaryCrossEntropy([1], [0])).toBeCloseTo(-Math.log(1e-7), 12);
    expect(Math.abs(binaryCrossEntropy([1], [0]) - (tf.metrics.binaryCrossentropy(tf.tensor1d([1]), tf.tensor1d([0])).arraySync() as number))).toBeLessThan(1e-5);
  });

  test('the naive formula is NaN/Infinity at extreme logits; the stable one is exact, as is tf', () => {
    const labels = [1, 0, 1, 0];
    const logits = [40, -40, -800, 800];
    expect(naiveBinaryCrossEntropyWithLogits([1], [40])).toBeNaN(); // σ(40) = 1 in float64, (1-y)·log(1-1) = 0·(-∞)
    expect(naiveBinaryCrossEntropyWithLogits([1], [-800])).toBe(Infinity); // e^{800} overflows, log 0
    expect(naiveBinaryCrossEntropyWithLogits(labels, logits)).toBeNaN();
    // Exact values: tiny for the confident right answers, |z| for the confident wrong ones.
    expect(binaryCrossEntropyFromLogit(1, 40)).toBeCloseTo(Math.exp(-40), 30);
    expect(binaryCrossEntropyFromLogit(1, -800)).toBe(800);
    expect(binaryCrossEntropyFromLogit(0, 800)).toBe(800);
    expect(binaryCrossEntropyWithLogits(labels, logits)).toBeCloseTo(400, 12);
    expect(tf.losses.sigmoidCrossEntropy(labels, logits).arraySync()).toBeCloseTo(400, 4);
    expect(binaryCrossEntropyWithLogitsGradient([1, 0], [-800, 800])).toEqual([-0.5, 0.5]);
  });
});

describe('categorical cross-entropy', () => {
  test('the per-example value is LSE(z)·Σy − y·z = −Σ y log softmax(z) (hand-computed cases)', () => {
    expect(categoricalCrossEntropyFromLogits([0, 1, 0], [1, 3, 0])).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(3) + 1) - 3, 14);
    expect(categoricalCrossEntropyFromLogits([1, 0], [0, 0])).toBeCloseTo(Math.log(2), 15);
    const p = softmax([0.5, -1, 2]);
    expect(categoricalCrossEntropyFromLogits([0.2, 0.3, 0.5], [0.5, -1, 2]))
      .toBeCloseTo(-(0.2 * Math.log(p[0]!) + 0.3 * Math.log(p[1]!) + 0.5 * Math.log(p[2]!)), 14);
  });

  test('equals tf.losses.softmaxCrossEntropy (one-hot and soft labels)', () => {
    seed(4);
    for (const soft of [false, true]) {
      const { labels, logits } = categoricalBatch(12, 5, soft);
      const ours = categoricalCrossEntropyWithLogits(labels, logits);
      const theirs = tf.losses.softmaxCrossEntropy(labels, logits).arraySync() as number;
      expect(Math.abs(ours - theirs)).toBeLessThan(TF_TOL);
      expect(Math.abs(ours - naiveCategoricalCrossEntropyWithLogits(labels, logits))).toBeLessThan(1e-12);
    }
  });

  test('the gradient (softmax(z) − y)/N equals tf.grad and central differences', () => {
    seed(5);
    for (const soft of [false, true]) {
      const { labels, logits } = categoricalBatch(6, 4, soft);
      const ours = categoricalCrossEntropyWithLogitsGradient(labels, logits);
      const viaTf = tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, z))(tf.tensor2d(logits)).arraySync() as number[][];
      expect(maxAbsDifference(ours, viaTf)).toBeLessThan(TF_TOL / 6);
      const fd = centralDifferenceGradient(flat((z) => categoricalCrossEntropyWithLogits(labels, reshape(z, 4))), logits.flat());
      expect(maxAbsDifference(ours.flat(), fd)).toBeLessThan(FD_TOL / 6);
      const p0 = softmax(logits[0]!);
      expect(ours[0]![2]).toBeCloseTo((p0[2]! - labels[0]![2]!) / 6, 15);
    }
  });

  test('for labels that do not sum to 1 the gradient is softmax(z)·Σy − y (central differences)', () => {
    const labels = [[0.5, 1.5, 0]];
    const logits = [[0.1, -0.4, 1.2]];
    const ours = categoricalCrossEntropyWithLogitsGradient(labels, logits);
    const fd = centralDifferenceGradient(flat((z) => categoricalCrossEntropyWithLogits(labels, [z])), logits[0]!);
    expect(maxAbsDifference(ours[0]!, fd)).toBeLessThan(FD_TOL);
    const p = softmax(logits[0]!);
    expect(ours[0]![0]).toBeCloseTo(2 * p[0]! - 0.5, 14);
  });

  test('from probabilities it equals tf.metrics.categoricalCrossentropy', () => {
    seed(6);
    const { labels, logits } = categoricalBatch(10, 3);
    const probs = logits.map(softmax);
    const theirs = tf.metrics.categoricalCrossentropy(tf.tensor2d(labels), tf.tensor2d(probs)).mean().arraySync() as number;
    expect(Math.abs(categoricalCrossEntropy(labels, probs) - theirs)).toBeLessThan(TF_TOL);
    expect(Math.abs(categoricalCrossEntropy(labels, probs) - categoricalCrossEntropyWithLogits(labels, logits))).toBeLessThan(1e-12);
    // Rows are rescaled to sum to 1 first, as Keras does.
    expect(categoricalCrossEntropy([[0, 1]], [[1, 3]])).toBeCloseTo(-Math.log(0.75), 15);
    expect(categoricalCrossEntropy([[1, 0]], [[0, 1]])).toBeCloseTo(-Math.log(1e-7), 12);
  });

  test('the naive formula is NaN/Infinity at extreme logits; log-sum-exp is exact, as is tf', () => {
    expect(naiveCategoricalCrossEntropyWithLogits([[1, 0]], [[1000, 0]])).toBeNaN(); // ∞/∞
    expect(naiveCategoricalCrossEntropyWithLogits([[1, 0]], [[-1000, 0]])).toBe(Infinity); // log 0
    expect(categoricalCrossEntropyWithLogits([[1, 0]], [[1000, 0]])).toBe(0); // exactly log(1 + e^{-1000}), which underflows
    // A confident right answer keeps its tiny loss log(1 + e^{-40}) ≈ e^{-40} to full relative precision.
    expect(categoricalCrossEntropyFromLogits([1, 0], [40, 0]) / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(binaryCrossEntropyFromLogit(1, 40) / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(categoricalCrossEntropyWithLogits([[1, 0]], [[-1000, 0]])).toBe(1000);
    expect(categoricalCrossEntropyWithLogits([[0, 0, 1]], [[500, 500, -500]])).toBeCloseTo(1000 + Math.log(2), 10);
    expect(tf.losses.softmaxCrossEntropy([[1, 0], [1, 0]], [[1000, 0], [-1000, 0]]).arraySync()).toBeCloseTo(500, 3);
    expect(categoricalCrossEntropyWithLogitsGradient([[1, 0]], [[-1000, 0]])).toEqual([[-1, 1]]);
  });

  test('shape mismatches are rejected with a message', () => {
    expect(() => categoricalCrossEntropyWithLogits([[1, 0]], [[1, 2, 3]])).toThrow(/row 0 has 2 labels but 3 logits/);
    expect(() => binaryCrossEntropyWithLogits([1, 0], [1])).toThrow(/2 labels but 1 logits/);
    expect(() => binaryCrossEntropyWithLogits([], [])).toThrow(/empty/);
  });
});
