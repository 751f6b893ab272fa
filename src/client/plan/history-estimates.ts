import type { Target } from '../../workflows/types';
import type { MeasuredScenario } from './plan';

/**
 * Measured figures per scenario from the local run history of earlier runs on `target`, for plans and the budget
 * cap's estimates. The one place the plan reads history: the run history module (`src/client/history/`) is being
 * built beside this (issue 17); until it lands this returns no figures and every estimate is the catalogue's.
 */
export async function measuredScenarios(dataDir: string, target: Target): Promise<Map<number, MeasuredScenario>> {
  void dataDir;
  void target;
  return new Map();
}
