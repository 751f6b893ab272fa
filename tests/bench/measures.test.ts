/**
 * The bench's arithmetic: quantiles, and the timings it reads from histories. Benchmarks measure; these tests check
 * that what they compute from events is right (no timing assertions against the machine).
 */
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { stepRoundTrips, waitingVersusHarness, workflowTaskLatencies } from '../../bench/lib/history';
import { distribution, quantile, ratio } from '../../bench/lib/stats';

const { EventType: E, TaskQueueKind } = temporal.api.enums.v1;
type Ev = temporal.api.history.v1.IHistoryEvent;

let id = 0;
// Plain numbers where the protobuf types say Long: the code under test reads them with Number().
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 }) as unknown as Ev['eventTime'];
const ev = (eventType: number, ms: number, extra: Partial<Ev> = {}): Ev => ({
  eventId: ++id as unknown as Ev['eventId'],
  eventType,
  eventTime: at(ms),
  ...extra,
});

describe('stats', () => {
  it('nearest-rank quantiles and summaries', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(distribution([...values].reverse())).toMatchObject({ n: 100, p50: 50, p99: 99, max: 100, mean: 50.5 });
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(1, 0)).toBeNaN();
  });
});

describe('history timings', () => {
  it('step round trips are the gaps between workflow-task completions (the start is not a step)', () => {
    const events = [
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 900),
      ...[0, 100, 250, 600].map((t) => ev(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 1000 + t)),
    ];
    expect(stepRoundTrips(events)).toEqual([100, 150, 350]);
  });

  it('workflow-task latencies and the sticky count', () => {
    const sticky = {
      workflowTaskScheduledEventAttributes: { taskQueue: { kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY } },
    };
    const events = [
      ev(E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 0),
      ev(E.EVENT_TYPE_WORKFLOW_TASK_STARTED, 10),
      ev(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 30),
      ev(E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 100, sticky),
      ev(E.EVENT_TYPE_WORKFLOW_TASK_STARTED, 105),
      ev(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 140),
    ];
    expect(workflowTaskLatencies(events)).toEqual({ toStart: [10, 5], toComplete: [30, 40], sticky: 1, normal: 1 });
  });

  it('splits a workflow into waiting (something pending) and harness time (nothing pending)', () => {
    const events = [
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0),
      ev(E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 100),
      ev(E.EVENT_TYPE_TIMER_STARTED, 150, { timerStartedEventAttributes: { timerId: '1' } }),
    ];
    const activity = events[1]!.eventId!;
    events.push(
      ev(E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 400, {
        activityTaskCompletedEventAttributes: { scheduledEventId: activity },
      }),
      // overlapping waits count once: 100 → 500
      ev(E.EVENT_TYPE_TIMER_FIRED, 500, { timerFiredEventAttributes: { timerId: '1' } }),
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 700)
    );
    expect(waitingVersusHarness(events)).toEqual({ totalMs: 700, waitingMs: 400, harnessMs: 300 });
  });
});
