/**
 * The scenario kit: everything a scenario file imports. A scenario is `defineScenario(id, slug, body)` in its own
 * file under `src/workflows/scenarios/<category>/NNN-slug.ts`; see docs/writing-scenarios.md.
 */
export { defineScenario, type ScenarioWorkflow } from './define-scenario';
export type { ScenarioContext } from './context';
export { CheckFailed, must, type LimitCheck } from './checks';
export { failureTypeOf, messageOf } from './saga';
export * from './instance-steps';
export { probeJson } from './probe';
export { countryCodes, EU_COUNTRIES, inEurope } from './geo';
export { isGpuModel, showsGpuModel } from './gpu-names';
export { DESTROY_BOUND_SECONDS, boundedDestroy } from './cleanup';
export { spannedRestart, unwatched, type WatchedBy } from './restarts';
