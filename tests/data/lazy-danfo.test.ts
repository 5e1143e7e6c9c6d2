import { lazyDanfo } from '../../src/data/lazy-danfo';

test('danfojs loads on first use, once, and computes on the course tfjs', () => {
  const dfd = lazyDanfo();
  expect(lazyDanfo()).toBe(dfd);
  const df = new dfd.DataFrame({ age: [22, 35, 58], bad: [1, 0, 0] });
  expect(df.shape).toEqual([3, 2]);
  expect(df['age'].mean()).toBeCloseTo(115 / 3, 12);
});
