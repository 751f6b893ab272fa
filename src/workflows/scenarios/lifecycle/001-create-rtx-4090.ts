import { boot, checkGpus, defineScenario, destroyAndVerify } from '../../kit';

/** 1 — Provision an RTX 4090, verify SSH and the GPU, destroy. */
export const createRtx4090Scenario = defineScenario(1, 'create-rtx-4090', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: { gpu_name: 'RTX 4090', num_gpus: 1 } });
  ctx.check('platform-gpu', 'platform reports an RTX 4090', inst.gpuName === 'RTX 4090', `gpu_name=${inst.gpuName}`);
  await checkGpus(ctx, inst, 'RTX 4090', 1);
  await destroyAndVerify(ctx, inst);
});
