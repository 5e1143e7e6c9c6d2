// `npm run typecheck` covers the tools: kernel-setup/*.js are plain Node scripts (some run before `npm ci`), checked by
// tsc --strict through tsconfig.json's allowJs and a `// @ts-check` line in each file.
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..', '..');
const TOOLS = path.join(ROOT, 'kernel-setup');
const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) as {
  compilerOptions: { allowJs?: boolean; paths?: Record<string, string[]> }; include: string[];
};

test('tsconfig.json takes kernel-setup/*.js into the type-check and maps ai-course to the sources', () => {
  expect(tsconfig.compilerOptions.allowJs).toBe(true);
  expect(tsconfig.include).toEqual(expect.arrayContaining(['kernel-setup/*.js', 'kernel-setup/**/*.ts', 'src/**/*.ts', 'tests/**/*.ts']));
  expect(tsconfig.compilerOptions.paths).toEqual({ 'ai-course': ['./src/index.ts'] });
});

test('every tool in kernel-setup/*.js opts in with // @ts-check on its first lines', () => {
  const tools = fs.readdirSync(TOOLS).filter((f) => f.endsWith('.js'));
  expect(tools.length).toBeGreaterThan(10);
  const unchecked = tools.filter((f) => !/^(#!.*\n)?\/\/ @ts-check\n/.test(fs.readFileSync(path.join(TOOLS, f), 'utf8')));
  expect(unchecked).toEqual([]);
});

test('a checked tool with a type error fails under the project settings; fixed, it passes', () => {
  // A one-file project inside the checkout (so @types resolve) that extends tsconfig.json.
  const dir = path.join(ROOT, 'build', 'tooling-typecheck-test');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: [], files: ['tool.js'] }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = (body: string) => {
      fs.writeFileSync(path.join(dir, 'tool.js'), `// @ts-check\n'use strict';\n${body}\nmodule.exports = { twice };\n`);
      const r = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
      return { status: r.status, text: `${r.stdout}${r.stderr}` };
    };
    const bad = check('/** @param {number} n */\nfunction twice(n) { return n * 2; }\ntwice("3");\nfunction untyped(x) { return x; }\nuntyped(1);');
    expect(bad.status).not.toBe(0);
    expect(bad.text).toMatch(/tool\.js\(5,7\): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'/);
    expect(bad.text).toMatch(/tool\.js\(6,18\): error TS7006: Parameter 'x' implicitly has an 'any' type/);
    const good = check('/** @param {number} n */\nfunction twice(n) { return n * 2; }\ntwice(3);');
    expect(good).toEqual({ status: 0, text: '' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
