import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy } from './helpers';

const SAID = 'the quick brown fox jumps over the lazy dog near 12 quiet rivers';

/** 69 — Whisper base transcribes speech the harness synthesised (never seen before) within a word error rate. */
export const deployWhisperBaseScenario = defineScenario(69, 'deploy-whisper-base', async (ctx) => {
  const dep = await deploy(ctx, 'whisper', {
    model_id: 'openai/whisper-base',
    model_type: 'speech',
    gpu_type: 'RTX 3080',
  });
  const heard = await ctx.steps.transcribeSpeech({ deploymentId: dep.deploymentId, text: SAID });
  ctx.check(
    'transcribed',
    'POST /transcribe answers a transcript',
    heard.status === 200 && heard.heard !== null,
    heard.error ?? `in ${heard.ms} ms`
  );
  ctx.metric('transcriptionMs', heard.ms);
  if (heard.heard !== null) ctx.metric('wordErrorRatePct', heard.wer * 100);
  ctx.limit({
    id: 'word-error-rate',
    what: 'word error rate',
    measured: heard.heard !== null ? heard.wer * 100 : undefined,
    op: '<=',
    limit: 10,
    unit: '%',
    note: `heard "${heard.heard ?? ''}"`,
  });
  await deleteAndVerify(ctx, dep);
});
