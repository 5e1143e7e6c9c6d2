import { lazyDanfo } from '../../src/data/lazy-danfo';
import { frameMarkdown, printFrame, showFrame } from '../../src/notebook/print-frame';

/** What `printFrame` writes, as one string. */
function printed(run: () => void): string {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(' ')); });
  try { run(); } finally { spy.mockRestore(); }
  return lines.join('\n');
}

test('long text is not cut at 16 characters, non-integer numbers are rounded, integers and the frame stay as they are', () => {
  const dfd = lazyDanfo();
  const frame = new dfd.DataFrame({ checking: ['no checking account', '< 0 DM'], rate: [0.123456, 2], months: [12, 48] });
  const out = printed(() => printFrame(frame));
  expect(out).toContain('no checking account');
  expect(out).toContain('0.123');
  expect(out).not.toContain('0.1234');
  expect(out).toContain('48');
  expect(frame.column('rate').values).toEqual([0.123456, 2]);
  // danfo on its own cuts the same cell
  expect(printed(() => frame.print())).not.toContain('no checking account');
});

test('digits, width and maxRows are honoured', () => {
  const dfd = lazyDanfo();
  const frame = new dfd.DataFrame({ text: ['abcdefghijklmnopqrstuvwxyz0123456789'], x: [1.23456] });
  const narrow = printed(() => printFrame(frame, { width: 10, digits: 1 }));
  expect(narrow).toContain('1.2');
  expect(narrow).not.toContain('1.23');
  expect(narrow).not.toContain('abcdefghijklmnopqrstuvwxyz');
  expect(printed(() => printFrame(frame, { width: 40 }))).toContain('abcdefghijklmnopqrstuvwxyz0123456789');
  const many = new dfd.DataFrame({ i: Array.from({ length: 12 }, (_, k) => k * 1000 + 777) });
  const shown = printed(() => printFrame(many, { maxRows: 5 }));
  expect(shown).toContain('4777');
  expect(shown).not.toContain('11777');
});

test('frameMarkdown: a Markdown table with the index, rounded numbers, escaped bars, elided rows and the shape', () => {
  const dfd = lazyDanfo();
  const frame = new dfd.DataFrame({ purpose: ['car (new)', 'a|b'], rate: [0.123456, 2], months: [12, 48], note: ['... < 0 DM', '*x*_y'] });
  expect(frameMarkdown(frame)).toBe([
    '| | purpose | rate | months | note |',
    '|---|---|---:|---:|---|',
    '| 0 | car (new) | 0.123 | 12 | ... \\< 0 DM |',
    '| 1 | a\\|b | 2 | 48 | \\*x\\*\\_y |',
    '',
    '*2 rows × 4 columns*',
  ].join('\n'));
  const many = new dfd.DataFrame({ i: Array.from({ length: 12 }, (_, k) => k) });
  const md = frameMarkdown(many, { maxRows: 3 });
  expect(md.split('\n').slice(2, 6)).toEqual(['| 0 | 0 |', '| 1 | 1 |', '| 2 | 2 |', '| … | … |']);
  expect(md.endsWith('*12 rows × 1 columns*')).toBe(true);
});

test('showFrame prints text outside a notebook (the headless form), the same as printFrame', () => {
  const dfd = lazyDanfo();
  const frame = new dfd.DataFrame({ checking: ['no checking account'], x: [1.5] });
  expect(printed(() => showFrame(frame))).toBe(printed(() => printFrame(frame)));
});
