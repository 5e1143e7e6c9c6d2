import { accuracyScore, classificationReport, classificationReportMarkdown, confusionMatrix, topConfusions } from '../../src/metrics/classification-metrics';

// A small case worked by hand (and by scikit-learn's classification_report):
// truth  0 0 0 1 1 2 2 2 2 2, prediction 0 1 0 1 1 2 0 2 1 2.
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
const yPred = [0, 1, 0, 1, 1, 2, 0, 2, 1, 2];

test('accuracyScore counts equal positions', () => {
  expect(accuracyScore(yTrue, yPred)).toBeCloseTo(0.7, 12);
  expect(accuracyScore(Int32Array.from([3]), [3])).toBe(1);
  expect(() => accuracyScore([1, 2], [1])).toThrow(/2 true labels but 1 predictions/);
});

test('confusionMatrix: rows are the truth, columns the prediction', () => {
  expect(confusionMatrix(yTrue, yPred)).toEqual([[2, 1, 0], [0, 2, 0], [1, 1, 3]]);
  expect(confusionMatrix([0], [0], 3)).toEqual([[1, 0, 0], [0, 0, 0], [0, 0, 0]]);
  expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/example 1 has true 3/);
});

test('classificationReport gives per-class precision, recall, F1 and the averages', () => {
  const r = classificationReport(confusionMatrix(yTrue, yPred), ['zero', 'one', 'two']);
  // class 0: TP 2, predicted 3, support 3 → P 2/3, R 2/3; class 1: TP 2, predicted 4 → P 0.5, R 1;
  // class 2: TP 3, predicted 3, support 5 → P 1, R 0.6, F1 0.75.
  const expected = [
    { label: 'zero', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
    { label: 'one', precision: 0.5, recall: 1, f1: 2 / 3, support: 2 },
    { label: 'two', precision: 1, recall: 0.6, f1: 0.75, support: 5 },
  ];
  r.classes.forEach((c, i) => {
    const e = expected[i]!;
    expect(c.label).toBe(e.label);
    expect(c.support).toBe(e.support);
    expect(c.precision).toBeCloseTo(e.precision, 12);
    expect(c.recall).toBeCloseTo(e.recall, 12);
    expect(c.f1).toBeCloseTo(e.f1, 12);
  });
  expect(r.accuracy).toBeCloseTo(0.7, 12);
  expect(r.total).toBe(10);
  expect(r.macro.precision).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
  expect(r.macro.f1).toBeCloseTo((2 / 3 + 2 / 3 + 0.75) / 3, 12);
  // weighted by support: (3·2/3 + 2·1 + 5·0.6) / 10 = 0.7 = accuracy (always, for recall)
  expect(r.weighted.recall).toBeCloseTo(0.7, 12);
  expect(r.weighted.precision).toBeCloseTo((3 * (2 / 3) + 2 * 0.5 + 5 * 1) / 10, 12);
});

test('a class never predicted has precision 0, not NaN', () => {
  const r = classificationReport(confusionMatrix([0, 1], [0, 0], 2));
  expect(r.classes[1]).toEqual({ label: '1', precision: 0, recall: 0, f1: 0, support: 1 });
  expect(r.classes[0]!.precision).toBe(0.5);
});

test('the Markdown table and the top confusions', () => {
  const m = confusionMatrix(yTrue, yPred);
  const md = classificationReportMarkdown(classificationReport(m), 3);
  expect(md.split('\n')).toHaveLength(2 + 3 + 3);
  expect(md).toContain('| 2 | 1.000 | 0.600 | 0.750 | 5 |');
  expect(md).toContain('| **accuracy** | | | 0.700 | 10 |');
  expect(topConfusions(m, 2)).toEqual([{ true: 0, predicted: 1, count: 1 }, { true: 2, predicted: 0, count: 1 }]);
  expect(() => classificationReport([[1, 2]])).toThrow(/square/);
});
