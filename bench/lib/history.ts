/** Timings read from workflow histories: the server's own timestamps, the same clock for every figure. */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType, TaskQueueKind } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function ms(e: HistoryEvent): number {
  const t = e.eventTime!;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** The events of a workflow's history. */
export async function eventsOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/**
 * Round trips of a sequential loop of activities: the time between consecutive workflow-task completions (each
 * completion schedules the next activity, so one gap is: dispatch, run, complete, new workflow task, its
 * processing): n activities give n gaps. The time from the workflow's start to its first completion is not a step.
 */
export function stepRoundTrips(events: HistoryEvent[]): number[] {
  const completed = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).map(ms);
  return completed.slice(1).map((t, i) => t - completed[i]!);
}

/** Workflow-task latencies: Scheduled → Started (queueing) and Scheduled → Completed (queueing and processing). */
export function workflowTaskLatencies(events: HistoryEvent[]): {
  toStart: number[];
  toComplete: number[];
  sticky: number;
  normal: number;
} {
  const out = { toStart: [] as number[], toComplete: [] as number[], sticky: 0, normal: 0 };
  let scheduled: number | undefined;
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
      scheduled = ms(e);
      const kind = e.workflowTaskScheduledEventAttributes?.taskQueue?.kind;
      if (kind === TaskQueueKind.TASK_QUEUE_KIND_STICKY) out.sticky += 1;
      else out.normal += 1;
    } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED && scheduled !== undefined) {
      out.toStart.push(ms(e) - scheduled);
    } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && scheduled !== undefined) {
      out.toComplete.push(ms(e) - scheduled);
      scheduled = undefined;
    }
  }
  return out;
}

/**
 * How a workflow's time splits between waiting on something outside it (an activity, a timer or a child pending)
 * and the harness itself (nothing pending: workflow tasks queued or running). Milliseconds.
 */
export function waitingVersusHarness(events: HistoryEvent[]): {
  totalMs: number;
  waitingMs: number;
  harnessMs: number;
} {
  if (!events.length) return { totalMs: 0, waitingMs: 0, harnessMs: 0 };
  const start = ms(events[0]!);
  const end = ms(events[events.length - 1]!);
  const open = new Set<string>();
  let waitingMs = 0;
  let since = start;
  const E = EventType;
  const opens: Partial<Record<number, (e: HistoryEvent) => string>> = {
    [E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]: (e) => `a${e.eventId}`,
    [E.EVENT_TYPE_TIMER_STARTED]: (e) => `t${e.timerStartedEventAttributes?.timerId}`,
    [E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED]: (e) => `c${e.eventId}`,
  };
  const closes: Partial<Record<number, (e: HistoryEvent) => string>> = {
    [E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED]: (e) => `a${e.activityTaskCompletedEventAttributes?.scheduledEventId}`,
    [E.EVENT_TYPE_ACTIVITY_TASK_FAILED]: (e) => `a${e.activityTaskFailedEventAttributes?.scheduledEventId}`,
    [E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT]: (e) => `a${e.activityTaskTimedOutEventAttributes?.scheduledEventId}`,
    [E.EVENT_TYPE_ACTIVITY_TASK_CANCELED]: (e) => `a${e.activityTaskCanceledEventAttributes?.scheduledEventId}`,
    [E.EVENT_TYPE_TIMER_FIRED]: (e) => `t${e.timerFiredEventAttributes?.timerId}`,
    [E.EVENT_TYPE_TIMER_CANCELED]: (e) => `t${e.timerCanceledEventAttributes?.timerId}`,
    [E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED]: (e) =>
      `c${e.childWorkflowExecutionCompletedEventAttributes?.initiatedEventId}`,
    [E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED]: (e) =>
      `c${e.childWorkflowExecutionFailedEventAttributes?.initiatedEventId}`,
    [E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED]: (e) =>
      `c${e.childWorkflowExecutionCanceledEventAttributes?.initiatedEventId}`,
    [E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT]: (e) =>
      `c${e.childWorkflowExecutionTimedOutEventAttributes?.initiatedEventId}`,
    [E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED]: (e) =>
      `c${e.childWorkflowExecutionTerminatedEventAttributes?.initiatedEventId}`,
  };
  for (const e of events) {
    const t = ms(e);
    const o = opens[e.eventType as number];
    const c = closes[e.eventType as number];
    if (o) {
      if (!open.size) since = t;
      open.add(o(e));
    } else if (c && open.delete(c(e)) && !open.size) {
      waitingMs += t - since;
    }
  }
  if (open.size) waitingMs += end - since;
  return { totalMs: end - start, waitingMs, harnessMs: end - start - waitingMs };
}
