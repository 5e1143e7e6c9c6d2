/**
 * From-scratch math the early notebooks derive: activations, losses, optimizers, regularization, convolution, FLOPs, gradient checks.
 *
 * The public names of src/scratch/, listed one by one: what is not here is internal to the library.
 */
export { logSigmoid, logSoftmax, logSumExp, logSumExpParts, relu, reluDerivative, sigmoid, sigmoidDerivative, softmax, softmaxJacobian, softplus } from './activations';
export { conv2dArrays, conv2dNaive, conv2dOutputSize, conv2dParamCount, maxPool2dArrays, maxPool2dNaive } from './conv2d';
export type { Conv2dOptions, ConvPadding } from './conv2d';
export { conv2dMultiplyAdds, countModelFlops, denseMultiplyAdds, formatCount } from './flops';
export type { LayerCost, ModelCost } from './flops';
export { centralDifferenceGradient, flattenNumbers, maxAbsDifference } from './gradcheck';
export type { NestedNumbers } from './gradcheck';
export { binaryCrossEntropy, binaryCrossEntropyFromLogit, binaryCrossEntropyWithLogits, binaryCrossEntropyWithLogitsGradient, categoricalCrossEntropy, categoricalCrossEntropyFromLogits, categoricalCrossEntropyWithLogits, categoricalCrossEntropyWithLogitsGradient, naiveBinaryCrossEntropyWithLogits, naiveCategoricalCrossEntropyWithLogits } from './losses';
export type { Rows } from './losses';
export { adamStep, articleL2Step, createScratchOptimizer, initAdamState, initMomentumState, momentumSpectralRadius, momentumStep, optimizePath, sgdStep } from './optimizers';
export type { AdamOptions, AdamState, MomentumOptions, MomentumState, ScratchOptimizer, ScratchOptimizerConfig, SgdOptions, StoredPrecision } from './optimizers';
export { dropoutMask, dropoutMaskMoments, invertedDropout, l2Penalty, l2PenaltyGradient } from './regularization';
