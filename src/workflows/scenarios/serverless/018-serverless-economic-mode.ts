import { ANY_GPU, boot, chargedDuring, defineScenario, destroyAndVerify, must } from '../../kit';
import { enable, GRACE_SECONDS, idleUntilPaused, MONITOR_SECONDS } from './helpers';

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
  const row = await ctx.steps.getInstance(inst.instanceId);
  const charged = await chargedDuring(ctx, inst, 30);
  ctx.check(
    'paused-natively',
    'the pause is the instance stopping: stopped at the platform and no GPU billed',
    row?.actual_status !== 'running' &&
      (charged.gpuSecondsReported ? charged.gpuSeconds < 1 : charged.costUsd < (inst.dphTotal * 30) / 3600 / 10),
    `actual_status ${row?.actual_status}; ${Math.round(charged.gpuSeconds)} GPU-s, $${charged.costUsd.toFixed(6)} in 30s paused`
  );
  await destroyAndVerify(ctx, inst);
});
