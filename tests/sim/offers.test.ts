import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { buildOffers } from '../../src/sim/core/offers-catalogue';
import { call } from './sim-client';

const API_KEY = 'offers-test-key';
let sim: RunningSim;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 1 });
});
afterAll(async () => {
  await sim?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = any;
const search = async (body: unknown): Promise<Row[]> => {
  const reply = await call(sim.vastUrl, 'POST', '/api/v0/bundles/', { auth: API_KEY, body });
  expect(reply.status).toBe(200);
  return reply.body.offers;
};
const dumontOffers = async (query: string): Promise<{ status: number; body: Row }> =>
  call(sim.dumontUrl, 'GET', `/api/v1/instances/offers${query}`);

describe('offers catalogue', () => {
  it('is deterministic per seed and covers the lifecycle scenarios', () => {
    expect(buildOffers(1)).toEqual(buildOffers(1));
    expect(buildOffers(2)).not.toEqual(buildOffers(1));
    const offers = buildOffers(1);
    expect(offers.length).toBeGreaterThanOrEqual(30);
    expect(new Set(offers.map((o) => o.id)).size).toBe(offers.length);
    const of = (gpu: string, n: number) => offers.filter((o) => o.gpu_name === gpu && o.num_gpus === n);
    expect(of('RTX 4090', 1).length).toBeGreaterThanOrEqual(3);
    expect(of('RTX 3090', 2).length).toBeGreaterThanOrEqual(3);
    const cheap3080 = of('RTX 3080', 1).map((o) => o.dph_total);
    expect(cheap3080.length).toBeGreaterThanOrEqual(3);
    expect(new Set(cheap3080).size).toBe(cheap3080.length);
    for (const n of [1, 2, 4, 8]) expect(offers.some((o) => o.num_gpus === n)).toBe(true);
    for (const gpu of ['RTX 3080', 'RTX 3090', 'RTX 4090', 'A100 SXM4', 'H100 SXM']) {
      expect(offers.some((o) => o.gpu_name === gpu)).toBe(true);
    }
    const countries = new Set(offers.map((o) => o.country));
    for (const c of ['US', 'DE', 'FR', 'NL', 'SE', 'PL', 'JP']) expect(countries.has(c)).toBe(true);
    const eu = ['DE', 'FR', 'NL', 'SE', 'PL', 'FI', 'ES'];
    expect(of('RTX 4090', 1).filter((o) => eu.includes(o.country)).length).toBeGreaterThanOrEqual(2);
  });

  it('scales every shape by --catalogue-scale with distinct ids and prices, scale 1 being the default', () => {
    const base = buildOffers(1);
    expect(buildOffers(1, 1)).toEqual(base);
    const big = buildOffers(1, 16);
    expect(big).toHaveLength(base.length * 16);
    expect(new Set(big.map((o) => o.id)).size).toBe(big.length);
    const shape = (o: { gpu_name: string; num_gpus: number }) => `${o.num_gpus}x ${o.gpu_name}`;
    for (const s of new Set(base.map(shape))) {
      const n = base.filter((o) => shape(o) === s).length;
      expect(
        big.filter((o) => shape(o) === s),
        s
      ).toHaveLength(n * 16);
      expect(new Set(big.filter((o) => shape(o) === s).map((o) => o.dph_total)).size).toBe(n * 16);
    }
  });
});

describe('VAST POST /api/v0/bundles/', () => {
  it('filters with eq/gte/lte/in/notin and orders', async () => {
    const rows = await search({ gpu_name: { eq: 'RTX 4090' }, num_gpus: { eq: 1 }, order: [['dph_total', 'asc']] });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.gpu_name === 'RTX 4090' && r.num_gpus === 1 && r.rentable && !r.rented)).toBe(true);
    const prices = rows.map((r) => r.dph_total);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));

    const desc = await search({ gpu_name: { eq: 'RTX_4090' }, num_gpus: { eq: 1 }, order: [['dph_total', 'desc']] });
    expect(desc.map((r) => r.id)).toEqual([...rows].reverse().map((r) => r.id));

    const cheap = await search({ dph_total: { lte: 0.2 }, reliability2: { gte: 0.95 } });
    expect(cheap.length).toBeGreaterThan(0);
    expect(cheap.every((r) => r.dph_total <= 0.2 && r.reliability2 >= 0.95)).toBe(true);

    const multi = await search({ num_gpus: { in: [4, 8] }, gpu_name: { notin: ['H100 SXM'] } });
    expect(multi.length).toBeGreaterThan(0);
    expect(multi.every((r) => [4, 8].includes(r.num_gpus) && r.gpu_name !== 'H100 SXM')).toBe(true);

    const gt = await search({ num_gpus: { gt: 4 }, reliability: { lt: 0.999 } });
    expect(gt.every((r) => r.num_gpus > 4)).toBe(true);
    const neq = await search({ gpu_name: { neq: 'RTX 4090' } });
    expect(neq.every((r) => r.gpu_name !== 'RTX 4090')).toBe(true);
  });

  it('matches geolocation by country code with in and eq, and by full text', async () => {
    const eu = await search({ geolocation: { in: ['DE', 'FR'] } });
    expect(eu.length).toBeGreaterThan(0);
    expect(eu.every((r) => /, (DE|FR)$/.test(r.geolocation))).toBe(true);
    const de = await search({ geolocation: { eq: 'DE' } });
    expect(de.every((r) => r.geolocation.endsWith(', DE'))).toBe(true);
    const frankfurt = await search({ geolocation: { eq: 'Frankfurt, DE' } });
    expect(frankfurt.length).toBeGreaterThan(0);
    expect(frankfurt.every((r) => r.geolocation === 'Frankfurt, DE')).toBe(true);
    const notUs = await search({ geolocation: { notin: ['US'] } });
    expect(notUs.some((r) => r.geolocation.endsWith('US'))).toBe(false);
  });

  it('honours limit, default order by score, type bid, and ignores unknown keys', async () => {
    expect(await search({ limit: 3 })).toHaveLength(3);
    const all = await search({});
    const scores = all.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const withUnknown = await search({ host_id: { notin: [1, 2] }, bogus_field: { eq: 'x' }, verified: { eq: true } });
    expect(withUnknown.length).toBe(all.length);
    const bids = await search({ type: 'bid', gpu_name: { eq: 'RTX 4090' }, num_gpus: { eq: 1 } });
    expect(bids.every((r) => r.is_bid === true && r.dph_total === r.min_bid)).toBe(true);
  });

  it('answers GET /api/v0/bundles?q= and rejects malformed queries', async () => {
    const q = encodeURIComponent(JSON.stringify({ gpu_name: { eq: 'RTX 3080' }, num_gpus: { eq: 1 } }));
    const reply = await call(
      sim.vastUrl,
      'GET',
      `/api/v0/bundles?q=${q}&order=${encodeURIComponent('[["dph_total","asc"]]')}`
    );
    expect(reply.status).toBe(200);
    const prices = reply.body.offers.map((r: Row) => r.dph_total);
    expect(prices.length).toBeGreaterThanOrEqual(3);
    expect(prices).toEqual([...prices].sort((a: number, b: number) => a - b));
    const badOp = await call(sim.vastUrl, 'POST', '/api/v0/bundles', { body: { num_gpus: { between: [1, 2] } } });
    expect(badOp.status).toBe(400);
    expect(badOp.body).toMatchObject({ error: 'invalid_request' });
    const badJson = await call(sim.vastUrl, 'POST', '/api/v0/bundles/', { rawBody: '{nope' });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toEqual({ error: 'invalid_request', msg: 'Invalid json body' });
    const wrongKey = await call(sim.vastUrl, 'POST', '/api/v0/bundles/', { auth: 'wrong', body: {} });
    expect(wrongKey.status).toBe(401);
  });
});

describe('Dumont GET /api/v1/instances/offers', () => {
  it('returns offers sorted by price with Dumont field types', async () => {
    const reply = await dumontOffers('?gpu_name=RTX%204090&num_gpus=1');
    expect(reply.status).toBe(200);
    const offers: Row[] = reply.body.offers;
    expect(reply.body.count).toBe(offers.length);
    expect(offers.length).toBeGreaterThanOrEqual(3);
    expect(offers.map((o) => o.dph_total)).toEqual(offers.map((o) => o.dph_total).sort((a, b) => a - b));
    const first = offers[0];
    expect(typeof first.machine_id).toBe('string');
    expect(first.gpu_ram).toBeCloseTo(24, 0);
    expect(first).toMatchObject({ gpu_name: 'RTX 4090', num_gpus: 1, verified: true, is_blacklisted: false });
    expect(typeof first.reliability).toBe('number');
  });

  it('filters by region (EU, ASIA, a country), price, reliability and limit', async () => {
    const eu = (await dumontOffers('?region=EU')).body.offers as Row[];
    expect(eu.length).toBeGreaterThan(0);
    expect(eu.every((o) => /, (DE|FR|NL|SE|PL|FI|ES)$/.test(o.geolocation))).toBe(true);
    const asia = (await dumontOffers('?region=asia')).body.offers as Row[];
    expect(asia.every((o) => /, (JP|KR|SG|TW)$/.test(o.geolocation))).toBe(true);
    const se = (await dumontOffers('?region=SE')).body.offers as Row[];
    expect(se.length).toBeGreaterThan(0);
    expect(se.every((o) => o.geolocation.endsWith(', SE'))).toBe(true);
    const cheap = (await dumontOffers('?max_price=0.3&min_reliability=0.95&limit=2')).body.offers as Row[];
    expect(cheap.length).toBe(2);
    expect(cheap.every((o) => o.dph_total <= 0.3 && o.reliability >= 0.95)).toBe(true);
    const multi = (await dumontOffers('?gpu_name=RTX%203090&num_gpus=2')).body.offers as Row[];
    expect(multi.length).toBeGreaterThanOrEqual(3);
  });

  it('answers 422 {error, details} on bad query values', async () => {
    const reply = await dumontOffers('?num_gpus=two');
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('Validation error');
    expect(reply.body.details[0].loc).toEqual(['query', 'num_gpus']);
    expect((await dumontOffers('?limit=500')).status).toBe(422);
    expect((await dumontOffers('?machine_type=spot')).status).toBe(422);
  });
});
