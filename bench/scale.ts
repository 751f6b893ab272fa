/**
 * Benchmark 3: N scenario-like workflows (bench/workflows `benchParked`: a few steps, then parked on a wait that a
 * signal ends) held by ONE worker in its own process: its peak resident memory once all are parked, workflow-task
 * latency from the histories, and whether the wake-up's workflow task found the workflow in the sticky cache.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBundle, devServer } from './lib/local-env';
import { eventsOf, workflowTaskLatencies } from './lib/history';
import type { BenchSizes } from './lib/options';
import { memoryOf, stopChild } from './lib/proc';
import { distribution, mib, ratio, type Distribution } from './lib/stats';

export interface ScalePoint {
  workflows: number;
  /** Peak resident memory of the worker process (VmHWM), MiB. */
  workerPeakRssMiB: number;
  /** Its resident memory with all N parked, MiB. */
  parkedRssMiB: number;
  /** Workflow task Scheduled → Started and → Completed, ms, every task of every workflow. */
  taskToStartMs: Distribution;
  taskToCompleteMs: Distribution;
  /** Workflow tasks after the first that went to the worker's sticky queue (its cache held the workflow). */
  stickyShare: number;
  /** Seconds from the first start to all N parked. */
  parkS: number;
}

export interface ScaleResult {
  points: ScalePoint[];
  /** The first size that did not fit in the time allowed, and how many of it parked meanwhile. */
  didNotFit?: { workflows: number; parked: number; afterS: number; workerRssMiB: number; error: string };
}

/** How long N workflows may take to park before the point is given up (a machine that cannot, says so). */
const PARK_TIMEOUT_MS = 240_000;

async function runWorker(address: string, taskQueue: string, codePath: string) {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(__dirname, 'scale-worker.ts'), address, taskQueue, codePath],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  let activities = 0;
  let ready = false;
  let err = '';
  child.stdout.on('data', (b: Buffer) => {
    for (const line of b.toString().split('\n')) {
      if (line === 'ready') ready = true;
      const m = /^activities (\d+)/.exec(line);
      if (m) activities = Number(m[1]);
    }
  });
  child.stderr.on('data', (b: Buffer) => void (err = (err + b.toString()).slice(-4000)));
  return {
    child,
    activities: () => activities,
    ready: () => ready,
    failed: () => (child.exitCode !== null ? `worker exited ${child.exitCode}: ${err}` : undefined),
  };
}

async function until(what: string, fn: () => boolean, check: () => string | undefined, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    const failed = check();
    if (failed) throw new Error(failed);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `fn` over `items`, at most `limit` at once. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    })
  );
  return out;
}

export async function benchScale(sizes: BenchSizes, log: (line: string) => void): Promise<ScaleResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-bench-scale-'));
  const codePath = path.join(dir, 'bundle.js');
  writeFileSync(codePath, (await benchBundle()).code);
  const env = await devServer();
  const points: ScalePoint[] = [];
  let didNotFit: ScaleResult['didNotFit'];
  try {
    for (const n of sizes.parked) {
      const taskQueue = `bench-scale-${n}-${process.pid}`;
      const w = await runWorker(env.address, taskQueue, codePath);
      try {
        await until('the worker', w.ready, w.failed, 60_000);
        const ids = Array.from({ length: n }, (_, i) => `${taskQueue}-${i}`);
        const t0 = Date.now();
        await pool(ids, 8, (id) =>
          env.client.workflow.start('benchParked', { taskQueue, workflowId: id, args: [taskQueue] })
        );
        try {
          await until(`${n} workflows parked`, () => w.activities() >= n, w.failed, PARK_TIMEOUT_MS);
        } catch (err) {
          const mem = memoryOf(w.child.pid!);
          didNotFit = {
            workflows: n,
            parked: w.activities(),
            afterS: Math.round((Date.now() - t0) / 1000),
            workerRssMiB: mem ? mib(mem.current) : NaN,
            error: (err as Error).message,
          };
          log(`  ${n}: only ${didNotFit.parked} parked after ${didNotFit.afterS} s; larger sizes skipped`);
          await pool(ids, 8, (id) =>
            env.client.workflow
              .getHandle(id)
              .terminate('bench: did not fit')
              .catch(() => undefined)
          );
          break;
        }
        const parkS = (Date.now() - t0) / 1000;
        const parked = memoryOf(w.child.pid!);
        await pool(ids, 8, (id) => env.client.workflow.getHandle(id).signal('wake'));
        await pool(ids, 8, (id) => env.client.workflow.getHandle(id).result());
        const peak = memoryOf(w.child.pid!);
        const toStart: number[] = [];
        const toComplete: number[] = [];
        let sticky = 0;
        let normal = 0;
        for (const lat of await pool(ids, 16, async (id) => workflowTaskLatencies(await eventsOf(env.client, id)))) {
          toStart.push(...lat.toStart);
          toComplete.push(...lat.toComplete);
          sticky += lat.sticky;
          normal += lat.normal - 1; // the first task of a run always goes to the normal queue
        }
        const point: ScalePoint = {
          workflows: n,
          workerPeakRssMiB: peak ? mib(peak.peak) : NaN,
          parkedRssMiB: parked ? mib(parked.current) : NaN,
          taskToStartMs: distribution(toStart),
          taskToCompleteMs: distribution(toComplete),
          stickyShare: ratio(sticky, sticky + normal),
          parkS: Math.round(parkS * 10) / 10,
        };
        log(
          `  ${n} parked: worker peak ${point.workerPeakRssMiB} MiB, task p99 ${point.taskToCompleteMs.p99} ms, sticky ${point.stickyShare}`
        );
        points.push(point);
      } finally {
        await stopChild(w.child);
      }
    }
    return { points, ...(didNotFit ? { didNotFit } : {}) };
  } finally {
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}
