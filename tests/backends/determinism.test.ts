/**
 * Bitwise repeatability on one machine: the same seed in the same process trains the same CNN to
 * the same weights, bit for bit, on every backend — with no extra setting (TF_DETERMINISTIC_OPS is
 * not needed: on the CPU, libtensorflow's kernels for these ops reduce in a fixed order for a
 * fixed thread count). Across machines and thread counts this does not hold; that is what the
 * claim study (`npm run claims`, src/notebook/claims.ts) is for. A different seed must give other weights,
 * so the comparison can fail.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeAvailable } from '../support/native';
import { selectBackend } from '../../src/backends/backend';
import { seed } from '../../src/training/random';
import { setupBackends } from '../support/wasm-kernel-check';


/** Train a small CNN (conv → batch norm → ReLU → max-pool → dropout → dense) from `seedValue`; its weights' bytes. */
async function trainedBytes(seedValue: number): Promise<Buffer> {
  seed(seedValue);
  const x = tf.randomNormal([64, 12, 12, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 4), 'int32'), 4);
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, padding: 'same', useBias: false }),
    tf.layers.batchNormalization(),
    tf.layers.reLU(),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dropout({ rate: 0.3 }),
    tf.layers.dense({ units: 4, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: true, verbose: 0 });
  const bytes = Buffer.concat(model.getWeights().map((w) => Buffer.from((w.dataSync() as Float32Array).slice().buffer)));
  model.dispose();
  tf.dispose([x, y]);
  seed(null);
  return bytes;
}

async function expectRepeatable(backend: string): Promise<void> {
  expect(tf.getBackend()).toBe(backend);
  const first = await trainedBytes(1);
  const again = await trainedBytes(1);
  const other = await trainedBytes(2);
  expect(first.length).toBeGreaterThan(1000);
  expect(again.equals(first)).toBe(true);
  expect(other.equals(first)).toBe(false);
}

test('cpu: the same seed trains the same weights, bit for bit', async () => {
  await tf.setBackend('cpu');
  await expectRepeatable('cpu');
});

(nativeAvailable() ? test : test.skip)('tensorflow (native): the same seed trains the same weights, bit for bit', async () => {
  const info = await selectBackend({ env: { ...process.env, COURSE_BACKEND: 'tensorflow' }, refresh: true });
  expect(info.name).toBe('tensorflow');
  await expectRepeatable('tensorflow');
});

// After the native test: setupBackends turns on tfjs's test-mode leak check, which tfjs-node's fused matmul trips.
test('wasm: the same seed trains the same weights, bit for bit', async () => {
  await setupBackends();
  await tf.setBackend('wasm');
  await expectRepeatable('wasm');
});
