import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { enable } from './helpers';

/** 20 — Disable serverless: the configuration goes, and the instance keeps running. */
export const disableServerlessScenario = defineScenario(20, 'disable-serverless', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: 600 });
  await ctx.steps.disableServerless({ instanceId: inst.instanceId });
  const status = await ctx.steps.serverlessStatus({ instanceId: inst.instanceId });
  ctx.check(
    'config-removed',
    'no serverless status after disable',
    status === null,
    status ? `mode ${status.mode}` : '404'
  );
  await ctx.sleep(30);
  const row = await ctx.steps.getInstance(inst.instanceId);
  // Only a running instance has an SSH address to try.
  const probe = row?.actual_status === 'running' ? await ctx.probe(inst, 'echo alive') : undefined;
  ctx.check(
    'running-after-disable',
    'the instance is still running and reachable over SSH after disable',
    row?.actual_status === 'running' && probe?.stdout.trim() === 'alive',
    `actual_status ${row?.actual_status}, ssh ${probe ? (probe.code === 0 ? 'ok' : `exit ${probe.code}`) : 'not tried'}`
  );
  await destroyAndVerify(ctx, inst);
});
