// Notebook hygiene: outputs and execution counts are found; cleaning removes them and nothing else.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const fmt = require('../../kernel-setup/nb-format') as {
  hygieneProblems(file: string, nb: unknown): string[]; cleaned(nb: unknown): { cells: Array<Record<string, unknown>>; metadata: Record<string, unknown> };
};

const dirty = {
  nbformat: 4, nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3' }, widgets: {} },
  cells: [
    { cell_type: 'markdown', metadata: {}, source: '# title' },
    { cell_type: 'code', metadata: { execution: { 'iopub.execute_input': 'x' } }, execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }], source: 'console.log(1)' },
  ],
};

test('a notebook with outputs, counts and another kernel is reported cell by cell', () => {
  expect(fmt.hygieneProblems('/x/05-demo.ipynb', dirty)).toEqual([
    '05-demo.ipynb: cell 2 has outputs (run `npm run nb:clean`)',
    '05-demo.ipynb: cell 2 has an execution count (run `npm run nb:clean`)',
    "05-demo.ipynb: kernelspec is 'python3', expected 'tslab' (run `npm run nb:clean`)",
  ]);
});

test('cleaning strips outputs and run metadata but keeps the sources', () => {
  const clean = fmt.cleaned(dirty);
  expect(fmt.hygieneProblems('/x/05-demo.ipynb', clean)).toEqual([]);
  expect(clean.cells[1]).toEqual({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: 'console.log(1)' });
  expect(clean.cells[0]).toEqual(dirty.cells[0]);
  expect(clean.metadata.widgets).toBeUndefined();
});

test('a code cell after a book-export cell is reported: the export must come after every claim', () => {
  const cell = (source: string, tags?: string[]) => ({ cell_type: 'code', metadata: tags ? { tags } : {}, execution_count: null, outputs: [], source });
  const nb = (cells: unknown[]) => ({ nbformat: 4, metadata: { kernelspec: { name: 'tslab' } }, cells });
  const exportCell = cell('await exportForBook({ notebook: "05-demo", data: {} });', ['book-export']);
  expect(fmt.hygieneProblems('/x/05-demo.ipynb', nb([cell('checkClaim(study, "auc", auc, opts);'), exportCell,
    { cell_type: 'markdown', metadata: {}, source: 'The page has a widget.' }]))).toEqual([]);
  expect(fmt.hygieneProblems('/x/05-demo.ipynb', nb([exportCell, cell('checkClaim(study, "auc", auc, opts);')]))).toEqual([
    '05-demo.ipynb: code cell 2 follows the "book-export" cell 1; move the export to the end ' +
    '(the claim study leaves export cells out of its code hash because no claim may come after them)',
  ]);
});
