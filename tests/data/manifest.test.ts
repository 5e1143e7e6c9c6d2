import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DATASET_NAMES, datasetFiles, findCourseRoot, getDatasetSpec, loadDataManifest, parseFileListTsv } from '../../src/data/manifest';

const ROOT = path.resolve(__dirname, '..', '..');

test('the manifest lists the five datasets with licence, citation, use and checksums', () => {
  const m = loadDataManifest();
  expect(findCourseRoot()).toBe(ROOT);
  expect(m.datasets.map((d) => d.name)).toEqual([...DATASET_NAMES]);
  for (const d of m.datasets) {
    expect(d.licence.name).toBeTruthy();
    expect(d.citation.length).toBeGreaterThan(0);
    expect(d.usedFor.length).toBeGreaterThan(0);
    for (const f of datasetFiles(d, m.dir)) {
      expect(f.accept.length).toBeGreaterThan(0);
      for (const a of f.accept) expect(a.sha256 ?? a.md5).toMatch(/^[0-9a-f]{32}([0-9a-f]{32})?$/);
    }
  }
  expect(getDatasetSpec('neu-surface-defect-det', m).redistribute).toBe(false);
  expect(getDatasetSpec('neu-surface-defect-det', m).licence.note).toMatch(/NEVER commit, publish or package/);
  expect(getDatasetSpec('neu-surface-defect-det', m).manual!.length).toBeGreaterThan(2);
  expect(getDatasetSpec('breastmnist', m).files![0]!.accept!.map((a) => a.md5)).toEqual(['750601b1f35ba3300ea97c75c52ff8f6', '098de56cd2d92ef2f7170e6153c02849']);
  expect(() => getDatasetSpec('mnist-fashion', m)).toThrow(/unknown dataset 'mnist-fashion'. Known datasets: mnist, breastmnist/);
});

test('the NEU file list: 3600 files, 300 images and 300 annotations per class, pinned by sha256', () => {
  const m = loadDataManifest();
  const files = datasetFiles(getDatasetSpec('neu-surface-defect-det', m), m.dir);
  expect(files).toHaveLength(3600);
  expect(files.reduce((s, f) => s + f.accept[0]!.size!, 0)).toBe(28201919);
  const perPrefix = new Map<string, number>();
  for (const f of files) {
    const key = f.path.replace(/_\d+\.(jpg|xml)$/, '');
    perPrefix.set(key, (perPrefix.get(key) ?? 0) + 1);
  }
  expect(perPrefix.size).toBe(12);
  for (const v of perPrefix.values()) expect(v).toBe(300);
  expect(files[0]).toEqual({ path: 'IMAGES/crazing_1.jpg', accept: [{ variant: 'manifest', size: 22873, sha256: '5278cd3695adbcbd7a16a7e4b2c6bc27f18095ab8a1e034d2b06c0fc42020eca' }] });
});

test('an edited file list or a broken manifest is caught with the file named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-manifest-'));
  try {
    const m = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'manifest.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'neu-files.tsv'), fs.readFileSync(path.join(ROOT, 'data', 'neu-files.tsv'), 'utf8').replace('22873', '22874'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    const edited = loadDataManifest(path.join(dir, 'manifest.json'));
    expect(() => datasetFiles(getDatasetSpec('neu-surface-defect-det', edited), edited.dir)).toThrow(/neu-files\.tsv: sha256 mismatch for the file list of 'neu-surface-defect-det': expected dc6d6f75/);
    m.datasets[2].files[0].sha256 = 'B21F';
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    expect(() => loadDataManifest(path.join(dir, 'manifest.json'))).toThrow(/manifest\.json: dataset 'german-credit' file german\.data: sha256 'B21F' is not 64 lower-case hex digits/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{ not json');
    expect(() => loadDataManifest(path.join(dir, 'manifest.json'))).toThrow(/cannot read the dataset manifest/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(() => parseFileListTsv('path\tsize_bytes\tsha256\nIMAGES/a.jpg\t12\n', 'x.tsv')).toThrow(/x\.tsv line 2: expected path, size in bytes and a sha256/);
});
