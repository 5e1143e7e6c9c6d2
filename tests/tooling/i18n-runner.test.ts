// The headless runner gives a Chinese notebook's kernel COURSE_LANG=zh (from metadata.language, as `npm run zh`
// writes it) and an English one COURSE_LANG=en, each in the notebook's own folder, as JupyterLab starts them.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const common = require('../../kernel-setup/common') as {
  ROOT: string; ensurePython(): string; registerKernel(python: string): string; jupyterEnv(extra?: object): NodeJS.ProcessEnv;
};

const CELL = 'import * as path from "path";\nconsole.log(`${process.env.COURSE_LANG} ${path.basename(process.cwd())}`);';
const notebook = (language?: string) => JSON.stringify({
  cells: [{ cell_type: 'code', id: 'lang', metadata: {}, execution_count: null, outputs: [], source: CELL }],
  metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' }, ...(language ? { language } : {}) },
  nbformat: 4, nbformat_minor: 5,
});

test('COURSE_LANG is zh for a zh-CN notebook and en otherwise, whatever the runner was started with', () => {
  const python = common.ensurePython();
  common.registerKernel(python);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-runner-'));
  try {
    fs.mkdirSync(path.join(dir, 'zh'));
    fs.writeFileSync(path.join(dir, 'zh', 'demo-zh.ipynb'), notebook('zh-CN'));
    fs.writeFileSync(path.join(dir, 'demo-en.ipynb'), notebook());
    const r = spawnSync(python, [path.join(common.ROOT, 'kernel-setup', 'run_notebooks.py'), '--out', path.join(dir, 'out'), '--timeout', '120',
      path.join(dir, 'zh', 'demo-zh.ipynb'), path.join(dir, 'demo-en.ipynb')],
    { encoding: 'utf8', env: common.jupyterEnv({ COURSE_LANG: 'zh' }), cwd: common.ROOT });
    expect(r.status).toBe(0);
    const printed = (name: string) => [].concat(JSON.parse(fs.readFileSync(path.join(dir, 'out', name), 'utf8')).cells[0].outputs[0].text).join('');
    expect(printed('demo-zh.ipynb')).toBe('zh zh\n');
    expect(printed('demo-en.ipynb')).toBe(`en ${path.basename(dir)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300000);
