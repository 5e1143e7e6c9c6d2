/**
 * Explaining predictions: saliency, Grad-CAM, permutation importance.
 *
 * The public names of src/explain/, listed one by one: what is not here is internal to the library.
 */
export { gradCam } from './grad-cam';
export type { GradCamOptions, GradCamResult } from './grad-cam';
export { groupColumnsByAttribute, permutationImportance } from './permutation-importance';
export type { FeatureImportance, PermutationImportanceOptions, PermutationImportanceResult } from './permutation-importance';
export { attributionsPerImage, classScore, gradientStepCheck, gradientTimesInput, integratedGradients, meanMapCorrelation, saliencyMap, saliencyPerClass, saliencyToImages } from './saliency';
export type { GradientStepCheck, ImageAttributions, IntegratedGradientsOptions, SaliencyOptions, SaliencyPerClassOptions, ScoreModel } from './saliency';
export { boxMask, saliencyInBoxes, saliencyInBoxesBatch } from './saliency-in-boxes';
export type { SaliencyInBoxes, SaliencyInBoxesSummary } from './saliency-in-boxes';
