import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy } from './helpers';

/** Ten different utterances, each its own audio. */
const CLIPS = [
  'one small step',
  'the river runs north',
  'green lights at the harbor',
  'seven silver bridges',
  'paper boats in winter',
  'a quiet morning market',
  'the engine hums at 40',
  'bright clouds over stone',
  'letters from the mountain',
  'music in the forest',
];

/** 71 — Ten audio clips transcribed one after another, each to its own words. */
export const batchTranscriptionScenario = defineScenario(71, 'batch-transcription', async (ctx) => {
  const dep = await deploy(ctx, 'whisper', {
    model_id: 'openai/whisper-base',
    model_type: 'speech',
    gpu_type: 'RTX 3080',
  });
  const wrong: string[] = [];
  let totalMs = 0;
  for (const [i, text] of CLIPS.entries()) {
    const heard = await ctx.steps.transcribeSpeech({ deploymentId: dep.deploymentId, text });
    totalMs += heard.ms;
    if (heard.wer > 0) wrong.push(`#${i + 1} "${text}" → "${heard.heard ?? heard.error ?? ''}"`);
  }
  ctx.metric('avgTranscriptionMs', totalMs / CLIPS.length);
  ctx.check(
    'all-transcribed',
    `each of the ${CLIPS.length} clips comes back as its own words`,
    wrong.length === 0,
    wrong.length ? `${wrong.length} wrong: ${wrong.join('; ')}` : `${CLIPS.length} of ${CLIPS.length} exact`
  );
  await deleteAndVerify(ctx, dep);
});
