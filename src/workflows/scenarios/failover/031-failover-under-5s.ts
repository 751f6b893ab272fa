import { defineScenario, must } from '../../kit';
import { awaitRecord, FAILOVER_BUDGET, fo, phaseMetrics, phasesText, protectedGpu } from './helpers';

/** The seed's limit: from detection to an active standby, platform seconds. */
const LIMIT_SECONDS = 5;

/**
 * Real seconds of latency we cannot take out of our own observation (a poll, a TCP connect, the event loop): on a
 * compressed clock they are many platform seconds, so the comparison allows them, converted (0.2 s real = 20
 * platform s at the simulator's usual 0.01; 0.2 s on a real platform).
 */
const REAL_LATENCY_SECONDS = 0.2;

/**
 * 31 — From detection to serving in under 5 s: the failure is injected and, in the same activity, the service endpoint
 * is watched until it answers SSH again (our own observation, on the platform's clock); detection is the platform's.
 * The platform's phases are reported beside what we measured.
 */
export const failoverUnder5sScenario = defineScenario(31, 'failover-under-5s', async (ctx) => {
  const { gpu, standby } = await protectedGpu(ctx);
  const watch = await fo(ctx).failAndWatchEndpoint({
    gpuInstanceId: gpu.instanceId,
    reason: 'gpu_host_down',
    endpoint: standby.service,
    ...(await ctx.window(FAILOVER_BUDGET)),
  });
  const record = await awaitRecord(ctx, watch.failoverId, {
    check: 'failover-completed',
    name: 'the platform detected the failure and failed over to the standby',
    budgetSeconds: FAILOVER_BUDGET,
  });
  phaseMetrics(ctx, record);
  must(
    ctx.check(
      'endpoint-served',
      'the service endpoint answered SSH again after the failure',
      watch.servedAt !== null,
      watch.servedAt !== null ? `after ${watch.polls} polls` : `no SSH banner within ${FAILOVER_BUDGET}s`
    ),
    'never served'
  );
  const detected = record.detected_at;
  const measured = detected !== null ? watch.servedAt! - detected : undefined;
  const reported = record.serving_at !== null && detected !== null ? record.serving_at - detected : null;
  if (measured !== undefined) ctx.metric('detectionToServingSeconds', measured);
  if (reported !== null) ctx.metric('reportedDetectionToServingSeconds', reported);
  const allowance = REAL_LATENCY_SECONDS / ctx.timeScale;
  ctx.limit({
    id: 'failover-under-5s',
    what: 'detection to serving',
    measured,
    op: '<=',
    limit: LIMIT_SECONDS + allowance,
    unit: 's',
    note:
      `the seed's ${LIMIT_SECONDS} s + ${Math.round(allowance * 10) / 10} s for ${REAL_LATENCY_SECONDS} s of our own latency; ` +
      `platform reports ${reported === null ? 'nothing' : `${Math.round(reported * 100) / 100} s`} (${phasesText(record)})` +
      (watch.anchoredOnServerTime ? '' : '; measured on our clock (the platform gave no server time)'),
    ...(detected === null ? { note: 'the platform reported no detection time' } : {}),
  });
});
