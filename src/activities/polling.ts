import { performance } from 'node:perf_hooks';
import { Context } from '@temporalio/activity';
import { retryNotes } from './retry-notes';

/**
 * Heartbeats every `everyMs` while `work` runs, so a worker killed mid-call is noticed within the heartbeat
 * timeout instead of the (long) start-to-close timeout. Outside an activity context it just runs `work`.
 */
export async function withHeartbeat<T>(work: () => Promise<T>, everyMs = 1000): Promise<T> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    return work();
  }
  const beat = () => {
    const retried = retryNotes();
    // `beatAt` on every beat, the first one too: an attempt killed within the SDK's heartbeat throttle (a second)
    // leaves only its first beat on the server, and a retry counts the time no worker looked from it (`blindMs`).
    const details = {
      ...observations.get(ctx!),
      beatAt: Date.now(),
      ...(retried.length ? { retried: retried.slice(-5) } : {}),
    };
    ctx?.heartbeat(details);
  };
  const timer = setInterval(beat, everyMs);
  try {
    beat();
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * What each running activity has observed (see {@link PollOptions.observed}). Every heartbeat carries it, the
 * periodic ones of {@link withHeartbeat} too: the last heartbeat before a worker dies is what the retry reads back.
 */
const observations = new WeakMap<Context, Record<string, unknown>>();

/** Sleeps, waking early (with the activity's CancelledFailure) when the activity is cancelled. */
export async function pause(ms: number): Promise<void> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    // outside an activity (direct calls in tests): a plain timer
    await new Promise((resolve) => setTimeout(resolve, ms));
    return;
  }
  await ctx.sleep(ms);
}

/** Real milliseconds for a number of platform seconds under `timeScale`. */
export function scaled(platformSeconds: number, timeScale: number): number {
  return platformSeconds * 1000 * timeScale;
}

export interface PollOptions {
  /**
   * Give up at this absolute time (epoch ms), moved later by the time no worker of the harness could look (see
   * {@link blindMs}); the probe still runs once when it has already passed.
   */
  deadlineMs: number;
  /** When the wait's window opened (epoch ms): with it, a worker restart inside the window counts as blind time. */
  startedAtMs?: number;
  intervalMs: number;
  /**
   * What the wait has observed so far, sent with each heartbeat: a retry of the activity (after a worker died) reads
   * it back with {@link observedBefore}, so an observation the platform no longer shows is not lost.
   */
  observed?: () => Record<string, unknown> | undefined;
}

/**
 * The window of one wait, fixed by the workflow BEFORE the action it waits on (from the `now` activity), so that
 * retries of the waiting activity neither extend the deadline nor restart the measurement.
 */
export interface WaitWindow {
  /** When the awaited action was started (epoch ms): what measured durations count from. */
  startedAtMs: number;
  /** When to give up (epoch ms). */
  deadlineMs: number;
  /** Real seconds per platform second. */
  timeScale: number;
}

/** Platform seconds from the window's start until now. */
export function platformSecondsSince(window: WaitWindow): number {
  return (Date.now() - window.startedAtMs) / 1000 / window.timeScale;
}

/** The window's length in platform seconds, for messages. */
export function windowSeconds(window: WaitWindow): number {
  return Math.round((window.deadlineMs - window.startedAtMs) / 1000 / window.timeScale);
}

/**
 * Calls `probe` until it returns a value other than `undefined` or the deadline passes (then `undefined`).
 * Heartbeats with the attempt count so the Web UI shows the wait is alive.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, opts: PollOptions): Promise<T | undefined> {
  const blind = blindMs(opts.startedAtMs);
  const deadline = opts.deadlineMs + blind;
  let attempt = 0;
  for (;;) {
    attempt++;
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    // When it beat and the blind time so far ride with every heartbeat, the periodic ones too: a retry reads them back.
    heartbeat({ attempt }, { ...opts.observed?.(), beatAt: Date.now(), ...(blind ? { blindMs: blind } : {}) });
    await pause(Math.min(opts.intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/** When this worker process started, ms since the epoch (reported with waits: see `spannedRestart` in the kit). */
export const WORKER_STARTED_AT_MS = Math.round(performance.timeOrigin);

/**
 * Real milliseconds of a wait's window during which no worker could look at the platform, which a wait adds to its
 * deadline: a time limit is a claim about the platform, and an outage of the harness is not the platform's time.
 * Measured values are untouched (they still count from the window's start); only the give-up moment moves.
 * - This attempt follows one whose worker died (attempt > 1): from the last heartbeat of that attempt to now, plus
 *   what the attempts before it had already counted.
 * - This worker process started after the window opened (its predecessor died after fixing the window, e.g. during
 *   the resume the wait is for): from the window's start until this activity was first scheduled.
 * 0 outside an activity, and for a wait on the worker that opened its window, whose first attempt never moves.
 */
export function blindMs(startedAtMs?: number, now = Date.now()): number {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return 0;
  }
  const pre =
    startedAtMs !== undefined && performance.timeOrigin > startedAtMs
      ? Math.max(0, info.scheduledTimestampMs - startedAtMs)
      : 0;
  const before = info.attempt > 1 ? observedBefore() : undefined;
  if (!before || typeof before.beatAt !== 'number') return pre;
  const counted = typeof before.blindMs === 'number' ? before.blindMs : 0;
  return Math.max(pre, counted) + Math.max(0, now - before.beatAt);
}

/**
 * What an earlier attempt of this activity recorded with {@link PollOptions.observed} (its last heartbeat), or
 * undefined on a first attempt or outside an activity.
 */
export function observedBefore(): Record<string, unknown> | undefined {
  try {
    const details: unknown = Context.current().info.heartbeatDetails;
    return details && typeof details === 'object' ? (details as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records what an observation that polls on its own (not through {@link pollUntil}) has seen so far: it rides with
 * every heartbeat, the periodic ones too, and a retry after its worker died reads it back with {@link observedBefore}.
 */
export function noteObserved(observed: Record<string, unknown>): void {
  heartbeat({}, { ...observed, beatAt: Date.now() });
}

function heartbeat(details: Record<string, unknown>, observed?: Record<string, unknown>): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return; // not in an activity (unit tests): nothing to report to
  }
  if (observed) observations.set(ctx, { ...observations.get(ctx), ...observed });
  ctx.heartbeat({ ...details, ...observations.get(ctx) });
}
