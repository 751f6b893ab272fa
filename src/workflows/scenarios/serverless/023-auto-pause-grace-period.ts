import { ANY_GPU, boot, defineScenario, destroyAndVerify, must } from '../../kit';
import { enable, GRACE_SECONDS, MONITOR_SECONDS, pausedWithin } from './helpers';

/**
 * 23 — No auto-pause inside the grace period after a wake, even with a 5 s idle threshold. Measured from just before
 * the wake: the grace starts when the instance is ready again, later than that, so the pause is at least a grace away.
 */
export const autoPauseGracePeriodScenario = defineScenario(23, 'auto-pause-grace-period', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: 5 });
  // The first auto-pause comes once the boot's grace is over; the wake opens a new grace.
  const first = await pausedWithin(ctx, inst, await ctx.window(2 * GRACE_SECONDS + 4 * MONITOR_SECONDS));
  must(
    ctx.check(
      'first-pause',
      'auto-paused after the boot',
      first.seconds !== undefined,
      first.seconds !== undefined
        ? `after ${Math.round(first.seconds)}s`
        : 'no auto-pause within the wait (the platform never saw the GPU idle)'
    ),
    'no pause'
  );
  // Opened before the wake: the new grace starts when the instance is ready again, after this window's start.
  const window = await ctx.window(3 * GRACE_SECONDS + 4 * MONITOR_SECONDS);
  // Only the wake's answer: a platform that ignores the grace may pause again before SSH is even tried.
  const woke = await ctx.steps.wakeServerless({ suiteId: ctx.suiteId, instanceId: inst.instanceId });
  // `already_running` answers a wake asked again after a lost answer: the first request resumed the instance.
  const resumedByRetry = woke.status === 'already_running' && woke.retried;
  ctx.check(
    'woke',
    'wake answers that the instance resumed',
    woke.status === 'resumed' || resumedByRetry,
    `wake: ${woke.status}${resumedByRetry ? ' (asked again after a lost answer)' : ''}`
  );
  const paused = await pausedWithin(ctx, inst, window);
  if (paused.seconds !== undefined) ctx.metric('wakeToPauseSeconds', paused.seconds);
  // On the platform's own clock when it says (`paused_at`, and `grace_until` = ready + grace): exact, where ours adds
  // request latency; otherwise ours, from before the wake (the grace starts later than that, when it is ready).
  const pausedAt = paused.status?.paused_at ?? null;
  const graceUntil = paused.status?.grace_until ?? null;
  const platformSeconds =
    pausedAt !== null && graceUntil !== null ? pausedAt - (graceUntil - GRACE_SECONDS) : undefined;
  ctx.limit({
    id: 'grace-respected',
    what: platformSeconds !== undefined ? 'ready to next auto-pause (platform clock)' : 'wake to next auto-pause',
    measured: platformSeconds ?? paused.seconds ?? 2 * GRACE_SECONDS,
    op: '>=',
    limit: GRACE_SECONDS,
    unit: 's',
  });
  ctx.check(
    'paused-after-grace',
    'auto-paused once the grace period is over',
    paused.seconds !== undefined,
    paused.seconds ? '' : 'never paused'
  );
  await destroyAndVerify(ctx, inst);
});
