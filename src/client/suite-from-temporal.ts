/**
 * A suite's {@link SuiteResult} rebuilt from its Temporal history alone, for `dumont-e2e report --suite <id>`: no
 * worker needs to be running, and the suite may be finished, cancelled, failed or still running.
 *
 * - Completed: the workflow's own result.
 * - Otherwise: each finished scenario's result from its child's completion (or the `ScenarioFailed` details of its
 *   failure); scenarios not implemented as `not-implemented`; the rest `skipped`, saying whether the suite is still
 *   running them or closed before they ran; the final sweep and audit from the suite's last cleanup activities.
 */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { selectScenarios } from '../catalog/selection';
import { scenarioKey } from '../catalog/types';
import { suitePrefix } from '../labels';
import type { ScenarioResult, SuiteInput, SuiteResult, Target } from '../workflows/types';
import { DEFAULT_SIM_TIME_SCALE } from '../workflows/validate';
import { suiteCleanupFromHistory } from './cancelled-suite';
import { decode, timeMs, type History, type HistoryEvent } from './history-events';

/** How the suite's workflow stands: `running`, or how it closed. */
export type SuiteState = 'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed-out' | 'continued';

/** What the reports of a suite are built from. */
export interface SuiteFromTemporal {
  result: SuiteResult;
  state: SuiteState;
  /** The suite's input as started (its `budgetUsd`, `maxParallel`…). */
  input: SuiteInput;
  /** Started by a Temporal Schedule (its `TemporalScheduledById` search attribute is set). */
  scheduled: boolean;
  /** When the suite started, epoch milliseconds. */
  startedAtMs: number;
}

type FailureLike = {
  message?: string | null;
  cause?: FailureLike | null;
  applicationFailureInfo?: { type?: string | null; details?: { payloads?: Payload[] | null } | null } | null;
};

/** The ScenarioResult a failed child carries as the details of its `ScenarioFailed` failure, if any. */
function scenarioFailedDetails(failure: FailureLike | null | undefined): ScenarioResult | undefined {
  for (let f = failure; f; f = f.cause) {
    const info = f.applicationFailureInfo;
    if (info?.type === 'ScenarioFailed') return decode(info.details?.payloads) as ScenarioResult | undefined;
  }
  return undefined;
}

/** The state a closing event says, or `running` when the history has none. */
function stateOf(events: readonly HistoryEvent[]): SuiteState {
  const last = events.at(-1);
  if (last?.workflowExecutionCompletedEventAttributes) return 'completed';
  if (last?.workflowExecutionFailedEventAttributes) return 'failed';
  if (last?.workflowExecutionCanceledEventAttributes) return 'cancelled';
  if (last?.workflowExecutionTerminatedEventAttributes) return 'terminated';
  if (last?.workflowExecutionTimedOutEventAttributes) return 'timed-out';
  if (last?.workflowExecutionContinuedAsNewEventAttributes) return 'continued';
  return 'running';
}

/** Results of the children that closed, by workflow id. */
function childOutcomes(events: readonly HistoryEvent[]): Map<string, ScenarioResult | { closed: string }> {
  const out = new Map<string, ScenarioResult | { closed: string }>();
  for (const e of events) {
    const done = e.childWorkflowExecutionCompletedEventAttributes;
    if (done?.workflowExecution?.workflowId) {
      const r = decode(done.result?.payloads as Payload[]) as ScenarioResult | undefined;
      out.set(done.workflowExecution.workflowId, r ?? { closed: 'completed without a readable result' });
    }
    const failed = e.childWorkflowExecutionFailedEventAttributes;
    if (failed?.workflowExecution?.workflowId) {
      const r = scenarioFailedDetails(failed.failure as FailureLike);
      out.set(failed.workflowExecution.workflowId, r ?? { closed: failed.failure?.message ?? 'failed' });
    }
    const other =
      (e.childWorkflowExecutionCanceledEventAttributes && 'cancelled') ||
      (e.childWorkflowExecutionTerminatedEventAttributes && 'terminated') ||
      (e.childWorkflowExecutionTimedOutEventAttributes && 'timed out');
    const id =
      e.childWorkflowExecutionCanceledEventAttributes?.workflowExecution?.workflowId ??
      e.childWorkflowExecutionTerminatedEventAttributes?.workflowExecution?.workflowId ??
      e.childWorkflowExecutionTimedOutEventAttributes?.workflowExecution?.workflowId;
    if (other && id) out.set(id, { closed: other });
  }
  return out;
}

/**
 * Builds the suite's result from its history (see the module's comment). `nowMs` stands in for the end of a suite
 * still running, so its wall time is the time so far.
 */
export function suiteFromHistory(suiteId: string, history: History, nowMs = Date.now()): SuiteFromTemporal {
  const events = history.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  const input = ((decode(started?.input?.payloads as Payload[]) as SuiteInput | undefined) ?? {}) as SuiteInput;
  const indexed = started?.searchAttributes?.indexedFields ?? {};
  const scheduled = Object.prototype.hasOwnProperty.call(indexed, 'TemporalScheduledById');
  const state = stateOf(events);
  const startedAtMs = timeMs(events[0]) ?? nowMs;
  const completed = events.at(-1)?.workflowExecutionCompletedEventAttributes;
  if (completed) {
    const result = decode(completed.result?.payloads as Payload[]) as SuiteResult | undefined;
    if (result) return { result, state, input, scheduled, startedAtMs };
  }
  const target: Target = input.target ?? 'sim';
  const select = input.select ?? 'all';
  const children = childOutcomes(events);
  const scenarios = selectScenarios(select).map((spec): ScenarioResult => {
    const workflowId = `${suiteId}/${scenarioKey(spec)}`;
    const known = children.get(workflowId);
    if (known && 'status' in known) return known;
    const base = { id: spec.id, slug: spec.slug, title: spec.title, category: spec.category, workflowId };
    const zero = { durationMs: 0, gpuSeconds: 0, costUsd: 0, checks: [] };
    if (known) return { ...base, ...zero, status: 'failed', error: `scenario workflow ${known.closed}` };
    if (!spec.workflowType)
      return { ...base, ...zero, status: 'not-implemented', error: 'scenario not implemented yet' };
    const why = state === 'running' ? 'not finished yet: the suite is still running' : `not run: the suite ${state}`;
    return { ...base, ...zero, status: 'skipped', error: why };
  });
  const cleanup = suiteCleanupFromHistory(history, suitePrefix(suiteId));
  const finalSweep =
    state === 'running'
      ? { destroyed: [], warnings: [], error: 'the suite is still running: its final sweep has not run yet' }
      : cleanup.finalSweep;
  const lastMs = state === 'running' ? nowMs : (timeMs(events.at(-1)) ?? nowMs);
  const result: SuiteResult = {
    suiteId,
    target,
    select,
    timeScale: input.timeScale ?? (target === 'sim' ? DEFAULT_SIM_TIME_SCALE : 1),
    scenarios,
    leaked: state === 'running' ? [] : cleanup.leaked,
    finalSweep,
    wallMs: Math.max(0, lastMs - startedAtMs),
  };
  return { result, state, input, scheduled, startedAtMs };
}

/** {@link suiteFromHistory} of the suite `suiteId` (its latest run), fetched with `client`. */
export async function suiteFromTemporal(client: Client, suiteId: string): Promise<SuiteFromTemporal> {
  const history = await client.workflow.getHandle(suiteId).fetchHistory();
  return suiteFromHistory(suiteId, history);
}
