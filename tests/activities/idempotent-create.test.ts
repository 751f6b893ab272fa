/**
 * Activities against the real simulator (HTTP and SSH), outside Temporal: create is idempotent by label, the
 * compensation destroys through VAST what Dumont refuses to destroy (and says so), cleanup is bounded by an absolute
 * deadline and fails loudly past it, and the suite's SSH key (derived from the worker's secret) reaches the instance
 * and is released like any other labelled resource.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import type { WaitWindow } from '../../src/activities/polling';
import { createRunKeyStore } from '../../src/activities/run-keys';
import { runKeyLabel } from '../../src/labels';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { liveSshKeys, SIM_API_KEY, SIM_KEY_SECRET, SIM_USER } from '../helpers/harness';

let sim: RunningSim;
let acts: Activities;
let dataDir: string;
const suiteId = 'act-test';
const timeScale = 0.01;

/** A wait window of `platformSeconds` from now, as the workflow fixes it before the action it waits on. */
function window(platformSeconds: number): WaitWindow {
  const now = Date.now();
  return { startedAtMs: now, deadlineMs: now + platformSeconds * 1000 * timeScale + 2_000, timeScale };
}

/** Destroy everything under `labelPrefix` within `ms` real milliseconds (the bound fixed before the first try). */
const destroy = (labelPrefix: string, ms = 30_000, kinds?: string[]) =>
  acts.destroyByLabel({ labelPrefix, ...(kinds ? { kinds } : {}), deadlineMs: Date.now() + ms, timeScale });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-acts-'));
  sim = await startSimulator({ apiKey: SIM_API_KEY, users: [SIM_USER], timeScale, dataDir: path.join(dataDir, 'sim') });
  const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
  const dumont = createDumontClient({ baseUrl: sim.dumontUrl, ...SIM_USER });
  acts = createActivities({ dumont, vast, keys: createRunKeyStore(SIM_KEY_SECRET, vast) });
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
    const report = await destroy(label);
    expect(report.destroyed).toEqual([
      expect.stringMatching(new RegExp(`^instance ${first.instanceId} ${label} \\(at `)),
    ]);
    expect(report.warnings).toEqual([]);
    expect(sim.state().instances).toHaveLength(0);
  });

  it('destroyByLabel goes to VAST when Dumont answers success and destroys nothing, and warns about it', async () => {
    sim.setDefects(['destroy-running-ignored']);
    try {
      const label = 'dumont-e2e/act-test/s011/main';
      const inst = await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 3090', num_gpus: 1 } });
      await acts.waitForRunning({ instanceId: inst.instanceId, suiteId, ...window(600) });
      const report = await destroy('dumont-e2e/act-test/', 60_000, ['instance']);
      expect(report.destroyed).toEqual([expect.stringContaining(`instance ${inst.instanceId} ${label}`)]);
      expect(report.warnings).toEqual([
        expect.stringMatching(
          new RegExp(`^instance ${inst.instanceId} ${label} was destroyed through VAST after \\d+ Dumont destroys`)
        ),
      ]);
      expect(report.tries).toBeGreaterThan(1);
      const left = await acts.listByLabel({ labelPrefix: 'dumont-e2e/act-test/', kinds: ['instance', 'volume'] });
      expect(left).toEqual({ resources: [], lines: [], warnings: [] });
    } finally {
      sim.setDefects([]);
    }
  });

  it('destroyByLabel also deletes volumes left with the label, after the instance that held them', async () => {
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
      const listed = await acts.listByLabel({ labelPrefix: label });
      expect(listed.resources.filter((r) => r.kind === 'volume')).toHaveLength(1);
      expect(listed.lines.some((l) => l.startsWith('volume '))).toBe(true);
      const report = await destroy(label);
      expect(report.destroyed.filter((l) => l.startsWith('volume '))).toHaveLength(1);
      expect(sim.state().volumes).toHaveLength(0);
    } finally {
      sim.setDefects([]);
    }
  });

  it('destroyByLabel past its deadline fails with CleanupIncomplete naming what survived', async () => {
    const label = 'dumont-e2e/act-test/s012/main';
    const inst = await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 3090', num_gpus: 1 } });
    sim.setFaults({ rate: 1, kinds: ['destroy-fails'] });
    try {
      const err = await destroy(label, 1_500).then(
        () => undefined,
        (e: unknown) => e as { type?: string; message?: string }
      );
      expect(err?.type).toBe('CleanupIncomplete');
      expect(err?.message).toMatch(new RegExp(`could not destroy instance ${label} after \\d+ tries`));
      expect(sim.state().instances.map((i) => i.id)).toEqual([inst.instanceId]);
    } finally {
      sim.setFaults({ rate: 0 });
    }
    await destroy(label);
    expect(sim.state().instances).toHaveLength(0);
  });

  it('the suite key is registered once, used over SSH, and released by destroying its label', async () => {
    const label = 'dumont-e2e/act-test/s003/main';
    const inst = await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 3090', num_gpus: 1 } });
    await acts.createInstance({ suiteId, label, query: { gpu_name: 'RTX 3090', num_gpus: 1 } });
    expect(await liveSshKeys(sim)).toEqual([runKeyLabel(suiteId)]);
    await acts.waitForRunning({ instanceId: inst.instanceId, suiteId, ...window(600) });
    const probe = await acts.sshProbe({ suiteId, instanceId: inst.instanceId, command: 'pwd && nvidia-smi -L' });
    expect(probe.code).toBe(0);
    expect(probe.stdout).toMatch(/RTX 3090/);

    // A command that changes something is started once under its run key (tests/activities/ssh-start-once.test.ts
    // shows retries and dropped sessions); it reaches the instance with the same derived key.
    const run = await acts.sshRun({
      suiteId,
      instanceId: inst.instanceId,
      command: 'echo once >> appended && wc -l < appended',
      runKey: 'append-1',
      ...window(300),
    });
    expect(run).toMatchObject({ outcome: 'completed', code: 0, sessions: 1 });
    expect(run.stdout.trim()).toBe('1');

    await destroy(label);
    const released = await destroy(runKeyLabel(suiteId), 30_000, ['ssh-key']);
    expect(released.destroyed).toEqual([
      expect.stringMatching(/^ssh-key \d+ dumont-e2e\/act-test\/s000\/ssh-key \(at vast\)$/),
    ]);
    expect(await liveSshKeys(sim)).toEqual([]);
  });
});
