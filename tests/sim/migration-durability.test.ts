/**
 * A worker killed with SIGKILL while a migration is in flight loses nothing and leaks nothing: the platform finishes
 * the migration it was asked for, the next worker's retry finds it by the source's label (never migrating twice), and
 * the scenario passes with the source gone and the new instance, its snapshot and the bucket's objects cleaned up.
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

it(
  'kill -9 of the worker during a migration: the migration is adopted, once, and nothing leaks',
  { timeout: 300_000 },
  async () => {
    const suiteId = `mig-kill-${process.pid}`;
    const prefix = scenarioPrefix(suiteId, 92);
    await withKillableWorker(env, { name: 'migrate-kill', timeScale: 0.05 }, async ({ sim, killAndReplace }) => {
      const underPrefix = () => sim.state().instances.filter((i) => i.label?.startsWith(prefix));
      const handle = await env.client.workflow.start('migrateToOtherRegionScenario', {
        taskQueue: 'dumont-e2e',
        workflowId: `${suiteId}/s092-migrate-to-other-region`,
        args: [{ suiteId, target: 'sim', timeScale: 0.05 }],
      });
      // Two instances under the scenario's label: the migration has rented its target and is still running.
      await waitFor(() => underPrefix().length >= 2, { timeoutMs: 120_000, what: 'a migration in flight' });
      await killAndReplace();
      const result = (await handle.result()) as ScenarioResult;
      const failed = result.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`);
      expect(failed).toEqual([]);
      const migrations = (sim.state().features.migration as { migrations: { label: string | null }[] }).migrations;
      expect(migrations.filter((m) => m.label?.startsWith(prefix))).toHaveLength(1);
      expect(underPrefix()).toEqual([]);
      expect(await liveEverything(sim)).toMatchObject({ instances: 0, volumes: 0 });
      const snapshots = (sim.state().features.snapshots as { snapshots: { tags: string[] }[] }).snapshots;
      expect(snapshots.filter((s) => s.tags.some((t) => t.startsWith(prefix)))).toEqual([]);
      const o = sim.objectStore;
      expect(await createObjectStoreClient({ endpoint: o.url, ...o }).list(prefix)).toEqual([]);
    });
  }
);
