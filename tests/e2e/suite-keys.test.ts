/**
 * Suite SSH keys are derived on each worker (no files), so any worker reaches any instance of a suite; and a key
 * registered with the platform is always released: by the suite's final sweep, or by a scenario started alone
 * with `temporal workflow start`.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTemporalBinary } from '../../src/client/temporal-binary';
import { runKeyLabel } from '../../src/labels';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import type { SuiteResult } from '../../src/workflows/types';
import { SIM_API_KEY, SIM_USER, useSimWorker } from '../helpers/harness';
import { spawnWorker, stopWorkers } from '../helpers/worker-process';

const ctx = useSimWorker();

const accountKeys = (sim: RunningSim) => createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY }).listSshKeys();

describe('suite SSH keys', () => {
  it(
    'a scenario started alone with `temporal workflow start` leaves no SSH key registered',
    { timeout: 120_000 },
    async () => {
      const { env, h } = ctx;
      const workflowId = `${h.taskQueue}-alone`;
      execFileSync(
        findTemporalBinary(),
        [
          'workflow',
          'start',
          '--address',
          env.address,
          '--type',
          'createRtx4090Scenario',
          '--task-queue',
          h.taskQueue,
          '--workflow-id',
          workflowId,
          '--input',
          JSON.stringify({ target: 'sim', timeScale: h.timeScale }),
        ],
        { stdio: 'pipe' }
      );
      const result = await env.client.workflow.getHandle(workflowId).result();
      expect(result.status).toBe('passed');
      // It did register one (its instance was reachable over SSH with it), and released it at its end.
      expect(result.checks.find((c: { id: string }) => c.id === 'gpus-visible')?.ok).toBe(true);
      const keys = await accountKeys(h.sim);
      expect(keys.filter((k) => k.publicKey.endsWith(` ${runKeyLabel(workflowId)}`))).toEqual([]);
    }
  );
});

describe('two worker processes on one task queue', () => {
  const procs: ChildProcess[] = [];
  let sim: RunningSim | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await stopWorkers(procs);
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('run one suite with scenarios on both, and every SSH check passes', { timeout: 600_000 }, async () => {
    const { env } = ctx;
    dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-2w-'));
    sim = await startSimulator({
      apiKey: SIM_API_KEY,
      users: [SIM_USER],
      timeScale: 0.01,
      dataDir: path.join(dir, 'sim'),
    });
    const taskQueue = 'dumont-e2e';
    // Two processes, two data dirs, nothing shared but the key secret (as two machines of one deployment).
    const keySecret = 'two-workers-share-this-secret-0123456789abcdef';
    procs.push(
      ...(await Promise.all(
        [1, 2].map((n) =>
          spawnWorker(sim!, { temporalAddress: env.address, dataDir: path.join(dir!, `worker-${n}`), keySecret })
        )
      ))
    );

    const suiteId = `two-workers-${Date.now()}`;
    const result = (await env.client.workflow.execute('SuiteWorkflow', {
      taskQueue,
      workflowId: suiteId,
      args: [{ select: 'lifecycle', target: 'sim', timeScale: 0.01, maxParallel: 15 }],
    })) as SuiteResult;
    const failed = result.scenarios.filter((s) => s.status !== 'passed');
    expect(
      failed.map(
        (s) =>
          `#${s.id}: ${
            s.error ??
            s.checks
              .filter((c) => !c.ok)
              .map((c) => c.detail)
              .join('; ')
          }`
      )
    ).toEqual([]);
    expect(result.leaked).toEqual([]);

    // Which worker ran each scenario's activities: both must have worked, and each scenario's SSH checks passed
    // whichever worker created its instance.
    const identities = new Set<string>();
    for (const s of result.scenarios) {
      const history = await env.client.workflow.getHandle(s.workflowId).fetchHistory();
      for (const e of history.events ?? []) {
        const id = e.activityTaskStartedEventAttributes?.identity;
        if (id) identities.add(id);
      }
    }
    expect(identities.size, `activity workers seen: ${[...identities].join(', ')}`).toBeGreaterThanOrEqual(2);
  });
});
