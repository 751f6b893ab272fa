import { scenarioKey } from '../../catalog/types';
import type { ScenarioResult, SuiteResult } from '../../workflows/types';
import { escapeXmlAttr, escapeXmlText, groupByCategory } from './format';
import { failedChecks, leakedResources } from './summary';
import { writeTextFile } from './write-file';

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
 * `<failure>` listing their failed checks, error, cleanup errors and leaks; skipped and not-implemented ones get
 * `<skipped>` (never counted as passed). Resources leaked at suite level add a failing `cleanup` test case, so CI
 * goes red on a leak even when every scenario passed.
 */
export function toJunitXml(result: SuiteResult): string {
  const suites = groupByCategory(result.scenarios).map(([category, scenarios]) =>
    categorySuite(category, scenarios, result)
  );
  const leaked = leakedResources(result);
  if (result.leaked.length > 0) suites.push(cleanupSuite(leaked, result));
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
export function writeJunitReport(result: SuiteResult, file: string): Promise<string> {
  return writeTextFile(file, toJunitXml(result));
}

function categorySuite(category: string, scenarios: ScenarioResult[], result: SuiteResult) {
  const counts: Counts = {
    tests: scenarios.length,
    failures: scenarios.filter((s) => s.status === 'failed').length,
    skipped: scenarios.filter((s) => s.status === 'skipped' || s.status === 'not-implemented').length,
    seconds: scenarios.reduce((total, s) => total + s.durationMs / 1000, 0),
  };
  const xml = [
    `  <testsuite name="${escapeXmlAttr(category)}" ${countAttrs(counts)}>`,
    properties(result),
    ...scenarios.map((s) => testCase(category, s)),
    '  </testsuite>',
  ].join('\n');
  return { counts, xml };
}

function testCase(category: string, s: ScenarioResult): string {
  const open = `    <testcase classname="${escapeXmlAttr(`${JUNIT_CLASSNAME_PREFIX}.${category}`)}" name="${escapeXmlAttr(
    `${scenarioKey(s)} ${s.title}`
  )}" time="${seconds(s.durationMs)}">`;
  const body: string[] = [];
  if (s.status === 'failed') body.push(failure(s));
  if (s.status === 'not-implemented') body.push('      <skipped message="not implemented"/>');
  if (s.status === 'skipped') body.push(`      <skipped message="${escapeXmlAttr(s.error ?? 'skipped')}"/>`);
  const out = systemOut(s);
  if (out) body.push(`      <system-out>${escapeXmlText(out)}</system-out>`);
  return [open, ...body, '    </testcase>'].join('\n');
}

function failure(s: ScenarioResult): string {
  const lines = [
    ...failedChecks(s).map((c) => `check ${c.name} failed: ${c.detail}`),
    ...(s.error ? [`error: ${s.error}`] : []),
    ...(s.cleanupErrors ?? []).map((e) => `cleanup error: ${e}`),
    ...(s.leaked ?? []).map((r) => `leaked: ${r}`),
  ];
  if (lines.length === 0) lines.push('scenario failed');
  const message = truncate(lines.join('; '));
  return `      <failure message="${escapeXmlAttr(message)}" type="ScenarioFailed">${escapeXmlText(lines.join('\n'))}</failure>`;
}

/** Every check and metric, passed or not, so a CI log shows what was verified. */
function systemOut(s: ScenarioResult): string {
  const lines = s.checks.map((c) => `[${c.ok ? 'ok' : 'FAILED'}] ${c.name}: ${c.detail}`);
  for (const [name, value] of Object.entries(s.metrics ?? {})) lines.push(`metric ${name} = ${value}`);
  lines.push(`workflow ${s.workflowId}; GPU ${s.gpuSeconds} s; cost $${s.costUsd}`);
  return lines.join('\n');
}

function cleanupSuite(leaked: string[], result: SuiteResult) {
  const counts: Counts = { tests: 1, failures: 1, skipped: 0, seconds: 0 };
  const message = truncate(`${leaked.length} resource(s) leaked: ${leaked.join(', ')}`);
  const xml = [
    `  <testsuite name="cleanup" ${countAttrs(counts)}>`,
    properties(result),
    `    <testcase classname="${JUNIT_CLASSNAME_PREFIX}.cleanup" name="no leaked resources" time="0.000">`,
    `      <failure message="${escapeXmlAttr(message)}" type="ResourcesLeaked">${escapeXmlText(leaked.join('\n'))}</failure>`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
  return { counts, xml };
}

function properties(result: SuiteResult): string {
  const props: Array<[string, string]> = [
    ['suiteId', result.suiteId],
    ['target', result.target],
    ['select', result.select],
    ['timeScale', String(result.timeScale)],
  ];
  const items = props.map(([name, value]) => `      <property name="${name}" value="${escapeXmlAttr(value)}"/>`);
  return ['    <properties>', ...items, '    </properties>'].join('\n');
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
