/**
 * The tree-ensemble wrapper as notebook 14 calls it. The fitting tests need the course's Python with scikit-learn
 * (kernel-setup/requirements.txt): without it they are not run, loudly (listed in build/jest-not-run.jsonl) — and
 * under COURSE_REQUIRE_DATA=1 (CI) they fail. The input checks and the error messages run everywhere.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rocAuc } from '../../src/metrics/roc';
import { coursePython, crossValidateTreeEnsemble, crossValidateTreeEnsembles, fitPredictTreeEnsemble, runTreeEnsembleJobs, TreeEnsembleSpec } from '../../src/models/tree-ensemble';
import { mulberry32 } from '../../src/training/random';
import { NOT_RUN_FILE } from '../support/datasets';

const { python } = coursePython();
const probe = spawnSync(python, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
const sklearnThere = probe.status === 0;
const reason = `scikit-learn is not importable by ${python} (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()}) — ` +
  'npm start creates .venv with kernel-setup/requirements.txt, or set COURSE_PYTHON';

/** `test` when Python has scikit-learn; else a not-run test (a failing one under COURSE_REQUIRE_DATA=1). */
const sklearnTest: jest.It = sklearnThere ? test : process.env.COURSE_REQUIRE_DATA === '1'
  ? ((title: string) => test(title, () => { throw new Error(`COURSE_REQUIRE_DATA=1 and ${reason}`); })) as unknown as jest.It
  : ((title: string) => {
    fs.mkdirSync(path.dirname(NOT_RUN_FILE), { recursive: true });
    fs.appendFileSync(NOT_RUN_FILE, JSON.stringify({ suite: path.basename(expect.getState().testPath ?? ''), test: title, reason }) + '\n');
    test.skip(`${title} [not run: ${reason}]`, () => undefined);
  }) as unknown as jest.It;

const FOREST: TreeEnsembleSpec = { name: 'forest', kind: 'random-forest', params: { n_estimators: 30, min_samples_leaf: 1 } };
const BOOSTING: TreeEnsembleSpec = { name: 'boosting', kind: 'gradient-boosting', params: { max_iter: 50, learning_rate: 0.2, min_samples_leaf: 2 } };

/** n points in 2-D; label 1 when x0 > 0, with a margin of 0.5 around the boundary and noise in x1. */
function separable(n: number, seedValue: number): { x: number[][]; y: number[] } {
  const rand = mulberry32(seedValue);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    x.push([(label ? 1 : -1) * (0.5 + 2 * rand()), 4 * rand() - 2]);
    y.push(label);
  }
  return { x, y };
}

describe('tree ensembles from scikit-learn', () => {
  const train = separable(60, 1);
  const fresh = separable(40, 2);

  sklearnTest('a separable toy set is fitted perfectly by both ensembles, with probabilities in [0, 1]', async () => {
    for (const spec of [FOREST, BOOSTING]) {
      const p = await fitPredictTreeEnsemble(spec, train.x, train.y, fresh.x, { seed: 1 });
      expect(p).toBeInstanceOf(Float64Array);
      expect(p.length).toBe(40);
      expect(Array.from(p).every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Array.from(p).map((v) => (v >= 0.5 ? 1 : 0))).toEqual(fresh.y);
      expect(rocAuc(fresh.y, p)).toBe(1);
    }
  });

  sklearnTest('the same seed gives identical probabilities, another seed other ones (a forest draws its resamples from it)', async () => {
    const noisy = separable(80, 3);
    noisy.y = noisy.y.map((v, i) => (i % 7 === 0 ? 1 - v : v));
    const a = await fitPredictTreeEnsemble(FOREST, noisy.x, noisy.y, fresh.x, { seed: 5 });
    const b = await fitPredictTreeEnsemble(FOREST, noisy.x, noisy.y, fresh.x, { seed: 5 });
    const c = await fitPredictTreeEnsemble(FOREST, noisy.x, noisy.y, fresh.x, { seed: 6 });
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    // A forest's P(1) is the mean of its trees' leaf shares: with leaves of one row, a multiple of 1/30.
    for (const v of a) expect(Math.abs(v * 30 - Math.round(v * 30))).toBeLessThan(1e-9);
  });

  sklearnTest('a batch returns each job\'s rows in order, and nested cross-validation scores every row once', async () => {
    const data = separable(200, 4);
    const x = { data: Float64Array.from(data.x.flat()), shape: [200, 2] };
    const [first, second] = await runTreeEnsembleJobs(x, data.y, [
      { spec: BOOSTING, train: [...Array(100).keys()], predict: [150, 151, 152] },
      { spec: FOREST, train: [...Array(100).keys()], predict: [] },
    ], { seed: 1 });
    expect(Array.from(first!).map((v) => (v >= 0.5 ? 1 : 0))).toEqual([0, 1, 0]);
    expect(second!.length).toBe(0);
    const grid = [FOREST, { ...FOREST, name: 'forest, leaf 20', params: { n_estimators: 30, min_samples_leaf: 20 } }];
    const cv = await crossValidateTreeEnsemble(x, data.y, grid, { k: 4, seed: 42, innerK: 2, cost: [[0, 1], [5, 0]] });
    expect(cv.oof.length).toBe(200);
    expect(cv.foldAuc.every((a) => a === 1)).toBe(true);
    expect(cv.fits).toBe(4 * (2 * 2 + 1));
    expect(cv.validationAuc.map((a) => a.length)).toEqual([2, 2, 2, 2]);
    expect(cv.chosen.every((s) => grid.includes(s))).toBe(true);
    expect(Array.from(cv.rejected).every((r, i) => r === (cv.oof[i]! >= cv.thresholds[cv.folds.findIndex((f) => f.test.includes(i))]! ? 1 : 0))).toBe(true);
    const both = await crossValidateTreeEnsembles(x, data.y, { forest: [FOREST], boosting: [BOOSTING] }, { k: 4, seed: 42, innerK: 2 });
    expect(Object.keys(both)).toEqual(['forest', 'boosting']);
    expect(both.boosting!.thresholds).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(both.forest!.foldAuc.every((a) => a === 1)).toBe(true);
  });

  sklearnTest('scikit-learn\'s own refusal of a setting reaches the caller', async () => {
    const bad: TreeEnsembleSpec = { name: 'bad', kind: 'random-forest', params: { n_estimators: 0 } };
    await expect(fitPredictTreeEnsemble(bad, train.x, train.y, fresh.x, { seed: 1 })).rejects.toThrow(/failed with status 1:[\s\S]*n_estimators/);
  });

  test('ragged rows, labels other than 0/1, rows out of range and non-finite values are refused before Python starts', async () => {
    const opts = { seed: 1, python: '/nonexistent/python' };
    await expect(fitPredictTreeEnsemble(FOREST, [[1, 2], [3]], [0, 1], [[1, 2]], opts)).rejects.toThrow('training row 1 has 1 values; the first training row has 2');
    await expect(fitPredictTreeEnsemble(FOREST, [[1, 2], [3, 4]], [0, 1], [[1, 2, 3]], opts)).rejects.toThrow('row 0 to predict has 3 values');
    await expect(fitPredictTreeEnsemble(FOREST, [[1, 2], [3, 4]], [0, 2], [[1, 2]], opts)).rejects.toThrow('label 1 is 2, not 0 or 1');
    await expect(fitPredictTreeEnsemble(FOREST, [[1, NaN], [3, 4]], [0, 1], [[1, 2]], opts)).rejects.toThrow('x[0][1] is NaN');
    const x = { data: Float64Array.from([1, 2, 3, 4]), shape: [2, 2] };
    await expect(runTreeEnsembleJobs(x, [0, 1], [{ spec: FOREST, train: [0, 1], predict: [2] }], opts)).rejects.toThrow('job 0 (forest) names row 2; x has 2 rows');
  });

  test('a missing Python is named, with the fix', async () => {
    await expect(fitPredictTreeEnsemble(FOREST, train.x, train.y, fresh.x, { seed: 1, python: '/nonexistent/python' }))
      .rejects.toThrow(/the Python \/nonexistent\/python \(from the python option\) was not found\. Fix: run `npm start` once/);
  });

  (process.platform === 'win32' ? test.skip : test)('a Python without scikit-learn is named, with the fix', async () => {
    const fake = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'no-sklearn-')), 'python');
    fs.writeFileSync(fake, '#!/bin/sh\ncat > /dev/null\necho "scikit-learn missing: No module named \'sklearn\'" >&2\nexit 3\n', { mode: 0o755 });
    await expect(fitPredictTreeEnsemble(FOREST, train.x, train.y, fresh.x, { seed: 1, python: fake }))
      .rejects.toThrow(new RegExp(`scikit-learn is not installed in ${fake.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(from the python option\\)\\. Fix: .*kernel-setup/requirements\\.txt`));
  });

  test('the Python comes from COURSE_PYTHON, else the project .venv, else python3', () => {
    expect(coursePython({ COURSE_PYTHON: '/opt/py/bin/python' })).toEqual({ python: '/opt/py/bin/python', source: 'COURSE_PYTHON' });
    const fallback = coursePython({});
    const venv = path.join(__dirname, '..', '..', '.venv', 'bin', 'python');
    expect(fallback.python).toBe(fs.existsSync(venv) ? venv : 'python3');
  });
});
