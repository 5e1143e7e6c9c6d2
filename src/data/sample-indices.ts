/**
 * Seeded, stratified choices of example indices (分层抽样): a subset that keeps the class
 * proportions, or a hold-out (validation) part split off a training set. Each call takes its own
 * seed and uses a private Mulberry32 generator, so it gives the same indices every time and does
 * not disturb the course-wide generator of `seed()`.
 *
 * ```ts
 * const labels = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2];
 * stratifiedSampleIndices(labels, 5, 42);   // 5 indices, ascending, about half of each class
 * const { keep, holdout } = stratifiedHoldoutIndices(labels, 0.2, 42);
 * ```
 */
import { mulberry32, shuffle } from '../training/random';

function groupByClass(labels: ArrayLike<number>): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(i);
  }
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

/** How many of each class to take so the total is `n` and the proportions are kept (largest remainder). */
function allocate(groups: Map<number, number[]>, total: number, n: number): Map<number, number> {
  const out = new Map<number, number>();
  const rest: { c: number; r: number }[] = [];
  let given = 0;
  for (const [c, g] of groups) {
    const exact = (n * g.length) / total;
    const k = Math.floor(exact);
    out.set(c, k);
    given += k;
    rest.push({ c, r: exact - k });
  }
  rest.sort((a, b) => b.r - a.r || a.c - b.c);
  for (let i = 0; given < n; i = (i + 1) % rest.length) {
    const c = rest[i]!.c;
    if (out.get(c)! < groups.get(c)!.length) {
      out.set(c, out.get(c)! + 1);
      given++;
    }
  }
  return out;
}

function countFrom(n: number, total: number, what: string): number {
  const k = n > 0 && n < 1 ? Math.round(n * total) : n;
  if (!Number.isInteger(k) || k < 0 || k > total) {
    throw new Error(`${what}: ${n} must be a count from 0 to ${total} or a fraction between 0 and 1`);
  }
  return k;
}

/**
 * `n` indices (or a fraction `0 < n < 1` of them) chosen at random within each class, keeping
 * the class proportions; ascending. `labels`: one class id per example.
 */
export function stratifiedSampleIndices(labels: ArrayLike<number>, n: number, seedValue = 42): number[] {
  const k = countFrom(n, labels.length, 'stratifiedSampleIndices');
  const groups = groupByClass(labels);
  const take = allocate(groups, labels.length, k);
  const rand = mulberry32(seedValue);
  const out: number[] = [];
  for (const [c, g] of groups) {
    out.push(...shuffle(g, rand).slice(0, take.get(c)!));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Split indices 0..labels.length-1 into `keep` and a stratified `holdout` of `n` examples (or a
 * fraction `0 < n < 1`); both ascending.
 */
export function stratifiedHoldoutIndices(labels: ArrayLike<number>, n: number, seedValue = 42): { keep: number[]; holdout: number[] } {
  const holdout = stratifiedSampleIndices(labels, n, seedValue);
  const mark = new Uint8Array(labels.length);
  for (const i of holdout) mark[i] = 1;
  const keep: number[] = [];
  for (let i = 0; i < labels.length; i++) if (!mark[i]) keep.push(i);
  return { keep, holdout };
}

/** The first `perClass` indices of each class, in file order (a deterministic quick subset). */
export function firstPerClassIndices(labels: ArrayLike<number>, perClass: number): number[] {
  const seen = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    const s = seen.get(c) ?? 0;
    if (s < perClass) {
      out.push(i);
      seen.set(c, s + 1);
    }
  }
  return out;
}

/** Examples per class: `counts[c]` for class ids 0..numClasses-1. */
export function countPerClass(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (c >= 0 && c < numClasses) counts[c]!++;
  }
  return counts;
}
