/**
 * Every retry visible in the histories: an activity whose platform calls met 429s and 5xx, retried them in place and
 * succeeded records those retries in its ActivityTaskCompleted event, while the workflow code still receives the plain
 * value (the scenario passes) and the scenario's result counts them.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inPlaceRetriesIn } from '../../src/client/history-retries';
import { startSimWorker } from '../helpers/harness';
import { bundleWorkflowsOnce, createTestEnv } from '../helpers/temporal-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

it(
  'activities that retried 429/5xx in place and succeeded show the retries in the history',
  { timeout: 180_000 },
  async () => {
    const h = await startSimWorker(env);
    // Only HTTP errors the clients retry in place: no slow boots or SSH faults, so the scenario stays short.
    h.sim.setFaults({ rate: 0.3, kinds: ['429', '5xx'], seed: 11 });
    try {
      const workflowId = `retries-in-history-${h.taskQueue}`;
      const outcome = await h.execute('createRtx4090Scenario', [{ target: 'sim', timeScale: h.timeScale }], workflowId);
      const injected = h.sim.state().faults.injected;
      expect(injected['429'] + injected['5xx']).toBeGreaterThan(0);
      // Workflow code got plain values: an envelope reaching it would have no instanceId and fail the scenario.
      expect(outcome.ok ? '' : outcome.message).toBe('');

      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      const retried = inPlaceRetriesIn(history);
      expect(retried.length).toBeGreaterThan(0);
      for (const r of retried) {
        expect(r.retried.length).toBeGreaterThan(0);
        expect(r.count).toBeGreaterThanOrEqual(r.retried.length);
      }
      expect(retried.flatMap((r) => r.retried).join('\n')).toMatch(/429|50[023]/);

      // The scenario's own tally is the history's, activity by activity.
      const byActivity: Record<string, number> = {};
      for (const r of retried) byActivity[r.activityType] = (byActivity[r.activityType] ?? 0) + r.count;
      const total = Object.values(byActivity).reduce((a, b) => a + b, 0);
      expect(outcome.result?.retriedInPlace).toEqual({ total, byActivity });

      // Unwrapping emits no command: the history, envelopes and all, replays against the same code.
      await Worker.runReplayHistory({ workflowBundle: await bundleWorkflowsOnce() }, history, workflowId);
    } finally {
      await h.stop();
    }
  }
);
