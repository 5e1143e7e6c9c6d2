import { mulberry32, seed, random } from '../../src/training/random';
import { checkSearchSpace, inSpace, sampleConfiguration, sampleConfigurations, SearchSpace, searchSpaceTable } from '../../src/tuning/space';

const SPACE: SearchSpace = {
  learningRate: { kind: 'logUniform', min: 1e-4, max: 1e-2 },
  batchSize: { kind: 'choice', values: [32, 64, 128, 256] },
  dropout: { kind: 'uniform', min: 0, max: 0.5 },
};

afterEach(() => seed(null));

test('draws stay in range, the log-uniform is uniform in log, every choice appears about equally often', () => {
  const configs = sampleConfigurations(SPACE, 4000, mulberry32(7));
  expect(configs.every((c) => inSpace(SPACE, c))).toBe(true);
  const logs = configs.map((c) => Math.log10(c.learningRate!));
  const meanLog = logs.reduce((a, b) => a + b, 0) / logs.length;
  expect(meanLog).toBeGreaterThan(-3.05);                       // the midpoint of [-4, -2] is -3
  expect(meanLog).toBeLessThan(-2.95);
  expect(logs.filter((l) => l < -3).length / logs.length).toBeCloseTo(0.5, 1);   // half the draws below 1e-3
  for (const b of [32, 64, 128, 256]) expect(configs.filter((c) => c.batchSize === b).length / 4000).toBeCloseTo(0.25, 1);
  const meanDropout = configs.reduce((s, c) => s + c.dropout!, 0) / configs.length;
  expect(meanDropout).toBeCloseTo(0.25, 1);
});

test('one stream gives the same configurations again; the course generator follows seed()', () => {
  expect(sampleConfigurations(SPACE, 5, mulberry32(3))).toEqual(sampleConfigurations(SPACE, 5, mulberry32(3)));
  seed(15);
  const a = sampleConfiguration(SPACE);
  seed(15);
  expect(sampleConfiguration(SPACE)).toEqual(a);
  // The first key draws first: its value is the log-uniform map of the stream's first number.
  const u = mulberry32(9)();
  expect(sampleConfiguration(SPACE, mulberry32(9)).learningRate).toBeCloseTo(Math.exp(Math.log(1e-4) + u * Math.log(100)), 12);
  seed(15);
  random();
  expect(sampleConfiguration(SPACE)).not.toEqual(a);
});

test('inSpace rejects values outside a range or list, and missing or extra names', () => {
  expect(inSpace(SPACE, { learningRate: 0.004, batchSize: 128, dropout: 0.25 })).toBe(true);
  expect(inSpace(SPACE, { learningRate: 0.04, batchSize: 128, dropout: 0.25 })).toBe(false);
  expect(inSpace(SPACE, { learningRate: 0.004, batchSize: 100, dropout: 0.25 })).toBe(false);
  expect(inSpace(SPACE, { learningRate: 0.004, batchSize: 128 })).toBe(false);
  expect(inSpace(SPACE, { learningRate: 0.004, batchSize: 128, dropout: 0.25, width: 3 })).toBe(false);
});

test('bad spaces and counts are errors', () => {
  expect(() => checkSearchSpace({})).toThrow(/no hyperparameters/);
  expect(() => checkSearchSpace({ lr: { kind: 'logUniform', min: 0, max: 1 } })).toThrow(/min must be > 0/);
  expect(() => checkSearchSpace({ lr: { kind: 'uniform', min: 1, max: 1 } })).toThrow(/min < max/);
  expect(() => checkSearchSpace({ b: { kind: 'choice', values: [] } })).toThrow(/non-empty/);
  expect(() => sampleConfigurations(SPACE, 0)).toThrow(/positive integer/);
  expect(() => sampleConfigurations(SPACE, 2.5)).toThrow(/positive integer/);
});

test('searchSpaceTable lists each hyperparameter with its distribution', () => {
  expect(searchSpaceTable(SPACE).split('\n')).toEqual([
    '| hyperparameter | drawn | range / values |', '|---|---|---|',
    '| learningRate | log-uniform | 0.0001 – 0.01 |', '| batchSize | one of | 32, 64, 128, 256 |', '| dropout | uniform | 0 – 0.5 |',
  ]);
});
