import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { matrixShape } from '../../src/data/dense';
import { httpRequest } from '../../src/deploy/load-test';
import { saveModelFiles } from '../../src/deploy/model-io';
import {
  decodePredictions, encodeTabularRecords, ModelServer, ServingMetadata, startModelServer, startSavedModelServer, tabularInputSchema,
  TabularSchemaSpec, tensorInputSchema, withModelServer,
} from '../../src/deploy/model-server';
import { fitTabularEncoder } from '../../src/data/tabular-encoder';
import { seed } from '../../src/training/random';

beforeAll(async () => { await tf.setBackend('cpu'); });
afterAll(() => seed(null));

const rows = [
  { purpose: 'car', housing: 'own', age: 30, amount: 1000 },
  { purpose: 'radio', housing: 'rent', age: 45, amount: 5000 },
  { purpose: 'car', housing: 'free', age: 22, amount: 800 },
  { purpose: 'education', housing: 'own', age: 60, amount: 12000 },
];
const encoder = fitTabularEncoder(rows, { categorical: ['purpose', 'housing'], numeric: ['age', 'amount'] });
const spec: TabularSchemaSpec = {
  categorical: encoder.categories,
  numeric: {
    age: { ...encoder.scaling.age!, min: 18, max: 100, integer: true },
    amount: { ...encoder.scaling.amount!, min: 0, max: 100000 },
  },
  featureNames: encoder.featureNames,
};
const good = { purpose: 'car', housing: 'rent', age: 33, amount: 2500 };

function creditModel(): tf.LayersModel {
  seed(1);
  return tf.sequential({ layers: [
    tf.layers.dense({ units: 4, activation: 'relu', inputShape: [encoder.featureNames.length] }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
}

/** A raw request over a socket, for bodies an HTTP client would not send (wrong length, garbage). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (d: Buffer) => { out += d.toString(); });
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => { socket.destroy(); reject(new Error('raw request timed out')); });
  });
}

describe('the tabular server', () => {
  let server: ModelServer;
  let model: tf.LayersModel;
  const logged: string[] = [];
  beforeAll(async () => {
    model = creditModel();
    server = await startModelServer({
      model, input: tabularInputSchema(spec), classNames: ['good', 'bad'], name: 'credit-test', maxBodyBytes: 4096, maxInstances: 20,
      log: (l) => logged.push(l),
    });
  });
  afterAll(async () => { await server.close(); });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    httpRequest(`${server.url}/predict`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });

  test('listens on loopback with a free port; /health answers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const r = await httpRequest(`${server.url}/health`);
    expect(r.status).toBe(200);
    const h = r.json as { status: string; model: string; classes: string[]; input: { numeric: Record<string, { min: number }> } };
    expect(h.status).toBe('ok');
    expect(h.model).toBe('credit-test');
    expect(h.classes).toEqual(['good', 'bad']);
    expect(h.input.numeric.age!.min).toBe(18);
  });

  test('a good request: the same probabilities as the model on the encoder output', async () => {
    const r = await post({ instances: [good, rows[1]] });
    expect(r.status).toBe(200);
    const body = r.json as { predictions: { label: string; probabilities: Record<string, number> }[] };
    expect(body.predictions).toHaveLength(2);
    const m = encoder.transform([good, rows[1]!]);
    expect(Array.from(encodeTabularRecords(spec, [good, rows[1]!]))).toEqual(Array.from(m.data));
    const p = (model.predict(tf.tensor2d(m.data, matrixShape(m))) as tf.Tensor).dataSync();
    body.predictions.forEach((pred, i) => {
      expect(pred.probabilities.bad).toBe(p[i]);
      expect(pred.probabilities.good).toBeCloseTo(1 - p[i]!, 6);
      expect(pred.label).toBe(p[i]! >= 0.5 ? 'bad' : 'good');
    });
  });

  test.each([
    ['malformed JSON', '{"instances": [', 400, /not valid JSON/],
    ['JSON but no instances', { rows: [] }, 400, /expected a JSON object \{"instances": \[\.\.\.\]\}.*'rows'/],
    ['instances not an array', { instances: { a: 1 } }, 400, /"instances" must be an array/],
    ['a JSON array', [good], 400, /got an array/],
    ['no instances', { instances: [] }, 422, /empty/],
    ['an instance that is not an object', { instances: [good, 42] }, 422, /instance 1: expected an object/],
    ['a missing field', { instances: [{ purpose: 'car', housing: 'own', age: 30 }] }, 422, /instance 0: missing field 'amount'/],
    ['an unknown field', { instances: [{ ...good, salary: 5 }] }, 422, /unknown field 'salary'/],
    ['an unknown category', { instances: [{ ...good, purpose: 'yacht' }] }, 422, /'purpose' is 'yacht', not one of the 3 known values/],
    ['a number as a string', { instances: [{ ...good, age: '33' }] }, 422, /'age' must be a finite number, got string/],
    ['age out of range', { instances: [{ ...good, age: 250 }] }, 422, /'age' = 250 is out of range \[18, 100\]/],
    ['a negative amount', { instances: [{ ...good, amount: -1 }] }, 422, /'amount' = -1 is out of range/],
    ['a fractional age', { instances: [{ ...good, age: 33.5 }] }, 422, /whole number/],
    ['too many instances', { instances: Array.from({ length: 21 }, () => good) }, 413, /21 instances.*limit is 20/],
  ] as [string, unknown, number, RegExp][])('%s → %i with a clear message', async (_name, body, status, message) => {
    const r = await post(body);
    expect(r.status).toBe(status);
    const err = (r.json as { error: { status: number; message: string } }).error;
    expect(err.status).toBe(status);
    expect(err.message).toMatch(message);
  });

  test('an oversize body → 413, and a huge declared length is refused without reading', async () => {
    const big = JSON.stringify({ instances: Array.from({ length: 200 }, () => good) });
    expect(big.length).toBeGreaterThan(4096);
    const r = await post(big);
    expect(r.status).toBe(413);
    expect((r.json as { error: { message: string } }).error.message).toMatch(/larger than the limit of 4096 bytes/);
    const raw = await rawRequest(server.port, `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{"instances":`);
    expect(raw).toMatch(/^HTTP\/1\.1 413/);
    expect(raw).toMatch(/the limit is 4096/);
  });

  test('wrong method, path and content type', async () => {
    expect((await httpRequest(`${server.url}/predict`)).status).toBe(405);
    expect((await httpRequest(`${server.url}/predict`)).headers.allow).toBe('POST');
    expect((await httpRequest(`${server.url}/health`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await httpRequest(`${server.url}/nope`)).status).toBe(404);
    const r = await post({ instances: [good] }, { 'Content-Type': 'text/plain' });
    expect(r.status).toBe(415);
    // A type that only starts like JSON is not JSON; parameters after ';' are fine.
    expect((await post({ instances: [good] }, { 'Content-Type': 'application/json-seq' })).status).toBe(415);
    expect((await post({ instances: [good] }, { 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  test('garbage instead of HTTP gets a 400 and the server keeps serving', async () => {
    const raw = await rawRequest(server.port, 'HELLO THERE\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    const r = await post({ instances: [good] });
    expect(r.status).toBe(200);
  });

  test('after all the bad requests the server still answers, and counted every status', async () => {
    expect((await httpRequest(`${server.url}/health`)).status).toBe(200);
    const s = server.stats();
    expect(s.byStatus['422']).toBeGreaterThanOrEqual(9);
    expect(s.byStatus['400']).toBeGreaterThanOrEqual(4);
    expect(s.byStatus['500']).toBeUndefined();
    expect(logged).toEqual([]);
  });
});

test('the tensor schema: shape and range checks, nested or flat', async () => {
  seed(2);
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 3, 1] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  const server = await startModelServer({ model, input: tensorInputSchema({ shape: [2, 3, 1], min: 0, max: 1 }), classNames: ['a', 'b', 'c'] });
  try {
    const nested = [[[0], [0.5], [1]], [[0.2], [0.3], [0.4]]];
    const flat = [0, 0.5, 1, 0.2, 0.3, 0.4];
    const ok = await httpRequest(`${server.url}/predict`, { json: { instances: [nested, flat] } });
    expect(ok.status).toBe(200);
    const preds = (ok.json as { predictions: { probabilities: Record<string, number> }[] }).predictions;
    expect(preds[0]).toEqual(preds[1]);
    const cases: [unknown, RegExp][] = [
      [[[[0], [0.5]], [[0.2], [0.3], [0.4]]], /instance 0\[0\]: expected 3 entries at depth 1, got 2/],
      [[0, 0.5, 1, 0.2, 0.3], /instance 0: expected 2 entries at depth 0, got 5/],
      [[[[0], [0.5], [1]], [[0.2], [0.3], [7]]], /instance 0\[1\]\[2\]\[0\]: value 7 is out of range \[0, 1\]/],
      [[0, 0.5, 1, 0.2, 0.3, null], /instance 0\[5\]: expected a finite number, got null/],
      ['an image', /instance 0: expected an array of 2, got string/],
    ];
    for (const [inst, message] of cases) {
      const r = await httpRequest(`${server.url}/predict`, { json: { instances: [inst] } });
      expect(r.status).toBe(422);
      expect((r.json as { error: { message: string } }).error.message).toMatch(message);
    }
  } finally {
    await server.close();
  }
});

test('a value that overflows float32 is a 422, not an Infinity answered with nulls and a 200', async () => {
  seed(4);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  const server = await startModelServer({ model, input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'], log: () => undefined });
  try {
    // 1e39 is a finite double but Infinity as a float32: before, the model answered {"a": null, "b": null}, label "a".
    const r = await httpRequest(`${server.url}/predict`, { json: { instances: [[1e39, 0, 0]] } });
    expect(r.status).toBe(422);
    expect((r.json as { error: { message: string } }).error.message).toMatch(/instance 0\[0\]: value 1e\+39 does not fit a 32-bit float/);
    const nested = await startModelServer({ model, input: tensorInputSchema({ shape: [1, 3] }), classNames: ['a', 'b'], log: () => undefined });
    try {
      const n = await httpRequest(`${nested.url}/predict`, { json: { instances: [[[0, -3.5e38, 0]]] } });
      expect(n.status).toBe(422);
      expect((n.json as { error: { message: string } }).error.message).toMatch(/instance 0\[0\]\[1\]: value -3\.5e\+38 does not fit/);
    } finally {
      await nested.close();
    }
    expect((await httpRequest(`${server.url}/predict`, { json: { instances: [[3e38, 0, 0]] } })).status).not.toBe(422);
  } finally {
    await server.close();
  }
});

test('a model that outputs NaN gets a 500 with a request id, and the details stay in the server log', async () => {
  seed(5);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  model.layers[0]!.setWeights([tf.fill([3, 2], Number.NaN), tf.zeros([2])]);
  const logged: string[] = [];
  const server = await startModelServer({ model, input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'], log: (l) => logged.push(l) });
  try {
    const r = await httpRequest(`${server.url}/predict`, { json: { instances: [[1, 2, 3]] } });
    expect(r.status).toBe(500);
    const error = (r.json as { error: { message: string; requestId: string } }).error;
    expect(error.message).toMatch(/^the model failed on this request; the server's log has the details under request \S+$/);
    expect(error.message).not.toMatch(/NaN|output/);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`request ${error.requestId}:`);
    expect(logged[0]).toMatch(/the model's output 0 is NaN/);
  } finally {
    await server.close();
  }
});

test('an IPv6 loopback host gives a usable URL', async () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  let server: Awaited<ReturnType<typeof startModelServer>>;
  try {
    server = await startModelServer({ model, input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'], host: '::1' });
  } catch (err) {
    // A machine without IPv6 cannot listen on ::1: nothing to test there.
    expect(String(err)).toMatch(/cannot listen on ::1/);
    return;
  }
  try {
    expect(server.url).toBe(`http://[::1]:${server.port}`);
    expect(new URL(server.url).hostname).toBe('[::1]');
  } finally {
    await server.close();
  }
});

test('close() lets a request in flight finish, refuses new ones, then stops', async () => {
  seed(6);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  const server = await startModelServer({ model, input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'] });
  const net = await import('net');
  // A request whose body arrives slowly: it is in flight when close() is called.
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const body = JSON.stringify({ instances: [[1, 2, 3]] });
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (d) => { text += d.toString(); });
    socket.on('close', () => resolve(text));
  });
  socket.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
  await new Promise((r) => setTimeout(r, 100));
  expect(server.stats().inFlight).toBe(1);
  const closing = server.close(3000);
  await expect(httpRequest(`${server.url}/health`, { timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
  socket.end(body.slice(5));
  const raw = await answer;
  expect(raw).toMatch(/^HTTP\/1\.1 200/);
  expect(raw).toMatch(/"predictions":\[\{"label":"[ab]"/);
  await closing;
  expect(server.closed).toBe(true);
});

test('a failing model gives 500 and the server keeps serving; close() is graceful and idempotent', async () => {
  seed(3);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  const logged: string[] = [];
  // Three class names for two outputs: decoding fails on every request.
  const server = await startModelServer({ model, input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b', 'c'], log: (l) => logged.push(l) });
  const r = await httpRequest(`${server.url}/predict`, { json: { instances: [[1, 2, 3]] } });
  expect(r.status).toBe(500);
  // The cause is logged, not sent: the client gets a request id to quote.
  expect((r.json as { error: { message: string } }).error.message).not.toMatch(/class names/);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(/outputs 2 values per example but 3 class names/);
  expect((await httpRequest(`${server.url}/health`)).status).toBe(200);
  // A kept-alive connection does not hold close() up.
  const http = await import('http');
  const agent = new http.Agent({ keepAlive: true });
  expect((await httpRequest(`${server.url}/health`, { agent })).status).toBe(200);
  const t0 = Date.now();
  await Promise.all([server.close(2000), server.close(2000)]);
  expect(Date.now() - t0).toBeLessThan(1500);
  expect(server.closed).toBe(true);
  await expect(httpRequest(`${server.url}/health`, { timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
  agent.destroy();
});

test('withModelServer closes the server after use, also when use throws', async () => {
  seed(4);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  const options = { model, input: tensorInputSchema({ shape: [3] }), classNames: ['a', 'b'], log: () => undefined };
  let seen: ModelServer | undefined;
  const status = await withModelServer(options, async (server) => {
    seen = server;
    return (await httpRequest(`${server.url}/predict`, { json: { instances: [[0, 1, 0]] } })).status;
  });
  expect(status).toBe(200);
  expect(seen!.closed).toBe(true);
  await expect(withModelServer(options, async (server) => { seen = server; throw new Error('the test failed'); })).rejects.toThrow('the test failed');
  expect(seen!.closed).toBe(true);
  model.dispose();
});

test('decodePredictions: sigmoid with a threshold, softmax argmax', () => {
  expect(decodePredictions([0.2, 0.7], 2, ['good', 'bad'], 0.3).map((p) => p.label)).toEqual(['good', 'bad']);
  const s = decodePredictions([0.1, 0.7, 0.2], 1, ['x', 'y', 'z']);
  expect(s[0]!.label).toBe('y');
  expect(s[0]!.probabilities).toEqual({ x: 0.1, y: 0.7, z: 0.2 });
});

test('startSavedModelServer serves a model saved with its serving metadata', async () => {
  const model = creditModel();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-serve-'));
  try {
    const serving: ServingMetadata = { name: 'saved-credit', version: '7', classNames: ['good', 'bad'], threshold: 0.3, input: { kind: 'tabular', spec } };
    await saveModelFiles(model, dir, { serving });
    const server = await startSavedModelServer(dir, { maxInstances: 5 });
    try {
      const h = (await httpRequest(`${server.url}/health`)).json as { model: string; version: string; limits: { maxInstances: number } };
      expect(h).toMatchObject({ model: 'saved-credit', version: '7', limits: { maxInstances: 5 } });
      const r = await httpRequest(`${server.url}/predict`, { json: { instances: [good] } });
      const p = (r.json as { predictions: { label: string; probabilities: { bad: number } }[] }).predictions[0]!;
      const m = encoder.transform([good]);
      expect(p.probabilities.bad).toBe((model.predict(tf.tensor2d(m.data, matrixShape(m))) as tf.Tensor).dataSync()[0]);
      expect(p.label).toBe(p.probabilities.bad >= 0.3 ? 'bad' : 'good');
      expect((await httpRequest(`${server.url}/predict`, { json: { instances: [{ ...good, age: 5 }] } })).status).toBe(422);
    } finally {
      await server.close();
    }
    await saveModelFiles(model, dir, {});
    await expect(startSavedModelServer(dir)).rejects.toThrow(/no 'serving' metadata/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
