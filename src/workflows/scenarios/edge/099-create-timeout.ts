import { boot, defineScenario, destroyAndVerify, timeToRunning } from '../../kit';
import { leastReliableOffer, leftUnder, SLOW_QUERY } from './helpers';

/** Another region than scenario 97's, so the two never want the same slow host. */
const QUERY = { ...SLOW_QUERY, region: 'US' };

/** Platform seconds a create may take before the client gives up (a normal boot takes about 100 s). */
const CREATE_LIMIT = 300;
/** Platform seconds a destroyed instance has to leave both lists. */
const GONE_BUDGET = 120;

/** 99 — A create on a slow host: abandoned at the limit, what was created destroyed, and a reliable host rented instead. */
export const createTimeoutScenario = defineScenario(99, 'create-timeout', async (ctx) => {
  const offer = await leastReliableOffer(ctx, QUERY);
  ctx.metric('offerReliability', offer.reliability);
  const window = await ctx.window(CREATE_LIMIT);
  const inst = await ctx.rent('slow', { offerId: offer.id });
  const up = await timeToRunning(ctx, inst, window);
  const abandonedAfter = ((await ctx.steps.now()) - window.startedAtMs) / 1000 / ctx.timeScale;
  ctx.check(
    'create-stuck',
    `the create on the least reliable host (${offer.reliability}) did not come up within ${CREATE_LIMIT}s`,
    up.seconds === undefined,
    up.seconds === undefined
      ? (up.note ?? 'not running')
      : `it came up after ${Math.round(up.seconds)}s: nothing to abandon`
  );
  ctx.metric('abandonedAfterSeconds', abandonedAfter);
  await ctx.steps.destroyInstance(inst.instanceId);
  const gone = await ctx.steps.waitUntilGone({ instanceId: inst.instanceId, ...(await ctx.window(GONE_BUDGET)) });
  ctx.check(
    'stuck-destroyed',
    `the abandoned instance is gone from the Dumont and VAST lists within ${GONE_BUDGET}s`,
    gone.gone,
    gone.gone
      ? `${inst.instanceId} gone after ${Math.round(gone.platformSeconds)}s`
      : `${inst.instanceId} still listed at ${gone.seenAt.join(' and ')}`
  );
  const left = await leftUnder(ctx, ctx.label('slow'));
  ctx.check(
    'nothing-left',
    "nothing carries the abandoned create's label",
    left.length === 0,
    left.join('; ') || 'none'
  );
  // What a user does next: rent a reliable host instead, which comes up as usual.
  const next = await boot(ctx, 'retry', { query: { ...QUERY, min_reliability: 0.9 } });
  await destroyAndVerify(ctx, next, { check: 'retry-destroyed', what: 'instance on a reliable host' });
});
