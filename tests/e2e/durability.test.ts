/**
 * The promises that make the harness safe with real money: a worker killed with SIGKILL mid-run loses
 * nothing (a new worker, deriving the same suite SSH key from the same secret, finishes the suite and no GPU or key
 * is left), and a suite cancelled with `temporal workflow cancel` still destroys everything it rented.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTemporalBinary } from '../../src/client/temporal-binary';
import type { SuiteResult } from '../../src/workflows/types';
import { liveEverything, liveResources, startSimWorker } from '../helpers/harness';
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

const NOTHING_LEFT = { instances: 0, volumes: 0, sshKeys: 0 };

describe('durability', () => {
  it(
    'a worker killed with SIGKILL mid-run is replaced and the suite completes with nothing leaked',
    { timeout: 300_000 },
    async () => {
      const timeScale = 0.05;
      await withKillableWorker(env, { name: 'kill', timeScale }, async ({ sim, killAndReplace }) => {
        const handle = await env.client.workflow.start('SuiteWorkflow', {
          taskQueue: 'dumont-e2e',
          workflowId: `kill-test-${process.pid}`,
          args: [{ select: '1-4,7', target: 'sim', maxParallel: 5, timeScale }],
        });
        await waitFor(() => liveResources(sim).instances >= 3, { timeoutMs: 60_000, what: 'instances rented' });
        await killAndReplace(() => {
          expect(liveResources(sim).instances).toBeGreaterThan(0);
        });
        const result = (await handle.result()) as SuiteResult;
        expect(result.scenarios).toHaveLength(5);
        expect(result.leaked).toEqual([]);
        expect(result.finalSweep.error).toBeUndefined();
        expect(await liveEverything(sim)).toEqual(NOTHING_LEFT);
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
      });
    }
  );

  it('`temporal workflow cancel` on a running suite still destroys everything', { timeout: 300_000 }, async () => {
    const h = await startSimWorker(env, { timeScale: 0.05 });
    try {
      const workflowId = `cancel-test-${process.pid}`;
      const handle = await env.client.workflow.start('SuiteWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ select: '6-10', target: 'sim', maxParallel: 5, timeScale: 0.05 }],
      });
      await waitFor(() => liveResources(h.sim).instances >= 3, { timeoutMs: 60_000, what: 'instances rented' });
      execFileSync(findTemporalBinary(), [
        'workflow',
        'cancel',
        '--workflow-id',
        workflowId,
        '--address',
        env.address,
        '--namespace',
        'default',
      ]);
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
      // The children's compensations ran, and the suite's final sweep (non-cancellable) released its SSH key.
      expect(await liveEverything(h.sim)).toEqual(NOTHING_LEFT);
      const child = await env.client.workflow.getHandle(`${workflowId}/s006-pause-resume`).describe();
      expect(child.status.name).toBe('CANCELLED');
    } finally {
      await h.stop();
    }
  });
});
