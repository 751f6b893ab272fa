import fs from 'node:fs';
import path from 'node:path';
import {
  childEnv,
  isAlive,
  stopProcess,
  readJsonIfComplete,
  readRunLog,
  spawnDetached,
  waitForProcess,
  type SpawnedProcess,
} from '../../src/client/stack/processes';
import { REPO_ROOT } from '../../src/client/stack/stack-config';
import { stackWorkerEnv, WORKER_READY_LINE } from '../../src/client/stack/worker-process';
import { generateSimCredentials, type SimCredentials } from '../../src/client/stack/sim-credentials';

const CLI = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');

/** Awaits `ready`; when it fails, SIGKILLs the process it was waiting for first, so a failed start leaves nothing. */
export async function orKill<T>(proc: SpawnedProcess, ready: Promise<T>): Promise<T> {
  try {
    return await ready;
  } catch (err) {
    if (isAlive(proc.pid)) await stopProcess(proc.pid, 0).catch(() => undefined);
    throw err;
  }
}

/** The simulator as the workers reach it. */
export interface ClusterSim {
  proc: SpawnedProcess;
  dumontUrl: string;
  vastUrl: string;
  objectStoreUrl?: string;
  credentials: SimCredentials;
}

/** `dumont-e2e sim` on random loopback ports, credentials through its environment; waits for its ready file. */
export async function startClusterSim(opts: { dir: string; logsDir: string; timeScale: number }): Promise<ClusterSim> {
  const credentials = generateSimCredentials(); // this cluster's only, never written to a file
  const readyFile = path.join(opts.dir, 'sim-ready.json');
  const proc = spawnDetached({
    name: 'sim',
    command: process.execPath,
    args: [
      CLI,
      'sim',
      '--dumont-port',
      '0',
      '--vast-port',
      '0',
      '--time-scale',
      String(opts.timeScale),
      '--ready-file',
      readyFile,
      '--data-dir',
      path.join(opts.dir, 'sim-data'),
    ],
    logsDir: opts.logsDir,
    cwd: REPO_ROOT,
    env: childEnv({ SIM_API_KEY: credentials.apiKey, SIM_USER: `${credentials.email}:${credentials.password}` }),
  });
  const ready = await orKill(
    proc,
    waitForProcess(
      'simulator',
      proc,
      `its ready file ${readyFile}`,
      () => {
        const json = readJsonIfComplete(readyFile) as
          { pid?: number; dumontUrl?: string; vastUrl?: string; objectStoreUrl?: string } | undefined;
        return json?.pid === proc.pid && json.dumontUrl && json.vastUrl ? json : undefined;
      },
      60_000
    )
  );
  return {
    proc,
    dumontUrl: ready.dumontUrl!,
    vastUrl: ready.vastUrl!,
    ...(ready.objectStoreUrl ? { objectStoreUrl: ready.objectStoreUrl } : {}),
    credentials,
  };
}

/** A `dumont-e2e worker` process of the cluster, by name (worker-1 ... worker-N; a restart keeps the name). */
export interface ClusterWorker {
  name: string;
  proc: SpawnedProcess;
}

/**
 * Starts `dumont-e2e worker` against the cluster, wired as the stack's worker is (stackWorkerEnv) but with its own data
 * dir, as on a machine of its own: every worker derives suites' SSH keys from the shared key secret, none reads
 * another's files. Waits for `worker ready` in its log.
 */
export async function startClusterWorker(opts: {
  name: string;
  dir: string;
  logsDir: string;
  temporalAddress: string;
  sim: ClusterSim;
  keySecret: string;
}): Promise<ClusterWorker> {
  const dataDir = path.join(opts.dir, opts.name);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const env = stackWorkerEnv({
    dataDir,
    temporalAddress: opts.temporalAddress,
    sim: {
      dumontUrl: opts.sim.dumontUrl,
      vastUrl: opts.sim.vastUrl,
      ...(opts.sim.objectStoreUrl ? { objectStoreUrl: opts.sim.objectStoreUrl } : {}),
    },
    credentials: opts.sim.credentials,
    keySecret: opts.keySecret,
  });
  const proc = spawnDetached({
    name: opts.name,
    command: process.execPath,
    args: [CLI, 'worker'],
    logsDir: opts.logsDir,
    cwd: REPO_ROOT,
    env: childEnv(env),
  });
  await orKill(
    proc,
    waitForProcess(
      opts.name,
      proc,
      `"${WORKER_READY_LINE}" in its log`,
      () => (readRunLog(proc).includes(WORKER_READY_LINE) ? true : undefined),
      300_000
    )
  );
  return { name: opts.name, proc };
}
