import { scenarioKey } from '../../catalog/types';
import type { CheckOutcome, ScenarioResult, SuiteResult } from '../../workflows/types';
import { escapeXmlAttr, escapeXmlText, groupByCategory } from './format';
import { checkTitle, failedChecks, finalSweepOf, formatMeasured, leakedResources, sweptByFinalSweep } from './summary';
import { writeTextFile } from './write-file';
import type { ScenarioHistory } from '../history/marks';
import type { ReportContext } from './context';

/** Class name prefix of every test case: `dumont-e2e.<category>`. */
export const JUNIT_CLASSNAME_PREFIX = 'dumont-e2e';

/** Attribute values are capped so one huge error does not make the report unreadable in CI; the body keeps it all. */
const MAX_MESSAGE_CHARS = 2000;

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
  seconds: number;
}

/**
 * The suite as JUnit XML: one `<testsuite>` per category, one `<testcase>` per scenario. Failed scenarios get a
 * `<failure>` listing their failed checks (`[id] name`), error, cleanup errors and leaks; skipped and
 * not-implemented ones get `<skipped>` (never counted as passed). Every scenario's checks (with measured values
 * against their limits), metrics and warnings are in its `<system-out>`; limit checks and warnings are also
 * test case `<properties>`. A last `cleanup` suite holds one test case, `no leaked resources`, whose
 * `<system-out>` says what the suite's final sweep destroyed, its warnings and its error; it fails when anything
 * is still alive at suite level, so CI goes red on a leak even when every scenario passed.
 */
export function toJunitXml(result: SuiteResult, context?: ReportContext): string {
  const suites = groupByCategory(result.scenarios).map(([category, scenarios]) =>
    categorySuite(category, scenarios, result, context)
  );
  suites.push(cleanupSuite(result));
  const total = suites.reduce(
    (acc, s) => ({
      tests: acc.tests + s.counts.tests,
      failures: acc.failures + s.counts.failures,
      skipped: acc.skipped + s.counts.skipped,
      seconds: acc.seconds + s.counts.seconds,
    }),
    { tests: 0, failures: 0, skipped: 0, seconds: 0 }
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${JUNIT_CLASSNAME_PREFIX}" ${countAttrs({ ...total, seconds: result.wallMs / 1000 })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

/** Writes {@link toJunitXml} to `file`; resolves to its absolute path. */
export function writeJunitReport(result: SuiteResult, file: string, context?: ReportContext): Promise<string> {
  return writeTextFile(file, toJunitXml(result, context));
}

function categorySuite(
  category: string,
  scenarios: ScenarioResult[],
  result: SuiteResult,
  context: ReportContext | undefined
) {
  const checks = scenarios.flatMap((s) => s.checks);
  const counts: Counts = {
    tests: scenarios.length + checks.length,
    failures: scenarios.filter((s) => s.status === 'failed').length + checks.filter((c) => !c.ok).length,
    skipped: scenarios.filter((s) => s.status === 'skipped' || s.status === 'not-implemented').length,
    seconds: scenarios.reduce((total, s) => total + s.durationMs / 1000, 0),
  };
  const xml = [
    `  <testsuite name="${escapeXmlAttr(category)}" ${countAttrs(counts)}>`,
    properties(result),
    ...scenarios.flatMap((s) => [
      testCase(category, s, context?.history?.[s.id]),
      ...s.checks.map((c) => checkCase(category, s, c)),
    ]),
    '  </testsuite>',
  ].join('\n');
  return { counts, xml };
}

/**
 * One test case per check, after its scenario's (classname `dumont-e2e.<category>.<scenario key>`, name
 * `[id] what it checks`), so CI lists which check broke; it takes no time of its own.
 */
function checkCase(category: string, s: ScenarioResult, c: CheckOutcome): string {
  const classname = `${JUNIT_CLASSNAME_PREFIX}.${category}.${scenarioKey(s)}`;
  const open = `    <testcase classname="${escapeXmlAttr(classname)}" name="${escapeXmlAttr(checkTitle(c))}" time="0.000">`;
  if (c.ok) return `${open.slice(0, -1)}/>`;
  const measured = formatMeasured(c);
  const text = `${c.detail}${measured ? ` (${measured})` : ''}`;
  return [
    open,
    `      <failure message="${escapeXmlAttr(truncate(text || 'check failed'))}" type="CheckFailed">${escapeXmlText(text)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

function testCase(category: string, s: ScenarioResult, history: ScenarioHistory | undefined): string {
  const open = `    <testcase classname="${escapeXmlAttr(`${JUNIT_CLASSNAME_PREFIX}.${category}`)}" name="${escapeXmlAttr(
    `${scenarioKey(s)} ${s.title}`
  )}" time="${seconds(s.durationMs)}">`;
  const body: string[] = [];
  const props = [...caseProperties(s), ...historyProperties(history)];
  if (props.length) body.push('      <properties>', ...props, '      </properties>');
  if (s.status === 'failed') body.push(failure(s));
  if (s.status === 'not-implemented') body.push('      <skipped message="not implemented"/>');
  if (s.status === 'skipped') body.push(`      <skipped message="${escapeXmlAttr(s.error ?? 'skipped')}"/>`);
  const out = systemOut(s);
  if (out) body.push(`      <system-out>${escapeXmlText(out)}</system-out>`);
  return [open, ...body, '    </testcase>'].join('\n');
}

function failure(s: ScenarioResult): string {
  const lines = [
    ...failedChecks(s).map((c) => `check ${checkTitle(c)} failed: ${c.detail}`),
    ...(s.error ? [`error: ${s.error}`] : []),
    ...(s.cleanupErrors ?? []).map((e) => `cleanup error: ${e}`),
    ...(s.leaked ?? []).map((r) => `leaked: ${r}`),
  ];
  if (lines.length === 0) lines.push('scenario failed');
  const message = truncate(lines.join('; '));
  return `      <failure message="${escapeXmlAttr(message)}" type="ScenarioFailed">${escapeXmlText(lines.join('\n'))}</failure>`;
}

/** `[ok] [cold-start] cold start ≤ 300 s: cold start 212 s ≤ 300 s (measured 212 s, limit ≤ 300 s)` */
function checkLine(c: CheckOutcome): string {
  const measured = formatMeasured(c);
  return `[${c.ok ? 'ok' : 'FAILED'}] ${checkTitle(c)}: ${c.detail}${measured ? ` (${measured})` : ''}`;
}

/** Every check, metric and warning, passed or not, so a CI log shows what was verified and what deserves a look. */
function systemOut(s: ScenarioResult): string {
  const lines = s.checks.map(checkLine);
  for (const [name, value] of Object.entries(s.metrics ?? {})) lines.push(`metric ${name} = ${value}`);
  for (const warning of s.warnings ?? []) lines.push(`warning: ${warning}`);
  lines.push(`workflow ${s.workflowId}; GPU ${s.gpuSeconds} s; cost $${s.costUsd}`);
  return lines.join('\n');
}

/** Limit checks as `check.<id>` = `measured …, limit …`, and each warning as `warning`, for tools that read them. */
function caseProperties(s: ScenarioResult): string[] {
  const props: Array<[string, string]> = [];
  for (const c of s.checks) {
    const measured = formatMeasured(c);
    if (measured) props.push([`check.${c.id || c.name}`, `${c.ok ? 'ok' : 'FAILED'}: ${measured}`]);
  }
  for (const warning of s.warnings ?? []) props.push(['warning', warning]);
  return props.map(([name, value]) => `        ${property(name, value)}`);
}

/**
 * The history mark as properties: `mark` (flaky, new-failure, fixed, failing, stable), `flaky` / `new-failure` =
 * `true` for the tools that look for those names, and `history`: recent outcomes oldest first (`passed,failed,passed`).
 */
function historyProperties(history: ScenarioHistory | undefined): string[] {
  if (!history) return [];
  const props: Array<[string, string]> = [];
  if (history.mark) props.push(['mark', history.mark]);
  if (history.mark === 'flaky' || history.mark === 'new-failure') props.push([history.mark, 'true']);
  props.push(['history', history.outcomes.map((o) => o.status).join(',')]);
  return props.map(([name, value]) => `        ${property(name, value)}`);
}

function cleanupSuite(result: SuiteResult) {
  const alive = result.leaked;
  const sweep = finalSweepOf(result);
  const counts: Counts = { tests: 1, failures: alive.length > 0 ? 1 : 0, skipped: 0, seconds: 0 };
  const leaked = leakedResources(result);
  const out = [
    `final sweep: destroyed ${sweep.destroyed.length}, ${sweep.warnings.length} warning(s)${sweep.error ? ', gave up' : ''}`,
    ...sweep.destroyed.map((d) => `destroyed: ${d}`),
    ...sweep.warnings.map((w) => `warning: ${w}`),
    ...(sweep.error ? [`error: ${sweep.error}`] : []),
    ...leaked
      .filter((r) => !alive.includes(r))
      .map(
        (r) =>
          `leaked by its scenario: ${r}${sweptByFinalSweep(result, r) ? ' (destroyed later by the final sweep)' : ''}`
      ),
  ];
  const body: string[] = [];
  if (alive.length > 0) {
    const message = truncate(`${alive.length} resource(s) leaked: ${alive.join(', ')}`);
    const text = [...alive, ...(sweep.error ? [`final sweep: ${sweep.error}`] : [])].join('\n');
    body.push(
      `      <failure message="${escapeXmlAttr(message)}" type="ResourcesLeaked">${escapeXmlText(text)}</failure>`
    );
  }
  body.push(`      <system-out>${escapeXmlText(out.join('\n'))}</system-out>`);
  const sweepProps: Array<[string, string]> = [
    ['finalSweep.destroyed', String(sweep.destroyed.length)],
    ['finalSweep.warnings', String(sweep.warnings.length)],
    ...(sweep.error ? ([['finalSweep.error', sweep.error]] as Array<[string, string]>) : []),
  ];
  const xml = [
    `  <testsuite name="cleanup" ${countAttrs(counts)}>`,
    properties(result, sweepProps),
    `    <testcase classname="${JUNIT_CLASSNAME_PREFIX}.cleanup" name="no leaked resources" time="0.000">`,
    ...body,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
  return { counts, xml };
}

function properties(result: SuiteResult, extra: Array<[string, string]> = []): string {
  const props: Array<[string, string]> = [
    ['suiteId', result.suiteId],
    ['target', result.target],
    ['select', result.select],
    ['timeScale', String(result.timeScale)],
    ...extra,
  ];
  return [
    '    <properties>',
    ...props.map(([name, value]) => `      ${property(name, value)}`),
    '    </properties>',
  ].join('\n');
}

function property(name: string, value: string): string {
  return `<property name="${escapeXmlAttr(name)}" value="${escapeXmlAttr(truncate(value))}"/>`;
}

function countAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}" time="${c.seconds.toFixed(3)}"`;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text;
}
