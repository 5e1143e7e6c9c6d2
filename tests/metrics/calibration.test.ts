import { brierScore, expectedCalibrationError, reliabilityBins, reliabilityDiagram } from '../../src/metrics/calibration';

test('Brier score by hand', () => {
  expect(brierScore([1, 0], [0.8, 0.4])).toBeCloseTo(0.1, 15);
  expect(brierScore([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.25);
  expect(brierScore([1, 0], [1, 0])).toBe(0);
});

test('reliability bins and ECE by hand', () => {
  const y = [0, 0, 1, 1, 1, 0];
  const p = [0.05, 0.15, 0.15, 0.85, 0.95, 1.0];
  const bins = reliabilityBins(y, p, 2);
  // bin [0,0.5): p 0.05,0.15,0.15 -> mean 0.35/3, positives 1/3; bin [0.5,1]: p 0.85,0.95,1.0 -> mean 0.9333, positives 2/3
  expect(bins.map((b) => b.count)).toEqual([3, 3]);
  expect(bins[0]!.meanPredicted).toBeCloseTo(0.35 / 3, 12);
  expect(bins[0]!.fractionPositive).toBeCloseTo(1 / 3, 12);
  expect(bins[1]!.meanPredicted).toBeCloseTo(2.8 / 3, 12);
  expect(bins[1]!.fractionPositive).toBeCloseTo(2 / 3, 12);
  const ece = 0.5 * Math.abs(1 / 3 - 0.35 / 3) + 0.5 * Math.abs(2 / 3 - 2.8 / 3);
  expect(expectedCalibrationError(bins)).toBeCloseTo(ece, 12);
  const empty = reliabilityBins([1], [0.95], 10);
  expect(empty.filter((b) => b.count === 0)).toHaveLength(9);
  expect(Number.isNaN(empty[0]!.meanPredicted)).toBe(true);
  const fig = reliabilityDiagram(bins);
  expect(fig.data[1]!.x).toEqual([bins[0]!.meanPredicted, bins[1]!.meanPredicted]);
});

test('probabilities outside [0, 1] are refused', () => {
  expect(() => brierScore([1], [1.2])).toThrow(/probability 1.2 at index 0 is not in \[0, 1\]/);
  expect(() => reliabilityBins([1, 0], [0.2, 0.3], 0)).toThrow(/positive integer/);
});
