/**
 * The reaper destroys what no running workflow owns (closed or unknown owner), of every resource kind (instances and
 * suite SSH keys here), keeps what a running workflow owns, never touches other people's labels, and only reports
 * in a dry run.
 */
import { describe, expect, it } from 'vitest';
import type { ReaperResult } from '../../src/workflows/reaper';
import { runKeyLabel, stepLabel } from '../../src/labels';
import { generateRunKeyPair } from '../../src/platform/keys';
import { createVastClient } from '../../src/platform/vast/client';
import { liveSshKeys, SIM_API_KEY, useSimWorker } from '../helpers/harness';

const t = useSimWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw wire bodies, read field by field below
async function vast(path: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(`${t.h.sim.vastUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${SIM_API_KEY}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.json();
}

/** Rents an instance straight from VAST, as a crashed run (or somebody else) would have left it. */
async function rent(label: string): Promise<number> {
  const { offers } = await vast('/api/v0/bundles/', 'POST', { num_gpus: { eq: 1 }, limit: 50 });
  const taken = new Set(t.h.sim.state().instances.map((i: { offer_id?: number }) => i.offer_id));
  const offer = offers.find((o: { id: number }) => !taken.has(o.id));
  const res = await vast(`/api/v0/asks/${offer.id}/`, 'PUT', { image: 'vastai/base-image:latest', disk: 20, label });
  return res.new_contract;
}

/** Registers an account SSH key whose comment is `label`, as a suite (or somebody else) would have left it. */
async function addKey(label: string): Promise<number> {
  return createVastClient({ baseUrl: t.h.sim.vastUrl, apiKey: SIM_API_KEY }).addSshKey(
    generateRunKeyPair(label).publicKey
  );
}

async function reap(dryRun: boolean): Promise<ReaperResult> {
  return (await t.env.client.workflow.execute('ReaperWorkflow', {
    taskQueue: t.h.taskQueue,
    workflowId: `reaper-${dryRun}-${Date.now()}`,
    args: [{ dryRun, target: 'sim' }],
  })) as ReaperResult;
}

describe('ReaperWorkflow', () => {
  it('reaps orphans, keeps what running workflows own, ignores foreign labels', { timeout: 120_000 }, async () => {
    // Workflows nobody polls for stay Running: the owners of `live-suite` and of a scheduled-looking long id.
    await t.env.client.workflow.start('NoSuchWorkflow', { taskQueue: 'nobody-polls-this', workflowId: 'live-suite' });
    const longId = 'dumont-e2e-nightly-workflow-2026-11-24T02:00:00Z';
    await t.env.client.workflow.start('NoSuchWorkflow', { taskQueue: 'nobody-polls-this', workflowId: longId });
    const orphan = await rent('dumont-e2e/gone-suite/s001/main');
    const owned = await rent('dumont-e2e/live-suite/s002/main');
    const ownedHashed = await rent(stepLabel(longId, 3, 'main'));
    const orphanHashed = await rent('dumont-e2e/h-zzzzzz/s004/main');
    const foreign = await rent('sdk-test-1a2b3c');
    const orphanKey = await addKey(runKeyLabel('gone-suite'));
    await addKey(runKeyLabel('live-suite'));
    await addKey('someone@laptop');
    const keys = async () => (await liveSshKeys(t.h.sim)).sort();
    const live = () =>
      t.h.sim
        .state()
        .instances.map((i: { id: number }) => i.id)
        .sort();

    const dry = await reap(true);
    expect(dry.dryRun).toBe(true);
    expect(dry.doomed.map((d) => [d.kind, d.id, d.reason])).toEqual([
      ['instance', orphan, 'owner gone-suite is unknown to Temporal'],
      ['instance', orphanHashed, 'owner h-zzzzzz is unknown to Temporal (no running workflow has this hash)'],
      ['ssh-key', orphanKey, 'owner gone-suite is unknown to Temporal'],
    ]);
    expect(dry.kept).toBe(3);
    expect(live()).toEqual([orphan, owned, ownedHashed, orphanHashed, foreign].sort());
    expect(await keys()).toHaveLength(3);

    const wet = await reap(false);
    expect(wet.doomed.map((d) => [d.kind, d.id])).toEqual([
      ['instance', orphan],
      ['instance', orphanHashed],
      ['ssh-key', orphanKey],
    ]);
    expect(wet.errors).toEqual([]);
    expect(live()).toEqual([owned, ownedHashed, foreign].sort());
    expect(await keys()).toEqual([runKeyLabel('live-suite'), 'someone@laptop'].sort());

    await t.env.client.workflow.getHandle('live-suite').terminate('test over');
    await t.env.client.workflow.getHandle(longId).terminate('test over');
    const after = await reap(false);
    expect(
      after.doomed
        .filter((d) => d.kind === 'instance')
        .map((d) => d.id)
        .sort()
    ).toEqual([owned, ownedHashed].sort());
    expect(after.doomed.filter((d) => d.kind === 'ssh-key').map((d) => d.label)).toEqual([runKeyLabel('live-suite')]);
    expect(live()).toEqual([foreign]);
    expect(await keys()).toEqual(['someone@laptop']);
    await vast(`/api/v0/instances/${foreign}/`, 'DELETE');
  });
});
