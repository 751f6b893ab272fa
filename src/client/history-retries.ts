/**
 * The platform errors a workflow's activities retried in place and then succeeded, read back from its history:
 * each such activity's ActivityTaskCompleted result carries them (src/workflows/retry-envelope.ts). Retries of whole
 * activity attempts are the other half, in ActivityTaskStarted's `attempt`.
 */
import { retriesOf } from '../workflows/retry-envelope';
import { decode, num, type History } from './history-events';

/** One activity's in-place retries, as its completion recorded them. */
export interface InPlaceRetriesEvent {
  activityType: string;
  /** The ActivityTaskCompleted event's id. */
  eventId: number;
  count: number;
  retried: string[];
}

/** Every completed activity of `history` whose result carries in-place retries, in history order. */
export function inPlaceRetriesIn(history: History): InPlaceRetriesEvent[] {
  const typeOf = new Map<number, string>();
  const out: InPlaceRetriesEvent[] = [];
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(num(e.eventId), scheduled.activityType?.name ?? '?');
    const completed = e.activityTaskCompletedEventAttributes;
    if (!completed) continue;
    const retries = retriesOf(decode(completed.result?.payloads));
    if (!retries) continue;
    out.push({
      activityType: typeOf.get(num(completed.scheduledEventId)) ?? '?',
      eventId: num(e.eventId),
      count: retries.count,
      retried: retries.retried,
    });
  }
  return out;
}

/** Activity attempts after the first (whole attempts retried by Temporal's retry policy) in `history`. */
export function retriedAttemptsIn(history: History): number {
  let retries = 0;
  for (const e of history.events ?? []) {
    const attempt = e.activityTaskStartedEventAttributes?.attempt ?? 1;
    if (attempt > 1) retries += attempt - 1;
  }
  return retries;
}
