import path from 'node:path';
import type { ReportInput } from './context';
import { toHtmlReport } from './html';
import { toJunitXml } from './junit';
import { toMarkdownSummary } from './markdown';
import { toJsonReport } from './summary';
import { writeTextFile } from './write-file';

/** The file names of a suite's reports in its report directory (or under its bucket prefix). */
export const REPORT_FILES = {
  json: 'report.json',
  junit: 'junit.xml',
  html: 'report.html',
  markdown: 'summary.md',
} as const;

/** A suite's folder name (report directories, bucket prefixes): its id with characters unsafe in paths as `_`. */
export function suiteDirName(suiteId: string): string {
  return suiteId.replace(/[^\w.-]/g, '_');
}

export type ReportFormat = keyof typeof REPORT_FILES;

/** Every report of a suite, rendered: format → file content. */
export function renderReports(input: ReportInput): Record<ReportFormat, string> {
  return {
    json: `${JSON.stringify(toJsonReport(input.result, input.context), null, 2)}\n`,
    junit: toJunitXml(input.result, input.context),
    html: toHtmlReport(input.result, input.context),
    markdown: toMarkdownSummary(input),
  };
}

/** Writes every report of `input` into `dir` under {@link REPORT_FILES}; resolves to the absolute paths written. */
export async function writeReportDir(dir: string, input: ReportInput): Promise<Record<ReportFormat, string>> {
  const rendered = renderReports(input);
  const formats = Object.keys(REPORT_FILES) as ReportFormat[];
  const paths = await Promise.all(formats.map((f) => writeTextFile(path.join(dir, REPORT_FILES[f]), rendered[f])));
  return Object.fromEntries(formats.map((f, i) => [f, paths[i]!])) as Record<ReportFormat, string>;
}
