import { cosine, inspectPng, synthesizeSpeech, wordErrorRate, type PngReport } from '../platform/dumont/model-media';
import { chatStream, multipartFile, serverCall, type ServerTarget } from '../platform/dumont/model-servers';
import { modelsApi } from '../platform/dumont/models';
import type { ActivityDeps } from './deps';

const NO_ENDPOINT = 'the deployment has no endpoint_url';

/** Text of a streamed event's content delta, if any. */
function deltaOf(event: unknown): string {
  const content = (event as { choices?: { delta?: { content?: unknown } }[] })?.choices?.[0]?.delta?.content;
  return typeof content === 'string' ? content : '';
}

/**
 * Activities that use a deployment's model server at its `endpoint_url`, as a user's client would: the OpenAI API's
 * shapes, throughput under concurrency, transcription of synthesised speech, image generation, embeddings, and which
 * replica answered. Measured values are real: wall-clock time around real requests, tokens counted as they stream.
 */
export function createModelRuntimeActivities(deps: ActivityDeps) {
  const api = modelsApi(deps.dumont);
  async function target(deploymentId: string): Promise<ServerTarget | null> {
    const row = await api.get(deploymentId);
    return row?.endpoint_url ? { url: row.endpoint_url, apiKey: row.api_key } : null;
  }

  return {
    /** A request with its whole JSON answer (for contract checks: the answer holds no secret). */
    async modelRequest(input: {
      deploymentId: string;
      method: 'GET' | 'POST';
      path: string;
      json?: unknown;
      noAuth?: boolean;
    }): Promise<{ status: number; json: unknown; servedBy: string | null; ms: number; error: string | null }> {
      const t = await target(input.deploymentId);
      if (!t) return { status: 0, json: null, servedBy: null, ms: 0, error: NO_ENDPOINT };
      const r = await serverCall(t, input.method, input.path, { json: input.json, noAuth: input.noAuth });
      return { status: r.status, json: r.json, servedBy: r.servedBy, ms: r.ms, error: r.error ?? null };
    },

    /** A streamed chat completion: its events, whether `[DONE]` came, and the time to the first content. */
    async chatStreamed(input: { deploymentId: string; body: Record<string, unknown> }) {
      const t = await target(input.deploymentId);
      if (!t)
        return { status: 0, events: [], unparsable: 0, done: false, firstContentMs: null, ms: 0, error: NO_ENDPOINT };
      return chatStream(t, input.body);
    },

    /**
     * `concurrency` streamed completions at once, each asked for `maxTokens`: tokens counted as content chunks arrive,
     * over the wall-clock time from the first request to the last answer's end.
     */
    async measureThroughput(input: { deploymentId: string; model: string; concurrency: number; maxTokens: number }) {
      const t = await target(input.deploymentId);
      if (!t)
        return {
          ok: 0,
          failed: input.concurrency,
          tokens: 0,
          seconds: 0,
          tokensPerSecond: 0,
          ttftMs: null,
          errors: [NO_ENDPOINT],
        };
      const started = Date.now();
      const replies = await Promise.all(
        Array.from({ length: input.concurrency }, (_, i) =>
          chatStream(t, {
            model: input.model,
            max_tokens: input.maxTokens,
            messages: [{ role: 'user', content: `Write a long story about harbor number ${i + 1}.` }],
          })
        )
      );
      const seconds = (Date.now() - started) / 1000;
      const good = replies.filter((r) => r.status === 200 && r.done);
      const tokens = good.reduce((n, r) => n + r.events.filter((e) => deltaOf(e) !== '').length, 0);
      const ttfts = good
        .map((r) => r.firstContentMs)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      return {
        ok: good.length,
        failed: replies.length - good.length,
        tokens,
        seconds,
        tokensPerSecond: seconds > 0 ? tokens / seconds : 0,
        ttftMs: ttfts.length ? ttfts[Math.floor(ttfts.length / 2)] : null,
        errors: replies.filter((r) => !(r.status === 200 && r.done)).map((r) => r.error ?? `HTTP ${r.status}`),
      };
    },

    /** Speaks `text` as tone-coded audio (made here, never seen by the server before), transcribes it, scores it. */
    async transcribeSpeech(input: { deploymentId: string; text: string }) {
      const t = await target(input.deploymentId);
      if (!t) return { status: 0, heard: null, wer: 1, ms: 0, model: null, error: NO_ENDPOINT };
      const { body, contentType } = multipartFile('file', 'speech.wav', 'audio/wav', synthesizeSpeech(input.text));
      const r = await serverCall(t, 'POST', '/transcribe', { body, contentType });
      const json = r.json as { text?: unknown; model?: unknown } | null;
      const heard = typeof json?.text === 'string' ? json.text : null;
      return {
        status: r.status,
        heard,
        wer: heard === null ? 1 : wordErrorRate(input.text, heard),
        ms: r.ms,
        model: typeof json?.model === 'string' ? json.model : null,
        error: r.error ?? (r.status !== 200 ? r.text : null),
      };
    },

    /** Generates an image and checks the PNG here (the bytes stay in the activity; only the findings come back). */
    async generateImage(input: {
      deploymentId: string;
      prompt: string;
      width: number;
      height: number;
      seed: number;
      steps?: number;
    }): Promise<{ status: number; png: PngReport | null; ms: number; error: string | null }> {
      const t = await target(input.deploymentId);
      if (!t) return { status: 0, png: null, ms: 0, error: NO_ENDPOINT };
      const r = await serverCall(t, 'POST', '/generate', {
        json: {
          prompt: input.prompt,
          width: input.width,
          height: input.height,
          seed: input.seed,
          num_inference_steps: input.steps ?? 20,
        },
        timeoutMs: 300_000,
      });
      const image = (r.json as { image?: unknown } | null)?.image;
      if (r.status !== 200 || typeof image !== 'string') {
        return { status: r.status, png: null, ms: r.ms, error: r.error ?? `HTTP ${r.status}: ${r.text.slice(0, 200)}` };
      }
      return { status: r.status, png: inspectPng(Buffer.from(image, 'base64')), ms: r.ms, error: null };
    },

    /** Embeds `texts` (OpenAI route): dimensions, norms and the cosine similarity matrix (not the vectors). */
    async embedTexts(input: { deploymentId: string; model: string; texts: string[] }) {
      const t = await target(input.deploymentId);
      if (!t) return { status: 0, dimensions: [], norms: [], similarity: [], model: null, error: NO_ENDPOINT };
      const r = await serverCall(t, 'POST', '/v1/embeddings', { json: { model: input.model, input: input.texts } });
      const data = (r.json as { data?: { index?: number; embedding?: number[] }[]; model?: string } | null)?.data;
      if (r.status !== 200 || !Array.isArray(data)) {
        return { status: r.status, dimensions: [], norms: [], similarity: [], model: null, error: r.error ?? r.text };
      }
      const vectors = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding ?? []);
      return {
        status: r.status,
        dimensions: vectors.map((v) => v.length),
        norms: vectors.map((v) => Math.round(Math.hypot(...v) * 1e4) / 1e4),
        similarity: vectors.map((a) => vectors.map((b) => Math.round(cosine(a, b) * 1e4) / 1e4)),
        model: (r.json as { model?: string }).model ?? null,
        error: null,
      };
    },

    /** Sends `count` chat requests one after another; counts which replica answered each. */
    async spreadRequests(input: { deploymentId: string; model: string; count: number }) {
      const t = await target(input.deploymentId);
      const perReplica: Record<string, number> = {};
      let failed = 0;
      let unattributed = 0;
      if (!t) return { perReplica, failed: input.count, unattributed, error: NO_ENDPOINT };
      for (let i = 0; i < input.count; i++) {
        const r = await serverCall(t, 'POST', '/v1/chat/completions', {
          json: { model: input.model, messages: [{ role: 'user', content: `What is ${i} + ${i}?` }] },
        });
        if (r.status !== 200) {
          failed++;
          continue;
        }
        const who = r.servedBy ?? (r.json as { system_fingerprint?: string } | null)?.system_fingerprint ?? null;
        if (who) perReplica[who] = (perReplica[who] ?? 0) + 1;
        else unattributed++;
      }
      return { perReplica, failed, unattributed, error: null };
    },
  };
}
