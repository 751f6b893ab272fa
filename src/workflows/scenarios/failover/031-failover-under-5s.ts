import { defineScenario } from '../../kit';
import { awaitRecord, FAILOVER_BUDGET, fo, phaseMetrics, phasesText, protectedGpu } from './helpers';

/** The seed's limit: from detection to an active standby, platform seconds. */
const LIMIT_SECONDS = 5;

/** How long after the failure the endpoint is watched: long enough to measure a slow failover, not only flag it. */
const WATCH_SECONDS = 900;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * 31 — From detection to serving in under 5 s. The failure is injected and, in the same activity, the service endpoint
 * is watched, densely, until it answers SSH again: the service came back between our last look that found nothing
 * and our first SSH banner (our own observation, on the platform's clock); detection is the platform's. The limit is
 * compared with the earlier end of that bracket: on a compressed clock a busy machine delays what we see by many
 * platform seconds, but can never make the platform look faster than it was. The platform's phases are reported
 * beside it.
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
  const reported = record.serving_at !== null && detected !== null ? record.serving_at - detected : null;
  if (reported !== null) ctx.metric('reportedDetectionToServingSeconds', reported);
  let measured: number | undefined;
  let why = '';
  if (watch.servedAt === null) {
    why = `the endpoint gave no SSH banner within ${WATCH_SECONDS} s of the failure (${watch.polls} looks)`;
  } else if (detected === null) {
    why = 'the platform reported no detection time';
  } else {
    // Served at the first look: nothing refused after detection, the service was back by then.
    measured = Math.max(0, (watch.refusedAt ?? detected) - detected);
    ctx.metric('detectionToServingSeconds', measured);
    ctx.metric('detectionToFirstBannerSeconds', watch.servedAt - detected);
  }
  ctx.limit({
    id: 'failover-under-5s',
    what: 'detection to serving',
    measured,
    op: '<=',
    limit: LIMIT_SECONDS,
    unit: 's',
    note: [
      why,
      measured !== undefined
        ? `serving came back between ${round2(measured)} s (our last refused look) and ${round2(watch.servedAt! - detected!)} s (our first SSH banner) after detection, ${watch.polls} looks`
        : '',
      `the platform reports ${reported === null ? 'nothing' : `${round2(reported)} s`} (${phasesText(record)})`,
      watch.anchoredOnServerTime ? '' : 'measured on our clock (the platform gave no server time)',
    ]
      .filter(Boolean)
      .join('; '),
  });
});
