/**
 * A worker killed with SIGKILL while a job runs loses nothing and leaks nothing: the platform goes on with the job,
 * the next worker's retry finds it by its name (never submitting twice), the scenario finishes with its checks, and
 * the job's instance is destroyed.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenarioPrefix } from '../../src/labels';
import { startSimulator } from '../../src/sim';
import type { ScenarioResult } from '../../src/workflows/types';
import { liveEverything, SIM_API_KEY, SIM_USER } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';
import { waitFor } from '../helpers/wait-for';
import { spawnWorker } from '../helpers/worker-process';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

interface JobView {
  name: string;
  status: string;
  instance_id: number | null;
}

it(
  'kill -9 of the worker while a job runs: the job is adopted, once, and nothing leaks',
  { timeout: 300_000 },
  async () => {
    const timeScale = 0.05;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-job-kill-'));
    const sim = await startSimulator({
      apiKey: SIM_API_KEY,
      users: [SIM_USER],
      timeScale,
      dataDir: path.join(dataDir, 'sim'),
    });
    const logs: string[] = [];
    let worker: ChildProcess | undefined;
    const suiteId = `job-kill-${process.pid}`;
    const prefix = scenarioPrefix(suiteId, 55);
    const jobs = () => (sim.state().features.jobs as { jobs: JobView[] }).jobs.filter((j) => j.name.startsWith(prefix));
    try {
      worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
      const handle = await env.client.workflow.start('jobTimeoutScenario', {
        taskQueue: 'dumont-e2e',
        workflowId: `${suiteId}/s055-job-timeout`,
        args: [{ suiteId, target: 'sim', timeScale }],
      });
      await waitFor(() => jobs().some((j) => j.status === 'running'), { timeoutMs: 120_000, what: 'a job running' });
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker!.once('exit', resolve));
      worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
      const result = (await handle.result()) as ScenarioResult;
      const failed = result.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`);
      expect(failed).toEqual([]);
      expect(jobs()).toHaveLength(1);
      expect(jobs()[0].status).toBe('timeout');
      expect(sim.state().instances.filter((i) => i.label?.startsWith(prefix))).toEqual([]);
      expect(await liveEverything(sim)).toMatchObject({ instances: 0, volumes: 0 });
    } finally {
      worker?.kill('SIGKILL');
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
);
