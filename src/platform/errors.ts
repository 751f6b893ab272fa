/**
 * The platform error hierarchy and the ONE mapper from transport failures (HTTP status + body, network
 * error codes, schema failures) to typed errors. Callers decide what to do by type and by `retryable`,
 * never by parsing messages (the pattern of Pulumi's `createCommandError`).
 *
 * Messages are built from the endpoint, the status and a short, redacted excerpt of the body; they never
 * carry request headers, query secrets, tokens or passwords, because they end up in Temporal histories,
 * reports and logs.
 */
import { isAxiosError } from 'axios';
import { ZodError } from 'zod';
import { redactSecrets, sanitizeEndpoint } from './redact';

/** What went wrong, as a stable string usable in reports and `nonRetryableErrorTypes` logic. */
export type PlatformErrorKind =
  | 'rate-limited'
  | 'transient'
  | 'auth'
  | 'not-found'
  | 'offer-unavailable'
  | 'invalid-request'
  | 'protocol'
  | 'rejected'
  | 'unavailable';

/** Fields every platform error carries. */
export interface PlatformErrorInit {
  /** `METHOD /path` (or `SSH host:port`), without query secrets. */
  endpoint: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The platform's machine-readable code (VAST `error`, e.g. `no_such_ask`) or a network code (`ECONNRESET`). */
  code?: string;
}

/**
 * Base class. `retryable` says whether repeating the SAME request later can succeed; it is what the
 * in-client retry and the activities' retry policies look at.
 */
export class PlatformError extends Error {
  /** Marker that survives duplicate module copies, where `instanceof` would not. */
  readonly isPlatformError = true;
  readonly kind: PlatformErrorKind;
  readonly retryable: boolean;
  readonly endpoint: string;
  readonly status?: number;
  readonly code?: string;

  constructor(kind: PlatformErrorKind, retryable: boolean, message: string, init: PlatformErrorInit) {
    super(message);
    this.name = 'PlatformError';
    this.kind = kind;
    this.retryable = retryable;
    this.endpoint = init.endpoint;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
  }

  /** Realm-safe type check (works across duplicated copies of this module). */
  static is(err: unknown): err is PlatformError {
    return typeof err === 'object' && err !== null && (err as { isPlatformError?: unknown }).isPlatformError === true;
  }
}

/**
 * 429. Retryable: VAST enforces a minimum interval per endpoint and identity and sends no `Retry-After`,
 * so the same request succeeds once the client has backed off; nothing was executed.
 */
export class RateLimitedError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('rate-limited', true, message, init);
    this.name = 'RateLimitedError';
  }
}

/**
 * 5xx, or a connection refused/reset/dropped/timed out. Retryable: these come from overloaded hosts,
 * proxies and restarts, and go away. `mayHaveTakenEffect` says whether the server may have executed the
 * request (a 5xx or a dropped connection may; a refused connection or a DNS failure cannot), which decides
 * whether a NON-idempotent request (create) may be repeated blindly: it may not, or it could rent twice.
 */
export class TransientPlatformError extends PlatformError {
  readonly mayHaveTakenEffect: boolean;

  constructor(message: string, init: PlatformErrorInit & { mayHaveTakenEffect: boolean }) {
    super('transient', true, message, init);
    this.name = 'TransientPlatformError';
    this.mayHaveTakenEffect = init.mayHaveTakenEffect;
  }
}

/**
 * 401/403, or SSH public-key authentication refused. Not retryable: a bad or unscoped key stays bad;
 * repeating only burns rate limit. (The Dumont client re-logs in once on 401 before surfacing this.)
 */
export class AuthError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('auth', false, message, init);
    this.name = 'AuthError';
  }
}

/**
 * 404, or a body code `no_such_instance` / `not_found` / `no_such_volume` / ... Not retryable: the thing is
 * not there. Note that on Dumont a 404 does not prove destruction (it wraps any provider error into 404);
 * confirm with a list.
 */
export class NotFoundError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('not-found', false, message, init);
    this.name = 'NotFoundError';
  }
}

/**
 * The offer was rented or withdrawn between search and create (VAST 404/410 `no_such_ask`; Dumont 500
 * `Oferta <id> indisponível`). `retryable` is false because the SAME request will keep failing; the caller
 * recovers by searching again and picking another offer, which is why this is its own type.
 */
export class OfferUnavailableError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('offer-unavailable', false, message, init);
    this.name = 'OfferUnavailableError';
  }
}

/** 400/422. Not retryable: the request itself is wrong (a harness bug or an unsupported filter). */
export class InvalidRequestError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('invalid-request', false, message, init);
    this.name = 'InvalidRequestError';
  }
}

/**
 * The platform has no such route (the framework's own 404/405, not a handler's answer): a feature the harness needs
 * is missing there. Non-retryable; scenarios report it as "platform lacks <call>" (docs/platform-contract.md lists
 * which calls are Dumont's own and which are extensions the harness needs).
 */
export class PlatformLacksError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('rejected', false, message, init);
    this.name = 'PlatformLacksError';
  }
}

/** True for the framework's "no route" answers: 405, or a 404 whose whole error text is "Not Found". */
export function isNoRoute(err: unknown): boolean {
  if (!PlatformError.is(err)) return false;
  if (err.status === 405) return true;
  return err.status === 404 && /: HTTP 404: Not Found$/.test(err.message);
}

/**
 * The same retryable failure (same endpoint, same status, same body) kept coming back for longer than the
 * client's bound: not a blip but a platform that cannot serve this call now (e.g. Dumont's instance list answering
 * 503 for as long as its VAST list is retired). Non-retryable, so that runs end with "platform unavailable: …"
 * instead of retrying without end.
 */
export class PlatformUnavailableError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('unavailable', false, message, init);
    this.name = 'PlatformUnavailableError';
  }
}

/**
 * A 2xx response we cannot trust: not JSON (an HTML error page), failing the schema, or self-contradicting
 * (`instances: []` with `instances_found > 0`). Retryable: proxies, CDNs and half-deployed backends produce
 * these transiently, and acting on a wrong "empty" list would make cleanup believe everything is gone.
 */
export class ProtocolError extends PlatformError {
  constructor(message: string, init: PlatformErrorInit) {
    super('protocol', true, message, init);
    this.name = 'ProtocolError';
  }
}

/** Options of {@link toPlatformError}. */
export interface ToPlatformErrorOptions {
  /** Literal secrets (API key, password, token) to redact from anything echoed back by the server. */
  secrets?: readonly string[];
}

/** Network codes where the request provably never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Network codes that mean "try again later"; all but NOT_SENT_CODES may have reached the server. */
const TRANSIENT_CODES = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'ERR_NETWORK',
]);
const NOT_FOUND_CODES = new Set(['not_found', 'no_such_instance', 'no_such_volume', 'no_such_ssh_key', 'invalid_id']);
const MAX_DETAIL = 300;

/**
 * Maps anything thrown while talking to a platform to a {@link PlatformError}. Accepts axios errors (status
 * and body in every shape the platforms use: VAST `{error, msg}`, `{detail}`, `{message}`, Dumont
 * `{error: "<text>"}`, plain text, HTML), network errors (by `code`), zod errors (→ {@link ProtocolError}) and
 * platform errors (returned unchanged).
 *
 * @param endpoint `METHOD /path`; any query string is stripped of secret parameters.
 */
export function toPlatformError(err: unknown, endpoint: string, opts: ToPlatformErrorOptions = {}): PlatformError {
  if (PlatformError.is(err)) return err;
  const ep = sanitizeEndpoint(endpoint);
  const redact = (text: string) => redactSecrets(text, opts.secrets);

  if (err instanceof ZodError) {
    return new ProtocolError(`${ep}: response failed validation: ${redact(summarizeZod(err))}`, { endpoint: ep });
  }
  if (isAxiosError(err) && err.response) {
    return fromResponse(err.response.status, err.response.data, ep, redact);
  }
  const tooLarge = isAxiosError(err) ? /maxContentLength size of (\d+) exceeded/.exec(err.message) : null;
  if (tooLarge) {
    return new ProtocolError(`${ep}: response body larger than ${tooLarge[1]} bytes (reading stopped there)`, {
      endpoint: ep,
      code: 'EBODYTOOLARGE',
    });
  }
  const code = errorCode(err);
  if (code && TRANSIENT_CODES.has(code)) {
    const mayHaveTakenEffect = !NOT_SENT_CODES.has(code);
    const what = mayHaveTakenEffect ? 'connection dropped or timed out' : 'connection failed';
    return new TransientPlatformError(`${ep}: ${what} (${code})`, { endpoint: ep, code, mayHaveTakenEffect });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new PlatformError('rejected', false, `${ep}: ${truncate(redact(message))}`, {
    endpoint: ep,
    ...(code ? { code } : {}),
  });
}

/**
 * No complete response within the request's whole deadline: a body that drips, or a server that stalls after the
 * headers (a socket idle timeout never fires while bytes trickle in). It may have acted, like any timeout.
 */
export function deadlineExceeded(endpoint: string, ms: number): TransientPlatformError {
  const ep = sanitizeEndpoint(endpoint);
  return new TransientPlatformError(`${ep}: no complete response within ${ms} ms (stalled or dripping body)`, {
    endpoint: ep,
    code: 'ETIMEDOUT',
    mayHaveTakenEffect: true,
  });
}

/**
 * A 2xx body that is not the JSON the schema wanted: empty, cut off, an HTML page, another content type, or
 * other text. Names which, with a short redacted excerpt, so a report says what the platform actually sent.
 */
export function unreadableBody(
  endpoint: string,
  body: { text: string; contentType?: string },
  opts: ToPlatformErrorOptions = {}
): ProtocolError {
  const ep = sanitizeEndpoint(endpoint);
  const text = body.text.trim();
  const excerpt = redactSecrets(text.replace(/\s+/g, ' ').slice(0, 120), opts.secrets);
  let what: string;
  if (text === '') what = 'empty response body where JSON was expected';
  else if (looksLikeHtml(text))
    what = `HTML page instead of JSON: ${truncate(redactSecrets(htmlTitle(text), opts.secrets))}`;
  else if (body.contentType !== undefined) what = `response has content type ${body.contentType}, not JSON: ${excerpt}`;
  else if (looksCutOff(text))
    what = `response is cut off after ${Buffer.byteLength(text)} bytes (truncated JSON): ${excerpt}`;
  else what = `response is not JSON: ${excerpt}`;
  return new ProtocolError(`${ep}: ${what}`, { endpoint: ep });
}

/** A JSON document that opens more brackets (or a string) than it closes: the body ended early. */
function looksCutOff(text: string): boolean {
  if (!/^[[{]/.test(text)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return inString || depth > 0;
}

/** Classifies an HTTP response (error status, or a 2xx carrying `success: false`). */
function fromResponse(status: number, data: unknown, ep: string, redact: (s: string) => string): PlatformError {
  const { code, text } = readBody(data);
  const detail = truncate(redact(text));
  const message = `${ep}: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`;
  const init: PlatformErrorInit = { endpoint: ep, status, ...(code ? { code } : {}) };

  if (status === 429 || code === 'rate_limit_exceeded') return new RateLimitedError(message, init);
  if (status === 401 || status === 403) return new AuthError(message, init);
  if (isOfferGone(code, text)) return new OfferUnavailableError(message, init);
  if (status === 404 || status === 410 || (code && NOT_FOUND_CODES.has(code))) return new NotFoundError(message, init);
  if (status === 400 || status === 422) return new InvalidRequestError(message, init);
  if (status === 408 || status >= 500) {
    return new TransientPlatformError(message, { ...init, mayHaveTakenEffect: status !== 408 });
  }
  return new PlatformError('rejected', false, message, init);
}

/**
 * VAST says `no_such_ask` (404 code 3603, or 410 code 3907); Dumont wraps the same situation into a 500 with
 * a Portuguese `indisponível` text, and its provider maps "not available"/"no longer" to the same meaning.
 */
function isOfferGone(code: string | undefined, text: string): boolean {
  if (code === 'no_such_ask' || /no_such_ask/.test(text) || /indispon[ií]vel/i.test(text)) return true;
  return /(not|no longer) available/i.test(text) && /\b(offer|oferta|ask|instance type)\b/i.test(text);
}

/** Extracts a machine code and a human text from any body shape. */
function readBody(data: unknown): { code?: string; text: string } {
  let body = data;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed.startsWith('{')) {
      try {
        body = JSON.parse(trimmed);
      } catch {
        return { text: trimmed };
      }
    } else {
      return { text: looksLikeHtml(trimmed) ? `(HTML) ${htmlTitle(trimmed)}` : trimmed };
    }
  }
  if (typeof body !== 'object' || body === null) return { text: body === undefined ? '' : String(body) };
  const o = body as Record<string, unknown>;
  const error = typeof o.error === 'string' ? o.error : undefined;
  // A VAST code is a snake_case token; Dumont puts a sentence in `error` instead.
  const code = error && /^[a-z][a-z0-9_]*$/.test(error) ? error : undefined;
  const texts = [o.msg, o.message, o.detail, code ? undefined : error, o.details]
    .filter((v) => v !== undefined && v !== null && v !== '')
    .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return { ...(code ? { code } : {}), text: texts.join(' | ') };
}

function looksLikeHtml(text: string): boolean {
  return /^<(!doctype|html|head|body)/i.test(text);
}

function htmlTitle(html: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1];
  return title
    ? title.trim()
    : html
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node's fetch/undici and some wrappers keep the socket error in `cause`.
  return errorCode((err as { cause?: unknown }).cause);
}

function summarizeZod(err: ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL)}…` : oneLine;
}
