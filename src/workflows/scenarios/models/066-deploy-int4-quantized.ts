import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy, gpuMemory } from './helpers';

const FP16 = 'meta-llama/Llama-3.1-8B-Instruct';
const INT4 = 'hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4';
const PHRASE = 'quantized weights still speak clearly';

/** 66 — The same 8B model in FP16 and in AWQ INT4, side by side: INT4 answers alike in clearly less GPU memory. */
export const deployInt4QuantizedScenario = defineScenario(66, 'deploy-int4-quantized', async (ctx) => {
  const gpu = { model_type: 'llm' as const, gpu_type: 'RTX 3090' };
  const [fp16, int4] = await Promise.all([
    deploy(ctx, 'fp16', { model_id: FP16, ...gpu }),
    deploy(ctx, 'int4', { model_id: INT4, ...gpu }),
  ]);
  for (const [dep, model] of [
    [int4, INT4],
    [fp16, FP16],
  ] as const) {
    const body = { model, messages: [{ role: 'user', content: `Repeat after me: ${PHRASE}` }] };
    const answer = await ctx.steps.chatCompletion({ deploymentId: dep.deploymentId, body });
    ctx.check(
      `${dep.step}-answers`,
      `${dep.step} model repeats the phrase`,
      answer.content === PHRASE,
      answer.content ?? answer.error ?? ''
    );
  }
  const [memFp16, memInt4] = await Promise.all([gpuMemory(ctx, fp16), gpuMemory(ctx, int4)]);
  if (memFp16.used !== undefined) ctx.metric('vramFp16MiB', memFp16.used);
  if (memInt4.used !== undefined) ctx.metric('vramInt4MiB', memInt4.used);
  ctx.limit({
    id: 'vram-int4-reduced',
    what: 'INT4 GPU memory as a share of FP16',
    measured: memInt4.used !== undefined && memFp16.used ? (100 * memInt4.used) / memFp16.used : undefined,
    op: '<=',
    limit: 50,
    unit: '%',
    note: `INT4 ${memInt4.used ?? '?'} MiB, FP16 ${memFp16.used ?? '?'} MiB (nvidia-smi on each instance)`,
  });
  await deleteAndVerify(ctx, int4);
  await deleteAndVerify(ctx, fp16);
});
