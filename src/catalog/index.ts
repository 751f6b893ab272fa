import { SCENARIOS } from './scenarios';
import type { ScenarioSpec } from './types';

export * from './types';
export { SCENARIOS } from './scenarios';
export { CATEGORY_TOTALS, COST_HIGH_USD, type CategoryTotals } from './estimates';
export {
  formatSelection,
  matchesSelection,
  parseSelection,
  selectScenarios,
  SelectionError,
  type SelectionAst,
} from './selection';

/** The scenario numbered `id` (1..100), or `undefined`. */
export function scenarioById(id: number, catalog: readonly ScenarioSpec[] = SCENARIOS): ScenarioSpec | undefined {
  return catalog.find((spec) => spec.id === id);
}

/** The scenario whose workflow is exported as `type` (e.g. `createRtx4090Scenario`), or `undefined`. */
export function scenarioByWorkflowType(
  type: string,
  catalog: readonly ScenarioSpec[] = SCENARIOS
): ScenarioSpec | undefined {
  return catalog.find((spec) => spec.workflowType === type);
}
