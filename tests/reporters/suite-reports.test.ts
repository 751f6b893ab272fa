/**
 * The suite writes its own reports: a scheduled run (no CLI attached) leaves JSON, JUnit, HTML and markdown on the
 * worker and in the bucket, the same files `report --suite` rebuilds; a failing scheduled run sends one webhook
 * message to a loopback receiver, a passing one none, and the webhook's URL never enters the history. Three runs in
 * which one scenario fails only in the middle one mark it flaky with its history, and the other stable.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportsBucketPrefix } from '../../src/activities/reports';
import { triggerSchedule, createSuiteSchedule } from '../../src/client/schedules';
import { reportCommand } from '../../src/client/commands/report';
import { suiteDirName } from '../../src/client/reporters/bundle';
import { createObjectStoreClient } from '../../src/platform/object-store';
import type { SuiteResult } from '../../src/workflows/types';
import { startSimWorker, type SimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';
import { waitFor } from '../helpers/wait-for';

let env: TestWorkflowEnvironment;
let h: SimWorker;
let receiver: Server;
const received: Array<{ text: string }> = [];
let webhookUrl = '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-suite-reports-'));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(body) as { text: string });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/T000/B000/secret-token-xyz`;
  env = await createTestEnv();
  h = await startSimWorker(env, { config: { webhookUrl, reportsDir: path.join(dir, 'worker-reports') } });
});

afterAll(async () => {
  await h?.stop();
  await env?.teardown();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Triggers a schedule of `select` and resolves to its run's id and result. */
async function scheduledRun(id: string, select: string): Promise<{ runId: string; result: SuiteResult }> {
  const scheduleId = await createSuiteSchedule(env.client, {
    id,
    cron: '0 2 * * *',
    suite: { select, target: 'sim', timeScale: h.timeScale },
    taskQueue: h.taskQueue,
  });
  const schedule = env.client.schedule.getHandle(scheduleId);
  await triggerSchedule(env.client, scheduleId);
  let runId = '';
  await waitFor(
    async () => {
      runId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId ?? '';
      return runId !== '';
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'the scheduled run to start' }
  );
  const result = (await env.client.workflow.getHandle(runId).result()) as SuiteResult;
  await schedule.delete();
  return { runId, result };
}

const FILES = ['report.json', 'junit.xml', 'report.html', 'summary.md'];

describe('the suite writes its own reports', () => {
  it('a passing scheduled run leaves every report on the worker and in the bucket, and no message', async () => {
    const { runId, result } = await scheduledRun('nightly-pass', '1');
    expect(result.scenarios.map((s) => s.status)).toEqual(['passed']);
    const own = path.join(dir, 'worker-reports', suiteDirName(runId));
    for (const f of FILES) expect(existsSync(path.join(own, f)), f).toBe(true);
    const bucket = createObjectStoreClient(h.config.objectStore!);
    const keys = (await bucket.list(reportsBucketPrefix(runId))).map((o) => o.key).sort();
    expect(keys).toEqual(FILES.map((f) => `${reportsBucketPrefix(runId)}${f}`).sort());
    expect((await bucket.get(`${reportsBucketPrefix(runId)}report.json`))?.toString('utf8')).toBe(
      readFileSync(path.join(own, 'report.json'), 'utf8')
    );
    expect(received).toEqual([]);

    // `report --suite` rebuilds the same files from Temporal (only the time they were made differs).
    const out = path.join(dir, 'rebuilt');
    const saved = { ...process.env };
    Object.assign(process.env, { TEMPORAL_ADDRESS: env.address, DUMONT_E2E_DATA_DIR: h.dataDir });
    delete process.env.DUMONT_E2E_WEB_UI_URL;
    try {
      expect(await reportCommand(['--suite', runId, '--out', out])).toBe(0);
    } finally {
      process.env = saved;
    }
    const strip = (text: string) => text.replace(/"generatedAt": "[^"]*"|generated [^<]*/g, '');
    for (const f of FILES) {
      expect(strip(readFileSync(path.join(out, f), 'utf8')), f).toBe(strip(readFileSync(path.join(own, f), 'utf8')));
    }
  });

  it('a failing scheduled run sends one webhook message; the URL never enters its history', async () => {
    h.sim.addDefects(['gpu-model-mismatch']);
    let run: { runId: string; result: SuiteResult };
    try {
      run = await scheduledRun('nightly-fail', '1');
    } finally {
      h.sim.removeDefects(['gpu-model-mismatch']);
    }
    expect(run.result.scenarios.map((s) => s.status)).toEqual(['failed']);
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toContain(run.runId);
    expect(received[0]!.text).toMatch(/1 of 1 scenarios failed/);
    expect(received[0]!.text).toContain('gpus-visible');
    const history = JSON.stringify(await env.client.workflow.getHandle(run.runId).fetchHistory());
    expect(history).not.toContain('secret-token-xyz');
    for (const f of FILES) {
      const text = readFileSync(path.join(dir, 'worker-reports', suiteDirName(run.runId), f), 'utf8');
      expect(text, f).not.toContain('secret-token-xyz');
    }
  });
});

describe('history marks', () => {
  let flaky: SimWorker;
  beforeAll(async () => {
    flaky = await startSimWorker(env, { config: { reportsDir: path.join(dir, 'flaky-reports') } });
  });
  afterAll(async () => flaky?.stop());

  it('a scenario that fails only in the middle of three runs is flaky, the other stable', async () => {
    const run = async (n: number) => {
      const id = `flaky-${n}-${Date.now()}`;
      await env.client.workflow
        .execute('SuiteWorkflow', {
          taskQueue: flaky.taskQueue,
          workflowId: id,
          args: [{ select: '1,11', target: 'sim', timeScale: flaky.timeScale }],
        })
        .catch(() => undefined);
      const read = (f: string) => readFileSync(path.join(dir, 'flaky-reports', id, f), 'utf8');
      return {
        ...(JSON.parse(read('report.json')) as {
          scenarios: Array<{
            id: number;
            status: string;
            history: { mark?: string; outcomes: Array<{ status: string }> };
          }>;
        }),
        html: read('report.html'),
      };
    };
    const first = await run(1);
    flaky.sim.addDefects(['gpu-model-mismatch']);
    let second;
    try {
      second = await run(2);
    } finally {
      flaky.sim.removeDefects(['gpu-model-mismatch']);
    }
    const third = await run(3);
    const byId = (r: typeof first, id: number) => r.scenarios.find((s) => s.id === id)!;

    expect(byId(first, 1).history.mark).toBe('stable');
    expect(byId(second, 1)).toMatchObject({ status: 'failed', history: { mark: 'new-failure' } });
    expect(byId(third, 1).history.mark).toBe('flaky');
    expect(byId(third, 1).history.outcomes.map((o) => o.status)).toEqual(['passed', 'failed', 'passed']);
    expect(byId(third, 11).history.mark).toBe('stable');
    expect(byId(third, 11).history.outcomes.map((o) => o.status)).toEqual(['passed', 'passed', 'passed']);
    expect(third.html).toMatch(/data-mark="flaky"/);
    expect(first.html).not.toMatch(/data-mark="flaky"/);
  });
});
