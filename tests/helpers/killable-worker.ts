/**
 * The set-up of every kill -9 durability test: a real simulator in a private data directory, and a worker running as
 * its own OS process (`dumont-e2e worker`) that the test kills with SIGKILL at the moment it is about, then replaces.
 * Everything is stopped and removed afterwards, whatever the test did.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_USER } from './harness';
import { spawnWorker } from './worker-process';

/** What a durability test works with. */
export interface KillableWorker {
  sim: RunningSim;
  /** The worker's and the simulator's data directory (removed afterwards). */
  dataDir: string;
  /** Output of every worker process, in order. */
  logs: string[];
  /**
   * SIGKILLs the worker, waits until it is gone, runs `whileDown` (what the test checks with no worker alive), and
   * starts a new one on the same data directory.
   */
  killAndReplace(whileDown?: () => void | Promise<void>): Promise<void>;
}

/** Runs `body` with a simulator at `timeScale` and a killable worker process serving it for `env`. */
export async function withKillableWorker<T>(
  env: TestWorkflowEnvironment,
  opts: { name: string; timeScale: number },
  body: (w: KillableWorker) => Promise<T>
): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `dumont-e2e-${opts.name}-`));
  const sim = await startSimulator({
    apiKey: SIM_API_KEY,
    users: [SIM_USER],
    timeScale: opts.timeScale,
    dataDir: path.join(dataDir, 'sim'),
  });
  const logs: string[] = [];
  let worker: ChildProcess | undefined;
  const start = async () => {
    worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
  };
  try {
    await start();
    return await body({
      sim,
      dataDir,
      logs,
      async killAndReplace(whileDown) {
        const dying = worker!;
        const exited = new Promise((resolve) => dying.once('exit', resolve));
        dying.kill('SIGKILL');
        await exited;
        await whileDown?.();
        await start();
      },
    });
  } finally {
    worker?.kill('SIGKILL');
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
