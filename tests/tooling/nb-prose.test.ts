// The prose check of `npm run nb:check` (kernel-setup/nb-prose.js): markdown may not state a run's outcome. A number
// in prose is either printed by a cell or listed, with its reason, in notebooks/prose-numbers.json.
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const prose = require('../../kernel-setup/nb-prose') as {
  proseNumbers(markdown: string): string[];
  proseProblems(file: string, nb: unknown, allowed?: Record<string, string>): string[];
  readAllowList(file: string): Record<string, Record<string, string>>;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nbCheck = require('../../kernel-setup/nb-check') as { prose(files: string[], allowFile?: string): string[] };

const ROOT = path.join(__dirname, '..', '..');
const notebook = (...markdown: string[]) => ({
  cells: [...markdown.map((m) => ({ cell_type: 'markdown', source: [m] })), { cell_type: 'code', source: ['console.log(0.911);'] }],
});

test('measured-looking numbers are found; math, code, links, headings and dimensions are not numbers of prose', () => {
  expect(prose.proseNumbers('reports **98.62 %** on 28×28 images, lr 0.001, $p = 0.5$, `x = 2.5`, 3× slower, 15 points')).toEqual(
    ['98.62 %', '0.001', '3×', '15 points']);
  expect(prose.proseNumbers('### 1.2 DP-SGD\nSee [v2](https://x.org/a/1.5) and 1,000 images in 2023; $$\\sqrt{0.25}$$')).toEqual([]);
});

test('a deliberately bad notebook fails: a run number in prose, a run phrase, a stale or reasonless entry', () => {
  const bad = notebook('In this run the CNN reached 0.911 AUC; the article reports 98.62 %.');
  const problems = prose.proseProblems('/x/99-bad.ipynb', bad, { '98.62 %': 'citation: the article', '0.5': 'constant: gone', '2×': 'because' });
  expect(new Set(problems)).toEqual(new Set([
    '99-bad.ipynb cell 1: "In this run" reports one run\'s outcome in prose; print the sentence from a cell (showMarkdown or console.log with the computed values) or say it without the run',
    '99-bad.ipynb cell 1: "0.911" is a number in prose that no cell computes; print it from a cell, or, if it is a citation, a definition, a constant or a fact of the data, list it under "99-bad" in notebooks/prose-numbers.json with the reason',
    'notebooks/prose-numbers.json: "99-bad" → "0.5" is no longer in the notebook\'s prose; remove the entry',
    'notebooks/prose-numbers.json: "99-bad" → "2×" is no longer in the notebook\'s prose; remove the entry',
    'notebooks/prose-numbers.json: "99-bad" → "2×": the reason must start with citation:, definition:, constant: or data: (got "because")',
  ]));
  expect(problems).toHaveLength(5);
  // The same sentence written as a cell's output passes: the number lives in code, not in prose.
  expect(prose.proseProblems('/x/99-good.ipynb', notebook('The article reports 98.62 %; our AUC is printed above.'), { '98.62 %': 'citation: the article' })).toEqual([]);
});

test("the course's notebooks pass, through nb:check's own entry point, against the committed allow-list", () => {
  const dir = path.join(ROOT, 'notebooks');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).map((f) => path.join(dir, f));
  expect(nbCheck.prose(files)).toEqual([]);
  // And the check can fail on them: without the allow-list every listed number is reported.
  const empty = path.join(ROOT, 'build', 'empty-prose-numbers.json');
  fs.mkdirSync(path.dirname(empty), { recursive: true });
  fs.writeFileSync(empty, '{}');
  const listed = Object.values(prose.readAllowList(path.join(dir, 'prose-numbers.json'))).reduce((a, m) => a + Object.keys(m).length, 0);
  expect(nbCheck.prose(files, empty).length).toBeGreaterThanOrEqual(listed);
});
