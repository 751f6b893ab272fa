import { defineScenario } from '../../kit';
import { deleteAndVerify, deploy, QWEN_05B } from './helpers';

const REPLICAS = 3;
const REQUESTS = 30;

/** 75 — Scale a deployment to three replicas behind its one endpoint: all come up and requests reach every one. */
export const scaleUpModelScenario = defineScenario(75, 'scale-up-model', async (ctx) => {
  const dep = await deploy(ctx, 'model', { model_id: QWEN_05B, model_type: 'llm', gpu_type: 'RTX 4090' });
  const window = await ctx.window(600);
  const scaled = await ctx.steps.scaleDeployment({ deploymentId: dep.deploymentId, replicas: REPLICAS });
  ctx.check(
    'scaled',
    `the platform records ${REPLICAS} replicas`,
    scaled.replicas === REPLICAS,
    `replicas ${scaled.replicas}`
  );
  const ready = await ctx.steps.waitForReplicas({ deploymentId: dep.deploymentId, replicas: REPLICAS, ...window });
  ctx.check(
    'replicas-ready',
    `${REPLICAS} replicas answer their health checks`,
    ready.reached,
    `${ready.view?.replicasReady ?? 0} ready after ${Math.round(ready.platformSeconds)} s`
  );
  const spread = await ctx.steps.spreadRequests({ deploymentId: dep.deploymentId, model: QWEN_05B, count: REQUESTS });
  const counts = Object.values(spread.perReplica);
  for (const [replica, n] of Object.entries(spread.perReplica))
    ctx.metric(`requestsReplica${replica.replace(/^replica-/, '')}`, n);
  const fair = Math.floor((REQUESTS / REPLICAS) * 0.6);
  ctx.check(
    'requests-balanced',
    `${REQUESTS} requests spread over all ${REPLICAS} replicas (each at least ${fair})`,
    spread.failed === 0 && counts.length === REPLICAS && counts.every((n) => n >= fair),
    `${JSON.stringify(spread.perReplica)}${spread.failed ? `, ${spread.failed} failed` : ''}${spread.unattributed ? `, ${spread.unattributed} unattributed` : ''}`
  );
  await deleteAndVerify(ctx, dep);
});
