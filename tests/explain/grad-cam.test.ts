import * as tf from '@tensorflow/tfjs';
import { gradCam } from '../../src/explain/grad-cam';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/** conv(4, 3×3, same) → pool 2 → conv(5, 3×3, same, 'last') → GAP → dropout → dense(3, softmax), on 8×8×1. */
function camModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', name: 'last', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dropout({ rate: 0.5 }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: 'ones' }));
  return m;
}

test('after global average pooling, Grad-CAM is CAM: ReLU(Σ_k W[k, c] A_k) / (h·w)', () => {
  const m = camModel();
  const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 4);
  const cam = gradCam(m, x, { resize: false, classIndex: [0, 1, 2] });
  expect(cam.layer).toBe('last');
  expect(cam.featureSize).toEqual([4, 4]);
  expect(cam.maps.shape).toEqual([3, 4, 4]);
  expect(Array.from(cam.classes)).toEqual([0, 1, 2]);
  const a = tf.model({ inputs: m.inputs, outputs: m.getLayer('last').output as tf.SymbolicTensor }).predict(x) as tf.Tensor4D;
  const w = m.layers[5]!.getWeights()[0]!.arraySync() as number[][];     // [5, 3]
  const av = a.arraySync();
  const got = cam.maps.arraySync();
  for (let i = 0; i < 3; i++) {
    for (let y = 0; y < 4; y++) {
      for (let xx = 0; xx < 4; xx++) {
        let s = 0;
        for (let k = 0; k < 5; k++) s += (w[k]![i]! * av[i]![y]![xx]![k]!) / 16;
        expect(got[i]![y]![xx]!).toBeCloseTo(Math.max(0, s), 5);
      }
    }
  }
  // Upsampled to the input size, still ≥ 0; default class = the predicted one; default layer = the last Conv2D.
  const up = gradCam(m, x);
  expect(up.maps.shape).toEqual([3, 8, 8]);
  expect(up.layer).toBe('last');
  expect(tf.min(up.maps).dataSync()[0]).toBeGreaterThanOrEqual(0);
  const predicted = Array.from(tf.argMax(m.predict(x) as tf.Tensor, 1).dataSync());
  expect(Array.from(up.classes)).toEqual(predicted);
  // Batching does not change the maps.
  const batched = gradCam(m, x, { batchSize: 2 });
  expect(tf.max(tf.abs(tf.sub(batched.maps, up.maps))).dataSync()[0]).toBeLessThan(1e-6);
});

test('the weights are average gradients of the pre-softmax score (flatten + dense head)', () => {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu', name: 'c', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 4, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }));
  m.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }));
  m.add(tf.layers.activation({ activation: 'softmax' }));
  const x = tf.randomUniform([1, 6, 6, 1], 0, 1, 'float32', 8);
  const cam = gradCam(m, x, { classIndex: 1, resize: false });
  // Reference: the logit of class 1 as a function of the conv output, by tf.grad directly.
  const a = tf.model({ inputs: m.inputs, outputs: m.getLayer('c').output as tf.SymbolicTensor }).predict(x) as tf.Tensor4D;
  const logit = (fa: tf.Tensor): tf.Scalar => {
    const h = m.layers[2]!.apply(m.layers[1]!.apply(fa)) as tf.Tensor;
    return tf.sum(tf.slice(m.layers[3]!.apply(h) as tf.Tensor, [0, 1], [1, 1])) as tf.Scalar;
  };
  const g = tf.grad(logit)(a);
  const expected = tf.relu(tf.sum(tf.mul(tf.mean(g, [1, 2], true), a), -1));
  expect(cam.maps.shape).toEqual([1, 4, 4]);
  expect(tf.max(tf.abs(tf.sub(cam.maps, expected))).dataSync()[0]).toBeLessThan(1e-5);
});

test('errors: unknown layer, no conv layer, branching models, bad class', () => {
  const m = camModel();
  const x = tf.zeros([1, 8, 8, 1]);
  expect(() => gradCam(m, x, { layer: 'nope' })).toThrow(/no layer 'nope'/);
  expect(() => gradCam(m, x, { classIndex: 3 })).toThrow(/class index 3/);
  expect(() => gradCam(m, x, { classIndex: [0, 1] })).toThrow(/2 class indices for 1 images/);
  const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: 'softmax' })] });
  expect(() => gradCam(dense, tf.zeros([1, 2, 2, 1]))).toThrow(/no Conv2D/);
  const input = tf.input({ shape: [8, 8, 1] });
  const c1 = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const c2 = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(c1) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([c1, c2]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(sum)) as tf.SymbolicTensor;
  const branched = tf.model({ inputs: input, outputs: out });
  expect(() => gradCam(branched, x, { layer: branched.layers[1]!.name })).toThrow(/chain of layers/);
});

test('no tensors leak beyond the maps', () => {
  const m = camModel();
  const x = tf.randomUniform([4, 8, 8, 1]);
  gradCam(m, x).maps.dispose(); // warm-up: layers built
  const before = tf.memory().numTensors;
  const cam = gradCam(m, x, { batchSize: 3 });
  expect(tf.memory().numTensors).toBe(before + 1);
  cam.maps.dispose();
});
