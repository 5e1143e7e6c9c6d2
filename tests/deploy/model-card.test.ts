import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModelCard, modelCardMarkdown, modelCardProblems, saveModelCard } from '../../src/deploy/model-card';

function card(): ModelCard {
  return {
    name: 'credit-risk-mlp', version: '2', date: '2025-01-31', summary: 'Scores loan applicants for credit risk.',
    model: { architecture: 'MLP 61 → 16 → 1', parameters: 1009, sizeBytes: 6000, framework: 'TensorFlow.js 4.22', inputs: '20 fields', outputs: 'P(bad)', decision: 'bad when P ≥ 0.5' },
    data: { training: '640 applicants', evaluation: '200 applicants', preprocessing: 'one-hot | z-score' },
    intendedUse: { primary: ['teaching'], outOfScope: ['real lending decisions'] },
    metrics: [{ name: 'ROC-AUC', value: 0.78123, split: 'test (200)', interval: [0.71, 0.84] }, { name: 'errors', value: 41, split: 'test', digits: 0 }],
    groupMetrics: [{ title: 'By age', columns: ['n', 'flagged rate'], rows: [{ group: '< 25', values: [38, 0.421] }, { group: '≥ 25', values: [162, 0.2] }] }],
    limitations: ['1994 data from one German bank'],
    ethicalConsiderations: ['age and sex are protected attributes'],
    operations: [{ name: 'p50 latency', value: '2.1 ms' }],
  };
}

test('the Markdown has every section with the measured numbers', () => {
  const md = modelCardMarkdown(card());
  expect(md).toMatch(/^# Model card: credit-risk-mlp \(v2\)/);
  expect(md).toContain('*2025-01-31* — Scores loan applicants');
  expect(md).toContain('| parameters | 1,009 |');
  expect(md).toContain('| size on disk | 5.9 kB |');
  expect(md).toContain('| ROC-AUC | 0.781 [0.710, 0.840] | test (200) |  |');
  expect(md).toContain('| errors | 41 | test |');
  expect(md).toContain('- **Preprocessing:** one-hot | z-score');
  expect(md).toContain('### By age');
  expect(md).toContain('| < 25 | 38 | 0.421 |');
  expect(md).toContain('## Limitations\n\n- 1994 data from one German bank');
  expect(md).toContain('**Out of scope:**\n\n- real lending decisions');
  expect(md).toContain('## Ethical considerations');
  expect(md).toContain('| p50 latency | 2.1 ms |');
  // Table cells are escaped.
  const c = card();
  c.model.architecture = 'a | b';
  expect(modelCardMarkdown(c)).toContain('| architecture | a \\| b |');
});

test('an incomplete card is refused with the reasons', () => {
  const c = card();
  c.metrics = [];
  c.limitations = [];
  c.intendedUse.outOfScope = [];
  expect(modelCardProblems(c)).toEqual(['the card reports no metrics', 'the card states no out-of-scope uses', 'the card states no limitations']);
  expect(() => modelCardMarkdown(c)).toThrow(/no metrics/);
  const d = card();
  d.metrics[0]!.value = Number.NaN;
  d.groupMetrics![0]!.rows[0]!.values = [1];
  expect(modelCardProblems(d)).toEqual(["metric 'ROC-AUC' is NaN, not a number", "group table 'By age': row '< 25' has 1 values for 2 columns"]);
});

test('saveModelCard writes MODEL_CARD.md and model-card.json next to the model', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-card-'));
  try {
    const files = saveModelCard(card(), dir);
    expect(fs.readFileSync(files.markdown, 'utf8')).toBe(modelCardMarkdown(card()));
    expect(JSON.parse(fs.readFileSync(files.json, 'utf8')).metrics[0].value).toBe(0.78123);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
