/**
 * Saving and loading a TF.js model as files (模型保存与加载), on any backend: `model.json`
 * (topology + weight manifest) and `weights.bin`, written atomically, plus optional JSON metadata
 * (e.g. the preprocessing a model needs). tfjs-node's `file://` handler does the same but exists
 * only on the native backend; this works on wasm and cpu too.
 *
 * ```ts
 * await saveModelFiles(model, 'build/models/credit', { featureNames });
 * const { model: again, metadata } = await loadModelFiles('build/models/credit');
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export interface SavedModelInfo {
  dir: string;
  /** Bytes of weights.bin. */
  weightBytes: number;
  /** Bytes of model.json. */
  topologyBytes: number;
}

/** Save `model` into `dir` (created if needed) as model.json + weights.bin (+ metadata inside model.json's userDefinedMetadata). */
export async function saveModelFiles(model: tf.LayersModel, dir: string, metadata: Record<string, unknown> = {}): Promise<SavedModelInfo> {
  fs.mkdirSync(dir, { recursive: true });
  let info: SavedModelInfo | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData
      ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
      : new Uint8Array(0);
    const json = JSON.stringify({
      format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology, trainingConfig: artifacts.trainingConfig,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      userDefinedMetadata: metadata,
    });
    // weights first: a model.json never points at weights that are not fully written.
    writeAtomic(path.join(dir, 'weights.bin'), weights);
    writeAtomic(path.join(dir, 'model.json'), json);
    info = { dir, weightBytes: weights.byteLength, topologyBytes: Buffer.byteLength(json) };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
  }));
  return info!;
}

/** Load a model saved by `saveModelFiles` (or tfjs-node's file:// format with one weights file). */
export async function loadModelFiles(dir: string): Promise<{ model: tf.LayersModel; metadata: Record<string, unknown> }> {
  const jsonFile = path.join(dir, 'model.json');
  if (!fs.existsSync(jsonFile)) throw new Error(`${jsonFile}: no saved model here (save one with saveModelFiles first)`);
  let parsed: { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: Record<string, unknown>; trainingConfig?: tf.io.TrainingConfig };
  try {
    parsed = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  } catch (err) {
    throw new Error(`${jsonFile}: not valid JSON (${(err as Error).message}); save the model again`);
  }
  const specs = parsed.weightsManifest.flatMap((g) => g.weights);
  const buffers = parsed.weightsManifest.flatMap((g) => g.paths).map((p) => {
    const file = path.join(dir, p);
    if (!fs.existsSync(file)) throw new Error(`${file}: weights file listed in model.json is missing; save the model again`);
    const b = fs.readFileSync(file);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  });
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: parsed.modelTopology, weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(buffers), trainingConfig: parsed.trainingConfig,
  }));
  return { model, metadata: parsed.userDefinedMetadata ?? {} };
}
