/**
 * Model cards (模型卡片, Mitchell et al. 2019): a short document that travels with a deployed model
 * and says what it is, what data it learned from, what it is for and not for, how well it does —
 * overall and per group — and where it fails. Generated from the model's evaluation, so that the
 * numbers in the card are the measured ones.
 *
 * ```ts
 * const card: ModelCard = { name: 'credit-risk-mlp', version: '1', summary: '…', model: {…}, data: {…},
 *   intendedUse: {…}, metrics: [{ name: 'ROC-AUC', value: 0.78, split: 'test (200)' }], limitations: ['…'] };
 * showMarkdown(modelCardMarkdown(card));
 * saveModelCard(card, 'build/models/credit');   // MODEL_CARD.md + model-card.json next to model.json
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';

/** One measured number. */
export interface ModelCardMetric {
  name: string;
  value: number;
  /** Which data it was measured on, e.g. 'test (200 applicants)'. */
  split: string;
  /** Decimal places shown (default 3). */
  digits?: number;
  /** An interval, e.g. a bootstrap 95 % interval: shown as "[low, high]". */
  interval?: [number, number];
  note?: string;
}

/** A metric per group (公平性 / fairness): rows are groups, columns metric names. */
export interface ModelCardGroupTable {
  title: string;
  /** Column names, e.g. ['n', 'positive rate', 'TPR']. */
  columns: string[];
  rows: { group: string; values: (number | string)[] }[];
  note?: string;
}

export interface ModelCard {
  name: string;
  version: string;
  /** One paragraph: what the model does. */
  summary: string;
  /** ISO date (default: today when rendered). */
  date?: string;
  model: {
    architecture: string;
    parameters: number;
    /** Bytes on disk (model.json + weights). */
    sizeBytes?: number;
    framework: string;
    /** Inputs and outputs, e.g. '20 applicant attributes (JSON) → P(bad credit risk)'. */
    inputs: string;
    outputs: string;
    /** Decision rule, e.g. 'flag as bad when P(bad) ≥ 0.5'. */
    decision?: string;
    training?: string;
  };
  data: {
    training: string;
    evaluation: string;
    preprocessing: string;
    source?: string;
  };
  intendedUse: {
    primary: string[];
    users?: string[];
    outOfScope: string[];
  };
  metrics: ModelCardMetric[];
  groupMetrics?: ModelCardGroupTable[];
  limitations: string[];
  ethicalConsiderations?: string[];
  /** Operational facts, e.g. latency and throughput measured on the serving machine. */
  operations?: { name: string; value: string }[];
}

function formatNumber(v: number, digits: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) && digits === 0 ? v.toLocaleString('en') : v.toFixed(digits);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** Escape a table cell: pipes and line breaks would break the Markdown table. */
function cell(s: string | number): string {
  return String(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function bullets(items: readonly string[]): string[] {
  return items.length ? items.map((s) => `- ${s}`) : ['- (none stated)'];
}

/** Check that a card is complete enough to publish; returns the problems (empty when fine). */
export function modelCardProblems(card: ModelCard): string[] {
  const problems: string[] = [];
  if (!card.name.trim()) problems.push('the card has no model name');
  if (!card.summary.trim()) problems.push('the card has no summary');
  if (card.metrics.length === 0) problems.push('the card reports no metrics');
  for (const m of card.metrics) if (!Number.isFinite(m.value)) problems.push(`metric '${m.name}' is ${m.value}, not a number`);
  if (card.intendedUse.primary.length === 0) problems.push('the card states no intended use');
  if (card.intendedUse.outOfScope.length === 0) problems.push('the card states no out-of-scope uses');
  if (card.limitations.length === 0) problems.push('the card states no limitations');
  for (const t of card.groupMetrics ?? []) {
    for (const r of t.rows) {
      if (r.values.length !== t.columns.length) problems.push(`group table '${t.title}': row '${r.group}' has ${r.values.length} values for ${t.columns.length} columns`);
    }
  }
  return problems;
}

/** The card as Markdown (sections: model details, intended use, data, metrics, groups, limitations, ethics, operations). */
export function modelCardMarkdown(card: ModelCard): string {
  const problems = modelCardProblems(card);
  if (problems.length) throw new Error(`modelCardMarkdown: ${problems.join('; ')}`);
  const date = card.date ?? new Date().toISOString().slice(0, 10);
  const lines: string[] = [
    `# Model card: ${card.name} (v${card.version})`,
    '',
    `*${date}* — ${card.summary}`,
    '',
    '## Model details',
    '',
    '| | |',
    '|---|---|',
    `| architecture | ${cell(card.model.architecture)} |`,
    `| parameters | ${card.model.parameters.toLocaleString('en')} |`,
  ];
  if (card.model.sizeBytes !== undefined) lines.push(`| size on disk | ${formatBytes(card.model.sizeBytes)} |`);
  lines.push(`| framework | ${cell(card.model.framework)} |`, `| input | ${cell(card.model.inputs)} |`, `| output | ${cell(card.model.outputs)} |`);
  if (card.model.decision) lines.push(`| decision rule | ${cell(card.model.decision)} |`);
  if (card.model.training) lines.push(`| training | ${cell(card.model.training)} |`);
  lines.push('', '## Intended use', '', '**Primary uses:**', '', ...bullets(card.intendedUse.primary));
  if (card.intendedUse.users?.length) lines.push('', '**Intended users:**', '', ...bullets(card.intendedUse.users));
  lines.push('', '**Out of scope:**', '', ...bullets(card.intendedUse.outOfScope));
  lines.push('', '## Data', '', `- **Training:** ${card.data.training}`, `- **Evaluation:** ${card.data.evaluation}`,
    `- **Preprocessing:** ${card.data.preprocessing}`);
  if (card.data.source) lines.push(`- **Source:** ${card.data.source}`);
  lines.push('', '## Metrics', '', '| metric | value | data | note |', '|---|---:|---|---|');
  for (const m of card.metrics) {
    const d = m.digits ?? 3;
    const interval = m.interval ? ` [${formatNumber(m.interval[0], d)}, ${formatNumber(m.interval[1], d)}]` : '';
    lines.push(`| ${cell(m.name)} | ${formatNumber(m.value, d)}${interval} | ${cell(m.split)} | ${cell(m.note ?? '')} |`);
  }
  for (const t of card.groupMetrics ?? []) {
    lines.push('', `### ${t.title}`, '', `| group | ${t.columns.map(cell).join(' | ')} |`, `|---|${t.columns.map(() => '---:').join('|')}|`);
    for (const r of t.rows) {
      lines.push(`| ${cell(r.group)} | ${r.values.map((v) => (typeof v === 'number' ? formatNumber(v, Number.isInteger(v) ? 0 : 3) : cell(v))).join(' | ')} |`);
    }
    if (t.note) lines.push('', t.note);
  }
  lines.push('', '## Limitations', '', ...bullets(card.limitations));
  if (card.ethicalConsiderations?.length) lines.push('', '## Ethical considerations', '', ...bullets(card.ethicalConsiderations));
  if (card.operations?.length) {
    lines.push('', '## Operations', '', '| | |', '|---|---|', ...card.operations.map((o) => `| ${cell(o.name)} | ${cell(o.value)} |`));
  }
  return `${lines.join('\n')}\n`;
}

/** Write `MODEL_CARD.md` and `model-card.json` into `dir` (next to model.json); returns the two paths. */
export function saveModelCard(card: ModelCard, dir: string): { markdown: string; json: string } {
  const md = modelCardMarkdown(card);
  fs.mkdirSync(dir, { recursive: true });
  const markdown = path.join(dir, 'MODEL_CARD.md');
  const json = path.join(dir, 'model-card.json');
  fs.writeFileSync(markdown, md);
  fs.writeFileSync(json, `${JSON.stringify({ ...card, date: card.date ?? new Date().toISOString().slice(0, 10) }, null, 2)}\n`);
  return { markdown, json };
}
