/** What scenario 68 checks in OpenAI chat answers: pure functions over the parsed JSON (no I/O). */

interface Choice {
  index?: number;
  message?: { role?: string; content?: unknown };
  delta?: { role?: string; content?: unknown };
  finish_reason?: string | null;
}
interface Completion {
  object?: string;
  model?: string;
  choices?: Choice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
}

/** Problems with a non-streamed completion's shape (empty when it is a well-formed `chat.completion`). */
export function completionProblems(json: unknown, model: string): string[] {
  const c = (json ?? {}) as Completion;
  const problems: string[] = [];
  if (c.object !== 'chat.completion') problems.push(`object ${JSON.stringify(c.object)}`);
  if (c.model !== model) problems.push(`model ${JSON.stringify(c.model)}`);
  const choice = c.choices?.[0];
  if (!choice) problems.push('no choices');
  else {
    if (choice.message?.role !== 'assistant') problems.push(`role ${JSON.stringify(choice.message?.role)}`);
    if (typeof choice.message?.content !== 'string') problems.push('no string content');
    if (!choice.finish_reason) problems.push('no finish_reason');
  }
  return problems;
}

/** Problems with `usage`: present, positive, completion tokens matching the words answered, a consistent total. */
export function usageProblems(json: unknown): string[] {
  const c = (json ?? {}) as Completion;
  const u = c.usage;
  if (!u) return ['no usage'];
  const content = c.choices?.[0]?.message?.content;
  const words = typeof content === 'string' ? (content.match(/\S+/g) ?? []).length : -1;
  const problems: string[] = [];
  if (!(Number(u.prompt_tokens) > 0)) problems.push(`prompt_tokens ${u.prompt_tokens}`);
  if (!(Number(u.completion_tokens) >= words && words > 0))
    problems.push(`completion_tokens ${u.completion_tokens} for ${words} words`);
  if (u.total_tokens !== Number(u.prompt_tokens) + Number(u.completion_tokens))
    problems.push(`total_tokens ${u.total_tokens}`);
  return problems;
}

/** Problems with a stream's events: chunk objects, the assistant role first, a finish reason, the content. */
export function streamProblems(
  stream: { status: number; events: unknown[]; unparsable: number; done: boolean },
  expected: string
): string[] {
  const problems: string[] = [];
  if (stream.status !== 200) problems.push(`HTTP ${stream.status}`);
  if (stream.unparsable > 0) problems.push(`${stream.unparsable} unparsable event(s)`);
  if (!stream.done) problems.push('no [DONE]');
  const chunks = stream.events as Completion[];
  const withChoices = chunks.filter((e) => (e.choices ?? []).length > 0);
  if (chunks.some((e) => e.object !== 'chat.completion.chunk'))
    problems.push('an event is not a chat.completion.chunk');
  if (withChoices[0]?.choices?.[0]?.delta?.role !== 'assistant') problems.push('the first delta has no assistant role');
  if (!withChoices.some((e) => e.choices?.[0]?.finish_reason)) problems.push('no finish_reason');
  const text = withChoices.map((e) => e.choices?.[0]?.delta?.content ?? '').join('');
  if (text !== expected) problems.push(`streamed "${text}", not "${expected}"`);
  return problems;
}
