import { boot, checkGpus, defineScenario, destroyAndVerify, must } from '../../kit';

/** 14 — Create, destroy, and rent the very same offer again. */
export const recreateSameOfferScenario = defineScenario(14, 'recreate-same-offer', async (ctx) => {
  const query = { gpu_name: 'RTX 4090', num_gpus: 1, limit: 100 };
  const offers = await ctx.steps.searchOffers(query);
  must(
    ctx.check('offers-listed', 'Dumont lists RTX 4090 offers', offers.length > 0, `${offers.length} offers`),
    'no offers'
  );
  // The priciest one: concurrent scenarios rent the cheapest first, and must not take "our" offer meanwhile.
  const offer = offers[offers.length - 1];
  const first = await boot(ctx, 'first', { offerId: offer.id });
  must(await destroyAndVerify(ctx, first, { check: 'first-destroyed', what: 'first instance' }), 'destroy failed');
  const back = await ctx.steps.waitForOffer({ offerId: offer.id, query, ...(await ctx.window(120)) });
  must(
    ctx.check(
      'offer-released',
      'the offer is back on the market after destroy',
      back.available,
      back.available
        ? `offer ${offer.id} back after ${Math.round(back.platformSeconds)}s`
        : `offer ${offer.id} still off the market`
    ),
    'offer not released'
  );
  // Renting a fixed offer fails (NoOffer) unless the platform really rents it again.
  const second = await boot(ctx, 'second', { offerId: offer.id });
  await checkGpus(ctx, second, 'RTX 4090', 1);
  await destroyAndVerify(ctx, second, { check: 'second-destroyed', what: 'second instance' });
});
