import { marketApi } from '../platform/dumont/market';
import { PlatformError, TransientPlatformError } from '../platform/errors';
import type { DumontInstance, VastFilter } from '../platform/types';
import { platformSecondsSince, pollUntil, scaled, type WaitWindow } from './polling';
import type { ActivityDeps } from './deps';
import { FailureTypes, nonRetryable } from './failures';
import { describeInstance, type InstanceRef } from './instances';

/** Creates the market and edge scenarios make themselves: a spot instance, one bare attempt on a given offer. */
export function createMarketCreateActivities(deps: ActivityDeps) {
  const api = marketApi(deps.dumont);

  const refOf = (inst: DumontInstance, offerId: number, adopted: boolean) =>
    describeInstance(deps.vast, inst, offerId, adopted);

  /** The instance already labelled `label` (Dumont's list, else VAST's), if any. */
  async function adopt(label: string, offerId: number): Promise<InstanceRef | undefined> {
    const listed = await deps.dumont.listLabelled().catch(() => undefined);
    const ids = listed?.rows.filter((r) => r.label === label).map((r) => r.id) ?? [];
    if (!ids.length) ids.push(...(await deps.vast.listInstances({ label })).map((r) => r.id));
    const id = ids.sort((a, b) => a - b)[0];
    if (id === undefined) return undefined;
    const inst = await deps.dumont.getInstance(id);
    return inst ? refOf(inst, offerId, true) : undefined;
  }

  return {
    /**
     * One create on exactly `offerId` through Dumont, nothing more: no next offer, no retry of a refusal. What
     * already carries the label is adopted (a retried attempt, or what a refused create left behind). A refusal
     * comes back as data for the scenario to judge.
     */
    async tryCreateOnOffer(input: {
      suiteId: string;
      label: string;
      offerId: number;
    }): Promise<{ created: InstanceRef | null; refusal: { status: number | null; message: string } | null }> {
      await deps.keys.ensureRegistered(input.suiteId);
      const adopted = await adopt(input.label, input.offerId);
      if (adopted) return { created: adopted, refusal: null };
      try {
        const inst = await deps.dumont.createInstance({
          offer_id: input.offerId,
          label: input.label,
          skip_standby: true,
        });
        return { created: await refOf(inst, input.offerId, false), refusal: null };
      } catch (err) {
        if (err instanceof TransientPlatformError && err.mayHaveTakenEffect) throw err;
        if (!(err instanceof PlatformError)) throw err;
        return { created: null, refusal: { status: err.status ?? null, message: err.message } };
      }
    },
    /**
     * Polls VAST's own search (`filter`) until one of `offerIds` is no longer on the market, or the window closes.
     */
    async waitForOfferGone(input: WaitWindow & { offerIds: number[]; filter: VastFilter }) {
      const gone = await pollUntil(
        async () => {
          const listed = new Set((await deps.vast.searchOffers(input.filter)).map((o) => o.id));
          return input.offerIds.find((id) => !listed.has(id));
        },
        {
          deadlineMs: input.deadlineMs,
          startedAtMs: input.startedAtMs,
          intervalMs: Math.max(25, scaled(5, input.timeScale)),
        }
      );
      return { goneId: gone ?? null, platformSeconds: platformSecondsSince(input) };
    },
    /** VAST's storage price of an instance, $ per GB-month (null when VAST does not show it). */
    async instanceStorageCost(input: { instanceId: number }): Promise<number | null> {
      const row = (await deps.vast.showInstance(input.instanceId)) as (Record<string, unknown> & object) | undefined;
      const cost = row?.storage_cost;
      return typeof cost === 'number' && Number.isFinite(cost) ? cost : null;
    },
    /**
     * Rents `offerId` as a spot instance bidding `bidPrice`. A retry adopts what carries the label; an offer taken
     * meanwhile is NoOffer (the scenario picks another).
     */
    async createSpotInstance(input: {
      suiteId: string;
      label: string;
      offerId: number;
      bidPrice: number;
      image?: string;
    }): Promise<InstanceRef> {
      await deps.keys.ensureRegistered(input.suiteId);
      const adopted = await adopt(input.label, input.offerId);
      if (adopted) return adopted;
      try {
        const inst = await api.createSpot({
          offer_id: input.offerId,
          bid_price: input.bidPrice,
          label: input.label,
          ...(input.image ? { image: input.image } : {}),
        });
        return await refOf(inst, input.offerId, false);
      } catch (err) {
        const landed = await adopt(input.label, input.offerId);
        if (landed) return landed;
        if (/indispon/i.test((err as Error).message)) {
          throw nonRetryable(
            FailureTypes.NoOffer,
            `offer ${input.offerId} is not available: ${(err as Error).message}`
          );
        }
        throw err;
      }
    },
  };
}
