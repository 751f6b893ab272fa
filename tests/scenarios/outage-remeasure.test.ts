/**
 * Scenarios whose measurement was timed across a worker restart measure again instead of failing the platform for
 * the harness's outage:
 * - 19 (idle threshold), found by the chaos campaign: the platform paused the instance while no worker watched, the
 *   `idle_since` the pause clears was never seen, and the idle time was measured on our clock, outage included (301 s
 *   against a 30 s threshold). Patch `s019-measure-again-after-outage`.
 * - 8 (cold start after a long pause), found by CI's worker-resume test: "cold start 1194 s > 300 s" after the worker
 *   was killed during the resume. Patch `s008-measure-again-after-outage`.
 * - 26 (economic cold start), found by the chaos campaign: "cold start 1107 s > 300 s" with the observer down 16
 *   platform minutes. Patch `s026-measure-again-after-outage`.
 * - 81 (fine-tune logs), found by the chaos campaign: the compressed job ran to its end while no worker watched, so
 *   no log was read live. Patch `s081-follow-again-after-outage`.
 *
 * What a restart does to the observation is reproduced exactly, and nothing else: the activity runs for real against
 * the simulator; its result then says what a retry after an outage says (the time no worker watched, the outage
 * inside the measured time, for 19 the `idle_since` unseen). Every other activity is the real one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/workflows/types';
import { liveResources } from '../helpers/harness';
import { runTainted as runTaintedScenario, startTaintStack, type TaintStack } from '../helpers/tainted-scenario';

const TIME_SCALE = 0.01;
/** The outage the first observation spans: 6 real s = 600 platform s at this time scale. */
const OUTAGE_MS = 6_000;

let stack: TaintStack;
beforeAll(async () => {
  stack = await startTaintStack(TIME_SCALE);
});
afterAll(async () => {
  await stack?.stop();
});

/** Runs `workflowType` with the `nth` result of `activity` changed by `taint` (see tests/helpers/tainted-scenario.ts). */
function runTainted(
  workflowType: string,
  activity: 'enableAndWaitPaused' | 'waitForRunning' | 'followFinetuneLogs' | 'wakeServerless',
  nth: number,
  taint: (seen: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>
): Promise<{ result: ScenarioResult; calls: number }> {
  return runTaintedScenario({
    stack,
    workflowType,
    suiteId: `outage-${process.pid}-${++runs}`,
    activity,
    taint: (seen, call) => (call === nth ? taint(seen) : seen),
  });
}

let runs = 0;
const failed = (r: ScenarioResult) => r.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`);
/** What a retry after the outage reports: the time no worker watched, and the outage inside the measured time. */
const acrossOutage = (seen: Record<string, unknown>) => ({
  ...seen,
  blindMs: OUTAGE_MS,
  platformSeconds: (seen.platformSeconds as number) + OUTAGE_MS / 1000 / TIME_SCALE,
});

it(
  '19: an idle period timed across a worker restart is measured again, and the scenario passes',
  { timeout: 120_000 },
  async () => {
    const { result, calls } = await runTainted('idleThresholdScenario', 'enableAndWaitPaused', 1, (seen) => ({
      ...acrossOutage(seen),
      idleSince: null,
    }));
    expect(failed(result)).toEqual([]);
    expect(calls).toBe(2);
    expect((result.warnings ?? []).join('\n')).toMatch(/timed across a worker restart .*: woken and measured again/);
    expect(liveResources(stack.sim)).toEqual({ instances: 0, volumes: 0 });
  }
);

it(
  '19: an idle period watched by a worker started after the scenario that saw no pause is watched again, and passes',
  { timeout: 120_000 },
  async () => {
    // chaos --short: the restarted worker, catching up, began watching too late to see the pause within the window.
    const { result, calls } = await runTainted('idleThresholdScenario', 'enableAndWaitPaused', 1, (seen) => ({
      ...seen,
      reached: false,
      workerStartedAtMs: Date.now(),
    }));
    expect(failed(result)).toEqual([]);
    expect(calls).toBe(2);
    expect((result.warnings ?? []).join('\n')).toMatch(/watched across a worker restart \(by a worker started after/);
  }
);

it(
  '19: no pause seen by a worker older than the scenario fails auto-paused, watched once',
  { timeout: 120_000 },
  async () => {
    const { result, calls } = await runTainted('idleThresholdScenario', 'enableAndWaitPaused', 1, (seen) => ({
      ...seen,
      reached: false,
    }));
    expect(failed(result).join('\n')).toMatch(/^\[auto-paused\] no pause within/m);
    expect(calls).toBe(1);
  }
);

it(
  '8: a cold start timed across a worker restart is measured again, and the scenario passes',
  { timeout: 120_000 },
  async () => {
    // The first wait is the boot's; the second is the resume's cold start.
    const { result, calls } = await runTainted('resumeAfterLongPauseScenario', 'waitForRunning', 2, acrossOutage);
    expect(failed(result)).toEqual([]);
    expect(calls).toBe(3);
    expect((result.warnings ?? []).join('\n')).toMatch(
      /cold start was timed across a worker restart .*: paused and measured again/
    );
    expect(liveResources(stack.sim)).toEqual({ instances: 0, volumes: 0 });
  }
);

it(
  '8: a cold start over the limit measured by a worker started after the scenario (a restart) is measured again',
  { timeout: 120_000 },
  async () => {
    // CI's case: the new worker saw the whole cold start, but was catching up after the restart while it measured.
    const { result, calls } = await runTainted('resumeAfterLongPauseScenario', 'waitForRunning', 2, (seen) => ({
      ...seen,
      platformSeconds: (seen.platformSeconds as number) + OUTAGE_MS / 1000 / TIME_SCALE,
      workerStartedAtMs: Date.now(),
    }));
    expect(failed(result)).toEqual([]);
    expect(calls).toBe(3);
    expect((result.warnings ?? []).join('\n')).toMatch(
      /cold start was timed across a worker restart \(\d+ s\): paused/
    );
  }
);

it(
  '8: a slow cold start measured by a worker older than the scenario fails its limit, measured once',
  { timeout: 120_000 },
  async () => {
    // No restart: a second measurement would hide a platform that is sometimes slow.
    const { result } = await runTainted('resumeAfterLongPauseScenario', 'waitForRunning', 2, (seen) => ({
      ...seen,
      platformSeconds: (seen.platformSeconds as number) + OUTAGE_MS / 1000 / TIME_SCALE,
    }));
    expect(failed(result).join('\n')).toMatch(/\[cold-start\] cold start \d+ s > 300 s/);
    expect(liveResources(stack.sim)).toEqual({ instances: 0, volumes: 0 });
  }
);

it(
  '81: a job that ran its course while no worker watched is followed again with a second job, and the scenario passes',
  { timeout: 180_000 },
  async () => {
    const { result, calls } = await runTainted('finetuneLogsScenario', 'followFinetuneLogs', 1, (seen) => ({
      ...seen,
      samples: [],
      blindMs: OUTAGE_MS,
    }));
    expect(failed(result)).toEqual([]);
    expect(calls).toBe(2);
    expect((result.warnings ?? []).join('\n')).toMatch(
      /logs followed across a worker restart .*: a second job followed/
    );
  }
);

it(
  '81: logs that were not live although a worker watched throughout fail, followed once',
  { timeout: 180_000 },
  async () => {
    const { result, calls } = await runTainted('finetuneLogsScenario', 'followFinetuneLogs', 1, (seen) => ({
      ...seen,
      samples: [],
    }));
    expect(failed(result).join('\n')).toMatch(/^\[logs-live\]/m);
    expect(calls).toBe(1);
  }
);

/** A wake whose answer came only after the outage (it is the wait, so the outage is inside the measured time). */
const wokeAfterOutage = async (seen: Record<string, unknown>) => {
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  return seen;
};

it(
  '26: a cold start timed across a worker restart is measured again, and the scenario passes',
  { timeout: 180_000 },
  async () => {
    const { result, calls } = await runTainted('coldStartEconomicScenario', 'wakeServerless', 1, async (seen) => ({
      ...(await wokeAfterOutage(seen)),
      blindMs: OUTAGE_MS,
    }));
    expect(failed(result)).toEqual([]);
    expect(calls).toBe(2);
    expect((result.warnings ?? []).join('\n')).toMatch(
      /cold start was timed across a worker restart .*: paused and measured again/
    );
  }
);

it(
  '26: a slow cold start measured by a worker older than the scenario fails its limit, measured once',
  { timeout: 180_000 },
  async () => {
    const { result, calls } = await runTainted('coldStartEconomicScenario', 'wakeServerless', 1, wokeAfterOutage);
    expect(failed(result).join('\n')).toMatch(/^\[cold-start\] economic cold start \d+ s > 300 s/m);
    expect(calls).toBe(1);
  }
);
