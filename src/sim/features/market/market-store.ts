/**
 * The market feature's state: the price process, the listings other hosts put on the market and take off it
 * (offers that appear, get rented by others and disappear), the machines whose creates hang, and the recorded
 * outcome of every host (seeded past observations plus what happens to instances here), which drives
 * reliability.
 */
import type { Offer } from '../../core/offer';
import { createPrng, type Prng } from '../../core/prng';
import { LOCATIONS, countryOf } from '../../core/regions';
import { gpuModel } from '../../instances/gpu-models';
import type { SimWorld } from '../../world';
import {
  createPriceModel,
  marketRegionOf,
  MARKET_REGIONS,
  sampleIndex,
  type MarketRegion,
  type PriceModel,
} from './price-model';
import type { SimTimer } from '../../core/clock';

/** What happened on a machine: a boot that reached running, or a failure (a hang in loading, an interruption). */
export interface HostOutcome {
  at: number;
  ok: boolean;
  kind: 'boot' | 'create-hang' | 'interruption' | 'boot-failure';
  instanceId: number | null;
}

/** One offer listed by the market (not from the static catalogue). */
export interface Listing {
  offer: Offer;
  region: MarketRegion;
  listedAt: number;
  /** Platform time another renter took it (it left the market), or null. */
  takenAt: number | null;
  /** A host whose creates hang in `loading` (its recorded history is poor). */
  hangs: boolean;
}

/** A live price subscriber (a WebSocket of the stream route). */
export interface PriceSubscriber {
  gpuName: string | null;
  send(message: unknown): void;
}

export interface MarketState {
  readonly prices: PriceModel;
  readonly prng: Prng;
  readonly listings: Map<number, Listing>;
  /** Machine id → its outcomes, oldest first. */
  readonly outcomes: Map<number, HostOutcome[]>;
  readonly subscribers: Set<PriceSubscriber>;
  /** The last sample index the ticker published. */
  lastSample: number;
  ticker: SimTimer | null;
  nextListing: number;
}

/** Platform seconds between two moves of the listings (one taken by someone else, one new). */
export const CHURN_SECONDS = 120;
/**
 * GPU models only the market lists (the catalogue has none): no earlier scenario asks for them, and they are
 * never the cheapest answer of a search without a model, so the churn cannot take an offer such a search chose.
 */
export const LISTED_GPUS = ['A100 PCIE', 'H100 PCIE'];
/** The model whose first listing per region is on a host that hangs (priced high: nobody's cheapest choice). */
export const HANGING_GPU = 'H100 PCIE';
const LISTINGS_PER_GPU_AND_REGION = 4;
const LOCATIONS_BY_REGION = Object.fromEntries(
  MARKET_REGIONS.map((r) => [r, LOCATIONS.filter((l) => marketRegionOf(countryOf(l)) === r)])
) as Record<MarketRegion, string[]>;

const round = (v: number, d: number): number => Number(v.toFixed(d));

/** The seeded past observations of a machine of reliability `p`: boots succeed with probability `p`. */
function seededHistory(prng: Prng, machineId: number, p: number, now: number): HostOutcome[] {
  const n = prng.int(20, 60);
  const out: HostOutcome[] = [];
  for (let i = 0; i < n; i++) {
    const ok = prng.next() < p;
    out.push({ at: Math.floor(now - (n - i) * 3 * 3600), ok, kind: ok ? 'boot' : 'boot-failure', instanceId: null });
  }
  return out;
}

/** A new listing of `gpuName` in `region`, priced at the market's price now. */
export function newListing(
  world: SimWorld,
  state: MarketState,
  gpuName: string,
  region: MarketRegion,
  hangs: boolean
): Listing {
  const { prng } = state;
  const now = world.clock.platformNow();
  const model = gpuModel(gpuName);
  const k = state.nextListing++;
  const geolocation = prng.pick(LOCATIONS_BY_REGION[region]);
  const perGpu = state.prices.priceAt(gpuName, region, sampleIndex(now)) * prng.float(0.94, 1.06) * (hangs ? 1.3 : 1);
  const dph = round(perGpu, 4);
  const reliability = round(hangs ? prng.float(0.55, 0.75) : prng.float(0.9, 0.999), 4);
  const offer: Offer = {
    id: 9_400_000 + k * 613 + prng.int(0, 600),
    machine_id: 70_000 + k * 17 + prng.int(0, 15),
    host_id: 190_000 + k * 31,
    gpu_name: gpuName,
    num_gpus: 1,
    gpu_ram: model.vramMiB,
    gpu_total_ram: model.vramMiB,
    cpu_name: 'AMD EPYC 7543 32-Core Processor',
    cpu_cores: 16,
    cpu_cores_effective: 8,
    cpu_ram: 64 * 1024,
    disk_space: 500,
    disk_bw: 2000,
    dph_base: round(dph * 0.96, 4),
    dph_total: dph,
    min_bid: round(dph * prng.float(0.45, 0.6), 4),
    storage_cost: 0.1,
    inet_up: 800,
    inet_down: 1500,
    inet_up_cost: 0.005,
    inet_down_cost: 0.005,
    reliability,
    reliability2: reliability,
    score: round(model.dlperf / dph + reliability * 100, 3),
    dlperf: model.dlperf,
    dlperf_per_dphtotal: round(model.dlperf / dph, 3),
    total_flops: model.tflops,
    flops_per_dphtotal: round(model.tflops / dph, 3),
    geolocation,
    country: countryOf(geolocation),
    static_ip: false,
    public_ipaddr: `203.0.113.${(k % 250) + 1}`,
    direct_port_count: 50,
    hosting_type: 0,
    datacenter: false,
    cuda_max_good: 12.4,
    driver_version: '550.54.15',
    compute_cap: model.computeCap,
    verified: true,
    end_date: Math.floor(now + 30 * 86_400),
  };
  const listing: Listing = { offer, region, listedAt: now, takenAt: null, hangs };
  state.listings.set(offer.id, listing);
  state.outcomes.set(offer.machine_id, seededHistory(prng, offer.machine_id, reliability, now));
  world.offers.push(offer);
  world.offerById.set(offer.id, offer);
  return listing;
}

/** Takes a listing off the market (rented by someone else): gone from every search, `no_such_ask` to a create. */
export function takeListing(world: SimWorld, listing: Listing): void {
  listing.takenAt = world.clock.platformNow();
  world.offerById.delete(listing.offer.id);
  const i = world.offers.indexOf(listing.offer);
  if (i >= 0) world.offers.splice(i, 1);
}

/** Creates the market of one simulator: its price process, its first listings, and every host's history. */
export function newMarketState(world: SimWorld): MarketState {
  const prng = createPrng(world.accountId * 13 + 5);
  const state: MarketState = {
    prices: createPriceModel(world.accountId, world.clock.leadSeconds),
    prng,
    listings: new Map(),
    outcomes: new Map(),
    subscribers: new Set(),
    lastSample: sampleIndex(world.clock.platformNow()),
    ticker: null,
    nextListing: 0,
  };
  const now = world.clock.platformNow();
  for (const offer of world.offers) {
    if (!state.outcomes.has(offer.machine_id)) {
      state.outcomes.set(offer.machine_id, seededHistory(prng, offer.machine_id, offer.reliability2, now));
    }
  }
  for (const gpu of LISTED_GPUS) {
    for (const region of MARKET_REGIONS) {
      for (let i = 0; i < LISTINGS_PER_GPU_AND_REGION; i++) {
        // One host per region (the first H100 PCIE) hangs on create: the slow offer of scenarios 97 and 99.
        newListing(world, state, gpu, region, i === 0 && gpu === HANGING_GPU);
      }
    }
  }
  return state;
}

/** Records an outcome on `machineId`. */
export function recordOutcome(state: MarketState, machineId: number, outcome: HostOutcome): void {
  const list = state.outcomes.get(machineId) ?? [];
  list.push(outcome);
  state.outcomes.set(machineId, list);
}

/**
 * A machine's reliability: the share of its recorded outcomes that succeeded, Laplace-smoothed ((ok + 1) / (n + 2))
 * so that a short perfect record does not outrank a long near-perfect one. It differs from the plain share by less
 * than one outcome's weight (1 / n).
 */
export function reliabilityOf(state: MarketState, machineId: number): { score: number; ok: number; total: number } {
  const list = state.outcomes.get(machineId) ?? [];
  const ok = list.filter((o) => o.ok).length;
  return { score: round((ok + 1) / (list.length + 2), 4), ok, total: list.length };
}

/** One move of the market: a listing (never a hanging host's, never one a client rents) is taken, a new one appears. */
export function churn(world: SimWorld, state: MarketState): void {
  const open = [...state.listings.values()].filter(
    (l) => l.takenAt === null && !l.hangs && !world.rented.has(l.offer.id)
  );
  if (open.length > 0) {
    const taken = state.prng.pick(open);
    takeListing(world, taken);
    newListing(world, state, taken.offer.gpu_name, taken.region, false);
  }
  // Forget listings taken more than a day ago (a long-lived stack would otherwise keep every one).
  const horizon = world.clock.platformNow() - 86_400;
  for (const [id, l] of state.listings) if (l.takenAt !== null && l.takenAt < horizon) state.listings.delete(id);
}
