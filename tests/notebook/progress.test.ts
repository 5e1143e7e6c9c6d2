import { Writable } from 'stream';
import { formatBytes, progress, progressLine } from '../../src/notebook/progress';

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => chunks.join('') };
}

test('progressLine draws the bar, percentage, amount, rate and eta', () => {
  expect(progressLine('epoch 1', 50, 100, 10, 10, 'img', { loss: 0.123456 }))
    .toBe('epoch 1 [====>     ] 50% 50/100 5.0 img/s eta 10s loss=0.1235');
  expect(progressLine('', 100, 100, 2, 4)).toBe('[====] 100% 100/100 50.0/s');
  expect(progressLine('dl', 1536, 3072, 1, 4, 'B')).toBe('dl [=>  ] 50% 1.5 kB/3.0 kB 1.5 kB/s eta 1s');
});

test('formatBytes uses B, kB and MB', () => {
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(2048)).toBe('2.0 kB');
  expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
});

test('on a terminal the line is redrawn in place and ends with the summary', () => {
  const out = sink(true);
  const bar = progress({ total: 3, label: 'work', stream: out.stream, intervalMs: 0 });
  bar.update(1);
  bar.update(2, { loss: 0.5 });
  const seconds = bar.done('work: 3 items done');
  expect(seconds).toBeGreaterThanOrEqual(0);
  const text = out.text();
  expect(text.split('\r').length).toBeGreaterThanOrEqual(3);
  expect(text).toContain('loss=0.5000');
  expect(text.endsWith('\rwork: 3 items done\x1b[K\n')).toBe(true);
});

test('in a log (not a terminal) it writes whole lines, not carriage returns', () => {
  const out = sink(false);
  const bar = progress({ total: 10, label: 'ci', stream: out.stream, intervalMs: 0 });
  for (let i = 1; i <= 10; i++) bar.update(i);
  bar.done();
  expect(out.text()).not.toContain('\r');
  expect(out.text()).toMatch(/^ci: 10 in \d+\.\d s\n$/m);
});

test('a bad total is rejected', () => {
  expect(() => progress({ total: Number.NaN })).toThrow(/total must be a finite number/);
});
