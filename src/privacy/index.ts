/**
 * Privacy: DP-SGD and federated averaging.
 *
 * The public names of src/privacy/, listed one by one: what is not here is internal to the library.
 */
export { clipByGlobalNorm, denseStack, dpGradients, dpSgdEpsilon, globalNorm, perExampleGradients, sampledGaussianRdp, trainDpSgd } from './dp-sgd';
export type { DpConfig, DpGradients, DpSgdOptions, DpSgdResult } from './dp-sgd';
export { federatedAverage, labelSkewPartition, siteClassCounts, trainFederated } from './federated';
export type { FederatedOptions, FederatedResult, FederatedRound, FederatedSite, LabelSkewOptions } from './federated';
