/**
 * A worker killed with SIGKILL while a migration is in flight loses nothing and leaks nothing: the platform finishes
 * the migration it was asked for, the next worker's retry finds it by the source's label (never migrating twice), and
 * the scenario passes with the source gone and the new instance, its snapshot and the bucket's objects cleaned up.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenarioPrefix } from '../../src/labels';
import { createObjectStoreClient } from '../../src/platform/object-store';
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

it(
  'kill -9 of the worker during a migration: the migration is adopted, once, and nothing leaks',
  { timeout: 300_000 },
  async () => {
    const timeScale = 0.05;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-migrate-kill-'));
    const sim = await startSimulator({
      apiKey: SIM_API_KEY,
      users: [SIM_USER],
      timeScale,
      dataDir: path.join(dataDir, 'sim'),
    });
    const logs: string[] = [];
    let worker: ChildProcess | undefined;
    const suiteId = `mig-kill-${process.pid}`;
    const prefix = scenarioPrefix(suiteId, 92);
    const underPrefix = () => sim.state().instances.filter((i) => i.label?.startsWith(prefix));
    try {
      worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
      const handle = await env.client.workflow.start('migrateToOtherRegionScenario', {
        taskQueue: 'dumont-e2e',
        workflowId: `${suiteId}/s092-migrate-to-other-region`,
        args: [{ suiteId, target: 'sim', timeScale }],
      });
      // Two instances under the scenario's label: the migration has rented its target and is still running.
      await waitFor(() => underPrefix().length >= 2, { timeoutMs: 120_000, what: 'a migration in flight' });
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker!.once('exit', resolve));
      worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
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
    } finally {
      worker?.kill('SIGKILL');
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
);
