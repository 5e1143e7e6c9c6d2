/**
 * Data augmentation for surface textures (纹理数据增强): steel, fabric, wood or wafer images have no
 * "up" — a scratch turned by 90° or seen in a mirror is still a scratch — so each of the 8
 * symmetries of the square (4 quarter turns, each with or without a mirror flip: the dihedral
 * group D4, 二面体群) gives a new, equally real training image. Lighting varies along an
 * inspection line, so a small random **brightness** shift and **contrast** change are added.
 *
 * Each image of a batch gets its own random symmetry, shift and contrast factor, drawn from the
 * course generator (`seed` makes them repeat). Pixel values are assumed in [0, 1] and are clipped
 * back to it.
 *
 * ```ts
 * const aug = textureAugment(batch, { brightness: 0.1, contrast: 0.15 });  // [b, h, w, c] → same shape
 * rotate90(rotate90(x, 2), 2);     // equals x (4 quarter turns)
 * flipHorizontal(flipHorizontal(x)); // equals x
 * await fitModel(model, x, y, { epochs: 20, augment: (b) => textureAugment(b) });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { random } from '../training/random';

function checkBatch(batch: tf.Tensor, what: string): tf.Tensor4D {
  if (batch.rank !== 4) throw new Error(`${what}: expected a batch [b, h, w, c], got [${batch.shape.join(', ')}]`);
  return batch as tf.Tensor4D;
}

/** Mirror left ↔ right (reverse the width axis): `[b, h, w, c]` → same shape. */
export function flipHorizontal(batch: tf.Tensor): tf.Tensor4D {
  return tf.reverse(checkBatch(batch, 'flipHorizontal'), 2);
}

/** Mirror top ↔ bottom (reverse the height axis): `[b, h, w, c]` → same shape. */
export function flipVertical(batch: tf.Tensor): tf.Tensor4D {
  return tf.reverse(checkBatch(batch, 'flipVertical'), 1);
}

/**
 * Turn every image by `k` quarter turns counter-clockwise (as `numpy.rot90`): `out[i][j] = in[j][w-1-i]`
 * for k = 1. `k` may be any integer (negative = clockwise); an odd k swaps height and width.
 */
export function rotate90(batch: tf.Tensor, k = 1): tf.Tensor4D {
  const x = checkBatch(batch, 'rotate90');
  if (!Number.isInteger(k)) throw new Error(`rotate90: k must be a whole number of quarter turns, got ${k}`);
  const turns = ((k % 4) + 4) % 4;
  return tf.tidy(() => {
    if (turns === 0) return tf.clone(x);
    if (turns === 2) return tf.reverse(x, [1, 2]);
    const t = tf.transpose(x, [0, 2, 1, 3]);               // out[i][j] = in[j][i]
    return turns === 1 ? tf.reverse(t, 1) : tf.reverse(t, 2); // ccw: flip rows; cw: flip columns
  });
}

/**
 * One of the 8 symmetries of the square, numbered 0..7: `t % 4` quarter turns counter-clockwise,
 * followed by a horizontal flip when `t >= 4`. 0 is the identity.
 */
export function dihedralTransform(batch: tf.Tensor, t: number): tf.Tensor4D {
  if (!(Number.isInteger(t) && t >= 0 && t < 8)) throw new Error(`dihedralTransform: t must be 0..7, got ${t}`);
  return tf.tidy(() => {
    const r = rotate90(batch, t % 4);
    return t >= 4 ? flipHorizontal(r) : r;
  });
}

export interface TextureAugmentOptions {
  /** Random mirror flips (default true). */
  flips?: boolean;
  /** Random quarter turns, square images only (default true). With `flips`: all 8 symmetries. */
  rotations?: boolean;
  /** Largest brightness shift: each image gets `+ u`, u uniform in [−brightness, brightness] (default 0.1; 0 = off). */
  brightness?: number;
  /** Largest contrast change: pixels move away from / toward the image mean by a factor in [1 − c, 1 + c] (default 0.1; 0 = off). */
  contrast?: number;
  /** Clip the result to [0, 1] (default true). */
  clip?: boolean;
}

/**
 * The symmetry index (0..7, see `dihedralTransform`) each of `n` images gets, drawn from the
 * course generator: all 8 with flips and rotations, {0, 1, 2, 3} with rotations only, {0, 4, 6, 2}
 * (identity, horizontal, vertical, both flips) with flips only, {0} with neither.
 */
export function randomSymmetries(n: number, options: { flips?: boolean; rotations?: boolean } = {}): number[] {
  const flips = options.flips ?? true;
  const rotations = options.rotations ?? true;
  const choices = flips && rotations ? [0, 1, 2, 3, 4, 5, 6, 7] : rotations ? [0, 1, 2, 3] : flips ? [0, 4, 6, 2] : [0];
  return Array.from({ length: n }, () => choices[Math.floor(random() * choices.length)]!);
}

/**
 * Augment a batch of texture images: a random symmetry of the square per image, then a random
 * contrast factor and brightness shift per image, then clipping to [0, 1].
 *
 * @param batch `[b, h, w, c]` with values in [0, 1] (h = w when rotations are on).
 * @returns a new tensor of the same shape; draws `b` (symmetries) + `2b` (photometric) numbers from
 *   the course generator, so `seed(n)` makes the result repeat.
 */
export function textureAugment(batch: tf.Tensor, options: TextureAugmentOptions = {}): tf.Tensor4D {
  const x = checkBatch(batch, 'textureAugment');
  const [b, h, w] = x.shape;
  const flips = options.flips ?? true;
  const rotations = options.rotations ?? true;
  const brightness = options.brightness ?? 0.1;
  const contrast = options.contrast ?? 0.1;
  if (!(brightness >= 0) || !(contrast >= 0) || contrast >= 1) {
    throw new Error(`textureAugment: need brightness >= 0 and 0 <= contrast < 1, got brightness ${brightness}, contrast ${contrast}`);
  }
  if (rotations && h !== w) throw new Error(`textureAugment: quarter turns need square images, got ${h}×${w}; pass rotations: false`);
  const symmetries = randomSymmetries(b, { flips, rotations });
  const shifts = Float32Array.from({ length: b }, () => (2 * random() - 1) * brightness);
  const factors = Float32Array.from({ length: b }, () => 1 + (2 * random() - 1) * contrast);
  return tf.tidy(() => {
    // Group the images by symmetry, transform each group at once, then restore the batch order.
    let y: tf.Tensor4D = x;
    if (symmetries.some((t) => t !== 0)) {
      const parts: tf.Tensor4D[] = [];
      const order: number[] = [];
      for (let t = 0; t < 8; t++) {
        const members = symmetries.flatMap((s, i) => (s === t ? [i] : []));
        if (members.length === 0) continue;
        parts.push(dihedralTransform(tf.gather(x, members), t));
        order.push(...members);
      }
      const inverse = new Int32Array(b);
      order.forEach((i, j) => { inverse[i] = j; });
      y = tf.gather(tf.concat(parts, 0), Array.from(inverse));
    }
    if (contrast > 0) {
      const mean = tf.mean(y, [1, 2, 3], true);
      y = tf.add(tf.mul(tf.sub(y, mean), tf.tensor4d(factors, [b, 1, 1, 1])), mean);
    }
    if (brightness > 0) y = tf.add(y, tf.tensor4d(shifts, [b, 1, 1, 1]));
    if (options.clip ?? true) y = tf.clipByValue(y, 0, 1);
    return y === x ? tf.clone(x) : y;
  });
}
