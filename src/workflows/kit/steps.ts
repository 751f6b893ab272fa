import { ActivityCancellationType, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { activityTaskQueue } from '../search-attributes';
import type { Target } from '../types';

/** Errors no retry can fix; everything else (429, 5xx, resets, malformed bodies) is retried with backoff. */
const NON_RETRYABLE = [
  'InvalidInput',
  'InvalidRequestError',
  'AuthError',
  'ValidationError',
  'PlatformLacksError',
  'PlatformUnavailableError',
];

/**
 * Activity options by intent. Every activity heartbeats, so a killed worker's activity is retried after 10 s
 * instead of its start-to-close timeout; cancellation waits for the activity, so compensations run after it.
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

/**
 * Activity proxies for one target, grouped by intent:
 * - `read`: read-only calls (searches, gets, lists, charges, clocks, read-only SSH probes): retried freely.
 * - `act`: platform actions that are idempotent by nature (pause, resume, destroy one instance): retried.
 * - `create`: creates that adopt what already carries their label, so a retry never rents twice: retried.
 * - `waits` and `run`: carry an absolute deadline fixed by the workflow before the action, so retries neither
 *   extend the wait nor restart the measurement; `sshRun` starts its command at most once (marker on the
 *   instance) and only collects the outcome on a retry.
 * - `cleanup`: destroys with its own absolute bound; past it, `CleanupIncomplete` (not retried) says what is left.
 */
export function stepsFor(target: Target) {
  const read = proxyActivities<Activities>(options(target, { startToCloseTimeout: '2m' }));
  // A few durable retries on top of the clients' own: a user's pause or destroy that keeps failing is a finding
  // for the scenario to record, not something to wait out for minutes.
  const act = proxyActivities<Activities>(
    options(target, {
      startToCloseTimeout: '2m',
      retry: { maximumAttempts: 4, maximumInterval: '5s', nonRetryableErrorTypes: NON_RETRYABLE },
    })
  );
  const create = proxyActivities<Activities>(options(target, { startToCloseTimeout: '10m' }));
  const waits = proxyActivities<Activities>(
    options(target, {
      startToCloseTimeout: '2h',
      retry: {
        maximumAttempts: 10,
        maximumInterval: '5s',
        nonRetryableErrorTypes: [...NON_RETRYABLE, 'WaitTimeout', 'InstanceFailed'],
      },
    })
  );
  const cleanup = proxyActivities<Activities>(
    options(target, {
      startToCloseTimeout: '1h',
      retry: {
        initialInterval: '1s',
        backoffCoefficient: 2,
        maximumInterval: '30s',
        // No attempt limit: the activity's own absolute deadline bounds it (then CleanupIncomplete).
        nonRetryableErrorTypes: ['InvalidInput', 'CleanupIncomplete'],
      },
    })
  );
  return {
    searchOffers: read.searchOffers,
    searchVastOffers: read.searchVastOffers,
    getInstance: read.getInstance,
    chargesForLabel: read.chargesForLabel,
    chargesForInstance: read.chargesForInstance,
    listByLabel: read.listByLabel,
    findLabelled: read.findLabelled,
    ownerStatus: read.ownerStatus,
    now: read.now,
    sshProbe: read.sshProbe,
    serverlessStatus: read.serverlessStatus,
    instanceSavings: read.instanceSavings,
    listStandbys: read.listStandbys,
    enableServerless: act.enableServerless,
    disableServerless: act.disableServerless,
    keepAlive: act.keepAlive,
    wakeServerless: create.wakeServerless,
    waitForServerlessPaused: waits.waitForServerlessPaused,
    enableAndWaitPaused: waits.enableAndWaitPaused,
    pauseInstance: act.pauseInstance,
    resumeInstance: act.resumeInstance,
    destroyInstance: act.destroyInstance,
    createInstance: create.createInstance,
    waitForRunning: waits.waitForRunning,
    waitForStopped: waits.waitForStopped,
    waitUntilGone: waits.waitUntilGone,
    waitForOffer: waits.waitForOffer,
    sshRun: waits.sshRun,
    destroyByLabel: cleanup.destroyByLabel,
  };
}

export type Steps = ReturnType<typeof stepsFor>;

/** The options by intent above, for a category's own activity proxies (e.g. `scenarios/failover/failover-steps.ts`). */
export { options as activityOptions };
