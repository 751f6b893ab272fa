import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { call, newKeyPair, rent, vast, waitForInstance } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'vast-instances-key';
let sim: RunningSim;
let v: ReturnType<typeof vast>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 3, log: (line) => log.push(line) });
  v = vast(sim, API_KEY);
});
// A failed test must not leave instances behind for the next one.
afterEach(async () => {
  for (const inst of sim.state().instances) await v('DELETE', `/api/v0/instances/${inst.id}/`);
});

/** The actual_status transitions of one instance, from the simulator's event log (polling could miss short ones). */
const log: string[] = [];
const transitions = (id: number): string[] =>
  log.flatMap((line) => {
    const match = new RegExp(`^instance ${id} .*: actual_status (\\S+)$`).exec(line);
    return match ? [match[1]] : [];
  });
afterAll(async () => {
  await sim?.stop();
});

describe('VAST auth', () => {
  it('answers 401 auth_error without or with a wrong key, accepts bearer and ?api_key=', async () => {
    const expected = { success: false, error: 'auth_error', msg: 'Invalid user key' };
    const none = await call(sim.vastUrl, 'GET', '/api/v1/instances/');
    expect(none.status).toBe(401);
    expect(none.body).toEqual(expected);
    const wrong = await call(sim.vastUrl, 'GET', '/api/v0/users/current/', { auth: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(expected);
    const query = await call(sim.vastUrl, 'GET', `/api/v0/users/current?api_key=${API_KEY}`);
    expect(query.status).toBe(200);
    expect(query.body).toMatchObject({ credit: expect.any(Number), email: expect.any(String) });
  });

  it('answers unknown routes with 404 JSON', async () => {
    const reply = await v('GET', '/api/v0/nothing-here/');
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ success: false, error: 'not_found' });
  });
});

describe('VAST instance lifecycle', () => {
  it('creates on an offer, walks null → created → loading → running, with the VAST instance row fields', async () => {
    const [offer] = (
      await v('POST', '/api/v0/bundles/', {
        gpu_name: { eq: 'RTX 4090' },
        num_gpus: { eq: 1 },
        order: [['dph_total', 'asc']],
      })
    ).body.offers;
    const created = await v('PUT', `/api/v0/asks/${offer.id}/`, {
      image: 'vastai/base-image:latest',
      disk: 32,
      label: 'vast-test/one',
      env: { HELLO: 'world', '-p 8000:8000': '1' },
      runtype: 'ssh_direc ssh_proxy',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      success: true,
      new_contract: expect.any(Number),
      instance_api_key: expect.any(String),
    });
    const id = created.body.new_contract;

    const early = (await v('GET', `/api/v0/instances/${id}/`)).body.instances;
    expect(early).toMatchObject({
      id,
      intended_status: 'running',
      ssh_port: null,
      label: 'vast-test/one',
    });
    expect([null, 'created', 'loading']).toContain(early.actual_status);
    expect(early.ports).toBeUndefined();
    const row = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    expect(transitions(id)).toEqual(['created', 'loading', 'running']);
    expect(row).toMatchObject({
      id,
      label: 'vast-test/one',
      actual_status: 'running',
      intended_status: 'running',
      cur_state: 'running',
      gpu_name: 'RTX 4090',
      num_gpus: 1,
      dph_total: offer.dph_total,
      geolocation: offer.geolocation,
      machine_id: offer.machine_id,
      host_id: offer.host_id,
      ssh_host: '127.0.0.1',
      public_ipaddr: '127.0.0.1',
      image_uuid: 'vastai/base-image:latest',
      disk_space: 32,
      extra_env: [['HELLO', 'world']],
    });
    expect(row.local_ipaddrs.endsWith('\n')).toBe(true);
    expect(Number.isInteger(row.ssh_port)).toBe(true);
    expect(row.ports['22/tcp'][0].HostPort).toBe(String(row.ssh_port));
    expect(typeof row.status_msg).toBe('string');
    // Epoch seconds on the platform clock (which starts in the past, docs/simulator.md § Clock and timings): at or
    // before the platform's now, and never in the client's future.
    expect(row.start_date).toBeLessThanOrEqual(sim.state().now);
    expect(row.start_date).toBeGreaterThan(sim.state().now - 86_400);
    expect(row.start_date).toBeLessThan(Date.now() / 1000);

    const destroyed = await v('DELETE', `/api/v0/instances/${id}/`);
    expect(destroyed.status).toBe(200);
    expect(destroyed.body.success).toBe(true);
  });

  it('takes a rented offer off the market (404 no_such_ask) and puts it back on destroy', async () => {
    const { id, offer } = await rent(sim, API_KEY, { gpu_name: { eq: 'RTX 3080' }, num_gpus: { eq: 1 } });
    const ids = async () =>
      (await v('POST', '/api/v0/bundles/', { gpu_name: { eq: 'RTX 3080' } })).body.offers.map(
        (o: { id: number }) => o.id
      );
    expect(await ids()).not.toContain(offer.id);
    const again = await v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'vastai/base-image:latest' });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({
      success: false,
      error: 'invalid_args',
      msg: `error 404/3603: no_such_ask Instance type by id ${offer.id} is not available.`,
      ask_id: offer.id,
    });
    expect((await v('DELETE', `/api/v0/instances/${id}`)).status).toBe(200);
    expect(await ids()).toContain(offer.id);

    const gone = await v('GET', `/api/v0/instances/${id}/`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ success: false, error: 'no_such_instance' });
    const twice = await v('DELETE', `/api/v0/instances/${id}/`);
    expect(twice.status).toBe(404);
    expect(twice.body).toEqual({ error: 'not_found', msg: 'Instance not found' });
    expect((await v('PUT', `/api/v0/instances/${id}/`, { state: 'stopped' })).status).toBe(404);
  });

  it('validates create bodies', async () => {
    const [offer] = (await v('POST', '/api/v0/bundles/', { limit: 1 })).body.offers;
    const noImage = await v('PUT', `/api/v0/asks/${offer.id}/`, {});
    expect(noImage.status).toBe(400);
    expect(noImage.body).toMatchObject({ success: false, error: 'invalid_args', ask_id: offer.id });
    const badPrice = await v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'x', price: 0 });
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.error).toBe('invalid_price');
  });

  it('stops and starts through PUT state, and relabels', async () => {
    const { id } = await rent(sim, API_KEY, { num_gpus: { eq: 1 }, gpu_name: { eq: 'RTX 3090' } });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    expect((await v('PUT', `/api/v0/instances/${id}/`, { state: 'stopped' })).body).toEqual({ success: true });
    const stopped = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'stopped');
    expect(stopped).toMatchObject({ intended_status: 'stopped', cur_state: 'stopped', ssh_port: null });
    expect(stopped.ports).toBeUndefined();
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'running' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running' && r.ssh_port !== null);
    expect(transitions(id)).toEqual(['created', 'loading', 'running', 'stopped', 'scheduling', 'loading', 'running']);
    expect((await v('PUT', `/api/v0/instances/${id}/`, { label: 'renamed' })).status).toBe(200);
    expect((await v('GET', `/api/v0/instances/${id}`)).body.instances.label).toBe('renamed');
    expect((await v('PUT', `/api/v0/instances/${id}/`, { state: 'frozen' })).status).toBe(400);
    await v('DELETE', `/api/v0/instances/${id}/`);
  });
});

describe('VAST lists', () => {
  it('pages /api/v1/instances/ with after_token and filters by label', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const label = i < 3 ? 'page-test/a' : 'page-test/b';
      ids.push((await rent(sim, API_KEY, { gpu_name: { eq: i % 2 ? 'RTX 4090' : 'A100 SXM4' } }, { label })).id);
    }
    const seen: number[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const params = new URLSearchParams({ limit: '2' });
      if (token) params.set('after_token', token);
      const reply = await v('GET', `/api/v1/instances/?${params}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ success: true, instances_found: 5, total_instances: 5 });
      expect(reply.body.instances.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.instances.map((r: { id: number }) => r.id));
      token = reply.body.next_token;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort((a, b) => a - b));

    const filters = encodeURIComponent(JSON.stringify({ label: { eq: 'page-test/a' } }));
    const byLabel = await v('GET', `/api/v1/instances/?select_filters=${filters}`);
    expect(byLabel.body.instances.map((r: { id: number }) => r.id)).toEqual(ids.slice(0, 3));
    expect(byLabel.body.label_counts).toEqual({ 'page-test/a': 3 });
    expect(byLabel.body.next_token).toBeNull();

    const orderDesc = encodeURIComponent(JSON.stringify([{ col: 'id', dir: 'desc' }]));
    const desc = await v('GET', `/api/v1/instances?order_by=${orderDesc}&limit=100`);
    expect(desc.body.instances.map((r: { id: number }) => r.id)).toEqual([...ids].sort((a, b) => b - a));

    const computed = await v(
      'GET',
      `/api/v1/instances/?select_filters=${encodeURIComponent('{"dph_total":{"lt":1}}')}`
    );
    expect(computed.status).toBe(400);
    expect(computed.body.error).toBe('invalid_request');
    expect((await v('GET', '/api/v1/instances/?after_token=garbage')).body.error).toBe('invalid_token');

    const v0 = await v('GET', '/api/v0/instances/?owner=me');
    expect(v0.status).toBe(410);
    expect(v0.body.msg).toContain('/api/v1/instances/');
    for (const id of ids) await v('DELETE', `/api/v0/instances/${id}/`);
    expect((await v('GET', '/api/v1/instances/')).body.instances).toEqual([]);
  });

  it('serves the legacy v0 list when v0ListMode is 200', async () => {
    const other = await startSimulator({ apiKey: 'k', timeScale: 0.002, v0ListMode: 200 });
    try {
      const { id } = await rent(other, 'k', { num_gpus: { eq: 1 } });
      const reply = await call(other.vastUrl, 'GET', '/api/v0/instances/?owner=me', { auth: 'k' });
      expect(reply.status).toBe(200);
      expect(reply.body.instances_found).toBe(1);
      expect(reply.body.instances[0].id).toBe(id);
    } finally {
      await other.stop();
    }
  });
});

describe('VAST account: SSH keys, volumes, charges', () => {
  it('adds, lists and deletes account SSH keys', async () => {
    const { publicKey } = newKeyPair();
    const added = await v('POST', '/api/v0/ssh/', { ssh_key: publicKey });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ success: true, key: { id: expect.any(Number), public_key: publicKey.trim() } });
    const list = await v('GET', '/api/v0/ssh/');
    expect(list.body.map((k: { id: number }) => k.id)).toContain(added.body.key.id);
    expect((await v('POST', '/api/v0/ssh/', { ssh_key: 'not a key' })).body.error).toBe('no_ssh_key');
    expect((await v('DELETE', `/api/v0/ssh/${added.body.key.id}/`)).body).toEqual({ success: true });
    expect((await v('DELETE', `/api/v0/ssh/${added.body.key.id}/`)).status).toBe(404);
  });

  it('lists no volumes and answers volume deletes with 400/404', async () => {
    expect((await v('GET', '/api/v0/volumes?owner=me')).body).toEqual({ volumes: [] });
    expect((await v('DELETE', '/api/v0/volumes/')).status).toBe(400);
    const missing = await v('DELETE', '/api/v0/volumes/?id=12345');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('no_such_volume');
  });

  it('bills GPU seconds while running and keeps charge rows of destroyed instances', async () => {
    const { id, offer } = await rent(
      sim,
      API_KEY,
      { gpu_name: { eq: 'RTX 3090' }, num_gpus: { eq: 2 } },
      { label: 'billing' }
    );
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const row = async () => {
      const reply = await v('GET', '/api/v0/charges/');
      expect(reply.body).toMatchObject({ success: true, next_token: null });
      expect(reply.body.count).toBe(reply.body.results.length);
      return reply.body.results.find((r: { source: string }) => r.source === `instance-${id}`);
    };
    const first = await row();
    expect(first).toMatchObject({ type: 'instance', metadata: { label: 'billing' } });
    await waitFor(async () => (await row()).metadata.gpu_seconds > first.metadata.gpu_seconds + 20, {
      what: 'GPU seconds to grow',
    });
    await v('DELETE', `/api/v0/instances/${id}/`);
    const final = await row();
    const again = await row();
    expect(final.metadata.gpu_seconds).toBe(again.metadata.gpu_seconds);
    expect(final.amount).toBeGreaterThan(0);
    // 2 GPUs: GPU seconds are twice the running seconds; cost follows dph_total.
    const runningSeconds = final.metadata.gpu_seconds / 2;
    const storage = final.amount - (offer.dph_total * runningSeconds) / 3600;
    expect(storage).toBeGreaterThan(0);
    expect(final.metadata.storage_gb_seconds).toBeGreaterThan(20 * runningSeconds);
  });
});
