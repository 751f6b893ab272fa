/**
 * The suite's own report step, run on a worker: the reports of a suite that may have no CLI attached (a scheduled
 * run) go to `<reports dir>/<suite id>/` on the worker (and to the bucket when one is configured), the run joins
 * the local history, and a scheduled run that failed, leaked or exceeded its budget is announced on the webhook.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import path from 'node:path';
import { buildReportInput } from '../client/report-builder';
import {
  REPORT_FILES,
  renderReports,
  suiteDirName,
  writeReportDir,
  type ReportFormat,
} from '../client/reporters/bundle';
import type { ReportInput } from '../client/reporters/context';
import { postWebhook, webhookMessage } from '../client/webhook';
import type { ObjectStoreClient } from '../platform/object-store';
import type { SuiteResult } from '../workflows/types';

/** Where the report step writes and whom it tells (worker configuration; the webhook URL is a secret). */
export interface ReportActivityOptions {
  /** The run history lives here (`run-history.jsonl`). */
  dataDir: string;
  /** Each suite's reports go to `<reportsDir>/<suite id>/`. */
  reportsDir: string;
  namespace: string;
  /** The Web UI's address, for links. */
  webUiUrl?: string;
  webhookUrl?: string;
  /** Also put the reports under `dumont-e2e-reports/<suite id>/` in this bucket. */
  objectStore?: ObjectStoreClient;
}

/** Input of `writeSuiteReports`, from the suite workflow. */
export interface SuiteReportInput {
  result: SuiteResult;
  state: 'completed' | 'cancelled';
  /** Started by a Temporal Schedule: only those are announced on the webhook (a person ran the others). */
  scheduled: boolean;
  budgetUsd?: number;
}

/** What the step did. */
export interface SuiteReportOutput {
  dir: string;
  bucketKeys: string[];
  /** A message went to the webhook. */
  notified: boolean;
  /** Why the webhook was not told, when it should have been. */
  notifyError?: string;
}

/** The bucket prefix of a suite's reports. */
export function reportsBucketPrefix(suiteId: string): string {
  return `dumont-e2e-reports/${suiteDirName(suiteId)}/`;
}

function activityClient(): Client | undefined {
  try {
    return Context.current().client;
  } catch {
    return undefined;
  }
}

/** The report activities; `options` undefined (a worker built without them) makes the step say so and do nothing. */
export function createReportActivities(options: ReportActivityOptions | undefined) {
  return {
    async writeSuiteReports(input: SuiteReportInput): Promise<SuiteReportOutput> {
      if (!options) return { dir: '', bucketKeys: [], notified: false, notifyError: 'no reports configured' };
      const client = activityClient();
      const dir = path.join(options.reportsDir, suiteDirName(input.result.suiteId));
      const report: ReportInput = client
        ? await buildReportInput(input.result, {
            client,
            dataDir: options.dataDir,
            state: input.state,
            finishedAt: new Date(),
            ...(options.webUiUrl ? { webUi: { baseUrl: options.webUiUrl, namespace: options.namespace } } : {}),
            ...(input.budgetUsd !== undefined ? { budgetUsd: input.budgetUsd } : {}),
          })
        : { result: input.result, context: { state: input.state } };
      await writeReportDir(dir, report);
      const bucketKeys: string[] = [];
      if (options.objectStore) {
        const rendered = renderReports(report);
        for (const format of Object.keys(REPORT_FILES) as ReportFormat[]) {
          const key = `${reportsBucketPrefix(input.result.suiteId)}${REPORT_FILES[format]}`;
          await options.objectStore.put(key, Buffer.from(rendered[format], 'utf8'));
          bucketKeys.push(key);
        }
      }
      if (!input.scheduled || !options.webhookUrl) return { dir, bucketKeys, notified: false };
      const where = bucketKeys.length
        ? `s3://${options.objectStore!.bucket}/${reportsBucketPrefix(input.result.suiteId)}`
        : dir;
      const message = webhookMessage(report, where);
      if (!message) return { dir, bucketKeys, notified: false };
      const notifyError = await postWebhook(options.webhookUrl, message);
      return { dir, bucketKeys, notified: !notifyError, ...(notifyError ? { notifyError } : {}) };
    },
  };
}
