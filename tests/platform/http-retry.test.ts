import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ProtocolError,
  RateLimitedError,
  TransientPlatformError,
  createDumontClient,
  createHttpClient,
} from '../../src/platform';
import { closedPort, startFixtureServer, type FixtureServer } from './fixture-server';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

/** Records the backoff instead of waiting it out. */
function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

const ok = z.looseObject({ ok: z.literal(true) });
const rateLimited = { status: 429, body: { detail: 'API requests too frequent endpoint threshold=2.0' } };

describe('bounded in-client retry', () => {
  it('retries a 429 with doubling backoff, then succeeds', async () => {
    server.on('GET', '/r/429', rateLimited, { status: 429, body: 'API requests too frequent' }, { body: { ok: true } });
    const { delays, sleep } = recordingSleep();
    const http = createHttpClient({ baseUrl: server.baseUrl, retry: { sleep } });
    await expect(http.request({ method: 'GET', path: '/r/429', schema: ok })).resolves.toEqual({ ok: true });
    expect(server.seen('GET', '/r/429')).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after the configured attempts with the typed error, delays capped', async () => {
    server.on('GET', '/r/503', { status: 503, body: 'Service Unavailable' });
    const { delays, sleep } = recordingSleep();
    const http = createHttpClient({
      baseUrl: server.baseUrl,
      retry: { attempts: 7, baseDelayMs: 1000, maxDelayMs: 3000, sleep },
    });
    await expect(http.request({ method: 'GET', path: '/r/503', schema: ok })).rejects.toBeInstanceOf(
      TransientPlatformError
    );
    expect(server.seen('GET', '/r/503')).toHaveLength(7);
    expect(delays).toEqual([1000, 2000, 3000, 3000, 3000, 3000]);
  });

  it('defaults to 6 attempts', async () => {
    server.on('GET', '/r/default', { status: 500, body: { error: 'Internal server error' } });
    const { sleep } = recordingSleep();
    const http = createHttpClient({ baseUrl: server.baseUrl, retry: { sleep } });
    await expect(http.request({ method: 'GET', path: '/r/default', schema: ok })).rejects.toThrow(/HTTP 500/);
    expect(server.seen('GET', '/r/default')).toHaveLength(6);
  });

  it('retries a suspicious (non-JSON) 200 on an idempotent request', async () => {
    server.on(
      'GET',
      '/r/html',
      { body: '<html>captive portal</html>', contentType: 'text/html' },
      { body: { ok: true } }
    );
    const { sleep } = recordingSleep();
    const http = createHttpClient({ baseUrl: server.baseUrl, retry: { sleep } });
    await expect(http.request({ method: 'GET', path: '/r/html', schema: ok })).resolves.toEqual({ ok: true });
    expect(server.seen('GET', '/r/html')).toHaveLength(2);
  });

  it('does not retry non-retryable errors', async () => {
    server.on('GET', '/r/400', { status: 400, body: { error: 'invalid_args', msg: 'bad' } });
    const { sleep } = recordingSleep();
    const http = createHttpClient({ baseUrl: server.baseUrl, retry: { sleep } });
    await expect(http.request({ method: 'GET', path: '/r/400', schema: ok })).rejects.toThrow(/invalid_args/);
    expect(server.seen('GET', '/r/400')).toHaveLength(1);
  });
});

describe('non-idempotent requests', () => {
  const created = { id: 42, status: 'running', actual_status: null, gpu_name: 'RTX 4090', num_gpus: 1, dph_total: 0.4 };

  function dumont(sleep: (ms: number) => Promise<void>) {
    server.on('POST', '/api/v1/auth/login', { body: { success: true, user: 'a@b.c', token: 'jwt-1' } });
    return createDumontClient({ baseUrl: server.baseUrl, email: 'a@b.c', password: 'pw-123456' }, { retry: { sleep } });
  }

  it('does not repeat a create after a 502 (it may have rented)', async () => {
    server.on('POST', '/api/v1/instances', { status: 502, body: 'Bad Gateway' }, { status: 201, body: created });
    const before = server.seen('POST', '/api/v1/instances').length;
    const client = dumont(recordingSleep().sleep);
    const err = await client.createInstance({ offer_id: 7, label: 'l' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(err).toMatchObject({ status: 502, mayHaveTakenEffect: true });
    expect(server.seen('POST', '/api/v1/instances').length - before).toBe(1);
  });

  it('does not repeat a create after a dropped connection', async () => {
    server.on('POST', '/api/v1/instances', { drop: true }, { status: 201, body: created });
    const before = server.seen('POST', '/api/v1/instances').length;
    const err = await dumont(recordingSleep().sleep)
      .createInstance({ offer_id: 7, label: 'l' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNRESET', mayHaveTakenEffect: true });
    expect(server.seen('POST', '/api/v1/instances').length - before).toBe(1);
  });

  it('does not repeat a create that timed out, and gives create its own timeout', async () => {
    server.on('POST', '/api/v1/instances', { hang: true }, { status: 201, body: created });
    server.on('POST', '/api/v1/auth/login', { body: { success: true, user: 'a@b.c', token: 'jwt-1' } });
    const before = server.seen('POST', '/api/v1/instances').length;
    const client = createDumontClient(
      { baseUrl: server.baseUrl, email: 'a@b.c', password: 'pw-123456' },
      { createTimeoutMs: 150, retry: { sleep: recordingSleep().sleep } }
    );
    const err = await client.createInstance({ offer_id: 7, label: 'l' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ETIMEDOUT', mayHaveTakenEffect: true });
    expect(server.seen('POST', '/api/v1/instances').length - before).toBe(1);
  });

  it('does repeat a create after a 429 (answered before any effect)', async () => {
    server.on('POST', '/api/v1/instances', rateLimited, { status: 201, body: created });
    const before = server.seen('POST', '/api/v1/instances').length;
    await expect(dumont(recordingSleep().sleep).createInstance({ offer_id: 7, label: 'l' })).resolves.toMatchObject({
      id: 42,
    });
    expect(server.seen('POST', '/api/v1/instances').length - before).toBe(2);
  });

  it('does repeat a non-idempotent request whose connection was refused', async () => {
    const { delays, sleep } = recordingSleep();
    const http = createHttpClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, retry: { attempts: 3, sleep } });
    const err = await http
      .request({ method: 'POST', path: '/x', schema: ok, idempotent: false })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNREFUSED' });
    expect(delays).toHaveLength(2);
  });

  it('does not repeat a non-idempotent request whose 200 body is malformed (it took effect)', async () => {
    server.on('POST', '/r/malformed', { body: { nope: 1 } });
    const http = createHttpClient({ baseUrl: server.baseUrl, retry: { sleep: recordingSleep().sleep } });
    const err = await http
      .request({ method: 'POST', path: '/r/malformed', schema: ok, idempotent: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(server.seen('POST', '/r/malformed')).toHaveLength(1);
  });

  it('surfaces RateLimitedError when 429 persists', async () => {
    server.on('POST', '/r/always429', rateLimited);
    const http = createHttpClient({ baseUrl: server.baseUrl, retry: { attempts: 2, sleep: recordingSleep().sleep } });
    const err = await http
      .request({ method: 'POST', path: '/r/always429', schema: ok, idempotent: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(server.seen('POST', '/r/always429')).toHaveLength(2);
  });
});

describe("the server's clock (HTTP Date)", () => {
  it('is the Date of the latest answer, error answers included, and unknown before any', async () => {
    const skewed = (iso: string) => ({ date: new Date(iso).toUTCString() });
    server.on('GET', '/clock/ok', { body: { ok: true }, headers: skewed('2019-03-04T05:06:07Z') });
    server.on('GET', '/clock/missing', {
      status: 404,
      body: { error: 'not_found' },
      headers: skewed('2019-03-04T05:07:00Z'),
    });
    const http = createHttpClient({ baseUrl: server.baseUrl, retry: { attempts: 1 } });
    expect(http.serverNow()).toBeUndefined();
    await http.request({ method: 'GET', path: '/clock/ok', schema: ok });
    // The server's clock, not the worker's (years apart here).
    expect(http.serverNow()).toBe(Date.parse('2019-03-04T05:06:07Z') / 1000);
    await expect(http.request({ method: 'GET', path: '/clock/missing', schema: ok })).rejects.toThrow();
    expect(http.serverNow()).toBe(Date.parse('2019-03-04T05:07:00Z') / 1000);
  });
});
