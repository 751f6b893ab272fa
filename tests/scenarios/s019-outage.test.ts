/**
 * Scenario 19 (idle threshold) when its idle period was timed across a worker restart. The chaos campaign found it:
 * the platform paused the instance while no worker watched, the `idle_since` the pause clears was never seen, and the
 * idle time could only be measured on our clock, outage included (301 s against a 30 s threshold): a false failure.
 * The scenario now measures one more idle period, watched throughout (patch `s019-measure-again-after-outage`).
 *
 * What a restart does to the observation is reproduced exactly, and nothing else: the first `enableAndWaitPaused`
 * runs for real against the simulator; its result then says what a retry after an outage says (the time no worker
 * watched, `idle_since` unseen, the outage inside the measured time). Every other activity is the real one.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HarnessConfig } from '../../src/config';
import { startSimulator, type RunningSim } from '../../src/sim';
import { activitiesFor } from '../../src/worker';
import { activityTaskQueue } from '../../src/workflows/search-attributes';
import type { ScenarioResult } from '../../src/workflows/types';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER, liveResources } from '../helpers/harness';
import { bundleWorkflowsOnce, createTestEnv } from '../helpers/temporal-env';

const TIME_SCALE = 0.01;
/** The outage the first observation spans: 6 real s = 600 platform s at this time scale. */
const OUTAGE_MS = 6_000;

let env: TestWorkflowEnvironment;
let sim: RunningSim;
let dir: string;

beforeAll(async () => {
  env = await createTestEnv();
  dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-s019-'));
  sim = await startSimulator({
    apiKey: SIM_API_KEY,
    users: [SIM_USER],
    timeScale: TIME_SCALE,
    dataDir: path.join(dir, 'sim'),
  });
});
afterAll(async () => {
  await sim?.stop();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

it(
  'an idle period timed across a worker restart is measured again, and the scenario passes',
  { timeout: 120_000 },
  async () => {
    const config: HarnessConfig = {
      temporalAddress: env.address,
      namespace: 'default',
      target: 'sim',
      dumontUrl: sim.dumontUrl,
      dumontEmail: SIM_USER.email,
      dumontPassword: SIM_USER.password,
      vastUrl: sim.vastUrl,
      vastApiKey: SIM_API_KEY,
      dataDir: dir,
      keySecret: SIM_KEY_SECRET,
      objectStore: { endpoint: sim.objectStore.url, ...sim.objectStore },
    };
    const real = activitiesFor(config);
    let watches = 0;
    const activities = {
      ...real,
      async enableAndWaitPaused(input: Parameters<typeof real.enableAndWaitPaused>[0]) {
        const seen = await real.enableAndWaitPaused(input);
        if (++watches > 1) return seen;
        // What the retry after a worker restart reports: the pause came while no worker watched.
        return {
          ...seen,
          blindMs: OUTAGE_MS,
          idleSince: null,
          platformSeconds: seen.platformSeconds + OUTAGE_MS / 1000 / TIME_SCALE,
        };
      },
    };
    const taskQueue = `s019-outage-${process.pid}`;
    const workflows = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflowsOnce(),
    });
    const acts = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: activityTaskQueue('sim', taskQueue),
      activities,
    });
    const running = [workflows.run(), acts.run()];
    let result: ScenarioResult;
    try {
      result = (await env.client.workflow.execute('idleThresholdScenario', {
        taskQueue,
        workflowId: `${taskQueue}/s019-idle-threshold`,
        args: [{ suiteId: `s019-outage-${process.pid}`, target: 'sim', timeScale: TIME_SCALE }],
      })) as ScenarioResult;
    } finally {
      workflows.shutdown();
      acts.shutdown();
      await Promise.all(running);
    }

    expect(result.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`)).toEqual([]);
    expect(watches).toBe(2);
    expect((result.warnings ?? []).join('\n')).toMatch(/timed across a worker restart .*: woken and measured again/);
    expect(liveResources(sim)).toEqual({ instances: 0, volumes: 0 });
  }
);
