import * as fs from 'fs';
import * as path from 'path';
import { EXERCISES, exercisesOf } from '../../src/exercises/catalog';
import { ExerciseSolution, verifyExercises } from '../../src/exercises/verify';
import { PIPELINE_EXERCISES } from '../../src/exercises/pipeline';
import { LOSSES_EXERCISES } from '../../src/exercises/losses';
import { OPTIMIZERS_EXERCISES } from '../../src/exercises/optimizers';
import { CNN_EXERCISES } from '../../src/exercises/cnn';
import { MEDICAL_EXERCISES } from '../../src/exercises/medical';
import { CREDIT_EXERCISES } from '../../src/exercises/credit';
import { DEFECTS_EXERCISES } from '../../src/exercises/defects';
import { DEPLOYMENT_EXERCISES } from '../../src/exercises/deployment';
import { CHALLENGES_EXERCISES } from '../../src/exercises/challenges';
import { SHIFT_EXERCISES } from '../../src/exercises/shift';
import { SEQUENCES_EXERCISES } from '../../src/exercises/sequences';
import { LEARNING_CURVES_EXERCISES } from '../../src/exercises/learning-curves';
import { TRANSFER_EXERCISES } from '../../src/exercises/transfer';
import { ENSEMBLES_EXERCISES } from '../../src/exercises/ensembles';
import { AUTOML_EXERCISES } from '../../src/exercises/automl';
import { solutions as pipeline } from '../../notebooks/solutions/01-concepts-pipeline';
import { solutions as losses } from '../../notebooks/solutions/02-losses';
import { solutions as optimizers } from '../../notebooks/solutions/03-optimizers';
import { solutions as cnn } from '../../notebooks/solutions/04-cnn-mnist';
import { solutions as medical } from '../../notebooks/solutions/05-medical-imaging';
import { solutions as credit } from '../../notebooks/solutions/06-credit-scoring';
import { solutions as defects } from '../../notebooks/solutions/07-defect-detection';
import { solutions as deployment } from '../../notebooks/solutions/08-deployment';
import { solutions as challenges } from '../../notebooks/solutions/09-challenges';
import { solutions as shift } from '../../notebooks/solutions/10-distribution-shift';
import { solutions as sequences } from '../../notebooks/solutions/11-credit-sequences';
import { solutions as learningCurves } from '../../notebooks/solutions/12-learning-curves';
import { solutions as transfer } from '../../notebooks/solutions/13-transfer-learning';
import { solutions as automl } from '../../notebooks/solutions/15-automl';
import { solutions as ensembles } from '../../notebooks/solutions/14-tree-ensembles';

const all: Record<string, ExerciseSolution> = { ...pipeline, ...losses, ...optimizers, ...cnn, ...medical, ...credit, ...defects, ...deployment, ...challenges, ...shift, ...sequences, ...learningCurves, ...transfer, ...ensembles, ...automl };

test('every exercise: the solution passes, the stub is not attempted, every wrong answer is caught with its hint', () => {
  const report = verifyExercises(EXERCISES, all);
  expect(report.problems).toEqual([]);
  expect(report.summary).toBe(`${EXERCISES.length} exercises: ${EXERCISES.length} solutions pass, ${EXERCISES.length} stubs unattempted, `
    + `${report.wrongTotal} wrong answers caught`);
  expect(report.wrongTotal).toBeGreaterThanOrEqual(2 * EXERCISES.length);
});

test('a wrong solution makes the verification fail, naming the exercise', () => {
  const broken = { ...all, '02.4': { ...all['02.4']!, answer: 0.75 } };
  const report = verifyExercises(EXERCISES, broken);
  expect(report.problems).toEqual([expect.stringMatching(/^02\.4: the solution does not pass: ✗ 02\.4 .*expected 1\.33333/)]);
  expect(report.solutionsPass).toBe(EXERCISES.length - 1);
  const uncaught = verifyExercises(EXERCISES, { ...all, '03.4': { ...all['03.4']!, wrong: [0.1] } });
  expect(uncaught.problems).toEqual(['03.4: wrong answer #1 is not caught: ✓ 03.4 the stability limit (understand, ★★)']);
  expect(verifyExercises(EXERCISES, { ...all, '09.9': all['02.4']! }).problems).toEqual(['09.9: a solution without an exercise']);
});

test('notebooks 01–11 have at least 4 exercises each (every kind in 02–07), ids in order, and a solutions file', () => {
  const notebooks = ['01-concepts-pipeline', '02-losses', '03-optimizers', '04-cnn-mnist', '05-medical-imaging', '06-credit-scoring',
    '07-defect-detection', '08-deployment', '09-challenges', '10-distribution-shift',
    '11-credit-sequences', '12-learning-curves', '13-transfer-learning', '14-tree-ensembles', '15-automl'];
  expect(EXERCISES.length).toBeGreaterThanOrEqual(40);
  for (const notebook of notebooks) {
    const list = exercisesOf(notebook);
    expect(list.length).toBeGreaterThanOrEqual(4);
    if (/^0[2-7]/.test(notebook)) expect(new Set(list.map((e) => e.kind))).toEqual(new Set(['understand', 'implement', 'experiment']));
    expect(list.map((e) => e.id)).toEqual(list.map((_, i) => `${notebook.slice(0, 2)}.${i + 1}`));
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'notebooks', 'solutions', `${notebook}.ts`))).toBe(true);
  }
});

test('each notebook module holds its own notebook\'s exercises, and the catalog is exactly them, in reading order', () => {
  const modules = [PIPELINE_EXERCISES, LOSSES_EXERCISES, OPTIMIZERS_EXERCISES, CNN_EXERCISES, MEDICAL_EXERCISES, CREDIT_EXERCISES,
    DEFECTS_EXERCISES, DEPLOYMENT_EXERCISES, CHALLENGES_EXERCISES, SHIFT_EXERCISES, SEQUENCES_EXERCISES, LEARNING_CURVES_EXERCISES,
    TRANSFER_EXERCISES, ENSEMBLES_EXERCISES, AUTOML_EXERCISES];
  modules.forEach((list, i) => expect(new Set(list.map((e) => e.notebook.slice(0, 2)))).toEqual(new Set([String(i + 1).padStart(2, '0')])));
  expect(modules.flat()).toEqual([...EXERCISES]);
});
