import { defineScenario } from '../../kit';
import { servedModels } from './chat-steps';
import { deleteAndVerify, deploy, LLAMA_1B } from './helpers';

/** Concurrent streams the throughput is measured with, and the tokens each asks for. */
const STREAMS = 8;
const MAX_TOKENS = 96;
/** Aggregate tokens/s a batching server must reach with a 1B model on the GPU rented (vLLM does several times more). */
const FLOOR: Record<string, number> = { 'RTX 4090': 400, 'RTX 3090': 350, 'A100 SXM4': 600, 'H100 SXM': 800 };

/** 67 — Deploy with the vLLM backend: its OpenAI API answers and concurrent streams reach the GPU's throughput floor. */
export const deployVllmScenario = defineScenario(67, 'deploy-vllm', async (ctx) => {
  const dep = await deploy(ctx, 'vllm', {
    model_id: LLAMA_1B,
    model_type: 'llm',
    runtime: 'vllm',
    gpu_type: 'RTX 4090',
  });
  const models = await servedModels(ctx, dep.deploymentId);
  ctx.check('openai-models', 'GET /v1/models lists the model', models.ids.includes(LLAMA_1B), models.ids.join(', '));
  const run = await ctx.steps.measureThroughput({
    deploymentId: dep.deploymentId,
    model: LLAMA_1B,
    concurrency: STREAMS,
    maxTokens: MAX_TOKENS,
  });
  ctx.check(
    'streams-completed',
    `${STREAMS} concurrent streams completed`,
    run.ok === STREAMS,
    `${run.ok} completed, ${run.failed} failed${run.errors.length ? `: ${run.errors[0]}` : ''}`
  );
  ctx.metric('tokensPerSecond', run.tokensPerSecond);
  if (run.ttftMs !== null) ctx.metric('ttftMsMedian', run.ttftMs);
  const gpu = dep.view.gpuName ?? 'RTX 4090';
  ctx.limit({
    id: 'throughput-floor',
    what: `${STREAMS}-stream throughput on ${gpu}`,
    measured: run.tokens > 0 ? run.tokensPerSecond : undefined,
    op: '>=',
    limit: FLOOR[gpu] ?? 300,
    unit: 'tokens/s',
    note: `${run.tokens} tokens in ${run.seconds.toFixed(2)} s`,
  });
  await deleteAndVerify(ctx, dep);
});
