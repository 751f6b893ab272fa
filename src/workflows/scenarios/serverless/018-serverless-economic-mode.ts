import { isCancellation, patched } from '@temporalio/workflow';
import { ANY_GPU, boot, chargedDuring, defineScenario, destroyAndVerify, messageOf, must } from '../../kit';
import { enable, GRACE_SECONDS, idleUntilPaused, MONITOR_SECONDS } from './helpers';

/** How long the provider may take to stop the instance once the platform says it paused it, platform seconds. */
const STOP_BUDGET_SECONDS = 60;

/** 18 — Economic mode: no standby, and the auto-pause is the GPU instance's native pause (billing stops). */
export const serverlessEconomicModeScenario = defineScenario(18, 'serverless-economic-mode', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: 10 });
  const standbys = (await ctx.steps.listStandbys()).filter((s) => s.gpu_instance_id === inst.instanceId);
  ctx.check('no-standby', 'economic mode rents no standby', standbys.length === 0, `${standbys.length} standby`);
  const paused = await idleUntilPaused(ctx, inst, GRACE_SECONDS + 10 + 4 * MONITOR_SECONDS + 60);
  must(
    ctx.check(
      'auto-paused',
      'the platform paused the idle instance',
      paused.seconds !== undefined,
      paused.seconds !== undefined
        ? `after ${Math.round(paused.seconds)}s`
        : 'no auto-pause within the wait (the platform never saw the GPU idle)'
    ),
    'no pause'
  );
  let stopped: { ok: boolean; detail: string };
  if (patched('s018-wait-until-stopped')) {
    // A stop takes the provider a few seconds (VAST shows running/stopped meanwhile): waited for, bounded, rather
    // than read once right after is_paused turned true.
    const window = await ctx.window(STOP_BUDGET_SECONDS);
    try {
      await ctx.steps.waitForStopped({ instanceId: inst.instanceId, suiteId: ctx.suiteId, ...window });
      stopped = { ok: true, detail: 'stopped' };
    } catch (err) {
      if (isCancellation(err)) throw err;
      stopped = { ok: false, detail: messageOf(err) };
    }
  } else {
    const row = await ctx.steps.getInstance(inst.instanceId);
    stopped = { ok: row?.actual_status !== 'running', detail: `actual_status ${row?.actual_status}` };
  }
  const charged = await chargedDuring(ctx, inst, 30, 'paused (economic mode)');
  ctx.check(
    'paused-natively',
    'the pause is the instance stopping: stopped at the platform and no GPU billed',
    stopped.ok &&
      (charged.gpuSecondsReported ? charged.gpuSeconds < 1 : charged.costUsd < (inst.dphTotal * 30) / 3600 / 10),
    `${stopped.detail}; ${Math.round(charged.gpuSeconds)} GPU-s, $${charged.costUsd.toFixed(6)} in 30s paused`
  );
  await destroyAndVerify(ctx, inst);
});
