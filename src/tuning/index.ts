/**
 * Tuning: hyperparameter search under a fixed compute budget — search spaces sampled with the course's seeded
 * generator, random search and successive halving over any `evaluate(config, budget)`, and notebook 15's MNIST CNN
 * search problem.
 *
 * The public names of src/tuning/, listed one by one: what is not here is internal to the library.
 */
export { CNN_SEARCH_SPACE, cnnEvaluator, HAND_CNN_CONFIG, trainCnnForBudget, tunableCnn } from './cnn-search';
export type { BudgetRun, CnnConfig, CnnEvaluator, CnnTrialRecord } from './cnn-search';
export { randomSearch, successiveHalving, successiveHalvingPlan } from './search';
export type { EvaluateFn, HalvingPlan, PlannedRung, Rung, SearchOptions, SearchResult, Trial, TrialContext } from './search';
export { checkSearchSpace, inSpace, sampleConfiguration, sampleConfigurations, searchSpaceTable } from './space';
export type { Configuration, ParameterSpec, SearchSpace } from './space';
export { SYNTHETIC_SPACE, syntheticObjective } from './synthetic';
