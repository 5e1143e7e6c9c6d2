import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ClaimRecord, ClaimRow, ClaimStudy, buildClaimStudy, checkClaim, claimSpreadFigure, claimTable, claimThreshold, claimVerdict, claimVerdictLines, loadClaimStudy, summarizeClaim, validateClaimStudy,
} from '../../src/notebook/claims';

const META: Omit<ClaimStudy, 'claims' | 'rule'> = {
  notebook: '99-test', date: '2026-12-05', profile: 'full',
  machine: { cpu: 'test CPU', cores: 2, isa: 'AVX2', node: 'v20', backend: 'cpu' },
  seeds: [0, 1], paths: [{ name: 'default', env: {} }, { name: 'isa-sse41', env: { ONEDNN_MAX_CPU_ISA: 'SSE41' } }],
  runs: [],
};
const rec = (key: string, value: number, seed: number, direction: 'higher' | 'lower' = 'higher'): ClaimRecord =>
  ({ key, text: `text of ${key}`, direction, value, seed, backend: 'cpu' });

function study(): ClaimStudy {
  return buildClaimStudy(META, [
    { seed: 0, path: 'default', records: [rec('auc', 0.90, 0), rec('loss', 0.30, 0, 'lower')] },
    { seed: 0, path: 'isa-sse41', records: [rec('auc', 0.91, 0), rec('loss', 0.31, 0, 'lower')] },
    { seed: 1, path: 'default', records: [rec('auc', 0.92, 1), rec('loss', 0.29, 1, 'lower')] },
    { seed: 1, path: 'isa-sse41', records: [rec('auc', 0.91, 1)] },
  ]);
}

describe('summarizeClaim', () => {
  test('mean, sample sd, min, max; the bound is 3 sd below the mean, rounded down to 4 decimals', () => {
    const s = summarizeClaim([0.9, 0.91, 0.92], 'higher');
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.91, 12);
    expect(s.sd).toBeCloseTo(0.01, 12);
    expect([s.min, s.max]).toEqual([0.9, 0.92]);
    expect(s.bound).toBe(0.88);
  });
  test('a "lower" claim gets its bound 3 sd above the mean, rounded up', () => {
    const s = summarizeClaim([0.3, 0.31, 0.29], 'lower');
    expect(s.bound).toBe(0.33);
    expect(summarizeClaim([0.123456, 0.123456], 'lower').bound).toBe(0.1235);
  });
  test('with one value or no spread the bound is the worst value seen', () => {
    expect(summarizeClaim([0.95], 'higher')).toMatchObject({ sd: 0, bound: 0.95 });
    expect(summarizeClaim([0.123456, 0.123456], 'higher').bound).toBe(0.1234);
  });
  test('the worst value bounds it when it lies beyond mean − 3 sd', () => {
    // Nine values at 1 and one at 0: mean 0.9, sd 0.316, mean − 3 sd < 0 → bound = −0.0487 ... but never above min.
    const s = summarizeClaim([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], 'higher');
    expect(s.bound).toBeLessThanOrEqual(s.min);
    expect(s.bound).toBeCloseTo(Math.floor((0.9 - 3 * s.sd) * 1e4) / 1e4, 12);
  });
  test('rejects no values and non-finite values', () => {
    expect(() => summarizeClaim([], 'higher')).toThrow(/at least one value/);
    expect(() => summarizeClaim([0.5, NaN], 'higher')).toThrow(/finite/);
  });
});

describe('buildClaimStudy', () => {
  test('groups the runs by claim, keeps seed and path of every value', () => {
    const s = study();
    expect(Object.keys(s.claims)).toEqual(['auc', 'loss']);
    expect(s.claims.auc!.values).toEqual([
      { seed: 0, path: 'default', value: 0.9 }, { seed: 0, path: 'isa-sse41', value: 0.91 },
      { seed: 1, path: 'default', value: 0.92 }, { seed: 1, path: 'isa-sse41', value: 0.91 }]);
    expect(s.claims.auc!.bound).toBe(summarizeClaim([0.9, 0.91, 0.92, 0.91], 'higher').bound);
    expect(s.claims.loss!.n).toBe(3);
    expect(s.rule).toMatch(/mean − 3·sd/);
  });
  test('a key recorded twice in one run, or with two directions, is an error', () => {
    expect(() => buildClaimStudy(META, [{ seed: 0, path: 'default', records: [rec('a', 1, 0), rec('a', 2, 0)] }])).toThrow(/recorded twice/);
    expect(() => buildClaimStudy(META, [
      { seed: 0, path: 'default', records: [rec('a', 1, 0)] }, { seed: 1, path: 'default', records: [rec('a', 1, 1, 'lower')] }])).toThrow(/as "higher" and as "lower"/);
  });
});

describe('checkClaim', () => {
  let logs: string[];
  beforeEach(() => { logs = []; jest.spyOn(console, 'log').mockImplementation((m: string) => { logs.push(m); }); });
  afterEach(() => jest.restoreAllMocks());

  test('full profile: passes at the bound, fails just beyond it, and names the study row', () => {
    const s = study();
    const bound = s.claims.auc!.bound;
    expect(checkClaim(s, 'auc', bound, { text: 'AUC', profile: 'full', recordTo: '' }).bound).toBe(bound);
    expect(logs[0]).toMatch(/claim auc = .* ≥ bound .* ✔ \(study: .* 4 runs \(2 seeds × 2 code paths\)\)/);
    expect(() => checkClaim(s, 'auc', bound - 1e-4, { text: 'AUC', profile: 'full', recordTo: '' }))
      .toThrow(/check failed: AUC — .* is not ≥ .*data\/claims\/99-test.json/);
    expect(() => checkClaim(s, 'loss', 0.5, { text: 'loss', direction: 'lower', profile: 'full', recordTo: '' })).toThrow(/is not ≤/);
  });
  test('full profile: a claim the study lacks, or checked the other way round, is an error that says what to run', () => {
    expect(() => checkClaim(study(), 'acc', 0.9, { text: 'ACC', profile: 'full', recordTo: '' })).toThrow(/no row "acc".*npm run claims -- 99-test/);
    expect(() => checkClaim(study(), 'auc', 0.9, { text: 'AUC', direction: 'lower', profile: 'full', recordTo: '' })).toThrow(/stores "higher"/);
  });
  test('quick profile asserts only its floor', () => {
    expect(checkClaim(study(), 'auc', 0.1, { text: 'AUC', profile: 'quick', recordTo: '' }).bound).toBeNull();
    expect(() => checkClaim(study(), 'auc', 0.4, { text: 'AUC', quick: 0.5, profile: 'quick', recordTo: '' })).toThrow(/quick profile floor/);
  });
  test('a study run records one JSON line per claim and asserts nothing', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claims-')), 'c.jsonl');
    checkClaim(null, 'auc', 0.1, { text: 'AUC', target: 0.9, recordTo: file });
    checkClaim(null, 'loss', 9, { text: 'loss', direction: 'lower', recordTo: file });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { key: 'auc', text: 'AUC', direction: 'higher', value: 0.1, seed: 0, backend: expect.any(String), target: 0.9 },
      { key: 'loss', text: 'loss', direction: 'lower', value: 9, seed: 0, backend: expect.any(String) }]);
  });
});

describe('stored studies', () => {
  test('load round-trips a built study; a tampered bound, bad JSON or a missing file is a clear error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claims-'));
    fs.writeFileSync(path.join(dir, '99-test.json'), JSON.stringify(study()));
    expect(loadClaimStudy('99-test', dir).claims.auc!.n).toBe(4);
    const tampered = study();
    tampered.claims.auc!.bound = 0.95;
    expect(() => validateClaimStudy(tampered, 'x.json')).toThrow(/x.json: claims.auc: its bound 0.95 .* does not follow from its values/);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    expect(() => loadClaimStudy('bad', dir)).toThrow(/bad.json: not valid JSON/);
    const saved = process.env.COURSE_CLAIMS_OUT;
    delete process.env.COURSE_CLAIMS_OUT;
    try {
      expect(() => loadClaimStudy('nope', dir)).toThrow(/no claim study for notebook nope. Make one with: npm run claims -- nope/);
      process.env.COURSE_CLAIMS_OUT = path.join(dir, 'rec.jsonl');
      expect(loadClaimStudy('nope', dir).claims).toEqual({});
    } finally {
      if (saved === undefined) delete process.env.COURSE_CLAIMS_OUT; else process.env.COURSE_CLAIMS_OUT = saved;
    }
  });
  test('the threshold is the target where the study\'s bound clears it, else the bound; checkClaim asserts it', () => {
    const row = (direction: 'higher' | 'lower', bound: number, target?: number): ClaimRow =>
      ({ text: 't', direction, mean: bound, bound, sd: 0, min: bound, max: bound, n: 10, values: [], ...(target === undefined ? {} : { target }) });
    expect(claimThreshold(row('higher', 0.9812, 0.97))).toBe(0.97);
    expect(claimThreshold(row('higher', 0.979, 0.9862))).toBe(0.979);
    expect(claimThreshold(row('lower', 0, 0.002))).toBe(0.002);
    expect(claimThreshold(row('lower', 0.004, 0.002))).toBe(0.004);
    expect(claimThreshold(row('higher', 0.5))).toBe(0.5);
    // A study whose bound (0.8855) clears its target 0.85: checkClaim asserts 0.85 and says so.
    const s = study();
    s.claims.auc!.target = 0.85;
    const logs: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((m: string) => { logs.push(m); });
    try {
      expect(checkClaim(s, 'auc', 0.86, { text: 'AUC', target: 0.85, profile: 'full', recordTo: '' }).bound).toBe(0.85);
      expect(logs[0]).toMatch(/claim auc = 0\.8600 ≥ target 0\.8500 ✔ \(the study's bound 0\.8855 clears the target; study: /);
      expect(() => checkClaim(s, 'auc', 0.8499, { text: 'AUC', target: 0.85, profile: 'full', recordTo: '' }))
        .toThrow(/check failed: AUC — 0\.8499 is not ≥ 0\.8500, the target of data\/claims\/99-test.json/);
      expect(claimTable(s, ['auc'])).toMatch(/\| 4 \| ≥ 0\.8500 \| 0\.8500 \(bound clears it\) \|/);
      expect(claimSpreadFigure(s, 'auc').data.map((t) => t.name)).toEqual(['default', 'isa-sse41', 'mean 0.9100', 'study bound 0.8855', 'asserted target 0.8500']);
    } finally {
      spy.mockRestore();
    }
  });
  test('the verdict says whether the bound, only the mean, or neither reaches the target', () => {
    const row = (direction: 'higher' | 'lower', mean: number, bound: number, target?: number): ClaimRow =>
      ({ text: 't', direction, mean, bound, sd: 0.01, min: bound, max: mean, n: 10, values: [], ...(target === undefined ? {} : { target }) });
    expect(claimVerdict(row('higher', 0.05, 0.01, 0))).toBe('bound clears it');
    expect(claimVerdict(row('higher', 0.05, 0, 0))).toBe('bound clears it');
    expect(claimVerdict(row('higher', 0.05, -0.01, 0))).toBe('mean clears it, bound does not');
    expect(claimVerdict(row('higher', 0.89, 0.86, 0.901))).toBe('mean below it');
    expect(claimVerdict(row('lower', 0.1, 0.2, 0.15))).toBe('mean clears it, bound does not');
    expect(claimVerdict(row('lower', 0.2, 0.3, 0.15))).toBe('mean above it');
    expect(claimVerdict(row('lower', 0.1, 0.12, 0.15))).toBe('bound clears it');
    expect(claimVerdict(row('higher', 0.5, 0.4))).toBeNull();
  });
  test('the verdict lines group the claims with a target by verdict, strongest first', () => {
    const row = (text: string, mean: number, bound: number, target?: number): ClaimRow =>
      ({ text, direction: 'higher', mean, bound, sd: 0.01, min: bound, max: mean, n: 10, values: [], ...(target === undefined ? {} : { target }) });
    // 'tight': every run studied clears 0 (min 0.005), but mean − 3 sd (the bound) does not.
    const tight: ClaimRow = { ...row('tight', 0.04, -0.02, 0), min: 0.005 };
    const s = { ...study(), claims: { a: row('gap', 0.05, 0.01, 0), b: row('acc', 0.98, 0.97, 0.99), c: row('lift', 0.2, 0.1, 0.1), d: row('plain', 1, 1), e: row('edge', 0.02, -0.01, 0), f: tight } };
    expect(claimVerdictLines(s)).toEqual([
      "holds at the study's bound: gap; lift",
      'holds in every run studied, but not with 3 sd to spare: tight',
      'holds on average only — some seed or CPU misses the target: edge',
      'misses the target on average: acc',
    ]);
    // The same for a 'lower' claim: every run at most the target, the bound above it.
    const low: ClaimRow = { text: 'loss', direction: 'lower', mean: 0.1, bound: 0.2, sd: 0.03, min: 0.05, max: 0.14, n: 10, values: [], target: 0.15 };
    expect(claimVerdictLines({ ...s, claims: { g: low } })).toEqual(['holds in every run studied, but not with 3 sd to spare: loss']);
    expect(claimVerdictLines({ ...s, claims: { d: row('plain', 1, 1) } })).toEqual([]);
  });
  test('the table and the spread figure show every claim, its spread and bound', () => {
    const s = study();
    const table = claimTable(s, ['auc', 'missing']);
    expect(table).toMatch(/\| text of auc \| 0\.9100 ± 0\.0082 \| 0\.9000 – 0\.9200 \| 4 \| ≥ 0.8855 \| — \|/);
    expect(table).toMatch(/\| missing \| not studied yet/);
    const fig = claimSpreadFigure(s, 'auc', 0.905);
    expect(fig.data.map((t) => t.name)).toEqual(['default', 'isa-sse41', 'mean 0.9100', 'asserted bound 0.8855', 'this run 0.9050']);
    expect(fig.data[0]!.x).toEqual([0.9, 0.92]);
  });
});

test('the committed studies in data/claims are valid and their bounds follow from their values', () => {
  const dir = path.join(__dirname, '..', '..', 'data', 'claims');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const s = loadClaimStudy(path.basename(f, '.json'), dir);
    expect(s.notebook).toBe(path.basename(f, '.json'));
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'notebooks', `${s.notebook}.ipynb`))).toBe(true);
    for (const row of Object.values(s.claims)) expect(row.n).toBe(row.values.length);
  }
});

test('every stored claim is checked by its notebook, and every claim a notebook checks is stored', () => {
  const dir = path.join(__dirname, '..', '..', 'data', 'claims');
  const notebooks = path.join(__dirname, '..', '..', 'notebooks');
  for (const f of fs.readdirSync(notebooks).filter((n) => n.endsWith('.ipynb'))) {
    const nb = JSON.parse(fs.readFileSync(path.join(notebooks, f), 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n');
    const checked = [...code.matchAll(/checkClaim\(claims, '([^']+)'/g)].map((m) => m[1]!).sort();
    const studyFile = path.join(dir, f.replace(/\.ipynb$/, '.json'));
    if (checked.length === 0) {
      expect(fs.existsSync(studyFile)).toBe(false);
      continue;
    }
    expect(code).toContain(`loadClaimStudy('${f.replace(/\.ipynb$/, '')}')`);
    const stored = Object.keys(loadClaimStudy(f.replace(/\.ipynb$/, ''), dir).claims).sort();
    expect({ notebook: f, keys: checked }).toEqual({ notebook: f, keys: stored });
  }
});
