/**
 * An observer's worker dies and the thing it watched ends before any worker is back: the fine-tune log follower of
 * scenario 81 is killed (SIGKILL) after it read live steps, the job runs to its end while no worker exists, and the
 * retry still has what the dead attempt read (carried in its heartbeats), so `logs-live` holds and its note says how
 * long nobody watched. Before the follower carried its samples, the retry started from none and the check failed.
 * The dead attempt is also given up on sooner than other activities are (the observers' heartbeat timeout).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decode } from '../../src/client/history-events';
import { scenarioPrefix } from '../../src/labels';
import type { ScenarioResult } from '../../src/workflows/types';
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

type JobView = { name: string; status: string };
/** The live check's own threshold (081-finetune-logs.ts): distinct steps read while the job ran. */
const LIVE_STEPS = 3;
/** Every activity but observations is given up on after 10 s without a heartbeat (src/workflows/kit/steps.ts). */
const OTHER_HEARTBEAT_TIMEOUT_MS = 10_000;

it(
  'kill -9 of the log follower, job ended while no worker existed: the live steps it read survive the retry',
  { timeout: 300_000 },
  async () => {
    const suiteId = `ft-logs-kill-${process.pid}`;
    const prefix = scenarioPrefix(suiteId, 81);
    await withKillableWorker(env, { name: 'finetune-logs-kill', timeScale: 0.05 }, async ({ sim, killAndReplace }) => {
      const jobs = () =>
        (sim.state().features.finetune as { jobs: JobView[] }).jobs.filter((j) => j.name.startsWith(prefix));
      const handle = await env.client.workflow.start('finetuneLogsScenario', {
        taskQueue: 'dumont-e2e',
        workflowId: `${suiteId}/s081-finetune-logs`,
        args: [{ suiteId, target: 'sim', timeScale: 0.05 }],
      });
      // What the follower has heartbeated: the distinct steps it read while the job ran.
      const stepsHeartbeated = async () => {
        const { raw } = await handle.describe();
        const follow = raw.pendingActivities?.find((a) => a.activityType?.name === 'followFinetuneLogs');
        const details = decode(follow?.heartbeatDetails?.payloads) as { samples?: { step: number }[] } | undefined;
        return new Set((details?.samples ?? []).map((s) => s.step).filter((s) => s > 0)).size;
      };
      await waitFor(async () => (await stepsHeartbeated()) >= LIVE_STEPS, {
        timeoutMs: 120_000,
        intervalMs: 50,
        what: `the follower heartbeating ${LIVE_STEPS} live steps`,
      });
      expect(jobs().map((j) => j.status)).toEqual(['running']);
      let retriedAfterMs = 0;
      await killAndReplace(async () => {
        // The server gives up on the dead attempt after the observers' heartbeat timeout, not the usual 10 s.
        const killedAt = Date.now();
        await waitFor(
          async () => {
            const { raw } = await handle.describe();
            const follow = raw.pendingActivities?.find((a) => a.activityType?.name === 'followFinetuneLogs');
            return (follow?.attempt ?? 1) > 1;
          },
          { timeoutMs: 60_000, intervalMs: 100, what: "the dead follower's retry to be scheduled" }
        );
        retriedAfterMs = Date.now() - killedAt;
        await waitFor(() => jobs().every((j) => j.status === 'completed'), {
          timeoutMs: 120_000,
          what: 'the job ending',
        });
      });
      // A heartbeat reaches the server at least every second (the worker's throttle) while the attempt lives, so the
      // usual timeout would fire 8-10 s after the kill (measured: 10.0 s with it, 4.0 s with the observers').
      expect(retriedAfterMs).toBeLessThan(OTHER_HEARTBEAT_TIMEOUT_MS - 2_000);
      const result = (await handle.result()) as ScenarioResult;
      const live = result.checks.find((c) => c.id === 'logs-live');
      expect(live?.ok, live?.detail).toBe(true);
      expect(live?.detail).toMatch(/no worker watched for \d+ platform s/);
      expect(result.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`)).toEqual([]);
    });
  }
);
