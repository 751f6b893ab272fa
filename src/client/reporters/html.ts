import { scenarioKey } from '../../catalog/types';
import type { CheckOutcome, FinalSweep, ScenarioResult, SuiteResult } from '../../workflows/types';
import { escapeHtml as h, formatDuration, formatGpuSeconds, formatUsd, groupByCategory } from './format';
import {
  finalSweepOf,
  formatMeasured,
  isSuccessful,
  leakedResources,
  summarize,
  sweptByFinalSweep,
  type ReportSummary,
} from './summary';
import { writeTextFile } from './write-file';
import type { ReportContext } from './context';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2329;background:#f6f8fa}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;text-transform:capitalize}
.meta{color:#57606a;margin-bottom:16px}.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:20px}.card span{color:#57606a;font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2}td.num{text-align:right;white-space:nowrap}
.status{font-weight:600;border-radius:4px;padding:1px 6px;white-space:nowrap}
.passed{background:#dafbe1;color:#116329}.failed{background:#ffebe9;color:#a40e26}
.skipped,.not-implemented{background:#fff8c5;color:#7d4e00}
details ul{margin:6px 0;padding-left:18px}li.ok{color:#116329}li.ko{color:#a40e26}
pre{white-space:pre-wrap;margin:6px 0;color:#a40e26}.verdict-ok{color:#116329}.verdict-ko{color:#a40e26}
code.check-id{color:#57606a}.measured{color:#57606a;white-space:nowrap}li.warn,.warn{color:#7d4e00}
`;

/**
 * One self-contained HTML page (inline CSS, no scripts, nothing fetched): summary cards, leaked resources, what the
 * suite's final sweep destroyed (its warnings and error), and a table per category with status, duration,
 * GPU-seconds, cost, and the checks (by id, with measured values against their limits) and warnings behind a
 * `<details>`. Every value from the run is HTML-escaped.
 */
export function toHtmlReport(result: SuiteResult, context?: ReportContext): string {
  void context;
  const summary = summarize(result);
  const leaked = leakedResources(result);
  const swept = (r: string) => (sweptByFinalSweep(result, r) ? ' <i>(destroyed later by the final sweep)</i>' : '');
  const verdict = isSuccessful(summary) ? '<b class="verdict-ok">passed</b>' : '<b class="verdict-ko">not passed</b>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dumont-e2e ${h(result.suiteId)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>dumont-e2e suite ${h(result.suiteId)}: ${verdict}</h1>
<div class="meta">target <b>${h(result.target)}</b> · selection <code>${h(result.select || 'all')}</code> · time scale ${h(String(result.timeScale))}</div>
${cards(summary, warningCount(result))}
${leaked.length > 0 ? `<h2>Leaked resources</h2>\n<ul>${leaked.map((r) => `<li>${h(r)}${swept(r)}</li>`).join('')}</ul>` : ''}
${finalSweepSection(finalSweepOf(result))}
${groupByCategory(result.scenarios)
  .map(([category, scenarios]) => categoryTable(category, scenarios))
  .join('\n')}
</body>
</html>
`;
}

/** Writes {@link toHtmlReport} to `file`; resolves to its absolute path. */
export function writeHtmlReport(result: SuiteResult, file: string): Promise<string> {
  return writeTextFile(file, toHtmlReport(result));
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

function categoryTable(category: string, scenarios: ScenarioResult[]): string {
  const passed = scenarios.filter((s) => s.status === 'passed').length;
  return `<h2>${h(category)} <small>(${passed}/${scenarios.length} passed)</small></h2>
<table>
<thead><tr><th>#</th><th>scenario</th><th>status</th><th>duration</th><th>GPU-s</th><th>cost</th><th>checks</th></tr></thead>
<tbody>
${scenarios.map(row).join('\n')}
</tbody>
</table>`;
}

function row(s: ScenarioResult): string {
  return `<tr id="${h(scenarioKey(s))}"><td class="num">${s.id}</td><td><b>${h(s.slug)}</b><br>${h(s.title)}</td>
<td><span class="status ${h(s.status)}">${h(s.status)}</span></td><td class="num">${h(formatDuration(s.durationMs))}</td>
<td class="num">${h(s.gpuSeconds.toFixed(1))}</td><td class="num">${h(formatUsd(s.costUsd))}</td><td>${checks(s)}</td></tr>`;
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
