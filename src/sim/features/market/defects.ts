/** Defects of the market feature (`./index.ts`) and of the offer search it hooks. Pure data (the registry is imported by workflow code). */
import type { DefectDeclaration } from '../../defect-types';

/** The market's defects, one per scenario 85–90. */
export const MARKET_DEFECTS = [
  {
    name: 'price-filter-ignored',
    scenario: 85,
    check: 'all-under-max-price',
    hook: 'Dumont GET /instances/offers (market offer hooks)',
    scope: 'global',
    description:
      'The maximum-price filter compares the price truncated to the tenth of a dollar, so offers up to $0.299/h pass a $0.20/h limit.',
  },
  {
    name: 'region-offers-not-partitioned',
    scenario: 86,
    check: 'regions-partitioned',
    hook: 'Dumont GET /instances/offers (market offer hooks)',
    scope: 'global',
    description: 'The region filter is ignored for Asia: region=ASIA answers the offers of every region.',
  },
  {
    name: 'prediction-ignores-history',
    scenario: 87,
    check: 'follows-daily-pattern',
    hook: 'GET /metrics/predictions/{gpu_name} (market feature)',
    scope: 'global',
    description: "The prediction ignores the recorded history: every hour gets today's price, as Dumont's mock does.",
  },
  {
    name: 'reliability-ranking-unsorted',
    scenario: 88,
    check: 'ranked-by-reliability',
    hook: 'GET /metrics/providers (market feature)',
    scope: 'global',
    description: 'The reliability ranking is ordered by price instead of by reliability score.',
  },
  {
    name: 'spot-billed-as-on-demand',
    scenario: 89,
    check: 'spot-billed-at-bid',
    hook: 'POST /spot/instances (market feature)',
    scope: 'label',
    description: 'A spot instance is rented as a bid but billed at the on-demand price of its offer.',
  },
  {
    name: 'price-stream-frozen',
    scenario: 90,
    check: 'updates-received',
    hook: 'WebSocket /market/prices/ws (market feature)',
    scope: 'global',
    description: 'The price stream sends one snapshot and never an update.',
  },
] as const satisfies readonly DefectDeclaration[];
