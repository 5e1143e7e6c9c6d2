/**
 * Claims that hold on any machine (结论的可复现性).
 *
 * Training is bitwise repeatable on one machine, not across machines: oneDNN and Eigen pick other
 * code paths (SSE4.1, AVX2, AVX-512, AMX) per CPU and thread count, float sums round differently,
 * and training amplifies the difference. So one run's number is not a result, and a notebook may
 * not assert "≥ 0.90" because one run gave 0.911.
 *
 * A **claim study** (`npm run claims -- 05`) runs a notebook several times — seeds × CPU code
 * paths — and stores, per claim, every value with its mean, standard deviation, minimum and maximum
 * in `data/claims/<notebook>.json`. The notebook then asserts each headline number against the
 * **bound derived from that spread** (`summarizeClaim`), never against one run — or against the claim's target
 * (the number the text states) when even that bound clears it (`claimThreshold`):
 *
 * ```ts
 * const claims = loadClaimStudy('05-medical-imaging');
 * checkClaim(claims, 'cnn-test-auc', cnnAuc, { text: 'test AUC of the CNN ensemble', target: 0.901 });
 * // claim cnn-test-auc = 0.9043 ≥ bound 0.8712 ✔ (study: 0.9021 ± 0.0103, min 0.8885, max 0.9167, 10 runs)
 * ```
 *
 * In a study run (`COURSE_CLAIMS_OUT` set by the study command) `checkClaim` records the value
 * instead of asserting it; in the quick profile it asserts only the optional `quick` floor.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { findCourseRoot } from '../data/manifest';
import { mean, sampleSd } from '../metrics/describe';
import { bookExportDone } from './book-export';
import { Figure, Trace, figure } from './plot';
import { seedOffset } from '../training/random';

/** Which way a claim is good: `higher` asserts value ≥ bound, `lower` asserts value ≤ bound. */
export type ClaimDirection = 'higher' | 'lower';

/** One value of a claim in a study: which seed offset and code path gave it. */
export interface ClaimValue {
  seed: number;
  path: string;
  value: number;
}

/** Mean, spread and the derived bound of a claim's values. */
export interface ClaimSummary {
  n: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  /** What a notebook asserts: `claimBound(...)` of the values. */
  bound: number;
}

/** One claim of a study: what it says, its values and their summary. */
export interface ClaimRow extends ClaimSummary {
  text: string;
  direction: ClaimDirection;
  /** A number the claim is compared with (a paper's score, 0 for "better than"), if any. */
  target?: number;
  values: ClaimValue[];
}

/** A CPU code path of a study: a name and the environment that selects it. */
export interface ClaimPath {
  name: string;
  env: Record<string, string>;
}

/** One notebook execution of a study. */
export interface ClaimRun {
  seed: number;
  path: string;
  ok: boolean;
  seconds: number;
  failure?: string;
  /** sha256 (first 16 hex digits) of the notebook's code cells the run executed; absent for runs before it was recorded. */
  code?: string;
  /**
   * sha256 (first 16 hex digits) of the course's backend code the run executed (`src/backends/`: which kernels compute
   * the numbers); absent for runs before it was recorded. A committed run is reused only with the same backend code.
   */
  backendCode?: string;
}

/** The stored study of one notebook (`data/claims/<notebook>.json`). */
export interface ClaimStudy {
  notebook: string;
  date: string;
  profile: string;
  machine: { cpu: string; cores: number; isa: string; node: string; backend: string };
  seeds: number[];
  paths: ClaimPath[];
  rule: string;
  runs: ClaimRun[];
  claims: Record<string, ClaimRow>;
}

/** A recorded value, one JSON line in the file named by `COURSE_CLAIMS_OUT`. */
export interface ClaimRecord {
  key: string;
  text: string;
  direction: ClaimDirection;
  target?: number;
  value: number;
  seed: number;
  /** The TensorFlow.js backend that computed it. */
  backend: string;
}

/** How many standard deviations below the mean (above, for `lower`) a bound lies. */
const CLAIM_SD_MULTIPLIER = 3;
/** The rule of `claimBound`, as stored with every study. */
const CLAIM_RULE = `bound = min(mean − ${CLAIM_SD_MULTIPLIER}·sd, min) for "higher" claims (max(mean + ${CLAIM_SD_MULTIPLIER}·sd, max) for "lower"), rounded outward to 4 decimals; sd over seeds × code paths`;

/**
 * The bound a notebook asserts for a claim whose study gave `values`: `CLAIM_SD_MULTIPLIER`
 * standard deviations (sample sd, n − 1) beyond the mean, or the worst value seen if that is
 * further out, rounded outward to 4 decimals.
 *
 * ```ts
 * summarizeClaim([0.90, 0.91, 0.92], 'higher');  // { n: 3, mean: 0.91, sd: 0.01, min: 0.9, max: 0.92, bound: 0.88 }
 * ```
 */
export function summarizeClaim(values: readonly number[], direction: ClaimDirection): ClaimSummary {
  if (values.length === 0) throw new Error('summarizeClaim: a claim needs at least one value');
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new Error(`summarizeClaim: every value must be a finite number, got ${bad}`);
  const n = values.length;
  const average = mean(values);
  const sd = n > 1 ? sampleSd(values) : 0;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const round = (v: number, up: boolean): number => {
    const scaled = v * 1e4;
    // Outward, but not past a value that is already on the 4-decimal grid (float noise).
    const r = Math.round(scaled);
    const snapped = Math.abs(scaled - r) < 1e-6 ? r : up ? Math.ceil(scaled) : Math.floor(scaled);
    return snapped / 1e4;
  };
  const bound = direction === 'higher'
    ? round(Math.min(average - CLAIM_SD_MULTIPLIER * sd, min), false)
    : round(Math.max(average + CLAIM_SD_MULTIPLIER * sd, max), true);
  return { n, mean: average, sd, min, max, bound };
}

/** The folder of the stored studies: `data/claims/` of the course (or `COURSE_CLAIMS_DIR`). */
function claimStudyDir(): string {
  return process.env.COURSE_CLAIMS_DIR ?? path.join(findCourseRoot(), 'data', 'claims');
}

/** Check a parsed study file; throws naming the file and the field. */
export function validateClaimStudy(study: unknown, file: string): ClaimStudy {
  const s = study as ClaimStudy;
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}. Rerun the study (npm run claims -- <notebook>) or restore the file with git checkout.`);
  };
  if (!s || typeof s !== 'object') fail('not a JSON object');
  if (typeof s.notebook !== 'string') fail('field "notebook" is missing');
  if (!Array.isArray(s.seeds) || !Array.isArray(s.paths) || !Array.isArray(s.runs)) fail('fields "seeds", "paths" and "runs" must be arrays');
  if (!s.claims || typeof s.claims !== 'object') fail('field "claims" is missing');
  for (const [key, row] of Object.entries(s.claims)) {
    if (row.direction !== 'higher' && row.direction !== 'lower') fail(`claims.${key}.direction must be "higher" or "lower"`);
    if (!Array.isArray(row.values) || row.values.length === 0) fail(`claims.${key}.values must be a non-empty array`);
    const again = summarizeClaim(row.values.map((v) => v.value), row.direction);
    if (again.bound !== row.bound || again.n !== row.n) fail(`claims.${key}: its bound ${row.bound} (n ${row.n}) does not follow from its values (${again.bound}, n ${again.n})`);
  }
  return s;
}

/** A study with no runs yet: what a study run starts from when the notebook has no stored study. */
function emptyClaimStudy(notebook: string): ClaimStudy {
  return { notebook, date: '(not studied yet)', profile: 'full', machine: { cpu: '', cores: 0, isa: '', node: '', backend: '' },
    seeds: [], paths: [], rule: CLAIM_RULE, runs: [], claims: {} };
}

/**
 * Read a notebook's stored claim study; a clear error says how to make one when it is missing.
 * During a study run (`COURSE_CLAIMS_OUT` set) a missing study is the first one being made: an
 * empty study is returned instead.
 */
export function loadClaimStudy(notebook: string, dir = claimStudyDir()): ClaimStudy {
  const file = path.join(dir, `${notebook}.json`);
  if (!fs.existsSync(file)) {
    if (process.env.COURSE_CLAIMS_OUT) return emptyClaimStudy(notebook);
    throw new Error(`${file}: no claim study for notebook ${notebook}. Make one with: npm run claims -- ${notebook}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)}). Restore it with git checkout, or rerun npm run claims -- ${notebook}`);
  }
  return validateClaimStudy(parsed, file);
}

/**
 * The threshold `checkClaim` asserts for a studied claim: the claim's `target` when the study's bound clears it — the
 * text's claim ("≥ 97 %", "better than", "> 0") holds across every seed and code path studied, so the check asserts
 * exactly that, no tighter — otherwise (or without a target) the bound, what the study can vouch for. Never tighter
 * than the bound, so a threshold is never set just under one run, and a degenerate study (every run equal, sd 0)
 * does not turn into an exact-value check wherever a target exists.
 *
 * @example claimThreshold({ direction: 'higher', bound: 0.9812, target: 0.97, ... })  // 0.97: the target holds at the bound
 * claimThreshold({ direction: 'higher', bound: 0.9790, target: 0.9862, ... })          // 0.979: the bound; the target is out of reach
 */
export function claimThreshold(row: ClaimRow): number {
  if (row.target === undefined) return row.bound;
  return row.direction === 'higher' ? Math.min(row.bound, row.target) : Math.max(row.bound, row.target);
}

/** What `checkClaim` did. */
export interface ClaimCheck {
  key: string;
  value: number;
  /** The threshold asserted (`claimThreshold`, or the quick floor), or null when nothing was asserted (a study run, or quick without a floor). */
  bound: number | null;
  row: ClaimRow | null;
  mode: 'full' | 'quick' | 'study';
  /** One line: the value, the bound, the study's spread. */
  line: string;
}

/** Options of `checkClaim`. */
export interface CheckClaimOptions {
  /** What the claim says, for the study table and error messages. */
  text: string;
  direction?: ClaimDirection;
  /** A number to compare with (a paper's score; 0 for a difference): shown, never asserted. */
  target?: number;
  /** The quick profile's floor (small subsets): asserted there instead of the study bound. */
  quick?: number;
  /** Profile override (default: `COURSE_PROFILE`). */
  profile?: 'full' | 'quick';
  /** Where a study run records (default: `COURSE_CLAIMS_OUT`). */
  recordTo?: string;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

/** "0.9021 ± 0.0103, min 0.8885, max 0.9167, 10 runs (5 seeds × 2 code paths)". */
function describeClaimRow(row: ClaimRow): string {
  const seeds = new Set(row.values.map((v) => v.seed)).size;
  const paths = new Set(row.values.map((v) => v.path)).size;
  return `${fmt(row.mean)} ± ${fmt(row.sd)}, min ${fmt(row.min)}, max ${fmt(row.max)}, ${row.n} runs (${seeds} seeds × ${paths} code paths)`;
}

/**
 * Assert a headline number against its study's bound, and say so in one printed line.
 * - full profile: throws when `value` is beyond `claimThreshold(study.claims[key])` — the study's bound, or the
 *   target when the bound clears it (or when the study has no row `key`: run the study);
 * - quick profile: asserts only `options.quick` when given;
 * - a study run (`COURSE_CLAIMS_OUT`): appends the value to that file and asserts nothing.
 */
export function checkClaim(study: ClaimStudy | null, key: string, value: number, options: CheckClaimOptions): ClaimCheck {
  const direction = options.direction ?? 'higher';
  const profile = options.profile ?? (process.env.COURSE_PROFILE === 'quick' ? 'quick' : 'full');
  const recordTo = options.recordTo ?? process.env.COURSE_CLAIMS_OUT;
  const beyond = (bound: number): boolean => (direction === 'higher' ? !(value >= bound) : !(value <= bound));
  const op = direction === 'higher' ? '≥' : '≤';
  if (!Number.isFinite(value)) throw new Error(`claim ${key}: the value is ${value}, not a finite number`);
  const row = study?.claims[key] ?? null;
  if (row && row.direction !== direction) {
    throw new Error(`claim ${key}: the notebook checks it as "${direction}" but data/claims/${study!.notebook}.json stores "${row.direction}"; rerun the study`);
  }
  const targetText = options.target === undefined ? '' : `; target ${fmt(options.target)}`;
  if (recordTo) {
    // A study run only (a learner may rerun any cell): the claim study leaves book-export cells out of its code hash,
    // which is sound only while nothing after an export records a claim.
    if (bookExportDone()) {
      throw new Error(`claim ${key}: recorded after exportForBook — the book-export cell must come after every claim ` +
        '(the claim study leaves it out of the code hash because nothing after it may record a claim)');
    }
    const record: ClaimRecord = { key, text: options.text, direction, value, seed: seedOffset(), backend: tf.getBackend() || 'none', ...(options.target === undefined ? {} : { target: options.target }) };
    fs.appendFileSync(recordTo, JSON.stringify(record) + '\n');
    const line = `claim ${key} = ${fmt(value)} recorded for the study (seed offset ${seedOffset()})${targetText}`;
    console.log(line);
    return { key, value, bound: null, row, mode: 'study', line };
  }
  if (profile === 'quick') {
    const bound = options.quick ?? null;
    const line = bound === null
      ? `claim ${key} = ${fmt(value)} (quick profile: not asserted; the full profile asserts the study's bound)`
      : `claim ${key} = ${fmt(value)} ${op} ${fmt(bound)} (quick profile floor) ${beyond(bound) ? '✘' : '✔'}`;
    console.log(line);
    if (bound !== null && beyond(bound)) throw new Error(`check failed: ${options.text} — ${fmt(value)} is not ${op} ${fmt(bound)} (quick profile floor)`);
    return { key, value, bound, row, mode: 'quick', line };
  }
  if (!study) throw new Error(`claim ${key}: no claim study was given; load one with loadClaimStudy(notebook)`);
  if (!row) {
    throw new Error(`claim ${key}: data/claims/${study.notebook}.json has no row "${key}" (it has: ${Object.keys(study.claims).join(', ') || 'none'}). ` +
      `Rerun the study: npm run claims -- ${study.notebook}`);
  }
  const threshold = claimThreshold(row);
  const onTarget = threshold !== row.bound;
  const what = onTarget ? `target ${fmt(threshold)}` : `bound ${fmt(row.bound)}`;
  const context = onTarget ? `the study's bound ${fmt(row.bound)} clears the target; study: ${describeClaimRow(row)}` : `study: ${describeClaimRow(row)}${targetText}`;
  const line = `claim ${key} = ${fmt(value)} ${op} ${what} ${beyond(threshold) ? '✘' : '✔'} (${context})`;
  console.log(line);
  if (beyond(threshold)) {
    throw new Error(`check failed: ${options.text} — ${fmt(value)} is not ${op} ${fmt(threshold)}, the ${onTarget ? 'target' : 'bound'} of data/claims/${study.notebook}.json ` +
      `(${describeClaimRow(row)}). Either the course changed (rerun npm run claims -- ${study.notebook}) or this machine lies outside the study's spread.`);
  }
  return { key, value, bound: threshold, row, mode: 'full', line };
}

/** How a studied claim stands against its target; null when it has none. */
export type ClaimVerdict = 'bound clears it' | 'mean clears it, bound does not' | 'mean below it' | 'mean above it';

/**
 * Whether a claim holds against its target across the study: `'bound clears it'` when even the asserted bound
 * (the study's worst case) reaches the target — the claim holds on any machine the study represents; `'mean clears
 * it, bound does not'` when it holds on average but some seed or CPU may miss it — say "on average", not "always";
 * otherwise the mean misses the target too. Null when the claim has no target.
 *
 * @example claimVerdict({ direction: 'higher', target: 0, mean: 0.03, bound: -0.01, ... }) // 'mean clears it, bound does not'
 */
export function claimVerdict(row: ClaimRow): ClaimVerdict | null {
  if (row.target === undefined) return null;
  const reaches = (v: number): boolean => (row.direction === 'higher' ? v >= row.target! : v <= row.target!);
  if (reaches(row.bound)) return 'bound clears it';
  if (reaches(row.mean)) return 'mean clears it, bound does not';
  return row.direction === 'higher' ? 'mean below it' : 'mean above it';
}

/**
 * The verdicts of a study as sentences, one per verdict that occurs: which claims hold at the bound (on any
 * machine the study represents), which only on average, which miss their target. Claims without a target are left out.
 *
 * @example claimVerdictLines(study)
 * // ['holds at the study\'s bound: test accuracy of the improved CNN',
 * //  'misses the target on average: test accuracy of the article\'s CNN']
 */
export function claimVerdictLines(study: ClaimStudy): string[] {
  // Strongest first. 'Mean clears it, bound does not' has two readings: every studied run cleared the target but the
  // spread (mean − 3 sd) does not rule out a run that misses it, or some studied run did miss it.
  const HOLDS = 'holds at the study\'s bound';
  const EVERY_RUN = 'holds in every run studied, but not with 3 sd to spare';
  const ON_AVERAGE = 'holds on average only — some seed or CPU misses the target';
  const MISSES = 'misses the target on average';
  const groups = new Map<string, string[]>();
  for (const row of Object.values(study.claims)) {
    const verdict = claimVerdict(row);
    if (verdict === null) continue;
    const everyRun = row.direction === 'higher' ? row.min >= row.target! : row.max <= row.target!;
    const said = verdict === 'bound clears it' ? HOLDS : verdict === 'mean clears it, bound does not' ? (everyRun ? EVERY_RUN : ON_AVERAGE) : MISSES;
    groups.set(said, [...(groups.get(said) ?? []), row.text]);
  }
  return [HOLDS, EVERY_RUN, ON_AVERAGE, MISSES].filter((s) => groups.has(s)).map((s) => `${s}: ${groups.get(s)!.join('; ')}`);
}

/** A Markdown table of a study's claims: value spread, bound and target, one row a claim. */
export function claimTable(study: ClaimStudy, keys: readonly string[] = Object.keys(study.claims)): string {
  const rows = keys.map((key) => {
    const r = study.claims[key];
    if (!r) return `| ${key} | not studied yet: npm run claims -- ${study.notebook} | | | | |`;
    const op = r.direction === 'higher' ? '≥' : '≤';
    const target = r.target === undefined ? '—' : `${fmt(r.target)} (${claimVerdict(r)})`;
    return `| ${r.text} | ${fmt(r.mean)} ± ${fmt(r.sd)} | ${fmt(r.min)} – ${fmt(r.max)} | ${r.n} | ${op} ${fmt(claimThreshold(r))} | ${target} |`;
  });
  return [`| claim (${study.notebook}, study of ${study.date}) | mean ± sd | min – max | runs | asserted | target |`,
    '|---|---:|---:|---:|---:|---|', ...rows].join('\n');
}

/** The study's machine and design in one line. */
export function describeClaimStudy(study: ClaimStudy): string {
  const m = study.machine;
  return `claim study ${study.notebook} (${study.date}): seeds ${study.seeds.join(', ')} × code paths ` +
    `${study.paths.map((p) => `${p.name}${Object.keys(p.env).length ? ` (${Object.entries(p.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`).join(', ')}; ` +
    `${m.cpu}, ${m.cores} cores, ${m.isa}, Node ${m.node}, backend ${m.backend}`;
}

/** The records of one study run, read back from its `COURSE_CLAIMS_OUT` file. */
export interface ClaimRunRecords {
  seed: number;
  path: string;
  records: ClaimRecord[];
}

/**
 * Gather the runs of a study into the stored form: per claim key every value with its seed and
 * path, summarised by `summarizeClaim`. A key recorded twice in one run is an error (two checks
 * sharing a name); so is a key whose direction differs between runs.
 */
export function buildClaimStudy(meta: Omit<ClaimStudy, 'claims' | 'rule'>, runs: readonly ClaimRunRecords[]): ClaimStudy {
  const rows = new Map<string, { text: string; direction: ClaimDirection; target?: number; values: ClaimValue[] }>();
  for (const run of runs) {
    const seen = new Set<string>();
    for (const r of run.records) {
      if (seen.has(r.key)) throw new Error(`claim ${r.key} was recorded twice in run seed ${run.seed}, path ${run.path}: give each check its own key`);
      seen.add(r.key);
      const row = rows.get(r.key) ?? { text: r.text, direction: r.direction, values: [] };
      if (row.direction !== r.direction) throw new Error(`claim ${r.key}: recorded as "${row.direction}" and as "${r.direction}"`);
      row.text = r.text;
      if (r.target !== undefined) row.target = r.target;
      row.values.push({ seed: run.seed, path: run.path, value: r.value });
      rows.set(r.key, row);
    }
  }
  const claims: Record<string, ClaimRow> = {};
  for (const [key, row] of rows) {
    claims[key] = { text: row.text, direction: row.direction, ...(row.target === undefined ? {} : { target: row.target }),
      ...summarizeClaim(row.values.map((v) => v.value), row.direction), values: row.values };
  }
  return { ...meta, rule: CLAIM_RULE, claims };
}

/**
 * The spread of one claim over the study, as a figure: one dot per run (x: the value; y: the code
 * path; hover: the seed offset), with the mean, the study's bound and the target as vertical
 * lines (the legend says which of the two is asserted, `claimThreshold`), and `current` (this run's value) as a star. Missing rows give a figure that says so.
 */
export function claimSpreadFigure(study: ClaimStudy, key: string, current?: number): Figure {
  const row = study.claims[key];
  if (!row) {
    return figure([{ type: 'scatter', mode: 'text', x: [0], y: [0], text: [`no study of ${key} yet: npm run claims -- ${study.notebook}`] }],
      { title: { text: `${key}: not studied yet` }, height: 200 });
  }
  const paths = [...new Set(row.values.map((v) => v.path))];
  const traces: Trace[] = paths.map((p) => {
    const vs = row.values.filter((v) => v.path === p);
    return { type: 'scatter', mode: 'markers', name: p, x: vs.map((v) => v.value), y: vs.map(() => p),
      text: vs.map((v) => `seed offset ${v.seed}`), marker: { size: 11, opacity: 0.75 } };
  });
  const line = (x: number, name: string, color: string, dash: string): Trace =>
    ({ type: 'scatter', mode: 'lines', name, x: [x, x], y: [paths[0]!, paths[paths.length - 1]!], line: { color, dash, width: 2 } });
  traces.push(line(row.mean, `mean ${fmt(row.mean)}`, 'black', 'solid'));
  const onTarget = claimThreshold(row) !== row.bound;
  traces.push(line(row.bound, `${onTarget ? 'study bound' : 'asserted bound'} ${fmt(row.bound)}`, 'crimson', 'dash'));
  if (row.target !== undefined) traces.push(line(row.target, `${onTarget ? 'asserted target' : 'target'} ${fmt(row.target)}`, 'seagreen', 'dot'));
  if (current !== undefined) {
    traces.push({ type: 'scatter', mode: 'markers', name: `this run ${fmt(current)}`, x: [current], y: [paths[0]!],
      marker: { size: 16, symbol: 'star', color: 'gold', line: { color: 'black', width: 1 } } });
  }
  return figure(traces, {
    title: { text: `${row.text}: ${row.n} runs of the claim study (${study.date})` }, height: 160 + 50 * paths.length,
    xaxis: { title: { text: row.text } }, yaxis: { title: { text: 'code path' }, type: 'category' },
  });
}
