/**
 * The Web UI tells the story (issue 17, item 7): every activity and timer of a scenario carries a readable summary
 * (Temporal user metadata), the scenario's deadline timer says so, and the suite starts each scenario with static
 * details that link to its row in the report. Proved by reading the recorded history's events, as the Web UI does;
 * and none of it carries a secret.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/catalog';
import { scenarioKey } from '../../src/catalog/types';
import { activitySummary, sleepSummary } from '../../src/workflows/kit/summaries';
import { reportUrlFor, scenarioDetails, safeReportUrl } from '../../src/workflows/suite-details';
import type { SuiteResult } from '../../src/workflows/types';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER, useSimWorker } from '../helpers/harness';

type Event = temporal.api.history.v1.IHistoryEvent;
const text = (p: temporal.api.common.v1.IPayload | null | undefined): string | undefined =>
  p ? defaultPayloadConverter.fromPayload<string>(p) : undefined;

describe('summaries (pure)', () => {
  it('say what each call does, from its input', () => {
    expect(
      activitySummary('createInstance', {
        suiteId: 'x',
        label: 'dumont-e2e/e2e-1/s001/main',
        offerId: 8348878,
        query: { gpu_name: 'RTX 3090', num_gpus: 1 },
      })
    ).toBe('rent RTX 3090 (offer 8348878) as s001/main');
    expect(activitySummary('sshRun', { command: 'md5sum data/blob.bin\necho done', runKey: 'k' })).toBe(
      'ssh: md5sum data/blob.bin …'
    );
    expect(activitySummary('destroyInstance', 42)).toBe('destroy instance 42');
    expect(activitySummary('waitForReplicas', { deploymentId: 'd-7', replicas: 3 })).toBe(
      'wait for replicas: deploymentId d-7'
    );
    expect(activitySummary('somethingNew', 'a string')).toBe('something new');
    expect(sleepSummary(60, 'paused')).toBe('paused 60 platform s');
    expect(activitySummary('sshRun', { command: 'x'.repeat(500) }).length).toBeLessThanOrEqual(160);
  });

  it('drop a report URL that could carry credentials', () => {
    expect(safeReportUrl('file:///r/report.html')).toBe('file:///r/report.html');
    expect(safeReportUrl('https://ci.example/r/report.html')).toBe('https://ci.example/r/report.html');
    expect(safeReportUrl('https://user:pass@ci.example/report.html')).toBeUndefined();
    expect(safeReportUrl('https://ci.example/report.html?token=abc')).toBeUndefined();
    expect(scenarioDetails(SCENARIOS[0]!, 'https://u:p@x/r.html')).not.toMatch(/u:p|\[Report/);
  });

  it("point a schedule's nights at their own report directory", () => {
    expect(reportUrlFor('https://ci.example/e2e/{suite}/report.html', 'dumont-e2e-nightly-2026-12-01T02:00:00Z')).toBe(
      'https://ci.example/e2e/dumont-e2e-nightly-2026-12-01T02_00_00Z/report.html'
    );
    expect(reportUrlFor('file:///r/report.html', 'e2e-1')).toBe('file:///r/report.html');
    expect(reportUrlFor(undefined, 'e2e-1')).toBeUndefined();
  });
});

const t = useSimWorker();

describe('summaries in the history', () => {
  it(
    'every activity and timer of a scenario has a summary; the child links to the report',
    { timeout: 120_000 },
    async () => {
      const spec = SCENARIOS[5]!; // 6 — pause-resume: rents, SSH, pauses for a measured window, destroys.
      const reportUrl = 'file:///tmp/reports/report.html';
      const suiteId = `summaries-${t.h.taskQueue}`;
      const result = (await t.env.client.workflow.execute('SuiteWorkflow', {
        taskQueue: t.h.taskQueue,
        workflowId: suiteId,
        args: [{ select: String(spec.id), timeScale: t.h.timeScale, reportUrl }],
      })) as SuiteResult;
      expect(result.scenarios[0]!.status).toBe('passed');

      const child = await t.env.client.workflow.getHandle(result.scenarios[0]!.workflowId).fetchHistory();
      const events = (child.events ?? []) as Event[];
      const activities = events.filter((e) => e.activityTaskScheduledEventAttributes);
      const timers = events.filter((e) => e.timerStartedEventAttributes);
      expect(activities.length).toBeGreaterThan(0);
      const unnamed = [...activities, ...timers].filter((e) => !text(e.userMetadata?.summary));
      expect(unnamed.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? 'timer')).toEqual([]);

      const summaries = [...activities, ...timers].map((e) => text(e.userMetadata?.summary)!);
      expect(summaries).toContainEqual(expect.stringMatching(/^rent RTX 3090 as s006\/main$/));
      expect(summaries).toContainEqual('ssh: nvidia-smi -L');
      expect(summaries).toContain('paused 60 platform s');
      expect(summaries).toContain(`deadline ${spec.deadlineMinutes} platform min`);
      expect(summaries).toContainEqual(expect.stringMatching(/^pause instance \d+$/));
      expect(summaries).toContain('read the clock');

      // The suite's start of the child carries the scenario's static details, linking to its row in the report.
      const suite = await t.env.client.workflow.getHandle(suiteId).fetchHistory();
      const start = ((suite.events ?? []) as Event[]).find(
        (e) => e.startChildWorkflowExecutionInitiatedEventAttributes
      );
      expect(text(start?.userMetadata?.summary)).toBe(`#${spec.id} ${spec.title}`);
      const details = text(start?.userMetadata?.details);
      expect(details).toContain(`[Report: ${scenarioKey(spec)}](${reportUrl}#${scenarioKey(spec)})`);
      expect(details).toContain(spec.verifies);

      // Nothing the workers hold as a secret shows up in any summary or details.
      const metadata = JSON.stringify([...summaries, details]);
      for (const secret of [SIM_API_KEY, SIM_KEY_SECRET, SIM_USER.password]) expect(metadata).not.toContain(secret);
    }
  );
});
