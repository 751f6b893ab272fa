import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { patched } from '@temporalio/workflow';
import { enable, enableAndWatchPause, latencyAllowance, MONITOR_SECONDS, outlastGrace, pausedWithin } from './helpers';

const IDLE_SECONDS = 60;

/** 21 — A GPU left idle for 60 s is paused by the platform, within one monitor round of the limit. */
export const autoPauseAfterIdleScenario = defineScenario(21, 'auto-pause-after-idle', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  // Enabled once the start's grace period is over: from then on only the idle time counts.
  await outlastGrace(ctx);
  const window = await ctx.window(3 * IDLE_SECONDS);
  const settings = { mode: 'economic' as const, idle_timeout_seconds: IDLE_SECONDS };
  // Enabled and watched in one activity, so the platform's idle_since is seen before the pause clears it.
  const paused = patched('s021-enable-and-watch')
    ? await enableAndWatchPause(ctx, inst, settings, window)
    : await enable(ctx, inst, settings).then(() => pausedWithin(ctx, inst, window));
  if (paused.seconds !== undefined) ctx.metric('idleToPauseSeconds', paused.seconds);
  if (paused.platformIdleSeconds !== undefined) ctx.metric('platformIdleToPauseSeconds', paused.platformIdleSeconds);
  // Late is judged on the platform's own clock when it reports one (from idle_since to paused_at, so a worker that
  // was away while the pause happened does not make it late); ours, with request latency allowed, otherwise.
  const platformClock = paused.seconds !== undefined && paused.platformIdleSeconds !== undefined;
  ctx.limit({
    id: 'auto-paused',
    what: `idle to auto-pause (${platformClock ? "platform's clock" : 'ours'})`,
    measured: platformClock ? paused.platformIdleSeconds : paused.seconds,
    op: '<=',
    limit: IDLE_SECONDS + 2 * MONITOR_SECONDS + (platformClock ? 0 : latencyAllowance(ctx)),
    unit: 's',
    ...(paused.seconds === undefined
      ? { note: `no pause within ${3 * IDLE_SECONDS}s` }
      : platformClock
        ? { note: `${Math.round(paused.seconds)}s by ours` }
        : {}),
  });
  ctx.limit({
    id: 'not-early',
    what: 'idle before the pause',
    measured: paused.seconds,
    op: '>=',
    limit: IDLE_SECONDS,
    unit: 's',
  });
  await destroyAndVerify(ctx, inst);
});
