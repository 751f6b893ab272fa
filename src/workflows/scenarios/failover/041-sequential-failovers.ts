import { defineScenario, must } from '../../kit';
import {
  awaitRecord,
  FAILOVER_BUDGET,
  fo,
  manifestDiff,
  manifestOn,
  onEndpoint,
  phaseMetrics,
  protectedGpu,
  REPLACEMENT_BUDGET,
  runOn,
  syncAfterNow,
} from './helpers';

/** The seed's window: three failovers within ten minutes. */
const WINDOW_SECONDS = 600;

/**
 * 41 — Three failovers within ten minutes, each verified: the GPU fails, the standby serves the data (including what
 * was written since the last failover), a failback brings a new GPU, and the next failure hits that one.
 */
export const sequentialFailoversScenario = defineScenario(41, 'sequential-failovers', async (ctx) => {
  const { gpu, standby } = await protectedGpu(ctx);
  const service = onEndpoint(standby.service, 'the service endpoint');
  let current = gpu.instanceId;
  let firstFailure: number | null = null;
  let lastServing: number | null = null;
  for (let round = 1; round <= 3; round++) {
    const marker = await runOn(ctx, service, `mark-${round}`, `printf round-${round} > data/round.txt && echo ok`);
    must(
      ctx.check(
        `marked-${round}`,
        `round ${round}: data written before the failure`,
        marker.stdout.includes('ok'),
        marker.stderr
      ),
      'no mark'
    );
    const expected = await manifestOn(ctx, service, 'data', {
      id: `marked-${round}`,
      name: 'manifest before the failure',
    });
    must(expected !== undefined, 'no manifest');
    await syncAfterNow(ctx, standby, `synced-${round}`);
    const failure = await fo(ctx).simulateFailure({ gpuInstanceId: current, reason: 'gpu_host_down' });
    firstFailure ??= failure.failed_at;
    const record = await awaitRecord(ctx, failure.failover_id, {
      check: `failover-${round}`,
      name: `failover ${round} of 3 completed`,
      budgetSeconds: FAILOVER_BUDGET,
    });
    phaseMetrics(ctx, record, `failover${round}`);
    lastServing = record.serving_at;
    const served = await manifestOn(ctx, service, 'data');
    ctx.check(
      `data-after-${round}`,
      `failover ${round}: the standby serves the data as it was before the failure`,
      manifestDiff(expected!, served) === `${expected!.length} files identical`,
      manifestDiff(expected!, served)
    );
    if (round === 3) break;
    const back = await fo(ctx).failback({ gpuInstanceId: current });
    const done = await awaitRecord(ctx, back.failover_id, {
      check: `failback-${round}`,
      name: `failback ${round} onto a new GPU completed`,
      budgetSeconds: REPLACEMENT_BUDGET,
    });
    must(done.new_gpu_id !== null, 'no new GPU');
    current = done.new_gpu_id!;
  }
  ctx.limit({
    id: 'within-10-minutes',
    what: 'first failure to the third failover serving',
    measured: firstFailure !== null && lastServing !== null ? lastServing - firstFailure : undefined,
    op: '<=',
    limit: WINDOW_SECONDS,
    unit: 's',
    note: 'on the platform clock',
  });
});
