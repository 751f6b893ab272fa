import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy, LLAMA_1B, states, sumQuestion } from './helpers';

/** 65 — Deploy Llama 3.2 1B: "running" means it answers, and it answers right; time to first token measured. */
export const deployLlama321bScenario = defineScenario(65, 'deploy-llama-3-2-1b', async (ctx) => {
  const question = sumQuestion(LLAMA_1B, 17, 25);
  const dep = await deploy(
    ctx,
    'llm',
    { model_id: LLAMA_1B, model_type: 'llm', gpu_type: 'RTX 4090' },
    { ask: question }
  );
  const first = dep.answer;
  ctx.check(
    'answers-when-running',
    'the model answers the moment the platform reports it running',
    first?.status === 200 && first.content !== null,
    first ? `HTTP ${first.status}${first.error ? `: ${first.error}` : ` in ${first.ms} ms`}` : 'not asked'
  );
  const answer =
    first?.status === 200 ? first : await ctx.steps.chatCompletion({ deploymentId: dep.deploymentId, body: question });
  ctx.check(
    'answer-correct',
    'asked 17 + 25, the model answers 42',
    states(answer.content, 42),
    answer.content ?? answer.error ?? ''
  );
  const streamed = await ctx.steps.chatStreamed({
    deploymentId: dep.deploymentId,
    body: { model: LLAMA_1B, max_tokens: 32, messages: [{ role: 'user', content: 'Tell me about rivers.' }] },
  });
  ctx.limit({
    id: 'time-to-first-token',
    what: 'time to first token',
    measured: streamed.firstContentMs ?? undefined,
    op: '<=',
    limit: 5000,
    unit: 'ms',
    note: streamed.firstContentMs === null ? `HTTP ${streamed.status} ${streamed.error ?? ''}` : undefined,
  });
  await deleteAndVerify(ctx, dep);
});
