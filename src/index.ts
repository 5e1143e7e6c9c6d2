/**
 * The course's helper library. Notebooks import it by one specifier:
 *
 * ```ts
 * import { selectBackend, show, lineChart, seed } from 'ai-course';
 * ```
 *
 * One concept per file; this barrel is the only public entry point.
 */
export * from './scratch/activations';
export * from './backends/backend';
export * from './metrics/binary-labels';
export * from './metrics/binary-metrics';
export * from './metrics/bootstrap';
export * from './data/breastmnist';
export * from './metrics/calibration';
export * from './notebook/claims';
export * from './metrics/classification-metrics';
export * from './scratch/conv2d';
export * from './metrics/credit-metrics';
export * from './data/csv';
export * from './data/dataset-status';
export * from './notebook/display';
export * from './data/download';
export * from './privacy/dp-sgd';
export * from './vision/draw-boxes';
export * from './backends/environment';
export * from './privacy/federated';
export * from './scratch/flops';
export * from './data/german-credit';
export * from './explain/grad-cam';
export * from './scratch/gradcheck';
export * from './metrics/group-metrics';
export * from './vision/image-grid';
export * from './vision/image-resize';
export * from './data/kfold';
export * from './data/lazy-danfo';
export * from './deploy/load-test';
export * from './scratch/losses';
export * from './data/manifest';
export * from './data/mnist';
export * from './backends/native-kernels';
export * from './deploy/model-card';
export * from './deploy/model-io';
export * from './deploy/model-server';
export * from './data/neu';
export * from './data/npy';
export * from './scratch/optimizers';
export * from './explain/permutation-importance';
export * from './notebook/plot';
export * from './data/png';
export * from './notebook/progress';
export * from './deploy/quantize';
export * from './training/random';
export * from './vision/random-zoom-flip';
export * from './scratch/regularization';
export * from './metrics/roc';
export * from './explain/saliency';
export * from './explain/saliency-in-boxes';
export * from './data/sample-indices';
export * from './models/scorecard';
export * from './deploy/service-process';
export * from './data/tabular-encoder';
export * from './data/taiwan-credit';
export * from './vision/texture-augment';
export * from './training/train';
export * from './backends/wasm-training';
export * from './data/zip';
export * from './models/mnist-cnn';
export * from './models/credit-mlp';
export * from './metrics/intervals';
export * from './deploy/latency';
export * from './notebook/start';
export * from './training/full-batch';
export * from './training/logit-model';
export * from './training/cross-validate';
export * from './vision/tta';
export * from './deploy/request-schema';
export * from './exercises/exercise';
export * from './exercises/catalog';
export * from './exercises/verify';
export { accuracyIntervalWidth } from './exercises/medical';
export { thresholdForCost } from './exercises/credit';
export { distinctSymmetries } from './exercises/defects';
export { quantizationError } from './exercises/deployment';
