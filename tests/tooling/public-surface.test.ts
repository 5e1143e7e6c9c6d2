import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

const SRC = path.join(__dirname, '..', '..', 'src');
const folders = fs.readdirSync(SRC).filter((f) => fs.statSync(path.join(SRC, f)).isDirectory());

test('src/ is grouped by domain, and tests/ mirrors it', () => {
  expect(folders.sort()).toEqual(['backends', 'data', 'deploy', 'exercises', 'explain', 'metrics', 'models', 'notebook', 'privacy', 'scratch', 'training', 'tuning', 'vision']);
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

/** The names a module exports at top level (declarations and `export { … }` lists), read with the TypeScript parser. */
function moduleExports(file: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (statement.exportClause && ts.isNamedExports(statement.exportClause)) names.push(...statement.exportClause.elements.map((e) => e.name.text));
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(statement)) names.push(...statement.declarationList.declarations.map((d) => d.name.getText(source)));
    else if ((statement as { name?: { text: string } }).name) names.push((statement as unknown as { name: { text: string } }).name.text);
  }
  return names;
}

// What a folder's index leaves out on purpose. Whole modules: the backend kernels (selectBackend registers them) and
// the exercise machinery behind checkExercise. Single names: helpers shared inside the library only.
const INTERNAL_MODULES: Record<string, string> = {
  'backends/native-kernels.ts': 'registered by selectBackend',
  'backends/native-binding.ts': "tfjs-node's binding as the native kernels use it (its nativeDirectOpCount is public through the index)",
  'backends/wasm-kernels-conv.ts': 'kernel configs, registered by selectBackend',
  'backends/wasm-kernels-core.ts': 'plumbing of the wasm kernels',
  'backends/wasm-kernels-matmul.ts': 'kernel configs, registered by selectBackend',
  'backends/wasm-kernels-misc.ts': 'kernel configs, registered by selectBackend',
  'backends/wasm-kernels-pool.ts': 'kernel configs, registered by selectBackend',
  'backends/wasm-kernels-reduce.ts': 'kernel configs, registered by selectBackend',
  'backends/wasm-kernels-same.ts': 'kernel configs, registered by selectBackend',
  'backends/wasm-training.ts': 'registered by selectBackend',
  'backends/wasm-fused.ts': 'registered by selectBackend, with the wasm training kernels',
  'exercises/checks.ts': 'building blocks of exercise checks',
  'exercises/verify.ts': 'used by npm run exercises, not by learners',
};
const INTERNAL_NAMES: Record<string, string> = {
  'notebook/display.ts:notebookDisplay': 'the display hook that show and showMarkdown use',
  'data/tabular-encoder.ts:numberAt': 'reads a numeric field with a clear error, for the data loaders and encoders',
  'backends/native-fused.ts:routeFusedConv2D': 'the one wrapper of tf.fused.conv2d, shared by the native and the wasm fused conv kernels',
  'backends/native-fused.ts:ConvAttrs': 'the fused conv kernels\' attributes, shared with wasm-fused.ts',
  'backends/native-fused.ts:convBiasGradients': 'the gradients of conv + bias, shared by the native and the wasm fused conv kernels',
};

test("each folder's index exports every public export of its modules: a new export is public or listed as internal here", () => {
  const forgotten: string[] = [];
  const usedInternal = new Set<string>();
  for (const folder of folders) {
    const barrel = new Set(moduleExports(path.join(SRC, folder, 'index.ts')));
    for (const file of fs.readdirSync(path.join(SRC, folder)).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      const key = `${folder}/${file}`;
      if (key in INTERNAL_MODULES) {
        usedInternal.add(key);
        continue;
      }
      for (const name of moduleExports(path.join(SRC, folder, file))) {
        if (barrel.has(name)) continue;
        if (`${key}:${name}` in INTERNAL_NAMES) usedInternal.add(`${key}:${name}`);
        else forgotten.push(`${key}: ${name}`);
      }
    }
  }
  // Each entry: export it from src/<folder>/index.ts, or add it to INTERNAL_NAMES above with the reason.
  expect(forgotten).toEqual([]);
  // Stale internal entries (the module or name is gone) fail too.
  expect([...Object.keys(INTERNAL_MODULES), ...Object.keys(INTERNAL_NAMES)].filter((k) => !usedInternal.has(k))).toEqual([]);
  // The parser reads what the barrels say (a check that could not fail would prove nothing): selectBackend is found.
  expect(moduleExports(path.join(SRC, 'backends', 'index.ts'))).toContain('selectBackend');
});
