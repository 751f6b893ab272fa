import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  OfferUnavailableError,
  ProtocolError,
  TransientPlatformError,
  createDumontClient,
  type DumontClient,
} from '../../src/platform';
import { rejection, startFixtureServer, type FixtureServer } from './fixture-server';

const EMAIL = 'qa@example.com';
const PASSWORD = 'hunter2-very-secret';
let server: FixtureServer;
let dumont: DumontClient;
let logins: number;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  logins = 0;
  server.on('POST', '/api/v1/auth/login', (req) => {
    const body = req.body as { email?: string; password?: string };
    if (body.email !== EMAIL || body.password !== PASSWORD)
      return { status: 401, body: { error: 'Invalid credentials' } };
    logins++;
    return { body: { success: true, user: EMAIL, token: `jwt-${logins}` } };
  });
  dumont = createDumontClient(
    { baseUrl: server.baseUrl, email: EMAIL, password: PASSWORD },
    { retry: { attempts: 3, sleep: async () => {} } }
  );
});

function instance(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    status: 'running',
    actual_status: 'running',
    gpu_name: 'RTX 4090',
    num_gpus: 1,
    gpu_ram: 24,
    dph_total: 0.4,
    label: `dumont-e2e/s/${id}`,
    ssh_host: '127.0.0.1',
    ssh_port: 2222,
    provider: 'vast',
    ...extra,
  };
}

describe('Dumont client auth', () => {
  it('logs in lazily, once for concurrent calls, and sends the JWT as bearer', async () => {
    server.on('GET', '/api/v1/instances', { body: { instances: [instance(1)], count: 1 } });
    expect(server.requests).toHaveLength(0);
    await Promise.all([dumont.listInstances(), dumont.listInstances(), dumont.listInstances()]);
    expect(server.seen('POST', '/api/v1/auth/login')).toHaveLength(1);
    expect(server.seen('GET', '/api/v1/instances').map((r) => r.headers.authorization)).toEqual([
      'Bearer jwt-1',
      'Bearer jwt-1',
      'Bearer jwt-1',
    ]);
  });

  it('logs in again once on 401 and repeats the call', async () => {
    server.on('GET', '/api/v1/instances', (req) =>
      req.headers.authorization === 'Bearer jwt-2'
        ? { body: { instances: [], count: 0 } }
        : { status: 401, body: { error: 'Token expired' } }
    );
    await expect(dumont.listInstances()).resolves.toEqual([]);
    expect(logins).toBe(2);
  });

  it('surfaces AuthError when the fresh token is refused too', async () => {
    server.on('GET', '/api/v1/instances', { status: 401, body: { error: 'Not authenticated' } });
    await expect(dumont.listInstances()).rejects.toBeInstanceOf(AuthError);
    expect(logins).toBe(2);
    expect(server.seen('GET', '/api/v1/instances')).toHaveLength(2);
  });

  it('never puts the password or the token in errors', async () => {
    const bad = createDumontClient({ baseUrl: server.baseUrl, email: EMAIL, password: 'wrong-password-123' });
    server.on('POST', '/api/v1/auth/login', { status: 401, body: { error: 'Bad password wrong-password-123' } });
    const err = await rejection(bad.listInstances());
    expect(err).toBeInstanceOf(AuthError);
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain('wrong-password-123');

    const withToken = createDumontClient(
      { baseUrl: server.baseUrl, token: 'jwt-given-abcdef' },
      { retry: { attempts: 1 } }
    );
    server.on('GET', '/api/v1/instances/3', {
      status: 500,
      body: { error: 'Internal server error', details: 'token jwt-given-abcdef' },
    });
    const err2 = await rejection(withToken.getInstance(3));
    expect(err2).toBeInstanceOf(TransientPlatformError);
    expect(err2.message).not.toContain('jwt-given-abcdef');
  });

  it('uses a given token without logging in', async () => {
    const withToken = createDumontClient({ baseUrl: server.baseUrl, token: 'jwt-given' });
    server.on('GET', '/api/v1/instances/3', { body: instance(3) });
    await withToken.getInstance(3);
    expect(server.seen('POST', '/api/v1/auth/login')).toHaveLength(0);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer jwt-given');
  });
});

describe('Dumont client instances', () => {
  it('searches offers with query parameters', async () => {
    const offer = {
      id: 11,
      machine_id: '4242',
      gpu_name: 'RTX 4090',
      num_gpus: 1,
      gpu_ram: 24,
      dph_total: 0.35,
      geolocation: 'Ohio, US',
      reliability: 0.99,
      is_blacklisted: false,
    };
    server.on('GET', '/api/v1/instances/offers', {
      body: { offers: [offer, { ...offer, id: 12, machine_id: 7 }], count: 2 },
    });
    const offers = await dumont.searchOffers({ gpu_name: 'RTX 4090', max_price: 1, limit: 5, region: undefined });
    expect(offers.map((o) => o.machine_id)).toEqual(['4242', '7']);
    expect(server.seen('GET', '/api/v1/instances/offers')[0]!.query).toEqual({
      gpu_name: 'RTX 4090',
      max_price: '1',
      limit: '5',
    });
  });

  it('creates with skip_standby true unless told otherwise', async () => {
    server.on('POST', '/api/v1/instances', (req) => ({
      status: 201,
      body: instance(42, { label: (req.body as { label: string }).label }),
    }));
    expect(await dumont.createInstance({ offer_id: 11, label: 'L', image: 'pytorch/pytorch' })).toMatchObject({
      id: 42,
      label: 'L',
    });
    await dumont.createInstance({ offer_id: 11, label: 'L', skip_standby: false });
    const bodies = server.seen('POST', '/api/v1/instances').map((r) => r.body);
    expect(bodies).toEqual([
      { offer_id: 11, label: 'L', image: 'pytorch/pytorch', skip_standby: true },
      { offer_id: 11, label: 'L', skip_standby: false },
    ]);
  });

  it('maps a taken offer (500 indisponível) to OfferUnavailableError without retrying', async () => {
    server.on('POST', '/api/v1/instances', { status: 500, body: { error: 'Oferta 11 indisponível: no_such_ask' } });
    await expect(dumont.createInstance({ offer_id: 11, label: 'L' })).rejects.toBeInstanceOf(OfferUnavailableError);
    expect(server.seen('POST', '/api/v1/instances')).toHaveLength(1);
  });

  it('answers undefined for a 404 on GET', async () => {
    server.on('GET', '/api/v1/instances/9', { status: 404, body: { error: 'Instance 9 not found' } });
    expect(await dumont.getInstance(9)).toBeUndefined();
  });

  it('rejects a list that is empty but counts instances', async () => {
    server.on('GET', '/api/v1/instances', { body: { instances: [], count: 2 } });
    await expect(dumont.listInstances()).rejects.toBeInstanceOf(ProtocolError);
  });

  it('pauses and resumes', async () => {
    server.on('POST', '/api/v1/instances/5/pause', { body: { success: true, message: 'paused' } });
    server.on('POST', '/api/v1/instances/5/resume', { body: { success: true, message: 'resumed' } });
    await dumont.pauseInstance(5);
    await dumont.resumeInstance(5);
    expect(server.seen('POST', '/api/v1/instances/5/pause')).toHaveLength(1);
    expect(server.seen('POST', '/api/v1/instances/5/resume')).toHaveLength(1);
  });

  it('surfaces a pause that answers success:false', async () => {
    server.on('POST', '/api/v1/instances/5/pause', { body: { success: false, message: 'could not stop' } });
    await expect(dumont.pauseInstance(5)).rejects.toThrow(/could not stop/);
  });
});

describe('Dumont destroy', () => {
  it('destroys with reason=user_request', async () => {
    server.on('DELETE', '/api/v1/instances/5', { body: { success: true, message: 'Instance 5 destroyed' } });
    expect(await dumont.destroyInstance(5)).toBe('destroyed');
    expect(server.seen('DELETE', '/api/v1/instances/5')[0]!.query).toEqual({ reason: 'user_request' });
  });

  it('treats 404 as already gone', async () => {
    server.on('DELETE', '/api/v1/instances/5', { status: 404, body: { error: 'Instance 5 not found' } });
    expect(await dumont.destroyInstance(5)).toBe('already-gone');
  });

  it('treats 500 "Failed to destroy" as already gone when GET says 404 and the list agrees', async () => {
    server.on('DELETE', '/api/v1/instances/5', { status: 500, body: { error: 'Failed to destroy instance 5' } });
    server.on('GET', '/api/v1/instances/5', { status: 404, body: { error: 'Instance 5 not found' } });
    server.on('GET', '/api/v1/instances', { body: { instances: [instance(6)], count: 1 } });
    expect(await dumont.destroyInstance(5)).toBe('already-gone');
    expect(server.seen('DELETE', '/api/v1/instances/5')).toHaveLength(1);
  });

  it('keeps "Failed to destroy" an error while the instance still exists', async () => {
    server.on('DELETE', '/api/v1/instances/5', { status: 500, body: { error: 'Failed to destroy instance 5' } });
    server.on('GET', '/api/v1/instances/5', { body: instance(5) });
    const err = await dumont.destroyInstance(5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientPlatformError);
    expect(err).toMatchObject({ retryable: true, status: 500 });
  });

  it('keeps it an error when GET says 404 but the list still shows the instance', async () => {
    server.on('DELETE', '/api/v1/instances/5', { status: 500, body: { error: 'Failed to destroy instance 5' } });
    server.on('GET', '/api/v1/instances/5', { status: 404, body: { error: 'Instance 5 not found' } });
    server.on('GET', '/api/v1/instances', { body: { instances: [instance(5)], count: 1 } });
    await expect(dumont.destroyInstance(5)).rejects.toBeInstanceOf(TransientPlatformError);
  });

  it('retries other 5xx on destroy (idempotent)', async () => {
    server.on('DELETE', '/api/v1/instances/5', { status: 502, body: 'Bad Gateway' }, { body: { success: true } });
    expect(await dumont.destroyInstance(5)).toBe('destroyed');
    expect(server.seen('DELETE', '/api/v1/instances/5')).toHaveLength(2);
  });
});
