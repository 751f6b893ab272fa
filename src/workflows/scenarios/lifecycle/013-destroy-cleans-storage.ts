import { ANY_GPU, boot, chargedDuring, defineScenario, destroyAndVerify, must } from '../../kit';

/** 13 — Destroy an instance with a large disk: no volume left, no residual storage cost. */
export const destroyCleansStorageScenario = defineScenario(13, 'destroy-cleans-storage', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU, diskGb: 500 });
  ctx.check('large-disk', 'platform reports the large disk', inst.diskGb >= 500, `disk_space=${inst.diskGb}`);
  must(await destroyAndVerify(ctx, inst), 'destroy failed');
  const left = await ctx.steps.listByLabel({ labelPrefix: inst.label, kinds: ['volume'] });
  ctx.check('no-volume-left', 'no volume left behind', left.lines.length === 0, left.lines.join('; ') || 'none');
  const after = await chargedDuring(ctx, inst, 120, 'destroyed');
  ctx.check(
    'no-storage-cost',
    'no residual storage cost after destroy',
    after.costUsd < 1e-9 && after.storageGbSeconds < 1,
    `$${after.costUsd.toFixed(6)} and ${Math.round(after.storageGbSeconds)} GB-seconds in 120s`
  );
});
