/**
 * The failover category's activity proxies, by intent (the kit's options, `kit/steps.ts`): reads retried freely;
 * long synchronous platform calls (standby and warm-pool provisioning, the warm-pool failover) with a long timeout,
 * made idempotent by their activities (adopt by label, same pool key); waits that carry their absolute window (the kit's wait retries).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../activities';
import { activityOptions, NON_RETRYABLE, WAIT_RETRY } from '../../kit/steps';
import { withSummaries } from '../../kit/summaries';
import type { Target } from '../../types';

export function failoverSteps(target: Target, timeScale: number) {
  const read = proxyActivities<Activities>(activityOptions(target, timeScale, { startToCloseTimeout: '2m' }));
  // A failure injection, a failback or a recovery is started once per GPU by the platform (idempotent routes).
  const act = proxyActivities<Activities>(
    activityOptions(target, timeScale, {
      startToCloseTimeout: '2m',
      retry: {
        initialInterval: 500,
        backoffCoefficient: 2,
        maximumAttempts: 6,
        maximumInterval: 5_000,
        nonRetryableErrorTypes: NON_RETRYABLE,
      },
    })
  );
  const long = proxyActivities<Activities>(activityOptions(target, timeScale, { startToCloseTimeout: '30m' }));
  // As the kit's waits: each carries its absolute window, so its timeout is final.
  const waits = proxyActivities<Activities>(
    activityOptions(target, timeScale, { startToCloseTimeout: '2h', retry: WAIT_RETRY })
  );
  return withSummaries({
    standbyStatus: read.standbyStatus,
    standbyAssociation: read.standbyAssociation,
    associationByLabel: read.associationByLabel,
    failoverRecord: read.failoverRecord,
    failoverReadiness: read.failoverReadiness,
    vastInstance: read.vastInstance,
    probeEndpoint: read.probeEndpoint,
    warmPoolHosts: read.warmPoolHosts,
    warmPoolStatus: read.warmPoolStatus,
    regionalVolume: read.regionalVolume,
    searchRegionalVolumes: read.searchRegionalVolumes,
    vastVolumes: read.vastVolumes,
    configureStandby: act.configureStandby,
    startStandbySync: act.startStandbySync,
    simulateFailure: act.simulateFailure,
    failback: act.failback,
    recoverInstance: act.recoverInstance,
    cleanupWarmPool: act.cleanupWarmPool,
    provisionStandby: long.provisionStandby,
    provisionWarmPool: long.provisionWarmPool,
    warmPoolFailover: long.warmPoolFailover,
    waitStandby: waits.waitStandby,
    waitFailover: waits.waitFailover,
    waitWarmPool: waits.waitWarmPool,
    failAndWatchEndpoint: waits.failAndWatchEndpoint,
  });
}

export type FailoverSteps = ReturnType<typeof failoverSteps>;
