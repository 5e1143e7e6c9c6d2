import * as tf from '@tensorflow/tfjs';
import { buildLogitModel, fitTabularLogit, LogitModelSpec, predictLogitProbability } from '../../src/training/logit-model';
import { seed } from '../../src/training/random';
import { rocAuc } from '../../src/metrics/roc';

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
});

const LOGISTIC: LogitModelSpec = { name: 'logistic', hidden: 0, dropout: 0, l2: 0.001, steps: 150, learningRate: 0.1 };
const MLP: LogitModelSpec = { name: 'mlp', hidden: 3, dropout: 0.3, l2: 0.01, steps: 10, learningRate: 0.01 };

test('buildLogitModel: logistic regression has d + 1 parameters, the MLP d·h + h + h + 1', () => {
  const lr = buildLogitModel(5, LOGISTIC);
  const mlp = buildLogitModel(5, MLP);
  expect(lr.countParams()).toBe(6);
  expect(mlp.countParams()).toBe(5 * 3 + 3 + 3 + 1);
  expect(mlp.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense']);
  expect(buildLogitModel(5, { ...MLP, dropout: 0 }).layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense']);
  expect(() => buildLogitModel(0, LOGISTIC)).toThrow(/inputs = 0/);
  expect(() => buildLogitModel(2, { ...MLP, hidden: 1.5 })).toThrow(/spec.hidden = 1.5/);
  lr.dispose();
  mlp.dispose();
});

test('predictLogitProbability is σ(w·x + b) of the model\'s weights', () => {
  const m = buildLogitModel(2, LOGISTIC);
  m.layers[0]!.setWeights([tf.tensor2d([[2], [-1]]), tf.tensor1d([0.5])]);
  const p = predictLogitProbability(m, { data: Float64Array.from([1, 0, 0, 3]), shape: [2, 2] });
  expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 6);
  expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(2.5)), 6);
  m.dispose();
});

test('fitTabularLogit fits the encoder on the training rows and learns a one-hot signal', () => {
  seed(3);
  const rows = Array.from({ length: 40 }, (_, i) => ({ colour: i % 2 === 0 ? 'red' : 'blue', size: (i * 7) % 11 }));
  const y = rows.map((r) => (r.colour === 'red' ? 1 : 0));
  const fitted = fitTabularLogit(rows, y, { categorical: ['colour'], numeric: ['size'] }, LOGISTIC);
  expect(fitted.encoder.featureNames).toEqual(['colour=blue', 'colour=red', 'size']);
  const p = predictLogitProbability(fitted.model, fitted.encoder.transform(rows));
  expect(rocAuc(y, p)).toBe(1);
  expect(p[0]!).toBeGreaterThan(0.8);                  // a red row
  expect(p[1]!).toBeLessThan(0.2);                     // a blue row
  expect(fitted.loss).toBeLessThan(0.3);
  expect(() => fitTabularLogit(rows, y.slice(1), { categorical: ['colour'], numeric: [] }, LOGISTIC)).toThrow(/40 rows but 39 labels/);
  fitted.model.dispose();
});
