/**
 * The HTTP layer under both platform clients: one axios instance, JSON parsed by us (so an HTML page on a
 * 200 is caught, not silently passed on as a string), zod validation of every body, a bounded in-client
 * retry for retryable errors, and every failure mapped by {@link toPlatformError}.
 */
import axios, { type AxiosInstance, type Method, type RawAxiosRequestHeaders } from 'axios';
import type { z } from 'zod';
import {
  deadlineExceeded,
  PlatformError,
  PlatformUnavailableError,
  RateLimitedError,
  TransientPlatformError,
  toPlatformError,
  unreadableBody,
} from './errors';

/** In-client retry of retryable errors; the durable retry lives in the activities above this. */
export interface RetryOptions {
  /** Total tries, the first included. @default 6 */
  attempts?: number;
  /** Delay before the second try; doubles per try. @default 100 */
  baseDelayMs?: number;
  /** Upper bound of one delay. @default 3000 */
  maxDelayMs?: number;
  /** Injectable for tests. @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  baseUrl: string;
  /**
   * Per-request deadline for the WHOLE answer, body included (a socket idle timeout alone never fires on a body
   * that drips a byte at a time). @default 30000
   */
  timeoutMs?: number;
  /** Largest response body read; a bigger one fails with a ProtocolError instead of filling memory. @default 33554432 (32 MiB) */
  maxBodyBytes?: number;
  retry?: RetryOptions;
  /** Headers added to every request, evaluated per request (so a refreshed token is picked up). */
  headers?: () => RawAxiosRequestHeaders | Promise<RawAxiosRequestHeaders>;
  /** Literal secrets to redact from error messages (API key, password, current token). */
  secrets?: () => readonly string[];
  /**
   * How long the SAME retryable failure (endpoint, status, body) may keep coming back before the client calls
   * the platform unavailable ({@link PlatformUnavailableError}, not retryable). A success of that call resets it.
   * Kept per client, so activity retries in one worker share it. @default 300000 (5 minutes)
   */
  unavailableAfterMs?: number;
  /** Told about every retryable failure (retried here or handed to the caller), e.g. to show it in a heartbeat. */
  onRetryableError?: (err: PlatformError) => void;
}

/** One request: where, what, and the schema its 2xx body must satisfy. */
export interface HttpRequest<S extends z.ZodType> {
  method: Method;
  /** Path under the base URL, e.g. `/api/v0/instances/1/`. Never put secrets here. */
  path: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
  /** Overrides the client's timeout for this request (slow synchronous calls). */
  timeoutMs?: number;
  /** Per-request headers, merged over the client's. */
  headers?: RawAxiosRequestHeaders;
  schema: S;
  /**
   * Whether repeating the request is harmless. Non-idempotent requests (create) are retried only when the
   * server provably did not act on them: 429 and connection refused. @default true
   */
  idempotent?: boolean;
  /** Overrides which retryable errors the in-client loop repeats (e.g. hand a known 500 to the caller). */
  shouldRetry?: (err: PlatformError) => boolean;
  /**
   * The body's `success: false` is data, not a failure (a record of an operation that failed, e.g. a failover's
   * status): the schema reads it. @default false (a 200 with `success:false` is an error, as VAST sometimes answers)
   */
  successFalseIsData?: boolean;
}

/** A configured HTTP client; `axios` is exposed for callers that need raw access. */
export interface HttpClient {
  readonly axios: AxiosInstance;
  /** Sends, retries, parses and validates; resolves with the parsed body or rejects with a {@link PlatformError}. */
  request<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.output<S>>;
  /**
   * The server's clock as its latest answer (error answers included) gave it in its HTTP `Date` header, epoch
   * seconds (whole ones, as the header has them); undefined before any answer with a readable `Date`. Ages of the
   * server's timestamps are computed against this, not the worker's clock: a real server's clock may be skewed
   * from the worker's, and the simulator's runs compressed (`docs/simulator.md` § Clock and timings).
   */
  serverNow(): number | undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds an {@link HttpClient} over a fresh axios instance. */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const attempts = Math.max(1, opts.retry?.attempts ?? 6);
  const baseDelayMs = opts.retry?.baseDelayMs ?? 100;
  const maxDelayMs = opts.retry?.maxDelayMs ?? 3000;
  const sleep = opts.retry?.sleep ?? defaultSleep;
  const secrets = () => opts.secrets?.() ?? [];
  const timeoutMs = opts.timeoutMs ?? 30_000;

  const instance = axios.create({
    baseURL: opts.baseUrl.replace(/\/+$/, ''),
    timeout: timeoutMs,
    maxContentLength: opts.maxBodyBytes ?? 32 * 1024 * 1024,
    // We parse ourselves: axios would hand an HTML error page through as a string on a 200.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    transitional: { clarifyTimeoutError: true },
    headers: { Accept: 'application/json' },
  });

  let serverNow: number | undefined;
  /** Keeps the `Date` of an answer, when it has a readable one. */
  function noteDate(headers: unknown): void {
    const raw = (headers as Record<string, unknown> | undefined)?.date;
    const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
    if (Number.isFinite(ms)) serverNow = ms / 1000;
  }

  async function once<S extends z.ZodType>(req: HttpRequest<S>, endpoint: string): Promise<z.output<S>> {
    let res;
    const deadlineMs = req.timeoutMs ?? timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    try {
      res = await instance.request<string>({
        method: req.method,
        url: req.path,
        params: req.params,
        data: req.data,
        timeout: deadlineMs,
        signal: deadline.signal,
        headers: { ...(await opts.headers?.()), ...req.headers },
      });
    } catch (err) {
      if (axios.isAxiosError(err)) noteDate(err.response?.headers);
      if (deadline.signal.aborted) throw deadlineExceeded(endpoint, deadlineMs);
      throw toPlatformError(err, endpoint, { secrets: secrets() });
    } finally {
      clearTimeout(timer);
    }
    noteDate(res.headers);
    const contentType = notJsonContentType(res.headers['content-type']);
    const text = typeof res.data === 'string' ? res.data : undefined;
    if (contentType !== undefined && text !== undefined) {
      throw unreadableBody(endpoint, { text, contentType }, { secrets: secrets() });
    }
    const body = parseJson(res.data, endpoint, secrets());
    if (!req.successFalseIsData && isExplicitFailure(body)) {
      // VAST sometimes answers 200 with `success:false`; classify it like an error response.
      const synthetic = new axios.AxiosError('success:false', 'ERR_BAD_RESPONSE', undefined, undefined, {
        ...res,
        data: body,
      });
      throw toPlatformError(synthetic, endpoint, { secrets: secrets() });
    }
    const parsed = req.schema.safeParse(body);
    if (!parsed.success) {
      // An empty body is named as such, not as "(root): expected object".
      if (body === undefined) throw unreadableBody(endpoint, { text: '' });
      throw toPlatformError(parsed.error, endpoint, { secrets: secrets() });
    }
    return parsed.data;
  }

  /** First time each persisting failure was seen, by `METHOD /path/{id}` + status + message. */
  const persisting = new Map<string, number>();
  const unavailableAfterMs = opts.unavailableAfterMs ?? 300_000;
  const callOf = (endpoint: string) => endpoint.replace(/\/\d+(?=\/|$)/g, '/{id}');

  /** Turns a failure that has persisted past the bound into {@link PlatformUnavailableError}. */
  function persisted(e: PlatformError, endpoint: string): PlatformError {
    if (!e.retryable || e instanceof RateLimitedError) return e;
    opts.onRetryableError?.(e);
    const key = `${callOf(endpoint)} ${e.status ?? e.code ?? ''} ${e.message.replace(/\d{3,}/g, '#')}`;
    const first = persisting.get(key) ?? Date.now();
    persisting.set(key, first);
    const seconds = Math.round((Date.now() - first) / 1000);
    if (Date.now() - first < unavailableAfterMs) return e;
    return new PlatformUnavailableError(`platform unavailable: ${e.message} (the same answer for ${seconds}s)`, {
      endpoint: e.endpoint,
      ...(e.status !== undefined ? { status: e.status } : {}),
      ...(e.code !== undefined ? { code: e.code } : {}),
    });
  }

  function succeeded(endpoint: string): void {
    const call = `${callOf(endpoint)} `;
    for (const key of persisting.keys()) if (key.startsWith(call)) persisting.delete(key);
  }

  async function request<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.output<S>> {
    const endpoint = `${req.method.toUpperCase()} ${req.path}`;
    const idempotent = req.idempotent ?? true;
    for (let attempt = 1; ; attempt++) {
      try {
        const body = await once(req, endpoint);
        succeeded(endpoint);
        return body;
      } catch (err) {
        const e = persisted(toPlatformError(err, endpoint, { secrets: secrets() }), endpoint);
        const wanted = e.retryable && (idempotent || provablyNotExecuted(e)) && (req.shouldRetry?.(e) ?? true);
        if (!wanted || attempt >= attempts) throw e;
        await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  return { axios: instance, request, serverNow: () => serverNow };
}

/**
 * Only these prove the server did nothing: a 429 is answered before processing, a refused connection never
 * reached it. A 5xx, a reset or a timeout may come after the create took effect (a double rental costs money).
 */
function provablyNotExecuted(e: PlatformError): boolean {
  if (e instanceof RateLimitedError) return true;
  return e instanceof TransientPlatformError && !e.mayHaveTakenEffect;
}

function parseJson(text: unknown, endpoint: string, secrets: readonly string[]): unknown {
  if (typeof text !== 'string') return text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw unreadableBody(endpoint, { text }, { secrets });
  }
}

/**
 * The content type of a 2xx answer when it says the body is something other than JSON (an HTML page, XML, a
 * file). Absent, JSON-ish and `text/plain` (which some frameworks send JSON as) are accepted and parsed.
 */
function notJsonContentType(header: unknown): string | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const type = header.split(';')[0]!.trim().toLowerCase();
  if (type.includes('json') || type === 'text/plain' || type === '*/*') return undefined;
  return type;
}

function isExplicitFailure(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false;
}
