import * as tf from '@tensorflow/tfjs';
import { conv2dMultiplyAdds, countModelFlops, denseMultiplyAdds, formatCount } from '../../src/scratch/flops';

beforeAll(async () => { await tf.setBackend('cpu'); });

test("the article's CNN: hand counts per layer", () => {
  const m = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  const c = countModelFlops(m);
  const [conv, pool, flat, dense] = c.layers;
  // conv: 26·26 positions × 32 filters × 3·3·1 = 194,688 multiply-adds; 26·26·32 = 21,632 bias additions
  expect(conv!.multiplyAdds).toBe(194688);
  expect(conv!.biasAdds).toBe(21632);
  // pool 2×2: 13·13·32 outputs × 4 comparisons
  expect(pool!.poolingOps).toBe(21632);
  expect(flat!.flops).toBe(0);
  // dense: 5408 × 10
  expect(dense!.multiplyAdds).toBe(54080);
  expect(c.multiplyAdds).toBe(248768);
  expect(c.flops).toBe(2 * 248768 + 21632 + 21632 + 10);
  expect(c.params).toBe(54410);
  expect(c.uncounted).toEqual([]);
});

test('the improved CNN, strides, same padding, depthwise and batch norm', () => {
  const m = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }), // 26
    tf.layers.maxPooling2d({ poolSize: 2 }),                                                       // 13
    tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),                          // 11
    tf.layers.maxPooling2d({ poolSize: 2 }),                                                       // 5
    tf.layers.flatten(),
    tf.layers.dropout({ rate: 0.25 }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  const c = countModelFlops(m);
  expect(c.multiplyAdds).toBe(26 * 26 * 32 * 9 + 11 * 11 * 64 * 9 * 32 + 1600 * 128 + 128 * 10);
  expect(c.layers[3]!.poolingOps).toBe(5 * 5 * 64 * 4);

  const s = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false }), // 4×4×4
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),                                          // 4×4×8
    tf.layers.batchNormalization(),
    tf.layers.globalAveragePooling2d({}),
  ] });
  const d = countModelFlops(s);
  expect(d.layers[0]!.multiplyAdds).toBe(conv2dMultiplyAdds(4, 4, 4, 3, 5, 3));
  expect(d.layers[0]!.biasAdds).toBe(0);
  expect(d.layers[1]!.multiplyAdds).toBe(4 * 4 * 8 * 9);
  expect(d.layers[2]!.multiplyAdds).toBe(4 * 4 * 8);
  expect(d.layers[3]!.poolingOps).toBe(4 * 4 * 8);
});

test('logistic regression and an MLP; dense on a sequence; unknown layers are reported', () => {
  const lr = tf.sequential({ layers: [tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [61] })] });
  expect(countModelFlops(lr).flops).toBe(2 * 61 + 1);
  const seq = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [5, 3] })] });
  expect(countModelFlops(seq).multiplyAdds).toBe(denseMultiplyAdds(3, 4, 5));
  const rnn = tf.sequential({ layers: [tf.layers.simpleRNN({ units: 4, inputShape: [5, 3] }), tf.layers.dense({ units: 2 })] });
  const r = countModelFlops(rnn);
  expect(r.uncounted).toHaveLength(1);
  expect(r.uncounted[0]).toMatch(/SimpleRNN/);
  const input = tf.input({ shape: [6] });
  const out = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
  const functional = tf.model({ inputs: input, outputs: out });
  expect(countModelFlops(functional).multiplyAdds).toBe(12);
  expect(formatCount(1234)).toBe('1.23 k');
  expect(formatCount(2.5e6)).toBe('2.50 M');
  expect(formatCount(12)).toBe('12');
});
