/**
 * A migrate whose answer is lost while the platform is still migrating (a real Dumont migrates synchronously, for
 * minutes) is adopted, never sent twice: the activity looks for the migration's effect through the landing window
 * before it gives up, so the retry Temporal would make cannot rent a second GPU. The simulator is real; only the
 * wire in front of its Dumont face is cut, as a load balancer's idle timeout would cut it.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import type { MigrationOutcome } from '../../src/activities/migration';
import { createRunKeyStore } from '../../src/activities/run-keys';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER } from '../helpers/harness';
import { startWireProxy, type WireProxy } from '../helpers/wire-proxy';

const timeScale = 0.05;
let sim: RunningSim;
let proxy: WireProxy;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-migrate-landing-'));
  sim = await startSimulator({ apiKey: SIM_API_KEY, users: [SIM_USER], timeScale, dataDir: path.join(dataDir, 'sim') });
  // The migrate's connection is cut 50 ms after it was sent: the platform has only begun its snapshot.
  proxy = await startWireProxy(sim.dumontUrl, { cutAfterMs: (x) => (x.path.endsWith('/migrate') ? 50 : undefined) });
});
afterAll(async () => {
  await proxy?.close();
  await sim?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a migrate cut before its answer is adopted once the platform finishes it, and is not sent again', async () => {
  const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
  const dumont = createDumontClient({ baseUrl: proxy.url, ...SIM_USER });
  const acts = createActivities({
    dumont,
    vast,
    keys: createRunKeyStore(SIM_KEY_SECRET, vast),
    createLandingWindowMs: 30_000,
  });
  const label = 'dumont-e2e/landing/s091/main';
  const source = await acts.createInstance({ suiteId: 'landing', label, query: { gpu_name: 'RTX 4090', num_gpus: 1 } });
  const now = Date.now();
  await acts.waitForRunning({
    instanceId: source.instanceId,
    suiteId: 'landing',
    startedAtMs: now,
    deadlineMs: now + 60_000,
    timeScale,
  });
  const outcome: MigrationOutcome = await new MockActivityEnvironment().run(acts.migrateInstance, {
    instanceId: source.instanceId,
    label,
    body: { target_type: 'gpu' as const, gpu_name: 'RTX 4090', max_price: 5 },
  });
  expect(outcome).toMatchObject({ success: true, adopted: true });
  expect(outcome.target?.instanceId).not.toBe(source.instanceId);
  const migrations = (sim.state().features.migration as { migrations: { label: string | null }[] }).migrations;
  expect(migrations.filter((m) => m.label === label)).toHaveLength(1);
  const alive = sim.state().instances.filter((i) => i.label === label);
  expect(alive.map((i) => i.id)).toEqual([outcome.target!.instanceId]);
  await acts.destroyByLabel({ labelPrefix: label, deadlineMs: Date.now() + 30_000, timeScale });
});
