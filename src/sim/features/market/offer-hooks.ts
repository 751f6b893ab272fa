/**
 * The market's hooks into Dumont's offer search (`src/sim/dumont/dumont-offers.ts`): the price and region
 * comparisons it makes, where the price-filter-ignored and region-offers-not-partitioned defects live.
 */
import type { SimWorld } from '../../world';

/** Whether an offer of `price` passes a `max_price` of `maxPrice`. */
export function withinMaxPrice(world: SimWorld, price: number, maxPrice: number): boolean {
  // The defect: the price is truncated to the tenth of a dollar before the comparison ($0.29 passes $0.20).
  return (world.has('price-filter-ignored') ? Math.floor(price * 10) / 10 : price) <= maxPrice;
}

/** Whether the search applies its `region` filter (the defect drops it for Asia). */
export function appliesRegion(world: SimWorld, region: string): boolean {
  return !(world.has('region-offers-not-partitioned') && ['ASIA', 'APAC'].includes(region.trim().toUpperCase()));
}
