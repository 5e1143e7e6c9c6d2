import * as http from 'http';
import type { AddressInfo } from 'net';
import { httpRequest, percentile, runLoadTest, summarizeLatencies } from '../../src/deploy/load-test';

test('percentile: nearest rank', () => {
  const v = [15, 20, 35, 40, 50];
  expect(percentile(v, 5)).toBe(15);
  expect(percentile(v, 30)).toBe(20);
  expect(percentile(v, 40)).toBe(20);
  expect(percentile(v, 50)).toBe(35);
  expect(percentile(v, 100)).toBe(50);
  expect(percentile(Array.from({ length: 100 }, (_, i) => 100 - i), 95)).toBe(95);
  expect(percentile([], 50)).toBeNaN();
  expect(() => percentile(v, 101)).toThrow(/\[0, 100\]/);
  const s = summarizeLatencies([1, 2, 3, 4]);
  expect(s).toMatchObject({ count: 4, min: 1, max: 4, mean: 2.5, p50: 2 });
});

test('a long load test (500,000 samples) is summarised without overflowing the call stack', () => {
  // Math.min(...ms) threw "Maximum call stack size exceeded" from about 130,000 samples.
  const ms = Array.from({ length: 500_000 }, (_, i) => 1 + ((i * 7919) % 1000) / 10);
  const s = summarizeLatencies(ms);
  expect(s).toMatchObject({ count: 500_000, min: 1, max: 100.9 });
  expect(s.p50).toBeCloseTo(50.9, 9);
});

describe('runLoadTest against a local server', () => {
  let server: http.Server;
  let url: string;
  let inFlight = 0;
  let maxInFlight = 0;
  let connections = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => setTimeout(() => {
        inFlight--;
        const body = Buffer.concat(chunks).toString();
        res.writeHead(body.includes('bad') ? 422 : 200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ echo: body }));
      }, 5));
    });
    server.on('connection', () => { connections++; });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('N requests, at most C in flight, over C kept-alive connections', async () => {
    maxInFlight = 0;
    connections = 0;
    const r = await runLoadTest({ url, body: (i) => JSON.stringify({ i }), requests: 60, concurrency: 4, timeLimitMs: 20_000 });
    expect(r.sent).toBe(60);
    expect(r.ok).toBe(60);
    expect(r.failed).toBe(0);
    expect(r.statusCounts).toEqual({ 200: 60 });
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
    expect(connections).toBeLessThanOrEqual(4);
    expect(r.latencyMs.p50).toBeGreaterThanOrEqual(4);
    expect(r.latencyMs.p95).toBeGreaterThanOrEqual(r.latencyMs.p50);
    expect(r.throughput).toBeCloseTo(r.ok / r.seconds, 6);
    expect(r.stoppedByTimeLimit).toBe(false);
  });

  test('the time limit stops the run early', async () => {
    const r = await runLoadTest({ url, body: '{}', requests: 100000, concurrency: 2, timeLimitMs: 150 });
    expect(r.stoppedByTimeLimit).toBe(true);
    expect(r.sent).toBeLessThan(100000);
    expect(r.ok).toBe(r.sent);
    expect(r.seconds).toBeLessThan(2);
  });

  test('unexpected statuses count as failures, with their messages', async () => {
    const r = await runLoadTest({ url, body: (i) => (i % 2 ? '"bad"' : '{}'), requests: 10, concurrency: 2, timeLimitMs: 10_000 });
    expect(r.ok).toBe(5);
    expect(r.failed).toBe(5);
    expect(r.statusCounts).toEqual({ 200: 5, 422: 5 });
    expect(r.errors[0]).toMatch(/status 422/);
  });

  test('httpRequest parses JSON and times the request', async () => {
    const r = await httpRequest(url, { json: { a: 1 } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ echo: '{"a":1}' });
    expect(r.ms).toBeGreaterThan(0);
  });
});

test('refuses non-loopback hosts and bad parameters', async () => {
  await expect(runLoadTest({ url: 'http://example.com/', requests: 1, concurrency: 1, timeLimitMs: 100 })).rejects.toThrow(/only loopback hosts/);
  await expect(runLoadTest({ url: 'http://127.0.0.1:1/', requests: 0, concurrency: 1, timeLimitMs: 100 })).rejects.toThrow(/requests must be a positive integer/);
  await expect(runLoadTest({ url: 'http://127.0.0.1:1/', requests: 1, concurrency: 0, timeLimitMs: 100 })).rejects.toThrow(/concurrency/);
  await expect(runLoadTest({ url: 'http://127.0.0.1:1/', requests: 1, concurrency: 1, timeLimitMs: Infinity })).rejects.toThrow(/timeLimitMs/);
  // A refused connection is a failure, not a crash.
  const r = await runLoadTest({ url: 'http://127.0.0.1:1/', requests: 3, concurrency: 1, timeLimitMs: 5000, timeoutMs: 1000 });
  expect(r.failed).toBe(3);
  expect(r.statusCounts.error).toBe(3);
});
