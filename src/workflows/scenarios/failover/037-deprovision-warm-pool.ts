import { defineScenario } from '../../kit';
import { fo } from './helpers';
import { pickHosts, provisionPool } from './warm-pool-helpers';

/** 37 — Removing a warm pool destroys both GPUs and its volume: nothing is left at the platform or at VAST. */
export const deprovisionWarmPoolScenario = defineScenario(37, 'deprovision-warm-pool', async (ctx) => {
  const hosts = await pickHosts(ctx);
  const { status: pool } = await provisionPool(ctx, 'pool', hosts);
  const window = await ctx.window(120);
  await fo(ctx).cleanupWarmPool({ machineId: pool.machine_id });
  const gpus = [pool.primary_gpu_id, pool.standby_gpu_id].filter((id): id is number => id !== null);
  const gone = await Promise.all(gpus.map((instanceId) => ctx.steps.waitUntilGone({ instanceId, ...window })));
  ctx.metric('deprovisionSeconds', Math.max(...gone.map((g) => g.platformSeconds)));
  ctx.check(
    'gpus-destroyed',
    'both GPUs of the pool are gone from the Dumont and VAST lists',
    gpus.length === 2 && gone.every((g) => g.gone),
    gpus.map((id, i) => `${id}: ${gone[i].gone ? 'gone' : `still at ${gone[i].seenAt.join(', ')}`}`).join('; ')
  );
  const atVast = await fo(ctx).vastVolumes({ labelPrefix: ctx.label('pool') });
  const regional = pool.volume_id !== null ? await fo(ctx).regionalVolume({ volumeId: pool.volume_id }) : null;
  ctx.check(
    'volume-destroyed',
    "the pool's volume is gone from the platform and from VAST",
    atVast.length === 0 && regional === null,
    atVast.length || regional
      ? `still there: ${[...atVast.map((v) => `VAST ${v.label}`), ...(regional ? [`regional ${regional.volume_id}`] : [])].join(', ')}`
      : `volume ${pool.volume_id} gone`
  );
  const status = await fo(ctx).warmPoolStatus({ machineId: pool.machine_id });
  ctx.check('pool-removed', 'the pool is no longer known', status === null, status ? `state ${status.state}` : 'gone');
});
