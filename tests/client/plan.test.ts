/**
 * The plan of a run (`dumont-e2e plan`, `run --dry-run`): catalogue estimates, refined by measured history where
 * there is some, totals and parallel wall time, the budget's verdict; and the exit-code rule of a run that executed
 * no scenario (5, as pytest's "no tests collected").
 */
import { describe, expect, it } from 'vitest';
import { selectScenarios } from '../../src/catalog/selection';
import { SCENARIOS } from '../../src/catalog';
import { EXIT, runExitCode } from '../../src/client/exit-codes';
import { formatPlan } from '../../src/client/plan/format-plan';
import { buildPlan, parallelWall, planRunsNothing, refinedEstimates } from '../../src/client/plan/plan';

const none = new Map();

describe('plan', () => {
  it('adds the catalogue estimates of the selection', () => {
    const specs = selectScenarios('lifecycle');
    const plan = buildPlan(specs, { maxParallel: 4, timeScale: 0.02, history: none });
    const cost = specs.reduce((n, s) => n + s.estimate.costUsd, 0);
    const minutes = specs.reduce((n, s) => n + s.estimate.gpuMinutes, 0);
    expect(plan.totals.costUsd).toBeCloseTo(cost, 4);
    expect(plan.totals.gpuMinutes).toBeCloseTo(minutes, 1);
    expect(plan.totals.implemented).toBe(specs.filter((s) => s.workflowType).length);
    expect(plan.rows.every((r) => r.source === 'catalogue')).toBe(true);
    expect(refinedEstimates(plan)).toEqual({});
  });

  it('prefers the measured figures of earlier runs and says so', () => {
    const specs = selectScenarios('1-2');
    const history = new Map([[2, { runs: 3, medianDurationMs: 20_000, meanGpuSeconds: 120, meanCostUsd: 0.012 }]]);
    const plan = buildPlan(specs, { maxParallel: 1, timeScale: 0.02, history });
    expect(plan.rows[0]).toMatchObject({ id: 1, source: 'catalogue', costUsd: SCENARIOS[0]!.estimate.costUsd });
    expect(plan.rows[1]).toMatchObject({
      id: 2,
      source: 'history (3 runs)',
      costUsd: 0.012,
      gpuMinutes: 2,
      wallMs: 20_000,
    });
    expect(refinedEstimates(plan)).toEqual({ '2': 0.012 });
    // One at a time: the run's wall time is the sum.
    expect(plan.totals.wallMs).toBe(plan.rows[0]!.wallMs + 20_000);
  });

  it('computes the wall time of a run with N at once as the suite schedules it', () => {
    expect(parallelWall([10, 10, 10, 10], 4)).toBe(10);
    expect(parallelWall([10, 10, 10, 10], 2)).toBe(20);
    expect(parallelWall([30, 10, 10, 10], 2)).toBe(30);
    // Longest first, as the suite starts them: the long one last in the selection does not end the run alone.
    expect(parallelWall([10, 10, 10, 30], 2)).toBe(30);
    expect(parallelWall([], 4)).toBe(0);
  });

  it('says whether the plan fits the budget, and refuses one over it unless it runs what fits', () => {
    const specs = selectScenarios('1-3');
    const cost = specs.reduce((n, s) => n + s.estimate.costUsd, 0);
    const fits = buildPlan(specs, { maxParallel: 4, timeScale: 1, history: none, budgetUsd: cost });
    expect(fits.budget).toMatchObject({ fits: true });
    expect(planRunsNothing(fits)).toBe(false);
    const over = buildPlan(specs, { maxParallel: 4, timeScale: 1, history: none, budgetUsd: cost - 0.01 });
    expect(over.budget).toMatchObject({ fits: false });
    expect(planRunsNothing(over)).toBe(true);
    expect(formatPlan(over)).toMatch(/refused: the plan's estimate of \$[\d.]+ exceeds the budget/);
    const partial = buildPlan(specs, {
      maxParallel: 4,
      timeScale: 1,
      history: none,
      budgetUsd: cost - 0.01,
      runWhatFits: true,
    });
    expect(planRunsNothing(partial)).toBe(false);
    expect(formatPlan(partial)).toMatch(/--run-what-fits starts only the scenarios that fit/);
  });
});

describe('exit code of a finished run', () => {
  it('is 5 when no scenario was executed, 1 on a failure or leak first, 0 only when all ran and passed', () => {
    expect(runExitCode({ passed: 3, failed: 0, skipped: 0, leaked: 0 })).toBe(EXIT.ok);
    expect(runExitCode({ passed: 0, failed: 0, skipped: 4, leaked: 0 })).toBe(EXIT.nothingRan);
    expect(runExitCode({ passed: 0, failed: 0, skipped: 0, leaked: 0 })).toBe(EXIT.nothingRan);
    expect(runExitCode({ passed: 2, failed: 0, skipped: 1, leaked: 0 })).toBe(EXIT.failed);
    expect(runExitCode({ passed: 0, failed: 1, skipped: 3, leaked: 0 })).toBe(EXIT.failed);
    // Nothing ran, but the final sweep found something alive: a leak is worse than an empty run.
    expect(runExitCode({ passed: 0, failed: 0, skipped: 2, leaked: 1 })).toBe(EXIT.failed);
    expect(EXIT.nothingRan).toBe(5);
  });
});
