import * as tf from '@tensorflow/tfjs';
import { DIHEDRAL_VIEWS, MIRROR_VIEWS, mirrorTtaModel, predictTta, ttaAccuracy, ttaScoreFunction, ttaScores } from '../../src/vision/tta';
import { dihedralTransform } from '../../src/vision/texture-augment';
import { saliencyMap } from '../../src/explain/saliency';

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
});

/** flatten → dense(2) on 1×2 one-channel images, with set weights: logits of [a, b] are (a, 2b) + bias. */
function rowModel(bias = 0): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [1, 2, 1] }));
  m.add(tf.layers.dense({ units: 2 }));
  m.layers[1]!.setWeights([tf.tensor2d([[1, 0], [0, 2]]), tf.tensor1d([bias, 0])]);
  return m;
}
const images = (): tf.Tensor4D => tf.tensor4d([[[[1], [3]]], [[[5], [0]]]]);   // two 1×2 images: [1, 3] and [5, 0]

test('mirror TTA of one model is the mean of its outputs on the image and on the mirror image', () => {
  const m = rowModel();
  const x = images();
  // [1, 3] → (1, 6); mirrored [3, 1] → (3, 2): mean (2, 4). [5, 0] → (5, 0); [0, 5] → (0, 10): mean (2.5, 5).
  const p = predictTta(m, x, MIRROR_VIEWS);
  expect(p.shape).toEqual([2, 2]);
  expect(Array.from(p.dataSync())).toEqual([2, 4, 2.5, 5]);
  expect(ttaScores(m, x, MIRROR_VIEWS, 1)).toEqual([4, 5]);
  tf.dispose([p, x]);
  m.dispose();
});

test('an ensemble averages over models × views', () => {
  const a = rowModel(0);
  const b = rowModel(4);                               // adds 4 to column 0
  const x = images();
  expect(ttaScores([a, b], x, MIRROR_VIEWS, 0)).toEqual([4, 4.5]);
  expect(() => ttaScores([a, b], x, MIRROR_VIEWS, 2)).toThrow(/column 2 is not an output column 0..1/);
  expect(() => predictTta([], x, MIRROR_VIEWS)).toThrow(/no models/);
  expect(() => predictTta(a, x, [])).toThrow(/no views/);
  x.dispose();
  a.dispose();
  b.dispose();
});

test('DIHEDRAL_VIEWS are the 8 symmetries, the first one the image itself', () => {
  expect(DIHEDRAL_VIEWS).toHaveLength(8);
  const x = tf.tensor4d([[[[1], [2]], [[3], [4]]]]);
  expect(DIHEDRAL_VIEWS[0]!(x)).toBe(x);
  for (let t = 1; t < 8; t++) expect(Array.from(DIHEDRAL_VIEWS[t]!(x).dataSync())).toEqual(Array.from(dihedralTransform(x, t).dataSync()));
  const distinct = new Set(DIHEDRAL_VIEWS.map((v) => Array.from(v(x).dataSync()).join()));
  expect(distinct.size).toBe(8);
  x.dispose();
});

test('ttaAccuracy counts argmax hits in batches, whatever the batch size', () => {
  const m = rowModel();
  const x = images();                                  // TTA means (2, 4) → class 1, (2.5, 5) → class 1
  expect(ttaAccuracy(m, x, [1, 1], MIRROR_VIEWS)).toBe(1);
  expect(ttaAccuracy(m, x, [1, 0], MIRROR_VIEWS, 1)).toBe(0.5);
  expect(ttaAccuracy(m, x, [0, 0], MIRROR_VIEWS)).toBe(0);
  expect(() => ttaAccuracy(m, x, [1], MIRROR_VIEWS)).toThrow(/1 labels for 2 images/);
  x.dispose();
  m.dispose();
});

test('ttaScoreFunction gives the same scores, differentiably: its gradient is the mean of the views\' gradients', () => {
  const m = rowModel();
  const x = images();
  const f = ttaScoreFunction(m, MIRROR_VIEWS);
  expect(Array.from(f(x).dataSync())).toEqual([2, 4, 2.5, 5]);
  // column 1 = 2b: the image contributes (0, 2), its mirror (2, 0) → mean gradient (1, 1) per pixel.
  expect(Array.from(saliencyMap(f, x, 1).dataSync())).toEqual([1, 1, 1, 1]);
  x.dispose();
  m.dispose();
});

test('mirrorTtaModel is predictTta with MIRROR_VIEWS as one layers model, and survives a save and load', async () => {
  const m1 = rowModel();
  const m2 = rowModel(1);
  const x = images();
  const one = mirrorTtaModel([m1, m2], [1, 2, 1]);
  // Hand values: m1 gives (2, 4) and (2.5, 5) as above; m2 adds 1 to the first logit: (3, 4) and (3.5, 5); mean of both.
  expect(Array.from((one.predict(x) as tf.Tensor).dataSync())).toEqual([2.5, 4, 3, 5]);
  const want = predictTta([m1, m2], x, MIRROR_VIEWS);
  let saved: tf.io.ModelArtifacts | null = null;
  await one.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const again = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  expect(Array.from((again.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(want.dataSync()));
  // Several channels: the mirror flips the width of every channel.
  const rgb = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 3, 2] }), tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) })] });
  const z = tf.randomUniform([4, 2, 3, 2], 0, 1, 'float32', 8) as tf.Tensor4D;
  const a = (mirrorTtaModel(rgb, [2, 3, 2]).predict(z) as tf.Tensor).dataSync();
  const b = predictTta(rgb, z, MIRROR_VIEWS).dataSync();
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
  expect(() => mirrorTtaModel(m1, [1, 0, 1])).toThrow(/inputShape \[1, 0, 1\] should be \[height, width, channels\]/);
  tf.dispose([x, want, z]);
});
