/**
 * The one check every binary metric starts with: labels are 0/1, one score per label, scores are
 * numbers (optionally probabilities in [0, 1]). Errors name the function, the index and the value.
 *
 * ```ts
 * const { positives, negatives } = checkBinaryInputs('rocAuc', yTrue, scores, { bothClasses: true });
 * ```
 */
export interface BinaryInputRules {
  /** What the second array holds, for messages: 'scores' (default) or 'probabilities'. */
  valueName?: string;
  /** Require every value in [0, 1]. */
  probabilities?: boolean;
  /** Require at least one example of each class. */
  bothClasses?: boolean;
}

/** Validate `yTrue`/`values` and count the classes; throws with a precise message otherwise. */
export function checkBinaryInputs(what: string, yTrue: ArrayLike<number>, values: ArrayLike<number>,
  rules: BinaryInputRules = {}): { positives: number; negatives: number } {
  const name = rules.valueName ?? (rules.probabilities ? 'probabilities' : 'scores');
  const singular = name.replace(/ies$/, 'y').replace(/s$/, '');
  if (yTrue.length !== values.length) throw new Error(`${what}: ${yTrue.length} labels but ${values.length} ${name}`);
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (y !== 0 && y !== 1) throw new Error(`${what}: label ${y} at index ${i}; labels must be 0 (negative) or 1 (positive)`);
    const v = values[i]!;
    if (rules.probabilities ? !(v >= 0 && v <= 1) : !Number.isFinite(v)) {
      throw new Error(`${what}: ${singular} ${v} at index ${i} is not ${rules.probabilities ? 'in [0, 1]' : 'a finite number'}`);
    }
    positives += y;
  }
  const negatives = yTrue.length - positives;
  if (rules.bothClasses && (positives === 0 || negatives === 0)) {
    throw new Error(`${what}: needs both classes, got ${positives} positive and ${negatives} negative labels`);
  }
  return { positives, negatives };
}
