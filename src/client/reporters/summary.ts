import { scenarioKey } from '../../catalog/types';
import type {
  CheckOutcome,
  FinalSweep,
  ScenarioResult,
  ScenarioStatus,
  SuiteResult,
  Target,
} from '../../workflows/types';
import type { ScenarioHistory } from '../history/marks';
import { webUiLink, type ReportContext } from './context';

/** The JSON report's `summary` object (docs/reports.md): counts by status, leaked resources, GPU time, cost and wall time. */
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

/** One entry of the JSON report's `scenarios`: the documented fields first (docs/reports.md), then extras for humans and tools. */
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
  /** What passed but deserves a look (a destroy that had to go through VAST, an unusable list answer…). */
  warnings?: string[];
  /** Platform errors its activities retried in place before succeeding, by activity type (also in its history). */
  retriedInPlace?: { total: number; byActivity: Record<string, number> };
  /** Its workflow's page in the Temporal Web UI, when the report knows the Web UI's address. */
  webUiUrl?: string;
  /** Its recent outcomes (oldest first, this run last) and its mark: flaky, new-failure, fixed, failing, stable. */
  history?: ScenarioHistory;
}

/**
 * The JSON report (docs/reports.md): `{ summary, scenarios }` plus the suite's identity, what is still
 * alive after the final sweep and what the final sweep did.
 */
export interface JsonReport {
  summary: ReportSummary;
  suiteId: string;
  target: Target;
  select: string;
  timeScale: number;
  /** Alive after the suite's final sweep (what to sweep by hand); `summary.leaked` also counts scenarios' leaks. */
  leaked: string[];
  finalSweep: FinalSweep;
  scenarios: JsonScenarioEntry[];
  /** `running`, or how the suite closed, for a report rebuilt from Temporal (`dumont-e2e report`). */
  state?: string;
  /** The run's `--budget-usd`. */
  budgetUsd?: number;
  /** When the report was made (ISO 8601). */
  generatedAt?: string;
}

/**
 * The identity of a resource line (`instance 24000123 dumont-e2e/… (at dumont, vast)` → `instance 24000123`): two
 * audits may see one resource at different witnesses, so lines are matched by kind and id, not by their text.
 */
export function resourceKey(line: string): string {
  return /^(\S+ \d+) /.exec(line)?.[1] ?? line;
}

/**
 * Suite-level and per-scenario leaked resources, one line per distinct resource (by kind and id), in order of first
 * appearance; the suite's line (seen after the final sweep) wins over a scenario's.
 */
export function leakedResources(result: SuiteResult): string[] {
  const byKey = new Map<string, string>();
  for (const line of [...result.leaked, ...result.scenarios.flatMap((s) => s.leaked ?? [])]) {
    if (!byKey.has(resourceKey(line))) byKey.set(resourceKey(line), line);
  }
  return [...byKey.values()];
}

/** The suite's final sweep, empty for results of suites that had none. */
export function finalSweepOf(result: SuiteResult): FinalSweep {
  const sweep = (result as Partial<SuiteResult>).finalSweep;
  return {
    destroyed: sweep?.destroyed ?? [],
    warnings: sweep?.warnings ?? [],
    ...(sweep?.error !== undefined && { error: sweep.error }),
  };
}

/** True when the final sweep destroyed `line`'s resource (a scenario's leftover the sweep caught afterwards). */
export function sweptByFinalSweep(result: SuiteResult, line: string): boolean {
  return finalSweepOf(result).destroyed.some((d) => resourceKey(d) === resourceKey(line));
}

/** `cold start: measured 412 s, limit ≤ 300 s` for a limit check, `undefined` for any other check. */
export function formatMeasured(check: CheckOutcome): string | undefined {
  const m = check.measured;
  if (!m) return undefined;
  const unit = m.unit ? ` ${m.unit}` : '';
  return `measured ${m.value}${unit}, limit ${m.op === '<=' ? '≤' : '≥'} ${m.limit}${unit}`;
}

/** `[cold-start] cold start ≤ 300 s`: a check by its stable id and what it checks. */
export function checkTitle(check: CheckOutcome): string {
  return check.id ? `[${check.id}] ${check.name}` : check.name;
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

/** The exit-code rule (docs/reports.md): every selected scenario passed and nothing leaked. */
export function isSuccessful(summary: ReportSummary): boolean {
  return summary.total > 0 && summary.passed === summary.total && summary.leaked === 0;
}

/** The JSON report (docs/reports.md), scenarios ordered by id; `context` adds history marks, links and state. */
export function toJsonReport(result: SuiteResult, context?: ReportContext): JsonReport {
  return {
    summary: summarize(result),
    suiteId: result.suiteId,
    target: result.target,
    select: result.select,
    timeScale: result.timeScale,
    leaked: [...result.leaked],
    finalSweep: finalSweepOf(result),
    scenarios: sortById(result.scenarios).map((s) => {
      const link = webUiLink(context, s.workflowId);
      const history = context?.history?.[s.id];
      return { ...toEntry(s), ...(link && { webUiUrl: link }), ...(history && { history }) };
    }),
    ...(context?.state !== undefined && { state: context.state }),
    ...(context?.budgetUsd !== undefined && { budgetUsd: context.budgetUsd }),
    ...(context?.generatedAt !== undefined && { generatedAt: context.generatedAt }),
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
 * Why a scenario failed, in one line: its first failed check (`[id] name: detail`), else its error, else its first cleanup error,
 * else its first leaked resource. `undefined` when nothing explains it.
 */
export function firstFailure(scenario: ScenarioResult): string | undefined {
  const check = failedChecks(scenario)[0];
  if (check) return `${checkTitle(check)}: ${check.detail}`;
  if (scenario.error) return scenario.error;
  if (scenario.cleanupErrors?.length) return `cleanup: ${scenario.cleanupErrors[0]}`;
  if (scenario.leaked?.length) return `leaked: ${scenario.leaked[0]}`;
  return undefined;
}

function toEntry(s: ScenarioResult): JsonScenarioEntry {
  // Built in this order so the JSON reads as docs/reports.md lists the fields; optional ones only when present.
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
    ...(!!s.warnings?.length && { warnings: s.warnings }),
    ...(!!s.retriedInPlace?.total && { retriedInPlace: s.retriedInPlace }),
  };
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + (Number.isFinite(v) ? v : 0), 0);
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}
