import { defineScenario, showsGpuModel } from '../../kit';
import { fo, probeOn, runOn } from './helpers';
import { atVast, pickHosts, primaryOf, provisionPool } from './warm-pool-helpers';

/**
 * 33 — Provisioning a warm pool on one host creates its regional volume there, a running primary GPU that mounts it
 * and a stopped standby GPU on the same host.
 */
export const provisionWarmPoolScenario = defineScenario(33, 'provision-warm-pool', async (ctx) => {
  const hosts = await pickHosts(ctx);
  const { status: pool, host } = await provisionPool(ctx, 'pool', hosts);
  const volume = pool.volume_id !== null ? await fo(ctx).regionalVolume({ volumeId: pool.volume_id }) : null;
  const atVastVolumes = await fo(ctx).vastVolumes({ labelPrefix: ctx.label('pool') });
  ctx.check(
    'volume-created',
    "the pool's regional volume exists on the host, at the platform and at VAST",
    volume !== null && volume.machine_id === host.machine_id && atVastVolumes.some((v) => v.id === pool.volume_id),
    volume
      ? `volume ${volume.volume_id} (${volume.region}) on machine ${volume.machine_id}; at VAST: ${atVastVolumes.map((v) => v.label).join(', ') || 'none'}`
      : `no regional volume ${pool.volume_id}`
  );
  const primary = await atVast(ctx, pool.primary_gpu_id);
  ctx.check(
    'primary-running',
    'the primary GPU runs on the host',
    primary?.actual_status === 'running' && primary.machine_id === host.machine_id,
    primary ? `${primary.actual_status} on machine ${primary.machine_id}` : 'no primary at VAST'
  );
  const mounted = await runOn(
    ctx,
    primaryOf(pool),
    'volume-write',
    'echo pooled > data/probe.txt && cat data/probe.txt'
  );
  ctx.check(
    'volume-mounted',
    'the primary writes to the shared volume',
    mounted.stdout.includes('pooled'),
    mounted.stdout.trim() || mounted.stderr.trim()
  );
  const standby = await atVast(ctx, pool.standby_gpu_id);
  ctx.check(
    'standby-gpu-provisioned',
    'a standby GPU exists on the same host, stopped',
    standby !== null && standby.intended_status === 'stopped' && standby.machine_id === host.machine_id,
    standby
      ? `standby ${standby.id} ${standby.intended_status}/${standby.actual_status} on machine ${standby.machine_id}`
      : `no standby GPU at VAST (the platform says ${pool.standby_gpu_id ?? 'none'}, ${pool.standby_state ?? 'no state'})`
  );
  const seen = await probeOn(ctx, primaryOf(pool), 'nvidia-smi -L | head -n 1');
  ctx.check(
    'primary-has-gpu',
    'the primary is a GPU machine',
    showsGpuModel(host.gpu_name, seen.stdout),
    seen.stdout.trim()
  );
});
