/**
 * Conformance of the simulator's VAST money views (vast-api.md §3.10): charges and invoices with their date-range
 * and type filters honoured, `limit`/`after_token` paging, and the legacy invoice list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { call } from '../sim/sim-client';

const API_KEY = 'vast-billing-key';
let sim: RunningSim;
const v = (method: string, p: string, body?: unknown) => call(sim.vastUrl, method, p, { auth: API_KEY, body });
const q = (filters: unknown) => encodeURIComponent(JSON.stringify(filters));
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 43 });
  const offers = (await v('POST', '/api/v0/bundles/', { order: [['dph_total', 'asc']], limit: 3 })).body.offers;
  for (const offer of offers.slice(0, 2)) await v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'ubuntu:22.04' });
  await v('PUT', '/api/v0/volumes/', { id: offers[2].id, size: 10, name: 'billing/volume' });
});
afterAll(async () => {
  await sim?.stop();
});

describe('GET /api/v0/charges/ (vast-api.md §3.10)', () => {
  it('filters by type and by day range', async () => {
    const all = (await v('GET', '/api/v0/charges/')).body;
    expect(all).toMatchObject({ success: true, next_token: null });
    const types = new Set(all.results.map((r: { type: string }) => r.type));
    expect(types).toEqual(new Set(['instance', 'volume']));
    const volumes = (await v('GET', `/api/v0/charges/?select_filters=${q({ type: { in: ['volume'] } })}`)).body;
    expect(volumes.results.length).toBe(all.results.filter((r: { type: string }) => r.type === 'volume').length);
    expect(volumes.results.every((r: { type: string }) => r.type === 'volume')).toBe(true);
    const latest = all.results
      .map((r: { day: string }) => r.day)
      .sort()
      .at(-1) as string;
    const after = (await v('GET', `/api/v0/charges/?select_filters=${q({ day: { gte: nextDay(latest) } })}`)).body;
    expect(after.results).toEqual([]);
    const upTo = (await v('GET', `/api/v0/charges/?select_filters=${q({ day: { lte: latest } })}`)).body;
    expect(upTo.results).toHaveLength(all.results.length);
    const badColumn = await v('GET', `/api/v0/charges/?select_filters=${q({ amount: { gt: 1 } })}`);
    expect(badColumn).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('pages with limit and after_token; a forged token is 400 invalid_token', async () => {
    const all = (await v('GET', '/api/v0/charges/')).body.results;
    const seen: unknown[] = [];
    let token: string | null = null;
    do {
      const res = await v('GET', `/api/v0/charges/?limit=1${token ? `&after_token=${token}` : ''}`);
      expect(res.body.results).toHaveLength(1);
      seen.push(...res.body.results);
      token = res.body.next_token;
    } while (token);
    expect(seen.map((r) => (r as { source: string }).source)).toEqual(all.map((r: { source: string }) => r.source));
    expect((await v('GET', '/api/v0/charges/?limit=501')).status).toBe(400);
    expect((await v('GET', '/api/v0/charges/?after_token=bm9wZQ')).body.error).toBe('invalid_token');
  });
});

describe('invoices (vast-api.md §3.10)', () => {
  it('GET /api/v1/invoices/ with a when range and a service filter', async () => {
    const all = (await v('GET', '/api/v1/invoices/')).body;
    expect(all).toMatchObject({
      success: true,
      count: 1,
      results: [{ amount: expect.any(Number), service: 'credit' }],
    });
    const when = all.results[0].when as string;
    const none = (await v('GET', `/api/v1/invoices/?select_filters=${q({ when: { gt: when } })}`)).body;
    expect(none.results).toEqual([]);
    const other = (await v('GET', `/api/v1/invoices/?select_filters=${q({ service: { eq: 'stripe' } })}`)).body;
    expect(other.results).toEqual([]);
  });

  it('the legacy GET /api/v0/users/me/invoices: {invoices, current}, charges only with inc_charges', async () => {
    const plain = (await v('GET', '/api/v0/users/me/invoices?owner=me')).body;
    expect(plain).toMatchObject({ invoices: [{ type: 'payment' }], current: { charges: expect.any(Number) } });
    const withCharges = (await v('GET', '/api/v0/users/me/invoices?owner=me&inc_charges=true')).body;
    const charges = (await v('GET', '/api/v0/charges/')).body.results;
    expect(withCharges.invoices).toHaveLength(1 + charges.length);
  });
});
