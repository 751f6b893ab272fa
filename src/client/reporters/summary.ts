import { scenarioKey } from '../../catalog/types';
import type { CheckOutcome, ScenarioResult, ScenarioStatus, SuiteResult, Target } from '../../workflows/types';

/** DESIGN §7's `summary` object: counts by status, leaked resources, GPU time, cost and wall time. */
export interface ReportSummary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  notImplemented: number;
  /** Distinct leaked resources, suite-level and per-scenario together. */
  leaked: number;
  gpuSeconds: number;
  costUsd: number;
  wallMs: number;
}

/** One entry of the JSON report's `scenarios`: DESIGN §7's fields first, then extras for humans and tools. */
export interface JsonScenarioEntry {
  id: number;
  slug: string;
  status: ScenarioStatus;
  durationMs: number;
  gpuSeconds: number;
  costUsd: number;
  checks: CheckOutcome[];
  error?: string;
  workflowId: string;
  /** `s001-create-rtx-4090`. */
  key: string;
  title: string;
  category: string;
  metrics?: Record<string, number>;
  cleanupErrors?: string[];
  leaked?: string[];
}

/** The JSON report: DESIGN §7's `{ summary, scenarios }` plus the suite's identity and its leaked resources. */
export interface JsonReport {
  summary: ReportSummary;
  suiteId: string;
  target: Target;
  select: string;
  timeScale: number;
  leaked: string[];
  scenarios: JsonScenarioEntry[];
}

/** Suite-level and per-scenario leaked resources, deduplicated, in order of first appearance. */
export function leakedResources(result: SuiteResult): string[] {
  return [...new Set([...result.leaked, ...result.scenarios.flatMap((s) => s.leaked ?? [])])];
}

/** Counts and totals of a suite run; sums are rounded to drop floating-point noise. */
export function summarize(result: SuiteResult): ReportSummary {
  const count = (status: ScenarioStatus) => result.scenarios.filter((s) => s.status === status).length;
  return {
    total: result.scenarios.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    notImplemented: count('not-implemented'),
    leaked: leakedResources(result).length,
    gpuSeconds: round(sum(result.scenarios.map((s) => s.gpuSeconds)), 3),
    costUsd: round(sum(result.scenarios.map((s) => s.costUsd)), 6),
    wallMs: result.wallMs,
  };
}

/** Exit-code rule of DESIGN §7: every selected scenario passed and nothing leaked. */
export function isSuccessful(summary: ReportSummary): boolean {
  return summary.total > 0 && summary.passed === summary.total && summary.leaked === 0;
}

/** The JSON report of DESIGN §7, scenarios ordered by id. */
export function toJsonReport(result: SuiteResult): JsonReport {
  return {
    summary: summarize(result),
    suiteId: result.suiteId,
    target: result.target,
    select: result.select,
    timeScale: result.timeScale,
    leaked: leakedResources(result),
    scenarios: sortById(result.scenarios).map(toEntry),
  };
}

/** Scenarios ordered by id, without touching the input. */
export function sortById(scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  return [...scenarios].sort((a, b) => a.id - b.id);
}

/** Checks that did not pass. */
export function failedChecks(scenario: ScenarioResult): CheckOutcome[] {
  return scenario.checks.filter((c) => !c.ok);
}

/**
 * Why a scenario failed, in one line: its first failed check, else its error, else its first cleanup error,
 * else its first leaked resource. `undefined` when nothing explains it.
 */
export function firstFailure(scenario: ScenarioResult): string | undefined {
  const check = failedChecks(scenario)[0];
  if (check) return `${check.name}: ${check.detail}`;
  if (scenario.error) return scenario.error;
  if (scenario.cleanupErrors?.length) return `cleanup: ${scenario.cleanupErrors[0]}`;
  if (scenario.leaked?.length) return `leaked: ${scenario.leaked[0]}`;
  return undefined;
}

function toEntry(s: ScenarioResult): JsonScenarioEntry {
  // Built in this order so the JSON reads as DESIGN §7 lists the fields; optional ones only when present.
  return {
    id: s.id,
    slug: s.slug,
    status: s.status,
    durationMs: s.durationMs,
    gpuSeconds: s.gpuSeconds,
    costUsd: s.costUsd,
    checks: s.checks,
    ...(s.error !== undefined && { error: s.error }),
    workflowId: s.workflowId,
    key: scenarioKey(s),
    title: s.title,
    category: s.category,
    ...(s.metrics !== undefined && { metrics: s.metrics }),
    ...(!!s.cleanupErrors?.length && { cleanupErrors: s.cleanupErrors }),
    ...(!!s.leaked?.length && { leaked: s.leaked }),
  };
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + (Number.isFinite(v) ? v : 0), 0);
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}
