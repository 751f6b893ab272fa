/**
 * Runs one scenario on a worker whose activities are the real ones against a running simulator, except that one
 * activity's results pass through `taint` first: a test reproduces exactly what an outage or a transient platform
 * hiccup does to one observation, and nothing else.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSim } from '../../src/sim';
import { activitiesFor } from '../../src/worker';
import { activityTaskQueue } from '../../src/workflows/search-attributes';
import type { ScenarioResult } from '../../src/workflows/types';
import { SIM_API_KEY, SIM_USER, simHarnessConfig } from './harness';
import { bundleWorkflowsOnce, createTestEnv } from './temporal-env';

/** A Temporal test server and a simulator at `timeScale`, for {@link runTainted}; `stop()` ends both. */
export interface TaintStack {
  env: TestWorkflowEnvironment;
  sim: RunningSim;
  /** The harness's data folder (reports, keys). */
  dir: string;
  timeScale: number;
  stop(): Promise<void>;
}

/** Starts a {@link TaintStack}. */
export async function startTaintStack(timeScale: number): Promise<TaintStack> {
  const env = await createTestEnv();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-taint-'));
  const sim = await startSimulator({
    apiKey: SIM_API_KEY,
    users: [SIM_USER],
    timeScale,
    dataDir: path.join(dir, 'sim'),
  });
  return {
    env,
    sim,
    dir,
    timeScale,
    async stop() {
      await sim.stop();
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What {@link runTainted} needs. */
export interface TaintedRun {
  stack: TaintStack;
  workflowType: string;
  /** The suite id (labels start with it) and the task queue's name. */
  suiteId: string;
  /** The activity whose results are changed. */
  activity: string;
  /** Changes the `call`-th (1-based) result of `activity` (or delays it), or returns it as it is. */
  taint: (seen: Record<string, unknown>, call: number) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** Runs the scenario to its end; returns its result (also a failed one) and how many times `activity` ran. */
export async function runTainted(run: TaintedRun): Promise<{ result: ScenarioResult; calls: number }> {
  const { env, sim, dir, timeScale } = run.stack;
  const real = activitiesFor(simHarnessConfig(env.address, sim, dir));
  const original = real[run.activity as keyof typeof real] as unknown as (
    input: unknown
  ) => Promise<Record<string, unknown>>;
  let calls = 0;
  const activities = {
    ...real,
    async [run.activity](input: unknown) {
      return run.taint(await original(input), ++calls);
    },
  };
  const taskQueue = run.suiteId;
  const workflows = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowsOnce(),
  });
  const acts = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: activityTaskQueue('sim', taskQueue),
    activities,
  });
  const running = [workflows.run(), acts.run()];
  try {
    const result = (await env.client.workflow
      .execute(run.workflowType, {
        taskQueue,
        workflowId: `${taskQueue}/${run.workflowType}`,
        args: [{ suiteId: run.suiteId, target: 'sim', timeScale }],
      })
      .catch((err: { cause?: { details?: unknown[] } }) => {
        const failed = err.cause?.details?.[0] as ScenarioResult | undefined;
        if (!failed) throw err;
        return failed;
      })) as ScenarioResult;
    return { result, calls };
  } finally {
    workflows.shutdown();
    acts.shutdown();
    await Promise.all(running);
  }
}
