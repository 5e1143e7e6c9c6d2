/**
 * Serving and shipping models: saving/loading, quantization, the HTTP model server and its request schema, latency and load tests, model cards.
 *
 * The public names of src/deploy/, listed one by one: what is not here is internal to the library.
 */
export { inferenceThroughput, predictLatencies, trainingThroughput } from './latency';
export type { InferenceThroughput, TrainingThroughputOptions } from './latency';
export { httpRequest, percentile, runLoadTest, summarizeLatencies } from './load-test';
export type { HttpRequestOptions, HttpResponse, LatencySummary, LoadTestOptions, LoadTestResult } from './load-test';
export { modelCardMarkdown, modelCardProblems, saveModelCard } from './model-card';
export type { ModelCard, ModelCardGroupTable, ModelCardMetric } from './model-card';
export { loadModelFiles, saveModelFiles } from './model-io';
export type { SavedModelInfo } from './model-io';
export { decodePredictions, startModelServer, startSavedModelServer, withModelServer } from './model-server';
export type { ModelServer, ModelServerOptions, ModelServerStats, PredictionResult } from './model-server';
export { dequantizeFloat16, dequantizeUint8, directoryBytes, float16BitsToFloat32, float32ToFloat16Bits, maxAbsError, quantizeFloat16, quantizeUint8, roundTripWeights, saveQuantizedModelFiles } from './quantize';
export type { QuantizedModelInfo, Uint8Quantized, WeightPrecision, WeightQuantizationReport } from './quantize';
export { encodeTabularRecords, inputSchemaFromMetadata, parsePredictBody, RequestError, servingMetadataOf, tabularInputSchema, tensorInputSchema, validateTabularRecord } from './request-schema';
export type { InputSchema, NumericFeatureSpec, ServingMetadata, TabularSchemaSpec, TensorSchemaOptions } from './request-schema';
export { startServiceProcess } from './service-process';
export type { ServiceExit, ServiceProcess, ServiceProcessOptions } from './service-process';
