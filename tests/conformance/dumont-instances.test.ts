/**
 * Conformance of the simulator's Dumont face to the real server's wire, with plain HTTP. Each expectation cites the
 * reference it comes from: `dumont-api.md` (../shared/reference) and the real server's source it quotes
 * (`src/api/v1/schemas/response.py` for the response models, `src/api/v1/endpoints/instances.py` for the handlers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { waitFor } from '../helpers/wait-for';
import { call, waitForInstance } from '../sim/sim-client';

const API_KEY = 'conformance-key';
const USER = { email: 'conformance@example.com', password: 'conformance-pw' };
let sim: RunningSim;
let token: string;
const d = (method: string, path: string, body?: unknown) => call(sim.dumontUrl, method, path, { auth: token, body });

/** `InstanceResponse`'s fields, in the model's order (response.py; dumont-api.md §3, the create row). */
const INSTANCE_RESPONSE_FIELDS = [
  'id',
  'status',
  'actual_status',
  'gpu_name',
  'num_gpus',
  'gpu_ram',
  'cpu_cores',
  'cpu_ram',
  'disk_space',
  'dph_total',
  'public_ipaddr',
  'ssh_host',
  'ssh_port',
  'start_date',
  'label',
  'ports',
  'gpu_util',
  'gpu_temp',
  'cpu_util',
  'ram_used',
  'ram_total',
  'provider',
  'cpu_standby',
  'total_dph',
].sort();

/** Python's naive `datetime.isoformat()`: no zone, microseconds only when not zero. */
const PYTHON_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 14, users: [USER] });
  token = (await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER })).body.token;
});
afterAll(async () => {
  await sim?.stop();
});

async function createInstance(label: string) {
  const offer = (await d('GET', '/api/v1/instances/offers?gpu_name=RTX%204090&num_gpus=1')).body.offers[0];
  const created = await d('POST', '/api/v1/instances', { offer_id: offer.id, label, skip_standby: true });
  expect(created.status).toBe(201); // dumont-api.md §3: `POST /api/v1/instances` (201)
  return created;
}

describe('InstanceResponse, field by field (dumont-api.md §3; response.py InstanceResponse)', () => {
  it('the create answer: exactly the model fields, start_date null, ports an object, no standby', async () => {
    const created = await createInstance('conformance/create');
    // §3 row `POST /api/v1/instances`: InstanceResponse; FastAPI serialises every model field, None as null.
    expect(Object.keys(created.body).sort()).toEqual(INSTANCE_RESPONSE_FIELDS);
    // instances.py create: the handler never passes start_date, cpu_standby or total_dph.
    expect(created.body.start_date).toBeNull();
    expect(created.body.cpu_standby).toBeNull();
    expect(created.body.total_dph).toBeNull();
    // instances.py create: `ports=instance.ports or {}`.
    expect(created.body.ports).toEqual(expect.any(Object));
    expect(created.body.ports).not.toBeNull();
    // §2.1: create shows `actual_status or status`.
    expect(created.body).toMatchObject({ status: 'running', actual_status: 'running', provider: 'vast.ai' });
    // §3 "gaps": the metric fields are never filled.
    for (const f of ['gpu_util', 'gpu_temp', 'cpu_util', 'ram_used', 'ram_total']) expect(created.body[f]).toBeNull();
  });

  it('a GET: RAM in the MB VAST sends, start_date an ISO string of the start, the raw actual_status', async () => {
    const created = await createInstance('conformance/get');
    const id = created.body.id as number;
    const early = await d('GET', `/api/v1/instances/${id}`);
    // §2.1: only GET /instances/{id} passes the raw value through (null/created/loading before running).
    expect([null, 'created', 'loading']).toContain(early.body.actual_status);
    const vastRow = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const got = await d('GET', `/api/v1/instances/${id}`);
    expect(Object.keys(got.body).sort()).toEqual(INSTANCE_RESPONSE_FIELDS);
    // vast_provider.py _parse_instance: gpu_ram/cpu_ram/cpu_cores passed through from VAST (MB), not converted.
    expect(got.body.gpu_ram).toBe(vastRow.gpu_ram);
    expect(got.body.cpu_ram).toBe(vastRow.cpu_ram);
    expect(got.body.gpu_ram).toBeGreaterThan(1024);
    // _parse_instance: datetime.fromtimestamp(start_date) → `.isoformat()` in the handler.
    expect(got.body.start_date).toMatch(PYTHON_ISO);
    expect(Date.parse(`${got.body.start_date}Z`) / 1000).toBeCloseTo(vastRow.start_date, 0);
    // _parse_instance: ssh_port from VAST; ports the raw VAST map.
    expect(got.body.ssh_port).toBe(vastRow.ssh_port);
    expect(got.body.ports['22/tcp'][0].HostPort).toBe(String(vastRow.ssh_port));
    expect(got.body.total_dph).toBeNull();
  });

  it('the list: {instances, count}, each row with total_dph = dph_total (no standby)', async () => {
    await createInstance('conformance/list');
    const list = await d('GET', '/api/v1/instances');
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(list.body.instances.length); // response.py ListInstancesResponse
    for (const row of list.body.instances) {
      expect(Object.keys(row).sort()).toEqual(INSTANCE_RESPONSE_FIELDS);
      expect(row.total_dph).toBe(row.dph_total); // instances.py list: total_dph = dph_total (+ standby's)
      expect(row.start_date).toMatch(PYTHON_ISO);
    }
  });

  it("the list shows an instance's CPU standby and adds its price to total_dph (§3: list adds cpu_standby/total_dph)", async () => {
    const created = await createInstance('conformance/standby');
    const id = created.body.id as number;
    // A fast-mode serverless instance gets a CPU standby (§4, §5).
    const enabled = await d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'fast', idle_timeout_seconds: 60 });
    expect(enabled.status).toBe(200);
    const row = await waitFor(
      async () => {
        const list = await d('GET', '/api/v1/instances');
        const found = list.body.instances.find((r: { id: number }) => r.id === id);
        return found?.cpu_standby ? found : undefined;
      },
      { timeoutMs: 5_000, what: 'the standby in the list row' }
    );
    // instances.py list: CPUStandbyInfo(enabled=True, provider="gcp", ..., machine_type="e2-medium", status="running").
    expect(Object.keys(row.cpu_standby).sort()).toEqual(
      [
        'enabled',
        'provider',
        'name',
        'zone',
        'ip',
        'machine_type',
        'status',
        'dph_total',
        'sync_enabled',
        'sync_count',
        'state',
      ].sort()
    );
    expect(row.cpu_standby).toMatchObject({
      enabled: true,
      provider: 'gcp',
      machine_type: 'e2-medium',
      status: 'running',
    });
    expect(row.cpu_standby.dph_total).toBeGreaterThan(0);
    expect(row.total_dph).toBeCloseTo(row.dph_total + row.cpu_standby.dph_total, 6);
    // A single GET never shows it (instances.py get_instance builds the row without the association).
    expect((await d('GET', `/api/v1/instances/${id}`)).body).toMatchObject({ cpu_standby: null, total_dph: null });
  });
});

describe('routes and wording (dumont-api.md §0, §3)', () => {
  it('GET /instances/balance is a route, not an instance id; /balance carries the caller', async () => {
    const account = (await call(sim.vastUrl, 'GET', '/api/v0/users/current/', { auth: API_KEY })).body;
    // instances.py: `@router.get("/balance")` before `/{instance_id}`; VastProvider.get_balance's dict.
    const balance = await d('GET', '/api/v1/instances/balance');
    expect(balance.status).toBe(200);
    expect(balance.body).toEqual({
      credit: expect.any(Number),
      balance: account.balance,
      balance_threshold: account.balance_threshold,
      email: account.email,
    });
    // The same account: credit only goes down as running instances are billed between the two reads.
    expect(balance.body.credit).toBeLessThanOrEqual(account.credit);
    expect(balance.body.credit).toBeGreaterThan(account.credit - 1);
    // settings.py balance_router: BalanceResponse with the user's email, under /api/v1 and /api.
    for (const root of ['/api/v1', '/api']) {
      const mine = await d('GET', `${root}/balance`);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual({
        credit: expect.any(Number),
        balance: account.balance,
        balance_threshold: account.balance_threshold,
        email: USER.email,
      });
    }
    expect((await call(sim.dumontUrl, 'GET', '/api/v1/balance')).status).toBe(401); // require_auth
  });

  it('the other trailing-slash form answers 307 to the declared one, query kept (§0 Trailing slashes)', async () => {
    const redirect = async (path: string) => {
      const res = await fetch(`${sim.dumontUrl}${path}`, {
        redirect: 'manual',
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, location: res.headers.get('location') };
    };
    // instances, snapshots: declared "" → "/x/" redirects to "/x"
    for (const declared of ['/api/v1/instances', '/api/v1/snapshots']) {
      const r = await redirect(`${declared}/?status=running`);
      expect(r.status).toBe(307);
      expect(new URL(r.location ?? '', sim.dumontUrl).pathname + new URL(r.location ?? '', sim.dumontUrl).search).toBe(
        `${declared}?status=running`
      );
    }
    // jobs, models: declared "/x/" → "/x" redirects to "/x/"
    for (const declared of ['/api/v1/jobs/', '/api/v1/models/']) {
      const r = await redirect(declared.slice(0, -1));
      expect(r.status).toBe(307);
      expect(new URL(r.location ?? '', sim.dumontUrl).pathname).toBe(declared);
    }
  });

  it('success and error messages as Dumont words them (instances.py; §0 error body)', async () => {
    const created = await createInstance('conformance/words');
    const id = created.body.id as number;
    expect((await d('POST', `/api/v1/instances/${id}/pause`)).body).toEqual({
      success: true,
      message: `Instance ${id} paused successfully`,
    });
    expect((await d('POST', `/api/v1/instances/${id}/resume`)).body).toEqual({
      success: true,
      message: `Instance ${id} resumed successfully`,
    });
    expect((await d('DELETE', `/api/v1/instances/${id}`)).body).toEqual({
      success: true,
      message: `Instance ${id} destroyed successfully`,
    });
    // §2.1: destroyed → GET 404 {error}; §3: DELETE of a gone instance → 500 "Failed to destroy".
    expect(await d('GET', `/api/v1/instances/${id}`)).toMatchObject({
      status: 404,
      body: { error: `Instance ${id} not found` },
    });
    expect(await d('DELETE', `/api/v1/instances/${id}`)).toMatchObject({
      status: 500,
      body: { error: `Failed to destroy instance ${id}` },
    });
    // §0: an unknown route is the middleware's {error}, a validation error 422 {error, details}.
    expect(await d('GET', '/api/v1/no-such-route')).toMatchObject({ status: 404, body: { error: 'Not Found' } });
    const invalid = await d('POST', '/api/v1/instances', {});
    expect(invalid.status).toBe(422);
    expect(invalid.body).toEqual({ error: 'Validation error', details: expect.any(Array) });
  });
});
