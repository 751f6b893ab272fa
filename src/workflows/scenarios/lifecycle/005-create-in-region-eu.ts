import { boot, defineScenario, destroyAndVerify, inEurope, must } from '../../kit';

/** 5 — Force the EU region: every offer and the rented host are in Europe. */
export const createInRegionEuScenario = defineScenario(5, 'create-in-region-eu', async (ctx) => {
  const offers = await ctx.steps.searchOffers({ region: 'EU', num_gpus: 1, limit: 100 });
  must(
    ctx.check('offers-listed', 'Dumont lists offers for region=EU', offers.length > 0, `${offers.length} offers`),
    'no offers'
  );
  const outside = offers.filter((o) => !inEurope(o.geolocation));
  ctx.check(
    'offers-in-region',
    'every offer returned for region=EU is in Europe',
    outside.length === 0,
    outside.length
      ? `outside: ${outside
          .slice(0, 5)
          .map((o) => `${o.id} ${o.geolocation}`)
          .join('; ')}`
      : `${offers.length} offers`
  );
  // Rent through the same filter (the first free offer), as a user forcing the region would.
  const inst = await boot(ctx, 'main', { query: { region: 'EU', num_gpus: 1, gpu_name: 'RTX 3090' } });
  ctx.check(
    'host-in-region',
    'VAST geolocates the rented host in Europe',
    inEurope(inst.geolocation),
    inst.geolocation
  );
  await destroyAndVerify(ctx, inst);
});
