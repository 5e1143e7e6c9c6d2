/**
 * Training: fitModel and friends, cross-validation, seeded randomness.
 *
 * The public names of src/training/, listed one by one: what is not here is internal to the library.
 */
export { crossValidate, crossValidateTabular } from './cross-validate';
export type { CrossValidationOptions, CrossValidationResult, FoldScorer, TabularCrossValidationOptions, TabularCrossValidationResult, TabularFoldModel } from './cross-validate';
export { disposeLogisticRegression, fitLogisticRegression, fullBatchAdam, logisticRegressionScores } from './full-batch';
export type { FullBatchOptions, LogisticRegression, LogisticRegressionOptions } from './full-batch';
export { buildLogitModel, fitTabularLogit, predictLogitProbability } from './logit-model';
export type { FittedTabularLogit, LogitModelSpec } from './logit-model';
export { currentRandomSeed, mulberry32, permutation, random, randomInt, randomNormal, seed, seedOffset, shuffle } from './random';
export { evaluateClassifier, evaluateLossAccuracy, fitCompiledKeepingBest, fitModel, getLearningRate, labelsToArray, misclassifiedIndices, oneCycleSchedule, predictClasses, predictScores, randomTranslate, setLearningRate, trainingCurves } from './train';
export type { ClassificationLoss, ClassifierEvaluation, EpochLogs, FitOptions, KeepBestOptions, KeepBestRun, KeptBest, LearningRateSchedule, LossFunction, Predictions, TrainingHistory } from './train';
export { copyBaseWeights, fineTune, pairedSeedInterval, samplePerClass, setBaseTrainable, TRANSFER_BASE_LAYERS, transferCnn, transferModel } from './transfer';
export type { FineTuneOptions, FineTuneRun, PairedInterval, TransferModelOptions } from './transfer';
