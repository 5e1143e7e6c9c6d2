import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  encodeTabularRecords, inputSchemaFromMetadata, parsePredictBody, RequestError, servingMetadataOf, tabularInputSchema, TabularSchemaSpec,
  tensorInputSchema, validateTabularRecord,
} from '../../src/deploy/request-schema';

beforeAll(async () => { await tf.setBackend('cpu'); });

/** The refusal `f` throws, as plain values (fails the test when `f` does not throw a RequestError). */
function refusal(f: () => unknown): { status: number; code: string; message: string } {
  try {
    f();
  } catch (err) {
    if (!(err instanceof RequestError)) throw err;
    return { status: err.status, code: err.code, message: err.message };
  }
  throw new Error('expected a RequestError, nothing was thrown');
}

// The spec of the module's doc examples: z = (age − 35) / 10.
const spec: TabularSchemaSpec = {
  categorical: { purpose: ['car', 'radio'] },
  numeric: { age: { mean: 35, std: 10, min: 18, max: 100, integer: true } },
  featureNames: ['purpose=car', 'purpose=radio', 'age'],
};

test('the module has no HTTP in it', () => {
  const source = fs.readFileSync(path.join(__dirname, '../../src/deploy/request-schema.ts'), 'utf8');
  expect(source).not.toMatch(/from '(node:)?(https?|net)'/);
  expect(source).not.toMatch(/require\(/);
});

test('RequestError carries status, code and message', () => {
  const e = new RequestError(422, 'invalid_instance', "instance 0: missing field 'age'");
  expect(e).toBeInstanceOf(Error);
  expect([e.name, e.status, e.code, e.message]).toEqual(['RequestError', 422, 'invalid_instance', "instance 0: missing field 'age'"]);
});

describe('parsePredictBody', () => {
  test('returns the instances, any values, up to the limit', () => {
    expect(parsePredictBody('{"instances": [[1, 2, 3], {"a": 1}, null]}', 3)).toEqual([[1, 2, 3], { a: 1 }, null]);
    expect(parsePredictBody(' {"instances":[1],"extra":true} ', 1)).toEqual([1]);
  });

  test.each([
    ['{"instances": [', 400, 'malformed_json', /^the body is not valid JSON: /],
    ['', 400, 'malformed_json', /^the body is not valid JSON: /],
    ['{"rows": []}', 400, 'missing_instances', /^expected a JSON object \{"instances": \[\.\.\.\]\}, got an object with keys 'rows'$/],
    ['{}', 400, 'missing_instances', /^expected a JSON object \{"instances": \[\.\.\.\]\}, got an object with keys \(none\)$/],
    ['[{"instances": []}]', 400, 'missing_instances', /^expected a JSON object \{"instances": \[\.\.\.\]\}, got an array$/],
    ['null', 400, 'missing_instances', /, got null$/],
    ['"text"', 400, 'missing_instances', /, got string$/],
    ['{"instances": {"a": 1}}', 400, 'missing_instances', /^"instances" must be an array of instances, got an object$/],
    ['{"instances": 7}', 400, 'missing_instances', /^"instances" must be an array of instances, got number$/],
    ['{"instances": []}', 422, 'no_instances', /^"instances" is empty: send at least one instance$/],
    ['{"instances": [1, 2, 3]}', 413, 'too_many_instances', /^3 instances in one request; the limit is 2$/],
  ] as [string, number, string, RegExp][])('%j → %i %s', (text, status, code, message) => {
    const r = refusal(() => parsePredictBody(text, 2));
    expect([r.status, r.code]).toEqual([status, code]);
    expect(r.message).toMatch(message);
  });
});

describe('tabular records', () => {
  test('an inconsistent spec is refused when the schema is made', () => {
    expect(() => tabularInputSchema({ ...spec, featureNames: ['purpose=car', 'purpose=car', 'purpose=radio', 'age'] })).toThrow('featureNames has duplicates');
    expect(() => tabularInputSchema({ ...spec, featureNames: ['purpose=car', 'age'] })).toThrow("feature 'purpose=radio' is not in featureNames");
    expect(() => tabularInputSchema({ ...spec, featureNames: ['purpose=car', 'purpose=radio'] })).toThrow("numeric column 'age' is not in featureNames");
    expect(() => tabularInputSchema({ ...spec, numeric: { age: { mean: 35, std: 0, min: 18, max: 100 } } })).toThrow("column 'age' needs std > 0 and max ≥ min");
    expect(() => tabularInputSchema({ ...spec, numeric: { age: { mean: 35, std: 1, min: 100, max: 18 } } })).toThrow(/needs std > 0/);
    expect(() => encodeTabularRecords({ ...spec, featureNames: ['age'] }, [])).toThrow(/not in featureNames/);
  });

  test('validateTabularRecord returns exactly the spec columns', () => {
    expect(validateTabularRecord(spec, { age: 33, purpose: 'car' })).toEqual({ purpose: 'car', age: 33 });
    expect(validateTabularRecord(spec, { purpose: 'radio', age: 18 })).toEqual({ purpose: 'radio', age: 18 });
    expect(validateTabularRecord(spec, { purpose: 'radio', age: 100 })).toEqual({ purpose: 'radio', age: 100 });
  });

  test.each([
    [[1, 2], "instance 0: expected an object with the applicant's fields, got an array"],
    [null, "instance 0: expected an object with the applicant's fields, got null"],
    ['car', "instance 0: expected an object with the applicant's fields, got string"],
    [{ purpose: 'car', age: 30, salary: 5, name: 'x' }, "instance 0: unknown fields 'salary', 'name'; expected purpose, age"],
    [{ purpose: 'car', age: 30, salary: 5 }, "instance 0: unknown field 'salary'; expected purpose, age"],
    [{}, "instance 0: missing fields 'purpose', 'age'"],
    [{ purpose: 'car' }, "instance 0: missing field 'age'"],
    [{ purpose: 3, age: 30 }, "instance 0: field 'purpose' must be a string, got number"],
    [{ purpose: 'yacht', age: 30 }, "instance 0: field 'purpose' is 'yacht', not one of the 2 known values ('car', 'radio')"],
    [{ purpose: 'car', age: '30' }, "instance 0: field 'age' must be a finite number, got string '30'"],
    [{ purpose: 'car', age: null }, "instance 0: field 'age' must be a finite number, got null"],
    [{ purpose: 'car', age: Number.NaN }, "instance 0: field 'age' must be a finite number, got number"],
    [{ purpose: 'car', age: Infinity }, "instance 0: field 'age' must be a finite number, got number"],
    [{ purpose: 'car', age: 17 }, "instance 0: field 'age' = 17 is out of range [18, 100]"],
    [{ purpose: 'car', age: 33.5 }, "instance 0: field 'age' = 33.5 must be a whole number"],
  ] as [unknown, string][])('%j → 422 %j', (record, message) => {
    expect(refusal(() => validateTabularRecord(spec, record))).toEqual({ status: 422, code: 'invalid_instance', message });
  });

  test('messages name the instance, and shorten long values and long category lists', () => {
    expect(refusal(() => validateTabularRecord(spec, { purpose: 'car' }, 'instance 7')).message).toBe("instance 7: missing field 'age'");
    const many: TabularSchemaSpec = {
      categorical: { c: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, numeric: {}, featureNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((v) => `c=${v}`),
    };
    expect(refusal(() => validateTabularRecord(many, { c: 'x'.repeat(100) })).message)
      .toBe(`instance 0: field 'c' is '${'x'.repeat(60)}', not one of the 7 known values ('a', 'b', 'c', 'd', 'e', 'f', …)`);
    expect(refusal(() => validateTabularRecord(spec, { purpose: 'car', age: 'y'.repeat(50) })).message)
      .toBe(`instance 0: field 'age' must be a finite number, got string '${'y'.repeat(20)}'`);
  });

  test('encodeTabularRecords: one-hot and z = (x − mean) / std, row-major in featureNames order', () => {
    expect(Array.from(encodeTabularRecords(spec, [{ purpose: 'car', age: 40 }, { purpose: 'radio', age: 25 }]))).toEqual([1, 0, 0.5, 0, 1, -1]);
    // The column order comes from featureNames, not from the spec's objects.
    const reordered = { ...spec, featureNames: ['age', 'purpose=radio', 'purpose=car'] };
    expect(Array.from(encodeTabularRecords(reordered, [{ purpose: 'car', age: 40 }]))).toEqual([0.5, 0, 1]);
    expect(encodeTabularRecords(spec, [])).toHaveLength(0);
  });

  test('the schema: encode gives [n, features], describe lists categories and ranges', () => {
    const schema = tabularInputSchema(spec);
    const x = schema.encode([{ purpose: 'radio', age: 45 }, { purpose: 'car', age: 20 }]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe('float32');
    expect(Array.from(x.dataSync())).toEqual([0, 1, 1, 1, 0, -1.5]);
    x.dispose();
    expect(refusal(() => schema.encode([{ purpose: 'car', age: 30 }, { purpose: 'car', age: 300 }])).message)
      .toBe("instance 1: field 'age' = 300 is out of range [18, 100]");
    expect(schema.describe()).toEqual({ kind: 'tabular record', categorical: { purpose: ['car', 'radio'] }, numeric: { age: { min: 18, max: 100, integer: true } } });
    const noInteger = tabularInputSchema({ ...spec, numeric: { age: { mean: 35, std: 10, min: 18, max: 100 } } });
    expect(noInteger.describe().numeric).toEqual({ age: { min: 18, max: 100 } });
  });
});

describe('numeric arrays', () => {
  const schema = tensorInputSchema({ shape: [2, 3, 1], min: 0, max: 1 });
  const nested = [[[0], [0.5], [1]], [[0.2], [0.3], [0.4]]];
  const flat = [0, 0.5, 1, 0.2, 0.3, 0.4];

  test('a shape must be positive integers', () => {
    expect(() => tensorInputSchema({ shape: [0, 3] })).toThrow('tensorInputSchema: shape [0, 3] must be positive integers');
    expect(() => tensorInputSchema({ shape: [2.5] })).toThrow(/must be positive integers/);
    expect(() => tensorInputSchema({ shape: [-1] })).toThrow(/must be positive integers/);
  });

  test('nested and flat instances give the same float32 rows, [n, ...shape]', () => {
    const x = schema.encode([nested, flat]);
    expect(x.shape).toEqual([2, 2, 3, 1]);
    expect(x.dtype).toBe('float32');
    const v = Array.from(x.dataSync());
    x.dispose();
    const row = flat.map((f) => Math.fround(f));
    expect(v).toEqual([...row, ...row]);
    expect(v[4]).not.toBe(0.3); // rounded to the nearest float32, as the model sees it
  });

  test('a one-dimensional shape: the flat and nested forms are the same array', () => {
    const x = tensorInputSchema({ shape: [3] }).encode([[1, -2, 3e38]]);
    expect(x.shape).toEqual([1, 3]);
    expect(Array.from(x.dataSync())).toEqual([1, -2, Math.fround(3e38)]);
    x.dispose();
  });

  test('the flat form needs a length that differs from shape[0]; otherwise the array is read as nested', () => {
    const column = tensorInputSchema({ shape: [4, 1] });
    expect(refusal(() => column.encode([[1, 2, 3, 4]])).message).toBe('instance 0[0]: expected an array of 1, got number');
    const x = column.encode([[[1], [2], [3], [4]]]);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    x.dispose();
  });

  test.each([
    [[[[0], [0.5]], [[0.2], [0.3], [0.4]]], 'instance 0[0]: expected 3 entries at depth 1, got 2 (the instance shape must be [2, 3, 1] or 6 numbers)'],
    [[0, 0.5, 1, 0.2, 0.3], 'instance 0: expected 2 entries at depth 0, got 5 (the instance shape must be [2, 3, 1] or 6 numbers)'],
    [[[[0], [0.5], [1]], [[0.2], [0.3], [7]]], 'instance 0[1][2][0]: value 7 is out of range [0, 1]'],
    [[[[0], [0.5], [1]], [[0.2], [0.3], 0.4]], 'instance 0[1][2]: expected an array of 1, got number'],
    [[0, 0.5, 1, 0.2, 0.3, null], 'instance 0[5]: expected a finite number, got null'],
    [[0, 0.5, 1, 0.2, -0.1, 0], 'instance 0[4]: value -0.1 is out of range [0, 1]'],
    [[0, 0.5, 1, 0.2, '0.3', 0], 'instance 0[4]: expected a finite number, got string'],
    ['an image', 'instance 0: expected an array of 2, got string'],
    [{ data: flat }, 'instance 0: expected an array of 2, got an object'],
  ] as [unknown, string][])('%j → 422 %j', (instance, message) => {
    expect(refusal(() => schema.encode([instance]))).toEqual({ status: 422, code: 'invalid_instance', message });
  });

  test('the message names the failing instance, and a refused batch leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    expect(refusal(() => schema.encode([flat, nested, [...flat.slice(0, 5), 2]])).message).toBe('instance 2[5]: value 2 is out of range [0, 1]');
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a value beyond float32 (|v| > 3.4e38) is refused in both forms', () => {
    const wide = tensorInputSchema({ shape: [1, 3] });
    expect(refusal(() => wide.encode([[[0, -3.5e38, 0]]])).message)
      .toBe("instance 0[0][1]: value -3.5e+38 does not fit a 32-bit float (the model's number type; |value| ≤ 3.4e38)");
    expect(refusal(() => tensorInputSchema({ shape: [3] }).encode([[1e39, 0, 0]])).message).toMatch(/^instance 0\[0\]: value 1e\+39 does not fit a 32-bit float/);
    expect(refusal(() => tensorInputSchema({ shape: [2, 2] }).encode([[0, 0, 0, 1e39]])).message).toMatch(/^instance 0\[3\]: value 1e\+39 does not fit/);
  });

  test('describe shows shape and range; no range means unbounded', () => {
    expect(schema.describe()).toEqual({ kind: 'numeric array', shape: [2, 3, 1], min: 0, max: 1 });
    expect(tensorInputSchema({ shape: [3] }).describe()).toEqual({ kind: 'numeric array', shape: [3], min: -Infinity, max: Infinity });
  });
});

describe('the contract saved with a model', () => {
  test('servingMetadataOf returns the serving entry, or names what is missing', () => {
    const serving = { name: 'credit', version: '2', classNames: ['good', 'bad'], threshold: 0.3, input: { kind: 'tabular', spec } };
    expect(servingMetadataOf({ serving, other: 1 })).toBe(serving);
    expect(() => servingMetadataOf({}, 'build/models/x')).toThrow("build/models/x: model.json has no 'serving' metadata; save it with saveModelFiles(model, dir, { serving })");
    expect(() => servingMetadataOf({ serving: 'credit' })).toThrow("the model: model.json has no 'serving' metadata");
    expect(() => servingMetadataOf({ serving: { ...serving, version: 2 } }, 'd')).toThrow("d: the 'serving' metadata needs name, version, classNames and input");
    expect(() => servingMetadataOf({ serving: { name: 'credit', version: '2', classNames: ['good', 'bad'] } })).toThrow(/needs name, version, classNames and input/);
  });

  test('inputSchemaFromMetadata builds the schema the metadata describes', () => {
    const tabular = inputSchemaFromMetadata({ name: 'c', version: '1', classNames: ['good', 'bad'], input: { kind: 'tabular', spec } });
    expect(tabular.describe().kind).toBe('tabular record');
    const x = tabular.encode([{ purpose: 'car', age: 40 }]);
    expect(Array.from(x.dataSync())).toEqual([1, 0, 0.5]);
    x.dispose();
    const tensor = inputSchemaFromMetadata({ name: 'd', version: '1', classNames: ['a', 'b'], input: { kind: 'tensor', shape: [2, 2], min: 0, max: 1 } });
    expect(tensor.describe()).toEqual({ kind: 'numeric array', shape: [2, 2], min: 0, max: 1 });
    expect(refusal(() => tensor.encode([[0, 2, 0, 0]])).message).toBe('instance 0[1]: value 2 is out of range [0, 1]');
  });
});
