/**
 * Measuring a service (压力测试): latency percentiles and throughput under a bounded load.
 *
 * `runLoadTest` sends at most `requests` requests with `concurrency` of them in flight at any time,
 * and stops starting new ones after `timeLimitMs` — so a run is bounded in count *and* time. It
 * reports the latency distribution (p50 = median, p95: 95 % of requests were at least this fast)
 * and the throughput (吞吐量, successful requests per second of wall-clock time). By default it only
 * talks to loopback addresses (127.0.0.1, ::1, localhost): a load generator must not be pointed at
 * someone else's service by accident.
 *
 * ```ts
 * const r = await runLoadTest({ url: `${server.url}/predict`, method: 'POST', body, requests: 500, concurrency: 8, timeLimitMs: 10_000 });
 * r.latencyMs.p50; r.latencyMs.p95; r.throughput;   // e.g. 3.1 ms, 6.8 ms, 2400 req/s
 * ```
 */
import * as http from 'http';

/** The p-th percentile (0–100) of `values`, nearest-rank method: the smallest value with at least p % of the values ≤ it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile: p must be in [0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Summary of a latency sample in milliseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Latency statistics (milliseconds) of a sample. */
export function summarizeLatencies(ms: readonly number[]): LatencySummary {
  return {
    count: ms.length,
    // A loop, not Math.min(...ms): spreading ~130,000 arguments overflows the call stack.
    min: ms.length ? ms.reduce((a, b) => (b < a ? b : a), Infinity) : Number.NaN,
    mean: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : Number.NaN,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    max: ms.length ? ms.reduce((a, b) => (b > a ? b : a), -Infinity) : Number.NaN,
  };
}

/** A response read completely. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Milliseconds from sending to the last byte of the response. */
  ms: number;
}

export interface HttpRequestOptions {
  method?: string;
  /** A raw body (sent as is). */
  body?: string | Buffer;
  /** A value sent as JSON (sets Content-Type: application/json). */
  json?: unknown;
  headers?: Record<string, string>;
  /** Abort after this many milliseconds (default 30 s). */
  timeoutMs?: number;
  agent?: http.Agent;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function checkUrl(url: string, allowRemote: boolean): URL {
  const u = new URL(url);
  if (u.protocol !== 'http:') throw new Error(`${url}: only http:// URLs are supported`);
  if (!allowRemote && !LOOPBACK.has(u.hostname)) throw new Error(`${url}: refusing to send requests to ${u.hostname}; only loopback hosts (127.0.0.1, localhost) are allowed here`);
  return u;
}

/** One HTTP request with node:http, the body read completely (JSON-parsed when possible). */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  if (u.protocol !== 'http:') return Promise.reject(new Error(`${url}: only http:// URLs are supported`));
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | Buffer | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const method = options.method ?? (body !== undefined ? 'POST' : 'GET');
  const t0 = process.hrtime.bigint();
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = http.request({
      hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: `${u.pathname}${u.search}`, method, headers,
      agent: options.agent ?? false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
      });
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${url}: no response within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

export interface LoadTestOptions {
  url: string;
  method?: 'GET' | 'POST';
  /** The request body, or a function of the request number (0-based) that makes it. */
  body?: string | ((i: number) => string);
  headers?: Record<string, string>;
  /** At most this many requests (N). */
  requests: number;
  /** At most this many in flight at once (C); also the number of kept-alive connections. */
  concurrency: number;
  /** No new request starts after this many milliseconds (the run then waits for those in flight). */
  timeLimitMs: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Requests sent first and not measured (default 0), e.g. to open connections and warm up the model. */
  warmup?: number;
  /** The status that counts as success (default 200). */
  expectStatus?: number;
  /** Allow hosts other than loopback (default false). */
  allowRemote?: boolean;
}

export interface LoadTestResult {
  /** N asked for. */
  requested: number;
  /** Measured requests actually sent (≤ N when the time limit stopped the run). */
  sent: number;
  /** Responses with the expected status. */
  ok: number;
  /** Other statuses and network errors. */
  failed: number;
  statusCounts: Record<string, number>;
  /** First few error messages. */
  errors: string[];
  concurrency: number;
  /** Wall-clock seconds of the measured part. */
  seconds: number;
  /** ok / seconds. */
  throughput: number;
  /** Latency of the successful requests. */
  latencyMs: LatencySummary;
  stoppedByTimeLimit: boolean;
}

/** Run a bounded load test (see the module doc). Every connection it opens is closed before it returns. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const { requests, concurrency, timeLimitMs } = options;
  if (!Number.isInteger(requests) || requests < 1) throw new Error(`runLoadTest: requests must be a positive integer, got ${requests}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new Error(`runLoadTest: concurrency must be an integer 1..256, got ${concurrency}`);
  if (!(timeLimitMs > 0) || !Number.isFinite(timeLimitMs)) throw new Error(`runLoadTest: timeLimitMs must be a positive, finite number, got ${timeLimitMs}`);
  checkUrl(options.url, options.allowRemote ?? false);
  const method = options.method ?? (options.body !== undefined ? 'POST' : 'GET');
  const expect = options.expectStatus ?? 200;
  const headers: Record<string, string> = { ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(options.headers ?? {}) };
  const bodyFor = (i: number): string | undefined => (typeof options.body === 'function' ? options.body(i) : options.body);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  let stoppedByTimeLimit = false;
  try {
    // Warm-up: sequential, unmeasured, bounded by the same time limit.
    const warmup = Math.max(0, Math.floor(options.warmup ?? 0));
    const warmStart = Date.now();
    for (let i = 0; i < warmup && Date.now() - warmStart < timeLimitMs; i++) {
      await httpRequest(options.url, { method, body: bodyFor(i), headers, timeoutMs: options.timeoutMs ?? 10_000, agent }).catch(() => undefined);
    }
    const start = Date.now();
    const t0 = process.hrtime.bigint();
    const worker = async (): Promise<void> => {
      for (;;) {
        if (next >= requests) return;
        if (Date.now() - start >= timeLimitMs) {
          stoppedByTimeLimit = true;
          return;
        }
        const i = next++;
        try {
          const r = await httpRequest(options.url, { method, body: bodyFor(i), headers, timeoutMs: options.timeoutMs ?? 10_000, agent });
          statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
          if (r.status === expect) latencies.push(r.ms);
          else {
            failed++;
            if (errors.length < 5) errors.push(`request ${i}: status ${r.status} ${r.body.slice(0, 200)}`);
          }
        } catch (err) {
          failed++;
          statusCounts.error = (statusCounts.error ?? 0) + 1;
          if (errors.length < 5) errors.push(`request ${i}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return {
      requested: requests, sent: next, ok: latencies.length, failed, statusCounts, errors, concurrency, seconds,
      throughput: latencies.length / seconds, latencyMs: summarizeLatencies(latencies), stoppedByTimeLimit,
    };
  } finally {
    agent.destroy();
  }
}
