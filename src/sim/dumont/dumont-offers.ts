/**
 * Dumont's `GET /api/v1/instances/offers`: query parameters with FastAPI-like 422 details, the filters
 * Dumont passes to VAST, and its ordering (always `dph_total` ascending, whatever `order_by` says). The
 * offers-not-sorted-by-price and region-filter-ignored defects hook in here.
 */
import { json, type SimRequest, type SimResponse } from '../core/http/sim-http';
import { regionCountries } from '../core/regions';
import { isBlacklisted } from '../features/blacklist';
import { appliesRegion, withinMaxPrice } from '../features/market/offer-hooks';
import type { SimWorld } from '../world';
import { validationError, type ValidationDetail } from './dumont-errors';
import { dumontOfferRow } from './wire-dumont';

/** Query parameter parsing with FastAPI-like 422 details. */
function queryReader(req: SimRequest, details: ValidationDetail[]) {
  const number = (name: string, opts: { int?: boolean; min?: number; max?: number } = {}): number | undefined => {
    const raw = req.query.get(name);
    if (raw === null || raw === '') return undefined;
    const value = Number(raw);
    const bad = (msg: string, type: string): undefined => {
      details.push({ loc: ['query', name], msg, type });
      return undefined;
    };
    if (!Number.isFinite(value))
      return bad(`Input should be a valid number, got ${JSON.stringify(raw)}`, 'float_parsing');
    if (opts.int && !Number.isInteger(value))
      return bad(`Input should be a valid integer, got ${JSON.stringify(raw)}`, 'int_parsing');
    if (opts.min !== undefined && value < opts.min)
      return bad(`Input should be greater than or equal to ${opts.min}`, 'greater_than_equal');
    if (opts.max !== undefined && value > opts.max)
      return bad(`Input should be less than or equal to ${opts.max}`, 'less_than_equal');
    return value;
  };
  const bool = (name: string): boolean | undefined => {
    const raw = req.query.get(name);
    if (raw === null || raw === '') return undefined;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    details.push({ loc: ['query', name], msg: 'Input should be a valid boolean', type: 'bool_parsing' });
    return undefined;
  };
  return { number, bool, string: (name: string) => req.query.get(name) ?? undefined };
}

/** Answers one offer search. */
export function searchDumontOffers(world: SimWorld, req: SimRequest): SimResponse {
  const details: ValidationDetail[] = [];
  const q = queryReader(req, details);
  const gpuName = q.string('gpu_name');
  const numGpus = q.number('num_gpus', { int: true, min: 0, max: 8 });
  const maxPrice = q.number('max_price', { min: 0 }) ?? 10;
  const minReliability = q.number('min_reliability', { min: 0, max: 1 });
  const minGpuRam = q.number('min_gpu_ram', { min: 0 });
  const minCpuCores = q.number('min_cpu_cores', { min: 0 });
  const minCpuRam = q.number('min_cpu_ram', { min: 0 });
  const minDisk = q.number('min_disk', { min: 0 }) ?? 50;
  const minInetDown = q.number('min_inet_down', { min: 0 }) ?? 100;
  const minInetUp = q.number('min_inet_up', { min: 0 });
  const minCuda = q.number('cuda_version', { min: 0 });
  const limit = q.number('limit', { int: true, min: 1, max: 100 }) ?? 50;
  const verifiedOnly = q.bool('verified_only');
  const staticIp = q.bool('static_ip');
  const includeBlacklisted = q.bool('include_blacklisted') ?? false;
  const region = q.string('region');
  const machineType = q.string('machine_type') ?? 'on-demand';
  if (!['on-demand', 'interruptible'].includes(machineType)) {
    details.push({
      loc: ['query', 'machine_type'],
      msg: "Input should be 'on-demand' or 'interruptible'",
      type: 'enum',
    });
  }
  if (details.length > 0) return validationError(details);
  const interruptible = machineType === 'interruptible';
  const countries =
    region && !world.has('region-filter-ignored') && appliesRegion(world, region) ? regionCountries(region) : undefined;
  const norm = (s: string): string => s.replace(/_/g, ' ').trim().toLowerCase();
  let offers = world
    .availableOffers()
    .filter((o) => gpuName === undefined || gpuName === '' || norm(o.gpu_name) === norm(gpuName))
    .filter((o) => numGpus === undefined || o.num_gpus === numGpus)
    .filter((o) => withinMaxPrice(world, interruptible ? o.min_bid : o.dph_total, maxPrice))
    .filter((o) => minReliability === undefined || o.reliability2 >= minReliability)
    .filter((o) => minGpuRam === undefined || o.gpu_ram / 1024 >= minGpuRam)
    .filter((o) => minCpuCores === undefined || o.cpu_cores_effective >= minCpuCores)
    .filter((o) => minCpuRam === undefined || o.cpu_ram / 1024 >= minCpuRam)
    .filter((o) => o.disk_space >= minDisk && o.inet_down >= minInetDown)
    .filter((o) => minInetUp === undefined || o.inet_up >= minInetUp)
    .filter((o) => minCuda === undefined || o.cuda_max_good >= minCuda)
    .filter((o) => !verifiedOnly || o.verified)
    .filter((o) => staticIp === undefined || o.static_ip === staticIp)
    .filter((o) => countries === undefined || countries.includes(o.country))
    .filter((o) => includeBlacklisted || !isBlacklisted(world, o.machine_id))
    .map((o) => ({ ...dumontOfferRow(o, interruptible), is_blacklisted: isBlacklisted(world, o.machine_id) }))
    .sort((a, b) => a.dph_total - b.dph_total || a.id - b.id);
  if (world.has('offers-not-sorted-by-price') && offers.length > 1) {
    offers = world.prng.shuffle(offers);
    // A shuffle can land sorted by chance; the defect must always show, so the cheapest never leads.
    const cheapest = Math.min(...offers.map((o) => o.dph_total));
    if (offers[0].dph_total === cheapest) offers.push(offers.shift() as (typeof offers)[number]);
  }
  offers = offers.slice(0, limit);
  return json(200, { offers, count: offers.length });
}
