/**
 * The simulator's market feature over real HTTP and a real WebSocket: the recorded history moves by region and
 * over time, the forecast follows the daily pattern and lands near what then happens, the reliability ranking is
 * the recorded outcomes, listings come and go, a hanging host keeps its create in loading, the live stream pushes
 * every new sample, and the offer-search defects change what the search answers.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerlessSim, type ServerlessSim } from './serverless-helpers';
import { call } from './sim-client';
import { waitFor } from '../helpers/wait-for';
import { sampleIndex, SAMPLE_SECONDS } from '../../src/sim/features/market/price-model';
import { market } from '../../src/sim/features/market';

let s: ServerlessSim;
beforeAll(async () => {
  s = await startServerlessSim({ timeScale: 0.002, seed: 85 });
});
afterAll(async () => {
  await s?.sim.stop();
});

describe('market', () => {
  it('records a history that differs by region and moves with the hour', async () => {
    const rows = (await s.d('GET', '/api/v1/metrics/market?gpu_name=RTX%204090&hours=24')).body;
    expect(rows.length).toBe(24 * 12);
    const prices = rows.map((r: { avg_price: number }) => r.avg_price);
    expect(Math.max(...prices) / Math.min(...prices)).toBeGreaterThan(1.1);
    const { US, EU, ASIA } = rows[0].region_prices;
    expect(new Set([US, EU, ASIA]).size).toBe(3);
  });

  it('forecasts the daily pattern from history, close to what the price process then does', async () => {
    const p = (await s.d('GET', '/api/v1/metrics/predictions/RTX_4090')).body;
    expect(Object.keys(p.hourly_predictions)).toHaveLength(24);
    expect(p.model_confidence).toBeGreaterThan(0.5);
    const state = s.world.features.stateOf(market);
    const now = s.now();
    let err = 0;
    for (let k = 0; k < 24; k++) {
      const i = sampleIndex(now + k * 3600);
      const actual = state.prices.marketPriceAt('RTX 4090', i);
      const hour = Math.floor(((i * SAMPLE_SECONDS) % 86_400) / 3600);
      err += Math.abs(p.hourly_predictions[String(hour)] / actual - 1) / 24;
    }
    expect(err).toBeLessThan(0.05);
  });

  it('ranks providers by the reliability their recorded outcomes give', async () => {
    const top = (await s.d('GET', '/api/v1/metrics/providers?order_by=reliability_score&limit=10')).body;
    expect(top).toHaveLength(10);
    for (let i = 1; i < top.length; i++)
      expect(top[i - 1].reliability_score).toBeGreaterThanOrEqual(top[i].reliability_score);
    const h = (await s.d('GET', `/api/v1/reliability/machines/${top[0].machine_id}/history`)).body;
    const ok = h.history.filter((x: { success: boolean }) => x.success).length;
    expect((ok + 1) / (h.history.length + 2)).toBeCloseTo(top[0].reliability_score, 3);
    expect(new Set(top.map((t: { reliability_score: number }) => t.reliability_score)).size).toBeGreaterThan(5);
  });

  it('moves its listings: one is taken by someone else, another appears', async () => {
    const ids = async () =>
      new Set<number>(
        (await call(s.sim.dumontUrl, 'GET', '/api/v1/instances/offers?gpu_name=A100%20PCIE&limit=100')).body.offers.map(
          (o: { id: number }) => o.id
        )
      );
    const before = await ids();
    expect(before.size).toBeGreaterThan(3);
    const after = await waitFor(
      async () => {
        const now = await ids();
        return [...before].some((id) => !now.has(id)) ? now : undefined;
      },
      { timeoutMs: s.ms(3600) + 2000, what: 'a listing to be taken' }
    );
    expect(after.size).toBe(before.size);
  });

  it('keeps a create on a hanging host in loading until it is destroyed', async () => {
    const state = s.world.features.stateOf(market);
    const hanging = [...state.listings.values()].find((l) => l.hangs && l.takenAt === null)!;
    const created = await s.d('POST', '/api/v1/instances', {
      offer_id: hanging.offer.id,
      label: 'mk/hang',
      disk_size: 20,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await s.sleep(300);
    const row = (await s.d('GET', `/api/v1/instances/${id}`)).body;
    expect(row.actual_status).toBe('loading');
    expect((await s.d('DELETE', `/api/v1/instances/${id}`)).status).toBe(200);
    const history = (await s.d('GET', `/api/v1/reliability/machines/${hanging.offer.machine_id}/history`)).body.history;
    expect(history.at(-1)).toMatchObject({ success: false, event_type: 'create-hang', instance_id: id });
  });

  it('pushes every new sample on the live price WebSocket', async () => {
    const ws = new WebSocket(`${s.sim.dumontUrl.replace(/^http/, 'ws')}/api/v1/market/prices/ws?gpu_name=RTX%203090`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    const got: { type: string; sample: number; prices: unknown[] }[] = [];
    ws.on('message', (m) => got.push(JSON.parse(String(m))));
    try {
      await waitFor(() => got.filter((m) => m.type === 'price').length >= 2, {
        timeoutMs: s.ms(3 * SAMPLE_SECONDS) + 2000,
        what: 'two price updates',
      });
      expect(got[0].type).toBe('snapshot');
      expect(got[1].sample).toBeGreaterThan(got[0].sample);
      expect(got[1].prices).toHaveLength(3);
    } finally {
      ws.close();
    }
  });
});

describe('market defects on the offer search', () => {
  it('price-filter-ignored lets offers above max_price through', async () => {
    const q = '/api/v1/instances/offers?max_price=0.2&limit=100';
    const healthy = (await call(s.sim.dumontUrl, 'GET', q)).body.offers;
    expect(healthy.every((o: { dph_total: number }) => o.dph_total <= 0.2)).toBe(true);
    s.sim.addDefects(['price-filter-ignored']);
    try {
      const bad = (await call(s.sim.dumontUrl, 'GET', q)).body.offers;
      expect(bad.some((o: { dph_total: number }) => o.dph_total > 0.2)).toBe(true);
    } finally {
      s.sim.removeDefects(['price-filter-ignored']);
    }
  });

  it('region-offers-not-partitioned answers every region for ASIA', async () => {
    s.sim.addDefects(['region-offers-not-partitioned']);
    try {
      const asia = (await call(s.sim.dumontUrl, 'GET', '/api/v1/instances/offers?region=ASIA&limit=100')).body.offers;
      expect(asia.some((o: { geolocation: string }) => o.geolocation.endsWith('US'))).toBe(true);
    } finally {
      s.sim.removeDefects(['region-offers-not-partitioned']);
    }
  });
});
