/**
 * Grad-CAM (梯度加权类激活图; Selvaraju et al., ICCV 2017): where in the image a CNN found the
 * evidence for a class. Take the feature maps `A_k` (k = 1..K channels, h' × w') of a late
 * convolution layer and the class score `y_c` *before* the softmax. Each channel gets a weight,
 * its average gradient,
 *
 *     α_k = (1 / h'w') Σ_{i,j} ∂y_c / ∂A_k[i, j],
 *
 * and the map is `L_c = ReLU(Σ_k α_k A_k)`: the channels that raise the score, where they fire.
 * It has the coarse resolution of the layer, so it is upsampled (bilinear) to the input size.
 * When the layer is followed only by global average pooling and a dense layer, α_k is exactly the
 * dense weight `W[k, c] / (h'w')` and Grad-CAM equals the original CAM (Zhou et al., CVPR 2016).
 *
 * The model must be a chain of layers (a `tf.sequential`, or a functional model without branches);
 * the layers after the chosen one are applied in inference mode. A final softmax — a Dense layer's
 * `activation: 'softmax'` or a separate Activation layer — is left out to get the class score.
 *
 * ```ts
 * const cam = gradCam(model, xTest.slice(0, 16));        // last Conv2D layer, predicted classes
 * cam.maps.shape;   // [16, 64, 64]: ≥ 0, one heat map per image at the input resolution
 * cam.classes;      // the class each map explains
 * ```
 */
import * as tf from '@tensorflow/tfjs';

export interface GradCamOptions {
  /** Name of the convolution layer to explain (default: the last Conv2D layer of the model). */
  layer?: string;
  /** Class to explain: one for all images or one per image (default: each image's predicted class). */
  classIndex?: number | ArrayLike<number>;
  /** Upsample the maps to the input's height and width (default true); false keeps the layer's h' × w'. */
  resize?: boolean;
  /** Images per gradient computation (default 64). */
  batchSize?: number;
}

export interface GradCamResult {
  /** `[n, H, W]` maps, ≥ 0 (not normalised: compare within an image, or normalise yourself). */
  maps: tf.Tensor3D;
  /** The class explained for each image. */
  classes: Int32Array;
  /** The layer used. */
  layer: string;
  /** Height and width of that layer's feature maps. */
  featureSize: [number, number];
}

/** The model's layers from `layerName` on, checked to form a chain. */
function chainAfter(model: tf.LayersModel, layerName: string | undefined): { index: number; layer: tf.layers.Layer; head: tf.layers.Layer[] } {
  const layers = model.layers;
  let index: number;
  if (layerName !== undefined) {
    index = layers.findIndex((l) => l.name === layerName);
    if (index < 0) throw new Error(`gradCam: no layer '${layerName}'; the layers are ${layers.map((l) => l.name).join(', ')}`);
  } else {
    index = -1;
    layers.forEach((l, i) => { if (l.getClassName() === 'Conv2D') index = i; });
    if (index < 0) throw new Error('gradCam: the model has no Conv2D layer; name a layer with 4-D output in options.layer');
  }
  const layer = layers[index]!;
  const shape = layer.outputShape as number[];
  if (!Array.isArray(shape) || shape.length !== 4) throw new Error(`gradCam: layer '${layer.name}' outputs [${String(shape)}]; Grad-CAM needs feature maps [n, h, w, channels]`);
  const head = layers.slice(index + 1);
  let previous = layer;
  for (const l of head) {
    if (l.input !== previous.output) {
      throw new Error(`gradCam: layer '${l.name}' does not take its input from '${previous.name}': Grad-CAM here needs a chain of layers (tf.sequential)`);
    }
    previous = l;
  }
  if (previous !== layers[layers.length - 1] || model.outputs.length !== 1 || model.outputs[0] !== previous.output) {
    throw new Error('gradCam: the model must have one output, the last layer of the chain');
  }
  return { index, layer, head };
}

/** Apply the head layers in inference mode, leaving out a final softmax: class scores `[b, classes]`. */
function scores(head: readonly tf.layers.Layer[], a: tf.Tensor): tf.Tensor {
  let h = a;
  head.forEach((l, j) => {
    const last = j === head.length - 1;
    const config = l.getConfig();
    if (last && l.getClassName() === 'Activation' && config.activation === 'softmax') return;
    if (last && l.getClassName() === 'Dense' && config.activation === 'softmax') {
      const [kernel, bias] = l.getWeights(); // the layer's own variables: not to be disposed
      h = tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D);
      if (config.useBias !== false && bias) h = tf.add(h, bias);
      return;
    }
    h = l.apply(h, { training: false }) as tf.Tensor;
  });
  if (h.rank !== 2) throw new Error(`gradCam: the model's output has rank ${h.rank}; expected class scores [n, classes]`);
  return h;
}

/**
 * Grad-CAM maps of `x` for a classifier (see the module doc).
 * @param x `[n, H, W, c]` inputs as the model takes them.
 */
export function gradCam(model: tf.LayersModel, x: tf.Tensor, options: GradCamOptions = {}): GradCamResult {
  if (x.rank !== 4) throw new Error(`gradCam: expected images [n, h, w, c], got [${x.shape.join(', ')}]`);
  const [n, H, W] = x.shape as [number, number, number, number];
  const { layer, head } = chainAfter(model, options.layer);
  const features = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const [, fh, fw] = layer.outputShape as number[];
  const resize = options.resize ?? true;
  const bs = options.batchSize ?? 64;
  const ci = options.classIndex;
  if (typeof ci === 'object' && ci.length !== n) throw new Error(`gradCam: ${ci.length} class indices for ${n} images`);
  const classes = new Int32Array(n);
  const parts: tf.Tensor3D[] = [];
  for (let start = 0; start < n; start += bs) {
    const size = Math.min(bs, n - start);
    parts.push(tf.tidy(() => {
      const xb = tf.slice(x, start, size);
      const a = features.predict(xb) as tf.Tensor4D;
      const s0 = scores(head, a);
      const k = s0.shape[1]!;
      let cls: Int32Array;
      if (ci === undefined) cls = Int32Array.from(tf.argMax(s0, 1).dataSync());
      else if (typeof ci === 'number') cls = new Int32Array(size).fill(ci);
      else cls = Int32Array.from({ length: size }, (_, i) => ci[start + i]!);
      for (const c of cls) if (!(Number.isInteger(c) && c >= 0 && c < k)) throw new Error(`gradCam: class index ${c} is not in 0..${k - 1}`);
      classes.set(cls, start);
      const pick = tf.oneHot(tf.tensor1d(cls, 'int32'), k);
      // Each image's score depends only on its own features (inference mode), so one gradient of
      // the summed scores gives every image's ∂y_c/∂A at once.
      const grads = tf.grad((fa: tf.Tensor) => tf.sum(tf.mul(scores(head, fa), pick)))(a);
      const alpha = tf.mean(grads, [1, 2], true);                          // [b, 1, 1, K]
      let cam = tf.relu(tf.sum(tf.mul(alpha, a), -1, true)) as tf.Tensor4D; // [b, h', w', 1]
      if (resize && (fh !== H || fw !== W)) cam = tf.image.resizeBilinear(cam, [H, W], false, true);
      return tf.squeeze(cam, [3]) as tf.Tensor3D;
    }));
  }
  const maps = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  if (parts.length > 1) tf.dispose(parts);
  return { maps, classes, layer: layer.name, featureSize: [fh!, fw!] };
}
