/**
 * Plain-JSON types that cross the workflow boundary: inputs, results and progress. No classes, no secrets.
 */

/** Where the scenarios run. `sim`: the embedded simulator; `dumont`: a real Dumont Cloud deployment. */
export type Target = 'sim' | 'dumont';

/** Input of {@link SuiteWorkflow}; validated in workflow code before anything starts. */
export interface SuiteInput {
  /** Selection expression (`1-15,53`, `lifecycle and not slow`). @default all scenarios */
  select?: string;
  /** @default 'sim' */
  target?: Target;
  /** Scenarios run at once. @default 4 */
  maxParallel?: number;
  /**
   * The budget cap in USD (docs/running.md § The budget cap): a plan whose estimates exceed it is refused before anything
   * is rented, and each scenario starts only if what was spent, plus what running scenarios commit, plus its own
   * estimate fits. @default unlimited
   */
  budgetUsd?: number;
  /** With `budgetUsd`: a plan over the budget runs the scenarios that fit instead of being refused. @default false */
  runWhatFits?: boolean;
  /**
   * Refined cost estimates in USD by scenario number (`{"1": 0.04}`), e.g. from the history of earlier runs;
   * scenarios not listed keep the catalogue's estimate. @default the catalogue's estimates
   */
  estimatesUsd?: Record<string, number>;
  /**
   * Where the run's HTML report is (or will be): each scenario's static details in the Web UI link to it (to its
   * `#<key>` anchor). `{suite}` is replaced by the suite's reports directory name (for schedules, whose suite ids
   * are made per night). A URL with user info or a query string is dropped. @default no link
   */
  reportUrl?: string;
  /**
   * Expected durations in platform minutes by scenario id, from earlier runs; the suite starts the longest first
   * (`suite-order.ts`). @default the catalogue's estimates
   */
  durationHints?: Record<string, number>;
  /** Platform-time multiplier for scenario waits (the simulator's clock). @default 1 on dumont, 0.01 on sim */
  timeScale?: number;
}

/** Input of every scenario workflow (startable alone from the `temporal` CLI). */
export interface ScenarioInput {
  /** Groups labels and reports; a scenario started alone uses its own workflow id. */
  suiteId?: string;
  /** @default 'sim' */
  target?: Target;
  /** @default 1 on dumont, 0.01 on sim */
  timeScale?: number;
}

/** One check of a scenario. `id` is stable (defects name the check they break by it); `name` says what it checks. */
export interface CheckOutcome {
  id: string;
  name: string;
  ok: boolean;
  detail: string;
  /** For a limit from the seed: the measured value beside the limit it was compared with. */
  measured?: { value: number; limit: number; unit: string; op: '<=' | '>=' };
}

export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'not-implemented';

/** What one scenario reports: one entry of the JSON report's `scenarios` (docs/reports.md). */
export interface ScenarioResult {
  id: number;
  slug: string;
  title: string;
  category: string;
  status: ScenarioStatus;
  durationMs: number;
  gpuSeconds: number;
  costUsd: number;
  checks: CheckOutcome[];
  /** Measurements worth a line in the report, e.g. `coldStartSeconds`. */
  metrics?: Record<string, number>;
  error?: string;
  /** Errors raised by compensations (cleanup); a non-empty list fails the scenario. */
  cleanupErrors?: string[];
  /** Resources still present after cleanup, one line each: `<kind> <id> <label> (at dumont, vast)`. */
  leaked?: string[];
  /** Passed, but worth a look: a destroy that fell back from Dumont to VAST, an unusable list answer… */
  warnings?: string[];
  /**
   * Platform errors (429, 5xx, resets) the scenario's activities retried in place and then succeeded, by activity
   * type; each is also in that activity's ActivityTaskCompleted event in the history. Absent when there were none.
   */
  retriedInPlace?: { total: number; byActivity: Record<string, number> };
  workflowId: string;
}

/** The suite's last word on its resources: one more sweep of its label prefix after every scenario finished. */
export interface FinalSweep {
  /** What the sweep destroyed: scenarios' leftovers, and the suite's SSH key. */
  destroyed: string[];
  /** Fallbacks the sweep had to take. */
  warnings: string[];
  /** Why the sweep gave up, when it did (then `leaked` says what is still alive). */
  error?: string;
}

/** How the suite's budget cap (`budgetUsd`) decided; absent when the run had no budget. */
export interface BudgetOutcome {
  budgetUsd: number;
  /** The estimates of the implemented scenarios selected, added up. */
  planUsd: number;
  /** The plan exceeded the budget and the run was refused: nothing started. */
  refused: boolean;
  runWhatFits: boolean;
  /** One entry per scenario started: what was committed when it was admitted, and its own estimate. */
  admissions: { id: number; committedUsd: number; estimateUsd: number }[];
}

/** Result of {@link SuiteWorkflow}. */
export interface SuiteResult {
  suiteId: string;
  target: Target;
  select: string;
  timeScale: number;
  scenarios: ScenarioResult[];
  /** Resources with this suite's label prefix still alive at the platform or at VAST after the final sweep. */
  leaked: string[];
  finalSweep: FinalSweep;
  /** Wall time measured by an activity (workflow clocks do not measure). */
  wallMs: number;
  /** Present when the run had a budget. */
  budget?: BudgetOutcome;
}

/** Answer of the suite's `progress` query: one line per scenario the suite knows about. */
export interface SuiteProgress {
  suiteId: string;
  total: number;
  done: number;
  running: string[];
  results: ScenarioResult[];
}
