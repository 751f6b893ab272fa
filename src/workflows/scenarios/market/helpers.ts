/** Helpers of the market scenarios: regions as countries, simple statistics, the VAST witness of an offer search. */
import type { VastFilter, VastOffer } from '../../../platform/types';
import { countryCodes, EU_COUNTRIES, type ScenarioContext } from '../../kit';

/** Dumont's region words and the countries a user means by them. */
export const REGION_COUNTRIES: Record<'US' | 'EU' | 'ASIA', ReadonlySet<string>> = {
  US: new Set(['US']),
  EU: EU_COUNTRIES,
  ASIA: new Set(['JP', 'KR', 'SG', 'TW', 'HK', 'CN', 'IN', 'TH', 'VN', 'MY', 'ID', 'PH']),
};
export type Region = keyof typeof REGION_COUNTRIES;

/** Whether a free-text geolocation lies in `region`. */
export function inRegion(geolocation: string, region: Region): boolean {
  return countryCodes(geolocation).some((c) => REGION_COUNTRIES[region].has(c));
}

export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** Pearson correlation; 0 when either side does not vary (a flat series follows no pattern). */
export function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** UTC hour of day of a platform epoch. */
export const utcHour = (epoch: number): number => Math.floor((((epoch % 86_400) + 86_400) % 86_400) / 3600);

/**
 * VAST's own search read twice, around the Dumont read it witnesses: offers on the market through both reads were
 * there the whole time (others rent and list offers meanwhile), any in either read may have been.
 */
export async function witnessAround<T>(
  ctx: ScenarioContext,
  filter: VastFilter,
  read: () => Promise<T>
): Promise<{ result: T; throughout: VastOffer[]; any: VastOffer[] }> {
  const before = await ctx.steps.searchVastOffers(filter);
  const result = await read();
  const after = await ctx.steps.searchVastOffers(filter);
  const afterIds = new Set(after.map((o) => o.id));
  const any = [...before, ...after.filter((o) => !before.some((b) => b.id === o.id))];
  return { result, throughout: before.filter((o) => afterIds.has(o.id)), any };
}

/** `$0.1234` */
export const usd = (v: number): string => `$${v.toFixed(4)}`;
