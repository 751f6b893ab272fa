import { boot, defineScenario, destroyAndVerify, must } from '../../kit';
import { leftUnder } from './helpers';

/** A model whose offers come and go on the market: the one searched, then left to expire. */
const QUERY = { gpu_name: 'A100 PCIE', num_gpus: 1, limit: 100 };
const WITNESS = { gpu_name: { eq: 'A100 PCIE' }, num_gpus: { eq: 1 }, type: 'on-demand', limit: 1000 };
/** Platform seconds the market is given to move an offer of the search away. */
const EXPIRY_BUDGET = 3600;

/** 96 — An offer found, gone before the create: the create is refused cleanly, nothing leaks, the retry takes the next. */
export const retryExpiredOfferScenario = defineScenario(96, 'retry-expired-offer', async (ctx) => {
  const offers = await ctx.steps.searchOffers(QUERY);
  must(offers.length > 1, `fewer than two ${QUERY.gpu_name} offers`);
  const waited = await ctx.steps.waitForOfferGone({
    offerIds: offers.map((o) => o.id),
    filter: WITNESS,
    ...(await ctx.window(EXPIRY_BUDGET)),
  });
  must(waited.goneId !== null, `no offer of the search left the market within ${EXPIRY_BUDGET}s`);
  const stale = waited.goneId!;
  ctx.metric('secondsUntilExpired', waited.platformSeconds);
  const startedAt = await ctx.steps.now();
  const attempt = await ctx.acquire('instance', 'expired', (label) =>
    ctx.steps.tryCreateOnOffer({ suiteId: ctx.suiteId, label, offerId: stale })
  );
  ctx.check(
    'expired-refused',
    'a create on the expired offer is refused',
    attempt.created === null && attempt.refusal !== null,
    attempt.refusal
      ? `HTTP ${attempt.refusal.status}: ${attempt.refusal.message}`
      : `created ${attempt.created?.instanceId}`
  );
  const leaked = await leftUnder(ctx, ctx.label('expired'));
  ctx.check(
    'no-leak-after-expired',
    'the refused create left no instance behind',
    leaked.length === 0,
    leaked.length ? leaked.join('; ') : 'nothing carries its label'
  );
  const inst = await boot(ctx, 'retry', { query: QUERY });
  const lostSeconds = ((await ctx.steps.now()) - startedAt) / 1000 / ctx.timeScale;
  ctx.metric('secondsLostToExpiredOffer', lostSeconds);
  ctx.check(
    'retry-next-offer',
    'the retry rented another offer of the search',
    inst.offerId !== stale && inst.gpuName === QUERY.gpu_name,
    `expired ${stale}, retry on ${inst.offerId} (${inst.gpuName} at $${inst.dphTotal}/h)`
  );
  await destroyAndVerify(ctx, inst);
});
