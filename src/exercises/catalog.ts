/**
 * The course's exercises, all notebooks, and the one call a notebook's exercise cell ends with.
 *
 * ```ts
 * checkExercise('02.4', 4 / 3);         // prints "✓ 02.4 the inverted-dropout scale (understand, ★)"
 * exercisesOf('03-optimizers').length;  // 5
 * ```
 */
import { checkAgainst, CheckExerciseOptions, Exercise } from './exercise';
import { AUTOML_EXERCISES } from './automl';
import { CHALLENGES_EXERCISES } from './challenges';
import { CNN_EXERCISES } from './cnn';
import { CREDIT_EXERCISES } from './credit';
import { DEFECTS_EXERCISES } from './defects';
import { DEPLOYMENT_EXERCISES } from './deployment';
import { ENSEMBLES_EXERCISES } from './ensembles';
import { LEARNING_CURVES_EXERCISES } from './learning-curves';
import { LOSSES_EXERCISES } from './losses';
import { MEDICAL_EXERCISES } from './medical';
import { OPTIMIZERS_EXERCISES } from './optimizers';
import { PIPELINE_EXERCISES } from './pipeline';
import { SEQUENCES_EXERCISES } from './sequences';
import { SHIFT_EXERCISES } from './shift';
import { TRANSFER_EXERCISES } from './transfer';

/** Every exercise, in reading order. */
export const EXERCISES: readonly Exercise<any>[] = [
  ...PIPELINE_EXERCISES, ...LOSSES_EXERCISES, ...OPTIMIZERS_EXERCISES, ...CNN_EXERCISES, ...MEDICAL_EXERCISES, ...CREDIT_EXERCISES,
  ...DEFECTS_EXERCISES, ...DEPLOYMENT_EXERCISES, ...CHALLENGES_EXERCISES, ...SHIFT_EXERCISES, ...SEQUENCES_EXERCISES, ...LEARNING_CURVES_EXERCISES, ...TRANSFER_EXERCISES,
  ...ENSEMBLES_EXERCISES, ...AUTOML_EXERCISES,
];

/** The exercises of one notebook (`'02-losses'`), in order. */
export function exercisesOf(notebook: string): Exercise<any>[] {
  return EXERCISES.filter((e) => e.notebook === notebook);
}

/**
 * Check the learner's answer to exercise `id` and print ✓, ✗ with what is wrong and a hint, or "not attempted
 * yet" (the stub). Never throws for a wrong answer unless `COURSE_EXERCISES=strict`, so Run All passes. Returns
 * nothing, so the notebook shows only the printed line (`gradeExercise` gives the verdict as a value).
 */
export function checkExercise(id: string, answer: unknown, options: CheckExerciseOptions = {}): void {
  checkAgainst(EXERCISES, id, answer, options);
}
