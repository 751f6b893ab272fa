import { defineScenario, must } from '../../kit';
import {
  awaitRecord,
  FAILOVER_BUDGET,
  fo,
  manifestDiff,
  manifestOn,
  readManifest,
  sameManifest,
  onEndpoint,
  phaseMetrics,
  protectedGpu,
  REPLACEMENT_BUDGET,
  runOn,
} from './helpers';

/** The seed's window: three failovers within ten minutes. */
const WINDOW_SECONDS = 600;

/**
 * 41 — Three failovers within ten minutes, each verified: the GPU fails, the standby serves the data; what is written
 * there goes back to a new GPU with the failback, and the next failure hits that GPU: the standby must serve it all
 * again, every time. The ten minutes are the platform's: its three failovers (failure to serving) and two failbacks
 * back to back; our verifications between them are not its time (on a compressed clock they would dominate).
 */
export const sequentialFailoversScenario = defineScenario(41, 'sequential-failovers', async (ctx) => {
  const { gpu, data, standby } = await protectedGpu(ctx);
  const service = onEndpoint(standby.service, 'the service endpoint');
  let expected = data;
  let current = gpu.instanceId;
  let firstFailure: number | null = null;
  let lastServing: number | null = null;
  let platformSeconds = 0;
  let timed = true;
  for (let round = 1; round <= 3; round++) {
    const failure = await fo(ctx).simulateFailure({ gpuInstanceId: current, reason: 'gpu_host_down' });
    firstFailure ??= failure.failed_at;
    const record = await awaitRecord(ctx, failure.failover_id, {
      check: `failover-${round}`,
      name: `failover ${round} of 3 completed`,
      budgetSeconds: FAILOVER_BUDGET,
    });
    phaseMetrics(ctx, record, `failover${round}`);
    lastServing = record.serving_at;
    if (record.serving_at !== null && record.failed_at !== null)
      platformSeconds += record.serving_at - record.failed_at;
    else timed = false;
    const served = await readManifest(ctx, service, 'data');
    ctx.check(
      `data-after-${round}`,
      `failover ${round}: the standby serves all the data written so far`,
      sameManifest(expected, served),
      manifestDiff(expected, served)
    );
    if (round === 3) break;
    // Written while the standby serves: the failback carries it to the new GPU, which the next failure hits.
    const marked = await runOn(
      ctx,
      service,
      `mark-${round}`,
      `printf round-${round} > data/round-${round}.txt && echo ok`
    );
    must(
      ctx.check(
        `marked-${round}`,
        `round ${round}: data written on the standby`,
        marked.stdout.includes('ok'),
        marked.stderr
      ),
      'no mark'
    );
    const now = await manifestOn(ctx, service, 'data', { id: `marked-${round}`, name: 'manifest on the standby' });
    must(now !== undefined, 'no manifest');
    expected = now!;
    const back = await fo(ctx).failback({ gpuInstanceId: current });
    const done = await awaitRecord(ctx, back.failover_id, {
      check: `failback-${round}`,
      name: `failback ${round} onto a new GPU completed`,
      budgetSeconds: REPLACEMENT_BUDGET,
    });
    if (done.completed_at !== null && done.started_at !== null) {
      ctx.metric(`failback${round}Seconds`, done.completed_at - done.started_at);
      platformSeconds += done.completed_at - done.started_at;
    } else timed = false;
    must(done.new_gpu_id !== null, 'no new GPU');
    current = done.new_gpu_id!;
  }
  if (firstFailure !== null && lastServing !== null)
    ctx.metric('firstFailureToLastServingSeconds', lastServing - firstFailure);
  ctx.limit({
    id: 'within-10-minutes',
    what: 'three failovers and two failbacks back to back',
    measured: timed ? platformSeconds : undefined,
    op: '<=',
    limit: WINDOW_SECONDS,
    unit: 's',
    note: timed
      ? "on the platform's clock: failure to serving, failback start to end"
      : 'the platform did not report the times of every failover and failback',
  });
});
