/**
 * Search spaces for hyperparameter search (超参数搜索空间): what each setting may be, and seeded draws from it.
 *
 * A space names each hyperparameter with a distribution: `logUniform` for scales such as a learning rate (every
 * factor of 10 as likely as the next), `uniform` for a rate such as dropout, `choice` for a short list (a batch
 * size, a layer width). A configuration is one number per name. Draws come from the course's seeded generator
 * (`seed`, src/training/random.ts) unless another stream is passed, so a search samples the same configurations
 * on every run.
 *
 * ```ts
 * const space: SearchSpace = {
 *   learningRate: { kind: 'logUniform', min: 1e-4, max: 3e-2 },
 *   batchSize: { kind: 'choice', values: [32, 64, 128, 256] },
 *   dropout: { kind: 'uniform', min: 0, max: 0.5 },
 * };
 * seed(15);
 * const configs = sampleConfigurations(space, 9);   // 9 × { learningRate, batchSize, dropout }
 * inSpace(space, { learningRate: 0.004, batchSize: 128, dropout: 0.25 });   // true
 * ```
 */
import { random } from '../training/random';

/** How one hyperparameter is drawn. */
export type ParameterSpec =
  | { readonly kind: 'logUniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'choice'; readonly values: readonly number[] };

/** A search space: one distribution per hyperparameter name (drawn in the order of the keys). */
export type SearchSpace = Readonly<Record<string, ParameterSpec>>;

/** One configuration: a number per hyperparameter name. */
export type Configuration = Readonly<Record<string, number>>;

function checkSpec(name: string, spec: ParameterSpec): void {
  if (spec.kind === 'choice') {
    if (spec.values.length === 0 || !spec.values.every(Number.isFinite)) throw new Error(`search space: '${name}' needs a non-empty list of finite values`);
    return;
  }
  if (spec.kind !== 'logUniform' && spec.kind !== 'uniform') throw new Error(`search space: '${name}' has unknown kind '${(spec as { kind: string }).kind}'`);
  if (!Number.isFinite(spec.min) || !Number.isFinite(spec.max) || !(spec.max > spec.min)) {
    throw new Error(`search space: '${name}' needs finite min < max, got [${spec.min}, ${spec.max}]`);
  }
  if (spec.kind === 'logUniform' && !(spec.min > 0)) throw new Error(`search space: '${name}' is log-uniform, so min must be > 0, got ${spec.min}`);
}

/** Check every entry of `space` (throws on an empty space, min ≥ max, a log-uniform min ≤ 0, an empty choice). */
export function checkSearchSpace(space: SearchSpace): void {
  const names = Object.keys(space);
  if (names.length === 0) throw new Error('search space: no hyperparameters');
  for (const name of names) checkSpec(name, space[name]!);
}

/** One value of `spec` from `rand` (uniform [0, 1)). */
function draw(spec: ParameterSpec, rand: () => number): number {
  if (spec.kind === 'choice') return spec.values[Math.min(spec.values.length - 1, Math.floor(rand() * spec.values.length))]!;
  if (spec.kind === 'uniform') return spec.min + rand() * (spec.max - spec.min);
  return Math.exp(Math.log(spec.min) + rand() * (Math.log(spec.max) - Math.log(spec.min)));
}

/**
 * One random configuration of `space`: each hyperparameter drawn in key order from `rand` (default: the course's
 * seeded generator). Log-uniform: exp(U(ln min, ln max)); uniform: U(min, max); choice: each value equally likely.
 */
export function sampleConfiguration(space: SearchSpace, rand: () => number = random): Configuration {
  checkSearchSpace(space);
  const config: Record<string, number> = {};
  for (const name of Object.keys(space)) config[name] = draw(space[name]!, rand);
  return config;
}

/** `n` independent configurations of `space` (see `sampleConfiguration`). */
export function sampleConfigurations(space: SearchSpace, n: number, rand: () => number = random): Configuration[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`sampleConfigurations: n must be a positive integer, got ${n}`);
  return Array.from({ length: n }, () => sampleConfiguration(space, rand));
}

/** Whether `config` has exactly the space's names, each value inside its range or list. */
export function inSpace(space: SearchSpace, config: Configuration): boolean {
  checkSearchSpace(space);
  const names = Object.keys(space);
  if (Object.keys(config).length !== names.length) return false;
  return names.every((name) => {
    const spec = space[name]!;
    const v = config[name];
    if (v === undefined || !Number.isFinite(v)) return false;
    return spec.kind === 'choice' ? spec.values.includes(v) : v >= spec.min && v <= spec.max;
  });
}

/** The space as a Markdown table: hyperparameter, distribution, range or values. */
export function searchSpaceTable(space: SearchSpace): string {
  checkSearchSpace(space);
  const rows = Object.entries(space).map(([name, spec]) => spec.kind === 'choice'
    ? `| ${name} | one of | ${spec.values.join(', ')} |`
    : `| ${name} | ${spec.kind === 'logUniform' ? 'log-uniform' : 'uniform'} | ${spec.min} – ${spec.max} |`);
  return ['| hyperparameter | drawn | range / values |', '|---|---|---|', ...rows].join('\n');
}
