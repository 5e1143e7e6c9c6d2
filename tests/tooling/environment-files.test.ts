// environment.yml (conda route) and kernel-setup/requirements.txt (pip route) must list the same packages.
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const name = (spec: string): string => spec.trim().split(/[=<>!~ ]/)[0]!.toLowerCase();

test('the conda and pip routes install the same Python packages', () => {
  const pip = fs.readFileSync(path.join(root, 'kernel-setup', 'requirements.txt'), 'utf8')
    .split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).map(name).sort();
  const yml = fs.readFileSync(path.join(root, 'environment.yml'), 'utf8');
  const deps = yml.slice(yml.indexOf('dependencies:')).split('\n').filter((l) => /^\s+-\s/.test(l))
    .map((l) => name(l.replace(/^\s+-\s+/, ''))).filter((n) => n !== 'python' && n !== 'nodejs').sort();
  expect(pip).toEqual(['jupyterlab', 'nbclient', 'nbformat', 'notebook', 'plotly']);
  expect(deps).toEqual(pip);
  expect(yml).toMatch(/nodejs=20/);
  expect(yml).toMatch(/jupyterlab=4\./);
});
