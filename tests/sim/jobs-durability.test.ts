/**
 * A worker killed with SIGKILL while a job runs loses nothing and leaks nothing: the platform goes on with the job,
 * the next worker's retry finds it by its name (never submitting twice), the scenario finishes with its checks, and
 * the job's instance is destroyed.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenarioPrefix } from '../../src/labels';
import type { ScenarioResult } from '../../src/workflows/types';
import { liveEverything } from '../helpers/harness';
import { withKillableWorker } from '../helpers/killable-worker';
import { createTestEnv } from '../helpers/temporal-env';
import { waitFor } from '../helpers/wait-for';

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
    const suiteId = `job-kill-${process.pid}`;
    const prefix = scenarioPrefix(suiteId, 55);
    await withKillableWorker(env, { name: 'job-kill', timeScale: 0.05 }, async ({ sim, killAndReplace }) => {
      const jobs = () =>
        (sim.state().features.jobs as { jobs: JobView[] }).jobs.filter((j) => j.name.startsWith(prefix));
      const handle = await env.client.workflow.start('jobTimeoutScenario', {
        taskQueue: 'dumont-e2e',
        workflowId: `${suiteId}/s055-job-timeout`,
        args: [{ suiteId, target: 'sim', timeScale: 0.05 }],
      });
      await waitFor(() => jobs().some((j) => j.status === 'running'), { timeoutMs: 120_000, what: 'a job running' });
      await killAndReplace();
      const result = (await handle.result()) as ScenarioResult;
      const failed = result.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`);
      expect(failed).toEqual([]);
      expect(jobs()).toHaveLength(1);
      expect(jobs()[0].status).toBe('timeout');
      expect(sim.state().instances.filter((i) => i.label?.startsWith(prefix))).toEqual([]);
      expect(await liveEverything(sim)).toMatchObject({ instances: 0, volumes: 0 });
    });
  }
);
