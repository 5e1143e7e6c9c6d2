// `npm run native` patches tfjs-node's binding before compiling it (kernel-setup/patches): each patch applies cleanly
// to the pinned tfjs-node 4.22.0 file (sha256), only adds code, and `npm run native` applies or skips it as told.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nativeAvailable } from '../support/native';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const native = require('../../kernel-setup/native-tf') as {
  PATCHES: { file: string; target: string; pristineSha256: string }[];
  PATCH_DIR: string;
  sha256File(file: string): string;
  patchState(pkg: string, patchFile: string): 'applied' | 'applicable' | 'conflict' | 'no-patch-tool';
  applyPatches(pkg: string, env?: NodeJS.ProcessEnv): string[];
};
const hasPatchTool = spawnSync('patch', ['--version']).status === 0;

/** A scratch package holding a copy of `target` from the installed tfjs-node (as shipped: the patch reversed if applied). */
function pristineCopy(p: (typeof native.PATCHES)[number]): string {
  const pkg = path.dirname(require.resolve('tfjs-node-native/package.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-node-patch-'));
  fs.mkdirSync(path.join(dir, path.dirname(p.target)), { recursive: true });
  fs.copyFileSync(path.join(pkg, p.target), path.join(dir, p.target));
  if (native.patchState(dir, path.join(native.PATCH_DIR, p.file)) === 'applied') {
    const r = spawnSync('patch', ['-p1', '-R', '--batch', '--silent', '-i', path.join(native.PATCH_DIR, p.file)], { cwd: dir });
    expect(r.status).toBe(0);
  }
  return dir;
}

test('every patch file is listed, pinned to a sha256, and only adds lines (every call that worked before is unchanged)', () => {
  const files = fs.readdirSync(native.PATCH_DIR).filter((f) => f.endsWith('.patch')).sort();
  expect(native.PATCHES.map((p) => p.file).sort()).toEqual(files);
  for (const p of native.PATCHES) {
    expect(p.pristineSha256).toMatch(/^[0-9a-f]{64}$/);
    const text = fs.readFileSync(path.join(native.PATCH_DIR, p.file), 'utf8');
    expect(text).toContain(`--- a/${p.target}`);
    const hunkLines = text.split('\n').filter((l) => /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l));
    expect(hunkLines.filter((l) => l.startsWith('-'))).toEqual([]);
    expect(hunkLines.filter((l) => l.startsWith('+')).length).toBeGreaterThan(0);
  }
});

(nativeAvailable() && hasPatchTool ? describe : describe.skip)('against the installed tfjs-node sources', () => {
  test.each(native.PATCHES.map((p) => [p.file, p] as const))('%s applies cleanly to the pinned file and adds the list(string)/list(type) branches', (_name, p) => {
    const dir = pristineCopy(p);
    expect(native.sha256File(path.join(dir, p.target))).toBe(p.pristineSha256); // tfjs-node 4.22.0 as shipped
    expect(native.patchState(dir, path.join(native.PATCH_DIR, p.file))).toBe('applicable');
    expect(native.applyPatches(dir, {})).toEqual([p.file]);
    const patched = fs.readFileSync(path.join(dir, p.target), 'utf8');
    expect(patched).toContain('TFE_OpSetAttrStringList');
    expect(patched).toContain('TFE_OpSetAttrTypeList');
    expect(native.patchState(dir, path.join(native.PATCH_DIR, p.file))).toBe('applied');
    expect(native.applyPatches(dir, {})).toEqual([p.file]); // applying again changes nothing
    expect(native.applyPatches(dir, { COURSE_NATIVE_FUSION: '0' })).toEqual([]); // reversed: the file as shipped
    expect(native.sha256File(path.join(dir, p.target))).toBe(p.pristineSha256);
  });

  test('COURSE_NATIVE_FUSION=0 leaves the sources as shipped; a file that is not the pinned one is skipped, not forced', () => {
    const p = native.PATCHES[0]!;
    const dir = pristineCopy(p);
    expect(native.applyPatches(dir, { COURSE_NATIVE_FUSION: '0' })).toEqual([]);
    expect(native.sha256File(path.join(dir, p.target))).toBe(p.pristineSha256);
    fs.appendFileSync(path.join(dir, p.target), '\n// a local change\n');
    expect(native.applyPatches(dir, {})).toEqual([]);
    expect(fs.readFileSync(path.join(dir, p.target), 'utf8')).not.toContain('TFE_OpSetAttrStringList');
  });
});
