/**
 * Metrics with their uncertainty: binary and multi-class metrics, ROC, calibration, credit metrics, group fairness, bootstrap and intervals, learning curves.
 *
 * The public names of src/metrics/, listed one by one: what is not here is internal to the library.
 */
export { checkBinaryInputs } from './binary-labels';
export type { BinaryInputRules } from './binary-labels';
export { binaryConfusion, thresholdForSensitivity } from './binary-metrics';
export type { BinaryConfusion } from './binary-metrics';
export { bootstrapMetric, bootstrapMetricDifference, bootstrapStatistic, quantile, resampleIndices, stratifiedResampleIndices } from './bootstrap';
export type { BootstrapOptions, BootstrapResult } from './bootstrap';
export { brierScore, expectedCalibrationError, reliabilityBins, reliabilityDiagram } from './calibration';
export type { ReliabilityBin } from './calibration';
export { histogram, mean, sampleSd } from './describe';
export { accuracyScore, classificationReport, classificationReportMarkdown, confusionMatrix, topConfusions } from './classification-metrics';
export type { AveragedMetrics, ClassificationReport, ClassMetrics, LabelArray } from './classification-metrics';
export { baselineCosts, bayesCostThreshold, costCurve, costMinimizingThreshold, expectedCost, gini, ksStatistic } from './credit-metrics';
export type { CostAtThreshold, CostCurve, CostMatrix, CostOptimum, KsResult } from './credit-metrics';
export { demographicParityDifference, disparateImpactRatio, equalizedOddsDifference, equalOpportunityDifference, fairnessSummary, groupMetrics } from './group-metrics';
export type { FairnessSummary, GroupMetricsOptions, GroupRates } from './group-metrics';
export { aucInterval, aucStandardError, rateDifferenceStandardError, wilsonInterval } from './intervals';
export { bootstrapPowerLaw, fitPowerLaw, holdoutLargestSize, learningCurveBySize, logSpacedSizes } from './learning-curve';
export type { LearningCurveRun, LearningCurveSize, PowerLawBootstrap, PowerLawFit, PowerLawForm } from './learning-curve';
export { rocAuc, rocCurve } from './roc';
export type { RocCurve } from './roc';
export { populationStabilityIndex, psiBand, quantileEdges } from './stability';
export type { PsiBand, PsiBin, PsiOptions, PsiResult } from './stability';
