import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { enable, GRACE_SECONDS, MONITOR_SECONDS } from './helpers';

/** How much of the grace may have passed between the instance running and serverless being enabled. */
const BOOT_TO_ENABLE_ALLOWANCE = 15;

/** 23 — A new instance is not auto-paused inside its grace period, even with a tiny idle threshold. */
export const autoPauseGracePeriodScenario = defineScenario(23, 'auto-pause-grace-period', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const window = await ctx.window(2 * GRACE_SECONDS + 4 * MONITOR_SECONDS);
  await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: 5 });
  const paused = await ctx.steps.waitForServerlessPaused({ instanceId: inst.instanceId, paused: true, ...window });
  if (paused.reached) ctx.metric('enableToPauseSeconds', paused.platformSeconds);
  ctx.limit({
    id: 'grace-respected',
    what: 'time before the first auto-pause',
    measured: paused.reached ? paused.platformSeconds : 2 * GRACE_SECONDS,
    op: '>=',
    limit: GRACE_SECONDS - BOOT_TO_ENABLE_ALLOWANCE,
    unit: 's',
  });
  ctx.check(
    'paused-after-grace',
    'auto-paused once the grace period is over',
    paused.reached,
    paused.reached ? '' : 'never paused'
  );
  await destroyAndVerify(ctx, inst);
});
