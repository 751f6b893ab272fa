import { scenarioKey } from '../../catalog/types';
import type { ScenarioResult } from '../../workflows/types';
import type { ReportInput } from './context';
import { webUiLink } from './context';
import { formatDuration, formatGpuSeconds, formatUsd } from './format';
import { firstFailure, isSuccessful, leakedResources, sortById, summarize } from './summary';

const ICON: Record<ScenarioResult['status'], string> = {
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
  'not-implemented': '🚧',
};

/** Markdown table cell text: pipes and line breaks would break the table. */
function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/**
 * A short markdown summary for CI job summaries (`$GITHUB_STEP_SUMMARY`, GitLab, Buildkite annotations): the verdict,
 * counts, cost, leaks, then every scenario that failed, is flaky, newly failing or fixed (with its first failed check
 * and a Web UI link), and the history marks. Scenarios that passed as usual are counted, not listed.
 */
export function toMarkdownSummary({ result, context }: ReportInput): string {
  const s = summarize(result);
  const ok = isSuccessful(s);
  const state = context?.state && context.state !== 'completed' ? ` (suite ${context.state})` : '';
  const lines = [
    `## dumont-e2e ${result.suiteId}: ${ok ? '✅ passed' : '❌ not passed'}${state}`,
    '',
    `Target **${result.target}**, selection \`${cell(result.select || 'all')}\`.`,
    '',
    '| total | passed | failed | skipped | not implemented | leaked | GPU time | cost | wall |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${s.total} | ${s.passed} | ${s.failed} | ${s.skipped} | ${s.notImplemented} | ${s.leaked} | ${formatGpuSeconds(s.gpuSeconds)} | ${formatUsd(s.costUsd)}${context?.budgetUsd !== undefined ? ` of ${formatUsd(context.budgetUsd)}` : ''} | ${formatDuration(s.wallMs)} |`,
  ];
  const leaked = leakedResources(result);
  if (leaked.length) lines.push('', '### ⚠️ Leaked resources', '', ...leaked.map((r) => `- \`${cell(r)}\``));
  const marks = context?.history ?? {};
  const notable = sortById(result.scenarios).filter(
    (x) => x.status === 'failed' || (marks[x.id]?.mark && marks[x.id]!.mark !== 'stable')
  );
  if (notable.length) {
    lines.push('', '| | scenario | mark | history | why |', '| --- | --- | --- | --- | --- |');
    for (const x of notable) {
      const h = marks[x.id];
      const link = webUiLink(context, x.workflowId);
      const name = link ? `[${scenarioKey(x)}](${link})` : scenarioKey(x);
      const trail = (h?.outcomes ?? []).map((o) => (o.status === 'passed' ? '✓' : o.status === 'failed' ? '✗' : '·'));
      const why = x.status === 'failed' ? cell(firstFailure(x) ?? 'failed') : '';
      lines.push(`| ${ICON[x.status]} | ${name} | ${h?.mark ?? ''} | ${trail.join('')} | ${why} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
