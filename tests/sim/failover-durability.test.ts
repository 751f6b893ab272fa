/**
 * Failover's durability promise: a worker killed with SIGKILL in the middle of failovers (a CPU standby failing over,
 * a warm pool failing over) is replaced, the suite completes, and nothing is left rented — no instance, volume, SSH
 * key, CPU standby or warm pool.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim';
import type { SuiteResult } from '../../src/workflows/types';
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

interface FailoverView {
  failovers: { success: boolean | null }[];
  associations: unknown[];
}

describe('failover durability', () => {
  it(
    'a worker killed with SIGKILL during failovers is replaced; the suite completes, nothing is left',
    { timeout: 300_000 },
    async () => {
      const timeScale = 0.02;
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-failover-kill-'));
      const sim = await startSimulator({
        apiKey: SIM_API_KEY,
        users: [SIM_USER],
        timeScale,
        dataDir: path.join(dataDir, 'sim'),
      });
      const logs: string[] = [];
      let worker: ChildProcess | undefined;
      try {
        worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
        const handle = await env.client.workflow.start('SuiteWorkflow', {
          taskQueue: 'dumont-e2e',
          workflowId: `failover-kill-test-${process.pid}`,
          args: [{ select: '32,34', target: 'sim', maxParallel: 2, timeScale }],
        });
        // Killed once the CPU standby's failover has started (the GPU is failed, the platform is failing over).
        await waitFor(() => (sim.state().features.failover as FailoverView).failovers.length >= 1, {
          timeoutMs: 120_000,
          intervalMs: 20,
          what: 'a failover under way',
        });
        worker.kill('SIGKILL');
        await new Promise((resolve) => worker!.once('exit', resolve));
        expect(sim.state().instances.length).toBeGreaterThan(0);
        worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
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
      } finally {
        worker?.kill('SIGKILL');
        await sim.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  );
});
