import * as tf from '@tensorflow/tfjs';
import { nativeAvailable } from '../support/native';
import { selectBackend } from '../../src/backends/backend';
import { executeDirect, nativeDirectOpCount, NodeBackend, replaceWithFallback, typeAttr } from '../../src/backends/native-binding';

(nativeAvailable() ? describe : describe.skip)("tfjs-node's binding as the course's kernels use it (native-binding.ts)", () => {
  beforeAll(async () => {
    const info = await selectBackend({ env: { ...process.env, COURSE_BACKEND: 'tensorflow' }, refresh: true });
    expect(info.name).toBe('tensorflow');
  });

  test('executeDirect runs a TensorFlow op on binding ids, counted once, and its result becomes a tfjs tensor', () => {
    const b = tf.backend() as unknown as NodeBackend;
    const x = tf.tensor1d([4, 9, 0.25]);
    const before = nativeDirectOpCount();
    const [out] = executeDirect(b, 'Sqrt', [typeAttr(b)], b.getInputTensorIds([x]), 1);
    expect(nativeDirectOpCount() - before).toBe(1);
    expect(out!.shape).toEqual([3]);
    const y = b.createOutputTensor(out!);
    expect(Array.from(y.dataSync())).toEqual([2, 3, 0.5]);
    tf.dispose([x, y]);
  });

  test('replaceWithFallback: a call the attempt covers is computed by it, any other by the stock kernel; an unknown kernel is refused', () => {
    const name = 'CourseBindingTestKernel';
    expect(replaceWithFallback(name, () => null)).toBe(false); // no stock kernel of that name: nothing replaced
    tf.registerKernel({ kernelName: name, backendName: 'tensorflow', kernelFunc: ({ inputs }) => tf.neg((inputs as { x: tf.Tensor }).x) as unknown as tf.TensorInfo });
    try {
      expect(replaceWithFallback(name, ({ inputs }) => {
        const { x } = inputs as { x: tf.Tensor };
        return x.size === 1 ? (tf.mul(x, 10) as unknown as tf.TensorInfo) : null;
      })).toBe(true);
      const run = (values: number[]) => Array.from((tf.engine().runKernel(name, { x: tf.tensor1d(values) }) as tf.Tensor).dataSync());
      expect(run([2])).toEqual([20]); // covered: the attempt's kernel
      expect(run([2, 3])).toEqual([-2, -3]); // not covered: the stock kernel
    } finally {
      tf.unregisterKernel(name, 'tensorflow');
    }
  });
});
