import type { SuiteResult } from '../../workflows/types';
import { writeHtmlReport } from './html';
import { writeJsonReport } from './json';
import { writeJunitReport } from './junit';

export * from './console';
export * from './html';
export * from './json';
export * from './junit';
export * from './summary';

/** Where to write each report; a missing key skips that format. */
export interface ReportFiles {
  json?: string;
  junit?: string;
  html?: string;
}

/** Writes every requested report; resolves to the absolute paths written, in json, junit, html order. */
export async function writeReports(result: SuiteResult, files: ReportFiles): Promise<string[]> {
  const writes: Array<Promise<string>> = [];
  if (files.json) writes.push(writeJsonReport(result, files.json));
  if (files.junit) writes.push(writeJunitReport(result, files.junit));
  if (files.html) writes.push(writeHtmlReport(result, files.html));
  return Promise.all(writes);
}
export * from './bundle';
export * from './context';
export * from './markdown';
