/**
 * The plan of a run before it starts (`dumont-e2e plan`, `run --dry-run`): per selected scenario its estimated
 * GPU-minutes, cost and wall time, from the catalogue's estimates refined by the history of earlier runs, and the
 * run's totals against `--budget-usd`. Pure: the history comes in as measured figures per scenario.
 */
import { scenarioKey, type ScenarioSpec } from '../../catalog/types';
import { planVerdict } from '../../workflows/suite-budget';

/** Measured figures of one scenario over earlier runs (the shape of the run history's per-scenario stats). */
export interface MeasuredScenario {
  /** How many runs the figures come from (0: no history). */
  runs: number;
  medianDurationMs: number;
  meanGpuSeconds: number;
  meanCostUsd: number;
}

/** One row of the plan. */
export interface PlanRow {
  id: number;
  key: string;
  category: string;
  implemented: boolean;
  gpuMinutes: number;
  costUsd: number;
  /** Estimated wall time of the scenario at this run's time scale. */
  wallMs: number;
  /** `catalogue`, or `history (N runs)` when earlier runs refined it. */
  source: string;
}

/** The plan of a run. */
export interface Plan {
  rows: PlanRow[];
  totals: {
    scenarios: number;
    /** Scenarios that would run (implemented). */
    implemented: number;
    gpuMinutes: number;
    costUsd: number;
    /** The run's wall time with `maxParallel` scenarios at once, longest first (as the suite orders them). */
    wallMs: number;
  };
  maxParallel: number;
  timeScale: number;
  /** Present with a budget: whether the plan fits, and the refusal otherwise. */
  budget?: { budgetUsd: number; fits: boolean; runWhatFits: boolean; reason?: string };
}

/** Options of {@link buildPlan}. */
export interface PlanOptions {
  maxParallel: number;
  /** Platform-time multiplier of the run: catalogue wall estimates are platform time. */
  timeScale: number;
  /** Measured figures by scenario id (empty without history). */
  history: ReadonlyMap<number, MeasuredScenario>;
  budgetUsd?: number;
  runWhatFits?: boolean;
}

/**
 * The plan for `specs`. A scenario with measured runs takes their mean cost and GPU time and their median duration;
 * otherwise the catalogue's estimate, and as wall time its GPU-minutes in platform time (at least one platform
 * minute: a scenario rents for most of its run), scaled by the time scale. Not-implemented scenarios cost nothing
 * and take no time.
 */
export function buildPlan(specs: readonly ScenarioSpec[], o: PlanOptions): Plan {
  const rows = specs.map((spec): PlanRow => {
    const base = { id: spec.id, key: scenarioKey(spec), category: spec.category, implemented: !!spec.workflowType };
    if (!spec.workflowType) return { ...base, gpuMinutes: 0, costUsd: 0, wallMs: 0, source: 'not implemented' };
    const measured = o.history.get(spec.id);
    if (measured && measured.runs > 0) {
      return {
        ...base,
        gpuMinutes: round(measured.meanGpuSeconds / 60, 1),
        costUsd: round(measured.meanCostUsd, 4),
        wallMs: Math.round(measured.medianDurationMs),
        source: `history (${measured.runs} ${measured.runs === 1 ? 'run' : 'runs'})`,
      };
    }
    return {
      ...base,
      gpuMinutes: spec.estimate.gpuMinutes,
      costUsd: spec.estimate.costUsd,
      wallMs: Math.round(Math.max(1, spec.estimate.gpuMinutes) * 60_000 * o.timeScale),
      source: 'catalogue',
    };
  });
  const run = rows.filter((r) => r.implemented);
  const plan: Plan = {
    rows,
    totals: {
      scenarios: rows.length,
      implemented: run.length,
      gpuMinutes: round(
        run.reduce((n, r) => n + r.gpuMinutes, 0),
        1
      ),
      costUsd: round(
        run.reduce((n, r) => n + r.costUsd, 0),
        4
      ),
      wallMs: parallelWall(
        run.map((r) => r.wallMs),
        o.maxParallel
      ),
    },
    maxParallel: o.maxParallel,
    timeScale: o.timeScale,
  };
  if (o.budgetUsd !== undefined) {
    const verdict = planVerdict(
      o.budgetUsd,
      run.map((r) => r.costUsd)
    );
    plan.budget = {
      budgetUsd: o.budgetUsd,
      fits: verdict.fits,
      runWhatFits: o.runWhatFits ?? false,
      ...(verdict.fits ? {} : { reason: verdict.reason }),
    };
  }
  return plan;
}

/**
 * The wall time of running `durations` at most `maxParallel` at once, longest first, each starting as soon as a slot
 * is free: what the suite's loop does (src/workflows/suite-order.ts starts the longest expected scenario first).
 */
export function parallelWall(durations: readonly number[], maxParallel: number): number {
  const slots = Array.from({ length: Math.max(1, maxParallel) }, () => 0);
  for (const d of [...durations].sort((a, b) => b - a)) {
    let first = 0;
    for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[first]!) first = i;
    slots[first]! += d;
  }
  return Math.max(...slots);
}

/** Whether a run of this plan would execute nothing: nothing implemented, or refused by the budget. */
export function planRunsNothing(plan: Plan): boolean {
  return plan.totals.implemented === 0 || (!!plan.budget && !plan.budget.fits && !plan.budget.runWhatFits);
}

/** The refined estimates to hand the suite (`estimatesUsd`), so its admission uses the plan's figures. */
export function refinedEstimates(plan: Plan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of plan.rows) if (r.implemented && r.source !== 'catalogue') out[String(r.id)] = r.costUsd;
  return out;
}

function round(n: number, decimals: number): number {
  return Number(n.toFixed(decimals));
}
