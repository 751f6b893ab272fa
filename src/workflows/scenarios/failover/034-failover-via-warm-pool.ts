import { defineScenario, must, showsGpuModel } from '../../kit';
import { fo, onInstance, runOn, tryProbe } from './helpers';
import { pickHosts, primaryOf, provisionPool } from './warm-pool-helpers';

/**
 * 34 — The pool's primary fails: the stopped standby GPU starts, becomes the primary and answers SSH with the data
 * the old primary wrote on the shared volume.
 */
export const failoverViaWarmPoolScenario = defineScenario(34, 'failover-via-warm-pool', async (ctx) => {
  const hosts = await pickHosts(ctx);
  const { status: pool, host } = await provisionPool(ctx, 'pool', hosts);
  const wrote = await runOn(
    ctx,
    primaryOf(pool),
    'write-shared',
    'head -c 65536 /dev/urandom > data/shared.bin && sha256sum data/shared.bin'
  );
  const expected = wrote.stdout.trim().split(/\s+/)[0] ?? '';
  must(
    ctx.check('data-written', 'data written on the shared volume', /^[0-9a-f]{64}$/.test(expected), wrote.stderr),
    'no data'
  );
  const failover = await fo(ctx).warmPoolFailover({
    machineId: pool.machine_id,
    failoversBefore: pool.failover_count ?? 0,
    timeScale: ctx.timeScale,
  });
  if (failover.measuredSeconds !== null) ctx.metric('warmPoolFailoverSeconds', failover.measuredSeconds);
  if (failover.recovery_time_seconds !== null) ctx.metric('reportedRecoverySeconds', failover.recovery_time_seconds);
  const newPrimary = failover.new_primary_gpu_id;
  must(
    ctx.check(
      'failover-answered',
      'the warm pool failed over to its standby GPU',
      failover.success && newPrimary !== null && newPrimary === pool.standby_gpu_id,
      `new primary ${newPrimary ?? 'none'} (standby was ${pool.standby_gpu_id})`
    ),
    'no failover'
  );
  const seen = await tryProbe(
    ctx,
    onInstance(newPrimary!, 'the new primary'),
    'sha256sum data/shared.bin; nvidia-smi -L | head -n 1'
  );
  ctx.check(
    'new-primary-reachable',
    'the new primary answers SSH, as a GPU machine',
    seen.code === 0 && showsGpuModel(host.gpu_name, seen.stdout),
    seen.code === 0 ? seen.stdout.trim().replace(/\n/g, ' | ') : seen.stderr.trim()
  );
  ctx.check(
    'volume-data-kept',
    'the new primary sees the data the old one wrote on the shared volume',
    seen.stdout.includes(expected),
    seen.stdout.split('\n')[0] ?? ''
  );
  const after = await fo(ctx).warmPoolStatus({ machineId: pool.machine_id });
  ctx.check(
    'pool-status-updated',
    'the pool reports the failover (new primary, failover count)',
    after?.primary_gpu_id === newPrimary && (after?.failover_count ?? 0) >= 1,
    after ? `state ${after.state}, primary ${after.primary_gpu_id}, ${after.failover_count} failovers` : 'no pool'
  );
});
