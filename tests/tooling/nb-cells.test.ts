// The cell-length rule of `npm run nb:check` (kernel-setup/nb-cells.js): no code cell over 40 lines unless tagged
// "derivation"; the cells longer when the rule came in are listed in notebooks/long-cells.json and may only shrink.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Cell { cell_type: string; id: string; source: string | string[]; metadata?: { tags?: string[] } }
interface Entry { lines: number; reason: string }
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cells = require('../../kernel-setup/nb-cells') as {
  MAX_CELL_LINES: number;
  lineCount(cell: Cell): number;
  cellLengthProblems(file: string, nb: { cells: Cell[] }, listed?: Record<string, Entry>): string[];
  checkCellLengths(notebooks: { file: string; nb: { cells: Cell[] } }[], list: Record<string, Record<string, Entry>>): { problems: string[]; longest: string[] };
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nbCheck = require('../../kernel-setup/nb-check') as { cellLengths(files: string[], listFile?: string): { problems: string[]; longest: string[] } };

/** A code cell of n lines (each line ends in a newline except the last, as Jupyter writes them). */
const code = (id: string, n: number, tags?: string[]): Cell => ({
  cell_type: 'code', id, source: Array.from({ length: n }, (_, i) => `const v${i} = ${i};${i < n - 1 ? '\n' : ''}`),
  ...(tags ? { metadata: { tags } } : {}),
});
const notebook = (...c: Cell[]) => ({ cells: [{ cell_type: 'markdown', id: 'm', source: '# title\n'.repeat(60) }, ...c] });
const reason = 'to be split (#19)';

test('lines are counted as written: a trailing newline starts no line, an empty cell has none', () => {
  expect(cells.MAX_CELL_LINES).toBe(40);
  expect(cells.lineCount(code('a', 41))).toBe(41);
  expect(cells.lineCount({ cell_type: 'code', id: 'b', source: 'a\n\nb\n' })).toBe(3);
  expect(cells.lineCount({ cell_type: 'code', id: 'c', source: [] })).toBe(0);
});

test('an unlisted code cell of 41 lines fails, naming notebook, cell and id; 40 lines and long markdown pass', () => {
  expect(cells.cellLengthProblems('/x/05-demo.ipynb', notebook(code('ok', 40), code('long', 41)))).toEqual([
    '05-demo.ipynb cell 3 (id long): 41 lines of code, over the limit of 40; split it into steps (a mechanic used twice belongs in src/), ' +
      'or tag the cell "derivation" (metadata.tags) if it derives a result step by step',
  ]);
  expect(cells.cellLengthProblems('/x/05-demo.ipynb', notebook(code('ok', 40)))).toEqual([]);
});

test('the same long cell passes when tagged "derivation" or when listed with at least its length', () => {
  expect(cells.cellLengthProblems('/x/05-demo.ipynb', notebook(code('long', 90, ['derivation'])))).toEqual([]);
  expect(cells.cellLengthProblems('/x/05-demo.ipynb', notebook(code('long', 90)), { long: { lines: 90, reason } })).toEqual([]);
  expect(cells.cellLengthProblems('/x/05-demo.ipynb', notebook(code('long', 60)), { long: { lines: 90, reason } })).toEqual([]);
});

test('a listed cell that grows beyond its recorded count fails', () => {
  expect(cells.cellLengthProblems('/x/05-demo.ipynb', notebook(code('long', 91)), { long: { lines: 90, reason } })).toEqual([
    '05-demo.ipynb cell 2 (id long): 91 lines of code, more than the 90 recorded in notebooks/long-cells.json; ' +
      'a listed cell may only shrink: split it until it has at most 40 lines and remove its entry',
  ]);
});

test('stale entries fail, each named: the cell is gone, now within the limit, or tagged; malformed entries fail too', () => {
  const nb = notebook(code('short', 12), code('tagged', 70, ['derivation']));
  const problems = cells.cellLengthProblems('/x/05-demo.ipynb', nb, {
    gone: { lines: 50, reason }, short: { lines: 50, reason }, tagged: { lines: 70, reason }, bad: { lines: 30, reason: '' },
  });
  expect(problems).toEqual([
    'notebooks/long-cells.json: "05-demo" → "gone" is stale: the notebook has no code cell with that id any more; remove the entry',
    'notebooks/long-cells.json: "05-demo" → "short" is stale: the cell has 12 lines now (at most 40); remove the entry',
    'notebooks/long-cells.json: "05-demo" → "tagged" is stale: the cell is tagged "derivation"; remove the entry',
    'notebooks/long-cells.json: "05-demo" → "bad": an entry is { "lines": <the cell\'s line count, over 40>, "reason": "…" }',
  ]);
});

test('over a set of notebooks: the longest cell of each is reported, and a list entry naming no notebook fails', () => {
  const r = cells.checkCellLengths(
    [{ file: '/x/05-a.ipynb', nb: notebook(code('c1', 3), code('c2', 55)) }, { file: '/x/06-b.ipynb', nb: notebook(code('d1', 7)) }],
    { '05-a': { c2: { lines: 55, reason } }, '99-gone': { z: { lines: 41, reason } } });
  expect(r.longest).toEqual([
    '05-a: 2 code cells, 58 lines; longest cell 3 (id c2), 55 lines (listed in notebooks/long-cells.json); 1 cell(s) over 40',
    '06-b: 1 code cells, 7 lines; longest cell 2 (id d1), 7 lines',
  ]);
  expect(r.problems).toEqual(['notebooks/long-cells.json: "99-gone" is not a notebook; remove it']);
});

test('nb-check reads the notebook files and the list file (a long unlisted cell on disk fails, listing it passes)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-cells-'));
  try {
    const file = path.join(dir, '05-demo.ipynb');
    fs.writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [code('long', 45)] }));
    const list = path.join(dir, 'long-cells.json');
    expect(nbCheck.cellLengths([file], list).problems).toHaveLength(1);
    fs.writeFileSync(list, JSON.stringify({ '05-demo': { long: { lines: 45, reason } } }));
    expect(nbCheck.cellLengths([file], list)).toEqual({
      problems: [], longest: ['05-demo: 1 code cells, 45 lines; longest cell 1 (id long), 45 lines (listed in notebooks/long-cells.json); 1 cell(s) over 40'],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
