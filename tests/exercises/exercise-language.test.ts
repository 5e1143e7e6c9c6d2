// checkExercise in the Chinese edition (src/exercises/exercise.ts with src/notebook/language.ts): the verdict's words
// and the hint in Chinese when the hint's translation is current, the English hint when it is stale; English otherwise.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Exercise, gradeExercise, todo } from '../../src/exercises/exercise';
import { sha256Hex } from '../../src/notebook/language';

const square: Exercise<(x: number) => number> = {
  id: '99.1', notebook: '99-test', kind: 'implement', difficulty: 1, title: 'square a number',
  statement: 'Return x².', hint: 'Multiply `x` by itself.', stub: () => todo(),
  check: (f) => (f(3) === 9 ? null : `f(3) = ${f(3)}, expected 9`),
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hints-'));
const saved = { lang: process.env.COURSE_LANG, dir: process.env.COURSE_I18N_DIR };
const hints = (h: Record<string, unknown>) => fs.writeFileSync(path.join(dir, 'exercises.json'), JSON.stringify(h));

beforeEach(() => { process.env.COURSE_I18N_DIR = dir; });
afterAll(() => {
  for (const [k, v] of [['COURSE_LANG', saved.lang], ['COURSE_I18N_DIR', saved.dir]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test('in Chinese: ✓, ✗ with the Chinese hint, and "not attempted" in Chinese', () => {
  process.env.COURSE_LANG = 'zh';
  hints({ '99.1': { en_sha256: sha256Hex(square.hint), hint: '把 `x` 乘以它自己。' } });
  expect(gradeExercise(square, (x) => x * x).message).toBe('✓ 99.1 square a number (实现, ★)');
  expect(gradeExercise(square, (x) => x + x).message).toBe('✗ 99.1 square a number (实现, ★)：f(3) = 6, expected 9 —— 提示：把 `x` 乘以它自己。');
  expect(gradeExercise(square, square.stub).message).toBe('· 99.1 square a number (实现, ★)：尚未作答');
  expect(gradeExercise(square, () => { throw new RangeError('no'); }).message).toContain('你的代码抛出了 RangeError: no');
});

test('in Chinese with a stale hint translation: the English hint; in English: everything as before', () => {
  process.env.COURSE_LANG = 'zh';
  hints({ '99.1': { en_sha256: sha256Hex('an older hint'), hint: '旧的提示' } });
  expect(gradeExercise(square, (x) => x + x).message).toBe('✗ 99.1 square a number (实现, ★)：f(3) = 6, expected 9 —— 提示：Multiply `x` by itself.');
  process.env.COURSE_LANG = 'en';
  expect(gradeExercise(square, (x) => x + x).message).toBe('✗ 99.1 square a number (implement, ★): f(3) = 6, expected 9 — hint: Multiply `x` by itself.');
  expect(gradeExercise(square, undefined as unknown as (x: number) => number).message).toBe('· 99.1 square a number (implement, ★): not attempted yet');
});
