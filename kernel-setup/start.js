#!/usr/bin/env node
// @ts-check
// `npm start [-- --user] [-- --no-browser] [-- --port N]`: set up what is missing and open JupyterLab on notebooks/.
//  - npm dependencies (npm ci) and the built library;
//  - JupyterLab 4: uses `python3` if it already has it (e.g. conda with environment.yml), otherwise
//    creates .venv and installs kernel-setup/requirements.txt with pip;
//  - the tslab kernel "TypeScript (course)": project-local (build/jupyter on JUPYTER_PATH, your other
//    kernels untouched); --user installs it into your user Jupyter data dir instead.
'use strict';
const path = require('path');
const c = require('./common');

/** @param {string[]} argv */
function main(argv) {
  const user = argv.includes('--user');
  const extra = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-browser') extra.push('--no-browser');
    else if (argv[i] === '--port') extra.push(`--port=${argv[++i]}`);
    else if (argv[i] !== '--user') c.die('start', `unknown option ${argv[i]} (use --user, --no-browser, --port N)`);
  }
  const { python, spec } = c.ensureAll({ user });
  c.say('start', `kernel 'TypeScript (course)' registered at ${path.relative(c.ROOT, spec) || spec}`);
  const probe = require('child_process').spawnSync(process.execPath,
    ['-e', "require('tfjs-node-native')"], { cwd: c.ROOT, stdio: 'ignore', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  if (probe.status !== 0) {
    c.say('start', 'native TensorFlow is not installed: training uses WebAssembly or plain JS. ' +
      '`npm run native` builds it from the tensorflow-cpu pip wheel (about 90× faster training).');
  }
  if (process.getuid && process.getuid() === 0) {
    // JupyterLab refuses root without --allow-root (containers, devcontainers, WSL, cloud notebooks, CI).
    c.say('start', 'running as root (a container?): starting JupyterLab with --allow-root');
    extra.push('--allow-root');
  }
  try {
    // The Chinese edition (notebooks/zh/) from the English notebooks and their translations; a notebook the learner
    // edited there is kept (npm run zh -- --force replaces it).
    require('./i18n').generate({ log: (line) => c.say('start', line.replace(/^\[zh\] /, 'Chinese edition: ')) });
  } catch (err) {
    c.say('start', `the Chinese notebooks could not be generated (${err instanceof Error ? err.message : String(err)}); the English ones are unaffected`);
  }
  c.say('start', 'opening JupyterLab on notebooks/ — start with 00-start-here.ipynb (Chinese: zh/00-start-here.ipynb; Ctrl+C here stops it)');
  const status = c.run(python, ['-m', 'jupyter', 'lab', `--notebook-dir=${path.join(c.ROOT, 'notebooks')}`, ...extra],
    { env: c.jupyterEnv() });
  process.exit(status);
}

main(process.argv.slice(2));
