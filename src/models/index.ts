/**
 * Model builders and scorecards.
 *
 * The public names of src/models/, listed one by one: what is not here is internal to the library.
 */
export { creditLogistic, creditMlp } from './credit-mlp';
export type { CreditMlpOptions } from './credit-mlp';
export { articleCnn, improvedCnn } from './mnist-cnn';
export { mnistMlp } from './mnist-mlp';
export { buildScorecard, DEFAULT_SCORECARD_SCALING, logOddsFromScore, probabilityBadFromScore, scoreApplicant, scorecardFactors, scorecardRows, scoreFromLogOdds, scoreMatrix } from './scorecard';
export type { Scorecard, ScorecardAttributeRow, ScorecardContribution, ScorecardFeature, ScorecardScaling, ScoredApplicant } from './scorecard';
export { gruParameterCount, lstmParameterCount, sequenceClassifier } from './sequence-model';
export type { SequenceClassifierOptions } from './sequence-model';
export { coursePython, crossValidateTreeEnsemble, crossValidateTreeEnsembles, fitPredictTreeEnsemble, runTreeEnsembleJobs } from './tree-ensemble';
export type { TreeCrossValidationOptions, TreeCrossValidationResult, TreeEnsembleJob, TreeEnsembleKind, TreeEnsembleRunOptions, TreeEnsembleSpec } from './tree-ensemble';
