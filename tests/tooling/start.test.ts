// `npm start` up to "Lab answers": the real command (kernel-setup/start.js) on a free port, without a browser.
// Run as root (containers, CI), it must say so and pass --allow-root, or JupyterLab exits at once.
import { spawn } from 'child_process';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function status(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api', timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', () => resolve(0));
    req.on('timeout', () => { req.destroy(); resolve(0); });
  });
}

test('npm start opens a JupyterLab that answers (as root: with --allow-root, said in one line)', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'kernel-setup', 'start.js'), '--no-browser', '--port', String(port)],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += String(d); });
  child.stderr.on('data', (d) => { log += String(d); });
  let exited: number | null = null;
  child.on('exit', (code) => { exited = code ?? -1; });
  try {
    let answered = 0;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && exited === null) {
      answered = await status(port);
      if (answered === 200) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (answered !== 200) throw new Error(`JupyterLab did not answer on port ${port} (exit ${exited}); its log:\n${log.slice(-3000)}`);
    if (process.getuid && process.getuid() === 0) expect(log).toMatch(/running as root .*--allow-root/);
    expect(log).not.toMatch(/Running as root is not recommended/);
  } finally {
    if (child.pid && exited === null) process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    if (child.pid && exited === null) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
  }
}, 300_000);
