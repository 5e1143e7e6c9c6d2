/**
 * Counting the arithmetic of a model (计算量): parameters and floating-point operations (FLOPs) per
 * example, layer by layer, for the layers the course uses — the first number of any compute-cost
 * (算力成本) estimate.
 *
 * Per example (batch size 1), with output shape `[h_out, w_out, c_out]`:
 *
 * | layer | multiply-adds (MACs, 乘加) | other operations |
 * |---|---|---|
 * | Dense, `n_in → n_out` | `n_in · n_out` (per position, for inputs of rank > 2) | `n_out` bias additions |
 * | Conv2D `k_h × k_w`, `c_in → c_out` | `h_out · w_out · c_out · k_h · k_w · c_in` | `h_out · w_out · c_out` bias additions |
 * | DepthwiseConv2D | `h_out · w_out · c_in · m · k_h · k_w` (m = depth multiplier) | bias additions |
 * | MaxPooling2D / AveragePooling2D `p_h × p_w` | 0 | `h_out · w_out · c · p_h · p_w` comparisons / additions |
 * | GlobalMax/AveragePooling2D | 0 | one per input value |
 * | BatchNormalization (inference: folded scale and shift) | one per value | — |
 * | Flatten, Reshape, Dropout (inference), InputLayer | 0 | — |
 *
 * FLOPs = 2 · MACs + bias additions + pooling operations (a multiply-add is a multiplication and an
 * addition). Element-wise activations (ReLU, softmax) are not counted: they are a few operations per
 * output value, negligible next to the products. Layers not in the table are reported as uncounted.
 *
 * ```ts
 * const cost = countModelFlops(articleCnn);   // conv 3×3×32 → pool → dense 10 on 28×28×1
 * cost.multiplyAdds;                         // 194688 + 54080 = 248768
 * cost.flops;                                // 2·248768 + 21632 (conv bias) + 21632 (pool) + 10 (dense bias)
 * ```
 */
import * as tf from '@tensorflow/tfjs';

/** The cost of one layer, per example. */
export interface LayerCost {
  name: string;
  className: string;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  params: number;
  multiplyAdds: number;
  biasAdds: number;
  /** Comparisons (max) or additions (average) of pooling layers. */
  poolingOps: number;
  /** 2 · multiplyAdds + biasAdds + poolingOps. */
  flops: number;
  /** False when the layer type is not in the table: its operations are missing from the totals. */
  counted: boolean;
}

/** The cost of a whole model, per example. */
export interface ModelCost {
  layers: LayerCost[];
  params: number;
  multiplyAdds: number;
  flops: number;
  /** Names of layers whose operations could not be counted (empty when the totals are complete). */
  uncounted: string[];
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Multiply-adds of a Dense layer with `inFeatures` inputs and `units` outputs, applied at `positions` positions. */
export function denseMultiplyAdds(inFeatures: number, units: number, positions = 1): number {
  return inFeatures * units * positions;
}

/** Multiply-adds of a Conv2D layer producing `outH × outW × outChannels` from `inChannels` with a `kh × kw` kernel. */
export function conv2dMultiplyAdds(outH: number, outW: number, outChannels: number, kh: number, kw: number, inChannels: number): number {
  return outH * outW * outChannels * kh * kw * inChannels;
}

function shapeWithoutBatch(shape: unknown, what: string): number[] {
  // A layer with several inbound nodes reports a list of shapes; the course's models have one.
  const s = Array.isArray(shape) && Array.isArray(shape[0]) ? shape[0] : shape;
  if (!Array.isArray(s)) throw new Error(`countModelFlops: ${what} has no known shape`);
  const dims = (s as (number | null)[]).slice(1);
  if (dims.some((d) => d === null || !Number.isFinite(d))) {
    throw new Error(`countModelFlops: ${what} has shape [${(s as unknown[]).join(', ')}]; every dimension except the batch must be known`);
  }
  return dims as number[];
}

function layerInputShape(layer: tf.layers.Layer): number[] {
  const input = layer.input as tf.SymbolicTensor | tf.SymbolicTensor[];
  const t = Array.isArray(input) ? input[0]! : input;
  return shapeWithoutBatch(t.shape, `the input of layer ${layer.name}`);
}

function pair(v: unknown, what: string): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0] as number, v[1] as number];
  throw new Error(`countModelFlops: cannot read ${what} from ${JSON.stringify(v)}`);
}

/** The cost of one layer (see the module doc for the formulas). */
function countLayerFlops(layer: tf.layers.Layer): LayerCost {
  const className = layer.getClassName();
  const config = layer.getConfig() as Record<string, unknown>;
  const out = className === 'InputLayer' ? shapeWithoutBatch(config.batchInputShape, `input layer ${layer.name}`)
    : shapeWithoutBatch(layer.outputShape, `the output of layer ${layer.name}`);
  const channelsFirst = config.dataFormat === 'channelsFirst';
  const cost: LayerCost = {
    name: layer.name, className, outputShape: out, params: layer.countParams(),
    multiplyAdds: 0, biasAdds: 0, poolingOps: 0, flops: 0, counted: true,
  };
  const spatial = (shape: number[]): { h: number; w: number; c: number } => (channelsFirst
    ? { c: shape[0]!, h: shape[1]!, w: shape[2]! } : { h: shape[0]!, w: shape[1]!, c: shape[2]! });
  switch (className) {
    case 'Dense': {
      const input = layerInputShape(layer);
      const inFeatures = input[input.length - 1]!;
      const positions = product(input.slice(0, -1));
      cost.multiplyAdds = denseMultiplyAdds(inFeatures, config.units as number, positions);
      if (config.useBias !== false) cost.biasAdds = product(out);
      break;
    }
    case 'Conv2D': {
      const input = spatial(layerInputShape(layer));
      const o = spatial(out);
      const [kh, kw] = pair(config.kernelSize, `the kernel size of ${layer.name}`);
      cost.multiplyAdds = conv2dMultiplyAdds(o.h, o.w, o.c, kh, kw, input.c);
      if (config.useBias !== false) cost.biasAdds = product(out);
      break;
    }
    case 'DepthwiseConv2D': {
      const o = spatial(out);
      const [kh, kw] = pair(config.kernelSize, `the kernel size of ${layer.name}`);
      cost.multiplyAdds = o.h * o.w * o.c * kh * kw;
      if (config.useBias !== false) cost.biasAdds = product(out);
      break;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const [ph, pw] = pair(config.poolSize, `the pool size of ${layer.name}`);
      cost.poolingOps = product(out) * ph * pw;
      break;
    }
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling2D':
      cost.poolingOps = product(layerInputShape(layer));
      break;
    case 'BatchNormalization':
      cost.multiplyAdds = product(out);
      break;
    case 'InputLayer':
    case 'Flatten':
    case 'Reshape':
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'Activation':
    case 'ReLU':
    case 'Softmax':
      break;
    default:
      cost.counted = false;
  }
  cost.flops = 2 * cost.multiplyAdds + cost.biasAdds + cost.poolingOps;
  return cost;
}

/** Parameters, multiply-adds and FLOPs per example of every layer of `model`, and the totals. */
export function countModelFlops(model: tf.LayersModel): ModelCost {
  const layers = model.layers.map(countLayerFlops);
  return {
    layers,
    params: layers.reduce((a, l) => a + l.params, 0),
    multiplyAdds: layers.reduce((a, l) => a + l.multiplyAdds, 0),
    flops: layers.reduce((a, l) => a + l.flops, 0),
    uncounted: layers.filter((l) => !l.counted).map((l) => `${l.name} (${l.className})`),
  };
}

/** A compact human form: 1234 → '1.23 k', 2.5e6 → '2.50 M', 3e9 → '3.00 G'. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(2)} k`;
  return String(n);
}
