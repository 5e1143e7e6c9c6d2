import { resetExerciseCells } from '../../src/exercises/verify';

test('only the exercise cells a learner changed go back to their stubs; prose and other code stay as they are', () => {
  const committed = [
    { cell_type: 'markdown', source: ['**Exercise `01.1`**\n'] },
    { cell_type: 'code', source: ['const a: number | undefined = undefined;\n', "checkExercise('01.1', a);"] },
    { cell_type: 'code', source: "function f(): number {\n  return todo();\n}\ncheckExercise('01.2', f);" },
    { cell_type: 'code', source: 'console.log(1);' },
  ];
  const mine = [
    { cell_type: 'markdown', source: ['**Exercise `01.1`** (my notes)\n'] },
    { cell_type: 'code', source: ['const a: number | undefined = 0.7;\n', "checkExercise('01.1', a);"], outputs: ['✓'] },
    { cell_type: 'code', source: "function f(): number {\n  return todo();\n}\ncheckExercise('01.2', f);" },
    { cell_type: 'code', source: 'console.log(2); // my experiment' },
  ];
  const { cells, reset } = resetExerciseCells(mine, committed);
  expect(reset).toEqual(['01.1']);
  expect(cells[1]).toEqual({ cell_type: 'code', source: ['const a: number | undefined = undefined;\n', "checkExercise('01.1', a);"], outputs: ['✓'] });
  expect(cells[0]).toBe(mine[0]);
  expect(cells[2]).toBe(mine[2]);
  expect(cells[3]).toBe(mine[3]);
  expect(mine[1]!.source[0]).toBe('const a: number | undefined = 0.7;\n'); // the input is not modified
  expect(resetExerciseCells(cells, committed).reset).toEqual([]);
});
