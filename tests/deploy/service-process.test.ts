import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { httpRequest } from '../../src/deploy/load-test';
import { startServiceProcess } from '../../src/deploy/service-process';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-service-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

const SERVER = `
const http = require('http');
const server = http.createServer((req, res) => { res.end(JSON.stringify({ pid: process.pid })); });
server.listen(0, '127.0.0.1', () => {
  console.log('starting…');
  console.log(JSON.stringify({ ready: true, url: 'http://127.0.0.1:' + server.address().port, extra: 1 }));
});
const stop = (why) => { server.close(() => { console.log(JSON.stringify({ closed: why })); process.exit(0); }); server.closeAllConnections(); };
process.on('SIGTERM', () => stop('SIGTERM'));
process.stdin.on('end', () => stop('stdin'));
process.stdin.resume();
`;

test('a service starts, answers, and stops gracefully on SIGTERM', async () => {
  const service = await startServiceProcess(script('ok.js', SERVER), []);
  let stopped = false;
  try {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service.ready.extra).toBe(1);
    const r = await httpRequest(service.url);
    expect((r.json as { pid: number }).pid).toBe(service.pid);
    const exit = await service.stop();
    stopped = true;
    expect(exit).toMatchObject({ code: 0, killed: false });
    expect(exit.lines).toContain('{"closed":"SIGTERM"}');
    expect(await service.stop()).toBe(exit);
    await expect(httpRequest(service.url, { timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
  } finally {
    if (!stopped) await service.stop();
  }
});

test('a service that ignores SIGTERM is killed', async () => {
  const service = await startServiceProcess(script('stubborn.js', `
process.on('SIGTERM', () => {});
console.log(JSON.stringify({ ready: true, url: 'http://127.0.0.1:1' }));
setInterval(() => {}, 1000);
`));
  const exit = await service.stop(300);
  expect(exit.killed).toBe(true);
  expect(exit.signal).toBe('SIGKILL');
});

test('a service that fails or never gets ready is reported, and stopped', async () => {
  await expect(startServiceProcess(script('crash.js', "console.error('no model here'); process.exit(3);")))
    .rejects.toThrow(/exited before it was ready \(code 3[\s\S]*no model here/);
  const t0 = Date.now();
  await expect(startServiceProcess(script('slow.js', 'setInterval(() => {}, 1000);'), [], { readyTimeoutMs: 300 }))
    .rejects.toThrow(/not ready within 300 ms/);
  expect(Date.now() - t0).toBeLessThan(5000);
});
