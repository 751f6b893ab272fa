import { ApplicationFailure, Context } from '@temporalio/activity';
import { PlatformError } from '../platform/errors';
import { withHeartbeat } from './polling';
import { wrapRetried } from '../workflows/retry-envelope';
import { retryCount, retryNotes, withRetryNotes } from './retry-notes';

/** Failure types workflows match on (`ApplicationFailure.type`). */
export const FailureTypes = {
  /** A wait ran past its deadline: the platform did not do what it promised in time. */
  WaitTimeout: 'WaitTimeout',
  /** The instance reached a terminal bad state (`exited`, `unknown`, `offline`). */
  InstanceFailed: 'InstanceFailed',
  /**
   * The instance is up or coming up but its row gives no SSH address yet (VAST maps the port a moment after it
   * reports `running`). Retryable: the activity's retry policy backs off and reads the row again.
   */
  SshNotReady: 'SshNotReady',
  /** The requested offer is gone (or no offer can ever match): retrying the same request cannot help. */
  NoOffer: 'NoOffer',
  /**
   * Every offer matching the query is rented right now. Retryable: offers come back within minutes as other
   * renters release GPUs, so the activity backs off and searches again.
   */
  NoCapacity: 'NoCapacity',
  /**
   * A create lost its answer and nothing with its label appeared within the landing window. Retryable: the next
   * attempt looks for the label once more before it creates.
   */
  CreateOutcomeUnknown: 'CreateOutcomeUnknown',
  /** Bad input to an activity: retrying cannot help. */
  InvalidInput: 'InvalidInput',
  /** Cleanup ran past its bound with resources still alive; they are named in the message and counted as leaked. */
  CleanupIncomplete: 'CleanupIncomplete',
} as const;

export function nonRetryable(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

export function retryable(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.retryable(message, type);
}

/**
 * Converts platform errors into Temporal failures: non-retryable platform errors (bad request, auth) stop the
 * activity's retries at once; retryable ones (429, 5xx, resets, malformed bodies) are rethrown so the activity
 * retry policy backs off and tries again.
 */
export function toActivityFailure(err: unknown, retried: readonly string[] = []): unknown {
  // What was retried before the failure goes into its message, so the history keeps it.
  const earlier = retried.filter((m) => !(err instanceof Error) || m !== err.message);
  const suffix = earlier.length ? ` (retried before: ${earlier.slice(-3).join('; ')})` : '';
  if (err instanceof PlatformError) {
    return err.retryable
      ? ApplicationFailure.retryable(`${err.message}${suffix}`, err.name)
      : ApplicationFailure.nonRetryable(`${err.message}${suffix}`, err.name);
  }
  return err;
}

/** Whether this runs as a Temporal activity (direct calls, from tools and tests, get plain values). */
function inActivity(): boolean {
  try {
    Context.current();
    return true;
  } catch {
    return false;
  }
}

/**
 * Wraps every function of an activity object: failures go through {@link toActivityFailure}, and every
 * activity heartbeats while it runs, so the death of its worker is noticed within the heartbeat timeout
 * (seconds) rather than its start-to-close timeout (minutes). A success after platform errors retried in place is
 * returned wrapped with them (`retry-envelope.ts`), so its ActivityTaskCompleted event shows them; the workflow
 * interceptor unwraps it before workflow code sees the value.
 */
export function mapFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(acts: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(acts)) {
    out[name] = async (...args: never[]) => {
      return withRetryNotes(async () => {
        try {
          const value = await withHeartbeat(() => fn(...args));
          return inActivity() ? wrapRetried(value, retryNotes(), retryCount()) : value;
        } catch (err) {
          throw toActivityFailure(err, retryNotes());
        }
      });
    };
  }
  return out as T;
}
