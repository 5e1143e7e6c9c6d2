import { checkBinaryInputs } from '../../src/metrics/binary-labels';

test('counts the classes of valid input', () => {
  expect(checkBinaryInputs('f', [1, 0, 1], [0.2, 5, -3])).toEqual({ positives: 2, negatives: 1 });
});

test('each rule has its own message naming function, index and value', () => {
  expect(() => checkBinaryInputs('f', [1], [0.1, 0.2])).toThrow('f: 1 labels but 2 scores');
  expect(() => checkBinaryInputs('f', [1, -1], [0.1, 0.2])).toThrow('f: label -1 at index 1; labels must be 0 (negative) or 1 (positive)');
  expect(() => checkBinaryInputs('f', [1, 0], [0.1, Infinity])).toThrow('f: score Infinity at index 1 is not a finite number');
  expect(() => checkBinaryInputs('g', [1, 0], [0.1, 1.5], { probabilities: true })).toThrow('g: probability 1.5 at index 1 is not in [0, 1]');
  expect(() => checkBinaryInputs('h', [0, 0], [0.1, 0.5], { bothClasses: true })).toThrow('h: needs both classes, got 0 positive and 2 negative labels');
});
