import { defineScenario } from '../../kit';
import { completionProblems, streamProblems, usageProblems } from './chat-contract';
import { deleteAndVerify, deploy, QWEN_05B } from './helpers';

const PHRASE = 'tokens flow in order';
const ROLES = [
  { role: 'system', content: 'Answer in upper case.' },
  { role: 'user', content: `Repeat after me: ${PHRASE}` },
];

/** 68 — The OpenAI chat completions contract: roles, choices, usage, streaming chunks, errors, the private key. */
export const chatCompletionsApiScenario = defineScenario(68, 'chat-completions-api', async (ctx) => {
  const dep = await deploy(ctx, 'chat', {
    model_id: QWEN_05B,
    model_type: 'llm',
    gpu_type: 'RTX 3080',
    access_type: 'private',
  });
  const id = dep.deploymentId;
  const listed = await ctx.steps.modelRequest({ deploymentId: id, method: 'GET', path: '/v1/models' });
  const list = listed.json as { object?: string; data?: { id?: string; object?: string }[] } | null;
  ctx.check(
    'models-listed',
    'GET /v1/models is a list holding the model',
    list?.object === 'list' && !!list.data?.some((m) => m.id === QWEN_05B && m.object === 'model'),
    `HTTP ${listed.status}: ${(list?.data ?? []).map((m) => m.id).join(', ')}`
  );
  const plain = await ctx.steps.modelRequest({
    deploymentId: id,
    method: 'POST',
    path: '/v1/chat/completions',
    json: { model: QWEN_05B, messages: ROLES },
  });
  const shape = completionProblems(plain.json, QWEN_05B);
  ctx.check(
    'completion-shape',
    'a chat.completion with an assistant choice',
    plain.status === 200 && !shape.length,
    shape.join('; ') || 'well formed'
  );
  const content =
    (plain.json as { choices?: { message?: { content?: string } }[] } | null)?.choices?.[0]?.message?.content ?? '';
  ctx.check(
    'roles-honoured',
    'the system message shapes the answer to the user message',
    content === PHRASE.toUpperCase(),
    content
  );
  const usage = usageProblems(plain.json);
  ctx.check(
    'usage-reported',
    'usage counts prompt and completion tokens',
    !usage.length,
    usage.join('; ') || 'consistent'
  );
  const stream = await ctx.steps.chatStreamed({ deploymentId: id, body: { model: QWEN_05B, messages: ROLES } });
  const streamed = streamProblems(stream, content);
  ctx.check(
    'stream-well-formed',
    'streamed chunks rebuild the same answer, then [DONE]',
    !streamed.length,
    streamed.join('; ') || `${stream.events.length} events`
  );
  const bad = await ctx.steps.modelRequest({
    deploymentId: id,
    method: 'POST',
    path: '/v1/chat/completions',
    json: { model: QWEN_05B },
  });
  const unknown = await ctx.steps.modelRequest({
    deploymentId: id,
    method: 'POST',
    path: '/v1/chat/completions',
    json: { model: 'no/such-model', messages: ROLES },
  });
  ctx.check(
    'bad-request-rejected',
    'no messages → 400, an unknown model → 404',
    bad.status === 400 && unknown.status === 404,
    `no messages: HTTP ${bad.status}; unknown model: HTTP ${unknown.status}`
  );
  const anonymous = await ctx.steps.chatCompletion({
    deploymentId: id,
    body: { model: QWEN_05B, messages: ROLES },
    noAuth: true,
  });
  ctx.check(
    'api-key-enforced',
    'a private deployment refuses requests without its API key',
    dep.view.hasApiKey && anonymous.status === 401,
    dep.view.hasApiKey ? `without the key: HTTP ${anonymous.status}` : 'no API key was issued'
  );
  await deleteAndVerify(ctx, dep);
});
