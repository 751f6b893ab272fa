/** Chat steps of the LLM scenarios: the endpoint's model list, a chat request with its whole answer, bad requests. */
import type { ScenarioContext } from '../../kit';

/** POST /v1/chat/completions at the deployment's endpoint; the whole answer comes back (it holds no secret). */
export function postChat(ctx: ScenarioContext, deploymentId: string, json: Record<string, unknown>) {
  return ctx.steps.modelRequest({ deploymentId, method: 'POST', path: '/v1/chat/completions', json });
}

/** The ids `GET /v1/models` lists, and whether the answer is an OpenAI list of `model` objects. */
export async function servedModels(
  ctx: ScenarioContext,
  deploymentId: string
): Promise<{ ids: string[]; wellFormed: boolean; status: number }> {
  const listed = await ctx.steps.modelRequest({ deploymentId, method: 'GET', path: '/v1/models' });
  const list = listed.json as { object?: string; data?: { id?: string; object?: string }[] } | null;
  const data = Array.isArray(list?.data) ? list.data : [];
  return {
    ids: data.map((m) => m.id ?? ''),
    wellFormed: list?.object === 'list' && data.every((m) => m.object === 'model'),
    status: listed.status,
  };
}

/** Check `bad-request-rejected`: no messages → 400, an unknown model → 404. */
export async function checkBadRequests(
  ctx: ScenarioContext,
  deploymentId: string,
  model: string,
  messages: unknown[]
): Promise<boolean> {
  const bad = await postChat(ctx, deploymentId, { model });
  const unknown = await postChat(ctx, deploymentId, { model: 'no/such-model', messages });
  return ctx.check(
    'bad-request-rejected',
    'no messages → 400, an unknown model → 404',
    bad.status === 400 && unknown.status === 404,
    `no messages: HTTP ${bad.status}; unknown model: HTTP ${unknown.status}`
  );
}
