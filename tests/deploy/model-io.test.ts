import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModelFiles, saveModelFiles } from '../../src/deploy/model-io';
import { seed } from '../../src/training/random';

beforeAll(async () => { await tf.setBackend('cpu'); });
afterAll(() => seed(null));

test('a saved model reloads with identical predictions and its metadata', async () => {
  seed(5);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-model-'));
  try {
    const info = await saveModelFiles(model, dir, { featureNames: ['a', 'b', 'c'] });
    // 3*4 + 4 + 4*1 + 1 = 21 float32 weights
    expect(info.weightBytes).toBe(21 * 4);
    const { model: again, metadata } = await loadModelFiles(dir);
    expect(metadata).toEqual({ featureNames: ['a', 'b', 'c'] });
    const x = tf.tensor2d([[0.1, -2, 3], [1, 1, 1]]);
    expect(Array.from((again.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    fs.rmSync(path.join(dir, 'weights.bin'));
    await expect(loadModelFiles(dir)).rejects.toThrow(/weights.bin: weights file listed in model.json is missing/);
    await expect(loadModelFiles(path.join(dir, 'nope'))).rejects.toThrow(/no saved model here/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
