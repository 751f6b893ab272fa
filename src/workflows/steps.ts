import { ActivityCancellationType, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityTaskQueue } from './search-attributes';
import type { Target } from './types';

/** Errors no retry can fix; everything else (429, 5xx, resets, malformed bodies) is retried with backoff. */
const NON_RETRYABLE = ['InvalidInput', 'InvalidRequestError', 'AuthError', 'ValidationError'];

/**
 * Activity options by kind. Every activity heartbeats, so a killed worker's activity is retried after 10 s
 * instead of its start-to-close timeout; waits let cancellation complete before compensations run.
 */
function options(target: Target, overrides: Partial<ActivityOptions>): ActivityOptions {
  return {
    taskQueue: activityTaskQueue(target, workflowInfo().taskQueue),
    startToCloseTimeout: '5m',
    heartbeatTimeout: '10s',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      initialInterval: '500ms',
      backoffCoefficient: 2,
      maximumInterval: '20s',
      maximumAttempts: 8,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
    ...overrides,
  };
}

/** Activity proxies for one target, grouped by retry profile. */
export function stepsFor(target: Target) {
  const api = proxyActivities<Activities>(options(target, { startToCloseTimeout: '2m' }));
  const create = proxyActivities<Activities>(options(target, { startToCloseTimeout: '10m' }));
  const waits = proxyActivities<Activities>(
    options(target, {
      startToCloseTimeout: '2h',
      retry: { maximumAttempts: 3, nonRetryableErrorTypes: [...NON_RETRYABLE, 'WaitTimeout', 'InstanceFailed'] },
    })
  );
  // Destroy must eventually succeed: no attempt limit, capped backoff, no schedule-to-close.
  const destroy = proxyActivities<Activities>(
    options(target, {
      startToCloseTimeout: '15m',
      retry: {
        initialInterval: '1s',
        backoffCoefficient: 2,
        maximumInterval: '30s',
        nonRetryableErrorTypes: ['InvalidInput'],
      },
    })
  );
  return {
    searchOffers: api.searchOffers,
    searchVastOffers: api.searchVastOffers,
    getInstance: api.getInstance,
    pauseInstance: api.pauseInstance,
    resumeInstance: api.resumeInstance,
    destroyInstance: api.destroyInstance,
    chargesForLabel: api.chargesForLabel,
    chargesForInstance: api.chargesForInstance,
    listByLabel: api.listByLabel,
    findLabelled: api.findLabelled,
    ownerStatus: api.ownerStatus,
    now: api.now,
    releaseRunKey: destroy.releaseRunKey,
    createInstance: create.createInstance,
    sshRun: create.sshRun,
    waitForRunning: waits.waitForRunning,
    waitForStopped: waits.waitForStopped,
    waitUntilGone: waits.waitUntilGone,
    waitForOffer: waits.waitForOffer,
    destroyByLabel: destroy.destroyByLabel,
  };
}

export type Steps = ReturnType<typeof stepsFor>;
