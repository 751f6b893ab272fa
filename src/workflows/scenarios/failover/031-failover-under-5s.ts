import { defineScenario } from '../../kit';
import { awaitRecord, FAILOVER_BUDGET, fo, phaseMetrics, phasesText, protectedGpu } from './helpers';

/** The seed's limit: from detection to an active standby, platform seconds. */
const LIMIT_SECONDS = 5;

/** How long after the failure the endpoint is watched: long enough to measure a slow failover, not only flag it. */
const WATCH_SECONDS = 900;

/**
 * Real seconds of latency we cannot take out of our own observation (a poll, a TCP connect, a busy machine): on a
 * compressed clock they are many platform seconds, so the comparison allows them, converted (0.5 s real = 50
 * platform s at the simulator's usual 0.01, the serverless scenarios' allowance; 0.5 s on a real platform).
 */
const REAL_LATENCY_SECONDS = 0.5;

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
    ...(await ctx.window(WATCH_SECONDS)),
  });
  const record = await awaitRecord(ctx, watch.failoverId, {
    check: 'failover-completed',
    name: 'the platform detected the failure and failed over to the standby',
    budgetSeconds: FAILOVER_BUDGET,
  });
  phaseMetrics(ctx, record);
  const detected = record.detected_at;
  const measured = detected !== null && watch.servedAt !== null ? watch.servedAt - detected : undefined;
  const reported = record.serving_at !== null && detected !== null ? record.serving_at - detected : null;
  if (measured !== undefined) ctx.metric('detectionToServingSeconds', measured);
  if (reported !== null) ctx.metric('reportedDetectionToServingSeconds', reported);
  const allowance = REAL_LATENCY_SECONDS / ctx.timeScale;
  const why =
    watch.servedAt === null
      ? `the endpoint gave no SSH banner within ${WATCH_SECONDS} s of the failure (${watch.polls} polls)`
      : detected === null
        ? 'the platform reported no detection time'
        : '';
  ctx.limit({
    id: 'failover-under-5s',
    what: 'detection to serving',
    measured,
    op: '<=',
    limit: LIMIT_SECONDS + allowance,
    unit: 's',
    note: [
      why,
      `the seed's ${LIMIT_SECONDS} s + ${Math.round(allowance * 10) / 10} s for ${REAL_LATENCY_SECONDS} s of our own latency`,
      `the platform reports ${reported === null ? 'nothing' : `${Math.round(reported * 100) / 100} s`} (${phasesText(record)})`,
      watch.anchoredOnServerTime ? '' : 'measured on our clock (the platform gave no server time)',
    ]
      .filter(Boolean)
      .join('; '),
  });
});
