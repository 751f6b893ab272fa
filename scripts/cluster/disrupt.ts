import type { Client } from '@temporalio/client';
import type { SpawnedProcess } from '../../src/client/stack/processes';
import { suiteProgress } from './gather';
import type { ClusterWorker } from './harness-processes';
import { crashServer } from './server';
import type { SuiteRun } from './suite-run';
import type { Disruption } from './verdict';

/** What the disruptions act on. */
export interface Cluster {
  address: string;
  server: SpawnedProcess;
  restartServer(): Promise<SpawnedProcess>;
  restartWorker(name: string): Promise<ClusterWorker>;
  workers: ClusterWorker[];
}

/**
 * When each disruption fires: after a quarter of the scenarios finished, then after half (each at least one more), or
 * {@link SERVER_AFTER_WORKER_MS} after the worker kill if that comes first.
 */
export function disruptionPoints(total: number): { killWorkerAt: number; restartServerAt: number } {
  const killWorkerAt = Math.max(1, Math.floor(total / 4));
  return { killWorkerAt, restartServerAt: Math.max(killWorkerAt + 1, Math.floor(total / 2)) };
}

const POLL_MS = 500;

/**
 * The server restart comes at most this long after the worker kill, whatever the progress: scenarios of a short run
 * often finish together (CI saw 2/8 done at the kill and 8/8 at the next look), and a restart after the last one
 * proves nothing.
 */
const SERVER_AFTER_WORKER_MS = 3_000;

/**
 * Follows the suite's progress and, mid-run: SIGKILLs the second worker; later SIGKILLs the Temporal server, starts it
 * again on the same database, and restarts the killed worker. Returns what happened with the progress at that moment;
 * stops early when the run exits (the verdict then says which disruption did not land mid-run).
 */
export async function disruptMidRun(opts: {
  cluster: Cluster;
  client: Client;
  suiteId: string;
  run: SuiteRun;
  log: (line: string) => void;
}): Promise<Disruption[]> {
  const { cluster, log } = opts;
  const done: Disruption[] = [];
  let exited = false;
  void opts.run.exit.then(() => (exited = true));
  const victim = cluster.workers[1]!;
  let points: ReturnType<typeof disruptionPoints> | undefined;
  while (!exited && done.length < 2) {
    const p = await suiteProgress(opts.client, opts.suiteId);
    if (p && p.total > 0) {
      points ??= disruptionPoints(p.total);
      if (done.length === 0 && p.done >= points.killWorkerAt) {
        process.kill(victim.proc.pid, 'SIGKILL');
        done.push({ what: 'worker SIGKILL', done: p.done, total: p.total, atMs: Date.now() });
        log(
          `chaos: SIGKILL ${victim.name} (pid ${victim.proc.pid}) at ${p.done}/${p.total} scenarios done, running: ${p.running.join(', ')}`
        );
      } else if (
        done.length === 1 &&
        p.done < p.total &&
        (p.done >= points.restartServerAt || Date.now() - done[0]!.atMs >= SERVER_AFTER_WORKER_MS)
      ) {
        await crashServer(cluster.server);
        log(`chaos: SIGKILL temporal server (pid ${cluster.server.pid}) at ${p.done}/${p.total} scenarios done`);
        const t0 = Date.now();
        cluster.server = await cluster.restartServer();
        // The moment it answers again: tasks started after it prove the restarted server carried the run on.
        done.push({ what: 'server restart', done: p.done, total: p.total, atMs: Date.now() });
        log(`chaos: temporal server back (pid ${cluster.server.pid}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        const w = await cluster.restartWorker(victim.name);
        log(`chaos: ${victim.name} restarted (pid ${w.proc.pid})`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return done;
}
