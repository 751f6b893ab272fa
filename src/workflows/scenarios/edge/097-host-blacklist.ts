import { boot, defineScenario, destroyAndVerify, timeToRunning } from '../../kit';
import { leastReliableOffer, SLOW_QUERY } from './helpers';

/** Another region than scenario 99's, so the two never want the same slow host. */
const QUERY = { ...SLOW_QUERY, region: 'EU' };
/** Platform seconds a create may take before the host counts as failed. */
const CREATE_LIMIT = 300;

/** 97 — A host fails a create: it is blacklisted, then left out of the offer search while VAST still lists it. */
export const hostBlacklistScenario = defineScenario(97, 'host-blacklist', async (ctx) => {
  const offer = await leastReliableOffer(ctx, QUERY);
  const machineId = Number(offer.machine_id);
  const window = await ctx.window(CREATE_LIMIT);
  const inst = await ctx.rent('host', { offerId: offer.id });
  const up = await timeToRunning(ctx, inst, window);
  ctx.check(
    'host-failed',
    `the create on host ${machineId} (reliability ${offer.reliability}) did not come up within ${CREATE_LIMIT}s`,
    up.seconds === undefined,
    up.seconds === undefined ? (up.note ?? 'not running') : `it came up after ${Math.round(up.seconds)}s`
  );
  await destroyAndVerify(ctx, inst, { what: 'instance on the failed host' });
  await ctx.acquire('blacklist-entry', 'blacklist', (label) => ctx.steps.blacklistMachine({ machineId, label }));
  const listed = await ctx.steps.blacklistEntries();
  ctx.check(
    'blacklisted',
    `host ${machineId} is on the blacklist`,
    listed.some((e) => e.machineId === machineId),
    `${listed.length} machines listed`
  );
  const atDumont = await ctx.steps.searchOffers(QUERY);
  const atVast = await ctx.steps.searchVastOffers({ machine_id: { eq: machineId }, type: 'on-demand' });
  const shown = atDumont.filter((o) => Number(o.machine_id) === machineId);
  ctx.check(
    'excluded-from-search',
    'the offer search leaves the blacklisted host out',
    shown.length === 0,
    shown.length
      ? `still offered: ${shown.map((o) => o.id).join(', ')}`
      : `${atDumont.length} offers, none on ${machineId}`
  );
  ctx.check(
    'still-on-market',
    'VAST still lists the host (so the blacklist is what left it out)',
    atVast.length > 0,
    `${atVast.length} offers of ${machineId} at VAST`
  );
  // The next create goes elsewhere and runs, as a user retrying after the failure expects.
  const next = await boot(ctx, 'next', { query: QUERY });
  ctx.check(
    'next-create-elsewhere',
    'the next create lands on another host',
    next.offerId !== offer.id,
    `offer ${next.offerId} (failed host's offer ${offer.id})`
  );
  await destroyAndVerify(ctx, next, { check: 'next-destroyed', what: 'instance on another host' });
  await ctx.steps.unblacklistMachine({ machineId });
  const back = (await ctx.steps.searchOffers(QUERY)).some((o) => Number(o.machine_id) === machineId);
  ctx.check(
    'back-after-removal',
    'removed from the blacklist, the host is offered again',
    back,
    back ? 'offered again' : 'still missing'
  );
});
