import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AuthError,
  InvalidRequestError,
  NotFoundError,
  OfferUnavailableError,
  PlatformError,
  ProtocolError,
  RateLimitedError,
  TransientPlatformError,
  createHttpClient,
  toPlatformError,
} from '../../src/platform';
import { closedPort, startFixtureServer, type Canned, type FixtureServer } from './fixture-server';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

/** One try, no retries: the mapping alone is under test here. */
async function failureOf(canned: Canned, opts: { timeoutMs?: number; baseUrl?: string } = {}): Promise<PlatformError> {
  const path = `/case/${server.requests.length}-${Math.random().toString(36).slice(2)}`;
  server.on('GET', path, canned);
  const http = createHttpClient({
    baseUrl: opts.baseUrl ?? server.baseUrl,
    retry: { attempts: 1 },
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const err = await http.request({ method: 'GET', path, schema: z.looseObject({ ok: z.literal(true) }) }).then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(PlatformError);
  return err as PlatformError;
}

describe('toPlatformError over real HTTP', () => {
  const cases: Array<[string, Canned, new (...a: never[]) => PlatformError, Partial<PlatformError>]> = [
    ['429 plain text', { status: 429, body: 'API requests too frequent' }, RateLimitedError, { retryable: true }],
    [
      '429 {detail}',
      { status: 429, body: { detail: 'API requests too frequent endpoint threshold=2.0' } },
      RateLimitedError,
      { retryable: true, status: 429 },
    ],
    [
      '429 {success,error,msg}',
      {
        status: 429,
        body: { success: false, error: 'rate_limit_exceeded', msg: 'API requests too frequent endpoint threshold=3.0' },
      },
      RateLimitedError,
      { retryable: true, code: 'rate_limit_exceeded' },
    ],
    [
      '500 Dumont {error}',
      { status: 500, body: { error: 'Internal server error', details: 'boom' } },
      TransientPlatformError,
      { retryable: true },
    ],
    [
      '502 HTML from a proxy',
      {
        status: 502,
        body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
        contentType: 'text/html',
      },
      TransientPlatformError,
      { retryable: true, status: 502 },
    ],
    ['503 plain text', { status: 503, body: 'Service Unavailable' }, TransientPlatformError, { retryable: true }],
    [
      '401 auth_error',
      { status: 401, body: { success: false, error: 'auth_error', msg: 'Invalid user key' } },
      AuthError,
      { retryable: false, code: 'auth_error' },
    ],
    [
      '403 not_authorized',
      { status: 403, body: { error: 'not_authorized', msg: 'no' } },
      AuthError,
      { retryable: false },
    ],
    [
      '404 not_found',
      { status: 404, body: { error: 'not_found', msg: 'Instance not found' } },
      NotFoundError,
      { code: 'not_found' },
    ],
    [
      '404 Dumont {error}',
      { status: 404, body: { error: 'Instance 5 not found' } },
      NotFoundError,
      { retryable: false },
    ],
    [
      '200 success:false no_such_instance',
      { status: 200, body: { success: false, error: 'no_such_instance', msg: 'gone' } },
      NotFoundError,
      { code: 'no_such_instance' },
    ],
    [
      '404 no_such_ask (3603)',
      {
        status: 404,
        body: {
          success: false,
          error: 'invalid_args',
          msg: 'error 404/3603: no_such_ask Instance type by id 7 is not available.',
          ask_id: 7,
        },
      },
      OfferUnavailableError,
      { retryable: false, status: 404 },
    ],
    [
      '410 no_such_ask (3907)',
      {
        status: 410,
        body: { error: 'no_such_ask', msg: 'error 410/3907: no_such_ask Instance type 7 is no longer available.' },
      },
      OfferUnavailableError,
      { code: 'no_such_ask' },
    ],
    [
      'Dumont 500 indisponível',
      { status: 500, body: { error: 'Oferta 7 indisponível: Instance type 7 is no longer available' } },
      OfferUnavailableError,
      { retryable: false, status: 500 },
    ],
    [
      '400 invalid_request',
      { status: 400, body: { error: 'invalid_request', msg: 'Invalid json body' } },
      InvalidRequestError,
      { retryable: false },
    ],
    [
      '422 Dumont validation',
      {
        status: 422,
        body: { error: 'Validation error', details: [{ loc: ['body', 'offer_id'], msg: 'field required' }] },
      },
      InvalidRequestError,
      { status: 422 },
    ],
    [
      '200 HTML instead of JSON',
      { status: 200, body: '<!DOCTYPE html><html>login</html>', contentType: 'text/html' },
      ProtocolError,
      { retryable: true },
    ],
    ['200 JSON failing the schema', { status: 200, body: { ok: 'yes' } }, ProtocolError, { retryable: true }],
    [
      '402 other 4xx',
      { status: 402, body: { error: 'Insufficient balance' } },
      PlatformError,
      { kind: 'rejected', retryable: false },
    ],
  ];

  it.each(cases)('%s', async (_name, canned, type, expected) => {
    const err = await failureOf(canned);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject(expected);
    expect(err.endpoint).toMatch(/^GET \/case\//);
    expect(err.message).toContain(err.endpoint);
  });

  it('keeps the server text in the message (detail, msg, Dumont error, HTML title)', async () => {
    expect((await failureOf({ status: 429, body: { detail: 'threshold=2.0' } })).message).toContain('threshold=2.0');
    expect((await failureOf({ status: 404, body: { error: 'Instance 5 not found' } })).message).toContain(
      'Instance 5 not found'
    );
    expect((await failureOf({ status: 502, body: '<html><title>502 Bad Gateway</title></html>' })).message).toContain(
      '502 Bad Gateway'
    );
  });

  it('maps a dropped connection to a transient error that may have taken effect', async () => {
    const err = await failureOf({ drop: true });
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(err).toMatchObject({ code: 'ECONNRESET', retryable: true, mayHaveTakenEffect: true });
  });

  it('maps a refused connection to a transient error that did not take effect', async () => {
    const err = await failureOf({}, { baseUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', retryable: true, mayHaveTakenEffect: false });
  });

  it('maps a timeout to a transient error', async () => {
    const err = await failureOf({ hang: true }, { timeoutMs: 150 });
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(err).toMatchObject({ code: 'ETIMEDOUT', retryable: true, mayHaveTakenEffect: true });
  });
});

describe('toPlatformError on non-HTTP input', () => {
  it('returns platform errors unchanged', () => {
    const e = new NotFoundError('x', { endpoint: 'GET /a' });
    expect(toPlatformError(e, 'GET /b')).toBe(e);
  });

  it('maps zod errors to ProtocolError and unknown errors to a non-retryable PlatformError', () => {
    const zodError = z.object({ a: z.number() }).safeParse({ a: 'x' }).error;
    expect(toPlatformError(zodError, 'GET /x')).toBeInstanceOf(ProtocolError);
    const other = toPlatformError(new Error('weird'), 'GET /x');
    expect(other).toMatchObject({ kind: 'rejected', retryable: false });
  });

  it('strips secret query parameters from the endpoint and redacts given secrets', () => {
    const e = toPlatformError(new Error('echo s3cr3t-key and Bearer abc.def'), 'GET /a?api_key=s3cr3t-key&id=5', {
      secrets: ['s3cr3t-key'],
    });
    expect(e.endpoint).toBe('GET /a?api_key=[redacted]&id=5');
    expect(e.message).not.toContain('s3cr3t-key');
    expect(e.message).not.toContain('abc.def');
  });
});
