import path from 'node:path';
import { objectStoreCredentials } from '../../sim/core/object-store/credentials';
import { childEnv, readRunLog, spawnDetached, waitForProcess } from './processes';
import { REPO_ROOT, type StackConfig } from './stack-config';
import type { SimRecord, WorkerRecord } from './stack-file';
import type { SimCredentials } from './sim-credentials';

/** Identifies our worker in `/proc/<pid>/cmdline`. */
export const WORKER_MARKERS = ['dumont-e2e.cjs worker'];

/** The line the worker logs once it polls its task queues. */
export const WORKER_READY_LINE = 'worker ready';

const CLI = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');
// Bundling the workflows with webpack at start takes seconds, more on two busy CI cores.
const START_TIMEOUT_MS = 120_000;

/** What a stack worker is wired to: the stack's Temporal server, its simulator and the secrets under its data dir. */
export interface StackWorkerWiring {
  dataDir: string;
  temporalAddress: string;
  sim: Pick<SimRecord, 'dumontUrl' | 'vastUrl' | 'objectStoreUrl'>;
  credentials: SimCredentials;
  /** The key-derivation secret every worker of the stack shares (`<data>/key-secret`). */
  keySecret: string;
}

/**
 * The harness variables of a worker serving the local stack: the one definition used both by `stack up` (as the
 * environment of the worker it starts) and by `dumont-e2e worker` attaching to a running stack (as config overrides),
 * so the two are wired exactly alike. Holds secrets: pass it through an environment only, never argv or logs.
 */
export function stackWorkerEnv(w: StackWorkerWiring): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: w.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    DUMONT_E2E_TARGET: 'sim',
    DUMONT_API_URL: w.sim.dumontUrl,
    DUMONT_EMAIL: w.credentials.email,
    DUMONT_PASSWORD: w.credentials.password,
    VAST_API_URL: w.sim.vastUrl,
    VAST_API_KEY: w.credentials.apiKey,
    DUMONT_E2E_KEY_SECRET: w.keySecret,
    // Run SSH keys live under the data dir: the stack's, even when it was chosen by an option and not the env.
    DUMONT_E2E_DATA_DIR: w.dataDir,
    ...objectStoreEnv(w),
  };
}

/** The simulator's bucket as worker configuration: its keys derive from the simulator's API key, as the simulator's do. */
function objectStoreEnv(w: StackWorkerWiring): Record<string, string> {
  if (!w.sim.objectStoreUrl) return {};
  const o = objectStoreCredentials(w.credentials.apiKey);
  return {
    DUMONT_E2E_S3_ENDPOINT: w.sim.objectStoreUrl,
    DUMONT_E2E_S3_BUCKET: o.bucket,
    DUMONT_E2E_S3_REGION: o.region,
    DUMONT_E2E_S3_ACCESS_KEY_ID: o.accessKeyId,
    DUMONT_E2E_S3_SECRET_ACCESS_KEY: o.secretAccessKey,
  };
}

/**
 * Starts `dumont-e2e worker` detached against the local Temporal server and the simulator, and waits until its log
 * says `worker ready`. The simulator's credentials and the key secret reach it through its environment only (secrets
 * live in the worker's environment, never in workflow inputs or argv).
 */
export async function startWorker(
  cfg: StackConfig,
  temporalAddress: string,
  sim: SimRecord,
  credentials: SimCredentials,
  keySecret: string
): Promise<WorkerRecord> {
  const proc = spawnDetached({
    name: 'worker',
    command: process.execPath,
    args: [CLI, 'worker'],
    logsDir: cfg.logsDir,
    cwd: REPO_ROOT,
    env: childEnv(stackWorkerEnv({ dataDir: cfg.dataDir, temporalAddress, sim, credentials, keySecret })),
  });
  await waitForProcess(
    'worker',
    proc,
    `"${WORKER_READY_LINE}" in its log`,
    () => (readRunLog(proc).includes(WORKER_READY_LINE) ? true : undefined),
    START_TIMEOUT_MS
  );
  return {
    pid: proc.pid,
    temporalAddress,
    dumontUrl: sim.dumontUrl,
    simPid: sim.pid,
    timeScale: sim.timeScale,
  };
}
