import { Context } from '@temporalio/activity';

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
  const timer = setInterval(() => ctx?.heartbeat(), everyMs);
  try {
    ctx.heartbeat();
    return await work();
  } finally {
    clearInterval(timer);
  }
}

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
  /** Give up after this many real milliseconds. */
  timeoutMs: number;
  intervalMs: number;
}

/**
 * Calls `probe` until it returns a value other than `undefined` or the deadline passes (then `undefined`).
 * Heartbeats with the attempt count so the Web UI shows the wait is alive.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, opts: PollOptions): Promise<T | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  let attempt = 0;
  for (;;) {
    attempt++;
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    heartbeat({ attempt });
    await pause(Math.min(opts.intervalMs, Math.max(0, deadline - Date.now())));
  }
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity (unit tests): nothing to report to
  }
}
