/**
 * The HTTP side of the model server, beyond tests/deploy/model-server.test.ts: the paths the split into
 * small functions made visible (HEAD, the 503s while closing, 431, a body too large to drain, request
 * ids, the stats snapshot). The request contract itself is tested on values in request-schema.test.ts.
 */
import * as net from 'net';
import * as tf from '@tensorflow/tfjs';
import { httpRequest } from '../../src/deploy/load-test';
import { startModelServer, tensorInputSchema } from '../../src/deploy/model-server';
import { seed } from '../../src/training/random';

beforeAll(async () => { await tf.setBackend('cpu'); });
afterAll(() => seed(null));

function smallModel(): tf.LayersModel {
  seed(7);
  return tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
}

/** Open a connection, send `chunks` one after the other (waiting `gapMs` between them), and collect everything until the server closes it. */
function rawExchange(port: number, chunks: readonly string[], gapMs = 0, onSent?: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d: Buffer) => { out += d.toString(); });
    socket.on('close', () => resolve(out));
    // The server may close while we still write (that is what some tests check): keep what was received.
    socket.on('error', () => undefined);
    socket.setTimeout(8000, () => { socket.destroy(); reject(new Error(`no close after: ${out.slice(0, 200)}`)); });
    socket.once('connect', async () => {
      for (const c of chunks) {
        if (socket.destroyed) return;
        socket.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      onSent?.();
    });
  });
}

const statusLines = (raw: string): string[] => raw.match(/HTTP\/1\.1 \d{3}/g) ?? [];

test('HEAD /health is allowed; other methods get 405 with Allow; unknown paths and non-JSON get clear messages', async () => {
  const server = await startModelServer({ model: smallModel(), input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'] });
  try {
    const head = await httpRequest(`${server.url}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const del = await httpRequest(`${server.url}/health`, { method: 'DELETE' });
    expect([del.status, del.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect(del.json).toEqual({ error: { status: 405, code: 'method_not_allowed', message: 'DELETE /health: use GET' } });
    const put = await httpRequest(`${server.url}/predict`, { method: 'PUT', body: '{}' });
    expect((put.json as { error: { message: string } }).error.message).toBe('PUT /predict: use POST with a JSON body {"instances": [...]}');
    const nope = await httpRequest(`${server.url}/predict/v2?x=1`);
    expect(nope.json).toEqual({ error: { status: 404, code: 'not_found', message: 'no endpoint /predict/v2: use POST /predict or GET /health' } });
    const untyped = await httpRequest(`${server.url}/predict`, { method: 'POST', body: '{"instances": [[1, 2, 3]]}' });
    expect(untyped.json).toEqual({ error: { status: 415, code: 'unsupported_media_type', message: "Content-Type must be application/json, got 'none'" } });
    expect(untyped.headers['content-type']).toBe('application/json; charset=utf-8');
    // A query string does not change the route.
    expect((await httpRequest(`${server.url}/health?verbose=1`)).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('request ids: one per request, counting up after the start time, in the 500 answer and the log', async () => {
  const logged: string[] = [];
  // Three class names for two outputs: every prediction fails with a 500.
  const server = await startModelServer({ model: smallModel(), input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b', 'c'], log: (l) => logged.push(l) });
  try {
    await httpRequest(`${server.url}/health`);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await httpRequest(`${server.url}/predict`, { json: { instances: [[1, 2, 3]] } });
      expect(r.status).toBe(500);
      ids.push((r.json as { error: { requestId: string } }).error.requestId);
    }
    const [prefix2, n2] = ids[0]!.split('-');
    const [prefix3, n3] = ids[1]!.split('-');
    expect(prefix2).toBe(prefix3);
    expect(Date.now() - parseInt(prefix2!, 36)).toBeLessThan(60_000);
    expect([parseInt(n2!, 36), parseInt(n3!, 36)]).toEqual([2, 3]);
    expect(logged.map((l) => l.slice(0, l.indexOf(': POST')))).toEqual(ids.map((id) => `model server: request ${id}`));
  } finally {
    await server.close();
  }
});

test('stats() is a snapshot: changing it changes nothing in the server', async () => {
  const server = await startModelServer({ model: smallModel(), input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'] });
  try {
    expect((await httpRequest(`${server.url}/predict`, { json: { instances: [[1, 2, 3], [4, 5, 6]] } })).status).toBe(200);
    const s = server.stats();
    expect(s).toEqual({ requests: 1, predictions: 2, byStatus: { 200: 1 }, inFlight: 0 });
    s.byStatus['200'] = 99;
    s.predictions = 99;
    expect(server.stats()).toEqual({ requests: 1, predictions: 2, byStatus: { 200: 1 }, inFlight: 0 });
    const health = (await httpRequest(`${server.url}/health`)).json as { requests: number; predictions: number; limits: object };
    expect(health).toMatchObject({ requests: 2, predictions: 2, limits: { maxBodyBytes: 1024 * 1024, maxInstances: 1000 } });
  } finally {
    await server.close();
  }
});

test('headers beyond the size limit get a bare 431 and the connection is closed', async () => {
  const server = await startModelServer({ model: smallModel(), input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'] });
  try {
    const raw = await rawExchange(server.port, [`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`]);
    expect(raw).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\nConnection: close\r\n/);
    expect((await httpRequest(`${server.url}/health`)).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('a body without a declared length that grows past the drain limit gets a 413 at once and the connection is cut', async () => {
  const server = await startModelServer({ model: smallModel(), input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'], maxBodyBytes: 1000 });
  try {
    // The drain limit is max(4 × maxBodyBytes, 4 MiB): four chunks of 1 MiB reach it, one more byte passes it. The body is
    // never finished, so only the size can end it; nothing is sent after the last byte (unread bytes would make the
    // server's close a reset, which can drop the answer before the client reads it).
    const mib = 'x'.repeat(1024 * 1024);
    const raw = await rawExchange(server.port, [
      'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      ...Array.from({ length: 4 }, () => `100000\r\n${mib}\r\n`),
      '1\r\nx\r\n',
    ], 20);
    expect(statusLines(raw)).toEqual(['HTTP/1.1 413']);
    expect(raw).toMatch(/\r\nConnection: close\r\n/i);
    expect(raw).toMatch(/"the body is larger than the limit of 1000 bytes; send fewer instances per request"/);
    expect(server.stats().byStatus).toEqual({ 413: 1 });
  } finally {
    await server.close();
  }
});

test('a body over the limit but within the drain limit gets a 413 and the connection stays usable', async () => {
  const server = await startModelServer({ model: smallModel(), input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'], maxBodyBytes: 100 });
  try {
    const big = JSON.stringify({ instances: Array.from({ length: 20 }, () => [1, 2, 3]) });
    const small = JSON.stringify({ instances: [[1, 2, 3]] });
    const post = (body: string, last: boolean): string =>
      `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${last ? 'Connection: close\r\n' : ''}\r\n${body}`;
    const raw = await rawExchange(server.port, [post(big, false), post(small, true)], 50);
    expect(statusLines(raw)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
  } finally {
    await server.close();
  }
});

/** A connection with a /predict request in flight (its body incomplete) that, once its body is finished, sends `next` on the same connection. */
function inFlightThen(port: number, next: string): Promise<string> {
  const body = JSON.stringify({ instances: [[1, 2, 3]] });
  return rawExchange(port, [
    `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    '',
    `${body.slice(5)}${next}`,
  ], 150);
}

test('while closing, requests already on an open connection get 503 with Connection: close', async () => {
  const server = await startModelServer({ model: smallModel(), input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'], name: 'm' });
  const predict = JSON.stringify({ instances: [[1, 2, 3]] });
  const toHealth = inFlightThen(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  const toPredict = inFlightThen(server.port, `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${predict.length}\r\n\r\n${predict}`);
  await new Promise((r) => setTimeout(r, 60));
  expect(server.stats().inFlight).toBe(2);
  const closing = server.close(3000);
  const [health, second] = await Promise.all([toHealth, toPredict]);
  await closing;
  expect(server.closed).toBe(true);
  for (const raw of [health, second]) expect(statusLines(raw)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 503']);
  const after = (raw: string): string => raw.slice(raw.lastIndexOf('HTTP/1.1 '));
  expect(after(health)).toMatch(/\r\nConnection: close\r\n/i);
  expect(after(health)).toMatch(/\r\n\r\n\{"status":"closing","model":"m"\}$/);
  expect(after(second)).toMatch(/\r\nConnection: close\r\n/i);
  expect(after(second)).toMatch(/\r\n\r\n\{"error":\{"status":503,"code":"closing","message":"the server is shutting down; retry on another instance"\}\}$/);
  expect(server.stats().byStatus).toEqual({ 200: 2, 503: 2 });
});
