// The course's language (src/notebook/language.ts): which language a kernel speaks, figure labels through the label
// table (numbers never typed into it), the error for a missing label, and show() translating in the Chinese edition.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  courseLanguage, labelKey, labelTableProblems, loadLabelTable, MissingLabelError, translateFigure, translateLabel, zhExerciseHint, sha256Hex,
} from '../../src/notebook/language';
import { lineChart, show } from '../../src/notebook/plot';

describe('courseLanguage', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lang-'));
  const zhDir = path.join(tmp, 'notebooks', 'zh');
  fs.mkdirSync(zhDir, { recursive: true });

  test("COURSE_LANG decides when set; otherwise a kernel running in a folder named zh speaks Chinese", () => {
    expect(courseLanguage({ COURSE_LANG: 'zh' }, tmp)).toBe('zh');
    expect(courseLanguage({ COURSE_LANG: 'zh-CN' }, tmp)).toBe('zh');
    expect(courseLanguage({ COURSE_LANG: 'en' }, zhDir)).toBe('en');
    expect(courseLanguage({}, zhDir)).toBe('zh');
    expect(courseLanguage({}, path.join(tmp, 'notebooks'))).toBe('en');
    expect(courseLanguage({}, path.join(tmp, 'notebooks', 'zhx'))).toBe('en');
  });

  test('the process itself: the working directory counts', () => {
    const before = process.cwd();
    const env = process.env.COURSE_LANG;
    delete process.env.COURSE_LANG;
    try {
      process.chdir(zhDir);
      expect(courseLanguage()).toBe('zh');
      process.chdir(path.join(tmp, 'notebooks'));
      expect(courseLanguage()).toBe('en');
    } finally {
      process.chdir(before);
      if (env !== undefined) process.env.COURSE_LANG = env;
    }
  });
});

describe('figure labels', () => {
  const table = {
    'MLP (AUC {n})': 'MLP（AUC {n}）',
    'epoch': '轮次',
    'test accuracy: {n} runs of the claim study ({n}-{n}-{n})': '测试准确率：结论研究的 {n} 次运行（{n}-{n}-{n}）',
    '{n} runs, seed {n}': '种子 {2}，共 {1} 次运行',
    'Adam + L2, h = {n}': 'Adam + L2，h = {n}',
  };

  test('numbers become {n} in the key; words with digits (L2, F1, log₁₀) stay words', () => {
    expect(labelKey('MLP (AUC 0.734)')).toEqual({ key: 'MLP (AUC {n})', numbers: ['0.734'] });
    expect(labelKey('Adam + L2, h = 100')).toEqual({ key: 'Adam + L2, h = {n}', numbers: ['100'] });
    expect(labelKey('least squares: y = 1.447x − 0.700')).toEqual({ key: 'least squares: y = {n}x − {n}', numbers: ['1.447', '0.700'] });
    expect(labelKey('F1 per class, log₁₀ L, isa-avx2').numbers).toEqual([]);
    expect(labelKey('mean -0.013, this run −0.02')).toEqual({ key: 'mean {n}, this run {n}', numbers: ['-0.013', '−0.02'] });
    expect(labelKey('threads-1, 1e-5, 2026-12-06, r/(1−r), y = −x + 2').key).toBe('threads-{n}, {n}e-{n}, {n}-{n}-{n}, r/({n}−r), y = −x + {n}');
  });

  test('a label is translated with its own numbers, in order or by position', () => {
    expect(translateLabel('MLP (AUC 0.734)', table)).toBe('MLP（AUC 0.734）');
    expect(translateLabel('MLP (AUC 0.81)', table)).toBe('MLP（AUC 0.81）');
    expect(translateLabel('test accuracy: 10 runs of the claim study (2026-12-06)', table)).toBe('测试准确率：结论研究的 10 次运行（2026-12-06）');
    expect(translateLabel('15 runs, seed 3', table)).toBe('种子 3，共 15 次运行');
  });

  test('a label with no entry is an error naming the label, the key to add and the file', () => {
    expect(() => translateLabel('ROC curves on the test set', table)).toThrow(MissingLabelError);
    expect(() => translateLabel('KS = 0.459', table)).toThrow(/figure label 'KS = 0.459' has no Chinese translation: add "KS = \{n\}": "<中文>" to notebooks\/i18n\/zh\/labels\.json/);
  });

  test('a figure: title, axis titles, trace names and annotations translated; data untouched; the original unchanged', () => {
    const fig = lineChart({ x: [1, 2], series: { 'MLP (AUC 0.734)': [0.5, 0.6] } }, { title: 'MLP (AUC 0.9)', xTitle: 'epoch', yTitle: 'epoch' });
    fig.layout.annotations = [{ text: 'Adam + L2, h = 1', x: 1, y: 0.5 }];
    fig.layout.yaxis2 = { title: { text: 'epoch' } };
    const zh = translateFigure(fig, table);
    expect(zh.layout.title!.text).toBe('MLP（AUC 0.9）');
    expect([zh.layout.xaxis!.title!.text, zh.layout.yaxis!.title!.text, (zh.layout.yaxis2 as { title: { text: string } }).title.text]).toEqual(['轮次', '轮次', '轮次']);
    expect(zh.data[0]!.name).toBe('MLP（AUC 0.734）');
    expect((zh.layout.annotations as { text: string }[])[0]!.text).toBe('Adam + L2，h = 1');
    expect(zh.data[0]!.y).toEqual([0.5, 0.6]);
    expect(fig.layout.title!.text).toBe('MLP (AUC 0.9)');
    expect(() => translateFigure(lineChart({ x: [1], series: { train: [1] } }, { xTitle: 'epoch' }), table)).toThrow(/'train'/);
  });

  test('the table rule: no typed numbers, every {n} placed once', () => {
    expect(labelTableProblems(table)).toEqual([]);
    expect(labelTableProblems({ 'AUC 0.91': 'AUC 0.91', 'seed {n}': '种子', 'a {n} b {n}': '{1} {1}' })).toEqual([
      '"AUC 0.91": a number is typed into the key; write it as {n}',
      '"AUC 0.91": "AUC 0.91": a number is typed into the Chinese; write it as {n}',
      '"seed {n}": "种子": the Chinese must place each of the key\'s 1 {n} once ({n} in order, or {1} … {1})',
      '"a {n} b {n}": "{1} {1}": the Chinese must place each of the key\'s 2 {n} once ({n} in order, or {1} … {2})',
    ]);
  });

  test("the course's own table covers its keys' rule", () => {
    const real = loadLabelTable(path.join(__dirname, '..', '..', 'notebooks', 'i18n', 'zh', 'labels.json'));
    expect(Object.keys(real).length).toBeGreaterThan(100);
    expect(labelTableProblems(real)).toEqual([]);
  });
});

describe('show in the Chinese edition', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labels-'));
  fs.writeFileSync(path.join(dir, 'labels.json'), JSON.stringify({ about: 'x', 'loss per epoch': '每个轮次的损失', epoch: '轮次', train: '训练' }));
  const saved = { lang: process.env.COURSE_LANG, dir: process.env.COURSE_I18N_DIR };
  afterEach(() => {
    for (const [k, v] of [['COURSE_LANG', saved.lang], ['COURSE_I18N_DIR', saved.dir]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    jest.restoreAllMocks();
  });

  test('translates the figure it shows; an English run shows it as it is; a missing label fails with the fix', () => {
    const printed: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => { printed.push(line); });
    process.env.COURSE_I18N_DIR = dir;
    process.env.COURSE_LANG = 'zh';
    show(lineChart({ x: [1, 2], series: { train: [1, 0.5] } }, { title: 'loss per epoch', xTitle: 'epoch' }));
    process.env.COURSE_LANG = 'en';
    show(lineChart({ x: [1, 2], series: { train: [1, 0.5] } }, { title: 'loss per epoch', xTitle: 'epoch' }));
    expect(printed).toEqual(["[figure] 每个轮次的损失: 1 trace(s) (scatter '训练')", "[figure] loss per epoch: 1 trace(s) (scatter 'train')"]);
    process.env.COURSE_LANG = 'zh';
    expect(() => show(lineChart({ x: [1], series: { validation: [1] } }, { title: 'loss per epoch' })))
      .toThrow(`figure label 'validation' has no Chinese translation: add "validation": "<中文>" to notebooks/i18n/zh/labels.json, then run the cell again`);
  });
});

test('exercise hints: the Chinese hint when its translation is current, else null (the English is shown)', () => {
  const hints = { '02.1': { en_sha256: sha256Hex('Use the logit.'), hint: '用 logit。' } };
  expect(zhExerciseHint('02.1', 'Use the logit.', hints)).toBe('用 logit。');
  expect(zhExerciseHint('02.1', 'Use the logit, twice.', hints)).toBeNull();
  expect(zhExerciseHint('02.2', 'Anything.', hints)).toBeNull();
  expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
