/**
 * Every workflow type the worker registers. Deterministic code only (lint bans node builtins, clients and
 * wall clocks here); activities are imported as types.
 */
export { SuiteWorkflow, progressQuery } from './suite';
export { ReaperWorkflow } from './reaper';
export * from './scenarios/lifecycle';
