import { ANY_GPU, boot, defineScenario, destroyAndVerify, must } from '../../kit';
import { enable } from './helpers';

/** 17 — Fast mode: a CPU standby is kept in sync with the GPU instance, and goes away with it. */
export const serverlessFastModeScenario = defineScenario(17, 'serverless-fast-mode', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const status = await enable(ctx, inst, { mode: 'fast', idle_timeout_seconds: 600 });
  must(
    ctx.check('mode-fast', 'the platform keeps fast mode', status.mode === 'fast', `mode ${status.mode}`),
    'not fast'
  );
  const first = (await ctx.steps.listStandbys()).find((s) => s.gpu_instance_id === inst.instanceId);
  await ctx.sleep(60);
  const later = (await ctx.steps.listStandbys()).find((s) => s.gpu_instance_id === inst.instanceId);
  ctx.check(
    'standby-syncing',
    'a CPU standby follows the instance and its sync count grows',
    !!later && (later.sync_count ?? 0) > (first?.sync_count ?? 0) && ['syncing', 'ready'].includes(later.state ?? ''),
    later ? `state ${later.state}, sync count ${first?.sync_count ?? 'none'} → ${later.sync_count}` : 'no standby'
  );
  must(await destroyAndVerify(ctx, inst), 'destroy failed');
  const left = (await ctx.steps.listStandbys()).filter((s) => s.gpu_instance_id === inst.instanceId);
  ctx.check('standby-destroyed', 'the standby goes with its instance', left.length === 0, `${left.length} left`);
});
