/** Helpers of the edge scenarios: the least reliable (slow) offer, and what still carries a label. */
import type { DumontOffer, DumontOfferQuery } from '../../../platform/types';
import { must, type ScenarioContext } from '../../kit';

/** The market's unreliable hosts are where creates hang: this GPU model has some on the simulator. */
export const SLOW_QUERY: DumontOfferQuery = { gpu_name: 'H100 PCIE', num_gpus: 1, limit: 100 };

/** The least reliable offer of `query` (the one a slow create is to be expected from). */
export async function leastReliableOffer(ctx: ScenarioContext, query: DumontOfferQuery): Promise<DumontOffer> {
  const offers = await ctx.steps.searchOffers(query);
  must(offers.length > 0, `no offer for ${JSON.stringify(query)}`);
  return [...offers].sort((a, b) => a.reliability - b.reliability || a.id - b.id)[0];
}

/** Instances still carrying `label` at the platform or at VAST, as "kind label" lines. */
export async function leftUnder(ctx: ScenarioContext, label: string): Promise<string[]> {
  const found = await ctx.steps.listByLabel({ labelPrefix: label, kinds: ['instance'] });
  return found.lines;
}
