/**
 * The LLM runtime of the model server script: an OpenAI-compatible server (`/v1/models`, `/v1/chat/completions`
 * streamed or not) whose model answers simple arithmetic and "repeat after me" instructions correctly, follows an
 * upper-case system instruction, otherwise writes deterministic text, and reports token usage. Tokens come out at the
 * rate the GPU's memory bandwidth allows for the model's size; vLLM batches concurrent requests, the plain
 * `transformers` runtime serves one at a time. Verbatim script text.
 */
export const LLM_PART = String.raw`
// ------------------------------------------------------------------------------------------------------------ LLM

const VOCABULARY = (
  'the a model answer river light stone cloud green quiet system number signal garden window paper music bright ' +
  'small early north water simple engine travel morning silver forest letter market winter summer road story ' +
  'people city table voice energy ocean field color planet thought moment circle mountain bridge harbor'
).split(' ');

const words = (text) => String(text || '').match(/\S+/g) || [];

function arithmetic(text) {
  const m = /(-?\d+(?:\.\d+)?)\s*([-+*x×/])\s*(-?\d+(?:\.\d+)?)/.exec(text);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const op = m[2] === 'x' || m[2] === '×' ? '*' : m[2];
  const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : b === 0 ? NaN : a / b;
  if (!Number.isFinite(r)) return null;
  return m[1] + ' ' + m[2] + ' ' + m[3] + ' = ' + String(Math.round(r * 1e6) / 1e6);
}

/** The model's reply to a conversation: its words, and why it stopped. */
function chatReply(modelId, messages, maxTokens) {
  const system = messages.filter((m) => m.role === 'system').map((m) => String(m.content)).join(' ');
  const users = messages.filter((m) => m.role === 'user');
  const prompt = users.length ? String(users[users.length - 1].content) : '';
  let text = arithmetic(prompt);
  const echo = /(?:repeat after me|echo)\s*:\s*([\s\S]+)$/i.exec(prompt);
  let generic = false;
  if (text === null && echo) text = echo[1].trim();
  if (text === null) {
    generic = true;
    const next = stream(modelId + '|' + prompt);
    const count = maxTokens || 24;
    const out = [];
    for (let i = 0; i < count; i++) out.push(VOCABULARY[next() % VOCABULARY.length]);
    text = out.join(' ') + '.';
  }
  if (/upper[\s-]?case/i.test(system)) text = text.toUpperCase();
  let tokens = words(text);
  let finish = 'stop';
  if (maxTokens && (tokens.length > maxTokens || (generic && tokens.length >= maxTokens))) {
    tokens = tokens.slice(0, maxTokens);
    finish = 'length';
  }
  return { tokens, finish };
}

function promptTokens(messages) {
  return messages.reduce((n, m) => n + words(m.content).length + 4, 2);
}

function openAiError(res, status, type, message, param) {
  return sendJson(res, status, { object: 'error', message, type, param: param || null, code: status });
}

/** Decode speed of one sequence, tokens/s: bandwidth-bound, better used by vLLM's kernels. */
function decodeRate(gpu, bytes, runtime) {
  const efficiency = runtime === 'vllm' ? 0.6 : 0.3;
  return Math.max(1, (efficiency * gpu.bandwidthGBs * 1e9) / bytes);
}

function llmRuntime(ctx) {
  const { served, runtime, gpu, replica } = ctx;
  let active = 0;
  let queue = Promise.resolve();
  const rate = () => {
    const base = decodeRate(gpu, ctx.bytes, runtime);
    return runtime === 'vllm' ? base / (1 + 0.05 * Math.max(0, active - 1)) : base;
  };

  /** Emits the tokens at the decode rate (time-based, so timer jitter does not slow the rate). */
  async function decode(tokens, onToken) {
    let last = Date.now();
    let credit = 1;
    let i = 0;
    while (i < tokens.length) {
      while (credit >= 1 && i < tokens.length) {
        onToken(tokens[i], i);
        i++;
        credit -= 1;
      }
      if (i >= tokens.length) break;
      await sleep(3);
      const now = Date.now();
      credit += ((now - last) / 1000) * rate();
      last = now;
    }
  }

  /** Serialises work for the plain runtime (one request at a time), runs it at once under vLLM. */
  function slot(work) {
    if (runtime === 'vllm') return work();
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  }

  async function chat(req, res) {
    const body = await readJson(req);
    if (body.error) return openAiError(res, 400, 'BadRequestError', body.error);
    const b = body.value;
    if (b.model !== undefined && b.model !== served) {
      return openAiError(res, 404, 'NotFoundError', 'The model ' + JSON.stringify(b.model) + ' does not exist.', 'model');
    }
    if (!Array.isArray(b.messages) || b.messages.length === 0) {
      return openAiError(res, 400, 'BadRequestError', "'messages' must be a non-empty list", 'messages');
    }
    for (const m of b.messages) {
      if (!m || !['system', 'user', 'assistant', 'tool'].includes(m.role) || typeof m.content !== 'string') {
        return openAiError(res, 400, 'BadRequestError', 'each message needs a role (system, user, assistant) and string content', 'messages');
      }
    }
    const maxTokens = b.max_tokens ?? b.max_completion_tokens;
    if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
      return openAiError(res, 400, 'BadRequestError', "'max_tokens' must be a positive integer", 'max_tokens');
    }
    const { tokens, finish } = chatReply(served, b.messages, maxTokens);
    const usage = {
      prompt_tokens: promptTokens(b.messages),
      completion_tokens: tokens.length,
      total_tokens: promptTokens(b.messages) + tokens.length,
    };
    const id = 'chatcmpl-' + crypto.randomBytes(12).toString('hex');
    const created = Math.floor(Date.now() / 1000);
    const fingerprint = 'replica-' + replica;
    const withUsage = !SIM_DEFECTS.has('no-usage');
    await slot(async () => {
      active++;
      try {
        // Prefill: the prompt is read at ~20x the decode speed, plus a fixed scheduling latency.
        await sleep(15 + (usage.prompt_tokens / (rate() * 20)) * 1000);
        if (b.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-replica': String(replica) });
          const chunk = (delta, finishReason) =>
            res.write(
              'data: ' +
                JSON.stringify({
                  id,
                  object: 'chat.completion.chunk',
                  created,
                  model: served,
                  system_fingerprint: fingerprint,
                  choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
                }) +
                '\n\n'
            );
          chunk({ role: 'assistant', content: '' }, null);
          await decode(tokens, (t, i) => chunk({ content: (i ? ' ' : '') + t }, null));
          chunk({}, finish);
          if (b.stream_options && b.stream_options.include_usage && withUsage) {
            res.write('data: ' + JSON.stringify({ id, object: 'chat.completion.chunk', created, model: served, choices: [], usage }) + '\n\n');
          }
          res.end('data: [DONE]\n\n');
          return;
        }
        await decode(tokens, () => undefined);
        const answer = {
          id,
          object: 'chat.completion',
          created,
          model: served,
          system_fingerprint: fingerprint,
          choices: [{ index: 0, message: { role: 'assistant', content: tokens.join(' ') }, logprobs: null, finish_reason: finish }],
        };
        if (withUsage) answer.usage = usage;
        sendJson(res, 200, answer, { 'x-replica': String(replica) });
      } finally {
        active--;
      }
    });
  }

  return {
    'GET /v1/models': (req, res) =>
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: served, object: 'model', created: ctx.startedAt, owned_by: runtime, root: served, max_model_len: 8192 }],
      }),
    'POST /v1/chat/completions': chat,
  };
}
`;
