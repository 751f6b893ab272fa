/**
 * The market feature's Dumont routes (under the API root; `docs/platform-contract.md` § Market): the recorded
 * market history and its summary, the 24 h price prediction, the host reliability ranking and each machine's
 * reliability with its history, and spot pricing by region. The live price WebSocket is in `price-stream.ts`.
 */
import { json, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { countryOf } from '../../core/regions';
import { validationError } from '../../dumont/dumont-errors';
import type { FeatureContext, FeatureRoute } from '../types';
import { flatForecast, forecast, type PricePoint } from './forecast';
import { reliabilityOf, type MarketState } from './market-store';
import { HISTORY_DAYS, marketRegionOf, MARKET_GPUS, MARKET_REGIONS, SAMPLE_SECONDS, sampleIndex } from './price-model';

type Ctx = FeatureContext<MarketState>;
type Route = FeatureRoute<MarketState>;

const iso = (t: number): string => new Date(t * 1000).toISOString();
const round = (v: number, d = 4): number => Number(v.toFixed(d));

/** The query's number `name` within [min, max], a 422 when malformed, or `fallback`. */
function num(req: SimRequest, name: string, fallback: number, min: number, max: number): number | SimResponse {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    return validationError([
      { loc: ['query', name], msg: `Input should be a number between ${min} and ${max}`, type: 'value_error' },
    ]);
  }
  return v;
}

/** Resolves a GPU name the way Dumont does (underscores for spaces, any case); null when the market has none. */
export function marketGpu(name: string | null | undefined): string | null {
  if (!name) return null;
  const norm = (s: string): string => s.replace(/_/g, ' ').trim().toLowerCase();
  return MARKET_GPUS.find((g) => norm(g) === norm(name)) ?? null;
}

/** The market price history of `gpu` over the last `hours` (platform), one point per sample. */
export function historyOf(ctx: Ctx, gpu: string, hours: number): PricePoint[] {
  const last = sampleIndex(ctx.world.clock.platformNow());
  const first = last - Math.floor((hours * 3600) / SAMPLE_SECONDS) + 1;
  const out: PricePoint[] = [];
  for (let i = first; i <= last; i++)
    out.push({ t: i * SAMPLE_SECONDS, price: ctx.state.prices.marketPriceAt(gpu, i) });
  return out;
}

function recordRow(ctx: Ctx, gpu: string, index: number) {
  const regions = Object.fromEntries(MARKET_REGIONS.map((r) => [r, ctx.state.prices.priceAt(gpu, r, index)]));
  const prices = Object.values(regions);
  return {
    gpu_name: gpu,
    machine_type: 'on-demand',
    timestamp: iso(index * SAMPLE_SECONDS),
    epoch: index * SAMPLE_SECONDS,
    avg_price: ctx.state.prices.marketPriceAt(gpu, index),
    min_price: Math.min(...prices),
    max_price: Math.max(...prices),
    region_prices: regions,
  };
}

/** `GET /metrics/market`: the recorded samples, newest first. */
function marketHistory(req: SimRequest, ctx: Ctx): SimResponse {
  const hours = num(req, 'hours', 24, 1, 24 * HISTORY_DAYS);
  const limit = num(req, 'limit', 1000, 1, 5000);
  if (typeof hours !== 'number') return hours;
  if (typeof limit !== 'number') return limit;
  const asked = req.query.get('gpu_name');
  const gpus = asked ? [marketGpu(asked)].filter((g): g is string => g !== null) : MARKET_GPUS;
  const last = sampleIndex(ctx.world.clock.platformNow());
  const count = Math.floor((hours * 3600) / SAMPLE_SECONDS);
  const rows = [];
  for (let i = last; i > last - count; i--) for (const g of gpus) rows.push(recordRow(ctx, g, i));
  return json(200, rows.slice(0, limit));
}

/** `GET /metrics/market/summary`: the latest sample of every GPU. */
function marketSummary(_req: SimRequest, ctx: Ctx): SimResponse {
  const last = sampleIndex(ctx.world.clock.platformNow());
  return json(200, {
    timestamp: iso(last * SAMPLE_SECONDS),
    epoch: last * SAMPLE_SECONDS,
    sample_seconds: SAMPLE_SECONDS,
    gpus: MARKET_GPUS.map((g) => recordRow(ctx, g, last)),
  });
}

/** `GET /metrics/predictions/{gpu_name}`: the next 24 h, hour by hour, from the recorded history. */
function prediction(req: SimRequest, ctx: Ctx): SimResponse {
  const gpu = marketGpu(req.params.gpu_name);
  if (!gpu) return json(404, { error: `No price history for ${req.params.gpu_name}` });
  const now = ctx.world.clock.platformNow();
  const history = historyOf(ctx, gpu, 24 * HISTORY_DAYS);
  const f = ctx.world.has('prediction-ignores-history')
    ? flatForecast(history[history.length - 1].price)
    : forecast(history, now);
  const dayMean = round(Object.values(f.hourly).reduce((s, v) => s + v, 0) / 24);
  return json(200, {
    gpu_name: gpu,
    machine_type: req.query.get('machine_type') ?? 'on-demand',
    hourly_predictions: f.hourly,
    daily_predictions: { [new Date((now + 86_400) * 1000).toUTCString().slice(0, 3).toLowerCase()]: dayMean },
    best_hour_utc: f.bestHourUtc,
    best_day: null,
    predicted_min_price: f.minPrice,
    model_confidence: f.confidence,
    model_version: 'seasonal-trend-1',
    generated_at: iso(now),
    valid_until: iso(now + 86_400),
    history_points: history.length,
  });
}

/** One machine's row of the reliability ranking. */
function providerRow(ctx: Ctx, machineId: number) {
  const offers = ctx.world.offers.filter((o) => o.machine_id === machineId);
  const o = offers[0];
  const r = reliabilityOf(ctx.state, machineId);
  return {
    machine_id: machineId,
    hostname: `host-${o?.host_id ?? machineId}`,
    geolocation: o?.geolocation ?? null,
    gpu_name: o?.gpu_name ?? null,
    verified: o?.verified ?? false,
    reliability_score: r.score,
    availability_score: r.score,
    price_stability_score: 1,
    total_observations: r.total,
    successful_observations: r.ok,
    avg_price: o ? o.dph_total : null,
  };
}

/** `GET /metrics/providers`: machines on the market now, ranked by their recorded reliability. */
function providers(req: SimRequest, ctx: Ctx): SimResponse {
  const limit = num(req, 'limit', 50, 1, 500);
  const minObs = num(req, 'min_observations', 1, 0, 1e6);
  const minRel = num(req, 'min_reliability', 0, 0, 1);
  for (const v of [limit, minObs, minRel]) if (typeof v !== 'number') return v;
  const gpu = req.query.get('gpu_name');
  const geo = req.query.get('geolocation');
  const verifiedOnly = req.query.get('verified_only') === 'true';
  const machines = [...new Set(ctx.world.availableOffers().map((o) => o.machine_id))];
  let rows = machines
    .map((m) => providerRow(ctx, m))
    .filter((r) => !gpu || marketGpu(r.gpu_name) === marketGpu(gpu))
    .filter((r) => !geo || (r.geolocation ?? '').toLowerCase().includes(geo.toLowerCase()))
    .filter((r) => !verifiedOnly || r.verified)
    .filter((r) => r.total_observations >= (minObs as number) && r.reliability_score >= (minRel as number));
  rows = ctx.world.has('reliability-ranking-unsorted')
    ? rows.sort((a, b) => (a.avg_price ?? 0) - (b.avg_price ?? 0) || a.machine_id - b.machine_id)
    : rows.sort((a, b) => b.reliability_score - a.reliability_score || a.machine_id - b.machine_id);
  return json(200, rows.slice(0, limit as number));
}

function machineId(req: SimRequest, ctx: Ctx): number | SimResponse {
  const id = Number(req.params.machine_id);
  if (!Number.isInteger(id)) {
    return validationError([
      { loc: ['path', 'machine_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
    ]);
  }
  return ctx.state.outcomes.has(id) ? id : json(404, { error: `Machine ${id} not found` });
}

/** `GET /reliability/machines/{id}` and its `/history`. */
function machineReliability(withHistory: boolean) {
  return (req: SimRequest, ctx: Ctx): SimResponse => {
    const id = machineId(req, ctx);
    if (typeof id !== 'number') return id;
    const row = providerRow(ctx, id);
    if (!withHistory) return json(200, row);
    const history = (ctx.state.outcomes.get(id) ?? []).map((o) => ({
      timestamp: iso(o.at),
      success: o.ok,
      event_type: o.kind,
      instance_id: o.instanceId,
    }));
    return json(200, { machine_id: id, reliability_score: row.reliability_score, history });
  };
}

/** `GET /spot/pricing?region=&gpu_name=`: interruptible prices of the offers in a region (or global). */
function spotPricing(req: SimRequest, ctx: Ctx): SimResponse {
  const region = (req.query.get('region') ?? 'global').toUpperCase();
  const gpu = req.query.get('gpu_name');
  const all = ctx.world.availableOffers().filter((o) => !gpu || marketGpu(o.gpu_name) === marketGpu(gpu));
  const inRegion = all.filter((o) => region === 'GLOBAL' || marketRegionOf(countryOf(o.geolocation)) === region);
  const bids = inRegion.map((o) => o.min_bid).sort((a, b) => a - b);
  const avg = bids.length ? bids.reduce((s, b) => s + b, 0) / bids.length : 0;
  const onDemand = inRegion.length ? inRegion.reduce((s, o) => s + o.dph_total, 0) / inRegion.length : 0;
  return json(200, {
    region,
    gpu_name: gpu,
    offers_count: inRegion.length,
    total_offers: all.length,
    cheapest_price: bids[0] ?? null,
    average_price: round(avg),
    estimated_ondemand: round(onDemand),
    savings_vs_ondemand: onDemand > 0 ? round(((onDemand - avg) / onDemand) * 100, 1) : 0,
    top_offers: [...inRegion]
      .sort((a, b) => a.min_bid - b.min_bid)
      .slice(0, 5)
      .map((o) => ({
        id: o.id,
        gpu_name: o.gpu_name,
        geolocation: o.geolocation,
        spot_price: o.min_bid,
        dph_total: o.dph_total,
      })),
  });
}

/** The market feature's HTTP routes on the Dumont face. */
export const MARKET_ROUTES: Route[] = [
  { method: 'GET', path: '/metrics/market', handle: marketHistory },
  { method: 'GET', path: '/metrics/market/summary', handle: marketSummary },
  { method: 'GET', path: '/metrics/predictions/:gpu_name', handle: prediction },
  { method: 'GET', path: '/metrics/providers', handle: providers },
  { method: 'GET', path: '/reliability/machines/:machine_id', handle: machineReliability(false) },
  { method: 'GET', path: '/reliability/machines/:machine_id/history', handle: machineReliability(true) },
  { method: 'GET', path: '/spot/pricing', handle: spotPricing },
];
