/**
 * Gradient checking (梯度检验): compare an analytic gradient with a numerical one.
 *
 * The central difference (中心差分) estimates each partial derivative from two evaluations,
 * $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h},$$
 * whose truncation error is $O(h^2)$ (the one-sided $(f(x + h e_i) - f(x))/h$ has $O(h)$).
 * Rounding adds about $\epsilon_{\text{mach}} |f| / h$, so in float64 ($\epsilon \approx 2.2\times10^{-16}$)
 * $h = 10^{-5}$ balances the two near $10^{-10}$ for smooth functions of moderate size.
 *
 * ```ts
 * const f = (x: readonly number[]) => x[0]! ** 2 + 3 * x[1]!;
 * centralDifferenceGradient(f, [2, 5]);            // ≈ [4, 3]
 * maxAbsDifference([4, 3], [4.0000000001, 3]);     // 1e-10
 * ```
 */

/** Numbers nested to any depth, e.g. `number[]` or `number[][]` (what `tensor.arraySync()` returns). */
export type NestedNumbers = number | readonly NestedNumbers[];

/** The numerical gradient of `f: R^n -> R` at `x` by central differences with step `h` (default 1e-5). */
export function centralDifferenceGradient(f: (x: readonly number[]) => number, x: readonly number[], h = 1e-5): number[] {
  if (!(h > 0)) throw new Error(`centralDifferenceGradient: the step h must be positive, got ${h}`);
  return x.map((_, i) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] = x[i]! + h;
    minus[i] = x[i]! - h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/** Flatten nested arrays of numbers into one list, row-major. */
export function flattenNumbers(values: NestedNumbers): number[] {
  if (typeof values === 'number') return [values];
  const out: number[] = [];
  for (const v of values) out.push(...flattenNumbers(v));
  return out;
}

/**
 * The largest $|a_i - b_i|$ over two equally shaped (possibly nested) arrays. NaN anywhere gives NaN,
 * so a comparison `maxAbsDifference(a, b) <= tol` fails on NaN as it should.
 */
export function maxAbsDifference(a: NestedNumbers, b: NestedNumbers): number {
  const fa = flattenNumbers(a);
  const fb = flattenNumbers(b);
  if (fa.length !== fb.length) throw new Error(`maxAbsDifference: ${fa.length} values vs ${fb.length}; the shapes must match`);
  let m = 0;
  for (let i = 0; i < fa.length; i++) {
    const d = Math.abs(fa[i]! - fb[i]!);
    if (Number.isNaN(d)) return Number.NaN;
    if (d > m) m = d;
  }
  return m;
}
