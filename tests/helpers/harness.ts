import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { keyComment } from '../../src/activities/resources/ssh-key';
import { simulatorConfig, type HarnessConfig, type TargetLimits } from '../../src/config';
import type { SimProfile } from '../../src/sim/profiles';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { createWorkers, type WorkerHandle } from '../../src/worker';
import type { ScenarioResult } from '../../src/workflows/types';
import { afterAll, beforeAll } from 'vitest';
import { bundleWorkflowsOnce, createTestEnv } from './temporal-env';

export const SIM_API_KEY = 'test-vast-key-0123456789';
export const SIM_USER = { email: 'e2e@dumont.test', password: 'test-password-1' };
/**
 * The workers' key-derivation secret in tests (`DUMONT_E2E_KEY_SECRET`): fixed, so two workers of one test derive the
 * same suite keys, as the workers of one deployment do. 64 characters, like the stack's `<data>/key-secret`.
 */
export const SIM_KEY_SECRET = 'test-key-secret-0123456789abcdef0123456789abcdef0123456789abcdef';

/** A defect for the whole simulator (`'pause-ignored'`), or only for the resources under one label prefix. */
export type DefectActivationInput = string | { name: string; labelPrefix: string };

/** Options of {@link startSimWorker}. */
export interface SimWorkerOptions {
  /** Active defects at start; tests sharing one simulator add scoped ones with `sim.addDefects`. */
  defects?: DefectActivationInput[];
  faultRate?: number;
  timeScale?: number;
  seed?: number;
  /** The simulator's profile (`ideal` when unset). */
  profile?: SimProfile;
  /** The worker's per-target limits (the sim target's defaults when unset). */
  limits?: TargetLimits;
  /** Receives the simulator's event lines (debugging a scenario). */
  log?: (line: string) => void;
  /** Worker settings beside the simulator's (a webhook URL, a reports directory…). */
  config?: Partial<HarnessConfig>;
}

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

/** A worker's configuration for `sim` with the test credentials, against the Temporal server at `temporalAddress`. */
export function simHarnessConfig(temporalAddress: string, sim: RunningSim, dataDir: string): HarnessConfig {
  return simulatorConfig({
    temporalAddress,
    sim,
    dataDir,
    vastApiKey: SIM_API_KEY,
    user: SIM_USER,
    keySecret: SIM_KEY_SECRET,
  });
}

/**
 * A simulator and an in-process worker bound to it, on their own task queues, against a shared Temporal test
 * server: tests in one file can each get a simulator with its own defects without crosstalk.
 */
export async function startSimWorker(env: TestWorkflowEnvironment, opts: SimWorkerOptions = {}): Promise<SimWorker> {
  const timeScale = opts.timeScale ?? 0.01;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-test-'));
  const sim = await startSimulator({
    apiKey: SIM_API_KEY,
    users: [SIM_USER],
    timeScale,
    seed: opts.seed ?? 1,
    faultRate: opts.faultRate ?? 0,
    defects: opts.defects ?? [],
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    dataDir: path.join(dataDir, 'sim'),
  });
  const config: HarnessConfig = {
    ...simHarnessConfig(env.address, sim, dataDir),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...opts.config,
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
 * The labels (public-line comments) of the SSH keys registered with the simulator's account, read over the VAST
 * API as the harness itself reads them (the simulator's state does not show account keys). A suite's key is
 * `dumont-e2e/<suite>/s000/ssh-key`; one still there after a suite or a lone scenario finished is a leak.
 */
export async function liveSshKeys(sim: RunningSim): Promise<string[]> {
  const keys = await createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY }).listSshKeys();
  return keys.map((k) => keyComment(k.publicKey));
}

/** {@link liveResources} plus the account's SSH keys: everything a run can leave behind on the simulator. */
export async function liveEverything(
  sim: RunningSim
): Promise<{ instances: number; volumes: number; sshKeys: number }> {
  return { ...liveResources(sim), sshKeys: (await liveSshKeys(sim)).length };
}

/**
 * Registers `beforeAll`/`afterAll` hooks giving the file one Temporal test server and one simulator + worker;
 * read `env` and `h` inside tests (they are set once the hooks ran).
 */
export function useSimWorker(opts: SimWorkerOptions = {}): {
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
