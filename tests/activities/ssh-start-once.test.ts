/**
 * A command that starts work runs at most once, even when the simulator drops the SSH session right after the
 * command started and the activity retries: the test counts executions on the instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities, type InstanceRef } from '../../src/activities';
import { createRunKeyStore } from '../../src/activities/run-keys';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { retriesOf, unwrapRetried } from '../../src/workflows/retry-envelope';
import { SIM_API_KEY, SIM_USER } from '../helpers/harness';

const KEY_SECRET = 'ssh-start-once-test-secret-0123456789abcdef';
const suiteId = 'start-once';
const timeScale = 0.01;
let sim: RunningSim;
let acts: Activities;
let dataDir: string;
let inst: InstanceRef;

/** A wait window of `realSeconds` starting now. */
const windowOf = (realSeconds: number) => {
  const now = Date.now();
  return { startedAtMs: now, deadlineMs: now + realSeconds * 1000, timeScale };
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-once-'));
  sim = await startSimulator({ apiKey: SIM_API_KEY, users: [SIM_USER], timeScale, dataDir: path.join(dataDir, 'sim') });
  const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
  const dumont = createDumontClient({ baseUrl: sim.dumontUrl, ...SIM_USER });
  acts = createActivities({ dumont, vast, keys: createRunKeyStore(KEY_SECRET, vast) });
  inst = await acts.createInstance({ suiteId, label: 'dumont-e2e/start-once/s007/main', query: { num_gpus: 1 } });
  await acts.waitForRunning({ instanceId: inst.instanceId, suiteId, ...windowOf(30) });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sshRun starts a command at most once', () => {
  it('runs once and returns its output when nothing goes wrong', async () => {
    const out = await acts.sshRun({
      suiteId,
      instanceId: inst.instanceId,
      command: 'echo run >> plain.txt; echo "out $(wc -l < plain.txt)"; echo oops >&2; exit 3',
      runKey: 'plain-1',
      ...windowOf(30),
    });
    expect(out).toMatchObject({ outcome: 'completed', code: 3, stdout: 'out 1\n', stderr: 'oops\n', sessions: 1 });
  });

  it('a retry with the same run key collects the outcome without running the command again', async () => {
    const input = {
      suiteId,
      instanceId: inst.instanceId,
      command: 'echo x >> retried.txt; wc -l < retried.txt',
      runKey: 'retry-1',
    };
    const first = await acts.sshRun({ ...input, ...windowOf(30) });
    const second = await acts.sshRun({ ...input, ...windowOf(30) });
    expect(first.stdout.trim()).toBe('1');
    expect(second).toMatchObject({ outcome: 'completed', stdout: first.stdout });
    const count = await acts.sshProbe({ suiteId, instanceId: inst.instanceId, command: 'wc -l < retried.txt' });
    expect(count.stdout.trim()).toBe('1');
  });

  it('sessions dropped right after the start (simulator fault) never make a command run twice', async () => {
    const runs = 8;
    const before = sim.state().faults.injected['ssh-drop-after-start'];
    sim.setFaults({ rate: 0.5, kinds: ['ssh-drop-after-start'], seed: 7 });
    let outcomes;
    try {
      outcomes = await Promise.all(
        Array.from({ length: runs }, (_, i) =>
          acts.sshRun({
            suiteId,
            instanceId: inst.instanceId,
            command: `echo ran >> count-${i}.txt; sleep 0.2; echo done-${i}`,
            runKey: `drop-${i}`,
            ...windowOf(60),
          })
        )
      );
    } finally {
      sim.setFaults({ rate: 0 });
    }
    const dropped = sim.state().faults.injected['ssh-drop-after-start'] - before;
    expect(dropped, 'the fault must have dropped some sessions, or this test proves nothing').toBeGreaterThan(0);
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(runs).fill('completed'));
    expect(outcomes.map((o) => o.stdout.trim())).toEqual(outcomes.map((_, i) => `done-${i}`));
    expect(outcomes.reduce((n, o) => n + o.sessions, 0)).toBeGreaterThan(runs);
    const counts = await acts.sshProbe({
      suiteId,
      instanceId: inst.instanceId,
      command: `for i in $(seq 0 ${runs - 1}); do wc -l < count-$i.txt; done`,
    });
    expect(counts.stdout.trim().split('\n').map(Number)).toEqual(Array(runs).fill(1));
  });

  it('an outcome never seen before the deadline is reported as "may have run", not run again', async () => {
    const out = await acts.sshRun({
      suiteId,
      instanceId: inst.instanceId,
      command: 'echo started >> slow.txt; sleep 30',
      runKey: 'slow-1',
      ...windowOf(2),
    });
    expect(out.outcome).toBe('unknown');
    expect(out.stderr).toMatch(/may have run/);
    const count = await acts.sshProbe({ suiteId, instanceId: inst.instanceId, command: 'wc -l < slow.txt' });
    expect(count.stdout.trim()).toBe('1');
  });
});

describe('SSH tried again in place is recorded with the result', () => {
  /** Calls `call` (each in an activity) with `kind` faults at half the connections, until a result carries retries. */
  async function untilRetried(kind: 'ssh-reset' | 'ssh-drop-after-start', call: (i: number) => Promise<unknown>) {
    const before = sim.state().faults.injected[kind];
    sim.setFaults({ rate: 0.5, kinds: [kind], seed: 3 });
    const results: unknown[] = [];
    try {
      // Each call meets a fault about half the time: a handful of calls meets some, whatever the seed draws. A call
      // whose every try failed (Temporal would retry the activity) is not what this looks at.
      for (let i = 0; i < 20 && !results.some(retriesOf); i++) results.push(await call(i).catch(() => undefined));
    } finally {
      sim.setFaults({ rate: 0 });
    }
    expect(sim.state().faults.injected[kind] - before).toBeGreaterThan(0);
    return results.filter((r) => r !== undefined);
  }
  const notes = (results: unknown[]) => results.flatMap((r) => retriesOf(r)?.retried ?? []);

  it('connection resets sshProbe tried again come back with its value', async () => {
    const probes = await untilRetried('ssh-reset', () =>
      new MockActivityEnvironment().run(acts.sshProbe, { suiteId, instanceId: inst.instanceId, command: 'true' })
    );
    expect(notes(probes).filter((m) => /SSH/.test(m))).not.toEqual([]);
    // The value itself is the one a call without faults returns.
    for (const p of probes) expect(unwrapRetried(p)).toMatchObject({ code: 0 });
  });

  it('sessions sshRun opened again after a drop come back with its outcome', async () => {
    const runs = await untilRetried('ssh-drop-after-start', (i) =>
      new MockActivityEnvironment().run(acts.sshRun, {
        suiteId,
        instanceId: inst.instanceId,
        command: `echo ${i}`,
        runKey: `noted-${i}`,
        ...windowOf(30),
      })
    );
    expect(notes(runs)).not.toEqual([]);
    for (const r of runs) expect(unwrapRetried(r)).toMatchObject({ outcome: 'completed' });
  });
});
