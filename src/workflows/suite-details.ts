/**
 * The static details (Markdown, shown on a workflow's page in the Temporal Web UI) of the suite and of each
 * scenario child: what it verifies, the defect it must catch, its deadline and estimate, and a link to the run's
 * report. Pure functions of the catalogue and the input: no secrets can enter (the report URL is the user's, checked
 * for credentials by {@link safeReportUrl}).
 */
import { scenarioKey, type ScenarioSpec } from '../catalog/types';

/** Temporal's limit for static details is 20 KB; ours stay far below, this only guards a runaway description. */
const MAX_DETAILS = 4000;

/**
 * The report URL if it can be shown: http(s) or file, without user info (`https://user:pass@…`) or a query string
 * (where tokens hide); `undefined` otherwise, so a bad URL drops the link instead of leaking into the history.
 */
export function safeReportUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const m = /^(https?:\/\/|file:\/\/)([^/?#]*)([^?#]*)$/.exec(url);
  if (!m || m[2]!.includes('@')) return undefined;
  return url;
}

/**
 * The report URL of one suite: `{suite}` in `template` becomes the suite's directory name under the reports
 * directory (its id with anything but letters, digits, `_`, `.` and `-` made `_`, as `suiteDirName` does), so a
 * schedule can point every night at its own report: `https://ci.example/e2e/{suite}/report.html`.
 */
export function reportUrlFor(template: string | undefined, suiteId: string): string | undefined {
  return template?.replace(/\{suite\}/g, suiteId.replace(/[^\w.-]/g, '_'));
}

/** The scenario's details: title, what it verifies, its defect, deadline, estimate, and its row in the report. */
export function scenarioDetails(spec: ScenarioSpec, reportUrl: string | undefined): string {
  const url = safeReportUrl(reportUrl);
  const lines = [
    `**#${spec.id} ${spec.title}** — ${spec.category}${spec.markers.length ? ` (${spec.markers.join(', ')})` : ''}`,
    '',
    `Verifies: ${spec.verifies}`,
    '',
    `Must catch: \`${spec.defect.name}\` — ${spec.defect.description}`,
    '',
    `Deadline ${spec.deadlineMinutes} platform min · estimate ${spec.estimate.gpuMinutes} GPU-min, $${spec.estimate.costUsd.toFixed(2)}`,
  ];
  if (url) lines.push('', `[Report: ${scenarioKey(spec)}](${url}#${scenarioKey(spec)})`);
  return lines.join('\n').slice(0, MAX_DETAILS);
}

/** The suite's details: its selection and target, and the report. */
export function suiteDetails(o: {
  select: string;
  target: string;
  scenarios: number;
  budgetUsd?: number;
  reportUrl?: string;
}): string {
  const url = safeReportUrl(o.reportUrl);
  const lines = [
    `**dumont-e2e suite** — \`${o.select}\` on ${o.target}: ${o.scenarios} scenarios` +
      (o.budgetUsd !== undefined ? `, budget $${o.budgetUsd}` : ''),
  ];
  if (url) lines.push('', `[Report](${url})`);
  return lines.join('\n').slice(0, MAX_DETAILS);
}
