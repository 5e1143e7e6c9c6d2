#!/usr/bin/env node
// @ts-check
// The Node.js versions the course supports, read from one place: package.json `engines.node`
// (e.g. "22 || 24": each alternative names a major version). CI tests every one of them.
//
//   node kernel-setup/node-versions.js list          majors, newest first, one per line
//   node kernel-setup/node-versions.js install 24    fetch Node 24 for this platform from the npm registry
//                                                    (package node-<platform>-<arch>, with headers for
//                                                    node-gyp) and print its bin directory
//   node kernel-setup/node-versions.js check         say whether the running Node is a supported one
//
// Plain JavaScript that runs on old Node too: CI calls it with whatever Node the machine has.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');

/**
 * The supported majors in an `engines.node` range of majors ("22 || 24", "^22.12.0 || ^24"), newest first.
 * @param {unknown} range
 * @returns {number[]}
 */
function supportedMajors(range) {
  const parts = String(range || '').split('||').map((p) => p.trim()).filter(Boolean);
  const majors = parts.map((p) => {
    const m = /^[\^~]?v?(\d+)(?:\.\d+|\.x)*$/.exec(p);
    if (!m) {
      throw new Error(`package.json engines.node: "${p}" in "${range}" is not one major version; ` +
        'write the supported versions as majors joined by ||, e.g. "22 || 24"');
    }
    return Number(m[1]);
  });
  if (majors.length === 0) throw new Error('package.json engines.node is empty: name the supported majors, e.g. "22 || 24"');
  return [...new Set(majors)].sort((a, b) => b - a);
}

/** The supported majors of package.json's `engines.node`, newest first. */
function engines(root = ROOT) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return supportedMajors(pkg.engines && pkg.engines.node);
}

/**
 * One line about `version` (default: this process's Node): supported, or what to install instead.
 * @returns {string | null}
 */
function nodeVersionNote(version = process.version, majors = engines()) {
  const major = Number(String(version).replace(/^v/, '').split('.')[0]);
  if (majors.includes(major)) return null;
  return `Node ${version} is not a version this course supports and tests (${majors.map((m) => `Node ${m}`).join(', ')}: ` +
    `package.json engines). It may work; if something fails, install Node ${majors[0]} LTS first (https://nodejs.org).`;
}

/** Where fetched Node versions are kept (outside the checkout, so a fresh clone reuses them). */
function cacheDir() {
  return process.env.COURSE_NODE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ai-course', 'node');
}

/**
 * Fetch Node `major` from the npm registry (package node-<platform>-<arch>) and return its bin dir.
 * @param {number} major
 * @returns {{ version: string, bin: string }}
 */
function installNode(major) {
  const pkgName = `node-${process.platform}-${process.arch}`;
  const dir = cacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const view = spawnSync(npm, ['view', `${pkgName}@${major}`, 'version', '--json'], { encoding: 'utf8' });
  if (view.status !== 0) {
    throw new Error(`npm could not find ${pkgName}@${major} in the registry (${String(view.stderr).trim().split('\n').pop()}); ` +
      'install that Node version yourself and put it first on PATH');
  }
  const found = JSON.parse(view.stdout);
  const version = Array.isArray(found) ? found[found.length - 1] : found;
  const home = path.join(dir, `v${version}`);
  const bin = path.join(home, 'bin');
  if (fs.existsSync(path.join(bin, 'node')) && fs.existsSync(path.join(home, 'include', 'node', 'node_api.h'))) return { version, bin };
  console.error(`[node] fetching Node ${version} (${pkgName}) from the npm registry into ${home}`);
  const pack = spawnSync(npm, ['pack', `${pkgName}@${version}`, '--pack-destination', dir, '--json', '--silent'], { encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack ${pkgName}@${version} failed: ${String(pack.stderr).trim().split('\n').pop()}`);
  const tgz = path.join(dir, JSON.parse(pack.stdout)[0].filename);
  const tmp = `${home}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const tar = spawnSync('tar', ['xzf', tgz, '-C', tmp, '--strip-components=1'], { encoding: 'utf8' });
  fs.rmSync(tgz, { force: true });
  if (tar.status !== 0) throw new Error(`could not unpack ${tgz}: ${tar.stderr}`);
  if (!fs.existsSync(path.join(tmp, 'bin', 'node'))) throw new Error(`${pkgName}@${version} has no bin/node`);
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(tmp, home); // whole or nothing: a half-unpacked Node is never used
  return { version, bin };
}

/**
 * @param {string[]} argv
 * @returns {number} the exit status
 */
function main(argv) {
  const [cmd, arg] = argv;
  if (cmd === 'list') {
    console.log(engines().join('\n'));
  } else if (cmd === 'install' && /^\d+$/.test(arg || '')) {
    if (!engines().includes(Number(arg))) console.error(`[node] note: Node ${arg} is not in package.json engines (${engines().join(', ')})`);
    console.log(installNode(Number(arg)).bin);
  } else if (cmd === 'check') {
    const note = nodeVersionNote();
    console.log(note || `Node ${process.version} is supported (${engines().map((m) => `Node ${m}`).join(', ')})`);
  } else {
    console.error('usage: node kernel-setup/node-versions.js list | install <major> | check');
    return 2;
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (err) {
    console.error(`[node] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
module.exports = { supportedMajors, engines, nodeVersionNote, installNode, cacheDir };
