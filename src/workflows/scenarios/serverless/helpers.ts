/**
 * Steps the serverless scenarios (16–27) share: enable auto-pause, wait for the platform's own pause, wake and
 * measure the cold start until SSH answers. Times are platform seconds; limits are compared, never just awaited.
 */
import type { InstanceRef } from '../../../activities/instances';
import type { WaitWindow } from '../../../activities/polling';
import type { ServerlessSettings, ServerlessStatus } from '../../../activities/serverless';
import { isCancellation, patched } from '@temporalio/workflow';
import { messageOf, must, spannedRestart, timeToRunning, type ScenarioContext, type WatchedBy } from '../../kit';

/** The platform's grace period after an instance starts running or wakes (no auto-pause inside it). */
export const GRACE_SECONDS = 60;
/** How often the platform's monitor looks at an instance (Dumont checks every 5 s). */
export const MONITOR_SECONDS = 5;

/**
 * Platform seconds of slack for request and polling latency on top of a limit: real latency does not shrink with the
 * simulator's clock, so at a small time scale half a real second is many platform seconds (capped at a minute).
 */
export function latencyAllowance(ctx: ScenarioContext): number {
  return Math.min(60, 0.5 / ctx.timeScale);
}

/** Enables auto-pause and checks the platform now reports it (check `serverless-enabled`). */
export async function enable(
  ctx: ScenarioContext,
  inst: InstanceRef,
  settings: ServerlessSettings
): Promise<ServerlessStatus> {
  await ctx.steps.enableServerless({ instanceId: inst.instanceId, settings });
  const status = await ctx.steps.serverlessStatus({ instanceId: inst.instanceId });
  must(
    ctx.check(
      'serverless-enabled',
      'serverless status is reported after enable',
      status !== null,
      status ? `mode ${status.mode}, idle ${status.idle_timeout_seconds}s` : 'no status (404)'
    ),
    'not enabled'
  );
  return status!;
}

/** Waits out the platform's grace period after a boot or a wake (plus one monitor round), in platform time. */
export async function outlastGrace(ctx: ScenarioContext): Promise<void> {
  await ctx.sleep(GRACE_SECONDS + MONITOR_SECONDS);
}

/**
 * Resets the idle timer now (as the platform's agent does when work arrives) and waits for the platform to pause
 * the instance by itself, within `budgetSeconds`. Returns the measured idle-to-pause time, or undefined.
 */
export async function idleUntilPaused(
  ctx: ScenarioContext,
  inst: InstanceRef,
  budgetSeconds: number
): Promise<{ seconds?: number; status: ServerlessStatus | null }> {
  const window = await ctx.window(budgetSeconds);
  await ctx.steps.keepAlive({ instanceId: inst.instanceId });
  const paused = await ctx.steps.waitForServerlessPaused({ instanceId: inst.instanceId, paused: true, ...window });
  return { seconds: paused.reached ? paused.platformSeconds : undefined, status: paused.status };
}

/**
 * Enables auto-pause in `mode` with a 10 s idle timeout, waits out the grace and lets the platform pause the idle
 * instance by itself; a missing pause is the failed check `check` and ends the body.
 */
export async function pauseByIdleness(
  ctx: ScenarioContext,
  inst: InstanceRef,
  mode: 'fast' | 'economic',
  check: string
): Promise<number> {
  await enable(ctx, inst, { mode, idle_timeout_seconds: 10 });
  await outlastGrace(ctx);
  const paused = await idleUntilPaused(ctx, inst, 10 + 6 * MONITOR_SECONDS);
  must(
    ctx.check(
      check,
      `${mode}: the platform paused the idle instance`,
      paused.seconds !== undefined,
      paused.seconds !== undefined
        ? `after ${Math.round(paused.seconds)}s`
        : 'no auto-pause within the wait (the platform never saw the GPU idle)'
    ),
    'no pause'
  );
  if (patched('serverless-hold-after-pause')) {
    // Once paused, the idle timeout has done its part. Left at 10 s, the next auto-pause comes 70 platform seconds
    // after the wake (grace + idle): under a real second at the simulator's clock, and shorter than confirming SSH
    // after a wake whose answer was lost takes. An hour holds the instance awake until the scenario acts again;
    // re-enabling a paused instance keeps it paused (and fast mode keeps its standby).
    await ctx.steps.enableServerless({ instanceId: inst.instanceId, settings: { mode, idle_timeout_seconds: 3600 } });
  }
  return paused.seconds!;
}

/** Waits for the platform's own pause within `window` (fixed before what started the idle time). */
export async function pausedWithin(
  ctx: ScenarioContext,
  inst: InstanceRef,
  window: WaitWindow
): Promise<{ seconds?: number; status: ServerlessStatus | null; platformIdleSeconds?: number }> {
  const paused = await ctx.steps.waitForServerlessPaused({ instanceId: inst.instanceId, paused: true, ...window });
  const pausedAt = paused.status?.paused_at ?? null;
  return {
    seconds: paused.reached ? paused.platformSeconds : undefined,
    status: paused.status,
    // Idle-to-pause on the platform's own clock: exact, where ours carries request latency.
    ...(paused.reached && pausedAt !== null && paused.idleSince !== null
      ? { platformIdleSeconds: pausedAt - paused.idleSince }
      : {}),
  };
}

/** Wakes a paused instance and measures, ourselves, how long until SSH answers; with what the platform reported. */
export async function wakeAndMeasure(
  ctx: ScenarioContext,
  inst: InstanceRef,
  budgetSeconds = 600
): Promise<{
  measured?: number;
  reported: number | null;
  status: string;
  readyAtAnswer: boolean;
  /** The wake was asked again after a lost answer (so `already_running` may be the first request's doing). */
  retried: boolean;
  note?: string;
  /**
   * The measurement spans a worker restart: no worker watched part of it (`blindMs`, real ms), or a worker that
   * started after the scenario measured it (catching up on every open workflow while it did).
   */
  restart?: { blindMs: number };
}> {
  const window = await ctx.window(budgetSeconds);
  let answer: {
    status: string;
    cold_start_seconds: number | null;
    readyAtAnswer: boolean;
    stateAtAnswer: string;
    retried?: boolean;
    blindMs?: number;
    workerStartedAtMs?: number;
  };
  try {
    answer = await ctx.steps.wakeServerless({
      suiteId: ctx.suiteId,
      instanceId: inst.instanceId,
      startedAtMs: window.startedAtMs,
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    answer = {
      status: `failed: ${messageOf(err)}`,
      cold_start_seconds: null,
      readyAtAnswer: false,
      stateAtAnswer: '',
    };
  }
  // A wake that answered with the instance reachable (verified at the answer) took as long as its answer did; only
  // otherwise is SSH waited for separately (the next auto-pause may come soon after a wake, so no extra round trip).
  const answeredAfter = ((await ctx.steps.now()) - window.startedAtMs) / 1000 / ctx.timeScale;
  const up = answer.readyAtAnswer
    ? { seconds: answeredAfter, note: undefined }
    : await timeToRunning(ctx, inst, window);
  const restart = spannedRestart(answer, up as WatchedBy);
  return {
    measured: up.seconds,
    reported: answer.cold_start_seconds,
    status: answer.status,
    readyAtAnswer: answer.readyAtAnswer,
    retried: answer.retried === true,
    note: up.note ?? (answer.readyAtAnswer ? undefined : `right after the answer: ${answer.stateAtAnswer}`),
    ...(restart ? { restart } : {}),
  };
}

/**
 * Enables auto-pause and watches for the platform's pause in one activity (no workflow round trip in between, so
 * the platform's first `idle_since` is seen even when the idle timeout is shorter than a round trip at the
 * simulator's clock); the idle-to-pause is then measured on the platform's clock too.
 */
export async function enableAndWatchPause(
  ctx: ScenarioContext,
  inst: InstanceRef,
  settings: ServerlessSettings,
  window: WaitWindow
): Promise<{ seconds?: number; status: ServerlessStatus | null; platformIdleSeconds?: number }> {
  const watched = await ctx.steps.enableAndWaitPaused({ instanceId: inst.instanceId, settings, ...window });
  const pausedAt = watched.status?.paused_at ?? null;
  return {
    seconds: watched.reached ? watched.platformSeconds : undefined,
    status: watched.status,
    ...(watched.reached && pausedAt !== null && watched.idleSince !== null
      ? { platformIdleSeconds: pausedAt - watched.idleSince }
      : {}),
  };
}
