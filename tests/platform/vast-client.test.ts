import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  ProtocolError,
  TransientPlatformError,
  createVastClient,
  type VastClient,
} from '../../src/platform';
import { rejection, startFixtureServer, type FixtureServer } from './fixture-server';

const API_KEY = 'vk-0123456789abcdef-SECRET';
let server: FixtureServer;
let vast: VastClient;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  vast = createVastClient({ baseUrl: server.baseUrl, apiKey: API_KEY, retry: { attempts: 3, sleep: async () => {} } });
});

function row(id: number, label: string | null = `dumont-e2e/s/${id}`) {
  return {
    id,
    label,
    actual_status: 'running',
    intended_status: 'running',
    cur_state: 'running',
    gpu_name: 'RTX 4090',
    num_gpus: 1,
    dph_total: 0.41,
    ssh_host: 'ssh5.vast.ai',
    ssh_port: 20001,
    extra_env: [['K', 'v']],
    ports: { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '20001' }] },
  };
}

describe('VAST client', () => {
  it('sends the key only as a bearer header', async () => {
    server.on('POST', '/api/v0/bundles/', { body: { offers: [] } });
    await vast.searchOffers({ gpu_name: { eq: 'RTX 4090' } });
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.url).not.toContain(API_KEY);
  });

  it('searches offers with the filter as the body', async () => {
    const offer = {
      id: 9,
      machine_id: 3,
      gpu_name: 'RTX 4090',
      num_gpus: 1,
      dph_total: 0.4,
      geolocation: 'Ohio, US',
      score: 3,
    };
    server.on('POST', '/api/v0/bundles/', { body: { offers: [offer, { ...offer, id: 10, geolocation: null }] } });
    const filter = { gpu_name: { eq: 'RTX 4090' }, rentable: { eq: true }, order: [['dph_total', 'asc']], limit: 5 };
    const offers = await vast.searchOffers(filter);
    expect(offers.map((o) => o.id)).toEqual([9, 10]);
    expect(offers[1]!.geolocation).toBe('');
    expect(server.requests[0]!.body).toEqual(filter);
  });

  it('pages the v1 instance list through next_token, with the label filter', async () => {
    server.on('GET', '/api/v1/instances/', (req) => {
      const pages: Record<string, unknown> = {
        '': { instances: [row(1, 'L'), row(2, 'L')], instances_found: 3, next_token: 'tok-2' },
        'tok-2': { instances: [row(3, 'L')], instances_found: 3, next_token: 'tok-3' },
        'tok-3': { instances: [], instances_found: 3, next_token: null },
      };
      return { body: pages[req.query.after_token ?? ''] };
    });
    const rows = await vast.listInstances({ label: 'L' });
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    const seen = server.seen('GET', '/api/v1/instances/');
    expect(seen.map((r) => r.query.after_token)).toEqual([undefined, 'tok-2', 'tok-3']);
    expect(JSON.parse(seen[0]!.query.select_filters!)).toEqual({ label: { eq: 'L' } });
  });

  it('filters by label locally too, in case the server ignored the filter', async () => {
    server.on('GET', '/api/v1/instances/', { body: { instances: [row(1, 'L'), row(2, 'other')], next_token: null } });
    expect((await vast.listInstances({ label: 'L' })).map((r) => r.id)).toEqual([1]);
    expect((await vast.listInstances()).map((r) => r.id)).toEqual([1, 2]);
    expect(server.requests.at(-1)!.query.select_filters).toBeUndefined();
  });

  it('rejects a malformed list (missing field, wrong type) as a retryable ProtocolError', async () => {
    server.on('GET', '/api/v1/instances/', { body: { success: true, instances_found: 1 } });
    const missing = await vast.listInstances().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ProtocolError);
    expect(missing).toMatchObject({ retryable: true });
    expect((missing as Error).message).toMatch(/instances/);

    server.on('GET', '/api/v1/instances/', { body: { instances: [{ ...row(1), id: '1' }], next_token: null } });
    await expect(vast.listInstances()).rejects.toBeInstanceOf(ProtocolError);
  });

  it('rejects an empty list that claims instances were found', async () => {
    server.on('GET', '/api/v1/instances/', { body: { instances: [], instances_found: 4, next_token: null } });
    const err = await vast.listInstances({ label: 'L' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toMatch(/instances_found > 0/);
    // Retried in the client (a proxy glitch may pass), then surfaced.
    expect(server.seen('GET', '/api/v1/instances/')).toHaveLength(3);
  });

  it('rejects a paging token that repeats', async () => {
    server.on('GET', '/api/v1/instances/', { body: { instances: [row(1)], next_token: 'same' } });
    await expect(vast.listInstances()).rejects.toThrow(/paging token repeated/);
  });

  it('shows one instance from {instances:{...}}; null and 404 mean not found', async () => {
    server.on(
      'GET',
      '/api/v0/instances/5/',
      { body: { instances: row(5) } },
      { body: { instances: null } },
      {
        status: 404,
        body: { error: 'no_such_instance', msg: 'Instance 5 not found' },
      }
    );
    expect(await vast.showInstance(5)).toMatchObject({ id: 5, ssh_port: 20001, label: 'dumont-e2e/s/5' });
    expect(server.requests[0]!.query.owner).toBe('me');
    expect(await vast.showInstance(5)).toBeUndefined();
    expect(await vast.showInstance(5)).toBeUndefined();
  });

  it('destroys; not_found / no_such_instance mean already gone', async () => {
    server.on(
      'DELETE',
      '/api/v0/instances/5/',
      { body: { success: true, msg: 'destroyed' } },
      { status: 404, body: { error: 'not_found', msg: 'Instance not found' } },
      { status: 400, body: { success: false, error: 'no_such_instance', msg: 'gone' } }
    );
    expect(await vast.destroyInstance(5)).toBe('destroyed');
    expect(await vast.destroyInstance(5)).toBe('already-gone');
    expect(await vast.destroyInstance(5)).toBe('already-gone');
  });

  it('keeps retrying a destroy through 429s and surfaces the typed error', async () => {
    server.on('DELETE', '/api/v0/instances/6/', {
      status: 429,
      body: { success: false, error: 'rate_limit_exceeded', msg: 'API requests too frequent endpoint threshold=3.0' },
    });
    await expect(vast.destroyInstance(6)).rejects.toMatchObject({ kind: 'rate-limited', code: 'rate_limit_exceeded' });
    expect(server.seen('DELETE', '/api/v0/instances/6/')).toHaveLength(3);
  });

  it('sets state with PUT {state}', async () => {
    server.on('PUT', '/api/v0/instances/5/', { body: { success: true } });
    await vast.setState(5, 'stopped');
    expect(server.requests[0]!.body).toEqual({ state: 'stopped' });
  });

  it('lists and deletes volumes', async () => {
    server.on('GET', '/api/v0/volumes', {
      body: { volumes: [{ id: 77, status: 'attached', disk_space: 15, instances: [5], machine_id: 3, name: 'V.77' }] },
    });
    server.on(
      'DELETE',
      '/api/v0/volumes/',
      { body: { success: true } },
      { status: 404, body: { error: 'no_such_volume', msg: 'x' } }
    );
    expect(await vast.listVolumes()).toMatchObject([{ id: 77, instances: [5] }]);
    expect(server.requests[0]!.query).toEqual({ owner: 'me', type: 'all_volume' });
    expect(await vast.deleteVolume(77)).toBe('destroyed');
    expect(server.requests[1]!.query).toEqual({ id: '77' });
    expect(await vast.deleteVolume(77)).toBe('already-gone');
  });

  it('manages SSH keys', async () => {
    server.on('POST', '/api/v0/ssh/', {
      body: { success: true, key: { id: 314, user_id: 1, public_key: 'ssh-ed25519 AAAA x' } },
    });
    server.on('DELETE', '/api/v0/ssh/314/', { body: { success: true } });
    server.on('POST', '/api/v0/instances/5/ssh/', { body: { success: true, msg: 'added' } });
    expect(await vast.addSshKey('ssh-ed25519 AAAA x')).toBe(314);
    expect(server.requests[0]!.body).toEqual({ ssh_key: 'ssh-ed25519 AAAA x' });
    await vast.deleteSshKey(314);
    await vast.attachSshKey(5, 'ssh-ed25519 AAAA x');
    expect(server.requests[2]!.body).toEqual({ ssh_key: 'ssh-ed25519 AAAA x' });
  });

  it('does not repeat adding an account key after a 5xx', async () => {
    server.on('POST', '/api/v0/ssh/', { status: 500, body: 'oops' }, { body: { key: { id: 1 } } });
    await expect(vast.addSshKey('ssh-ed25519 AAAA x')).rejects.toBeInstanceOf(TransientPlatformError);
    expect(server.seen('POST', '/api/v0/ssh/')).toHaveLength(1);
  });

  it('pages charges', async () => {
    const charge = (n: number) => ({
      type: 'instance',
      source: `instance-${n}`,
      amount: 0.01 * n,
      description: 'x',
      metadata: { label: `l${n}`, gpu_seconds: 60, storage_gb_seconds: 600 },
    });
    server.on('GET', '/api/v0/charges/', (req) =>
      req.query.after_token === 'c2'
        ? { body: { success: true, count: 1, results: [charge(3)], next_token: null } }
        : { body: { success: true, count: 2, results: [charge(1), charge(2)], next_token: 'c2' } }
    );
    const charges = await vast.listCharges();
    expect(charges.map((c) => c.source)).toEqual(['instance-1', 'instance-2', 'instance-3']);
    expect(charges[0]!.metadata.gpu_seconds).toBe(60);
  });
});

describe('VAST client secrets', () => {
  it('never puts the API key in error messages, even when the server echoes it', async () => {
    const echo = `Invalid user key ${API_KEY} (api_key=${API_KEY}; Authorization: Bearer ${API_KEY})`;
    server.on('GET', '/api/v1/instances/', { status: 401, body: { success: false, error: 'auth_error', msg: echo } });
    server.on('GET', '/api/v0/instances/1/', { status: 500, body: echo });
    server.on('PUT', '/api/v0/instances/1/', { status: 200, body: `<html>${echo}</html>` });

    const errors = await Promise.all([
      rejection(vast.listInstances()),
      rejection(vast.showInstance(1)),
      rejection(vast.setState(1, 'running')),
    ]);
    expect(errors[0]).toBeInstanceOf(AuthError);
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toContain('redacted');
      expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain(API_KEY);
    }
  });
});
