import {
  bootstrapPowerLaw, fitPowerLaw, holdoutLargestSize, learningCurveBySize, LearningCurveRun, logSpacedSizes,
} from '../../src/metrics/learning-curve';

test('logSpacedSizes: even on a log scale, ends included, rounded', () => {
  expect(logSpacedSizes(540, 54000, 5)).toEqual([540, 1708, 5400, 17076, 54000]);
  expect(logSpacedSizes(4, 192, 5)).toEqual([4, 11, 28, 73, 192]);
  expect(logSpacedSizes(1, 100, 3)).toEqual([1, 10, 100]);
  expect(() => logSpacedSizes(10, 5, 3)).toThrow(/1 ≤ min < max/);
  expect(() => logSpacedSizes(1, 3, 5)).toThrow(/too close to be distinct/);
  expect(() => logSpacedSizes(1, 100, 1)).toThrow(/count must be a whole number ≥ 2/);
});

test('fitPowerLaw recovers a and b exactly from a power law; 10× data multiplies the error by 10^(−b)', () => {
  const sizes = [100, 300, 1000, 3000, 10000];
  const fit = fitPowerLaw(sizes, sizes.map((n) => 2.5 * n ** -0.4));
  expect(fit.form).toBe('power');
  expect(fit.a).toBeCloseTo(2.5, 10);
  expect(fit.b).toBeCloseTo(0.4, 12);
  expect(fit.c).toBe(0);
  expect(fit.rmsLog).toBeLessThan(1e-12);
  expect(fit.predict(100000) / fit.predict(10000)).toBeCloseTo(10 ** -0.4, 12);
  // The module's example: halving per decade is b = log10 2.
  const half = fitPowerLaw([100, 1000, 10000], [0.2, 0.1, 0.05]);
  expect(half.b).toBeCloseTo(Math.log10(2), 12);
  expect(half.predict(100000)).toBeCloseTo(0.025, 12);
});

test('fitPowerLaw in log space: by hand on two noisy points the line goes through both; three points by least squares', () => {
  // ln e = ln a − b ln n through (10, 0.4) and (100, 0.2): b = ln 2 / ln 10.
  expect(fitPowerLaw([10, 100], [0.4, 0.2]).b).toBeCloseTo(Math.log10(2), 12);
  // x = ln n at n = 1, e, e²: 0, 1, 2; y = ln e: 0, −1, −1 → slope −0.5, intercept −1/6.
  const fit = fitPowerLaw([1, Math.E, Math.E ** 2], [1, Math.exp(-1), Math.exp(-1)]);
  expect(fit.b).toBeCloseTo(0.5, 12);
  expect(fit.a).toBeCloseTo(Math.exp(-1 / 6), 12);
  // Residuals 1/6, −1/3, 1/6: rms = sqrt((1/36 + 1/9 + 1/36) / 3) = sqrt(1/18).
  expect(fit.rmsLog).toBeCloseTo(Math.sqrt(1 / 18), 12);
});

test('the floor form recovers c, a and b; the pure power law then misfits and bends its exponent down', () => {
  const sizes = [50, 100, 200, 400, 800, 1600, 3200, 6400];
  const errors = sizes.map((n) => 0.02 + 3 * n ** -0.7);
  const floor = fitPowerLaw(sizes, errors, { form: 'power+floor' });
  expect(floor.c).toBeCloseTo(0.02, 6);
  expect(floor.b).toBeCloseTo(0.7, 4);
  expect(floor.a).toBeCloseTo(3, 3);
  expect(floor.rmsLog).toBeLessThan(1e-6);
  const pure = fitPowerLaw(sizes, errors);
  expect(pure.b).toBeLessThan(0.6);
  expect(pure.rmsLog).toBeGreaterThan(0.03);
  // Extrapolating past the sizes: the floor form holds out the largest size exactly, the pure law does not.
  const runs: LearningCurveRun[] = sizes.map((size, i) => ({ size, error: errors[i]! }));
  expect(holdoutLargestSize(runs, 'power+floor').logError).toBeLessThan(1e-3);
  expect(holdoutLargestSize(runs, 'power').logError).toBeGreaterThan(0.05);
  // On a pure power law the floor form finds c = 0 (the grid's first point).
  const noFloor = fitPowerLaw(sizes, sizes.map((n) => n ** -0.5), { form: 'power+floor' });
  expect(noFloor.c).toBeLessThan(1e-6);
  expect(noFloor.b).toBeCloseTo(0.5, 4);
});

test('bad input fails with a message that says what to do', () => {
  expect(() => fitPowerLaw([100, 1000], [0.1, 0])).toThrow(/error 0 at size 1000 must be a positive number — the curve is fitted in log space/);
  expect(() => fitPowerLaw([100, 1000], [0.1])).toThrow(/2 sizes but 1 errors/);
  expect(() => fitPowerLaw([100, 100], [0.1, 0.2])).toThrow(/at least 2 different values/);
  expect(() => fitPowerLaw([-1, 100], [0.1, 0.2])).toThrow(/size -1 at position 0 must be a positive number/);
  expect(() => fitPowerLaw([10, 100, 1000], [0.3, 0.2, 0.1], { form: 'power+floor' })).toThrow(/needs at least 4 different sizes, got 3/);
  expect(() => learningCurveBySize([])).toThrow(/no runs/);
  expect(() => bootstrapPowerLaw([{ size: 1, error: 0.5 }, { size: 2, error: 0.4 }], 20, { resamples: 5 })).toThrow(/resamples must be a whole number ≥ 10/);
});

test('learningCurveBySize groups runs by size, ascending, with mean, min, max and count', () => {
  const runs: LearningCurveRun[] = [{ size: 100, error: 0.3 }, { size: 10, error: 0.5 }, { size: 100, error: 0.1 }, { size: 10, error: 0.7 }];
  const by = learningCurveBySize(runs);
  expect(by.map((s) => s.size)).toEqual([10, 100]);
  expect(by[0]!.mean).toBeCloseTo(0.6, 12);
  expect(by[1]).toEqual({ size: 100, mean: 0.2, min: 0.1, max: 0.3, count: 2 });
});

test('bootstrapPowerLaw: identical runs give a zero-width interval; noisy runs an interval around the fit, repeatable', () => {
  const sizes = [100, 1000, 10000];
  const exact: LearningCurveRun[] = sizes.flatMap((size) => [0, 1, 2].map(() => ({ size, error: 0.2 * (size / 100) ** -Math.log10(2) })));
  const flat = bootstrapPowerLaw(exact, 100000, { resamples: 50 });
  expect(flat.prediction.estimate).toBeCloseTo(0.025, 10);
  expect(flat.prediction.upper - flat.prediction.lower).toBeLessThan(1e-12);
  expect(flat.b.estimate).toBeCloseTo(Math.log10(2), 12);
  const noisy: LearningCurveRun[] = sizes.flatMap((size) => [0.9, 1, 1.1].map((f) => ({ size, error: f * 0.2 * (size / 100) ** -0.5 })));
  const boot = bootstrapPowerLaw(noisy, 100000, { resamples: 400, seed: 3 });
  expect(boot.fit.b).toBeCloseTo(0.5, 10);
  expect(boot.prediction.lower).toBeLessThan(boot.prediction.estimate);
  expect(boot.prediction.upper).toBeGreaterThan(boot.prediction.estimate);
  expect(boot.b.lower).toBeLessThan(0.5);
  expect(boot.b.upper).toBeGreaterThan(0.5);
  expect(bootstrapPowerLaw(noisy, 100000, { resamples: 400, seed: 3 })).toEqual({ ...boot, fit: expect.anything() });
});
