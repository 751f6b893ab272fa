/**
 * The report of a suite that was cancelled. A cancelled workflow returns no result, but its history holds everything a
 * report needs: the scenarios' results (the `progress` query, answered on the closed workflow by replaying it) and the
 * outcome of the final sweep and audit the suite runs, non-cancellable, before it closes (the results of its last
 * `destroyByLabel` and `listByLabel` activities on the suite's label prefix).
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { DestroyReport, LabelledResources } from '../activities/cleanup';
import { selectScenarios } from '../catalog/selection';
import { scenarioKey } from '../catalog/types';
import { suitePrefix } from '../labels';
import { progressQuery } from '../workflows/suite';
import type { FinalSweep, ScenarioResult, SuiteProgress, SuiteResult, Target } from '../workflows/types';
import { decode, decodeResult, timeMs, type History } from './history-events';
import type { Payload } from '@temporalio/common';

/** What the suite's history says about its last word on its resources. */
export interface SuiteCleanupFromHistory {
  /** Resources with the suite's prefix alive after the final sweep (its last `listByLabel`); [] when none or unread. */
  leaked: string[];
  finalSweep: FinalSweep;
  /** From the first event to the last. */
  wallMs: number;
  /** False when the history holds no completed audit of the prefix (then `finalSweep.error` says so). */
  audited: boolean;
}

/**
 * Reads the final sweep (`destroyByLabel`) and the final audit (`listByLabel`) of `labelPrefix` from a suite
 * workflow's history: the last activity of each type scheduled with that prefix, completed or failed.
 */
export function suiteCleanupFromHistory(history: History, labelPrefix: string): SuiteCleanupFromHistory {
  const events = history.events ?? [];
  const scheduled = new Map<string, { type: string; input: { labelPrefix?: string } | undefined }>();
  let sweep: { report?: DestroyReport; error?: string } | undefined;
  let audit: LabelledResources | undefined;
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) {
      scheduled.set(String(e.eventId), {
        type: s.activityType?.name ?? '',
        input: decode(s.input?.payloads as Payload[]) as { labelPrefix?: string } | undefined,
      });
      continue;
    }
    const done = e.activityTaskCompletedEventAttributes;
    const failed = e.activityTaskFailedEventAttributes;
    const which = scheduled.get(String(done?.scheduledEventId ?? failed?.scheduledEventId ?? ''));
    if (!which || which.input?.labelPrefix !== labelPrefix) continue;
    if (which.type === 'destroyByLabel') {
      if (done) sweep = { report: decodeResult(done.result?.payloads as Payload[]) as DestroyReport };
      else if (failed) {
        const info = failed.failure?.applicationFailureInfo;
        sweep = {
          error: failed.failure?.message ?? 'the final sweep failed',
          report: decode(info?.details?.payloads as Payload[]) as DestroyReport | undefined,
        };
      }
    } else if (which.type === 'listByLabel' && done) {
      audit = decodeResult(done.result?.payloads as Payload[]) as LabelledResources;
    }
  }
  const finalSweep: FinalSweep = {
    destroyed: sweep?.report?.destroyed ?? [],
    warnings: [...(sweep?.report?.warnings ?? [])],
    ...(sweep?.error ? { error: sweep.error } : {}),
  };
  for (const w of audit?.warnings ?? []) if (!finalSweep.warnings.includes(w)) finalSweep.warnings.push(w);
  // A suite cancelled before it started any scenario rented nothing (its scenarios rent, and make its SSH key), so
  // there is nothing an audit could find.
  const startedChildren = events.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
  if (!audit && !startedChildren) {
    finalSweep.warnings.push('cancelled before any scenario started: nothing was rented, so nothing was audited');
  } else if (!audit) {
    finalSweep.error ??=
      "the suite's final audit is not in its history; list what is left with 'npx dumont-e2e sweep --dry-run'";
  }
  const first = timeMs(events[0]);
  const last = timeMs(events.at(-1));
  return {
    leaked: audit?.lines ?? [],
    finalSweep,
    wallMs: first !== undefined && last !== undefined ? last - first : 0,
    audited: audit !== undefined,
  };
}

/** Every selected scenario's result: those `progress` knows, `skipped — suite cancelled` for the others. */
export function scenariosOfCancelledSuite(
  suiteId: string,
  select: string,
  known: readonly ScenarioResult[]
): ScenarioResult[] {
  const byId = new Map(known.map((r) => [r.id, r]));
  return selectScenarios(select).map(
    (spec) =>
      byId.get(spec.id) ?? {
        id: spec.id,
        slug: spec.slug,
        title: spec.title,
        category: spec.category,
        status: 'skipped',
        durationMs: 0,
        gpuSeconds: 0,
        costUsd: 0,
        checks: [],
        workflowId: `${suiteId}/${scenarioKey(spec)}`,
        error: 'suite cancelled',
      }
  );
}

/**
 * The {@link SuiteResult} of a closed, cancelled suite, for the reports: scenarios from the `progress` query (asked of
 * the closed workflow; `lastProgress` when no worker answers it), the final sweep and audit from its history.
 */
export async function cancelledSuiteResult(
  handle: WorkflowHandle,
  input: { select: string; target: Target; timeScale: number },
  lastProgress?: Pick<SuiteProgress, 'results'>
): Promise<SuiteResult> {
  let results = lastProgress?.results ?? [];
  try {
    results = (await handle.query(progressQuery)).results;
  } catch {
    // no worker to replay it: the last answer seen while it ran
  }
  const cleanup = suiteCleanupFromHistory(await handle.fetchHistory(), suitePrefix(handle.workflowId));
  return {
    suiteId: handle.workflowId,
    target: input.target,
    select: input.select,
    timeScale: input.timeScale,
    scenarios: scenariosOfCancelledSuite(handle.workflowId, input.select, results),
    leaked: cleanup.leaked,
    finalSweep: cleanup.finalSweep,
    wallMs: cleanup.wallMs,
  };
}
