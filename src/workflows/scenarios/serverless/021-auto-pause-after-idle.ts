import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { enable, latencyAllowance, MONITOR_SECONDS, outlastGrace, pausedWithin } from './helpers';

const IDLE_SECONDS = 60;

/** 21 — A GPU left idle for 60 s is paused by the platform, within one monitor round of the limit. */
export const autoPauseAfterIdleScenario = defineScenario(21, 'auto-pause-after-idle', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  // Enabled once the start's grace period is over: from then on only the idle time counts.
  await outlastGrace(ctx);
  const window = await ctx.window(3 * IDLE_SECONDS);
  await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: IDLE_SECONDS });
  const paused = await pausedWithin(ctx, inst, window);
  if (paused.seconds !== undefined) ctx.metric('idleToPauseSeconds', paused.seconds);
  ctx.limit({
    id: 'auto-paused',
    what: 'idle to auto-pause',
    measured: paused.seconds,
    op: '<=',
    limit: IDLE_SECONDS + 2 * MONITOR_SECONDS + latencyAllowance(ctx),
    unit: 's',
    ...(paused.seconds === undefined ? { note: `no pause within ${3 * IDLE_SECONDS}s` } : {}),
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
