import * as tf from '@tensorflow/tfjs';
import { nativeAvailable } from '../support/native';
import { selectBackend } from '../../src/backends/backend';
import { nativeDirectOpCount } from '../../src/backends/native-binding';
import { registerNativeTrainingKernels } from '../../src/backends/native-kernels';

/** Run `f` on the tensorflow backend with the binding's Adam on or off (COURSE_NATIVE_ADAM is read at every step). */
async function withNativeAdam<T>(on: boolean, f: () => Promise<T>): Promise<{ result: T; directOps: number }> {
  const saved = process.env.COURSE_NATIVE_ADAM;
  process.env.COURSE_NATIVE_ADAM = on ? '1' : '0';
  const before = nativeDirectOpCount();
  try {
    const result = await f();
    return { result, directOps: nativeDirectOpCount() - before };
  } finally {
    if (saved === undefined) delete process.env.COURSE_NATIVE_ADAM;
    else process.env.COURSE_NATIVE_ADAM = saved;
  }
}

/** The largest |a − b| over every pair of arrays (0 when bitwise equal, as ±0 aside). */
function maxDifference(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  return Math.max(0, ...a.flatMap((x, i) => x.map((v, j) => Math.abs(v - b[i]![j]!))));
}

(nativeAvailable() ? describe : describe.skip)("Adam's step through the binding (native-adam.ts)", () => {
  beforeAll(async () => {
    // Installed whatever the caller's COURSE_NATIVE_ADAM says; the tests switch it per run through process.env.
    const info = await selectBackend({ env: { ...process.env, COURSE_BACKEND: 'tensorflow', COURSE_NATIVE_ADAM: '1' }, refresh: true });
    expect(info.name).toBe('tensorflow');
  });

  test("registerNativeTrainingKernels installs it and lists it as 'Adam' (switched per step below through process.env)", () => {
    expect(registerNativeTrainingKernels()).toContain('Adam');
  });

  test('a conv → dense model trains with it to bitwise the weights, moments and βᵗ of tfjs\'s own step, with 14 ops per variable and no leak', async () => {
    const train = async (): Promise<{ weights: number[][]; state: number[][]; kernels: string[] }> => {
      const model = tf.sequential({ layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ] });
      const optimizer = tf.train.adam(0.01, 0.85, 0.99);
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(Array.from({ length: 4 * 64 }, (_, i) => Math.sin(i * 0.37)), [4, 8, 8, 1]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3).toFloat();
      await model.trainOnBatch(x, y);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(async () => { for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y); });
      expect(tf.memory().numTensors).toBe(before);
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      const state = (await optimizer.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
      const accBetas = [(optimizer as unknown as { accBeta1: tf.Tensor }).accBeta1, (optimizer as unknown as { accBeta2: tf.Tensor }).accBeta2];
      state.push(...accBetas.map((t) => Array.from(t.dataSync())));
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      return { weights, state, kernels: profile.kernelNames };
    };
    const ours = await withNativeAdam(true, train);
    const tfjs = await withNativeAdam(false, train);
    expect(maxDifference(ours.result.weights, tfjs.result.weights)).toBe(0);
    expect(maxDifference(ours.result.state, tfjs.result.state)).toBe(0);
    // 4 variables × 14 ops + 4 per step (1 − β₁ᵗ, 1 − β₂ᵗ, β₁ᵗ⁺¹, β₂ᵗ⁺¹), 6 steps, more than tfjs's own step runs
    // directly (the rest of the step, e.g. the course's Reshape kernel, runs the same direct ops both ways).
    expect(ours.directOps - tfjs.directOps).toBe(6 * (4 * 14 + 4));
    expect(ours.result.kernels).not.toContain('Sqrt'); // Adam's ops no longer go through tfjs's kernels
    expect(tfjs.result.kernels).toContain('Sqrt');
  });

  test('its state survives getWeights/setWeights, a variable without a gradient is left alone, and it equals the cpu backend', async () => {
    const run = async (): Promise<number[][]> => {
      const w = tf.variable(tf.tensor2d([0.3, -0.2, 0.5, 1, -1, 0.1], [3, 2]));
      const idle = tf.variable(tf.tensor1d([7, -7]));
      const x = tf.tensor2d([[1, 2, 3], [-1, 0.5, 2]]);
      const loss = () => tf.sum(tf.square(tf.sub(tf.matMul(x, w), 1))) as tf.Scalar;
      const opt = tf.train.adam(0.05);
      for (let i = 0; i < 3; i++) opt.minimize(loss, false, [w]);
      const saved = await opt.getWeights();
      const copy = saved.map((s) => ({ name: s.name, tensor: s.tensor.clone() }));
      for (let i = 0; i < 3; i++) opt.minimize(loss, false, [w]);
      await opt.setWeights(copy); // back to the state after 3 steps
      w.assign(tf.tensor2d([0.3, -0.2, 0.5, 1, -1, 0.1], [3, 2]));
      for (let i = 0; i < 4; i++) opt.minimize(loss, false, [w]);
      const out = [Array.from(w.dataSync()), Array.from(idle.dataSync()), ...(await opt.getWeights()).slice(1).map((s) => Array.from(s.tensor.dataSync()))];
      opt.dispose();
      tf.dispose([w, idle, x]);
      return out;
    };
    const ours = await withNativeAdam(true, run);
    const tfjs = await withNativeAdam(false, run);
    expect(ours.directOps - tfjs.directOps).toBe(10 * (14 + 4));
    expect(maxDifference(ours.result, tfjs.result)).toBe(0);
    expect(ours.result[1]).toEqual([7, -7]);
    await tf.setBackend('cpu');
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
    const cpu = await run();
    await tf.setBackend('tensorflow');
    expect(maxDifference(ours.result, cpu)).toBeLessThan(1e-5);
  });

  test('an int32 gradient keeps tfjs\'s step', async () => {
    const { directOps } = await withNativeAdam(true, async () => {
      const opt = tf.train.adam(0.1);
      const v = tf.variable(tf.tensor1d([1, 2], 'float32'));
      const g = tf.tensor1d([1, 1], 'int32');
      opt.applyGradients([{ name: v.name, tensor: g }]);
      opt.dispose();
      tf.dispose([v, g]);
    });
    expect(directOps).toBe(0);
  });
});
