/**
 * Serving a model over HTTP (模型服务): a small JSON prediction server on `node:http`, with the
 * input validation a real service needs — a bad request gets a 4xx answer with a clear message and
 * never takes the server down.
 *
 * Endpoints:
 * - `POST /predict` with `{"instances": [ … ]}` (Content-Type `application/json`) → 200
 *   `{"model", "predictions": [{"label", "probabilities": {class: p}}]}`;
 * - `GET /health` → 200 `{"status": "ok", …}` (503 `{"status": "closing"}` while shutting down).
 *
 * Errors, always `{"error": {"status", "code", "message"}}`:
 * 400 malformed JSON / no `instances` array · 404 unknown path · 405 wrong method ·
 * 413 body larger than `maxBodyBytes` or more than `maxInstances` instances · 415 not JSON ·
 * 422 an instance of the wrong shape, type or range (the message names the instance and the field) ·
 * 500 an unexpected failure in the model (logged; the server keeps serving) · 503 closing.
 *
 * This file is the HTTP part — routing, content types, body limits, request ids, the 500 answer,
 * closing — as small functions that `startModelServer` wires together. What a body and its
 * instances must look like (the 400 / 413 / 422 refusals, the two input schemas
 * `tabularInputSchema` and `tensorInputSchema`) is in src/deploy/request-schema.ts, which knows
 * nothing about HTTP; its names are re-exported here as before.
 *
 * ```ts
 * const server = await startModelServer({ model, input: tabularInputSchema(spec), classNames: ['good', 'bad'] });
 * try {
 *   const r = await httpRequest(`${server.url}/predict`, { method: 'POST', json: { instances: [applicant] } });
 * } finally {
 *   await server.close();          // stops accepting, lets in-flight requests finish, then closes
 * }
 * ```
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Duplex } from 'stream';
import * as tf from '@tensorflow/tfjs';
import { loadModelFiles } from './model-io';
import { InputSchema, inputSchemaFromMetadata, parsePredictBody, RequestError, servingMetadataOf } from './request-schema';

// The request contract moved to ./request-schema; these names are still exported from here, as before the split.
export {
  encodeTabularRecords, inputSchemaFromMetadata, RequestError, servingMetadataOf, tabularInputSchema, tensorInputSchema, validateTabularRecord,
} from './request-schema';
export type { InputSchema, NumericFeatureSpec, ServingMetadata, TabularSchemaSpec } from './request-schema';

/** What `startModelServer` serves and how: the model, its input schema and class names; every other field has a default. */
export interface ModelServerOptions {
  model: tf.LayersModel;
  input: InputSchema;
  /** Class names in output order. A single sigmoid output `[n, 1]` needs two: [negative, positive]. */
  classNames: readonly string[];
  /** For a single sigmoid output: predict the positive class when p ≥ threshold (default 0.5). */
  threshold?: number;
  name?: string;
  version?: string;
  /** Default '127.0.0.1' (loopback only). */
  host?: string;
  /** Default 0: the system picks a free port (see `server.port`). */
  port?: number;
  /** Largest accepted body (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Most instances per request (default 1000). */
  maxInstances?: number;
  /** A request (headers and body) must arrive within this time (default 10 s). */
  requestTimeoutMs?: number;
  /** Where unexpected errors are reported (default: console.error). */
  log?: (line: string) => void;
}

/** Counters of a running server. */
export interface ModelServerStats {
  requests: number;
  predictions: number;
  byStatus: Record<string, number>;
  inFlight: number;
}

export interface ModelServer {
  /** e.g. 'http://127.0.0.1:40123'. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  stats(): ModelServerStats;
  /** Stop accepting, let in-flight requests finish (at most `timeoutMs`, default 5 s), then close every connection. Safe to call twice. */
  close(timeoutMs?: number): Promise<void>;
  readonly closed: boolean;
}

/** The answer to one prediction. */
export interface PredictionResult {
  label: string;
  probabilities: Record<string, number>;
}

/**
 * Turn the model's output `[n, k]` (softmax) or `[n, 1]` (sigmoid), flat and row-major, into n labelled
 * predictions: the arg-max class, or for a sigmoid the positive class when p ≥ `threshold`.
 *
 * ```ts
 * decodePredictions([0.2, 0.7], 2, ['good', 'bad'], 0.3);   // [{ label: 'good', probabilities: { good: 0.8, bad: 0.2 } }, { label: 'bad', … }]
 * decodePredictions([0.1, 0.7, 0.2], 1, ['x', 'y', 'z']);     // [{ label: 'y', probabilities: { x: 0.1, y: 0.7, z: 0.2 } }]
 * ```
 */
export function decodePredictions(output: Float32Array | number[], n: number, classNames: readonly string[], threshold = 0.5): PredictionResult[] {
  const k = output.length / Math.max(n, 1);
  if (n === 0) return [];
  if (k === 1) {
    if (classNames.length !== 2) throw new Error(`a single sigmoid output needs two class names, got ${classNames.length}`);
    return Array.from({ length: n }, (_, i) => {
      const p = output[i]!;
      return { label: p >= threshold ? classNames[1]! : classNames[0]!, probabilities: { [classNames[0]!]: 1 - p, [classNames[1]!]: p } };
    });
  }
  if (k !== classNames.length) throw new Error(`the model outputs ${k} values per example but ${classNames.length} class names were given`);
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    const probabilities: Record<string, number> = {};
    for (let j = 0; j < k; j++) {
      const p = output[i * k + j]!;
      probabilities[classNames[j]!] = p;
      if (p > output[i * k + best]!) best = j;
    }
    return { label: classNames[best]!, probabilities };
  });
}

// ---------------------------------------------------------------------------------------------
// Settings and state of one server

/** `ModelServerOptions` with every default filled in. */
interface ServerConfig {
  model: tf.LayersModel;
  input: InputSchema;
  classNames: readonly string[];
  threshold: number;
  name: string;
  version: string;
  host: string;
  port: number;
  maxBodyBytes: number;
  maxInstances: number;
  /** A body over this size is not read to its end: the 413 is sent at once and the connection closed. */
  drainLimit: number;
  requestTimeoutMs: number;
  log: (line: string) => void;
}

/** The defaults: loopback, a free port, 1 MiB and 1000 instances per request, 10 s per request, threshold 0.5, errors to console.error. */
function resolveOptions(options: ModelServerOptions): ServerConfig {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return {
    model: options.model,
    input: options.input,
    classNames: options.classNames,
    threshold: options.threshold ?? 0.5,
    name: options.name ?? options.model.name,
    version: options.version ?? '1',
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    maxBodyBytes,
    maxInstances: options.maxInstances ?? 1000,
    drainLimit: Math.max(4 * maxBodyBytes, 4 * 1024 * 1024),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    log: options.log ?? ((line: string) => console.error(line)),
  };
}

/** What changes while a server runs. */
interface ServerState {
  /** Date.now() at start: the uptime's origin and the prefix of every request id. */
  readonly started: number;
  readonly stats: ModelServerStats;
  /** Set by close(): new requests get 503, and answers carry `Connection: close`. */
  closing: boolean;
  closed: boolean;
  closePromise: Promise<void> | null;
  /** Called once, when no request is in flight any more (close() waits on them). */
  idleWaiters: (() => void)[];
}

function newState(): ServerState {
  return { started: Date.now(), stats: { requests: 0, predictions: 0, byStatus: {}, inFlight: 0 }, closing: false, closed: false, closePromise: null, idleWaiters: [] };
}

// ---------------------------------------------------------------------------------------------
// Answers

/** Send `body` as JSON with `status` (nothing when an answer was already sent). */
function sendJson(res: http.ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

/** Send a refusal as `{"error": {"status", "code", "message"}}`. */
function sendError(res: http.ServerResponse, status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): void {
  sendJson(res, status, { error: { status, code, message } }, extraHeaders);
}

/** A 413 for a body we stop reading: the connection is closed once the answer is out, so the rest of the body is never read. */
function refuseAndDisconnect(req: http.IncomingMessage, res: http.ServerResponse, message: string): void {
  sendError(res, 413, 'body_too_large', message, { Connection: 'close' });
  res.on('finish', () => req.socket.destroy());
}

/**
 * The answer to a request whose handler threw: a `RequestError` gets its own 4xx; anything else is
 * the server's fault — the details (a stack, a file path, the model's internals) go to the log, the
 * client gets a 500 with the request id that ties the two together.
 */
function answerFailure(err: unknown, req: http.IncomingMessage, res: http.ServerResponse, requestId: string, log: (line: string) => void): void {
  if (err instanceof RequestError) {
    sendError(res, err.status, err.code, err.message);
    return;
  }
  log(`model server: request ${requestId}: ${req.method} ${req.url}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  sendJson(res, 500, { error: { status: 500, code: 'internal_error', message: `the model failed on this request; the server's log has the details under request ${requestId}`, requestId } });
}

/** A client error (garbage instead of HTTP, a header overflow, a timeout) gets a bare 400 / 431 / 408 and the socket is closed. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

// ---------------------------------------------------------------------------------------------
// The endpoints

/** GET /health: 200 with the model, its input contract, the limits and the counters; 503 while closing; 405 for other methods. */
function handleHealth(req: http.IncomingMessage, res: http.ServerResponse, config: ServerConfig, state: ServerState): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'method_not_allowed', `${req.method} /health: use GET`, { Allow: 'GET, HEAD' });
    return;
  }
  if (state.closing) {
    sendJson(res, 503, { status: 'closing', model: config.name }, { Connection: 'close' });
    return;
  }
  sendJson(res, 200, {
    status: 'ok', model: config.name, version: config.version, classes: config.classNames, input: config.input.describe(),
    limits: { maxBodyBytes: config.maxBodyBytes, maxInstances: config.maxInstances }, uptimeSeconds: (Date.now() - state.started) / 1000,
    requests: state.stats.requests, predictions: state.stats.predictions,
  });
}

/** `application/json`, with or without parameters (`; charset=utf-8`); not `application/json-seq` and the like. */
function isJsonContentType(type: string): boolean {
  return /^application\/json\s*(;|$)/i.test(type);
}

/** Refuse a /predict request that is not a POST (405), arrives while closing (503) or is not JSON (415). True when it may go on. */
function acceptPredict(req: http.IncomingMessage, res: http.ServerResponse, state: ServerState): boolean {
  if (req.method !== 'POST') {
    sendError(res, 405, 'method_not_allowed', `${req.method} /predict: use POST with a JSON body {"instances": [...]}`, { Allow: 'POST' });
    return false;
  }
  if (state.closing) {
    sendError(res, 503, 'closing', 'the server is shutting down; retry on another instance', { Connection: 'close' });
    return false;
  }
  const type = String(req.headers['content-type'] ?? '');
  if (!isJsonContentType(type)) {
    sendError(res, 415, 'unsupported_media_type', `Content-Type must be application/json, got '${type || 'none'}'`);
    return false;
  }
  return true;
}

/** Read a request body up to `limit` bytes. Resolves `null` when it is larger (after discarding up to `drainLimit` bytes). */
function readBody(req: http.IncomingMessage, limit: number, drainLimit: number): Promise<{ body: Buffer | null; drained: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (value: { body: Buffer | null; drained: boolean }): void => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > drainLimit) {
        // Far too large: answer now and do not read the rest.
        req.pause();
        finish({ body: null, drained: false });
      }
    });
    req.on('end', () => finish(size <= limit ? { body: Buffer.concat(chunks), drained: true } : { body: null, drained: true }));
    req.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
  });
}

/**
 * The body of a /predict request as text, or `null` after a 413: a declared length over the drain
 * limit is refused without reading; a body over `maxBodyBytes` is read (up to the drain limit, so
 * the connection can be kept) and refused.
 */
async function readPredictBody(req: http.IncomingMessage, res: http.ServerResponse, config: ServerConfig): Promise<string | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > config.drainLimit) {
    refuseAndDisconnect(req, res, `the body is ${declared} bytes; the limit is ${config.maxBodyBytes}`);
    return null;
  }
  const { body, drained } = await readBody(req, config.maxBodyBytes, config.drainLimit);
  if (body !== null) return body.toString('utf8');
  const message = `the body is larger than the limit of ${config.maxBodyBytes} bytes; send fewer instances per request`;
  if (drained) sendError(res, 413, 'body_too_large', message);
  else refuseAndDisconnect(req, res, message);
  return null;
}

/**
 * Encode `instances` with the input schema, run the model and decode its output `[n, k]` into n
 * labelled predictions; every tensor is disposed. A NaN or infinite output throws (a server fault,
 * answered with a 500), and so does a RequestError from the schema (answered with its 4xx).
 */
function predictBatch(config: ServerConfig, instances: readonly unknown[]): PredictionResult[] {
  const x = config.input.encode(instances);
  try {
    const out = tf.tidy(() => config.model.predict(x) as tf.Tensor);
    try {
      const values = out.dataSync() as Float32Array;
      const bad = values.findIndex((v) => !Number.isFinite(v));
      // NaN or Infinity would be sent as JSON null with a 200 and a made-up label: a server fault, not an answer.
      if (bad >= 0) throw new Error(`the model's output ${bad} is ${values[bad]} (not a finite probability)`);
      return decodePredictions(values, instances.length, config.classNames, config.threshold);
    } finally {
      out.dispose();
    }
  } finally {
    x.dispose();
  }
}

/** POST /predict: method, content type, body size, then the request contract (request-schema.ts), the model, and a 200 with the predictions. */
async function handlePredict(req: http.IncomingMessage, res: http.ServerResponse, config: ServerConfig, state: ServerState): Promise<void> {
  if (!acceptPredict(req, res, state)) return;
  const text = await readPredictBody(req, res, config);
  if (text === null) return;
  const instances = parsePredictBody(text, config.maxInstances);
  const predictions = predictBatch(config, instances);
  state.stats.predictions += predictions.length;
  sendJson(res, 200, { model: config.name, version: config.version, predictions });
}

/** Route by path: /health, /predict, anything else 404. Rejects with what a handler throws (see `answerFailure`). */
async function route(req: http.IncomingMessage, res: http.ServerResponse, config: ServerConfig, state: ServerState): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/health') handleHealth(req, res, config, state);
  else if (pathname === '/predict') await handlePredict(req, res, config, state);
  else sendError(res, 404, 'not_found', `no endpoint ${pathname}: use POST /predict or GET /health`);
}

// ---------------------------------------------------------------------------------------------
// Life cycle: counting requests, listening, closing

/**
 * Count a request and follow it to its end (in flight, then counted by status; the last one to end
 * wakes `close()`). Returns its id, `<start time in base 36>-<request number in base 36>`, e.g. 'mbx1k2a3-1f'.
 */
function trackRequest(res: http.ServerResponse, state: ServerState): string {
  const { stats } = state;
  stats.requests++;
  const requestId = `${state.started.toString(36)}-${stats.requests.toString(36)}`;
  stats.inFlight++;
  res.on('close', () => {
    stats.inFlight--;
    const key = String(res.statusCode);
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
    if (stats.inFlight === 0) {
      const waiters = state.idleWaiters;
      state.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  });
  return requestId;
}

/** The `http.Server`, not yet listening: every request is tracked, routed, and answered even when its handler fails. */
function createHttpServer(config: ServerConfig, state: ServerState): http.Server {
  const server = http.createServer((req, res) => {
    const requestId = trackRequest(res, state);
    route(req, res, config, state).catch((err: unknown) => answerFailure(err, req, res, requestId, config.log));
  });
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(server.requestTimeout, 10_000);
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);
  return server;
}

/** Listen on `host:port` (0: a free port); resolves with the address, rejects naming host and port. */
function listen(server: http.Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise<AddressInfo>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`startModelServer: cannot listen on ${host}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Stop accepting, close idle kept-alive connections, let requests in flight finish (at most
 * `timeoutMs`), then close every connection. A second call returns the first call's promise.
 */
function closeServer(server: http.Server, state: ServerState, timeoutMs: number): Promise<void> {
  if (state.closePromise) return state.closePromise;
  state.closing = true;
  state.closePromise = new Promise<void>((resolve) => {
    server.close(() => {
      state.closed = true;
      resolve();
    });
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      server.closeAllConnections();
    };
    if (state.stats.inFlight === 0) done();
    else state.idleWaiters.push(done);
  });
  return state.closePromise;
}

/** 'http://127.0.0.1:40123'; an IPv6 host goes in brackets: 'http://[::1]:40123'. */
function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Start the server (see the module doc); resolves once it listens.
 *
 * ```ts
 * const server = await startModelServer({ model, input: tensorInputSchema({ shape: [28, 28, 1], min: 0, max: 1 }), classNames: digits });
 * server.url;            // 'http://127.0.0.1:40123'
 * server.stats();        // { requests, predictions, byStatus: { '200': 12, '422': 1 }, inFlight }
 * await server.close();
 * ```
 */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const config = resolveOptions(options);
  const state = newState();
  const server = createHttpServer(config, state);
  const { port } = await listen(server, config.host, config.port);
  return {
    url: serverUrl(config.host, port),
    host: config.host,
    port,
    stats: () => ({ ...state.stats, byStatus: { ...state.stats.byStatus } }),
    close: (timeoutMs = 5000) => closeServer(server, state, timeoutMs),
    get closed() {
      return state.closed;
    },
  };
}

/**
 * Start a server, hand it to `use`, and close it when `use` settles — also when it throws — so no
 * test or notebook cell leaves a port open. Resolves to what `use` returns.
 *
 * ```ts
 * const report = await withModelServer({ model, input, classNames: ['good', 'bad'] }, async (server) =>
 *   (await httpRequest(`${server.url}/health`)).json);
 * ```
 */
export async function withModelServer<T>(options: ModelServerOptions, use: (server: ModelServer) => Promise<T>): Promise<T> {
  const server = await startModelServer(options);
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Serving a saved model

/**
 * Load a model saved with `serving` metadata (see `ServingMetadata` in request-schema.ts) and serve it;
 * `options` override the saved name, version, class names and threshold, and set the limits.
 *
 * ```ts
 * await saveModelFiles(model, dir, { serving: { name: 'credit', version: '3', classNames: ['good', 'bad'], input: { kind: 'tabular', spec } } });
 * const server = await startSavedModelServer(dir, { maxInstances: 256 });
 * ```
 */
export async function startSavedModelServer(dir: string, options: Partial<Omit<ModelServerOptions, 'model' | 'input'>> = {}): Promise<ModelServer> {
  const { model, metadata } = await loadModelFiles(dir);
  const serving = servingMetadataOf(metadata, dir);
  return startModelServer({
    name: serving.name, version: serving.version, classNames: serving.classNames, threshold: serving.threshold,
    ...options, model, input: inputSchemaFromMetadata(serving),
  });
}
