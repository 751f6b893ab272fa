/**
 * Nightly runs come from a Temporal Schedule: overlap SKIP, a bounded catch-up window, no workflow timeouts;
 * a triggered run is an ordinary suite that passes and leaks nothing (its long scheduled id is hashed into
 * labels). The CLI rejects bad input before connecting.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSuiteSchedule, describeSchedule, triggerSchedule } from '../../src/client/schedules';
import type { SuiteResult } from '../../src/workflows/types';
import { liveResources, useSimWorker } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

const t = useSimWorker();

describe('schedules', () => {
  it('a triggered nightly schedule runs the suite, which passes and leaks nothing', { timeout: 120_000 }, async () => {
    const client = t.env.client;
    const id = await createSuiteSchedule(client, {
      id: 'nightly-test',
      cron: '0 2 * * *',
      timeZone: 'Europe/Paris',
      suite: { select: '1,11', target: 'sim', timeScale: t.h.timeScale },
      taskQueue: t.h.taskQueue,
    });
    const handle = client.schedule.getHandle(id);
    const d = await handle.describe();
    expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(d.policies.catchupWindow).toBe(2 * 3600 * 1000);
    expect(d.spec.timezone).toBe('Europe/Paris');
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'SuiteWorkflow', taskQueue: t.h.taskQueue });
    expect(d.action.type === 'startWorkflow' && d.action.workflowExecutionTimeout).toBeFalsy();
    expect(describeSchedule(id, d)).toMatch(/cron\s+0 2 \* \* \* Europe\/Paris/);

    await triggerSchedule(client, id);
    let runId = '';
    await waitFor(
      async () => {
        const recent = (await handle.describe()).info.recentActions;
        runId = recent[0]?.action.workflow.workflowId ?? '';
        return runId !== '';
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the scheduled run to start' }
    );
    expect(runId.startsWith('nightly-test-')).toBe(true);
    const result = (await client.workflow.getHandle(runId).result()) as SuiteResult;
    expect(result.scenarios.map((s) => s.status)).toEqual(['passed', 'passed']);
    expect(result.leaked).toEqual([]);
    expect(liveResources(t.h.sim)).toEqual({ instances: 0, volumes: 0 });
    await handle.delete();
  });

  it('the reaper schedule runs the reaper for real every 15 minutes by default', async () => {
    const id = await createSuiteSchedule(t.env.client, {
      reaper: { target: 'sim' },
      paused: true,
      taskQueue: t.h.taskQueue,
    });
    const d = await t.env.client.schedule.getHandle(id).describe();
    expect(id).toBe('dumont-e2e-reaper');
    expect(d.state.paused).toBe(true);
    expect(d.action).toMatchObject({ workflowType: 'ReaperWorkflow', args: [{ dryRun: false, target: 'sim' }] });
    expect(d.memo?.cron).toBe('*/15 * * * *');
    await t.env.client.schedule.getHandle(id).delete();
  });

  it.each([
    [['create', '--cron', 'every night'], /--cron "every night": expected five fields/],
    [['create', '--select', 'nightly'], /nightly/],
    [['frobnicate'], /unknown verb 'frobnicate'/],
    [['describe'], /needs a schedule id/],
  ])('dumont-e2e schedule %j fails fast', (args, message) => {
    const res = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '..', '..', 'bin', 'dumont-e2e.cjs'), 'schedule', ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' },
        timeout: 30_000,
      }
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});
