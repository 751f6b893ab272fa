import { countryCodes, defineScenario, inEurope } from '../../kit';
import { fo } from './helpers';
import { atVast, pickHosts, provisionPool } from './warm-pool-helpers';

const inUs = (geolocation: string | null | undefined): boolean => countryCodes(geolocation ?? '').includes('US');

/**
 * 36 — Warm pools asked for in Europe and in the US each run in their region: their GPUs (as VAST places them) and
 * their regional volumes.
 */
export const multiRegionWarmPoolScenario = defineScenario(36, 'multi-region-warm-pool', async (ctx) => {
  const euHosts = await pickHosts(ctx, 'a European host', (h) => inEurope(h.geolocation ?? ''), 'eu-host-found');
  const usHosts = await pickHosts(ctx, 'a US host', (h) => inUs(h.geolocation), 'us-host-found');
  const [{ status: eu }, { status: us }] = await Promise.all([
    provisionPool(ctx, 'eu', euHosts),
    provisionPool(ctx, 'us', usHosts),
  ]);
  const [euPrimary, euStandby, usPrimary, usStandby] = await Promise.all([
    atVast(ctx, eu.primary_gpu_id),
    atVast(ctx, eu.standby_gpu_id),
    atVast(ctx, us.primary_gpu_id),
    atVast(ctx, us.standby_gpu_id),
  ]);
  const where = (r: { geolocation: string | null } | null) => r?.geolocation ?? 'nowhere';
  ctx.check(
    'pools-in-own-regions',
    "each pool's GPUs run in the region asked for (as VAST places them)",
    inEurope(where(euPrimary)) && inEurope(where(euStandby)) && inUs(where(usPrimary)) && inUs(where(usStandby)),
    `EU pool: ${where(euPrimary)} / ${where(euStandby)}; US pool: ${where(usPrimary)} / ${where(usStandby)}`
  );
  const [inEu, inUsRegion] = await Promise.all([
    fo(ctx).searchRegionalVolumes({ region: 'EU' }),
    fo(ctx).searchRegionalVolumes({ region: 'US' }),
  ]);
  ctx.check(
    'volumes-in-own-regions',
    "each pool's regional volume is found in its region",
    inEu.some((v) => v.volume_id === eu.volume_id) && inUsRegion.some((v) => v.volume_id === us.volume_id),
    `EU search: ${inEu.map((v) => v.volume_id).join(', ') || 'none'} (pool ${eu.volume_id}); US search: ${inUsRegion.map((v) => v.volume_id).join(', ') || 'none'} (pool ${us.volume_id})`
  );
});
