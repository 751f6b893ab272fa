/**
 * How an activity that succeeded after retrying platform errors in place (the HTTP clients retry 429s, 5xx and
 * resets inside one attempt) tells the history so: its result is wrapped as `{ [RETRY_MARKER]: { retried }, value }`,
 * recorded as such in ActivityTaskCompleted, and unwrapped by the workflow interceptor (`interceptors.ts`) before any
 * workflow code sees it. Results without retries are not wrapped. Pure: shared by activities, workflows and the
 * tools that read histories.
 */

/** The key that marks a wrapped result; no activity result has it. */
export const RETRY_MARKER = '__dumontE2eRetriedInPlace';

/** What an activity's wrapped result records. */
export interface InPlaceRetries {
  /** The retryable errors met and retried inside the activity, oldest first (the last {@link MAX_NOTES}). */
  retried: string[];
  /** How many there were in all (more than `retried.length` when older ones were dropped). */
  count: number;
}

/** Notes kept per activity: enough to see what was retried, bounded so a long wait cannot bloat its result. */
export const MAX_NOTES = 20;

/** A successful result as the activity returns it when it retried in place. */
export interface RetryEnvelope<T = unknown> {
  [RETRY_MARKER]: InPlaceRetries;
  value: T;
}

/** Wraps `value` when `retried` is not empty; else returns it as is, so results without retries are unchanged. */
export function wrapRetried<T>(value: T, retried: readonly string[], count = retried.length): T | RetryEnvelope<T> {
  if (count === 0) return value;
  return { [RETRY_MARKER]: { retried: retried.slice(-MAX_NOTES), count }, value };
}

/** The retries a value carries, when it is a wrapped result. */
export function retriesOf(value: unknown): InPlaceRetries | undefined {
  if (typeof value !== 'object' || value === null || !(RETRY_MARKER in value)) return undefined;
  const r = (value as Record<string, unknown>)[RETRY_MARKER];
  if (typeof r !== 'object' || r === null) return undefined;
  const { retried, count } = r as Partial<InPlaceRetries>;
  if (!Array.isArray(retried)) return undefined;
  return { retried: retried.map(String), count: typeof count === 'number' ? count : retried.length };
}

/** The plain value of a result: unwrapped when it is an envelope, else itself. */
export function unwrapRetried(value: unknown): unknown {
  return retriesOf(value) ? (value as RetryEnvelope).value : value;
}
