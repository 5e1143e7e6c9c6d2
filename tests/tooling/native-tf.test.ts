// `npm run native` builds native TensorFlow only from the pinned tensorflow-cpu wheel: a wheel (given, cached or
// downloaded) whose sha256 differs is refused with a message naming the file, both hashes and the fix.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const native = require('../../kernel-setup/native-tf') as {
  TF_PIN: { spec: string; file: string; sha256: string };
  sha256File(file: string): string;
  wheelProblem(file: string, expected?: string): string | null;
};

test('the pin is one exact version, file and sha256', () => {
  expect(native.TF_PIN.spec).toMatch(/^tensorflow-cpu==\d+\.\d+\.\d+$/);
  expect(native.TF_PIN.file).toMatch(/^tensorflow_cpu-\d+\.\d+\.\d+-.*\.whl$/);
  expect(native.TF_PIN.file).toContain(native.TF_PIN.spec.split('==')[1]);
  expect(native.TF_PIN.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test('sha256File hashes a file in chunks, equal to a one-shot hash', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wheel-')), 'x.bin');
  const data = crypto.randomBytes((1 << 22) + 12345); // more than one chunk
  fs.writeFileSync(file, data);
  expect(native.sha256File(file)).toBe(crypto.createHash('sha256').update(data).digest('hex'));
});

test('a wheel whose sha256 differs is refused: by wheelProblem, and by npm run native -- --wheel', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wheel-')), native.TF_PIN.file);
  fs.writeFileSync(file, 'not the wheel');
  const actual = crypto.createHash('sha256').update('not the wheel').digest('hex');
  expect(native.wheelProblem(file, actual)).toBeNull();
  expect(native.wheelProblem(file)).toBe(`${file}: sha256 ${actual} is not the pinned ${native.TF_PIN.sha256} (${native.TF_PIN.file}). ` +
    'Native TensorFlow is built only from the pinned wheel: delete the file to download it again, or, to build from ' +
    'another wheel on purpose, set COURSE_TF_WHEEL_SHA256 to its sha256.');
  const env = { ...process.env };
  delete env.COURSE_TF_WHEEL_SHA256;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'kernel-setup', 'native-tf.js'), '--wheel', file, '--force'], { cwd: ROOT, encoding: 'utf8', env });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`sha256 ${actual} is not the pinned ${native.TF_PIN.sha256}`);
  expect(fs.readFileSync(file, 'utf8')).toBe('not the wheel'); // the given file is left alone
});
