import { boot, checkGpus, defineScenario, destroyAndVerify } from '../../kit';

/** 4 — 2x RTX 3090: both GPUs visible inside the instance. */
export const createMultiGpuScenario = defineScenario(4, 'create-multi-gpu', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: { gpu_name: 'RTX 3090', num_gpus: 2 } });
  ctx.check('platform-gpu-count', 'platform reports 2 GPUs', inst.numGpus === 2, `num_gpus=${inst.numGpus}`);
  await checkGpus(ctx, inst, 'RTX 3090', 2);
  const query = await ctx.probe(inst, 'nvidia-smi --query-gpu=name --format=csv,noheader | wc -l');
  ctx.check('gpu-query-count', 'nvidia-smi query counts 2 GPUs', query.stdout.trim() === '2', query.stdout.trim());
  await destroyAndVerify(ctx, inst);
});
