/**
 * A wait's deadline moves by the time no worker could look (`blindMs` in src/activities/polling.ts). CI found the
 * false failure this prevents: scenario 6's worker was killed while the resume was in flight; the resume was retried
 * on the next worker long after the window (opened before the resume) had closed, so the wait looked once, saw the
 * instance `loading` from the resume it had just sent, and failed "not reachable over SSH within 500 platform
 * seconds" although the platform resumed in 15. Measured values still count from the window's start.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import type { WaitRunningResult } from '../../src/activities/instances';
import { blindMs, pollUntil, withHeartbeat } from '../../src/activities/polling';
import { createRunKeyStore } from '../../src/activities/run-keys';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER } from '../helpers/harness';

/** A probe that answers `value` from `readyAt` (epoch ms) on. */
const readyFrom = (readyAt: number) => () => Promise.resolve(Date.now() >= readyAt ? 'ready' : undefined);

describe('blindMs', () => {
  it('is 0 for the first attempt on the worker that opened the window', async () => {
    const now = Date.now();
    const blind = await new MockActivityEnvironment({ attempt: 1, scheduledTimestampMs: now }).run(() =>
      Promise.resolve(blindMs(now - 100))
    );
    expect(blind).toBe(0);
  });

  it('counts the window before this worker existed up to the wait being scheduled', async () => {
    const openedAt = performance.timeOrigin - 20_000;
    const scheduledAt = Date.now();
    const blind = await new MockActivityEnvironment({ attempt: 1, scheduledTimestampMs: scheduledAt }).run(() =>
      Promise.resolve(blindMs(openedAt))
    );
    expect(blind).toBe(scheduledAt - openedAt);
  });

  it('on a retry, counts from the dead attempt’s last heartbeat, on top of what it had counted', async () => {
    const now = Date.now();
    const blind = await new MockActivityEnvironment({
      attempt: 3,
      scheduledTimestampMs: now - 60_000,
      heartbeatDetails: { beatAt: now - 12_000, blindMs: 4_000 },
    }).run(() => Promise.resolve(blindMs(now - 60_000, now)));
    expect(blind).toBe(16_000);
  });
});

describe('heartbeats', () => {
  it('the first beat of an activity already says when it beat, so a kill within the throttle still counts', async () => {
    // The chaos campaign found a retry counting 3 platform s of an outage of 9 real s: the attempt was killed within
    // the SDK's heartbeat throttle, and the only beat the server had (the first) carried no time.
    const env = new MockActivityEnvironment({ attempt: 1 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const before = Date.now();
    await env.run(() => withHeartbeat(() => Promise.resolve('done')));
    expect((beats[0] as { beatAt?: number } | undefined)?.beatAt).toBeGreaterThanOrEqual(before);
  });
});

describe('pollUntil with blind time', () => {
  it('a retry whose deadline passed during the outage keeps looking for as long as the outage lasted', async () => {
    const now = Date.now();
    const env = new MockActivityEnvironment({
      attempt: 2,
      scheduledTimestampMs: now - 5_000,
      heartbeatDetails: { beatAt: now - 3_000 },
    });
    const value = await env.run(() =>
      pollUntil(readyFrom(now + 1_000), { deadlineMs: now - 1_000, startedAtMs: now - 5_000, intervalMs: 50 })
    );
    expect(value).toBe('ready');
  });

  it('without an outage, a passed deadline still ends the wait after one look', async () => {
    const now = Date.now();
    // The window opened after this worker process started: nothing was blind.
    const openedAt = performance.timeOrigin + 1;
    const env = new MockActivityEnvironment({ attempt: 1, scheduledTimestampMs: now });
    const value = await env.run(() =>
      pollUntil(readyFrom(now + 1_000), { deadlineMs: now - 1_000, startedAtMs: openedAt, intervalMs: 50 })
    );
    expect(value).toBeUndefined();
  });
});

describe('waitForRunning after its worker was replaced', () => {
  let sim: RunningSim;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-blind-'));
    sim = await startSimulator({ apiKey: SIM_API_KEY, users: [SIM_USER], timeScale: 0.01, dataDir: dir });
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a window opened by a dead worker before the boot began still gives the boot its time', async () => {
    const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
    const acts = createActivities({
      dumont: createDumontClient({ baseUrl: sim.dumontUrl, ...SIM_USER }),
      vast,
      keys: createRunKeyStore(SIM_KEY_SECRET, vast),
    });
    const suiteId = 'blind-time';
    const label = `dumont-e2e/${suiteId}/s006/main`;
    try {
      // The window was opened (300 platform s = 3 s real) by a worker that died 20 s before this one existed; the
      // action it guards (here a create, booting for ~45 platform s) is only now sent by this worker.
      const openedAt = performance.timeOrigin - 20_000;
      const window = { startedAtMs: openedAt, deadlineMs: openedAt + 3_000, timeScale: 0.01 };
      const env = new MockActivityEnvironment({ attempt: 1, scheduledTimestampMs: Date.now() });
      const inst = await acts.createInstance({ suiteId, label, query: { num_gpus: 1 } });
      expect(sim.state().instances.find((i) => i.id === inst.instanceId)?.actual_status).not.toBe('running');

      const up = (await env.run(acts.waitForRunning, {
        instanceId: inst.instanceId,
        suiteId,
        ...window,
      })) as WaitRunningResult;

      expect(up.sshPort).toBeGreaterThan(0);
      // Measured from the window's start, outage included: the value is honest, only the give-up moment moved.
      expect(up.platformSeconds).toBeGreaterThan(2_000);
    } finally {
      await acts.destroyByLabel({ labelPrefix: label, deadlineMs: Date.now() + 20_000, timeScale: 0.01 });
    }
  });
});
