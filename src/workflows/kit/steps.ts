import {
  ActivityCancellationType,
  proxyActivities,
  workflowInfo,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { activityTaskQueue } from '../search-attributes';
import { withSummaries } from './summaries';
import type { Target } from '../types';

/** Errors no retry can fix; everything else (429, 5xx, resets, malformed bodies) is retried with backoff. */
export const NON_RETRYABLE = [
  'InvalidInput',
  'InvalidRequestError',
  'AuthError',
  'ValidationError',
  'PlatformLacksError',
  'PlatformUnavailableError',
];

/**
 * Retries of a wait. Its window is absolute (fixed by the workflow before the action), so a retry neither extends it
 * nor restarts the measurement; its timeout, or an instance that failed, is final.
 */
export const WAIT_RETRY: RetryPolicy = {
  initialInterval: 1000,
  maximumAttempts: 10,
  maximumInterval: 5000,
  nonRetryableErrorTypes: [...NON_RETRYABLE, 'WaitTimeout', 'InstanceFailed'],
};

/**
 * Heartbeat timeout of observations (`observe` below), against 10 s for every other activity: at the simulator's
 * compressed clock each second a dead worker's observation waits for its retry is tens of platform seconds unseen.
 */
export const OBSERVER_HEARTBEAT_TIMEOUT = '4s';

/** The shortest retry interval, whatever the time scale: a retry storm helps no platform. */
const MIN_RETRY_MS = 20;

/** A retry policy's intervals in platform time: the simulator's compressed clock compresses its backoff too. */
function inPlatformTime(retry: RetryPolicy, timeScale: number): RetryPolicy {
  if (timeScale >= 1) return retry;
  const scale = (ms: number | undefined) => (ms === undefined ? undefined : Math.max(MIN_RETRY_MS, ms * timeScale));
  return {
    ...retry,
    initialInterval: scale(retry.initialInterval as number),
    maximumInterval: scale(retry.maximumInterval as number),
  };
}

/**
 * Activity options by intent. Every activity heartbeats, so a killed worker's activity is retried after 10 s
 * instead of its start-to-close timeout; cancellation waits for the activity, so compensations run after it.
 * Retry intervals are milliseconds of platform time: at the simulator's compressed clock a real half-second backoff
 * would add minutes of platform time to every measured wait that a retry interrupts.
 */
function options(target: Target, timeScale: number, overrides: Partial<ActivityOptions>): ActivityOptions {
  const merged: ActivityOptions = {
    taskQueue: activityTaskQueue(target, workflowInfo().taskQueue),
    startToCloseTimeout: '5m',
    heartbeatTimeout: '10s',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      initialInterval: 500,
      backoffCoefficient: 2,
      maximumInterval: 20_000,
      maximumAttempts: 8,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
    ...overrides,
  };
  return { ...merged, retry: inPlatformTime(merged.retry!, timeScale) };
}

/**
 * Activity proxies for one target, grouped by intent:
 * - `read`: read-only calls (searches, gets, lists, charges, clocks, read-only SSH probes): retried freely.
 * - `act`: platform actions that are idempotent by nature (pause, resume, destroy one instance): retried.
 * - `create`: creates that adopt what already carries their label, so a retry never rents twice: retried.
 * - `waits` and `run`: carry an absolute deadline fixed by the workflow before the action, so retries neither
 *   extend the wait nor restart the measurement; `sshRun` starts its command at most once (marker on the
 *   instance) and only collects the outcome on a retry.
 * - `observe`: waits that observe something happening once (live logs, a price stream, the platform's own pause);
 *   as `waits`, and their worker's death is noticed within {@link OBSERVER_HEARTBEAT_TIMEOUT}.
 * - `cleanup`: destroys with its own absolute bound; past it, `CleanupIncomplete` (not retried) says what is left.
 */
export function stepsFor(target: Target, timeScale = 1) {
  const read = proxyActivities<Activities>(options(target, timeScale, { startToCloseTimeout: '2m' }));
  // A few durable retries on top of the clients' own: a user's pause or destroy that keeps failing is a finding
  // for the scenario to record, not something to wait out for minutes.
  const act = proxyActivities<Activities>(
    options(target, timeScale, {
      startToCloseTimeout: '2m',
      retry: {
        initialInterval: 1000,
        maximumAttempts: 4,
        maximumInterval: 5000,
        nonRetryableErrorTypes: NON_RETRYABLE,
      },
    })
  );
  // Creates wait out a full market (NoCapacity: every matching offer rented, by others or by this suite's parallel
  // scenarios) for about 8 platform minutes (0.5 s doubling to a minute, 14 attempts) rather than one: offers come
  // back as instances are destroyed. A narrow query (scenario 24: four offers of the simulator's catalogue) lost its
  // offers to ANY_GPU scenarios under 20 % faults and gave up after 50 platform seconds.
  const create = proxyActivities<Activities>(
    options(target, timeScale, {
      startToCloseTimeout: '10m',
      retry: {
        initialInterval: 500,
        backoffCoefficient: 2,
        maximumInterval: 60_000,
        maximumAttempts: 14,
        nonRetryableErrorTypes: NON_RETRYABLE,
      },
    })
  );
  const waits = proxyActivities<Activities>(
    options(target, timeScale, { startToCloseTimeout: '2h', retry: WAIT_RETRY })
  );
  // Observations of something that happens once (a job's live logs, a price stream, the platform's own pause): a
  // retry after a worker died cannot see again what it missed, so their worker's death is noticed sooner. With the
  // worker's 1 s heartbeat throttle (src/worker.ts) a live attempt still beats about four times per timeout.
  const observe = proxyActivities<Activities>(
    options(target, timeScale, {
      startToCloseTimeout: '2h',
      heartbeatTimeout: OBSERVER_HEARTBEAT_TIMEOUT,
      retry: WAIT_RETRY,
    })
  );
  const cleanup = proxyActivities<Activities>(
    options(target, timeScale, {
      startToCloseTimeout: '1h',
      retry: {
        initialInterval: 1000,
        backoffCoefficient: 2,
        maximumInterval: 30_000,
        // No attempt limit: the activity's own absolute deadline bounds it (then CleanupIncomplete).
        nonRetryableErrorTypes: ['InvalidInput', 'CleanupIncomplete'],
      },
    })
  );
  // Every call carries a one-line summary for the Web UI's timeline (user metadata, not replayed).
  return withSummaries({
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
    deploymentView: read.deploymentView,
    deploymentHealth: read.deploymentHealth,
    chatCompletion: read.chatCompletion,
    modelRequest: read.modelRequest,
    chatStreamed: read.chatStreamed,
    measureThroughput: read.measureThroughput,
    transcribeSpeech: read.transcribeSpeech,
    generateImage: read.generateImage,
    embedTexts: read.embedTexts,
    spreadRequests: read.spreadRequests,
    deployModel: create.deployModel,
    deleteDeployment: act.deleteDeployment,
    scaleDeployment: act.scaleDeployment,
    waitForDeployment: waits.waitForDeployment,
    waitForModelHealth: waits.waitForModelHealth,
    waitForReplicas: waits.waitForReplicas,
    marketHistory: read.marketHistory,
    pricePrediction: read.pricePrediction,
    providerRanking: read.providerRanking,
    machineOutcomes: read.machineOutcomes,
    watchPrices: observe.watchPrices,
    createSpotInstance: create.createSpotInstance,
    instanceStorageCost: read.instanceStorageCost,
    tryCreateOnOffer: create.tryCreateOnOffer,
    waitForOfferGone: waits.waitForOfferGone,
    blacklistMachine: create.blacklistMachine,
    blacklistEntries: read.blacklistEntries,
    unblacklistMachine: act.unblacklistMachine,
    enableServerless: act.enableServerless,
    disableServerless: act.disableServerless,
    keepAlive: act.keepAlive,
    wakeServerless: create.wakeServerless,
    waitForServerlessPaused: observe.waitForServerlessPaused,
    enableAndWaitPaused: observe.enableAndWaitPaused,
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
    // Snapshots (scenarios 43–52): backups and restores are long, started once and adopted by tag on a retry.
    listSnapshots: read.listSnapshots,
    bucketUsage: read.bucketUsage,
    createSnapshot: create.createSnapshot,
    restoreSnapshot: create.restoreSnapshot,
    deleteSnapshot: act.deleteSnapshot,
    keepSnapshotForever: act.keepSnapshotForever,
    setRetentionPolicy: act.setRetentionPolicy,
    cleanupSnapshots: act.cleanupSnapshots,
    // Migration (scenarios 91–95): started once; a retry adopts the migration in flight by label.
    estimateMigration: read.estimateMigration,
    migrateInstance: create.migrateInstance,
    migrateWhileServing: create.migrateWhileServing,
    // Fine-tuning (scenarios 77–84): a job is started once and adopted by its name; waits carry their window.
    uploadFinetuneDataset: read.uploadFinetuneDataset,
    startFinetuneJob: create.startFinetuneJob,
    getFinetuneJob: read.getFinetuneJob,
    finetuneLogSummary: read.finetuneLogSummary,
    finetuneCheckpoints: read.finetuneCheckpoints,
    bucketCheckpoints: read.bucketCheckpoints,
    readExport: read.readExport,
    verifyBucketObjects: read.verifyBucketObjects,
    waitForFinetune: waits.waitForFinetune,
    followFinetuneLogs: observe.followFinetuneLogs,
    waitForNoInstance: waits.waitForNoInstance,
    cancelFinetuneJob: act.cancelFinetuneJob,
    exportFinetune: create.exportFinetune,
    // Jobs (scenarios 53–64): a submit adopts the job already named with its label; waits carry their window.
    submitJob: create.submitJob,
    getJob: read.getJob,
    jobLogs: read.jobLogs,
    onDemandPrice: read.onDemandPrice,
    bucketDigests: read.bucketDigests,
    cancelJob: act.cancelJob,
    waitJob: waits.waitJob,
  });
}

export type Steps = ReturnType<typeof stepsFor>;

/** The options by intent above, for a category's own activity proxies (e.g. `scenarios/failover/failover-steps.ts`). */
export { options as activityOptions };
