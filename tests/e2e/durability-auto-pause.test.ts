/**
 * A worker killed with SIGKILL while serverless scenarios wait for the platform's own auto-pause: a new worker
 * resumes the waits (their windows were fixed before the worker died, and what the dead attempt observed travels in
 * its heartbeats), every scenario passes, and nothing is left: no instance, standby, volume or SSH key.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSim } from '../../src/sim';
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

const NOTHING_LEFT = { instances: 0, volumes: 0, sshKeys: 0 };

/** Serverless rows the simulator holds for `suite`'s instances. */
function serverlessRows(
  sim: RunningSim,
  suite: string
): { label: string; is_paused: boolean; idle_since: number | null }[] {
  const views = sim.state().features as Record<string, { configs?: { label?: string }[] }>;
  return (views.serverless?.configs ?? []).filter((c) => c.label?.includes(`/${suite}/`)) as never;
}

describe('durability of auto-pause waits', () => {
  it(
    'a worker killed with SIGKILL during auto-pause waits is replaced; every scenario passes, nothing leaks',
    { timeout: 300_000 },
    async () => {
      const timeScale = 0.1;
      const suite = `kill-pause-${process.pid}`;
      await withKillableWorker(env, { name: 'kill-pause', timeScale }, async ({ sim, killAndReplace }) => {
        // 19 and 21 measure idle-to-pause, 18 waits for a pause within a budget: all of them across the kill.
        const handle = await env.client.workflow.start('SuiteWorkflow', {
          taskQueue: 'dumont-e2e',
          workflowId: suite,
          args: [{ select: '18,19,21', target: 'sim', maxParallel: 4, timeScale }],
        });
        // Killed while 19 and 21 wait for the platform's pause after their idle timeouts, once their waits have
        // heartbeated the idle_since they saw: the pauses happen while no worker runs (the platform clears idle_since
        // when it pauses), and the measured idle-to-pause must still be right.
        const heartbeatedIdle = async (child: string, scenario: string) => {
          const row = serverlessRows(sim, suite).find((r) => r.label.endsWith(`/${scenario}/main`));
          if (!row || row.is_paused || row.idle_since === null) return false;
          const { raw } = await env.client.workflow.getHandle(`${suite}/${child}`).describe();
          return (raw.pendingActivities ?? []).some((a) =>
            (a.heartbeatDetails?.payloads ?? []).some((p) =>
              Buffer.from(p.data ?? [])
                .toString()
                .includes('idleSince')
            )
          );
        };
        await waitFor(
          async () =>
            (await heartbeatedIdle('s019-idle-threshold', 's019')) &&
            (await heartbeatedIdle('s021-auto-pause-after-idle', 's021')),
          { timeoutMs: 120_000, what: 'scenarios 19 and 21 waiting for their auto-pause' }
        );
        await killAndReplace(() => {
          const waiting = serverlessRows(sim, suite).length;

          expect(waiting).toBeGreaterThan(0);
        });
        const result = (await handle.result()) as SuiteResult;
        expect(result.scenarios.map((s) => s.id)).toEqual([18, 19, 21]);
        const failed = result.scenarios
          .filter((s) => s.status !== 'passed')
          .map(
            (s) =>
              `${s.slug}: ${
                s.error ??
                s.checks
                  .filter((c) => !c.ok)
                  .map((c) => `[${c.id}] ${c.detail}`)
                  .join(', ')
              }`
          );
        expect(failed).toEqual([]);
        expect(result.leaked).toEqual([]);
        expect(result.finalSweep.error).toBeUndefined();
        expect(await liveEverything(sim)).toEqual(NOTHING_LEFT);
        expect(serverlessRows(sim, suite)).toEqual([]);
      });
    }
  );
});
