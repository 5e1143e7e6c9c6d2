/**
 * The course's helper library. Notebooks import it by one specifier:
 *
 * ```ts
 * import { selectBackend, show, lineChart, seed } from 'ai-course';
 * ```
 *
 * One concept per file; this barrel is the only public entry point.
 */
export * from './activations';
export * from './backend';
export * from './binary-labels';
export * from './binary-metrics';
export * from './bootstrap';
export * from './breastmnist';
export * from './calibration';
export * from './claims';
export * from './classification-metrics';
export * from './conv2d';
export * from './credit-metrics';
export * from './csv';
export * from './dataset-status';
export * from './display';
export * from './download';
export * from './dp-sgd';
export * from './draw-boxes';
export * from './environment';
export * from './federated';
export * from './flops';
export * from './german-credit';
export * from './grad-cam';
export * from './gradcheck';
export * from './group-metrics';
export * from './image-grid';
export * from './image-resize';
export * from './kfold';
export * from './lazy-danfo';
export * from './load-test';
export * from './losses';
export * from './manifest';
export * from './mnist';
export * from './native-kernels';
export * from './model-card';
export * from './model-io';
export * from './model-server';
export * from './neu';
export * from './npy';
export * from './optimizers';
export * from './permutation-importance';
export * from './plot';
export * from './png';
export * from './progress';
export * from './quantize';
export * from './random';
export * from './random-zoom-flip';
export * from './regularization';
export * from './roc';
export * from './saliency';
export * from './saliency-in-boxes';
export * from './sample-indices';
export * from './scorecard';
export * from './service-process';
export * from './tabular-encoder';
export * from './taiwan-credit';
export * from './texture-augment';
export * from './train';
export * from './wasm-training';
export * from './zip';
