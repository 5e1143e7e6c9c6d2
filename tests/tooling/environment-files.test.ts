// environment.yml (conda route) and kernel-setup/requirements.txt (pip route) must list the same packages.
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeVersions = require('../../kernel-setup/node-versions') as { engines(): number[] };
const name = (spec: string): string => spec.trim().split(/[=<>!~ ]/)[0]!.toLowerCase();

test('the conda and pip routes install the same Python packages', () => {
  const pip = fs.readFileSync(path.join(root, 'kernel-setup', 'requirements.txt'), 'utf8')
    .split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).map(name).sort();
  const yml = fs.readFileSync(path.join(root, 'environment.yml'), 'utf8');
  const deps = yml.slice(yml.indexOf('dependencies:')).split('\n').filter((l) => /^\s+-\s/.test(l))
    .map((l) => name(l.replace(/^\s+-\s+/, ''))).filter((n) => n !== 'python' && n !== 'nodejs').sort();
  expect(pip).toEqual(['jupyterlab', 'nbclient', 'nbformat', 'notebook', 'plotly', 'scikit-learn']);
  expect(deps).toEqual(pip);
  // The conda route installs the newest Node the course supports (package.json engines, read as CI reads it).
  const newest = nodeVersions.engines()[0]!;
  expect(yml).toMatch(new RegExp(`nodejs=${newest}\\b`));
  expect(yml).toMatch(/jupyterlab=4\./);
});

test('every dependency with an install script is approved or denied in allowScripts (npm ≥ 11.19 skips undecided ones)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as
    { packages: Record<string, { name?: string; hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript)
    // The lock names an aliased package (tfjs-node-native) by its folder and gives its real name in `name`.
    .map(([folder, p]) => p.name ?? folder.slice(folder.lastIndexOf('node_modules/') + 'node_modules/'.length)).sort();
  expect(withScripts.length).toBeGreaterThan(0);
  expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual([...new Set(withScripts)].sort());
});
