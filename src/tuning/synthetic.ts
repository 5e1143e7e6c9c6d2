/**
 * A tuning problem whose answer is known (已知最优解的调参问题), to test a search without training anything.
 *
 * One hyperparameter `x` in [0, 1]; the true quality of a configuration is −|x − optimum|. What a search sees is a
 * validation score after `budget` units of training: the quality, minus a learning-curve term 1/budget that every
 * configuration shares, plus noise with standard deviation noise/√budget (a short run is a noisy judge). The noise
 * comes from its own seeded stream, so the course generator is left alone and a seed repeats every score.
 *
 * ```ts
 * const evaluate = syntheticObjective({ optimum: 0.3, noise: 0.3, seed: 1 });
 * evaluate({ x: 0.3 }, 1e12, ctx);                       // ≈ 0: the optimum, with no noise left
 * const configs = sampleConfigurations(SYNTHETIC_SPACE, 27, mulberry32(1));
 * const found = await successiveHalving(configs, { eta: 3, minBudget: 1 }, evaluate);
 * Math.abs(found.best.config.x - 0.3);                   // how far the search landed from the optimum
 * ```
 */
import { mulberry32 } from '../training/random';
import { EvaluateFn } from './search';
import { SearchSpace } from './space';

/** The synthetic problem's space: x uniform on [0, 1]. */
export const SYNTHETIC_SPACE: SearchSpace = { x: { kind: 'uniform', min: 0, max: 1 } };

/** An `evaluate` for configurations `{ x }`: −|x − optimum| − 1/budget + N(0, (noise/√budget)²), noise seeded. */
export function syntheticObjective(options: { optimum?: number; noise?: number; seed: number }): EvaluateFn {
  const { optimum = 0.3, noise = 0.3 } = options;
  if (!(optimum >= 0 && optimum <= 1)) throw new Error(`syntheticObjective: optimum must be in [0, 1], got ${optimum}`);
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new Error(`syntheticObjective: noise must be a finite number >= 0, got ${noise}`);
  const rand = mulberry32(options.seed);
  const normal = (): number => {
    let u = 0;
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  return (config, budget) => {
    const x = config.x;
    if (x === undefined || !Number.isFinite(x)) throw new Error(`syntheticObjective: the configuration needs a number x, got ${JSON.stringify(config)}`);
    return -Math.abs(x - optimum) - 1 / budget + (noise / Math.sqrt(budget)) * normal();
  };
}
