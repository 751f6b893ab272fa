/**
 * Activities against the real simulator (HTTP and SSH), outside Temporal: create is idempotent by label, and the
 * compensation destroys through VAST what Dumont refuses to destroy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import { createRunKeyStore } from '../../src/activities/run-keys';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_USER } from '../helpers/harness';

let sim: RunningSim;
let acts: Activities;
let dataDir: string;
const suiteId = 'act-test';
const timeScale = 0.01;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-acts-'));
  sim = await startSimulator({ apiKey: SIM_API_KEY, users: [SIM_USER], timeScale, dataDir: path.join(dataDir, 'sim') });
  const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
  const dumont = createDumontClient({ baseUrl: sim.dumontUrl, ...SIM_USER });
  acts = createActivities({ dumont, vast, keys: createRunKeyStore(path.join(dataDir, 'keys'), vast) });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('activities on the simulator', () => {
  it('createInstance adopts the instance already carrying its label instead of renting a second GPU', async () => {
    const label = 'dumont-e2e/act-test/s001/main';
    const first = await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 4090', num_gpus: 1 } });
    const again = await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 4090', num_gpus: 1 } });
    expect(first.adopted).toBe(false);
    expect(again).toMatchObject({ instanceId: first.instanceId, adopted: true });
    expect(sim.state().instances.filter((i) => i.label === label)).toHaveLength(1);
    await acts.destroyByLabel({ labelPrefix: label, timeScale });
    expect(sim.state().instances).toHaveLength(0);
  });

  it('destroyByLabel falls back to VAST when Dumont answers success and destroys nothing', async () => {
    sim.setDefects(['destroy-running-ignored']);
    try {
      const label = 'dumont-e2e/act-test/s011/main';
      const inst = await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 3090', num_gpus: 1 } });
      await acts.waitForRunning({ instanceId: inst.instanceId, suiteId, timeoutSeconds: 600, timeScale });
      const report = await acts.destroyByLabel({ labelPrefix: 'dumont-e2e/act-test/', timeScale });
      expect(report.viaVast).toEqual([inst.instanceId]);
      expect(await acts.listByLabel({ labelPrefix: 'dumont-e2e/act-test/' })).toEqual({
        dumont: [],
        vast: [],
        volumes: [],
      });
    } finally {
      sim.setDefects([]);
    }
  });

  it('destroyByLabel also deletes volumes left with the label', async () => {
    sim.setDefects(['storage-billed-after-destroy']);
    try {
      const label = 'dumont-e2e/act-test/s013/main';
      const inst = await acts.createInstance({
        suiteId,
        label,
        query: { gpu_name: 'RTX 3090', num_gpus: 1 },
        diskGb: 200,
      });
      await acts.destroyInstance(inst.instanceId);
      expect((await acts.listByLabel({ labelPrefix: label })).volumes).toHaveLength(1);
      const report = await acts.destroyByLabel({ labelPrefix: label, timeScale });
      expect(report.volumes).toHaveLength(1);
      expect(sim.state().volumes).toHaveLength(0);
    } finally {
      sim.setDefects([]);
    }
  });

  it('the run key is registered once, used over SSH, and released', async () => {
    const label = 'dumont-e2e/act-test/s003/main';
    const inst = await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 3090', num_gpus: 1 } });
    await acts.waitForRunning({ instanceId: inst.instanceId, suiteId, timeoutSeconds: 600, timeScale });
    const res = await acts.sshRun({ suiteId, instanceId: inst.instanceId, command: 'pwd && nvidia-smi -L' });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/RTX 3090/);
    await acts.destroyByLabel({ labelPrefix: label, timeScale });
    await acts.releaseRunKey({ suiteId });
    const keys = await fetch(`${sim.vastUrl}/api/v0/ssh/`, { headers: { Authorization: `Bearer ${SIM_API_KEY}` } });
    expect(await keys.json()).toEqual([]);
  });
});
