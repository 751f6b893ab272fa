import { ANY_GPU, boot, defineScenario, DESTROY_BUDGET_SECONDS } from '../../kit';

/** 15 — Create three instances and destroy them all in parallel. */
export const destroyBatchScenario = defineScenario(15, 'destroy-batch', async (ctx) => {
  const batch = await Promise.all(['batch-1', 'batch-2', 'batch-3'].map((step) => boot(ctx, step, { query: ANY_GPU })));
  const window = await ctx.window(DESTROY_BUDGET_SECONDS);
  await Promise.all(batch.map((inst) => ctx.steps.destroyInstance(inst.instanceId)));
  const gone = await Promise.all(
    batch.map((inst) => ctx.steps.waitUntilGone({ instanceId: inst.instanceId, ...window }))
  );
  const left = batch.filter((_, i) => !gone[i].gone);
  ctx.check(
    'batch-destroyed',
    `all ${batch.length} instances gone after the parallel destroy`,
    left.length === 0,
    left.length
      ? left
          .map((inst) => `${inst.instanceId} still listed at ${gone[batch.indexOf(inst)].seenAt.join(' and ')}`)
          .join('; ')
      : `${batch.length} gone`
  );
});
