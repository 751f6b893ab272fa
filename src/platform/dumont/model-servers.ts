/**
 * The model servers' own APIs, called at the `endpoint_url` Dumont returns, as a user's client would
 * (docs/platform-contract.md § Models): OpenAI chat completions (plain and streamed), `/v1/models`, embeddings,
 * Whisper's `/transcribe` and Stable Diffusion's `/generate`. One attempt per call: what a server answers (or fails to)
 * is what the scenario checks. The `api_key` of a private deployment goes in the Authorization header only.
 */

/** Where to reach one deployment's server. */
export interface ServerTarget {
  url: string;
  apiKey: string | null;
}

/** A server's answer: status (0 when nothing came back), parsed JSON if any, a short text, the replica header. */
export interface ServerReply {
  status: number;
  json: unknown;
  text: string;
  servedBy: string | null;
  ms: number;
  error?: string;
}

function headers(t: ServerTarget, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(t.apiKey ? { authorization: `Bearer ${t.apiKey}` } : {}), ...extra };
}

/** One request to the server; never throws (a refused connection is status 0 with the error). */
export async function serverCall(
  t: ServerTarget,
  method: string,
  path: string,
  opts: { json?: unknown; body?: Buffer; contentType?: string; timeoutMs?: number; noAuth?: boolean } = {}
): Promise<ServerReply> {
  const started = Date.now();
  const contentType = opts.json !== undefined ? 'application/json' : opts.contentType;
  try {
    const res = await fetch(`${t.url.replace(/\/$/, '')}${path}`, {
      method,
      headers: headers(opts.noAuth ? { ...t, apiKey: null } : t, contentType ? { 'content-type': contentType } : {}),
      body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return {
      status: res.status,
      json,
      text: text.slice(0, 500),
      servedBy: res.headers.get('x-served-by'),
      ms: Date.now() - started,
    };
  } catch (err) {
    return { status: 0, json: null, text: '', servedBy: null, ms: Date.now() - started, error: (err as Error).message };
  }
}

/** A streamed chat completion: each `data:` event parsed, the `[DONE]` marker, the time to the first content. */
export interface StreamReply {
  status: number;
  events: unknown[];
  unparsable: number;
  done: boolean;
  /** Milliseconds from the request to the first chunk carrying content. */
  firstContentMs: number | null;
  ms: number;
  error?: string;
}

/** Sends a streamed chat completion and reads its server-sent events to the end. */
export async function chatStream(
  t: ServerTarget,
  body: Record<string, unknown>,
  timeoutMs = 120_000
): Promise<StreamReply> {
  const started = Date.now();
  const out: StreamReply = { status: 0, events: [], unparsable: 0, done: false, firstContentMs: null, ms: 0 };
  try {
    const res = await fetch(`${t.url.replace(/\/$/, '')}/v1/chat/completions`, {
      method: 'POST',
      headers: headers(t, { 'content-type': 'application/json' }),
      body: JSON.stringify({ ...body, stream: true }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    out.status = res.status;
    if (!res.body) return { ...out, ms: Date.now() - started };
    const decoder = new TextDecoder();
    let buffer = '';
    const take = (line: string) => {
      if (!line.startsWith('data:')) return;
      const data = line.slice(5).trim();
      if (data === '[DONE]') {
        out.done = true;
        return;
      }
      try {
        const event = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
        if (out.firstContentMs === null && event.choices?.[0]?.delta?.content)
          out.firstContentMs = Date.now() - started;
        out.events.push(event);
      } catch {
        out.unparsable++;
      }
    };
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        take(buffer.slice(0, nl).trim());
        buffer = buffer.slice(nl + 1);
      }
    }
    take(buffer.trim());
  } catch (err) {
    out.error = (err as Error).message;
  }
  out.ms = Date.now() - started;
  return out;
}

/** A multipart/form-data body with one file field. */
export function multipartFile(
  field: string,
  filename: string,
  type: string,
  data: Buffer
): { body: Buffer; contentType: string } {
  const boundary = `----dumont-e2e-${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, data, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
