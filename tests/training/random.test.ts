import { currentRandomSeed, mulberry32, permutation, random, randomInt, randomNormal, seed, seedOffset, shuffle } from '../../src/training/random';

afterEach(() => seed(null));

test('mulberry32 gives the published first value for seed 42', () => {
  expect(mulberry32(42)()).toBeCloseTo(0.6011037519201636, 15);
});

test('seed makes random, shuffle and Math.random repeat exactly', () => {
  seed(7);
  const first = [random(), randomInt(0, 100), randomNormal(), Math.random(), ...shuffle([1, 2, 3, 4, 5, 6])];
  seed(7);
  const second = [random(), randomInt(0, 100), randomNormal(), Math.random(), ...shuffle([1, 2, 3, 4, 5, 6])];
  expect(second).toEqual(first);
  seed(8);
  expect(random()).not.toBe(first[0]);
});

test('permutation holds each index once', () => {
  seed(1);
  const p = permutation(1000);
  expect(new Set(p).size).toBe(1000);
  expect(Math.min(...p)).toBe(0);
  expect(Math.max(...p)).toBe(999);
  expect(p.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('random is uniform enough: mean of 1e5 draws near 0.5, normal mean 0 std 1', () => {
  seed(3);
  let s = 0;
  for (let i = 0; i < 100000; i++) s += random();
  expect(Math.abs(s / 100000 - 0.5)).toBeLessThan(0.005);
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < 100000; i++) {
    const z = randomNormal();
    m += z;
    m2 += z * z;
  }
  expect(Math.abs(m / 100000)).toBeLessThan(0.02);
  expect(Math.abs(Math.sqrt(m2 / 100000) - 1)).toBeLessThan(0.02);
});

test('bad arguments are rejected with a message', () => {
  expect(() => seed(Number.NaN)).toThrow(/finite number/);
  expect(() => randomInt(5, 5)).toThrow(/greater than min/);
});

test('COURSE_SEED_OFFSET moves every seed by 1000 per offset (the claim study), and rejects junk', () => {
  const saved = process.env.COURSE_SEED_OFFSET;
  try {
    delete process.env.COURSE_SEED_OFFSET;
    seed(7);
    const base = random();
    process.env.COURSE_SEED_OFFSET = '2';
    seed(7);
    expect(currentRandomSeed()).toBe(2007);
    const moved = random();
    expect(moved).toBe(mulberry32(2007)());
    expect(moved).not.toBe(base);
    process.env.COURSE_SEED_OFFSET = '-1';
    expect(() => seed(7)).toThrow(/COURSE_SEED_OFFSET=-1 is not a whole number/);
    expect(seedOffset({ COURSE_SEED_OFFSET: ' 3 ' })).toBe(3);
    expect(seedOffset({})).toBe(0);
  } finally {
    if (saved === undefined) delete process.env.COURSE_SEED_OFFSET; else process.env.COURSE_SEED_OFFSET = saved;
  }
});
