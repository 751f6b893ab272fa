/**
 * The failover category's activity proxies, by intent (the kit's options, `kit/steps.ts`): reads retried freely;
 * long synchronous platform calls (standby and warm-pool provisioning, the warm-pool failover) with a long timeout,
 * made idempotent by their activities (adopt by label, same pool key); waits that carry their absolute window.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../activities';
import { activityOptions } from '../../kit/steps';
import type { Target } from '../../types';

export function failoverSteps(target: Target) {
  const read = proxyActivities<Activities>(activityOptions(target, { startToCloseTimeout: '2m' }));
  // A failure injection, a failback or a recovery is started once per GPU by the platform (idempotent routes).
  const act = proxyActivities<Activities>(
    activityOptions(target, { startToCloseTimeout: '2m', retry: { maximumAttempts: 6, maximumInterval: '5s' } })
  );
  const long = proxyActivities<Activities>(activityOptions(target, { startToCloseTimeout: '30m' }));
  const waits = proxyActivities<Activities>(
    activityOptions(target, {
      startToCloseTimeout: '2h',
      retry: { maximumAttempts: 10, maximumInterval: '5s', nonRetryableErrorTypes: ['InvalidInput', 'AuthError'] },
    })
  );
  return {
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
  };
}

export type FailoverSteps = ReturnType<typeof failoverSteps>;
