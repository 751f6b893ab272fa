/**
 * Every workflow type the worker registers. Deterministic code only (lint bans node builtins, clients and
 * wall clocks here); activities are imported as types. Scenario workflows come from their own files, listed in
 * the generated `scenarios/index.ts` (scripts/index-scenarios.cjs).
 */
export { SuiteWorkflow, progressQuery } from './suite';
export { ReaperWorkflow } from './reaper';
export * from './scenarios';
