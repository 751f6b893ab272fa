import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { startSimulator, type RunningSim } from '../../src/sim';
import type { HarnessConfig } from '../../src/config';
import { createWorkers, type WorkerHandle } from '../../src/worker';
import type { ScenarioResult } from '../../src/workflows/types';
import { afterAll, beforeAll } from 'vitest';
import { bundleWorkflowsOnce, createTestEnv } from './temporal-env';

export const SIM_API_KEY = 'test-vast-key-0123456789';
export const SIM_USER = { email: 'e2e@dumont.test', password: 'test-password-1' };

export interface SimWorker {
  sim: RunningSim;
  taskQueue: string;
  config: HarnessConfig;
  /** The simulator's clock, to pass as the workflows' `timeScale`. */
  timeScale: number;
  dataDir: string;
  /** Executes a workflow on this worker's task queue; returns its result or the ScenarioResult it failed with. */
  execute(workflowType: string, args: unknown[], workflowId?: string): Promise<Outcome>;
  stop(): Promise<void>;
}

export type Outcome =
  { ok: true; result: ScenarioResult } | { ok: false; result?: ScenarioResult; message: string; failureType?: string };

let counter = 0;

/**
 * A simulator and an in-process worker bound to it, on their own task queues, against a shared Temporal test
 * server: tests in one file can each get a simulator with its own defects without crosstalk.
 */
export async function startSimWorker(
  env: TestWorkflowEnvironment,
  opts: { defects?: string[]; faultRate?: number; timeScale?: number; seed?: number } = {}
): Promise<SimWorker> {
  const timeScale = opts.timeScale ?? 0.01;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-test-'));
  const sim = await startSimulator({
    apiKey: SIM_API_KEY,
    users: [SIM_USER],
    timeScale,
    seed: opts.seed ?? 1,
    faultRate: opts.faultRate ?? 0,
    defects: (opts.defects ?? []) as never,
    dataDir: path.join(dataDir, 'sim'),
  });
  const config: HarnessConfig = {
    temporalAddress: env.address,
    namespace: 'default',
    target: 'sim',
    dumontUrl: sim.dumontUrl,
    dumontEmail: SIM_USER.email,
    dumontPassword: SIM_USER.password,
    vastUrl: sim.vastUrl,
    vastApiKey: SIM_API_KEY,
    dataDir,
  };
  const taskQueue = `test-${process.pid}-${++counter}`;
  const worker: WorkerHandle = await createWorkers(config, {
    connection: env.nativeConnection,
    workflowBundle: await bundleWorkflowsOnce(),
    taskQueue,
  });
  const running = worker.run();
  return {
    sim,
    taskQueue,
    config,
    timeScale,
    dataDir,
    async execute(workflowType, args, workflowId = `${taskQueue}-${workflowType}-${++counter}`) {
      try {
        const result = (await env.client.workflow.execute(workflowType, {
          taskQueue,
          workflowId,
          args,
        })) as ScenarioResult;
        return { ok: true, result };
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        const cause = err.cause as { type?: string; details?: unknown[]; message?: string } | undefined;
        return {
          ok: false,
          result: cause?.type === 'ScenarioFailed' ? (cause.details?.[0] as ScenarioResult) : undefined,
          message: cause?.message ?? err.message,
          failureType: cause?.type,
        };
      }
    },
    async stop() {
      worker.shutdown();
      await running;
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Live instances and volumes the simulator still holds (what a leak looks like). */
export function liveResources(sim: RunningSim): { instances: number; volumes: number } {
  const state = sim.state();
  return { instances: state.instances.length, volumes: state.volumes.length };
}

/**
 * Registers `beforeAll`/`afterAll` hooks giving the file one Temporal test server and one simulator + worker;
 * read `env` and `h` inside tests (they are set once the hooks ran).
 */
export function useSimWorker(opts: Parameters<typeof startSimWorker>[1] = {}): {
  env: TestWorkflowEnvironment;
  h: SimWorker;
} {
  const ctx = {} as { env: TestWorkflowEnvironment; h: SimWorker };
  beforeAll(async () => {
    ctx.env = await createTestEnv();
    ctx.h = await startSimWorker(ctx.env, opts);
  });
  afterAll(async () => {
    await ctx.h?.stop();
    await ctx.env?.teardown();
  });
  return ctx;
}
