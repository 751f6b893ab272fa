import { Context } from '@temporalio/activity';
import { marketApi, type PriceMessage } from '../platform/dumont/market';
import type { ActivityDeps } from './deps';
import { withHeartbeat, type WaitWindow } from './polling';

export type { MarketRecord, PricePrediction, ProviderRow } from '../platform/dumont/market';

/** A live price message with when it arrived and what the market's REST summary said right then. */
export interface ObservedPriceMessage extends PriceMessage {
  /** Real ms since the window's start. */
  arrivedAfterMs: number;
  /** The latest recorded sample's epoch per the REST summary, read as the message arrived (null if unread). */
  latestAtArrival: number | null;
}

/**
 * The window a passive observation watches. A first attempt watches the workflow's window. A retry (its worker died
 * mid-watch) watches a whole window again from now: what is left of the first one may be nothing after an outage,
 * and an observation of nothing proves nothing about the platform (chaos campaign, docs/reliability.md). Waits are
 * different: their windows are absolute, so retries never extend a deadline.
 */
export function observationWindow(
  input: WaitWindow,
  attempt = currentAttempt()
): { startedAtMs: number; deadlineMs: number } {
  if (attempt <= 1) return { startedAtMs: input.startedAtMs, deadlineMs: input.deadlineMs };
  const now = Date.now();
  return { startedAtMs: now, deadlineMs: now + Math.max(0, input.deadlineMs - input.startedAtMs) };
}

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // outside an activity (unit tests)
  }
}

/** Market activities: Dumont's market routes and its live price stream, read as a user of them would. */
export function createMarketActivities(deps: ActivityDeps) {
  const api = marketApi(deps.dumont);
  return {
    async marketHistory(input: { gpuName: string; hours: number }) {
      return api.history(input.gpuName, input.hours);
    },
    async pricePrediction(input: { gpuName: string }) {
      return api.prediction(input.gpuName);
    },
    async providerRanking(input: { limit: number; gpuName?: string }) {
      return api.providers({ limit: input.limit, ...(input.gpuName ? { gpu_name: input.gpuName } : {}) });
    },
    async machineOutcomes(input: { machineId: number }) {
      return api.machineOutcomes(input.machineId);
    },
    /**
     * Subscribes to the live prices of `gpuName` until the window closes and returns every message, each with its
     * arrival time and the latest sample the REST summary showed at that moment (the independent reading). Read-only:
     * a retry subscribes again; the socket is always closed before the activity ends.
     */
    async watchPrices(input: WaitWindow & { gpuName: string }): Promise<ObservedPriceMessage[]> {
      const { startedAtMs, deadlineMs } = observationWindow(input);
      return withHeartbeat(async () => {
        const seen: Promise<ObservedPriceMessage>[] = [];
        await api.watch(input.gpuName, Math.max(0, deadlineMs - Date.now()), (m) => {
          const arrivedAfterMs = Date.now() - startedAtMs;
          seen.push(
            api
              .latestSample()
              .catch(() => null)
              .then((latestAtArrival) => ({ ...m, arrivedAfterMs, latestAtArrival }))
          );
        });
        return Promise.all(seen);
      });
    },
  };
}
