/**
 * The scenario test cases, derived from the catalog and the simulator's defect registry — nothing here is a
 * hand-kept list: implementing a scenario and declaring its defect makes its cases exist.
 */
import { SCENARIOS } from '../../src/catalog';
import { CATEGORIES, type ScenarioSpec } from '../../src/catalog/types';
import { scenarioPrefix } from '../../src/labels';
import { DEFECTS } from '../../src/sim/defect-registry';
import type { RunningSim } from '../../src/sim';

export const IMPLEMENTED: ScenarioSpec[] = SCENARIOS.filter((s) => s.workflowType);

/** Every declared defect of an implemented scenario, with the scenario it must fail. */
export const DEFECT_CASES = Object.values(DEFECTS)
  .filter((d) => IMPLEMENTED.some((s) => s.id === d.scenario))
  .map((d) => ({ defect: d, spec: IMPLEMENTED.find((s) => s.id === d.scenario)! }));

/** Categories with at least one implemented scenario, each with those scenarios. */
export const IMPLEMENTED_CATEGORIES = CATEGORIES.map((category) => ({
  category,
  scenarios: IMPLEMENTED.filter((s) => s.category === category),
})).filter((c) => c.scenarios.length > 0);

/** A suite id of at most 28 plain characters (so labels carry it as is), unique per case. */
export function caseSuiteId(tag: string, defect: string): string {
  return `${tag}-${defect}`.slice(0, 28).replace(/-+$/, '');
}

/** What the simulator still holds under `prefix`: instances, volumes (account SSH keys are checked separately). */
export function liveUnder(sim: RunningSim, prefix: string): string[] {
  const state = sim.state();
  return [
    ...state.instances.filter((i) => i.label?.startsWith(prefix)).map((i) => `instance ${i.id} ${i.label}`),
    ...state.volumes.filter((v) => v.label?.startsWith(prefix)).map((v) => `volume ${v.id} ${v.label}`),
  ];
}

export { scenarioPrefix };
