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
 * Two input schemas: `tabularInputSchema` (JSON records, validated and encoded with the training
 * preprocessing — categories, means, standard deviations, allowed ranges) and `tensorInputSchema`
 * (numeric arrays of a fixed shape within a value range, e.g. images in [0, 1]).
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
import * as tf from '@tensorflow/tfjs';
import { loadModelFiles } from './model-io';

/** A request the server refuses, with its HTTP status and a machine-readable code. */
export class RequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** How instances of a request are checked and turned into the model's input. */
export interface InputSchema {
  /** What `/health` shows about the expected input. */
  describe(): Record<string, unknown>;
  /** Validate every instance and encode them as one input batch; throws `RequestError` (422) on bad input. */
  encode(instances: readonly unknown[]): tf.Tensor;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v);

function invalid(message: string): never {
  throw new RequestError(422, 'invalid_instance', message);
}

// ---------------------------------------------------------------------------------------------
// Tabular records

/** A numeric column: training mean and standard deviation (for standardization) and the accepted range. */
export interface NumericFeatureSpec {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Only whole numbers (e.g. months, counts). */
  integer?: boolean;
}

/**
 * The preprocessing of a tabular model, as saved next to it: the categories of each categorical
 * column (the one-hot columns), the scaling and accepted range of each numeric column, and the
 * order of the encoded features (`featureNames`, as `fitTabularEncoder` produces: `column=category`
 * for one-hot columns, the column name for numeric ones).
 */
export interface TabularSchemaSpec {
  categorical: Readonly<Record<string, readonly string[]>>;
  numeric: Readonly<Record<string, NumericFeatureSpec>>;
  featureNames: readonly string[];
}

/** Check a spec: every feature name must come from a column, and every column must appear. */
function checkTabularSpec(spec: TabularSchemaSpec): Map<string, number> {
  const index = new Map(spec.featureNames.map((n, i) => [n, i]));
  if (index.size !== spec.featureNames.length) throw new Error('tabularInputSchema: featureNames has duplicates');
  for (const [c, values] of Object.entries(spec.categorical)) {
    for (const v of values) if (!index.has(`${c}=${v}`)) throw new Error(`tabularInputSchema: feature '${c}=${v}' is not in featureNames`);
  }
  for (const [c, s] of Object.entries(spec.numeric)) {
    if (!index.has(c)) throw new Error(`tabularInputSchema: numeric column '${c}' is not in featureNames`);
    if (!(s.std > 0) || !(s.max >= s.min)) throw new Error(`tabularInputSchema: column '${c}' needs std > 0 and max ≥ min`);
  }
  return index;
}

/**
 * Validate one record against the spec; returns it typed, or throws `RequestError` (422) naming the
 * instance (`at`) and the field.
 */
export function validateTabularRecord(spec: TabularSchemaSpec, record: unknown, at = 'instance 0'): Record<string, string | number> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) invalid(`${at}: expected an object with the applicant's fields, got ${typeName(record)}`);
  const r = record as Record<string, unknown>;
  const known = new Set([...Object.keys(spec.categorical), ...Object.keys(spec.numeric)]);
  const unknown = Object.keys(r).filter((k) => !known.has(k));
  if (unknown.length) invalid(`${at}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; expected ${[...known].join(', ')}`);
  const missing = [...known].filter((k) => !(k in r));
  if (missing.length) invalid(`${at}: missing field${missing.length > 1 ? 's' : ''} ${missing.map((k) => `'${k}'`).join(', ')}`);
  const out: Record<string, string | number> = {};
  for (const [c, values] of Object.entries(spec.categorical)) {
    const v = r[c];
    if (typeof v !== 'string') invalid(`${at}: field '${c}' must be a string, got ${typeName(v)}`);
    if (!values.includes(v)) {
      const shown = values.slice(0, 6).map((x) => `'${x}'`).join(', ');
      invalid(`${at}: field '${c}' is '${v.slice(0, 60)}', not one of the ${values.length} known values (${shown}${values.length > 6 ? ', …' : ''})`);
    }
    out[c] = v;
  }
  for (const [c, s] of Object.entries(spec.numeric)) {
    const v = r[c];
    if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${at}: field '${c}' must be a finite number, got ${typeName(v)}${typeof v === 'string' ? ` '${v.slice(0, 20)}'` : ''}`);
    if (v < s.min || v > s.max) invalid(`${at}: field '${c}' = ${v} is out of range [${s.min}, ${s.max}]`);
    if (s.integer && !Number.isInteger(v)) invalid(`${at}: field '${c}' = ${v} must be a whole number`);
    out[c] = v;
  }
  return out;
}

/**
 * Encode validated records into the model's feature matrix — one-hot for categories, z = (x − μ)/σ for
 * numbers — exactly as `fitTabularEncoder(...).transform` does for the same categories and scaling.
 */
export function encodeTabularRecords(spec: TabularSchemaSpec, records: readonly Record<string, string | number>[]): Float32Array {
  const index = checkTabularSpec(spec);
  const cols = spec.featureNames.length;
  const data = new Float32Array(records.length * cols);
  records.forEach((r, i) => {
    for (const c of Object.keys(spec.categorical)) {
      const j = index.get(`${c}=${String(r[c])}`);
      if (j !== undefined) data[i * cols + j] = 1;
    }
    for (const [c, s] of Object.entries(spec.numeric)) data[i * cols + index.get(c)!] = (Number(r[c]) - s.mean) / s.std;
  });
  return data;
}

/** Instances are JSON records (one field per column); see `TabularSchemaSpec`. */
export function tabularInputSchema(spec: TabularSchemaSpec): InputSchema {
  checkTabularSpec(spec);
  return {
    describe: () => ({
      kind: 'tabular record',
      categorical: Object.fromEntries(Object.entries(spec.categorical).map(([c, v]) => [c, v])),
      numeric: Object.fromEntries(Object.entries(spec.numeric).map(([c, s]) => [c, { min: s.min, max: s.max, ...(s.integer ? { integer: true } : {}) }])),
    }),
    encode: (instances) => {
      const records = instances.map((r, i) => validateTabularRecord(spec, r, `instance ${i}`));
      return tf.tensor2d(encodeTabularRecords(spec, records), [records.length, spec.featureNames.length]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Numeric arrays

/** `v` as the float32 the model computes with; a value that overflows it (|v| > 3.4e38) is a 422, not an Infinity. */
function toFloat32(v: number, at: string): number {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) invalid(`${at}: value ${v} does not fit a 32-bit float (the model's number type; |value| ≤ 3.4e38)`);
  return f;
}

/**
 * Instances are numeric arrays of `shape` (per example, e.g. `[28, 28, 1]`), given nested or flat
 * (`prod(shape)` numbers), with every value in `[min, max]`.
 */
export function tensorInputSchema(options: { shape: readonly number[]; min?: number; max?: number }): InputSchema {
  const shape = [...options.shape];
  const size = shape.reduce((a, b) => a * b, 1);
  const min = options.min ?? -Infinity;
  const max = options.max ?? Infinity;
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`tensorInputSchema: shape [${shape.join(', ')}] must be positive integers`);
  const flatten = (v: unknown, depth: number, at: string, out: Float32Array, offset: { i: number }): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${at}: expected a finite number, got ${typeName(v)}`);
      if (v < min || v > max) invalid(`${at}: value ${v} is out of range [${min}, ${max}]`);
      out[offset.i++] = toFloat32(v, at);
      return;
    }
    if (!Array.isArray(v)) invalid(`${at}: expected an array of ${shape[depth]}, got ${typeName(v)}`);
    if (v.length !== shape[depth]) invalid(`${at}: expected ${shape[depth]} entries at depth ${depth}, got ${v.length} (the instance shape must be [${shape.join(', ')}] or ${size} numbers)`);
    v.forEach((x, k) => flatten(x, depth + 1, `${at}[${k}]`, out, offset));
  };
  return {
    describe: () => ({ kind: 'numeric array', shape, min, max }),
    encode: (instances) => {
      const data = new Float32Array(instances.length * size);
      instances.forEach((inst, i) => {
        const at = `instance ${i}`;
        const offset = { i: i * size };
        if (Array.isArray(inst) && inst.length === size && shape.length > 1 && (size !== shape[0])) {
          inst.forEach((x, k) => {
            if (typeof x !== 'number' || !Number.isFinite(x)) invalid(`${at}[${k}]: expected a finite number, got ${typeName(x)}`);
            if (x < min || x > max) invalid(`${at}[${k}]: value ${x} is out of range [${min}, ${max}]`);
            data[offset.i++] = toFloat32(x, `${at}[${k}]`);
          });
          return;
        }
        flatten(inst, 0, at, data, offset);
      });
      return tf.tensor(data, [instances.length, ...shape]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The server

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

/** Turn the model's output `[n, k]` (softmax) or `[n, 1]` (sigmoid) into labelled predictions. */
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

function sendJson(res: http.ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

function errorBody(status: number, code: string, message: string): unknown {
  return { error: { status, code, message } };
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

/** Start the server (see the module doc); resolves once it listens. */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxInstances = options.maxInstances ?? 1000;
  const log = options.log ?? ((line: string) => console.error(line));
  const name = options.name ?? options.model.name;
  const version = options.version ?? '1';
  const threshold = options.threshold ?? 0.5;
  const started = Date.now();
  const stats: ModelServerStats = { requests: 0, predictions: 0, byStatus: {}, inFlight: 0 };
  let closing = false;
  let closed = false;
  let closePromise: Promise<void> | null = null;
  let idleWaiters: (() => void)[] = [];

  const predict = (instances: readonly unknown[]): PredictionResult[] => {
    const x = options.input.encode(instances);
    try {
      const out = tf.tidy(() => options.model.predict(x) as tf.Tensor);
      try {
        const values = out.dataSync() as Float32Array;
        const bad = values.findIndex((v) => !Number.isFinite(v));
        // NaN or Infinity would be sent as JSON null with a 200 and a made-up label: a server fault, not an answer.
        if (bad >= 0) throw new Error(`the model's output ${bad} is ${values[bad]} (not a finite probability)`);
        return decodePredictions(values, instances.length, options.classNames, threshold);
      } finally {
        out.dispose();
      }
    } finally {
      x.dispose();
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const closeHeader: Record<string, string> = closing ? { Connection: 'close' } : {};
    if (url.pathname === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, errorBody(405, 'method_not_allowed', `${req.method} /health: use GET`), { Allow: 'GET, HEAD' });
        return;
      }
      if (closing) {
        sendJson(res, 503, { status: 'closing', model: name }, closeHeader);
        return;
      }
      sendJson(res, 200, {
        status: 'ok', model: name, version, classes: options.classNames, input: options.input.describe(),
        limits: { maxBodyBytes, maxInstances }, uptimeSeconds: (Date.now() - started) / 1000,
        requests: stats.requests, predictions: stats.predictions,
      });
      return;
    }
    if (url.pathname !== '/predict') {
      sendJson(res, 404, errorBody(404, 'not_found', `no endpoint ${url.pathname}: use POST /predict or GET /health`));
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, errorBody(405, 'method_not_allowed', `${req.method} /predict: use POST with a JSON body {"instances": [...]}`), { Allow: 'POST' });
      return;
    }
    if (closing) {
      sendJson(res, 503, errorBody(503, 'closing', 'the server is shutting down; retry on another instance'), closeHeader);
      return;
    }
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      sendJson(res, 415, errorBody(415, 'unsupported_media_type', `Content-Type must be application/json, got '${type || 'none'}'`));
      return;
    }
    const declared = Number(req.headers['content-length']);
    const drainLimit = Math.max(4 * maxBodyBytes, 4 * 1024 * 1024);
    if (Number.isFinite(declared) && declared > drainLimit) {
      // Declared far too large: refuse without reading, and close the connection.
      sendJson(res, 413, errorBody(413, 'body_too_large', `the body is ${declared} bytes; the limit is ${maxBodyBytes}`), { Connection: 'close' });
      res.on('finish', () => req.socket.destroy());
      return;
    }
    const { body, drained } = await readBody(req, maxBodyBytes, drainLimit);
    if (body === null) {
      sendJson(res, 413, errorBody(413, 'body_too_large', `the body is larger than the limit of ${maxBodyBytes} bytes; send fewer instances per request`),
        drained ? {} : { Connection: 'close' });
      if (!drained) res.on('finish', () => req.socket.destroy());
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (err) {
      sendJson(res, 400, errorBody(400, 'malformed_json', `the body is not valid JSON: ${(err as Error).message}`));
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('instances' in parsed)) {
      sendJson(res, 400, errorBody(400, 'missing_instances', `expected a JSON object {"instances": [...]}, got ${typeName(parsed)}${typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? ` with keys ${Object.keys(parsed).map((k) => `'${k}'`).join(', ') || '(none)'}` : ''}`));
      return;
    }
    const instances = (parsed as { instances: unknown }).instances;
    if (!Array.isArray(instances)) {
      sendJson(res, 400, errorBody(400, 'missing_instances', `"instances" must be an array of instances, got ${typeName(instances)}`));
      return;
    }
    if (instances.length === 0) {
      sendJson(res, 422, errorBody(422, 'no_instances', '"instances" is empty: send at least one instance'));
      return;
    }
    if (instances.length > maxInstances) {
      sendJson(res, 413, errorBody(413, 'too_many_instances', `${instances.length} instances in one request; the limit is ${maxInstances}`));
      return;
    }
    const predictions = predict(instances);
    stats.predictions += predictions.length;
    sendJson(res, 200, { model: name, version, predictions });
  };

  const server = http.createServer((req, res) => {
    stats.requests++;
    const requestId = `${started.toString(36)}-${stats.requests.toString(36)}`;
    stats.inFlight++;
    res.on('close', () => {
      stats.inFlight--;
      const key = String(res.statusCode);
      stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
      if (stats.inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        waiters.forEach((w) => w());
      }
    });
    handle(req, res).catch((err: unknown) => {
      if (err instanceof RequestError) {
        sendJson(res, err.status, errorBody(err.status, err.code, err.message));
        return;
      }
      // The details (a stack, a file path, the model's internals) go to the server's log, not to the client: the
      // request id ties the two together.
      log(`model server: request ${requestId}: ${req.method} ${req.url}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      sendJson(res, 500, { error: { status: 500, code: 'internal_error', message: `the model failed on this request; the server's log has the details under request ${requestId}`, requestId } });
    });
  });
  server.requestTimeout = options.requestTimeoutMs ?? 10_000;
  server.headersTimeout = Math.min(server.requestTimeout, 10_000);
  server.keepAliveTimeout = 5_000;
  // A client error (garbage instead of HTTP, a header overflow) gets a 400 and the socket is closed.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`startModelServer: cannot listen on ${host}:${options.port ?? 0}: ${err.message}`));
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  const close = (timeoutMs = 5000): Promise<void> => {
    if (closePromise) return closePromise;
    closing = true;
    closePromise = new Promise<void>((resolve) => {
      server.close(() => {
        closed = true;
        resolve();
      });
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        server.closeAllConnections();
      };
      if (stats.inFlight === 0) done();
      else idleWaiters.push(done);
    });
    return closePromise;
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    host,
    port: address.port,
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    close,
    get closed() {
      return closed;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Serving a saved model

/**
 * What a saved model needs to be served, stored in its model.json (`saveModelFiles(model, dir, { serving })`):
 * its name and version, the class names and decision threshold, and the input contract with the
 * training preprocessing.
 */
export interface ServingMetadata {
  name: string;
  version: string;
  classNames: string[];
  threshold?: number;
  input: { kind: 'tabular'; spec: TabularSchemaSpec } | { kind: 'tensor'; shape: number[]; min?: number; max?: number };
}

/** The input schema a `ServingMetadata` describes. */
export function inputSchemaFromMetadata(serving: ServingMetadata): InputSchema {
  if (serving.input.kind === 'tabular') return tabularInputSchema(serving.input.spec);
  return tensorInputSchema(serving.input);
}

/** Read and check the `serving` entry of a saved model's metadata. */
export function servingMetadataOf(metadata: Record<string, unknown>, dir = 'the model'): ServingMetadata {
  const s = metadata.serving as Partial<ServingMetadata> | undefined;
  if (!s || typeof s !== 'object') throw new Error(`${dir}: model.json has no 'serving' metadata; save it with saveModelFiles(model, dir, { serving })`);
  if (typeof s.name !== 'string' || typeof s.version !== 'string' || !Array.isArray(s.classNames) || !s.input) {
    throw new Error(`${dir}: the 'serving' metadata needs name, version, classNames and input`);
  }
  return s as ServingMetadata;
}

/** Load a model saved with `serving` metadata (see `ServingMetadata`) and serve it. */
export async function startSavedModelServer(dir: string, options: Partial<Omit<ModelServerOptions, 'model' | 'input'>> = {}): Promise<ModelServer> {
  const { model, metadata } = await loadModelFiles(dir);
  const serving = servingMetadataOf(metadata, dir);
  return startModelServer({
    name: serving.name, version: serving.version, classNames: serving.classNames, threshold: serving.threshold,
    ...options, model, input: inputSchemaFromMetadata(serving),
  });
}
