/**
 * Seeded randomness (随机数种子), so that a rerun gives the same numbers.
 *
 * One generator serves the whole course: `seed(42)` resets it, and every helper that shuffles,
 * splits or samples draws from it. TensorFlow.js draws its own random numbers (weight
 * initialisers, dropout, `tf.randomNormal` without a seed) from `Math.random`, so `seed()` also
 * replaces `Math.random` with the same seeded stream; `seed(null)` puts the original back.
 *
 * ```ts
 * seed(42);
 * const a = random();            // always 0.6011037519201636 after seed(42)
 * const order = shuffle([0, 1, 2, 3, 4]);
 * ```
 */

const nativeMathRandom = Math.random;

/** A uniform [0, 1) generator: Mulberry32 (32-bit state, period 2^32), fast and good enough for teaching. */
export function mulberry32(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let generator: () => number = nativeMathRandom;
let currentSeed: number | null = null;

/** How far apart the seeds of two claim-study runs lie: `seed(v)` uses v + SEED_OFFSET_STRIDE · offset. */
const SEED_OFFSET_STRIDE = 1000;

/**
 * The claim study's seed offset (`npm run claims` runs a notebook once per offset): the whole
 * number in `COURSE_SEED_OFFSET`, 0 when unset. Every `seed(v)` then seeds v + 1000 · offset, so
 * one notebook, unchanged, trains from other initial weights, batch orders and dropout masks.
 * Private streams (`mulberry32(s)`: data splits, bootstrap resamples) are not moved.
 */
export function seedOffset(env: NodeJS.ProcessEnv = process.env): number {
  const raw = (env.COURSE_SEED_OFFSET ?? '').trim();
  if (raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new Error(`COURSE_SEED_OFFSET=${raw} is not a whole number ≥ 0 (the claim study sets it; unset it for the course's own seeds)`);
  return Number(raw);
}

/**
 * Seed the course's generator and `Math.random` (which TensorFlow.js uses for initialisers and
 * dropout). `seed(null)` restores the unseeded `Math.random`. Under a claim study's
 * `COURSE_SEED_OFFSET` the seed is moved by 1000 per offset (see `seedOffset`).
 */
export function seed(value: number | null): void {
  if (value === null) {
    generator = nativeMathRandom;
    currentSeed = null;
    Math.random = nativeMathRandom;
    return;
  }
  if (!Number.isFinite(value)) throw new Error(`seed(${value}): the seed must be a finite number or null`);
  currentSeed = value + SEED_OFFSET_STRIDE * seedOffset();
  generator = mulberry32(currentSeed);
  Math.random = generator;
}

/** The seed in effect after the last `seed()` (with the study's offset), or null when unseeded. */
export function currentRandomSeed(): number | null {
  return currentSeed;
}

/** A uniform number in [0, 1) from the course's generator. */
export function random(): number {
  return generator();
}

/** A uniform integer in [min, max) (max exclusive). */
export function randomInt(min: number, max: number): number {
  if (!(max > min)) throw new Error(`randomInt(${min}, ${max}): max must be greater than min`);
  return min + Math.floor(generator() * (max - min));
}

/** A standard normal sample (Box–Muller). */
export function randomNormal(mean = 0, std = 1): number {
  let u = 0;
  while (u === 0) u = generator();
  const v = generator();
  return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A shuffled copy of `items` (Fisher–Yates). The input is not modified. `rand` defaults to the
 * course generator (`seed`); pass an own stream (e.g. `mulberry32(7)`) to leave that one untouched.
 */
export function shuffle<T>(items: readonly T[], rand: () => number = generator): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

/** The integers 0..n-1 in a shuffled order. */
export function permutation(n: number): number[] {
  return shuffle(Array.from({ length: n }, (_, i) => i));
}
