/** The HTML report's sections beyond the per-category tables: leaks, filters, cost, timeline, history cells. */
import { scenarioById } from '../../catalog';
import { MARKERS, scenarioKey } from '../../catalog/types';
import type { ScenarioResult, SuiteResult } from '../../workflows/types';
import type { ScenarioHistory } from '../history/marks';
import type { Phase, ScenarioTimeline } from '../timeline';
import type { ReportContext } from './context';
import { escapeHtml as h, formatDuration, formatUsd, groupByCategory } from './format';
import { formatMeasured, sweptByFinalSweep } from './summary';

/** Leaked resources in red at the top of the page: kind, id, label and where each was seen. */
export function leaksSection(result: SuiteResult, leaked: readonly string[]): string {
  if (leaked.length === 0) return '';
  const rows = leaked.map((line) => {
    const m = /^(\S+) (\S+) (\S+)(?: \((.*)\))?$/.exec(line);
    const [kind, id, label, where] = m ? [m[1]!, m[2]!, m[3]!, m[4] ?? ''] : ['?', '', line, ''];
    const later = sweptByFinalSweep(result, line) ? ' <i>(destroyed later by the final sweep)</i>' : '';
    return `<tr><td><b>${h(kind)}</b></td><td>${h(id)}</td><td><code>${h(label)}</code>${later}</td><td>${h(where)}</td></tr>`;
  });
  return `<section class="leaks" id="leaks"><h2>Leaked resources (${leaked.length})</h2>
<table class="leaked"><thead><tr><th>kind</th><th>id</th><th>label</th><th>seen at</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function options(name: string, label: string, values: readonly string[]): string {
  const opts = values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
  return `<label>${h(label)} <select name="${h(name)}"><option value="">all</option>${opts}</select></label>`;
}

/** The filter form (category, marker, status, history mark); the values offered are those present in the run. */
export function filtersSection(result: SuiteResult, context: ReportContext | undefined): string {
  const categories = groupByCategory(result.scenarios).map(([c]) => c);
  const present = new Set(result.scenarios.flatMap((s) => scenarioById(s.id)?.markers ?? []));
  const markers = MARKERS.filter((m) => present.has(m));
  const statuses = [...new Set(result.scenarios.map((s) => s.status))];
  const marks = [...new Set(Object.values(context?.history ?? {}).flatMap((x) => (x.mark ? [x.mark] : [])))];
  return `<form class="filters" id="filters">${options('category', 'category', categories)}${options(
    'marker',
    'marker',
    markers
  )}${options('status', 'status', statuses)}${options('mark', 'history', marks)}<span id="shown"></span></form>`;
}

/** The attributes the filters read, on a scenario's row. */
export function rowData(s: ScenarioResult, history: ScenarioHistory | undefined): string {
  const markers = scenarioById(s.id)?.markers ?? [];
  return `data-category="${h(s.category)}" data-markers="${h(markers.join(' '))}" data-status="${h(s.status)}" data-mark="${h(history?.mark ?? '')}"`;
}

/**
 * Cost per category: GPU-minutes and dollars spent beside the seed's estimate for the scenarios that were to run
 * (implemented ones), and the total against `--budget-usd`.
 */
export function costSection(result: SuiteResult, budgetUsd: number | undefined): string {
  let spent = 0;
  let estimated = 0;
  const rows = groupByCategory(result.scenarios).map(([category, list]) => {
    const cost = list.reduce((n, s) => n + s.costUsd, 0);
    const gpuMin = list.reduce((n, s) => n + s.gpuSeconds, 0) / 60;
    const planned = list.filter((s) => s.status !== 'not-implemented');
    const est = planned.reduce((n, s) => n + (scenarioById(s.id)?.estimate.costUsd ?? 0), 0);
    const estMin = planned.reduce((n, s) => n + (scenarioById(s.id)?.estimate.gpuMinutes ?? 0), 0);
    spent += cost;
    estimated += est;
    const pct = est > 0 ? `${Math.round((cost / est) * 100)}%` : '-';
    return `<tr><td>${h(category)}</td><td class="num">${planned.length}</td><td class="num">${gpuMin.toFixed(1)}</td><td class="num">${estMin.toFixed(1)}</td><td class="num${cost > est ? ' over' : ''}">${h(formatUsd(cost))}</td><td class="num">${h(formatUsd(est))}</td><td class="num">${pct}</td></tr>`;
  });
  const budget =
    budgetUsd === undefined
      ? '<p>no budget (<code>--budget-usd</code>) was set for this run</p>'
      : `<p>budget <b>${h(formatUsd(budgetUsd))}</b>: spent <b class="${spent > budgetUsd ? 'over' : ''}">${h(formatUsd(spent))}</b> (${budgetUsd > 0 ? Math.round((spent / budgetUsd) * 100) : 0}%)</p>`;
  return `<h2 id="cost">Cost per category</h2>
<table class="cost"><thead><tr><th>category</th><th>scenarios</th><th>GPU-min</th><th>GPU-min estimated</th><th>cost</th><th>cost estimated (seed)</th><th>of estimate</th></tr></thead>
<tbody>${rows.join('')}<tr><th>total</th><td></td><td></td><td></td><th class="num">${h(formatUsd(spent))}</th><th class="num">${h(formatUsd(estimated))}</th><td></td></tr></tbody></table>
${budget}`;
}

const PHASES: Phase[] = ['create', 'act', 'verify', 'destroy', 'cleanup audit'];
const phaseClass = (p: Phase) => `ph-${p.replace(' ', '-')}`;

/** The run's timeline: a bar per scenario, coloured by phase, from the scenarios' workflow histories. */
export function timelineSection(result: SuiteResult, timeline: readonly ScenarioTimeline[] | undefined): string {
  if (!timeline?.length) return '';
  const start = Math.min(...timeline.map((t) => t.startMs));
  const span = Math.max(1, Math.max(...timeline.map((t) => t.endMs)) - start);
  const pct = (ms: number) => ((ms / span) * 100).toFixed(2);
  const byId = new Map(result.scenarios.map((s) => [s.id, s]));
  const rows = timeline.map((t) => {
    const s = byId.get(t.id);
    const key = s ? scenarioKey(s) : String(t.id);
    const segs = t.segments
      .map(
        (g) =>
          `<div class="tl-seg ${phaseClass(g.phase)}" style="left:${pct(g.startMs - start)}%;width:${pct(g.endMs - g.startMs)}%" title="${h(
            `${g.phase} ${formatDuration(g.endMs - g.startMs)}: ${g.activities.join(', ')}`
          )}"></div>`
      )
      .join('');
    const whole = `<div class="tl-seg" style="left:${pct(t.startMs - start)}%;width:${pct(t.endMs - t.startMs)}%;background:#eaeef2;z-index:0"></div>`;
    return `<div class="tl-row" data-timeline="${t.id}"><div class="tl-label"><a href="#${h(key)}">${h(key)}</a> ${h(formatDuration(t.endMs - t.startMs))}</div><div class="tl-track">${whole}${segs}</div></div>`;
  });
  const legend = PHASES.map((p) => `<span class="${phaseClass(p)}"></span>${h(p)}`).join('');
  return `<h2 id="timeline">Timeline</h2>
<div class="timeline"><div class="legend">${legend} · ${h(formatDuration(span))} from the first scenario's start to the last one's end</div>${rows.join('')}</div>`;
}

/** A scenario's history cell: its mark, its recent outcomes (✓ ✗ ·) and duration and cost sparklines. */
export function historyCell(history: ScenarioHistory | undefined): string {
  if (!history) return '';
  const mark = history.mark
    ? `<span class="mark ${h(history.mark)}" data-mark="${h(history.mark)}">${h(history.mark.replace('-', ' '))}</span> `
    : '';
  const trail = history.outcomes
    .map((o) => {
      const [c, ch] = o.status === 'passed' ? ['p', '✓'] : o.status === 'failed' ? ['f', '✗'] : ['o', '·'];
      return `<span class="${c}" title="${h(`${o.suiteId}: ${o.status}, ${formatDuration(o.durationMs)}, ${formatUsd(o.costUsd)}`)}">${ch}</span>`;
    })
    .join('');
  return `${mark}<span class="trail">${trail}</span><br>${spark(history, 'durationMs', formatDuration)} ${spark(
    history,
    'costUsd',
    formatUsd
  )}`;
}

function spark(history: ScenarioHistory, key: 'durationMs' | 'costUsd', fmt: (n: number) => string): string {
  const values = history.outcomes.map((o) => o[key]);
  const max = Math.max(...values, 0);
  if (max <= 0) return '';
  const bars = values.map((v) => `<i style="height:${Math.max(1, Math.round((v / max) * 18))}px"></i>`).join('');
  const label = key === 'durationMs' ? 'duration' : 'cost';
  return `<span class="spark" title="${h(`${label}: ${values.map(fmt).join(' → ')}`)}">${bars}</span>`;
}

/** The measured values of a scenario, shown without opening its details: limit checks and metrics. */
export function measuredCell(s: ScenarioResult): string {
  const limits = s.checks.flatMap((c) => {
    const m = formatMeasured(c);
    return m ? [`<li class="${c.ok ? 'ok' : 'ko'}">${h(c.id || c.name)}: ${h(m)}</li>`] : [];
  });
  const metrics = Object.entries(s.metrics ?? {}).map(([k, v]) => `<li>${h(k)} = ${h(String(v))}</li>`);
  const items = [...limits, ...metrics];
  return items.length ? `<ul class="measured-values">${items.join('')}</ul>` : '';
}
