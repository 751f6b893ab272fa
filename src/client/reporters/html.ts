import { scenarioKey } from '../../catalog/types';
import type { CheckOutcome, FinalSweep, ScenarioResult, SuiteResult } from '../../workflows/types';
import { escapeHtml as h, formatDuration, formatGpuSeconds, formatUsd, groupByCategory } from './format';
import { webUiLink, type ReportContext } from './context';
import {
  costSection,
  filtersSection,
  historyCell,
  leaksSection,
  measuredCell,
  rowData,
  timelineSection,
} from './html-sections';
import { FILTER_SCRIPT } from './html-script';
import { HTML_STYLE } from './html-style';
import { finalSweepOf, formatMeasured, isSuccessful, leakedResources, summarize, type ReportSummary } from './summary';
import { writeTextFile } from './write-file';

/**
 * One self-contained HTML page that works offline (inline CSS and one inline script for the filters, nothing
 * fetched; the only links are to the Temporal Web UI): leaked resources in red at the top (kind, id, label),
 * summary cards, filters (category, marker, status, history mark), cost per category against the seed's estimate
 * and the budget, the run's timeline (phases per scenario, from the workflow histories), what the final sweep
 * destroyed, and a table per category with status, history (mark, recent outcomes, duration and cost trends),
 * duration, GPU-seconds, cost, measured values, a Web UI link, and the checks behind a `<details>`. Every value
 * from the run is HTML-escaped.
 */
export function toHtmlReport(result: SuiteResult, context?: ReportContext): string {
  const summary = summarize(result);
  const leaked = leakedResources(result);
  const state = context?.state && context.state !== 'completed' ? ` <small>(suite ${h(context.state)})</small>` : '';
  const verdict = isSuccessful(summary) ? '<b class="verdict-ok">passed</b>' : '<b class="verdict-ko">not passed</b>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dumont-e2e ${h(result.suiteId)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>dumont-e2e suite ${h(result.suiteId)}: ${verdict}${state}</h1>
<div class="meta">target <b>${h(result.target)}</b> · selection <code>${h(result.select || 'all')}</code> · time scale ${h(String(result.timeScale))}${
    context?.generatedAt ? ` · generated ${h(context.generatedAt)}` : ''
  }</div>
${leaksSection(result, leaked)}
${cards(summary, warningCount(result))}
${filtersSection(result, context)}
${costSection(result, context?.budgetUsd)}
${timelineSection(result, context?.timeline)}
${finalSweepSection(finalSweepOf(result))}
${groupByCategory(result.scenarios)
  .map(([category, scenarios]) => categoryTable(category, scenarios, context))
  .join('\n')}
<script>${FILTER_SCRIPT}</script>
</body>
</html>
`;
}

/** Writes {@link toHtmlReport} to `file`; resolves to its absolute path. */
export function writeHtmlReport(result: SuiteResult, file: string, context?: ReportContext): Promise<string> {
  return writeTextFile(file, toHtmlReport(result, context));
}

function warningCount(result: SuiteResult): number {
  return result.scenarios.reduce((n, s) => n + (s.warnings?.length ?? 0), 0) + finalSweepOf(result).warnings.length;
}

function cards(s: ReportSummary, warnings: number): string {
  const items: Array<[string, string]> = [
    ['total', String(s.total)],
    ['passed', String(s.passed)],
    ['failed', String(s.failed)],
    ['skipped', String(s.skipped)],
    ['not implemented', String(s.notImplemented)],
    ['leaked', String(s.leaked)],
    ['warnings', String(warnings)],
    ['GPU time', formatGpuSeconds(s.gpuSeconds)],
    ['cost', formatUsd(s.costUsd)],
    ['wall time', formatDuration(s.wallMs)],
  ];
  return `<div class="cards">${items.map(([label, value]) => `<div class="card"><b>${h(value)}</b><span>${h(label)}</span></div>`).join('')}</div>`;
}

function finalSweepSection(sweep: FinalSweep): string {
  const destroyed = sweep.destroyed.length
    ? `<ul>${sweep.destroyed.map((d) => `<li>${h(d)}</li>`).join('')}</ul>`
    : '<p>nothing left to destroy</p>';
  const warnings = sweep.warnings.map((w) => `<li class="warn">⚠ ${h(w)}</li>`).join('');
  return `<h2 id="final-sweep">Final sweep</h2>
<p>destroyed ${sweep.destroyed.length} · ${sweep.warnings.length} warning(s)${sweep.error ? ' · <b class="verdict-ko">gave up</b>' : ''}</p>
${destroyed}${warnings ? `<ul>${warnings}</ul>` : ''}${sweep.error ? `<pre>${h(`error: ${sweep.error}`)}</pre>` : ''}`;
}

function categoryTable(category: string, scenarios: ScenarioResult[], context: ReportContext | undefined): string {
  const passed = scenarios.filter((s) => s.status === 'passed').length;
  return `<section class="category" data-category="${h(category)}"><h2>${h(category)} <small>(${passed}/${scenarios.length} passed)</small></h2>
<table>
<thead><tr><th>#</th><th>scenario</th><th>status</th><th>history</th><th>duration</th><th>GPU-s</th><th>cost</th><th>measured</th><th>checks</th></tr></thead>
<tbody>
${scenarios.map((s) => row(s, context)).join('\n')}
</tbody>
</table></section>`;
}

function row(s: ScenarioResult, context: ReportContext | undefined): string {
  const history = context?.history?.[s.id];
  const link = webUiLink(context, s.workflowId);
  const ui = link
    ? `<br><a class="web-ui" href="${h(link)}" target="_blank" rel="noopener">workflow in the Web UI</a>`
    : '';
  return `<tr id="${h(scenarioKey(s))}" ${rowData(s, history)}><td class="num">${s.id}</td><td><b>${h(s.slug)}</b><br>${h(s.title)}${ui}</td>
<td><span class="status ${h(s.status)}">${h(s.status)}</span></td><td>${historyCell(history)}</td><td class="num">${h(formatDuration(s.durationMs))}</td>
<td class="num">${h(s.gpuSeconds.toFixed(1))}</td><td class="num">${h(formatUsd(s.costUsd))}</td><td>${measuredCell(s)}</td><td>${checks(s)}</td></tr>`;
}

function checkItem(c: CheckOutcome): string {
  const id = c.id ? `<code class="check-id">[${h(c.id)}]</code> ` : '';
  const measured = formatMeasured(c);
  return `<li class="${c.ok ? 'ok' : 'ko'}">${c.ok ? '✔' : '✘'} ${id}<b>${h(c.name)}</b>: ${h(c.detail)}${
    measured ? ` <span class="measured">(${h(measured)})</span>` : ''
  }</li>`;
}

function checks(s: ScenarioResult): string {
  const ok = s.checks.filter((c) => c.ok).length;
  const items = s.checks.map(checkItem);
  const warnings = (s.warnings ?? []).map((w) => `<li class="warn">⚠ ${h(w)}</li>`);
  const problems = [
    ...(s.error ? [`error: ${s.error}`] : []),
    ...(s.cleanupErrors ?? []).map((e) => `cleanup error: ${e}`),
    ...(s.leaked ?? []).map((r) => `leaked: ${r}`),
  ];
  const metrics = Object.entries(s.metrics ?? {}).map(([k, v]) => `<li>${h(k)} = ${h(String(v))}</li>`);
  const open = s.status === 'failed' ? ' open' : '';
  const warned = warnings.length ? ` · <span class="warn">${warnings.length} warning(s)</span>` : '';
  return `<details${open}><summary>${ok}/${s.checks.length} checks passed${warned}</summary>${
    items.length ? `<ul>${items.join('')}</ul>` : ''
  }${warnings.length ? `<ul>${warnings.join('')}</ul>` : ''}${metrics.length ? `<ul>${metrics.join('')}</ul>` : ''}${problems.length ? `<pre>${h(problems.join('\n'))}</pre>` : ''}<div>workflow <code>${h(
    s.workflowId
  )}</code></div></details>`;
}
