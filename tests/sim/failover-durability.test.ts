/**
 * Failover's durability promise: a worker killed with SIGKILL in the middle of failovers (a CPU standby failing over,
 * a warm pool failing over) is replaced, the suite completes, and nothing is left rented — no instance, volume, SSH
 * key, CPU standby or warm pool.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuiteResult } from '../../src/workflows/types';
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

interface FailoverView {
  failovers: { success: boolean | null }[];
  associations: unknown[];
}

describe('failover durability', () => {
  it(
    'a worker killed with SIGKILL during failovers is replaced; the suite completes, nothing is left',
    { timeout: 300_000 },
    async () => {
      await withKillableWorker(env, { name: 'failover-kill', timeScale: 0.02 }, async ({ sim, killAndReplace }) => {
        const handle = await env.client.workflow.start('SuiteWorkflow', {
          taskQueue: 'dumont-e2e',
          workflowId: `failover-kill-test-${process.pid}`,
          args: [{ select: '32,34', target: 'sim', maxParallel: 2, timeScale: 0.02 }],
        });
        // Killed once the CPU standby's failover has started (the GPU is failed, the platform is failing over).
        await waitFor(() => (sim.state().features.failover as FailoverView).failovers.length >= 1, {
          timeoutMs: 120_000,
          intervalMs: 20,
          what: 'a failover under way',
        });
        await killAndReplace(() => expect(sim.state().instances.length).toBeGreaterThan(0));
        const result = (await handle.result()) as SuiteResult;
        expect(result.scenarios.map((s) => s.id)).toEqual([32, 34]);
        const failed = result.scenarios.filter((s) => s.status !== 'passed');
        expect(
          failed.map(
            (s) =>
              `${s.slug}: ${
                s.error ??
                s.checks
                  .filter((c) => !c.ok)
                  .map((c) => `[${c.id}] ${c.detail}`)
                  .join(', ')
              }`
          )
        ).toEqual([]);
        expect(result.leaked).toEqual([]);
        expect(result.finalSweep.error).toBeUndefined();
        expect(await liveEverything(sim)).toEqual({ instances: 0, volumes: 0, sshKeys: 0 });
        const features = sim.state().features;
        expect((features.serverless as { standbys: unknown[] }).standbys).toEqual([]);
        expect((features.failover as FailoverView).associations).toEqual([]);
        expect((features['warm-pool'] as { pools: unknown[] }).pools).toEqual([]);
      });
    }
  );
});
