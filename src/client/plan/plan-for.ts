import { selectScenarios } from '../../catalog/selection';
import type { Target } from '../../workflows/types';
import { shown, UsageError } from '../commands/usage';
import { measuredScenarios } from './history-estimates';
import { buildPlan, type Plan } from './plan';

/** What `plan` and `run` know before anything starts. */
export interface PlanRequest {
  select: string;
  target: Target;
  maxParallel: number;
  timeScale: number;
  budgetUsd?: number;
  runWhatFits?: boolean;
  /** Where the run history is (the configuration's data directory). */
  dataDir: string;
}

/** The plan of a run: the selection (a bad one is a {@link UsageError}) with estimates refined by history. */
export async function planFor(r: PlanRequest): Promise<Plan> {
  let specs;
  try {
    specs = selectScenarios(r.select);
  } catch (err) {
    throw new UsageError(`--select ${shown('select', r.select)}: ${(err as Error).message}`);
  }
  return buildPlan(specs, {
    maxParallel: r.maxParallel,
    timeScale: r.timeScale,
    history: await measuredScenarios(r.dataDir, r.target),
    ...(r.budgetUsd !== undefined ? { budgetUsd: r.budgetUsd } : {}),
    ...(r.runWhatFits ? { runWhatFits: true } : {}),
  });
}
