/**
 * Hyperparameter search under a fixed compute budget (固定计算预算的超参数搜索): random search and successive halving
 * (the inner loop of Hyperband; Jamieson & Talwalkar 2016, Li et al. 2018), generic over any `evaluate`.
 *
 * `evaluate(config, budget)` trains one configuration from scratch with `budget` units of compute (training
 * examples seen, steps, epochs — the caller's unit) and returns a validation score, higher is better. Both searches
 * count every unit they hand to `evaluate`, so their `spent` is exactly the sum of the budgets of their trials.
 *
 * - **Random search** gives each of its configurations the same full budget.
 * - **Successive halving** starts all `n` configurations on a small budget, keeps the best ⌊n/η⌋ (at least one),
 *   multiplies the budget by η, and repeats until one configuration is left (or the budget reaches `maxBudget`).
 *   With n = η^s configurations and a first budget of R/η^s, every rung spends the same amount, n · R/η^s = R, and
 *   the whole search (s + 1)·R: `successiveHalvingPlan` works it out before anything is trained.
 *
 * ```ts
 * const plan = successiveHalvingPlan(9, 3, 1280);     // rungs 9 × 1280, 3 × 3840, 1 × 11520: total 34,560
 * const halving = await successiveHalving(configs, { eta: 3, minBudget: 1280 }, evaluate);
 * const random = await randomSearch(configs.slice(0, 3), 11520, evaluate);   // 3 × 11,520 = the same 34,560
 * halving.best.config; halving.spent;                  // the winner, and 34560
 * ```
 */
import { Configuration } from './space';

/** Which trial `evaluate` is running: its number in the search (0, 1, …), its rung and its configuration's index. */
export interface TrialContext {
  trial: number;
  rung: number;
  configIndex: number;
}

/** Train `config` with `budget` units of compute and return its validation score (higher is better). */
export type EvaluateFn<C extends Configuration = Configuration> = (config: C, budget: number, context: TrialContext) => number | Promise<number>;

/** One evaluation: a configuration, the budget it got, its score, and the budget spent by the search up to and including it. */
export interface Trial<C extends Configuration = Configuration> extends TrialContext {
  config: C;
  budget: number;
  score: number;
  spentAfter: number;
}

/** One rung of successive halving: its budget per configuration, the configurations it ran, those it promoted. */
export interface Rung {
  rung: number;
  budget: number;
  /** Indices (into the configurations given to the search) that ran in this rung. */
  configIndices: number[];
  /** The indices promoted to the next rung (empty for the last rung). */
  promoted: number[];
}

/** What a search returns. */
export interface SearchResult<C extends Configuration = Configuration> {
  method: 'random search' | 'successive halving';
  trials: Trial<C>[];
  /** The trial with the highest score (the last of equal ones: in halving, the one trained longest). */
  best: Trial<C>;
  /** Budget units handed to `evaluate`, in all. */
  spent: number;
  /** After every trial: the budget spent so far and the best score so far — the search curve. */
  curve: { spent: number; best: number }[];
  rungs: Rung[];
}

/** Options shared by both searches. */
export interface SearchOptions<C extends Configuration = Configuration> {
  /** Called after every trial (e.g. to update a progress bar). */
  onTrial?: (trial: Trial<C>) => void;
}

/** A planned rung: how many configurations run, and on what budget each. */
export interface PlannedRung {
  configs: number;
  budget: number;
}

/** The rungs successive halving will run, and their total budget. */
export interface HalvingPlan {
  rungs: PlannedRung[];
  total: number;
}

function checkBudget(budget: number, what: string): void {
  if (!Number.isFinite(budget) || !(budget > 0)) throw new Error(`${what} must be a finite number > 0, got ${budget}`);
}

/**
 * The rungs of successive halving for `n` configurations, factor `eta` (an integer ≥ 2) and first budget
 * `minBudget`: rung r runs ⌊n/η^r⌋ (at least 1) configurations on min(minBudget·η^r, maxBudget) each, until one
 * configuration is left or the budget has reached `maxBudget`.
 *
 * `successiveHalvingPlan(9, 3, 1280)` → rungs [9 × 1280, 3 × 3840, 1 × 11520], total 34,560.
 */
export function successiveHalvingPlan(n: number, eta: number, minBudget: number, maxBudget = Infinity): HalvingPlan {
  if (!Number.isInteger(n) || n < 1) throw new Error(`successive halving: the number of configurations must be a positive integer, got ${n}`);
  if (!Number.isInteger(eta) || eta < 2) throw new Error(`successive halving: eta must be an integer >= 2, got ${eta}`);
  checkBudget(minBudget, 'successive halving: minBudget');
  if (!(maxBudget >= minBudget)) throw new Error(`successive halving: maxBudget ${maxBudget} is below minBudget ${minBudget}`);
  const rungs: PlannedRung[] = [];
  let configs = n;
  let budget = minBudget;
  for (;;) {
    const capped = Math.min(budget, maxBudget);
    rungs.push({ configs, budget: capped });
    if (configs === 1 || capped >= maxBudget) break;
    configs = Math.max(1, Math.floor(configs / eta));
    budget *= eta;
  }
  return { rungs, total: rungs.reduce((s, r) => s + r.configs * r.budget, 0) };
}

/** Runs trials one after the other and keeps the books: spent budget, the trials, the curve. */
class Ledger<C extends Configuration> {
  readonly trials: Trial<C>[] = [];
  readonly curve: { spent: number; best: number }[] = [];
  spent = 0;
  constructor(private readonly evaluate: EvaluateFn<C>, private readonly options: SearchOptions<C>, private readonly what: string) {}

  async run(config: C, configIndex: number, rung: number, budget: number): Promise<Trial<C>> {
    const context: TrialContext = { trial: this.trials.length, rung, configIndex };
    const score = await this.evaluate(config, budget, context);
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new Error(`${this.what}: evaluate returned ${String(score)} for configuration ${configIndex} on budget ${budget}; it must return a finite score`);
    }
    this.spent += budget;
    const trial: Trial<C> = { ...context, config, budget, score, spentAfter: this.spent };
    this.trials.push(trial);
    const previous = this.curve.length ? this.curve[this.curve.length - 1]!.best : -Infinity;
    this.curve.push({ spent: this.spent, best: Math.max(previous, score) });
    this.options.onTrial?.(trial);
    return trial;
  }

  result(method: SearchResult['method'], rungs: Rung[]): SearchResult<C> {
    const best = this.trials.reduce((a, b) => (b.score >= a.score ? b : a));
    return { method, trials: this.trials, best, spent: this.spent, curve: this.curve, rungs };
  }
}

function checkConfigs(configs: readonly Configuration[], what: string): void {
  if (!Array.isArray(configs) || configs.length === 0) throw new Error(`${what}: no configurations to search`);
}

/**
 * Random search: every configuration (drawn beforehand, e.g. `sampleConfigurations`) trained once with
 * `budgetPerConfig`, in order. Spends `configs.length × budgetPerConfig`.
 */
export async function randomSearch<C extends Configuration>(configs: readonly C[], budgetPerConfig: number,
  evaluate: EvaluateFn<C>, options: SearchOptions<C> = {}): Promise<SearchResult<C>> {
  checkConfigs(configs, 'random search');
  checkBudget(budgetPerConfig, 'random search: budgetPerConfig');
  const ledger = new Ledger(evaluate, options, 'random search');
  for (let i = 0; i < configs.length; i++) await ledger.run(configs[i]!, i, 0, budgetPerConfig);
  return ledger.result('random search', [{ rung: 0, budget: budgetPerConfig, configIndices: configs.map((_, i) => i), promoted: [] }]);
}

/**
 * Successive halving over `configs` (see the module doc and `successiveHalvingPlan`). Each rung trains its
 * configurations from scratch on the rung's budget and promotes the ⌊k/η⌋ best (at least one; equal scores keep
 * the earlier configuration). Spends exactly `successiveHalvingPlan(configs.length, eta, minBudget, maxBudget).total`.
 */
export async function successiveHalving<C extends Configuration>(configs: readonly C[],
  settings: { eta: number; minBudget: number; maxBudget?: number }, evaluate: EvaluateFn<C>,
  options: SearchOptions<C> = {}): Promise<SearchResult<C>> {
  checkConfigs(configs, 'successive halving');
  const plan = successiveHalvingPlan(configs.length, settings.eta, settings.minBudget, settings.maxBudget);
  const ledger = new Ledger(evaluate, options, 'successive halving');
  const rungs: Rung[] = [];
  let alive = configs.map((_, i) => i);
  for (let r = 0; r < plan.rungs.length; r++) {
    const { budget } = plan.rungs[r]!;
    const scored: { index: number; score: number }[] = [];
    for (const index of alive) scored.push({ index, score: (await ledger.run(configs[index]!, index, r, budget)).score });
    const last = r === plan.rungs.length - 1;
    const keep = last ? 0 : plan.rungs[r + 1]!.configs;
    // A stable sort: equal scores keep the earlier configuration first.
    const promoted = scored.slice().sort((a, b) => b.score - a.score).slice(0, keep).map((s) => s.index).sort((a, b) => a - b);
    rungs.push({ rung: r, budget, configIndices: alive, promoted });
    alive = promoted;
  }
  return ledger.result('successive halving', rungs);
}
