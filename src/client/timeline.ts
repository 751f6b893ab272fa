/**
 * The run's timeline for the HTML report: each scenario as a bar of phases (create, act, verify, destroy, cleanup
 * audit) read from its workflow's history. A scenario's activities are classed by when and what they are: the
 * opening run of creates (rent, deploy, boot waits) is `create`; the closing run of destroys is `destroy`, and the
 * label audits and billing reads after it `cleanup audit`; between them, reads, waits and probes are `verify` and
 * everything else `act`. Adjacent activities of one phase form one segment.
 */
import type { Client } from '@temporalio/client';
import type { ScenarioResult } from '../workflows/types';
import { timeMs, type History } from './history-events';

/** A phase of a scenario, in the order the kit runs them. */
export type Phase = 'create' | 'act' | 'verify' | 'destroy' | 'cleanup audit';

/** One stretch of a scenario's run spent in one phase. */
export interface PhaseSegment {
  phase: Phase;
  startMs: number;
  endMs: number;
  /** Activity types run in it, in order, duplicates removed. */
  activities: string[];
}

/** One scenario's bar. */
export interface ScenarioTimeline {
  id: number;
  workflowId: string;
  startMs: number;
  endMs: number;
  segments: PhaseSegment[];
}

const CREATE =
  /^(create|tryCreate|deploy|provision|submit|start|upload|ensureRegistered|restoreSnapshot|search|waitForOffer|waitForRunning|waitForDeployment|waitForModelHealth|waitForReplicas|configureStandby|regionalVolume|enable)/;
const DESTROY =
  /^(destroy|delete|cleanup|cancel|disable|unblacklist|waitUntilGone|waitForNoInstance|waitForOfferGone|keepSnapshotForever)/;
const AUDIT = /^(listByLabel|chargesForLabel|findLabelled|vastInstance|vastVolumes|associationByLabel)$/;
const VERIFY =
  /^(get|list|wait|probe|check|verify|read|charges|bucket|deployment|serverlessStatus|standby|warmPool(Status|Hosts)|finetune(Checkpoints|LogSummary)|jobLogs|sshProbe|machineOutcomes|ownerStatus|estimate|failover(Readiness|Record)|instance(Savings|StorageCost)|onDemandPrice|price|market|provider)/;

interface Span {
  type: string;
  startMs: number;
  endMs: number;
}

/** The activities of a history with their scheduled and closing times, in the order they were scheduled. */
function activitySpans(history: History): Span[] {
  const byScheduled = new Map<string, Span>();
  for (const e of history.events ?? []) {
    const at = timeMs(e) ?? 0;
    const s = e.activityTaskScheduledEventAttributes;
    if (s) {
      byScheduled.set(String(e.eventId), { type: s.activityType?.name ?? '?', startMs: at, endMs: at });
      continue;
    }
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    const span = closed ? byScheduled.get(String(closed.scheduledEventId)) : undefined;
    if (span) span.endMs = at;
  }
  return [...byScheduled.values()].filter((s) => s.type !== 'now');
}

/** Each activity's phase (see the module's comment). */
function phasesOf(spans: readonly Span[]): Phase[] {
  const phases: Phase[] = spans.map((s) => (VERIFY.test(s.type) ? 'verify' : 'act'));
  let first = 0;
  while (first < spans.length && CREATE.test(spans[first]!.type)) phases[first++] = 'create';
  let tail = spans.length;
  while (tail > first && (DESTROY.test(spans[tail - 1]!.type) || AUDIT.test(spans[tail - 1]!.type))) tail--;
  let destroyed = false;
  for (let i = tail; i < spans.length; i++) {
    if (DESTROY.test(spans[i]!.type)) destroyed = true;
    phases[i] = destroyed && AUDIT.test(spans[i]!.type) ? 'cleanup audit' : 'destroy';
  }
  return phases;
}

/** A scenario's bar from its workflow history. */
export function scenarioTimeline(id: number, workflowId: string, history: History): ScenarioTimeline {
  const events = history.events ?? [];
  const spans = activitySpans(history);
  const phases = phasesOf(spans);
  const segments: PhaseSegment[] = [];
  spans.forEach((span, i) => {
    const phase = phases[i]!;
    const last = segments.at(-1);
    if (last && last.phase === phase) {
      last.endMs = Math.max(last.endMs, span.endMs);
      if (!last.activities.includes(span.type)) last.activities.push(span.type);
    } else segments.push({ phase, startMs: span.startMs, endMs: span.endMs, activities: [span.type] });
  });
  const startMs = timeMs(events[0]) ?? segments[0]?.startMs ?? 0;
  return { id, workflowId, startMs, endMs: Math.max(timeMs(events.at(-1)) ?? startMs, startMs), segments };
}

/**
 * The bars of every scenario that ran (passed or failed), read from their workflows' histories, a few at a time.
 * A history that cannot be read (deleted by retention) leaves its scenario out.
 */
export async function suiteTimeline(
  client: Client,
  scenarios: readonly ScenarioResult[],
  concurrency = 8
): Promise<ScenarioTimeline[]> {
  const ran = scenarios.filter((s) => s.status === 'passed' || s.status === 'failed');
  const out: ScenarioTimeline[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ran.length) {
      const s = ran[next++]!;
      try {
        const history = await client.workflow.getHandle(s.workflowId).fetchHistory();
        out.push(scenarioTimeline(s.id, s.workflowId, history));
      } catch {
        // retention removed it, or the id is not a workflow: no bar
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ran.length) }, worker));
  return out.sort((a, b) => a.startMs - b.startMs || a.id - b.id);
}
