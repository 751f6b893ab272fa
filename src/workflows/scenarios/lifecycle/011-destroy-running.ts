import { ANY_GPU, boot, chargedDuring, defineScenario, destroyAndVerify } from '../../kit';

/** 11 — Destroy a running instance at once: gone everywhere, billing stops. */
export const destroyRunningScenario = defineScenario(11, 'destroy-running', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const row = await ctx.steps.getInstance(inst.instanceId);
  ctx.check(
    'running-before-destroy',
    'platform reports running before destroy',
    row?.actual_status === 'running',
    `actual_status=${row?.actual_status}`
  );
  if (!(await destroyAndVerify(ctx, inst))) return;
  const after = await chargedDuring(ctx, inst, 60, 'destroyed');
  ctx.check(
    'no-charges-after-destroy',
    'no charges accrue after destroy',
    after.costUsd < 1e-9,
    `$${after.costUsd.toFixed(6)} in 60s`
  );
});
