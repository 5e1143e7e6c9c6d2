import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

const SRC = path.join(__dirname, '..', '..', 'src');
const folders = fs.readdirSync(SRC).filter((f) => fs.statSync(path.join(SRC, f)).isDirectory());

test('src/ is grouped by domain, and tests/ mirrors it', () => {
  expect(folders.sort()).toEqual(['backends', 'data', 'deploy', 'exercises', 'explain', 'metrics', 'models', 'notebook', 'privacy', 'scratch', 'training', 'vision']);
  expect(fs.readdirSync(SRC).filter((f) => f.endsWith('.ts')).sort()).toEqual(['entry.d.ts', 'index.ts']);
  for (const folder of folders) {
    for (const file of fs.readdirSync(path.join(SRC, folder)).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      const test = path.join(__dirname, '..', folder, file.replace(/\.ts$/, '.test.ts'));
      const covered = fs.existsSync(test) || fs.readdirSync(path.join(__dirname, '..', folder)).some((t) => fs.readFileSync(path.join(__dirname, '..', folder, t), 'utf8').includes(`/${folder}/${file.replace(/\.ts$/, '')}'`));
      expect([folder, file, covered]).toEqual([folder, file, true]);
    }
  }
});

test('the barrel re-exports the domain folders only, and each folder names its public exports one by one', () => {
  const lines = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8').split('\n').filter((l) => l.startsWith('export'));
  expect(lines).toEqual(folders.sort().map((f) => `export * from './${f}';`));
  for (const folder of folders) {
    const text = fs.readFileSync(path.join(SRC, folder, 'index.ts'), 'utf8');
    expect([folder, /export \*/.test(text)]).toEqual([folder, false]);
  }
});

test('internals stay out of the public surface, and importing the library registers no kernel', () => {
  const count = () => ['wasm', 'tensorflow', 'cpu'].map((b) => tf.getKernelsForBackend(b).length);
  const before = count();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../../src') as Record<string, unknown>;
  expect(count()).toEqual(before);
  for (const internal of ['wasmConv2DBackpropFilterConfig', 'registerWasmTrainingKernels', 'registerNativeTrainingKernels', 'rememberOriginal', 'verifyExercises']) {
    expect([internal, internal in lib]).toEqual([internal, false]);
  }
  for (const api of ['selectBackend', 'fitModel', 'checkExercise', 'startNotebook', 'crossValidate', 'articleCnn']) expect(typeof lib[api]).toBe('function');
});
