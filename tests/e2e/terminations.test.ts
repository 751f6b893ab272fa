/**
 * Terminate runs no workflow code, so no compensation of the terminated workflow runs. A terminated suite still
 * loses nothing: its scenarios are cancelled (REQUEST_CANCEL) and compensate, and what the suite itself held (its
 * SSH key; its final sweep never ran) is destroyed by the reaper schedule `stack up` creates. A terminated scenario
 * loses nothing either: the suite goes on, and its final sweep destroys what the scenario rented.
 */
import { describe, expect, it } from 'vitest';
import { ensureReaperSchedule, REAPER_SCHEDULE_ID, runReaperScheduleNow } from '../../src/client/stack/reaper-schedule';
import { scenarioPrefix } from '../../src/labels';
import type { SuiteProgress, SuiteResult } from '../../src/workflows/types';
import { liveEverything, liveResources, useSimWorker } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

const t = useSimWorker({ timeScale: 0.02 });
const NOTHING_LEFT = { instances: 0, volumes: 0, sshKeys: 0 };

async function childrenClosed(suiteId: string): Promise<void> {
  await waitFor(
    async () => {
      for await (const wf of t.env.client.workflow.list({ query: `WorkflowId STARTS_WITH "${suiteId}/"` })) {
        if (wf.status.name === 'RUNNING') return false;
      }
      return true;
    },
    { timeoutMs: 120_000, what: `the scenarios of ${suiteId} to close` }
  );
}

describe('terminations', () => {
  it('a terminated suite leaves only what the reaper schedule then destroys', { timeout: 240_000 }, async () => {
    expect(await ensureReaperSchedule(t.env.address, { taskQueue: t.h.taskQueue })).toBe(true);
    expect(await ensureReaperSchedule(t.env.address, { taskQueue: t.h.taskQueue })).toBe(false); // idempotent
    await t.env.client.schedule.getHandle(REAPER_SCHEDULE_ID).pause('the test triggers it');
    const suiteId = `terminate-suite-${process.pid}`;
    await t.env.client.workflow.start('SuiteWorkflow', {
      taskQueue: t.h.taskQueue,
      workflowId: suiteId,
      args: [{ select: '6,7', target: 'sim', maxParallel: 2, timeScale: t.h.timeScale }],
    });
    await waitFor(() => liveResources(t.h.sim).instances >= 1, { timeoutMs: 60_000, what: 'an instance rented' });
    await t.env.client.workflow.getHandle(suiteId).terminate('test: terminated suite');
    await childrenClosed(suiteId);
    // Without the reaper this is a leak: the final sweep that releases the suite's key never ran.
    const left = await liveEverything(t.h.sim);
    expect(left.sshKeys).toBeGreaterThan(0);
    const reaper = await runReaperScheduleNow(t.env.client);
    expect(reaper.errors).toEqual([]);
    expect(reaper.doomed.map((d) => d.reason)).toContain(`owner ${suiteId} is closed`);
    expect(await liveEverything(t.h.sim)).toEqual(NOTHING_LEFT);
    await t.env.client.schedule.getHandle(REAPER_SCHEDULE_ID).delete();
  });

  it(
    'a terminated scenario: the suite goes on and its final sweep destroys what it rented',
    { timeout: 240_000 },
    async () => {
      const suiteId = `terminate-scenario-${process.pid}`;
      const suite = await t.env.client.workflow.start('SuiteWorkflow', {
        taskQueue: t.h.taskQueue,
        workflowId: suiteId,
        args: [{ select: '6,7', target: 'sim', maxParallel: 2, timeScale: t.h.timeScale }],
      });
      let victim = '';
      let prefix = '';
      await waitFor(
        async () => {
          const labels = t.h.sim.state().instances.map((i) => i.label);
          const running = (await suite.query<SuiteProgress>('progress')).running;
          for (const child of running) {
            const p = scenarioPrefix(suiteId, Number(/\/s(\d{3})-/.exec(child)?.[1]));
            if (labels.some((l) => l?.startsWith(p))) [victim, prefix] = [child, p];
          }
          return victim !== '';
        },
        { timeoutMs: 60_000, what: 'a scenario holding an instance' }
      );
      await t.env.client.workflow.getHandle(victim).terminate('test: terminated scenario');
      const result = (await suite.result()) as SuiteResult;
      const theVictim = result.scenarios.find((s) => s.workflowId === victim);
      expect(theVictim?.status).toBe('failed');
      expect(result.scenarios.filter((s) => s.workflowId !== victim).map((s) => s.status)).toEqual(['passed']);
      // The sweep is what saved it: it destroyed the terminated scenario's instance.
      expect(result.finalSweep.destroyed.some((d) => d.includes(prefix))).toBe(true);
      expect(result.leaked).toEqual([]);
      expect(await liveEverything(t.h.sim)).toEqual(NOTHING_LEFT);
    }
  );
});
