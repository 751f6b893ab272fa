/**
 * A worker killed with SIGKILL while a fine-tune trains loses nothing and leaks nothing: the next worker's retries
 * adopt the job by its name (never starting a second one), the scenario (80: cancel mid-run) goes on and passes, and
 * the job, its instance and the bucket's objects under its label are gone at the end.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenarioPrefix } from '../../src/labels';
import { createObjectStoreClient } from '../../src/platform/object-store';
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

type JobView = { name: string; status: string; id: string };

it(
  'kill -9 of the worker while a fine-tune trains: the job is adopted, once, and nothing leaks',
  { timeout: 300_000 },
  async () => {
    const suiteId = `ft-kill-${process.pid}`;
    const prefix = scenarioPrefix(suiteId, 80);
    const seen = new Set<string>();
    let watch: NodeJS.Timeout | undefined;
    await withKillableWorker(env, { name: 'finetune-kill', timeScale: 0.02 }, async ({ sim, killAndReplace }) => {
      const jobsUnder = () =>
        (sim.state().features.finetune as { jobs: JobView[] }).jobs.filter((j) => j.name.startsWith(prefix));
      try {
        const handle = await env.client.workflow.start('cancelFinetuneScenario', {
          taskQueue: 'dumont-e2e',
          workflowId: `${suiteId}/s080-cancel-finetune`,
          args: [{ suiteId, target: 'sim', timeScale: 0.02 }],
        });
        // Every job ever listed under the scenario's label, across the kill: a retry must adopt, not start another.
        watch = setInterval(() => jobsUnder().forEach((j) => seen.add(j.id)), 20);
        await waitFor(() => jobsUnder().some((j) => j.status === 'running'), {
          timeoutMs: 120_000,
          what: 'training',
        });
        await killAndReplace();
        const result = (await handle.result()) as ScenarioResult;
        clearInterval(watch);
        const failed = result.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`);
        expect(failed).toEqual([]);
        expect(seen.size).toBe(1);
        expect(jobsUnder()).toEqual([]);
        expect(sim.state().instances.filter((i) => i.label?.startsWith(prefix))).toEqual([]);
        expect(await liveEverything(sim)).toMatchObject({ instances: 0, volumes: 0 });
        const o = sim.objectStore;
        expect(await createObjectStoreClient({ endpoint: o.url, ...o }).list(prefix)).toEqual([]);
      } finally {
        clearInterval(watch);
      }
    });
  }
);
