import { defineScenario, must } from '../../kit';
import { servedModels } from './chat-steps';
import { deleteAndVerify, deploy, states, sumQuestion } from './helpers';

const CUSTOM = 'TinyLlama/TinyLlama-1.1B-Chat-v1.0';

/** 74 — A model picked from the Hub deploys and is the one served; an id the Hub lacks fails with the Hub's answer. */
export const deployCustomHfModelScenario = defineScenario(74, 'deploy-custom-hf-model', async (ctx) => {
  const dep = await deploy(ctx, 'custom', { model_id: CUSTOM, model_type: 'llm', gpu_type: 'RTX 3090' });
  const { ids, status } = await servedModels(ctx, dep.deploymentId);
  const answer = await ctx.steps.chatCompletion({ deploymentId: dep.deploymentId, body: sumQuestion(CUSTOM, 6, 7) });
  ctx.check(
    'serves-requested-model',
    'the endpoint serves the Hub id deployed, and nothing else',
    ids.length === 1 && ids[0] === CUSTOM && answer.model === CUSTOM,
    `/v1/models: ${ids.join(', ') || `HTTP ${status}`}; answered as ${answer.model ?? answer.error ?? '?'}`
  );
  ctx.check('custom-answers', 'it answers 6 + 7 = 13', states(answer.content, 13), answer.content ?? '');
  await deleteAndVerify(ctx, dep);
  const window = await ctx.window(1800);
  const missing = `dumont-e2e/no-such-model-${ctx.suiteId.length}`;
  const { deploymentId } = await ctx.acquire('model-deployment', 'unknown', (label) =>
    ctx.steps.deployModel({
      suiteId: ctx.suiteId,
      label,
      request: { model_id: missing, model_type: 'llm', gpu_type: 'RTX 3090' },
    })
  );
  const done = await ctx.steps.waitForDeployment({ deploymentId, ...window });
  must(done.reached, 'the unknown id never settled');
  ctx.check(
    'unknown-id-rejected',
    'an id the Hub does not have fails to deploy, saying so',
    done.view?.status === 'error' && /not found/i.test(done.view.statusMessage),
    `${done.view?.status}: ${done.view?.statusMessage}`
  );
  await ctx.steps.deleteDeployment({ deploymentId });
});
