/**
 * Calibration (校准): when a model says "30 % risk", do 30 % of such cases turn out positive?
 *
 * - Brier score = mean((p − y)²): 0 is perfect, 0.25 is a constant 0.5 guess;
 * - reliability bins: group predictions into equal-width bins of p and compare, per bin, the mean
 *   predicted probability with the observed fraction of positives (the reliability diagram);
 * - expected calibration error (ECE) = Σ (count/n)·|fraction positive − mean predicted|.
 *
 * ```ts
 * brierScore([1, 0], [0.8, 0.4]);            // ((0.2)² + (0.4)²) / 2 = 0.1
 * const bins = reliabilityBins(y, p, 10);
 * show(reliabilityDiagram(bins, 'Test set'));
 * ```
 */
import { checkBinaryInputs } from './binary-labels';
import { Figure } from '../notebook/plot';

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  /** NaN when the bin is empty. */
  meanPredicted: number;
  /** NaN when the bin is empty. */
  fractionPositive: number;
}

/** Mean squared difference between predicted probability and outcome. */
export function brierScore(yTrue: ArrayLike<number>, probs: ArrayLike<number>): number {
  checkBinaryInputs('brierScore', yTrue, probs, { probabilities: true });
  if (yTrue.length === 0) throw new Error('brierScore: no examples');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (probs[i]! - yTrue[i]!) ** 2;
  return s / yTrue.length;
}

/** `nBins` equal-width bins over [0, 1]; p = 1 falls in the last bin. */
export function reliabilityBins(yTrue: ArrayLike<number>, probs: ArrayLike<number>, nBins = 10): ReliabilityBin[] {
  checkBinaryInputs('reliabilityBins', yTrue, probs, { probabilities: true });
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error(`reliabilityBins: nBins ${nBins} must be a positive integer`);
  const count = new Array<number>(nBins).fill(0);
  const sumP = new Array<number>(nBins).fill(0);
  const sumY = new Array<number>(nBins).fill(0);
  for (let i = 0; i < yTrue.length; i++) {
    const b = Math.min(nBins - 1, Math.floor(probs[i]! * nBins));
    count[b]!++;
    sumP[b]! += probs[i]!;
    sumY[b]! += yTrue[i]!;
  }
  return count.map((c, b) => ({
    lo: b / nBins, hi: (b + 1) / nBins, count: c,
    meanPredicted: c ? sumP[b]! / c : Number.NaN,
    fractionPositive: c ? sumY[b]! / c : Number.NaN,
  }));
}

/** Expected calibration error over the (non-empty) bins. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  const n = bins.reduce((a, b) => a + b.count, 0);
  if (n === 0) throw new Error('expectedCalibrationError: the bins are empty');
  return bins.reduce((a, b) => (b.count ? a + (b.count / n) * Math.abs(b.fractionPositive - b.meanPredicted) : a), 0);
}

/** The reliability diagram: observed fraction vs mean predicted probability per bin, with the diagonal. */
export function reliabilityDiagram(bins: readonly ReliabilityBin[], title = 'Reliability diagram'): Figure {
  const used = bins.filter((b) => b.count > 0);
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'perfectly calibrated', x: [0, 1], y: [0, 1], line: { dash: 'dot', color: 'gray' } },
      {
        type: 'scatter', mode: 'lines+markers', name: 'model', x: used.map((b) => b.meanPredicted), y: used.map((b) => b.fractionPositive),
        text: used.map((b) => `${b.count} examples in [${b.lo.toFixed(1)}, ${b.hi.toFixed(1)})`), marker: { size: used.map((b) => 6 + Math.sqrt(b.count)) },
      },
    ],
    layout: {
      title: { text: title }, height: 420,
      xaxis: { title: { text: 'mean predicted probability' }, range: [0, 1] },
      yaxis: { title: { text: 'observed fraction of positives' }, range: [0, 1] },
    },
  };
}
