/**
 * The market (`docs/simulator.md` § Market): a seeded price process per GPU model and region that moves over
 * platform time and is recorded as history (`price-model.ts`); listings other hosts put up and others rent away
 * (`market-store.ts`); every host's recorded outcomes, which make its reliability (`host-outcomes.ts`); the
 * forecast (`forecast.ts`); Dumont's market routes (`market-routes.ts`) and a live price WebSocket
 * (`price-stream.ts`). The offer search's market hooks (price and region filters) are in `offer-hooks.ts`.
 */
import { defineFeature } from '../types';
import { MARKET_DEFECTS } from './defects';
import { hangIfHostHangs } from './host-outcomes';
import { MARKET_ROUTES } from './market-routes';
import { newMarketState, recordOutcome, type MarketState } from './market-store';
import { PRICE_STREAM_ROUTES, startTicker } from './price-stream';
import { sampleIndex } from './price-model';
import { SPOT_ROUTES } from './spot-routes';

export type { MarketState } from './market-store';

/** The market feature module. */
export const market = defineFeature<MarketState>({
  name: 'market',
  createState: (world) => {
    const state = newMarketState(world);
    startTicker(world, state);
    return state;
  },
  defects: MARKET_DEFECTS,
  routes: { dumont: [...MARKET_ROUTES, ...PRICE_STREAM_ROUTES, ...SPOT_ROUTES] },
  on: {
    create: ({ instance }, { world, state }) => hangIfHostHangs(world, state, instance),
    boot: ({ instance, at }, { state }) =>
      recordOutcome(state, instance.offer.machine_id, { at, ok: true, kind: 'boot', instanceId: instance.id }),
    'host-failure': ({ instance, at }, { state }) =>
      recordOutcome(state, instance.offer.machine_id, { at, ok: false, kind: 'interruption', instanceId: instance.id }),
  },
  view: ({ world, state }) => ({
    sample: sampleIndex(world.clock.platformNow()),
    listings: [...state.listings.values()]
      .filter((l) => l.takenAt === null)
      .map((l) => ({
        offer_id: l.offer.id,
        machine_id: l.offer.machine_id,
        gpu_name: l.offer.gpu_name,
        region: l.region,
        dph_total: l.offer.dph_total,
        hangs: l.hangs,
      })),
    taken: [...state.listings.values()].filter((l) => l.takenAt !== null).length,
    subscribers: state.subscribers.size,
  }),
  shutdown: ({ world, state }) => {
    if (state.ticker) world.clock.cancel(state.ticker);
    state.ticker = null;
    state.subscribers.clear();
  },
});
