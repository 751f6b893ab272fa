/**
 * An in-process bench environment: a real Temporal dev server (the `temporal` CLI, random port, in memory), the
 * bench's workflow bundle (the harness's workflows plus bench/workflows) and, on demand, a simulator with the
 * harness's workers wired to it exactly as tests/helpers/harness.ts wires them.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalBinary } from '../../src/client/temporal-binary';
import { simulatorConfig } from '../../src/config';
import { startSimulator, type RunningSim } from '../../src/sim';
import { createWorkers, type WorkerHandle } from '../../src/worker';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';
import * as activities from '../activities';

const BENCH_WORKFLOWS = path.join(__dirname, '..', 'workflows', 'index.ts');
const SIM_API_KEY = 'bench-vast-key-0123456789';
const SIM_USER = { email: 'bench@dumont.test', password: 'bench-password-1' };
const KEY_SECRET = 'bench-key-secret-0123456789abcdef0123456789abcdef0123456789abcdef';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // installed already
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The bench's workflow bundle, built once per bench process. */
export function benchBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: BENCH_WORKFLOWS, logger: new DefaultLogger('WARN') });
  return bundle;
}

/** A dev server for one benchmark; `teardown()` stops it. */
export function devServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: findTemporalBinary() },
      ip: '127.0.0.1',
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'pretty', level: 'warn' },
    },
  });
}

/** The simulator, the harness's two workers and a bare activity worker, on their own task queues. */
export interface HarnessOnServer {
  taskQueue: string;
  bareQueue: string;
  timeScale: number;
  sim: RunningSim;
  stop(): Promise<void>;
}

export async function harnessOn(env: TestWorkflowEnvironment, timeScale = 0.02): Promise<HarnessOnServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-bench-'));
  const sim = await startSimulator({
    apiKey: SIM_API_KEY,
    users: [SIM_USER],
    timeScale,
    seed: 1,
    faultRate: 0,
    defects: [],
    dataDir: path.join(dataDir, 'sim'),
  });
  const config = simulatorConfig({
    temporalAddress: env.address,
    sim,
    dataDir,
    vastApiKey: SIM_API_KEY,
    user: SIM_USER,
    keySecret: KEY_SECRET,
  });
  const taskQueue = `bench-${process.pid}`;
  const bareQueue = `${taskQueue}-bare`;
  const harness: WorkerHandle = await createWorkers(config, {
    connection: env.nativeConnection,
    workflowBundle: await benchBundle(),
    taskQueue,
  });
  const bare = await Worker.create({ connection: env.nativeConnection, taskQueue: bareQueue, activities });
  const running = Promise.all([harness.run(), bare.run()]);
  return {
    taskQueue,
    bareQueue,
    timeScale,
    sim,
    async stop() {
      harness.shutdown();
      bare.shutdown();
      await running.catch(() => undefined);
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
