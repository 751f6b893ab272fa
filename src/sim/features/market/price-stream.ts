/**
 * Live prices on a WebSocket (`GET /market/prices/ws`, an extension: Dumont has no WebSocket, see
 * `docs/platform-contract.md` § Market). A subscriber gets a snapshot of the current sample, then one message
 * per GPU and region each time the market records a new sample — pushed by the market's ticker as it happens.
 * The ticker also moves the listings. Under the price-stream-frozen defect only the snapshot is ever sent.
 */
import type { WebSocket } from 'ws';
import type { SimRequest } from '../../core/http/sim-http';
import type { SimWorld } from '../../world';
import type { FeatureContext, FeatureRoute } from '../types';
import { churn, CHURN_SECONDS, type MarketState, type PriceSubscriber } from './market-store';
import { marketGpu } from './market-routes';
import { MARKET_GPUS, MARKET_REGIONS, SAMPLE_SECONDS, sampleIndex } from './price-model';

/** Platform seconds between two looks of the ticker (new sample to publish, listings to move). */
export const TICK_SECONDS = 30;

function pricesAt(state: MarketState, gpus: readonly string[], index: number) {
  return gpus.flatMap((g) =>
    MARKET_REGIONS.map((r) => ({ gpu_name: g, region: r, price: state.prices.priceAt(g, r, index) }))
  );
}

/** Publishes the current sample to every subscriber if it is new. */
function publish(world: SimWorld, state: MarketState): void {
  const index = sampleIndex(world.clock.platformNow());
  if (index <= state.lastSample) return;
  state.lastSample = index;
  for (const sub of state.subscribers) {
    const gpus = sub.gpuName ? [sub.gpuName] : MARKET_GPUS;
    sub.send({ type: 'price', sample: index, epoch: index * SAMPLE_SECONDS, prices: pricesAt(state, gpus, index) });
  }
}

/** Starts the market's ticker: publishes each new sample to the subscribers and moves the listings. */
export function startTicker(world: SimWorld, state: MarketState): void {
  let sinceChurn = 0;
  const tick = (): void => {
    publish(world, state);
    sinceChurn += TICK_SECONDS;
    if (sinceChurn >= CHURN_SECONDS) {
      sinceChurn = 0;
      churn(world, state);
    }
    state.ticker = world.clock.after(TICK_SECONDS, tick);
  };
  state.ticker = world.clock.after(TICK_SECONDS, tick);
}

function subscribe(socket: WebSocket, req: SimRequest, { world, state }: FeatureContext<MarketState>): void {
  // An extension: the real server has no WebSocket at all.
  if (world.profile === 'dumont-as-is') {
    socket.close(4404, 'Not Found');
    return;
  }
  const asked = req.query.get('gpu_name');
  const gpu = asked ? marketGpu(asked) : null;
  if (asked && !gpu) {
    socket.close(4404, `no market for ${asked}`);
    return;
  }
  // Whatever the ticker has not published yet goes out first, so the snapshot is the latest published sample.
  publish(world, state);
  const index = state.lastSample;
  const send = (message: unknown): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  send({
    type: 'snapshot',
    sample: index,
    epoch: index * SAMPLE_SECONDS,
    sample_seconds: SAMPLE_SECONDS,
    prices: pricesAt(state, gpu ? [gpu] : MARKET_GPUS, index),
  });
  const sub: PriceSubscriber = { gpuName: gpu, send };
  if (!world.has('price-stream-frozen')) state.subscribers.add(sub);
  socket.on('close', () => state.subscribers.delete(sub));
}

/** The stream route. */
export const PRICE_STREAM_ROUTES: FeatureRoute<MarketState>[] = [
  { method: 'GET', path: '/market/prices/ws', websocket: subscribe },
];
