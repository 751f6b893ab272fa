/**
 * Steps the model scenarios (65–76) share: deploy under a step label and wait until the model answers (measuring
 * deploy-to-healthy), read the GPU memory of the deployment's instance over SSH, delete and verify nothing is left.
 * Model servers are called at the endpoint Dumont returns; their API key never leaves the activities.
 */
import type { ChatOutcome, DeployModelRequest, DeploymentView } from '../../../activities/models';
import { must, type ScenarioContext } from '../../kit';

export const LLAMA_1B = 'meta-llama/Llama-3.2-1B-Instruct';
export const QWEN_05B = 'Qwen/Qwen2.5-0.5B-Instruct';

/** Dumont's own budget for a model to come up (reference § 15: model ≤ 30 min). */
export const DEPLOY_BUDGET_SECONDS = 1800;

/** A deployment the scenario owns. */
export interface Deployed {
  deploymentId: string;
  view: DeploymentView;
  step: string;
  /** Platform seconds from the deploy request to `running`. */
  deploySeconds: number;
  /** The answer to `ask`, sent the moment `running` was seen. */
  answer?: ChatOutcome;
}

/** A chat request asking `a + b`. */
export function sumQuestion(model: string, a: number, b: number): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: `What is ${a} + ${b}? Answer with the result.` }] };
}

/** Whether `content` states the number `n` as a whole word. */
export function states(content: string | null, n: number): boolean {
  return content !== null && new RegExp(`(^|[^0-9.])${n}([^0-9]|$)`).test(content);
}

/**
 * Deploys `request` under the label of `step` (the compensation first), then waits for `running` within Dumont's
 * budget; check `<step>-running` (a deployment that does not run ends the body), limit `<step>-deploy-time`.
 */
export async function deploy(
  ctx: ScenarioContext,
  step: string,
  request: Omit<DeployModelRequest, 'name' | 'label'>,
  opts: { ask?: Record<string, unknown> } = {}
): Promise<Deployed> {
  const window = await ctx.window(DEPLOY_BUDGET_SECONDS);
  const { deploymentId } = await ctx.acquire('model-deployment', step, (label) =>
    ctx.steps.deployModel({ suiteId: ctx.suiteId, label, request })
  );
  const done = await ctx.steps.waitForDeployment({ deploymentId, ...window, ...(opts.ask ? { ask: opts.ask } : {}) });
  const view = done.view;
  const running = view?.status === 'running';
  must(
    ctx.check(
      `${step}-running`,
      `${step}: ${request.model_id} deployed and running`,
      running,
      running
        ? `running after ${Math.round(done.platformSeconds)} s on ${view.gpuName ?? '?'} (${view.runtime ?? '?'})`
        : `${view?.status ?? 'unknown'}: ${view?.statusMessage ?? 'no answer'}`
    ),
    `${step} not running`
  );
  ctx.limit({
    id: `${step}-deploy-time`,
    what: `${step} deploy to healthy`,
    measured: done.platformSeconds,
    op: '<=',
    limit: DEPLOY_BUDGET_SECONDS,
    unit: 's',
  });
  ctx.metric(`${step}DeploySeconds`, done.platformSeconds);
  return { deploymentId, view: view!, step, deploySeconds: done.platformSeconds, answer: done.answer };
}

/** GPU memory used and total (MiB) on GPU 0 of the deployment's instance, as its nvidia-smi reports it over SSH. */
export async function gpuMemory(ctx: ScenarioContext, dep: Deployed): Promise<{ used?: number; total?: number }> {
  if (dep.view.instanceId === null) return {};
  const res = await ctx.steps.sshProbe({
    suiteId: ctx.suiteId,
    instanceId: dep.view.instanceId,
    command: 'nvidia-smi --query-gpu=memory.used,memory.total --format=csv,noheader,nounits',
  });
  const [used, total] = (res.stdout.trim().split('\n')[0] ?? '').split(',').map((v) => Number(v.trim()));
  return res.code === 0 && Number.isFinite(used) && Number.isFinite(total) ? { used, total } : {};
}

/** Deletes the deployment as a user would; checks Dumont drops it and its instance is gone (check `deleted`). */
export async function deleteAndVerify(ctx: ScenarioContext, dep: Deployed): Promise<boolean> {
  const removed = await ctx.steps.deleteDeployment({ deploymentId: dep.deploymentId });
  const instanceId = dep.view.instanceId;
  const gone =
    instanceId === null
      ? { gone: true, platformSeconds: 0, seenAt: [] as string[] }
      : await ctx.steps.waitUntilGone({ instanceId, ...(await ctx.window(120)) });
  return ctx.check(
    `${dep.step}-deleted`,
    `${dep.step}: deleted deployment is gone, and so is its GPU instance`,
    removed.gone && gone.gone,
    `${removed.gone ? 'not listed by Dumont' : 'still listed by Dumont'}; instance ${instanceId} ${
      gone.gone ? 'gone' : `still at ${gone.seenAt.join(' and ')}`
    }`
  );
}
