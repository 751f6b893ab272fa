import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy, gpuMemory } from './helpers';

/** FP16 weights of Whisper large-v3 (1.55 B parameters × 2 bytes): what loading it must at least take. */
const LARGE_WEIGHTS_MIB = Math.round((1550e6 * 2) / 1048576);
const SAID = 'large models hear every word';

/** 70 — Whisper large deploys on a GPU with room for it, and its memory use is that of the large model. */
export const deployWhisperLargeScenario = defineScenario(70, 'deploy-whisper-large', async (ctx) => {
  const dep = await deploy(ctx, 'whisper', {
    model_id: 'openai/whisper-large-v3',
    model_type: 'speech',
    gpu_type: 'RTX 3090',
  });
  const mem = await gpuMemory(ctx, dep);
  if (mem.used !== undefined) ctx.metric('vramMiB', mem.used);
  ctx.limit({
    id: 'vram-large',
    what: 'GPU memory used',
    measured: mem.used,
    op: '>=',
    limit: LARGE_WEIGHTS_MIB,
    unit: 'MiB',
    note: `the FP16 weights of whisper-large-v3; GPU total ${mem.total ?? '?'} MiB`,
  });
  ctx.check(
    'vram-fits',
    'the model fits the GPU with room to spare',
    mem.used !== undefined && mem.total !== undefined && mem.used < mem.total,
    `${mem.used ?? '?'} of ${mem.total ?? '?'} MiB`
  );
  const heard = await ctx.steps.transcribeSpeech({ deploymentId: dep.deploymentId, text: SAID });
  ctx.check(
    'transcribed',
    'it transcribes speech word for word',
    heard.wer === 0,
    `heard "${heard.heard ?? heard.error ?? ''}"`
  );
  await deleteAndVerify(ctx, dep);
});
