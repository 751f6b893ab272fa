import path from 'node:path';
import { webUiBaseFor } from './client/reporters/context';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { createRunKeyStore } from './activities/run-keys';
import { ConfigError, missingCredentials, TARGET_DEFAULTS, type HarnessConfig } from './config';
import { noteRetry } from './activities/retry-notes';
import { createSemaphore } from './activities/semaphore';
import { createDumontClient } from './platform/dumont/client';
import { createObjectStoreClient } from './platform/object-store';
import { createVastClient } from './platform/vast/client';
import { activityTaskQueue, TASK_QUEUE } from './workflows/search-attributes';
import { cachedWorkflowBundle } from './workflow-bundle';

export const WORKFLOWS_PATH = require.resolve('./workflows/index.ts');

/** Activity implementations wired to the configured platform (secrets come from the config, i.e. the env). */
export function activitiesFor(config: HarnessConfig) {
  const missing = missingCredentials(config);
  if (missing.length)
    throw new ConfigError(`target ${config.target} needs ${missing.join(', ')} in the worker's environment`);
  const limits = config.limits ?? TARGET_DEFAULTS[config.target];
  const transport = {
    timeoutMs: limits.readTimeoutSeconds * 1000,
    unavailableAfterMs: limits.unavailableAfterSeconds * 1000,
    // Every retryable error shows in the running activity's heartbeat and in its failure, not only in logs.
    onRetryableError: (e: Error) => noteRetry(e.message),
  };
  const vast = createVastClient({ baseUrl: config.vastUrl, apiKey: config.vastApiKey!, ...transport });
  const dumontOptions = { ...transport, createTimeoutMs: limits.createTimeoutSeconds * 1000 };
  const dumont = config.dumontToken
    ? createDumontClient({ baseUrl: config.dumontUrl!, token: config.dumontToken }, dumontOptions)
    : createDumontClient(
        { baseUrl: config.dumontUrl!, email: config.dumontEmail!, password: config.dumontPassword! },
        dumontOptions
      );
  if (!config.keySecret) {
    throw new ConfigError(
      "the worker needs DUMONT_E2E_KEY_SECRET (at least 32 characters, the same on every worker) to derive suites' SSH keys"
    );
  }
  // Links in the reports the suite writes: the configured Web UI, else the one beside a loopback frontend.
  const webUiUrl = config.webUiUrl ?? webUiBaseFor(config.temporalAddress, {});
  return createActivities({
    dumont,
    vast,
    keys: createRunKeyStore(config.keySecret, vast),
    createSlots: createSemaphore(limits.maxConcurrentCreates),
    ...(config.objectStore ? { objectStore: createObjectStoreClient(config.objectStore) } : {}),
    // A create that lands late is looked for as long as the platform may still be working on it.
    createLandingWindowMs: limits.createLandingSeconds * 1000,
    reports: {
      dataDir: config.dataDir,
      reportsDir: config.reportsDir ?? path.join(config.dataDir, 'reports'),
      namespace: config.namespace,
      ...(webUiUrl ? { webUiUrl } : {}),
      ...(config.webhookUrl ? { webhookUrl: config.webhookUrl } : {}),
    },
  });
}

export interface WorkerHandle {
  /** Resolves when both workers stopped (after `shutdown()` or a fatal error). */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Two workers in one process: workflows on `dumont-e2e` (any target) and activities on `dumont-e2e@<target>`,
 * so a worker holding real credentials never receives simulator work and vice versa.
 */
export async function createWorkers(
  config: HarnessConfig,
  opts: { connection?: NativeConnection; workflowBundle?: WorkerOptions['workflowBundle']; taskQueue?: string } = {}
): Promise<WorkerHandle> {
  const activities = activitiesFor(config);
  const connection = opts.connection ?? (await NativeConnection.connect({ address: config.temporalAddress }));
  const taskQueue = opts.taskQueue ?? TASK_QUEUE;
  const workflows = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue,
    // Prebuilt once per version of the code (src/workflow-bundle.ts): ready in about a second, not after webpack.
    workflowBundle: opts.workflowBundle ?? (await cachedWorkflowBundle(config.dataDir, WORKFLOWS_PATH)),
    maxConcurrentActivityTaskExecutions: 1,
  });
  const acts = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: activityTaskQueue(config.target, taskQueue),
    activities,
    maxConcurrentActivityTaskExecutions: 200,
    // Heartbeats carry what a wait has observed (e.g. the platform's idle_since, cleared once it pauses): sent
    // within a second rather than 80% of the heartbeat timeout later, so a worker killed meanwhile does not lose it.
    maxHeartbeatThrottleInterval: '1s',
    // Let an in-flight create or destroy finish on SIGTERM instead of abandoning it mid-call.
    shutdownGraceTime: '30s',
  });
  return {
    async run() {
      try {
        await Promise.all([workflows.run(), acts.run()]);
      } finally {
        if (!opts.connection) await connection.close();
      }
    },
    shutdown() {
      for (const w of [workflows, acts]) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}
