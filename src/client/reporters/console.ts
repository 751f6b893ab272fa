import { scenarioKey } from '../../catalog/types';
import type { FinalSweep, ScenarioResult, ScenarioStatus, SuiteResult } from '../../workflows/types';
import type { ScenarioHistory } from '../history/marks';
import { formatDuration, formatGpuSeconds, formatUsd } from './format';
import {
  finalSweepOf,
  firstFailure,
  isSuccessful,
  leakedResources,
  resourceKey,
  sortById,
  summarize,
  type ReportSummary,
} from './summary';

/** Console formatting options. */
export interface ConsoleOptions {
  /** ANSI colours; pass `process.stdout.isTTY` or similar. @default false */
  color?: boolean;
}

const LABEL: Record<ScenarioStatus, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  skipped: 'SKIP',
  'not-implemented': 'TODO',
};
const COLOR: Record<ScenarioStatus, number> = { passed: 32, failed: 31, skipped: 33, 'not-implemented': 33 };

/**
 * One line for a finished scenario, e.g.
 * `[ 3/15] PASS s001-create-rtx-4090  12.3s  45.0 GPU-s  $0.0123`; a failure ends with its first failed check
 * (`— [cold-start] cold start ≤ 300 s: …`), a skip with its reason, and a scenario with warnings says how many.
 */
export function formatProgressLine(
  result: ScenarioResult,
  done: number,
  total: number,
  options: ConsoleOptions = {}
): string {
  const width = String(total).length;
  const counter = `[${String(done).padStart(width)}/${total}]`;
  const label = paint(LABEL[result.status], COLOR[result.status], options);
  const parts = [counter, label, scenarioKey(result)];
  if (result.status === 'not-implemented') return [...parts, ' not implemented'].join(' ');
  parts.push(
    ` ${formatDuration(result.durationMs)}`,
    ` ${formatGpuSeconds(result.gpuSeconds)}`,
    ` ${formatUsd(result.costUsd)}`
  );
  const reason =
    result.status === 'skipped' ? result.error : result.status === 'failed' ? firstFailure(result) : undefined;
  if (reason) parts.push(` — ${oneLine(reason)}`);
  const warnings = result.warnings?.length ?? 0;
  if (warnings > 0) parts.push(` (${warnings} ${warnings === 1 ? 'warning' : 'warnings'})`);
  return parts.join(' ');
}

/**
 * A human summary block: counts by status, GPU time, cost, wall time, leaked resources (marking those the final
 * sweep destroyed after their scenario gave up), what the suite's final sweep did, the scenarios' warnings, then
 * each failed scenario with its first failed check, and a verdict (passed only if every scenario passed and
 * nothing leaked). `scenarios`, `leaked` and `finalSweep` are optional so a bare summary can still be printed.
 */
export function formatSummary(
  summary: ReportSummary,
  scenarios: readonly ScenarioResult[] = [],
  leaked: readonly string[] = [],
  options: ConsoleOptions = {},
  finalSweep?: FinalSweep
): string {
  const swept = new Set((finalSweep?.destroyed ?? []).map(resourceKey));
  const lines = [
    `Scenarios: ${summary.total} total, ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped, ${summary.notImplemented} not implemented`,
    `GPU time: ${formatGpuSeconds(summary.gpuSeconds)}   cost: ${formatUsd(summary.costUsd)}   wall: ${formatDuration(summary.wallMs)}`,
    `Leaked resources: ${summary.leaked}`,
    ...leaked.map(
      (r) => `  - ${oneLine(r)}${swept.has(resourceKey(r)) ? ' (destroyed later by the final sweep)' : ''}`
    ),
  ];
  if (finalSweep) lines.push(...finalSweepLines(finalSweep));
  const warned = sortById(scenarios).filter((s) => s.warnings?.length);
  if (warned.length > 0) {
    lines.push('Warnings:');
    for (const s of warned) for (const w of s.warnings ?? []) lines.push(`  ${scenarioKey(s)}: ${oneLine(w)}`);
  }
  const failed = sortById(scenarios).filter((s) => s.status === 'failed');
  if (failed.length > 0) {
    lines.push('Failed:');
    for (const s of failed) lines.push(`  ${scenarioKey(s)}: ${oneLine(firstFailure(s) ?? 'failed')}`);
  }
  const ok = isSuccessful(summary);
  const verdict = ok ? 'PASSED' : summary.failed > 0 || summary.leaked > 0 ? 'FAILED' : 'INCOMPLETE';
  lines.push(`Result: ${paint(verdict, ok ? 32 : 31, options)}`);
  return lines.join('\n');
}

/** {@link formatSummary} of a whole suite result, final sweep included. */
export function formatSuiteSummary(result: SuiteResult, options: ConsoleOptions = {}): string {
  return formatSummary(summarize(result), result.scenarios, leakedResources(result), options, finalSweepOf(result));
}

/** `Final sweep: destroyed 1, 0 warnings` and one line per destroyed resource, warning and the error, if any. */
function finalSweepLines(sweep: FinalSweep): string[] {
  const n = sweep.warnings.length;
  return [
    `Final sweep: destroyed ${sweep.destroyed.length}, ${n} ${n === 1 ? 'warning' : 'warnings'}${sweep.error ? ', gave up' : ''}`,
    ...sweep.destroyed.map((d) => `  destroyed: ${oneLine(d)}`),
    ...sweep.warnings.map((w) => `  warning: ${oneLine(w)}`),
    ...(sweep.error ? [`  error: ${oneLine(sweep.error)}`] : []),
  ];
}

function paint(text: string, code: number, options: ConsoleOptions): string {
  return options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** One terminal line: breaks become a visible marker and control characters (bells, escapes) are dropped. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\s*\n\s*/g, ' ⏎ ').replace(/[\u0000-\u001F\u007F]/g, '');
}

/**
 * History lines for the console: each scenario whose mark is not `stable`, with its recent outcomes
 * (`  s001-create-rtx-4090: flaky ✓✗✓`); empty when every scenario is stable or there is no history.
 */
export function formatHistoryMarks(
  scenarios: readonly ScenarioResult[],
  history: Record<number, ScenarioHistory> | undefined
): string[] {
  const marked = sortById(scenarios).filter((s) => {
    const mark = history?.[s.id]?.mark;
    return mark !== undefined && mark !== 'stable';
  });
  if (marked.length === 0) return [];
  const trail = (h: ScenarioHistory) =>
    h.outcomes.map((o) => (o.status === 'passed' ? '✓' : o.status === 'failed' ? '✗' : '·')).join('');
  return ['History:', ...marked.map((s) => `  ${scenarioKey(s)}: ${history![s.id]!.mark} ${trail(history![s.id]!)}`)];
}
