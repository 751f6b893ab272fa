/** Helpers of scenario 89: renting a spot instance, and what one run of the same work cost on an instance. */
import type { InstanceRef } from '../../../activities/instances';
import { failureTypeOf, must, type ScenarioContext } from '../../kit';

/** Rents the cheapest interruptible offer of `gpuName`, bidding `markup` over its minimum; the next offer if taken. */
export async function rentSpot(
  ctx: ScenarioContext,
  gpuName: string,
  markup: number
): Promise<{ inst: InstanceRef; bid: number }> {
  const offers = await ctx.steps.searchOffers({
    gpu_name: gpuName,
    num_gpus: 1,
    machine_type: 'interruptible',
    limit: 5,
  });
  must(offers.length > 0, `no interruptible ${gpuName} offer`);
  for (const offer of offers) {
    // Dumont shows an interruptible offer's minimum bid as its dph_total.
    const bid = Math.round(offer.dph_total * markup * 10_000) / 10_000;
    try {
      const inst = await ctx.acquire('instance', 'spot', (label) =>
        ctx.steps.createSpotInstance({ suiteId: ctx.suiteId, label, offerId: offer.id, bidPrice: bid })
      );
      return { inst, bid };
    } catch (err) {
      if (failureTypeOf(err) !== 'NoOffer') throw err;
    }
  }
  throw new Error(`every interruptible ${gpuName} offer was taken`);
}

/** VAST bills storage per GB-month of 30 days. */
const MONTH_SECONDS = 30 * 86_400;

/**
 * Runs `command` once on `inst` and reads what VAST billed the instance around it: in all, and for the GPU alone
 * (the total less the storage the disk accrued meanwhile at the instance's storage price).
 */
export async function costOfWork(ctx: ScenarioContext, inst: InstanceRef, command: string, budgetSeconds: number) {
  const storagePrice = (await ctx.steps.instanceStorageCost({ instanceId: inst.instanceId })) ?? 0;
  const before = await ctx.steps.chargesForInstance({ instanceId: inst.instanceId });
  const run = await ctx.run(inst, command, budgetSeconds);
  const after = await ctx.steps.chargesForInstance({ instanceId: inst.instanceId });
  const costUsd = after.costUsd - before.costUsd;
  const gpuSeconds = after.gpuSeconds - before.gpuSeconds;
  const storageUsd = ((after.storageGbSeconds - before.storageGbSeconds) * storagePrice) / MONTH_SECONDS;
  return {
    ok: run.outcome === 'completed' && run.code === 0,
    how: `${run.outcome}${run.outcome === 'completed' ? ` exit ${run.code}` : ''}${run.stderr.trim() ? `: ${run.stderr.trim().slice(-160)}` : ''}`,
    costUsd,
    gpuSeconds,
    /** $/h billed for the GPU while it ran. */
    rate: gpuSeconds > 0 ? ((costUsd - storageUsd) / gpuSeconds) * 3600 : NaN,
  };
}
