import { mulberry32 } from '../../src/training/random';
import { SYNTHETIC_SPACE, syntheticObjective } from '../../src/tuning/synthetic';
import { inSpace, sampleConfigurations } from '../../src/tuning/space';
import { randomSearch, successiveHalving } from '../../src/tuning/search';

const ctx = { trial: 0, rung: 0, configIndex: 0 };

test('without noise the score is −|x − optimum| − 1/budget; with noise it repeats by seed and shrinks with the budget', async () => {
  const exact = syntheticObjective({ optimum: 0.3, noise: 0, seed: 1 });
  expect(await exact({ x: 0.5 }, 4, ctx)).toBeCloseTo(-0.2 - 0.25, 12);
  expect(await exact({ x: 0.3 }, 1e12, ctx)).toBeCloseTo(0, 9);
  const a = syntheticObjective({ seed: 3 });
  const b = syntheticObjective({ seed: 3 });
  const first = [await a({ x: 0.1 }, 1, ctx), await a({ x: 0.1 }, 1, ctx)];
  expect([await b({ x: 0.1 }, 1, ctx), await b({ x: 0.1 }, 1, ctx)]).toEqual(first);
  expect(first[0]).not.toBe(first[1]);                          // a new draw per evaluation
  // The spread of 2,000 scores of one configuration: 0.3 on budget 1, 0.03 on budget 100.
  const sd = async (budget: number): Promise<number> => {
    const f = syntheticObjective({ seed: 5 });
    const v: number[] = [];
    for (let i = 0; i < 2000; i++) v.push(await f({ x: 0.3 }, budget, ctx));
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
  };
  expect(await sd(1)).toBeCloseTo(0.3, 1);
  expect(await sd(100)).toBeCloseTo(0.03, 2);
  expect(inSpace(SYNTHETIC_SPACE, { x: mulberry32(1)() })).toBe(true);
});

test('bad settings and configurations are errors', () => {
  expect(() => syntheticObjective({ optimum: 2, seed: 1 })).toThrow(/optimum must be in \[0, 1\]/);
  expect(() => syntheticObjective({ noise: -1, seed: 1 })).toThrow(/noise must be a finite number >= 0/);
  expect(() => syntheticObjective({ seed: 1 })({ y: 1 }, 1, ctx)).toThrow(/needs a number x/);
});

test("exercise 15.4's experiment: with noise 1 random search finds the optimum more often than halving (47 against 36 of 200)", async () => {
  const found = { halving: 0, random: 0 };
  for (let s = 0; s < 200; s++) {
    const configs = sampleConfigurations(SYNTHETIC_SPACE, 27, mulberry32(1000 + s));
    const h = await successiveHalving(configs, { eta: 3, minBudget: 1 }, syntheticObjective({ seed: s, noise: 1 }));
    const r = await randomSearch(configs.slice(0, 4), 27, syntheticObjective({ seed: s, noise: 1 }));
    if (Math.abs(h.best.config.x! - 0.3) < 0.05) found.halving++;
    if (Math.abs(r.best.config.x! - 0.3) < 0.05) found.random++;
  }
  expect(found).toEqual({ halving: 36, random: 47 });
});
