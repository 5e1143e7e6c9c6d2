/**
 * The prediction service's request contract (请求模式), apart from HTTP: what a body must look like,
 * how each instance is checked, and how valid instances become the model's input tensor. Every
 * refusal is a `RequestError` with the HTTP status it deserves and a message that names the
 * instance and the field — the server (`startModelServer`, src/deploy/model-server.ts) only sends it.
 *
 * - `parsePredictBody(text, maxInstances)` — the JSON body `{"instances": [ … ]}` → the instances
 *   (400 malformed JSON / no `instances` array, 422 empty, 413 too many).
 * - `tabularInputSchema(spec)` — instances are JSON records, validated and encoded with the
 *   training preprocessing (categories, means, standard deviations, allowed ranges).
 * - `tensorInputSchema({ shape, min, max })` — instances are numeric arrays of a fixed shape, nested
 *   or flat, every value in [min, max] and representable as a float32 (e.g. images in [0, 1]).
 * - `servingMetadataOf` / `inputSchemaFromMetadata` — the contract saved in a model's metadata.
 *
 * ```ts
 * const schema = tensorInputSchema({ shape: [2, 2], min: 0, max: 1 });
 * const instances = parsePredictBody('{"instances": [[[0, 1], [0.5, 0.25]]]}', 1000);
 * const x = schema.encode(instances);        // float32 tensor [1, 2, 2]
 * schema.encode([[0, 2, 0, 0]]);             // throws RequestError 422 'instance 0[1]: value 2 is out of range [0, 1]'
 * ```
 */
import * as tf from '@tensorflow/tfjs';

/**
 * A request the server refuses, with its HTTP status (4xx) and a machine-readable code; the server
 * answers `{"error": {"status", "code", "message"}}`.
 *
 * ```ts
 * new RequestError(422, 'invalid_instance', "instance 0: missing field 'age'");
 * ```
 */
export class RequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** How instances of a request are checked and turned into the model's input. */
export interface InputSchema {
  /** What `/health` shows about the expected input (JSON-serializable). */
  describe(): Record<string, unknown>;
  /**
   * Validate every instance and encode them as one input batch: n instances → a float32 tensor
   * `[n, …]` (the caller disposes it); throws `RequestError` (422) on bad input.
   */
  encode(instances: readonly unknown[]): tf.Tensor;
}

/** How a JSON value is named in a message: 'null', 'an array', 'an object', 'string', 'number', …. */
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v);

function invalid(message: string): never {
  throw new RequestError(422, 'invalid_instance', message);
}

function badBody(message: string): never {
  throw new RequestError(400, 'missing_instances', message);
}

// ---------------------------------------------------------------------------------------------
// The request body

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RequestError(400, 'malformed_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Parse a prediction request's body: the text of `{"instances": [i0, i1, …]}` → `[i0, i1, …]`, at
 * least one and at most `maxInstances`. The instances themselves are not checked here (that is the
 * `InputSchema`'s job). Throws `RequestError`: 400 `malformed_json`, 400 `missing_instances` (not an
 * object with an `instances` array; the message lists the keys it got), 422 `no_instances`,
 * 413 `too_many_instances`.
 *
 * ```ts
 * parsePredictBody('{"instances": [[1, 2, 3]]}', 1000);   // [[1, 2, 3]]
 * parsePredictBody('{"rows": []}', 1000);                 // throws 400 "expected a JSON object {"instances": [...]}, got an object with keys 'rows'"
 * ```
 */
export function parsePredictBody(text: string, maxInstances: number): unknown[] {
  const parsed = parseJson(text);
  const isRecord = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  if (!isRecord || !('instances' in parsed)) {
    badBody(`expected a JSON object {"instances": [...]}, got ${typeName(parsed)}${isRecord ? ` with keys ${Object.keys(parsed).map((k) => `'${k}'`).join(', ') || '(none)'}` : ''}`);
  }
  const instances = (parsed as { instances: unknown }).instances;
  if (!Array.isArray(instances)) badBody(`"instances" must be an array of instances, got ${typeName(instances)}`);
  if (instances.length === 0) throw new RequestError(422, 'no_instances', '"instances" is empty: send at least one instance');
  if (instances.length > maxInstances) {
    throw new RequestError(413, 'too_many_instances', `${instances.length} instances in one request; the limit is ${maxInstances}`);
  }
  return instances;
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
 * for one-hot columns, the column name for numeric ones). The examples below use
 *
 * ```ts
 * const spec: TabularSchemaSpec = { categorical: { purpose: ['car', 'radio'] },
 *   numeric: { age: { mean: 35, std: 10, min: 18, max: 100, integer: true } }, featureNames: ['purpose=car', 'purpose=radio', 'age'] };
 * ```
 */
export interface TabularSchemaSpec {
  categorical: Readonly<Record<string, readonly string[]>>;
  numeric: Readonly<Record<string, NumericFeatureSpec>>;
  featureNames: readonly string[];
}

/** Check a spec: every feature name must come from a column, and every column must appear. Returns feature name → column index. */
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
 * Validate one record against the spec; returns it typed (exactly the spec's columns), or throws
 * `RequestError` (422 `invalid_instance`) naming the instance (`at`) and the field: not an object,
 * unknown or missing fields, a category outside the training categories, a number that is not
 * finite, out of `[min, max]` or (for `integer` columns) not whole.
 *
 * ```ts
 * validateTabularRecord(spec, { purpose: 'car', age: 33 });           // { purpose: 'car', age: 33 }
 * validateTabularRecord(spec, { purpose: 'car', age: 250 }, 'instance 3');
 * // throws 422 "instance 3: field 'age' = 250 is out of range [18, 100]"
 * ```
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
 * n records → `Float32Array` of n × `featureNames.length`, row-major, columns in `featureNames` order.
 *
 * ```ts
 * encodeTabularRecords(spec, [{ purpose: 'car', age: 40 }, { purpose: 'radio', age: 25 }]);   // Float32Array [1, 0, 0.5,  0, 1, -1]
 * ```
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

/**
 * Instances are JSON records (one field per column); see `TabularSchemaSpec`. `encode` turns n
 * records into a float32 tensor `[n, featureNames.length]` (422 naming the instance and field on bad
 * input); `describe` lists the categories and the numeric ranges. Throws (a plain Error, at start-up)
 * when the spec is inconsistent: duplicate feature names, a column missing from `featureNames`,
 * std ≤ 0 or max < min.
 *
 * ```ts
 * const schema = tabularInputSchema(spec);        // the spec of `TabularSchemaSpec`'s example
 * schema.encode([{ purpose: 'radio', age: 45 }]);   // tensor [[0, 1, 1]]
 * ```
 */
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

/** One value of a numeric instance: a finite number in `[min, max]` that fits a float32, as that float32; 422 naming `at` otherwise. */
function checkedValue(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${at}: expected a finite number, got ${typeName(v)}`);
  if (v < min || v > max) invalid(`${at}: value ${v} is out of range [${min}, ${max}]`);
  return toFloat32(v, at);
}

/** The options of `tensorInputSchema`: the per-example shape and the accepted value range (default unbounded). */
export interface TensorSchemaOptions {
  shape: readonly number[];
  min?: number;
  max?: number;
}

/**
 * Instances are numeric arrays of `shape` (per example, e.g. `[28, 28, 1]`), given nested or flat
 * (`prod(shape)` numbers), with every value in `[min, max]` and representable as a float32. `encode`
 * turns n instances into a float32 tensor `[n, ...shape]`; a wrong length, a non-number, a value
 * out of range or beyond ±3.4e38 is a 422 naming the position (`instance 0[1][2][0]`). The flat
 * form is recognised when its length is `prod(shape)` and differs from `shape[0]` (for a shape of
 * two or more dimensions); otherwise an array is read as nested.
 *
 * ```ts
 * const schema = tensorInputSchema({ shape: [2, 3, 1], min: 0, max: 1 });
 * schema.encode([[[[0], [0.5], [1]], [[0.2], [0.3], [0.4]]], [0, 0.5, 1, 0.2, 0.3, 0.4]]);   // tensor [2, 2, 3, 1], both rows equal
 * ```
 */
export function tensorInputSchema(options: TensorSchemaOptions): InputSchema {
  const shape = [...options.shape];
  const size = shape.reduce((a, b) => a * b, 1);
  const min = options.min ?? -Infinity;
  const max = options.max ?? Infinity;
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`tensorInputSchema: shape [${shape.join(', ')}] must be positive integers`);
  const isFlat = (inst: unknown): inst is unknown[] => Array.isArray(inst) && inst.length === size && shape.length > 1 && size !== shape[0];
  /** Write the nested array `v` (depth `depth` of `shape`) into `out` from `offset.i` on, in row-major order. */
  const flatten = (v: unknown, depth: number, at: string, out: Float32Array, offset: { i: number }): void => {
    if (depth === shape.length) {
      out[offset.i++] = checkedValue(v, at, min, max);
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
        if (isFlat(inst)) inst.forEach((x, k) => { data[offset.i++] = checkedValue(x, `${at}[${k}]`, min, max); });
        else flatten(inst, 0, at, data, offset);
      });
      return tf.tensor(data, [instances.length, ...shape]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The contract saved with a model

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

/**
 * The input schema a `ServingMetadata` describes: `tabularInputSchema(input.spec)` or `tensorInputSchema(input)`.
 *
 * ```ts
 * inputSchemaFromMetadata({ name: 'digits', version: '1', classNames, input: { kind: 'tensor', shape: [28, 28, 1], min: 0, max: 1 } });
 * ```
 */
export function inputSchemaFromMetadata(serving: ServingMetadata): InputSchema {
  if (serving.input.kind === 'tabular') return tabularInputSchema(serving.input.spec);
  return tensorInputSchema(serving.input);
}

/**
 * Read and check the `serving` entry of a saved model's metadata (the `metadata` that `loadModelFiles`
 * returns); throws, naming `dir`, when it is absent or lacks name, version, classNames or input.
 *
 * ```ts
 * const { model, metadata } = await loadModelFiles(dir);
 * const serving = servingMetadataOf(metadata, dir);   // { name, version, classNames, threshold?, input }
 * ```
 */
export function servingMetadataOf(metadata: Record<string, unknown>, dir = 'the model'): ServingMetadata {
  const s = metadata.serving as Partial<ServingMetadata> | undefined;
  if (!s || typeof s !== 'object') throw new Error(`${dir}: model.json has no 'serving' metadata; save it with saveModelFiles(model, dir, { serving })`);
  if (typeof s.name !== 'string' || typeof s.version !== 'string' || !Array.isArray(s.classNames) || !s.input) {
    throw new Error(`${dir}: the 'serving' metadata needs name, version, classNames and input`);
  }
  return s as ServingMetadata;
}
