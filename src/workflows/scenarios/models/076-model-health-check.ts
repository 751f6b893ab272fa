import { defineScenario, must } from '../../kit';
import { deleteAndVerify, deploy, QWEN_05B, states, sumQuestion } from './helpers';

/**
 * Stops the model server behind the platform's back: the runtime's pids (the simulator's servers record theirs; on a
 * real instance vLLM is the only such process).
 */
const KILL_MODEL =
  'for f in ~/.model-server/replica-*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")"; done; ' +
  "ls ~/.model-server/replica-*.pid >/dev/null 2>&1 || pkill -9 -f 'vllm.entrypoints' || true";

/** 76 — /health says healthy while the model answers, and unhealthy once its server is gone. */
export const modelHealthCheckScenario = defineScenario(76, 'model-health-check', async (ctx) => {
  const dep = await deploy(ctx, 'model', { model_id: QWEN_05B, model_type: 'llm', gpu_type: 'RTX 3080' });
  const id = dep.deploymentId;
  const health = await ctx.steps.deploymentHealth({ deploymentId: id });
  const answer = await ctx.steps.chatCompletion({ deploymentId: id, body: sumQuestion(QWEN_05B, 2, 3) });
  ctx.check(
    'healthy-while-serving',
    'healthy while the model answers',
    health.healthy && states(answer.content, 5),
    `healthy=${health.healthy}; answer ${answer.content ?? answer.error ?? ''}`
  );
  if (dep.view.instanceId === null) return;
  const killed = await ctx.run(instanceRef(dep.view.instanceId), KILL_MODEL, 60);
  const after = await ctx.steps.chatCompletion({ deploymentId: id, body: sumQuestion(QWEN_05B, 2, 3) });
  must(
    ctx.check(
      'model-down',
      'the model no longer answers',
      after.status !== 200,
      `kill exit ${killed.code ?? killed.outcome}; HTTP ${after.status}`
    ),
    'the model still answers'
  );
  const down = await ctx.steps.waitForModelHealth({ deploymentId: id, healthy: false, ...(await ctx.window(120)) });
  if (down.reached) ctx.metric('unhealthyAfterSeconds', down.platformSeconds);
  ctx.check(
    'unhealthy-when-down',
    'health turns unhealthy once the model server is gone',
    down.reached,
    down.reached
      ? `after ${Math.round(down.platformSeconds)} s: ${down.last?.error ?? ''}`
      : `still healthy=${down.last?.healthy} after 120 s`
  );
  await deleteAndVerify(ctx, dep);
});

/** The deployment's instance as the kit's SSH steps address it (only the id is used). */
function instanceRef(instanceId: number) {
  return {
    instanceId,
    label: '',
    offerId: -1,
    gpuName: '',
    numGpus: 0,
    dphTotal: 0,
    geolocation: '',
    image: '',
    diskGb: 0,
    adopted: true,
  };
}
