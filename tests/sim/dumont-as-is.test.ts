// The dumont-as-is profile over real HTTP (docs/simulator.md § Profiles): the real server's rows, one
// blocking create at a time that stalls every Dumont request, its retired list, its stubs; ideal unchanged.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMONT_AS_IS_CREATE_SETUP_SECONDS, SIM_PROFILES, startSimulator, type RunningSim } from '../../src/sim';
import { call, dumont, rent, type HttpReply } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'as-is-key';
const USER = { email: 'as-is@example.com', password: 'as-is-password' };
const TIME_SCALE = 0.005;
/** Real ms a successful create holds the face. */
const HOLD_MS = DUMONT_AS_IS_CREATE_SETUP_SECONDS * TIME_SCALE * 1000;
const SETUP = DUMONT_AS_IS_CREATE_SETUP_SECONDS;

let sim: RunningSim;
let token: string;
let d: ReturnType<typeof dumont>;
let offers: { id: number }[];

async function startAsIs(extra: { v0ListMode?: 200 | 410 } = {}): Promise<{ sim: RunningSim; token: string }> {
  const s = await startSimulator({
    apiKey: API_KEY,
    timeScale: TIME_SCALE,
    seed: 77,
    users: [USER],
    ...extra,
    profile: 'dumont-as-is',
  });
  const login = await call(s.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER });
  return { sim: s, token: login.body.token };
}

beforeAll(async () => {
  const started = await startAsIs();
  sim = started.sim;
  token = started.token;
  d = dumont(sim, token);
  offers = (await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers?limit=40')).body.offers;
});
afterAll(async () => {
  await sim?.stop();
});

/** An offer no instance holds yet (nor a create still blocking: each test waits for its own). */
function freshOffer(): number {
  const held = new Set(sim.state().instances.map((i) => i.offer_id));
  const offer = offers.find((o) => !held.has(o.id) && !asked.has(o.id));
  if (!offer) throw new Error('no free offer left');
  asked.add(offer.id);
  return offer.id;
}
const asked = new Set<number>();

/** A request and when (real ms) its answer arrived. */
function track(reply: Promise<HttpReply>): { reply: Promise<HttpReply>; doneAt?: number } {
  const t: { reply: Promise<HttpReply>; doneAt?: number } = { reply };
  reply.then(
    () => (t.doneAt = performance.now()),
    () => (t.doneAt = performance.now())
  );
  return t;
}

/** The account's VAST row labelled `label`, or undefined (the VAST face never stalls). */
async function vastByLabel(s: RunningSim, label: string) {
  const filters = encodeURIComponent(JSON.stringify({ label: { eq: label } }));
  const reply = await call(s.vastUrl, 'GET', `/api/v1/instances/?select_filters=${filters}`, { auth: API_KEY });
  return reply.body.instances[0] as { id: number; start_date: number; gpu_ram: number; cpu_ram: number } | undefined;
}

/**
 * Epoch seconds of a `start_date` as the real server writes it (naive ISO with microseconds, UTC here); the
 * fraction is read whole, since `Date.parse` would drop what is below a millisecond.
 */
const isoEpoch = (iso: string): number => {
  const [whole, fraction = '0'] = iso.split('.');
  return Date.parse(`${whole}Z`) / 1000 + Number(`0.${fraction}`);
};

describe('dumont-as-is profile', () => {
  it('is a known profile, shown in sim state; an unknown one is rejected by name', async () => {
    expect(SIM_PROFILES).toEqual(['ideal', 'dumont-as-is']);
    expect(sim.state().profile).toBe('dumont-as-is');
    expect((await call(sim.dumontUrl, 'GET', '/_sim/state', { auth: API_KEY })).body.profile).toBe('dumont-as-is');
    await expect(startSimulator({ apiKey: API_KEY, profile: 'dumont-to-be' as never })).rejects.toThrow(
      /profile.*"dumont-to-be"/
    );
  });

  it('creates at the start of the request, answers after the blocking setup, with the real create row', async () => {
    const offerId = freshOffer();
    const sentAt = performance.now();
    const create = track(d('POST', '/api/v1/instances', { offer_id: offerId, label: 'as-is/one', skip_standby: true }));
    // The rent took effect while the create still blocks: the label is at the VAST face already.
    const row = await waitFor(() => vastByLabel(sim, 'as-is/one'), { what: 'the label at the VAST face' });
    expect(create.doneAt).toBeUndefined();
    const created = await create.reply;
    expect(created.status).toBe(201);
    expect(create.doneAt! - sentAt).toBeGreaterThanOrEqual(HOLD_MS * 0.95);
    expect(created.body).toEqual({
      id: row.id,
      status: 'running',
      actual_status: 'running', // `actual_status or status`, read right after the rent
      gpu_name: expect.any(String),
      num_gpus: expect.any(Number),
      gpu_ram: row.gpu_ram, // MB, as VAST sends it
      cpu_cores: expect.any(Number),
      cpu_ram: row.cpu_ram,
      disk_space: 100,
      dph_total: expect.any(Number),
      public_ipaddr: '127.0.0.1',
      ssh_host: '127.0.0.1',
      ssh_port: null,
      start_date: null,
      label: 'as-is/one',
      ports: {},
      gpu_util: null,
      gpu_temp: null,
      cpu_util: null,
      ram_used: null,
      ram_total: null,
      provider: 'vast.ai',
      cpu_standby: null,
      total_dph: null,
    });
    expect(created.body.gpu_ram).toBeGreaterThan(1000);
  });

  it('stalls every Dumont request during a create until it answers; the admin API and VAST do not stall', async () => {
    const existing = await rent(sim, API_KEY, { gpu_name: { eq: 'RTX 3080' } });
    const sentAt = performance.now();
    const create = track(d('POST', '/api/v1/instances', { offer_id: freshOffer(), label: 'as-is/stall' }));
    const started = await waitFor(() => vastByLabel(sim, 'as-is/stall'), { what: 'the create to take effect' });
    expect((await call(sim.dumontUrl, 'GET', '/_sim/state', { auth: API_KEY })).status).toBe(200);
    expect(create.doneAt).toBeUndefined();
    const reads = [
      track(d('GET', `/api/v1/instances/${existing.id}`)),
      track(d('GET', '/api/v1/instances')),
      track(call(sim.dumontUrl, 'GET', '/health')),
    ];
    const [one, list, health] = await Promise.all(reads.map((r) => r.reply));
    expect([one.status, list.status, health.status]).toEqual([200, 503, 200]);
    for (const read of reads) expect(read.doneAt! - sentAt).toBeGreaterThanOrEqual(HOLD_MS * 0.95);
    // The read ran after the hold, on the server: its start_date is the platform time of the read.
    expect(isoEpoch(one.body.start_date) - started.start_date).toBeGreaterThanOrEqual(SETUP);
    expect((await create.reply).status).toBe(201);
  });

  it('runs one create at a time: a second waits for the first, the same offer then answers 500 Oferta', async () => {
    const [a, b] = [freshOffer(), freshOffer()];
    const first = track(d('POST', '/api/v1/instances', { offer_id: a, label: 'as-is/first' }));
    const second = track(d('POST', '/api/v1/instances', { offer_id: b, label: 'as-is/second' }));
    const again = track(d('POST', '/api/v1/instances', { offer_id: a, label: 'as-is/again' }));
    const firstRow = await waitFor(() => vastByLabel(sim, 'as-is/first'), { what: 'the first create' });
    expect(await vastByLabel(sim, 'as-is/second')).toBeUndefined();
    const [r1, r2, r3] = await Promise.all([first.reply, second.reply, again.reply]);
    expect([r1.status, r2.status, r3.status]).toEqual([201, 201, 500]);
    const secondRow = await vastByLabel(sim, 'as-is/second');
    expect(secondRow!.start_date - firstRow.start_date).toBeGreaterThanOrEqual(SETUP);
    expect(second.doneAt! - first.doneAt!).toBeGreaterThanOrEqual(HOLD_MS * 0.9);
    // The taken offer fails at once once its turn comes (no setup), in the real server's words.
    expect(again.doneAt! - second.doneAt!).toBeLessThan(HOLD_MS * 0.5);
    expect(r3.body).toEqual({ error: `Oferta ${a} indisponível: O host saiu do ar temporariamente` });
    expect(await vastByLabel(sim, 'as-is/again')).toBeUndefined();
  });

  it('keeps a create a client gave up on: the instance stays, the face frees up after the setup', async () => {
    const abort = new AbortController();
    const gaveUp = fetch(`${sim.dumontUrl}/api/v1/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ offer_id: freshOffer(), label: 'as-is/abandoned' }),
      signal: abort.signal,
    });
    const row = await waitFor(() => vastByLabel(sim, 'as-is/abandoned'), { what: 'the abandoned create' });
    abort.abort();
    await expect(gaveUp).rejects.toThrow();
    // A retry by label finds it (once the face answers again); the offer is taken.
    const after = await d('GET', `/api/v1/instances/${row.id}`);
    expect(after.body).toMatchObject({ id: row.id, label: 'as-is/abandoned' });
    expect(isoEpoch(after.body.start_date) - row.start_date).toBeGreaterThanOrEqual(SETUP);
    expect(sim.state().instances.map((i) => i.label)).toContain('as-is/abandoned');
  });

  it('GET /instances is 503 while VAST v0 list is 410; GET /instances/{id} has the real row', async () => {
    const list = await d('GET', '/api/v1/instances');
    expect(list.status).toBe(503);
    expect(list.body).toEqual({
      error:
        'Vast.ai API unreachable: 410 Client Error: Gone for url: https://console.vast.ai/api/v0/instances/?owner=me',
      details: {},
    });
    expect((await d('GET', '/api/v1/instances?status=running')).status).toBe(503);
    const { id } = await rent(sim, API_KEY, { gpu_name: { eq: 'RTX 4090' } });
    const raw = await d('GET', `/api/v1/instances/${id}`);
    expect(raw.status).toBe(200);
    expect([null, 'created', 'loading']).toContain(raw.body.actual_status);
    expect(raw.body.start_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
    expect(raw.body).not.toHaveProperty('geolocation');
    expect(raw.body).not.toHaveProperty('image');
    expect(raw.body.total_dph).toBeNull();
    // The time of the read, not of the start: a later read shows a later start_date.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = await d('GET', `/api/v1/instances/${id}`);
    expect(isoEpoch(later.body.start_date)).toBeGreaterThan(isoEpoch(raw.body.start_date));
    expect((await d('GET', '/api/v1/instances/999')).status).toBe(404);
  });

  it('answers /instances/{id}/metrics with zeros and /health as the intended status', async () => {
    const { id } = await rent(sim, API_KEY, { gpu_name: { eq: 'RTX 4090' } });
    await waitFor(async () => (await d('GET', `/api/v1/instances/${id}`)).body.actual_status === 'running');
    const metrics = await d('GET', `/api/v1/instances/${id}/metrics`);
    expect(metrics.body).toEqual({
      instance_id: id,
      gpu_util: 0,
      gpu_temp: 0,
      cpu_util: 0,
      ram_used: 0,
      ram_total: 0,
      status: 'running',
    });
    expect((await d('GET', `/api/v1/instances/${id}/health`)).body).toMatchObject({
      healthy: true,
      ssh_available: true,
    });
    expect((await d('GET', '/api/v1/instances/999/metrics')).status).toBe(404);
  });

  it('lists with the real rows when VAST v0 list answers 200', async () => {
    const other = await startAsIs({ v0ListMode: 200 });
    try {
      const { id } = await rent(other.sim, API_KEY, { gpu_name: { eq: 'RTX 4090' } });
      const list = await call(other.sim.dumontUrl, 'GET', '/api/v1/instances', { auth: other.token });
      expect(list.status).toBe(200);
      expect(list.body.count).toBe(1);
      const [row] = list.body.instances;
      expect(row).toMatchObject({ id, status: 'running', actual_status: 'running', provider: 'vast.ai', ports: {} });
      expect(row.total_dph).toBe(row.dph_total);
      expect(typeof row.start_date).toBe('string');
    } finally {
      await other.sim.stop();
    }
  });

  it('stops promptly while a create blocks', async () => {
    const other = await startAsIs();
    const offer = (await call(other.sim.dumontUrl, 'GET', '/api/v1/instances/offers?limit=1')).body.offers[0];
    const pending = call(other.sim.dumontUrl, 'POST', '/api/v1/instances', {
      auth: other.token,
      body: { offer_id: offer.id, label: 'as-is/stop' },
    }).catch((err: unknown) => err);
    await waitFor(() => vastByLabel(other.sim, 'as-is/stop'), { what: 'the create' });
    const before = performance.now();
    await other.sim.stop();
    expect(performance.now() - before).toBeLessThan(5_000);
    await pending;
  });
});

describe('ideal profile (the default) is unchanged', () => {
  it('answers creates at once with the real wire rows (start date of the start), lists, and has no metrics route', async () => {
    const ideal = await startSimulator({ apiKey: API_KEY, timeScale: 0.05, seed: 77, users: [USER] });
    try {
      expect(ideal.state().profile).toBe('ideal');
      const token = (await call(ideal.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER })).body.token;
      const di = dumont(ideal, token);
      const offer = (await di('GET', '/api/v1/instances/offers?limit=1')).body.offers[0];
      const sentAt = performance.now();
      const created = await di('POST', '/api/v1/instances', { offer_id: offer.id, label: 'ideal/one' });
      // Under dumont-as-is this create would block 120 platform s = 6 real s at this scale.
      expect(performance.now() - sentAt).toBeLessThan(2_000);
      expect(created.status).toBe(201);
      // The real wire in both profiles (tests/conformance/dumont-instances.test.ts): RAM in MB, no extra fields.
      expect(created.body.gpu_ram).toBeGreaterThan(offer.gpu_ram);
      expect(created.body).not.toHaveProperty('geolocation');
      expect(created.body.start_date).toBeNull();
      // Unlike dumont-as-is (the time of the read), a GET's start_date is the start: VAST's, to the microsecond.
      const vastRow = (await call(ideal.vastUrl, 'GET', `/api/v0/instances/${created.body.id}/`, { auth: API_KEY }))
        .body.instances;
      const read = (await di('GET', `/api/v1/instances/${created.body.id}`)).body.start_date;
      expect(Math.abs(Date.parse(`${read}Z`) - vastRow.start_date * 1000)).toBeLessThan(2);
      expect((await di('GET', '/api/v1/instances')).body.count).toBe(1);
      expect((await di('GET', `/api/v1/instances/${created.body.id}/metrics`)).status).toBe(404);
      const taken = await di('POST', '/api/v1/instances', { offer_id: offer.id });
      expect(taken.body.error).toMatch(new RegExp(`^Oferta ${offer.id} indisponível: error 404/3603: no_such_ask`));
    } finally {
      await ideal.stop();
    }
  });
});
