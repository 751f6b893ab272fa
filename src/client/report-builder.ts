/**
 * Everything a suite's reports show, gathered from Temporal and the local run history: what `dumont-e2e report`
 * and the suite's own report step (an activity on the worker) both build, so both give the same files.
 */
import type { Client } from '@temporalio/client';
import type { SuiteResult } from '../workflows/types';
import { appendRun, codeVersion, historyFile, historyMarks, historyRunOf, readRuns } from './history';
import type { ReportContext, ReportInput } from './reporters/context';
import { leakedResources } from './reporters/summary';
import { suiteTimeline } from './timeline';

/** Options of {@link buildReportInput}. */
export interface BuildReportOptions {
  /** The Temporal client, to read the scenarios' histories for the timeline. */
  client: Client;
  /** The directory whose `run-history.jsonl` is the run history. */
  dataDir: string;
  /** `running`, or how the suite closed. */
  state: string;
  /** When the suite finished (now for one still running). */
  finishedAt: Date;
  webUi?: { baseUrl: string; namespace: string };
  budgetUsd?: number;
  /** Append a closed suite to the history when it is not there yet. @default true */
  record?: boolean;
}

/**
 * The suite's {@link ReportInput}: history marks (the suite's place in the history when it is already recorded, else
 * after every recorded run; a closed suite is recorded first), the timeline from the scenarios' histories, the Web UI
 * address and the budget.
 */
export async function buildReportInput(result: SuiteResult, options: BuildReportOptions): Promise<ReportInput> {
  const file = historyFile(options.dataDir);
  const finishedAt = options.finishedAt.toISOString();
  if (options.state !== 'running' && options.record !== false) {
    await appendRun(
      file,
      historyRunOf(result, { state: options.state, finishedAt, leaked: leakedResources(result).length })
    );
  }
  const runs = await readRuns(file, { target: result.target });
  const at = runs.findIndex((r) => r.suiteId === result.suiteId);
  const previous = at >= 0 ? runs.slice(0, at) : runs;
  const version = at >= 0 ? runs[at]!.codeVersion : codeVersion();
  const context: ReportContext = {
    state: options.state,
    history: historyMarks(previous, result, version, at >= 0 ? runs[at]!.finishedAt : finishedAt),
    timeline: await suiteTimeline(options.client, result.scenarios),
    generatedAt: new Date().toISOString(),
    ...(options.webUi ? { webUi: options.webUi } : {}),
    ...(options.budgetUsd !== undefined ? { budgetUsd: options.budgetUsd } : {}),
  };
  return { result, context };
}
