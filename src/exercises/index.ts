/**
 * Exercises that check themselves: the catalog and checkExercise.
 *
 * The public names of src/exercises/, listed one by one: what is not here is internal to the library.
 */
export { checkExercise, EXERCISES, exercisesOf } from './catalog';
export { AUTOML_EXERCISES } from './automl';
export { CHALLENGES_EXERCISES } from './challenges';
export { CNN_EXERCISES } from './cnn';
export { CREDIT_EXERCISES, thresholdForCost } from './credit';
export { DEFECTS_EXERCISES } from './defects';
export type { GradCamMap } from './defects';
export { DEPLOYMENT_EXERCISES, quantizationError } from './deployment';
export type { QuantizeFn } from './deployment';
export { checkAgainst, gradeExercise, NotAttempted, todo } from './exercise';
export type { CheckExerciseOptions, Exercise, ExerciseKind, ExerciseResult } from './exercise';
export { ENSEMBLES_EXERCISES } from './ensembles';
export { LEARNING_CURVES_EXERCISES } from './learning-curves';
export { LOSSES_EXERCISES } from './losses';
export { accuracyIntervalWidth, MEDICAL_EXERCISES } from './medical';
export { OPTIMIZERS_EXERCISES } from './optimizers';
export type { MomentumUpdate } from './optimizers';
export { PIPELINE_EXERCISES } from './pipeline';
export { SEQUENCES_EXERCISES } from './sequences';
export { SHIFT_EXERCISES } from './shift';
export { TRANSFER_EXERCISES } from './transfer';
