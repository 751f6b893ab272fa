/**
 * The market's price process: for every GPU model and region (US, EU, ASIA) a seeded price per GPU-hour that
 * moves over platform time — a daily pattern (cheaper at night in the region, dearer in its working hours), a
 * slow trend, and noise — sampled every {@link SAMPLE_SECONDS} as Dumont's MarketMonitorAgent records it. The
 * process is a pure function of (seed, model, region, sample index), so the history is the same whenever it is
 * read, and the future is fixed before it happens (scenario 87 compares a forecast with it).
 */
import { gpuModel } from '../../instances/gpu-models';

/** The GPU models the market tracks (those the simulator's hosts carry). */
export const MARKET_GPUS = [
  'RTX 3070',
  'RTX 3080',
  'RTX 3090',
  'RTX 4090',
  'A100 PCIE',
  'A100 SXM4',
  'H100 PCIE',
  'H100 SXM',
];

/** The monitor's sampling period, platform seconds (Dumont's MarketMonitorAgent runs every 5 min). */
export const SAMPLE_SECONDS = 300;

/** Days of history recorded before the simulator started. */
export const HISTORY_DAYS = 7;

/** The market's regions, as Dumont's offer search and spot pricing name them. */
export const MARKET_REGIONS = ['US', 'EU', 'ASIA'] as const;
export type MarketRegion = (typeof MARKET_REGIONS)[number];

/** The region a country code belongs to (null outside the three). */
export function marketRegionOf(country: string): MarketRegion | null {
  if (['US', 'CA', 'MX'].includes(country)) return 'US';
  if (['JP', 'KR', 'SG', 'TW', 'HK', 'CN', 'IN', 'TH', 'VN', 'MY', 'ID', 'PH'].includes(country)) return 'ASIA';
  return country === '' ? null : 'EU';
}

/** Hour of the local working-day peak in UTC, per region (US afternoon, EU afternoon, Asia afternoon). */
const PEAK_UTC_HOUR: Record<MarketRegion, number> = { US: 21, EU: 14, ASIA: 6 };
/** Regional price level: Europe a little dearer, Asia a little cheaper (as the catalogue's hosts are). */
const REGION_LEVEL: Record<MarketRegion, number> = { US: 1, EU: 1.06, ASIA: 0.93 };

/** Relative amplitude of the daily pattern and of the per-sample noise. */
export const DAILY_AMPLITUDE = 0.14;
export const NOISE = 0.03;

/** A 32-bit hash of integers, as a uniform number in [-1, 1). */
function noise(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  }
  return ((h ^ (h >>> 15)) >>> 0) / 2147483648 - 1;
}

function modelIndex(gpuName: string): number {
  const i = MARKET_GPUS.indexOf(gpuName);
  return i < 0 ? MARKET_GPUS.length : i;
}

/** The sample index of platform time `t` (the last sample at or before it). */
export const sampleIndex = (t: number): number => Math.floor(t / SAMPLE_SECONDS);

/** The seeded price process of one simulator. */
export interface PriceModel {
  /** $ per GPU-hour of `gpuName` in `region` at sample `index` (on-demand). */
  priceAt(gpuName: string, region: MarketRegion, index: number): number;
  /** The mean of the three regions' prices at sample `index`: the GPU's market price. */
  marketPriceAt(gpuName: string, index: number): number;
}

/**
 * Builds the price process for `seed`. `leadSeconds` is how far the platform clock runs behind the calendar
 * (`SimClock.leadSeconds`): the slow drift is dated on the calendar, so the process is the same whatever the clock's
 * lead (which depends on the time scale); the daily pattern follows the platform's hours, as everything else.
 */
export function createPriceModel(seed: number, leadSeconds = 0): PriceModel {
  const priceAt = (gpuName: string, region: MarketRegion, index: number): number => {
    const [low, high] = gpuModel(gpuName).pricePerGpu;
    const g = modelIndex(gpuName);
    const r = MARKET_REGIONS.indexOf(region);
    const base = ((low + high) / 2) * REGION_LEVEL[region];
    const t = index * SAMPLE_SECONDS;
    const hour = (t / 3600) % 24;
    const daily = Math.cos((2 * Math.PI * (hour - PEAK_UTC_HOUR[region])) / 24);
    // A slow drift of a few percent a week, its direction seeded per model and region.
    const trend = 0.004 * noise(seed, g, r, 7) * ((t + leadSeconds) / 86_400 - 20_000);
    const jitter = NOISE * noise(seed, g, r, index);
    return Number(
      (base * (1 + DAILY_AMPLITUDE * daily + jitter) * (1 + Math.max(-0.2, Math.min(0.2, trend)))).toFixed(4)
    );
  };
  return {
    priceAt,
    marketPriceAt: (gpuName, index) =>
      Number((MARKET_REGIONS.reduce((s, r) => s + priceAt(gpuName, r, index), 0) / MARKET_REGIONS.length).toFixed(4)),
  };
}
