// The Chinese edition's tools (kernel-setup/i18n.js, #23): the completeness check passes on a small course and fails,
// naming notebook and cell, on a stale, missing or orphaned translation, a glossary term translated another way, a
// changed code span, math or link; `generate` writes Chinese notebooks with the same cells, ids and code.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { labelTableProblems } from '../../src/notebook/language';

interface Cell { cell_type: string; id: string; source: string | string[]; metadata: Record<string, unknown>; outputs?: unknown[]; execution_count?: number | null }
interface Notebook { cells: Cell[]; metadata: Record<string, any>; nbformat: number; nbformat_minor: number }
interface Problem { where: string; cell?: string; kind: string; message: string }
interface CheckResult { problems: Problem[]; notebooks: number; cells: number; current: number; hints: number; hintsCurrent: number; labels: number }
// eslint-disable-next-line @typescript-eslint/no-var-requires
const i18n = require('../../kernel-setup/i18n') as {
  check(o: { root: string; exercises?: { id: string; hint: string }[] | null; labelProblems?: (t: Record<string, string>) => string[] }): CheckResult;
  report(r: CheckResult): string;
  generate(o: { root: string; force?: boolean; log?: (l: string) => void }): { written: string[]; unchanged: string[]; kept: string[]; untranslated: string[]; englishCells: number };
  relinkTarget(t: string, zh: Set<string>): string;
  termPattern(en: string): RegExp;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const md = require('../../kernel-setup/i18n-markdown') as { jupyterAnchor(text: string): string; headings(md: string): { level: number; text: string }[] };

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const lines = (s: string) => s.split(/(?<=\n)/);

const EN: Record<string, string> = {
  intro: '# 02 · Losses\n\nThe **loss function** turns outputs into one number; see [notebook 03](03-optimizers.ipynb) and [the data](../data/README.md).',
  ce: '## 1 · Cross-entropy\n\nBinary cross-entropy is `binaryCrossEntropy(p, y)` and equals $-\\log p$ when $y = 1$.',
};
const ZH: Record<string, string> = {
  intro: '# 02 · 损失函数\n\n**损失函数**（loss function）把输出变成一个数；见[笔记本 03](03-optimizers.ipynb)和[数据](../data/README.md)。',
  ce: '## 1 · 交叉熵\n\n二元交叉熵是 `binaryCrossEntropy(p, y)`，当 $y = 1$ 时等于 $-\\log p$。',
};
const CODE = "import { binaryCrossEntropy } from 'ai-course';\nconsole.log(binaryCrossEntropy(0.9, 1));";
const GLOSSARY = { terms: [{ en: 'loss function', zh: '损失函数' }, { en: 'cross-entropy', zh: '交叉熵' }, { en: 'binary cross-entropy', zh: '二元交叉熵' }] };
const EXERCISES = [{ id: '02.1', hint: 'Use `binaryCrossEntropy` on the logit.' }];

function notebook(cells: [string, 'markdown' | 'code', string][]): Notebook {
  return {
    cells: cells.map(([id, type, text]) => (type === 'code'
      ? { cell_type: 'code', id, source: lines(text), metadata: {}, outputs: [], execution_count: null }
      : { cell_type: 'markdown', id, source: lines(text), metadata: {} })),
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' }, language_info: { name: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const write = (file: string, value: unknown) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
};

/** A small course: two English notebooks, 02 translated (2 markdown cells), 03 translated, the glossary and one hint. */
function fixture(): { root: string; nb: string; tr: string; i18nDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-'));
  const nbDir = path.join(root, 'notebooks');
  const i18nDir = path.join(nbDir, 'i18n', 'zh');
  write(path.join(nbDir, '02-losses.ipynb'), notebook([['intro', 'markdown', EN.intro!], ['code1', 'code', CODE], ['ce', 'markdown', EN.ce!]]));
  write(path.join(nbDir, '03-optimizers.ipynb'), notebook([['opt', 'markdown', '# 03 · Optimizers\n\nBack to [02](02-losses.ipynb#1-·-Cross-entropy).']]));
  write(path.join(i18nDir, '02-losses.json'), { notebook: '02-losses.ipynb', cells: Object.fromEntries(Object.keys(EN).map((id) => [id, { en_sha256: sha(EN[id]!), zh: ZH[id] }])) });
  write(path.join(i18nDir, '03-optimizers.json'), { notebook: '03-optimizers.ipynb', cells: { opt: { en_sha256: sha('# 03 · Optimizers\n\nBack to [02](02-losses.ipynb#1-·-Cross-entropy).'), zh: '# 03 · 优化器\n\n回到 [02](02-losses.ipynb#1-·-Cross-entropy)。' } } });
  write(path.join(i18nDir, 'glossary.json'), GLOSSARY);
  write(path.join(i18nDir, 'exercises.json'), { '02.1': { en_sha256: sha(EXERCISES[0]!.hint), hint: '对 logit 使用 `binaryCrossEntropy`。' } });
  write(path.join(i18nDir, 'labels.json'), { about: 'labels', 'MLP (AUC {n})': 'MLP（AUC {n}）', 'cross-entropy loss': '交叉熵损失' });
  return { root, nb: path.join(nbDir, '02-losses.ipynb'), tr: path.join(i18nDir, '02-losses.json'), i18nDir };
}

const run = (root: string) => i18n.check({ root, exercises: EXERCISES, labelProblems: labelTableProblems });
const edit = (file: string, fn: (j: any) => void) => {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  fn(j);
  write(file, j);
};

test('the check passes on a complete, current translation and says so in one summary line', () => {
  const { root } = fixture();
  const r = run(root);
  expect(r.problems).toEqual([]);
  expect([r.notebooks, r.cells, r.current, r.hints, r.hintsCurrent, r.labels]).toEqual([2, 3, 3, 1, 1, 2]);
  expect(i18n.report(r)).toBe('i18n: 2 notebooks, 3 of 3 markdown cells current, 1 of 1 exercise hints current, 2 figure labels; no problems');
});

test('an edited English cell makes its translation stale: reported with notebook, cell id and the first words', () => {
  const { root, nb } = fixture();
  edit(nb, (j) => { j.cells[2].source = lines(EN.ce!.replace('equals', 'is')); });
  const r = run(root);
  expect(r.problems.map((p) => [p.where, p.cell, p.kind])).toEqual([['02-losses.ipynb', 'ce', 'stale']]);
  expect(r.problems[0]!.message).toContain('"1 · Cross-entropy"');
  expect(i18n.report(r)).toMatch(/^02-losses\.ipynb: 1 stale\n {2}cell ce \[stale\]/);
  expect(r.current).toBe(2);
});

test('a missing translation, an orphaned one and a notebook without a translation file are reported', () => {
  const { root, tr, i18nDir } = fixture();
  edit(tr, (j) => { j.cells.gone = j.cells.intro; delete j.cells.intro; });
  fs.rmSync(path.join(i18nDir, '03-optimizers.json'));
  const r = run(root);
  expect(r.problems.map((p) => [p.where, p.cell, p.kind])).toEqual([
    ['02-losses.ipynb', 'intro', 'missing'], ['02-losses.ipynb', 'gone', 'orphaned'], ['03-optimizers.ipynb', 'opt', 'missing'],
  ]);
  expect(r.problems[2]!.message).toContain('no 03-optimizers.json yet');
});

test('a glossary term translated another way is reported; inside code or math the English term does not count', () => {
  const { root, tr } = fixture();
  edit(tr, (j) => { j.cells.intro.zh = j.cells.intro.zh.replace(/损失函数/g, '代价函数'); });
  const r = run(root);
  expect(r.problems.map((p) => [p.cell, p.kind])).toEqual([['intro', 'glossary']]);
  expect(r.problems[0]!.message).toContain('"loss function"');
  expect(r.problems[0]!.message).toContain('损失函数');
  // The term only inside a code span: no rule applies.
  const p2 = fixture();
  edit(p2.nb, (j) => { j.cells[0].source = lines('# Losses\n\nSee `loss function` here.'); });
  edit(p2.tr, (j) => { j.cells.intro = { en_sha256: sha('# Losses\n\nSee `loss function` here.'), zh: '# 损失\n\n见 `loss function`。' }; });
  expect(run(p2.root).problems).toEqual([]);
  expect(i18n.termPattern('loss function').test('two loss\nfunctions')).toBe(true);
  expect(i18n.termPattern('epoch').test('epochal')).toBe(false);
});

test('a changed code span, math or link target in the translation is reported, each way', () => {
  const { root, tr } = fixture();
  edit(tr, (j) => {
    j.cells.ce.zh = j.cells.ce.zh.replace('binaryCrossEntropy(p, y)', 'binaryCrossEntropy(y, p)').replace('$-\\log p$', '$\\log p$');
    j.cells.intro.zh = j.cells.intro.zh.replace('03-optimizers.ipynb', '03-optimisers.ipynb');
  });
  const r = run(root);
  expect(r.problems.map((p) => [p.cell, p.kind]).sort()).toEqual([
    ['ce', 'code'], ['ce', 'code'], ['ce', 'math'], ['ce', 'math'], ['intro', 'links'], ['intro', 'links'],
  ]);
  expect(r.problems.find((p) => p.kind === 'code')!.message).toContain('`binaryCrossEntropy(p, y)`');
});

test('a number the English does not have is reported; numbers of the English (also from its math) are fine', () => {
  const { root, tr } = fixture();
  edit(tr, (j) => { j.cells.ce.zh = j.cells.ce.zh.replace('二元交叉熵是', '二元交叉熵（1 个公式）是'); });
  expect(run(root).problems.map((p) => [p.cell, p.kind, p.message.includes('the number 1 ')])).toEqual([]);
  edit(tr, (j) => { j.cells.ce.zh = j.cells.ce.zh.replace('1 个公式', '3 个公式'); });
  expect(run(root).problems.map((p) => [p.cell, p.kind])).toEqual([['ce', 'numbers']]);
});

test('headings must keep their levels', () => {
  const { root, tr } = fixture();
  edit(tr, (j) => { j.cells.ce.zh = j.cells.ce.zh.replace('## 1', '### 1'); });
  expect(run(root).problems.map((p) => [p.cell, p.kind])).toEqual([['ce', 'headings']]);
});

test('exercise hints: missing, stale and orphaned ones are reported; the label table must not type numbers', () => {
  const { root, i18nDir } = fixture();
  const exercises = [{ id: '02.1', hint: 'Use `binaryCrossEntropy` on the probability.' }, { id: '02.2', hint: 'Think.' }];
  edit(path.join(i18nDir, 'exercises.json'), (j) => { j['09.9'] = { en_sha256: sha('x'), hint: '想' }; });
  edit(path.join(i18nDir, 'labels.json'), (j) => { j['AUC 0.91'] = 'AUC 0.91'; j['cross-entropy'] = '熵'; });
  const r = i18n.check({ root, exercises, labelProblems: labelTableProblems });
  expect(r.problems.map((p) => [p.where, p.cell, p.kind])).toEqual([
    ['exercises.json', '02.1', 'stale'], ['exercises.json', '02.2', 'missing'], ['exercises.json', '09.9', 'orphaned'],
    ['labels.json', undefined, 'label'], ['labels.json', undefined, 'label'], ['labels.json', undefined, 'glossary'],
  ]);
  expect(r.problems[3]!.message).toContain('a number is typed into the key');
});

test('generate: same cells and ids, code byte-identical, Chinese markdown with English anchors, links that resolve from notebooks/zh/', () => {
  const { root, nb } = fixture();
  const logs: string[] = [];
  const r = i18n.generate({ root, log: (l) => logs.push(l) });
  expect(r.written).toEqual(['02-losses.ipynb', '03-optimizers.ipynb']);
  const en = JSON.parse(fs.readFileSync(nb, 'utf8')) as Notebook;
  const zhFile = path.join(root, 'notebooks', 'zh', '02-losses.ipynb');
  const zh = JSON.parse(fs.readFileSync(zhFile, 'utf8')) as Notebook;
  expect(zh.cells.map((c) => c.id)).toEqual(en.cells.map((c) => c.id));
  expect(zh.cells[1]).toEqual(en.cells[1]);
  expect(zh.metadata.language).toBe('zh-CN');
  expect(zh.metadata.kernelspec).toEqual(en.metadata.kernelspec);
  const intro = (zh.cells[0]!.source as string[]).join('');
  // The heading keeps the English anchor JupyterLab gives it; the sibling notebook has a Chinese version, ../data does not.
  expect(intro).toBe('# <a id="02-·-Losses"></a>02 · 损失函数\n\n**损失函数**（loss function）把输出变成一个数；见[笔记本 03](03-optimizers.ipynb)和[数据](../../data/README.md)。');
  expect((zh.cells[2]!.source as string[]).join('')).toContain('## <a id="1-·-Cross-entropy"></a>1 · 交叉熵');
  // The link from 03 to 02's section finds the anchor written into 02's Chinese heading.
  const opt = JSON.parse(fs.readFileSync(path.join(root, 'notebooks', 'zh', '03-optimizers.ipynb'), 'utf8')) as Notebook;
  const fragment = (opt.cells[0]!.source as string[]).join('').match(/02-losses\.ipynb#([^)]+)/)![1];
  expect(md.jupyterAnchor(md.headings(EN.ce!)[0]!.text)).toBe(fragment);
  expect(fs.readdirSync(path.join(root, 'notebooks', 'zh')).sort()).toEqual(['02-losses.ipynb', '03-optimizers.ipynb']); // no temporary files left
  expect(logs.at(-1)).toContain('2 written');
});

test('generate: an untranslated cell stays English, an untranslated notebook gets no Chinese version (links to it go to ../)', () => {
  const { root, tr, i18nDir } = fixture();
  edit(tr, (j) => { delete j.cells.ce; });
  fs.rmSync(path.join(i18nDir, '03-optimizers.json'));
  const r = i18n.generate({ root, log: () => undefined });
  expect([r.written, r.untranslated, r.englishCells]).toEqual([['02-losses.ipynb'], ['03-optimizers.ipynb'], 1]);
  const zh = JSON.parse(fs.readFileSync(path.join(root, 'notebooks', 'zh', '02-losses.ipynb'), 'utf8')) as Notebook;
  expect((zh.cells[2]!.source as string[]).join('')).toBe(EN.ce);
  expect((zh.cells[0]!.source as string[]).join('')).toContain('](../03-optimizers.ipynb)');
  expect(i18n.relinkTarget('https://example.org/a', new Set())).toBe('https://example.org/a');
  expect(i18n.relinkTarget('#Section', new Set())).toBe('#Section');
});

test("generate keeps a Chinese notebook the learner edited, replaces it with --force, and leaves an up-to-date one alone", () => {
  const { root, tr } = fixture();
  i18n.generate({ root, log: () => undefined });
  const zhFile = path.join(root, 'notebooks', 'zh', '02-losses.ipynb');
  // Outputs only (a run in Lab): up to date, the file is not rewritten.
  edit(zhFile, (j) => { j.cells[1].outputs = [{ output_type: 'stream', name: 'stdout', text: '0.1\n' }]; });
  expect(i18n.generate({ root, log: () => undefined }).unchanged).toContain('02-losses.ipynb');
  expect(JSON.parse(fs.readFileSync(zhFile, 'utf8')).cells[1].outputs).toHaveLength(1);
  // A translation changes and the learner has not edited a cell: regenerated.
  edit(tr, (j) => { j.cells.ce.zh = j.cells.ce.zh.replace('交叉熵\n', '交叉熵（二）\n'); });
  expect(i18n.generate({ root, log: () => undefined }).written).toEqual(['02-losses.ipynb']);
  // The learner answers in a code cell; the translation changes again: kept, unless forced.
  edit(zhFile, (j) => { j.cells[1].source = ['console.log(42);']; });
  edit(tr, (j) => { j.cells.ce.zh = j.cells.ce.zh.replace('（二）', ''); });
  const logs: string[] = [];
  expect(i18n.generate({ root, log: (l) => logs.push(l) }).kept).toEqual(['02-losses.ipynb']);
  expect(logs[0]).toContain('has your edits');
  expect(JSON.parse(fs.readFileSync(zhFile, 'utf8')).cells[1].source).toEqual(['console.log(42);']);
  expect(i18n.generate({ root, force: true, log: () => undefined }).written).toEqual(['02-losses.ipynb']);
  expect(JSON.parse(fs.readFileSync(zhFile, 'utf8')).cells[1].source).toEqual(lines(CODE));
});

test("JupyterLab's heading anchors: the rendered text with spaces as '-'", () => {
  expect(md.jupyterAnchor('2 · Binary cross-entropy — 二元交叉熵 (article §4.2)')).toBe('2-·-Binary-cross-entropy-—-二元交叉熵-(article-§4.2)');
  expect(md.jupyterAnchor('The `softmax` and **its** [Jacobian](x.ipynb)')).toBe('The-softmax-and-its-Jacobian');
});
