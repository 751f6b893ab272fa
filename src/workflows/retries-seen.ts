/**
 * The platform errors this workflow's activities retried in place and still succeeded, as the interceptor
 * (`interceptors.ts`) unwrapped them from their results. Module state is per workflow (the SDK gives each workflow
 * its own module cache), so a scenario reads only its own.
 */
import type { InPlaceRetries } from './retry-envelope';

/** Retries absorbed in place by the activities of one workflow, by activity type. */
export interface RetriesSeen {
  /** Retryable errors met and retried in place, in all. */
  total: number;
  /** The same, by activity type (`getInstance`: 3). */
  byActivity: Record<string, number>;
}

let seen: RetriesSeen = { total: 0, byActivity: {} };

/** Records the retries one activity's result carried. */
export function noteRetriesSeen(activityType: string, retries: InPlaceRetries): void {
  seen.total += retries.count;
  seen.byActivity[activityType] = (seen.byActivity[activityType] ?? 0) + retries.count;
}

/** What this workflow's activities retried in place so far (a copy). */
export function retriesSeen(): RetriesSeen {
  return { total: seen.total, byActivity: { ...seen.byActivity } };
}

/** Forgets what was seen (tests). */
export function resetRetriesSeen(): void {
  seen = { total: 0, byActivity: {} };
}
