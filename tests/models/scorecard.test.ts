import {
  buildScorecard, DEFAULT_SCORECARD_SCALING, logOddsFromScore, probabilityBadFromScore, scoreApplicant, scorecardFactors,
  scorecardRows, scoreFromLogOdds, scoreMatrix,
} from '../../src/models/scorecard';

test('600 points at 50:1, PDO 20: factor = 20 / ln 2 = 28.8539, offset = 600 − factor · ln 50 = 487.1229', () => {
  const { factor, offset } = scorecardFactors(DEFAULT_SCORECARD_SCALING);
  expect(factor).toBeCloseTo(28.853900817779268, 10);
  expect(offset).toBeCloseTo(487.1228762045055, 9);
});

test('the scaling: odds 50 -> 600, doubled -> 620, halved -> 580, even odds -> the offset; and back', () => {
  expect(scoreFromLogOdds(-Math.log(50))).toBeCloseTo(600, 10);
  expect(scoreFromLogOdds(-Math.log(100))).toBeCloseTo(620, 10);
  expect(scoreFromLogOdds(-Math.log(25))).toBeCloseTo(580, 10);
  expect(scoreFromLogOdds(0)).toBeCloseTo(487.1228762045055, 9);
  expect(logOddsFromScore(600)).toBeCloseTo(-Math.log(50), 12);
  // P(bad) at 600 points is 1 / 51
  expect(probabilityBadFromScore(600)).toBeCloseTo(1 / 51, 12);
  // another scaling: 500 at 1:1, PDO 50 -> 550 at 2:1
  expect(scoreFromLogOdds(-Math.log(2), { baseScore: 500, baseOdds: 1, pdo: 50 })).toBeCloseTo(550, 10);
});

test('a worked applicant: base points plus feature points reproduce the model log-odds through the scaling', () => {
  // logit(bad) = −1.2 + 0.8·[a=x] − 0.5·[a=y] + 0.3·n; applicant a=x, n = 2 (standardized) -> logit 0.2
  const card = buildScorecard([0.8, -0.5, 0.3], -1.2, ['a=x', 'a=y', 'n']);
  const factor = 20 / Math.LN2;
  expect(card.basePoints).toBeCloseTo(487.1228762045055 + 1.2 * factor, 9); // 521.7475
  expect(card.features.map((f) => f.pointsPerUnit)).toEqual([-0.8 * factor, 0.5 * factor, -0.3 * factor]);
  const s = scoreApplicant(card, [1, 0, 2]);
  // 521.7475 − 23.0831 − 17.3123 = 481.3520
  expect(s.score).toBeCloseTo(481.35209, 4);
  expect(s.score).toBeCloseTo(scoreFromLogOdds(0.2), 9);
  expect(s.logOddsBad).toBeCloseTo(0.2, 12);
  expect(s.probabilityBad).toBeCloseTo(1 / (1 + Math.exp(-0.2)), 12);
  // contributions: non-zero inputs only, largest |points| first
  expect(s.contributions.map((c) => c.feature)).toEqual(['a=x', 'n']);
  expect(s.contributions[1]!.points).toBeCloseTo(-0.3 * factor * 2, 10);
  expect(s.basePoints + s.contributions.reduce((a, c) => a + c.points, 0)).toBeCloseTo(s.score, 10);
});

test('scoreMatrix scores rows like scoreApplicant; scorecardRows splits attribute and category', () => {
  const card = buildScorecard([0.8, -0.5, 0.3], -1.2, ['a=x', 'a=y', 'n']);
  const data = Float32Array.from([1, 0, 2, 0, 1, -1]);
  const scores = scoreMatrix(card, data, 2);
  expect(scores[0]).toBeCloseTo(scoreApplicant(card, [1, 0, 2]).score, 9);
  expect(scores[1]).toBeCloseTo(scoreApplicant(card, [0, 1, -1]).score, 9);
  expect(scorecardRows(card).map((r) => [r.attribute, r.category])).toEqual([['a', 'x'], ['a', 'y'], ['n', null]]);
});

test('bad input is an error that says why', () => {
  expect(() => buildScorecard([1, 2], 0, ['a'])).toThrow(/2 weights but 1 feature names/);
  expect(() => buildScorecard([Number.NaN], 0, ['a'])).toThrow(/weight NaN of 'a'/);
  expect(() => scorecardFactors({ baseScore: 600, baseOdds: 0, pdo: 20 })).toThrow(/baseOdds > 0/);
  const card = buildScorecard([1], 0, ['a']);
  expect(() => scoreApplicant(card, [1, 2])).toThrow(/2 inputs for a scorecard of 1 features/);
  expect(() => scoreMatrix(card, [1, 2, 3], 2)).toThrow(/3 values are not 2 rows × 1 features/);
});
