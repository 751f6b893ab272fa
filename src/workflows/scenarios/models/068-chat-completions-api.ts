import { defineScenario } from '../../kit';
import { completionProblems, streamProblems, usageProblems } from './chat-contract';
import { checkBadRequests, postChat, servedModels } from './chat-steps';
import { deleteAndVerify, deploy, QWEN_05B } from './helpers';

const PHRASE = 'tokens flow in order';
const ROLES = [
  { role: 'system', content: 'Answer in upper case.' },
  { role: 'user', content: `Repeat after me: ${PHRASE}` },
];

/** 68 — The OpenAI chat completions contract: roles, choices, usage, streaming chunks, errors, the private key. */
export const chatCompletionsApiScenario = defineScenario(68, 'chat-completions-api', async (ctx) => {
  const request = { model_id: QWEN_05B, model_type: 'llm', gpu_type: 'RTX 3080', access_type: 'private' } as const;
  const dep = await deploy(ctx, 'chat', request);
  const id = dep.deploymentId;
  const models = await servedModels(ctx, id);
  const listed = models.wellFormed && models.ids.includes(QWEN_05B);
  ctx.check('models-listed', 'GET /v1/models is a list holding the model', listed, models.ids.join(', '));
  const plain = await postChat(ctx, id, { model: QWEN_05B, messages: ROLES });
  const shape = completionProblems(plain.json, QWEN_05B);
  const wellFormed = plain.status === 200 && !shape.length;
  ctx.check('completion-shape', 'a chat.completion with an assistant choice', wellFormed, shape.join('; ') || 'ok');
  const answer = plain.json as { choices?: { message?: { content?: string } }[] } | null;
  const content = answer?.choices?.[0]?.message?.content ?? '';
  const upper = content === PHRASE.toUpperCase();
  ctx.check('roles-honoured', 'the system message shapes the answer to the user message', upper, content);
  const usage = usageProblems(plain.json);
  ctx.check('usage-reported', 'usage counts prompt and completion tokens', !usage.length, usage.join('; ') || 'ok');
  const stream = await ctx.steps.chatStreamed({ deploymentId: id, body: { model: QWEN_05B, messages: ROLES } });
  const streamed = streamProblems(stream, content);
  ctx.check(
    'stream-well-formed',
    'streamed chunks rebuild the same answer, then [DONE]',
    !streamed.length,
    streamed.join('; ') || `${stream.events.length} events`
  );
  await checkBadRequests(ctx, id, QWEN_05B, ROLES);
  const body = { model: QWEN_05B, messages: ROLES };
  const anonymous = await ctx.steps.chatCompletion({ deploymentId: id, body, noAuth: true });
  ctx.check(
    'api-key-enforced',
    'a private deployment refuses requests without its API key',
    dep.view.hasApiKey && anonymous.status === 401,
    dep.view.hasApiKey ? `without the key: HTTP ${anonymous.status}` : 'no API key was issued'
  );
  await deleteAndVerify(ctx, dep);
});
