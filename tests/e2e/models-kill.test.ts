/**
 * A worker killed with SIGKILL while model deployments are coming up (scenario 66, the category's longest: two 8B
 * deployments side by side) loses nothing: a new worker finishes the scenario, and no deployment, instance or key is
 * left.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

type Deployments = { deployments: { status: string }[] };

describe('models durability', () => {
  it('a worker killed with SIGKILL during model deployments leaks nothing', { timeout: 300_000 }, async () => {
    const timeScale = 0.02;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-models-kill-'));
    const sim = await startSimulator({
      apiKey: SIM_API_KEY,
      users: [SIM_USER],
      timeScale,
      dataDir: path.join(dataDir, 'sim'),
    });
    const deployments = () => (sim.state().features.models as Deployments).deployments;
    const logs: string[] = [];
    let worker: ChildProcess | undefined;
    try {
      worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
      const handle = await env.client.workflow.start('SuiteWorkflow', {
        taskQueue: 'dumont-e2e',
        workflowId: `models-kill-test-${process.pid}`,
        args: [{ select: '66', target: 'sim', maxParallel: 2, timeScale }],
      });
      await waitFor(() => deployments().length >= 2, { timeoutMs: 60_000, what: 'two deployments started' });
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker!.once('exit', resolve));
      expect(deployments().some((d) => d.status !== 'running')).toBe(true);
      worker = await spawnWorker(sim, { temporalAddress: env.address, dataDir, logs });
      const result = (await handle.result()) as SuiteResult;
      expect(result.scenarios.map((s) => [s.id, s.status, s.error ?? ''])).toEqual([[66, 'passed', '']]);
      expect(result.leaked).toEqual([]);
      expect(await liveEverything(sim)).toEqual({ instances: 0, volumes: 0, sshKeys: 0 });
      expect(deployments()).toEqual([]);
    } finally {
      worker?.kill('SIGKILL');
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
