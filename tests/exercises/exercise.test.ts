import { checkAgainst, Exercise, gradeExercise, NotAttempted, todo } from '../../src/exercises/exercise';
import { choiceMismatch, choiceProblem, mismatch, randomVector, mulberry32 } from '../../src/exercises/checks';

const square: Exercise<((x: number) => number) | undefined> = {
  id: '99.1', notebook: '99-test', kind: 'implement', difficulty: 1, title: 'square a number', statement: 'x²',
  hint: 'multiply x by itself', stub: () => todo(),
  check: (f) => {
    for (const x of [-3, 0, 0.5, 7]) { const m = mismatch(f!(x), x * x, 1e-12); if (m) return `for x = ${x}, ${m}`; }
    return null;
  },
};

describe('grading', () => {
  test('a right answer is ✓, a wrong one ✗ with the failing input and the hint, a stub "not attempted"', () => {
    expect(gradeExercise(square, (x) => x * x)).toEqual({ id: '99.1', status: 'correct', message: '✓ 99.1 square a number (implement, ★)' });
    const wrong = gradeExercise(square, (x) => 2 * x);
    expect(wrong.status).toBe('wrong');
    expect(wrong.message).toBe('✗ 99.1 square a number (implement, ★): for x = -3, the answer is -6, expected 9 — hint: multiply x by itself');
    expect(gradeExercise(square, square.stub).status).toBe('not attempted');
    expect(gradeExercise(square, undefined).message).toBe('· 99.1 square a number (implement, ★): not attempted yet');
  });

  test('an answer that throws is wrong, with the error, unless it is todo()', () => {
    const thrown = gradeExercise(square, () => { throw new RangeError('boom'); });
    expect(thrown.status).toBe('wrong');
    expect(thrown.message).toContain('your code threw RangeError: boom');
    expect(() => todo()).toThrow(NotAttempted);
  });

  test('checkAgainst prints the verdict, never throws for a wrong answer unless strict, and names unknown ids', () => {
    const lines: string[] = [];
    const r = checkAgainst([square], '99.1', (x: number) => x + 1, { print: (l) => lines.push(l), strict: false });
    expect(r.status).toBe('wrong');
    expect(lines).toEqual([r.message]);
    expect(() => checkAgainst([square], '99.1', (x: number) => x + 1, { print: () => undefined, strict: true })).toThrow(/✗ 99.1/);
    expect(() => checkAgainst([square], '99.1', square.stub, { print: () => undefined, strict: true })).not.toThrow();
    expect(() => checkAgainst([square], '42.1', 1)).toThrow("checkExercise: no exercise '42.1'; the exercises are 99.1");
  });
});

describe('check helpers', () => {
  test('mismatch names the first differing entry, the shape, and treats NaN/∞ as wrong', () => {
    expect(mismatch([[1, 2], [3, 4]], [[1, 2], [3, 4.5]], 1e-9)).toBe('entry [1][1] is 4, expected 4.5');
    expect(mismatch([1, 2], [1, 2, 3], 1e-9)).toBe('the answer has 2 entries, expected 3');
    expect(mismatch(NaN, 1, 1e-9)).toBe('the answer is NaN, expected 1');
    expect(mismatch(Infinity, Infinity, 1e-9)).toBeNull();
    expect(mismatch(1.05, 1, 0.1, true)).toBeNull();
    expect(mismatch('1', 1, 0.1)).toBe('the answer is "1", expected a number (1)');
  });

  test('randomVector is seeded and within its scale', () => {
    const a = randomVector(mulberry32(5), 100, 3);
    expect(a).toEqual(randomVector(mulberry32(5), 100, 3));
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(Math.max(...a)).toBeGreaterThan(2);
  });
});

test('multiple-choice answers: outside the choices, the wrong choice, the right one', () => {
  expect(choiceProblem('up', ['lower', 'higher'])).toBe("the answer is \"up\", expected 'lower' or 'higher'");
  expect(choiceProblem('KS', ['AUC', 'KS', 'ECE'])).toBeNull();
  expect(choiceMismatch(true, false, [true, false])).toBe('the answer is true, expected true or false — the right one');
  expect(choiceMismatch(undefined, false, [true, false])).toBe('the answer is undefined, expected true or false');
  expect(choiceMismatch('stable', 'moderate shift', ['stable', 'moderate shift', 'major shift']))
    .toBe("the answer is \"stable\", expected 'stable', 'moderate shift' or 'major shift' — the right one");
  expect(choiceMismatch(false, false, [true, false])).toBeNull();
});
