import { defineScenario, must } from '../../kit';
import { fo } from './helpers';
import { pickHosts, provisionPool } from './warm-pool-helpers';

/** The platform's health check period for warm pools (Dumont: every 10 s). */
const HEALTH_INTERVAL = 10;

/**
 * 35 — The warm pool's status reports a healthy active pool, keeps checking it, and notices when its standby GPU is
 * lost (degraded, no standby) within a few health checks.
 */
export const warmPoolHealthScenario = defineScenario(35, 'warm-pool-health', async (ctx) => {
  const hosts = await pickHosts(ctx);
  const { status: pool } = await provisionPool(ctx, 'pool', hosts);
  ctx.check(
    'reported-healthy',
    'the status reports an active, healthy pool with a stopped standby',
    pool.state === 'active' && pool.healthy !== false && pool.standby_state === 'stopped',
    `state ${pool.state}, healthy ${pool.healthy}, standby ${pool.standby_state}`
  );
  const checked = await fo(ctx).waitWarmPool({
    machineId: pool.machine_id,
    checkedAfter: pool.last_health_check ?? 0,
    ...(await ctx.window(4 * HEALTH_INTERVAL)),
  });
  must(
    ctx.check(
      'health-checked',
      'the platform checks the pool periodically (a newer health check)',
      checked.reached,
      `last health check ${checked.status?.last_health_check ?? 'none'} (was ${pool.last_health_check ?? 'none'})`
    ),
    'not checked'
  );
  must(pool.standby_gpu_id !== null, 'no standby');
  // The standby GPU goes away, as a host reclaiming it would make it.
  await ctx.steps.destroyInstance(pool.standby_gpu_id!);
  const lost = await fo(ctx).waitWarmPool({
    machineId: pool.machine_id,
    states: ['degraded', 'error'],
    ...(await ctx.window(6 * HEALTH_INTERVAL)),
  });
  const s = lost.status;
  if (lost.reached) ctx.metric('standbyLossNoticedSeconds', lost.platformSeconds);
  ctx.check(
    'standby-loss-noticed',
    `the status reports the lost standby within ${6 * HEALTH_INTERVAL}s (degraded, no standby)`,
    lost.reached && s?.standby_state === 'none' && s.healthy !== true,
    s
      ? `state ${s.state}, standby ${s.standby_state}, healthy ${s.healthy}, last check ${s.last_health_check} after ${Math.round(lost.platformSeconds)}s`
      : 'no pool'
  );
});
