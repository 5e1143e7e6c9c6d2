// kernel-setup/claims.js (npm run claims): a run committed in data/claims/ is reused in a fresh clone only when it ran
// the same code on the same CPU; anything else is rerun.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildClaimStudy, ClaimRecord, ClaimStudy } from '../../src/notebook/claims';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const cmd = require('../../kernel-setup/claims') as {
  storedRun(study: unknown, seed: number, path: string, code: string, machine: { cpu: string; cores: number; isa: string }, backendCode: string): null | {
    seed: number; path: string; codeHash: string; backendCode: string; ok: boolean; seconds: number; records: ClaimRecord[];
  };
  backendCodeHash(dir?: string): string;
  codeHash(notebook: string): string;
  staleStudies(notebooks: string[], dir: string, known?: Record<string, string>): string[];
  knownStaleStudies(file?: string): Record<string, string>;
};

const machine = { cpu: 'AMD EPYC', cores: 2, isa: 'AVX2' };
const rec = (key: string, value: number, seed: number): ClaimRecord =>
  ({ key, text: `text of ${key}`, direction: 'higher', value, seed, backend: 'tensorflow', ...(key === 'acc' ? { target: 0.99 } : {}) });

function stored(): ClaimStudy {
  return buildClaimStudy({
    notebook: '99-test', date: '2026-12-06', profile: 'full', machine: { ...machine, node: 'v20', backend: 'tensorflow' },
    seeds: [0, 1], paths: [{ name: 'default', env: {} }],
    runs: [
      { seed: 0, path: 'default', ok: true, seconds: 600, code: 'abc', backendCode: 'kern' },
      { seed: 1, path: 'default', ok: false, seconds: 90, code: 'abc', backendCode: 'kern', failure: 'cell 3: boom' },
    ],
  }, [
    { seed: 0, path: 'default', records: [rec('acc', 0.98, 0), rec('gap', 0.01, 0)] },
    { seed: 1, path: 'default', records: [rec('acc', 0.97, 1)] },
  ]);
}

test('a stored run with the same code on the same CPU comes back as the records it recorded', () => {
  const run = cmd.storedRun(stored(), 0, 'default', 'abc', machine, 'kern');
  expect(run).toEqual({ seed: 0, path: 'default', codeHash: 'abc', backendCode: 'kern', ok: true, seconds: 600, records: [
    { key: 'acc', text: 'text of acc', direction: 'higher', value: 0.98, seed: 0, backend: 'tensorflow', target: 0.99 },
    { key: 'gap', text: 'text of gap', direction: 'higher', value: 0.01, seed: 0, backend: 'tensorflow' },
  ] });
  // The rebuilt records give back the stored study.
  const again = buildClaimStudy(stored(), [run!, { seed: 1, path: 'default', records: [rec('acc', 0.97, 1)] }]);
  expect(again.claims).toEqual(stored().claims);
});

test('other code (notebook or backend), another CPU, a failed run or no such run is not reused', () => {
  expect(cmd.storedRun(stored(), 0, 'default', 'abc', machine, 'kern')).not.toBeNull();
  expect(cmd.storedRun(stored(), 0, 'default', 'changed', machine, 'kern')).toBeNull();
  expect(cmd.storedRun(stored(), 0, 'default', 'abc', machine, 'other kernels')).toBeNull();
  expect(cmd.storedRun(stored(), 0, 'default', 'abc', { ...machine, cpu: 'Intel Xeon' }, 'kern')).toBeNull();
  expect(cmd.storedRun(stored(), 0, 'default', 'abc', { ...machine, isa: 'AVX-512' }, 'kern')).toBeNull();
  expect(cmd.storedRun(stored(), 1, 'default', 'abc', machine, 'kern')).toBeNull();
  expect(cmd.storedRun(stored(), 0, 'isa-sse41', 'abc', machine, 'kern')).toBeNull();
  expect(cmd.storedRun(null, 0, 'default', 'abc', machine, 'kern')).toBeNull();
  const unhashed = stored();
  delete unhashed.runs[0]!.code;
  expect(cmd.storedRun(unhashed, 0, 'default', 'abc', machine, 'kern')).toBeNull();
  const noBackendHash = stored(); // a run from before the backend code was recorded
  delete noBackendHash.runs[0]!.backendCode;
  expect(cmd.storedRun(noBackendHash, 0, 'default', 'abc', machine, 'kern')).toBeNull();
});

test('the backend code hash changes with the name or content of any file under the folder (src/backends by default)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claims-backend-'));
  try {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export const fusion = true;');
    fs.writeFileSync(path.join(dir, 'sub', 'b.ts'), 'kernel');
    const base = cmd.backendCodeHash(dir);
    expect(cmd.backendCodeHash(dir)).toBe(base);
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export const fusion = false;');
    const edited = cmd.backendCodeHash(dir);
    expect(edited).not.toBe(base);
    fs.renameSync(path.join(dir, 'sub', 'b.ts'), path.join(dir, 'sub', 'c.ts'));
    expect(cmd.backendCodeHash(dir)).not.toBe(edited);
    expect(cmd.backendCodeHash()).toMatch(/^[0-9a-f]{16}$/); // the course's own src/backends
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the code hash covers every code cell but the book-export ones, which run after every claim', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claims-hash-'));
  const write = (cells: unknown[]): string => {
    const file = path.join(dir, `${cells.length}-${Math.random().toString(36).slice(2)}.ipynb`);
    fs.writeFileSync(file, JSON.stringify({ nbformat: 4, metadata: {}, cells }));
    return file;
  };
  const code = (source: string, tags?: string[]) => ({ cell_type: 'code', metadata: tags ? { tags } : {}, outputs: [], source });
  const md = { cell_type: 'markdown', metadata: {}, source: 'prose' };
  try {
    const base = cmd.codeHash(write([code('train()'), code('checkClaim()')]));
    expect(cmd.codeHash(write([code('train()'), md, code('checkClaim()'), md, code('exportForBook()', ['book-export'])]))).toBe(base);
    expect(cmd.codeHash(write([code('train()'), code('checkClaim()'), code('exportForBook()')]))).not.toBe(base);
    expect(cmd.codeHash(write([code('train(2)'), code('checkClaim()'), code('exportForBook()', ['book-export'])]))).not.toBe(base);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every code path a study can use has a Chinese figure label (the Chinese edition draws the paths in its claim figures)', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { PATHS } = require('../../kernel-setup/claims') as { PATHS: Record<string, Record<string, string>> };
  const { loadLabelTable, translateLabel } = require('../../src/notebook/language') as typeof import('../../src/notebook/language');
  const table = loadLabelTable();
  for (const name of Object.keys(PATHS)) expect(() => translateLabel(name, table)).not.toThrow();
});

test('a stored study of other code than its notebook has now is reported with the fix, and so is a study without a notebook', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claims-stale-'));
  try {
    const notebook = (name: string, source: string): string => {
      const file = path.join(dir, `${name}.ipynb`);
      fs.writeFileSync(file, JSON.stringify({ nbformat: 4, metadata: {}, cells: [{ cell_type: 'code', metadata: {}, outputs: [], source }] }));
      return file;
    };
    const study = (name: string, codes: (string | undefined)[]) => fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({
      notebook: name, runs: codes.map((code, seed) => ({ seed, path: 'default', ok: true, seconds: 90, ...(code ? { code } : {}) })) }));
    const fresh = notebook('97-fresh', 'train()');
    const edited = notebook('98-edited', 'train(2)');
    study('97-fresh', [cmd.codeHash(fresh), cmd.codeHash(fresh)]);
    study('98-edited', [cmd.codeHash(fresh), cmd.codeHash(edited)]); // one run of the code before the edit
    study('96-gone', [cmd.codeHash(fresh)]);
    const problems = cmd.staleStudies([fresh, edited], dir);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/96-gone\.json: no notebook 96-gone\.ipynb/);
    expect(problems[1]).toMatch(new RegExp(`98-edited\\.json: 1 of its 2 runs ran other code .* hash to ${cmd.codeHash(edited)}; those runs' to ${cmd.codeHash(fresh)}\\).*Fix: npm run claims -- 98 \\(.*~3 min`));
    study('98-edited', [cmd.codeHash(edited), undefined]); // a run from before code hashes were recorded
    expect(cmd.staleStudies([fresh, edited], dir)[1]).toMatch(/1 of its 2 runs .* to unrecorded\)/);
    // A stale study owned up to (with a reason) is no problem; an owned-up one that is not stale, or has no study, is.
    const known = { '98-edited': 'its 40-minute study is due next', '97-fresh': 'rerun', '95-none': 'gone' };
    expect(cmd.staleStudies([fresh, edited], dir, known)).toEqual([
      expect.stringMatching(/96-gone\.json: no notebook/),
      "notebooks/stale-studies.json: 97-fresh's study is of its notebook's code now; remove it from the list",
      'notebooks/stale-studies.json: there is no study data/claims/95-none.json; remove it from the list',
    ]);
    expect(cmd.staleStudies([fresh, edited], dir, { '98-edited': ' ' })).toContain("notebooks/stale-studies.json: say why 98-edited's study is not rerun yet");
    // A listed study without a notebook is reported once, as a study without a notebook.
    expect(cmd.staleStudies([fresh, edited], dir, { '96-gone': 'renamed' }).filter((p) => p.includes('96-gone'))).toEqual([
      expect.stringMatching(/96-gone\.json: no notebook 96-gone\.ipynb/),
    ]);
    fs.writeFileSync(path.join(dir, '98-edited.json'), '{"runs": [');
    expect(cmd.staleStudies([fresh, edited], dir)[1]).toMatch(/98-edited\.json: not readable JSON .*; rerun npm run claims -- 98/);
    study('98-edited', [cmd.codeHash(edited), cmd.codeHash(edited)]);
    expect(cmd.staleStudies([fresh, edited], dir)).toHaveLength(1); // only the study without a notebook
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the list of stale studies owned up to is read with a clear error when it is not an object of reasons', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claims-known-'));
  try {
    const file = path.join(dir, 'stale-studies.json');
    expect(cmd.knownStaleStudies(file)).toEqual({});
    fs.writeFileSync(file, '{"05-medical-imaging": "due next"}');
    expect(cmd.knownStaleStudies(file)).toEqual({ '05-medical-imaging': 'due next' });
    fs.writeFileSync(file, '{"05-medical-imaging": ');
    expect(() => cmd.knownStaleStudies(file)).toThrow(/stale-studies\.json: not readable JSON .*maps a notebook's name to why/);
    fs.writeFileSync(file, '["05-medical-imaging"]');
    expect(() => cmd.knownStaleStudies(file)).toThrow(/stale-studies\.json: expected an object mapping a notebook's name/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
