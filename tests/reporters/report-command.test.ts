/**
 * `dumont-e2e report --suite <id>` rebuilds a suite's reports from Temporal alone: for a finished suite the same
 * numbers as its result, for a running one the scenarios it has not finished marked as such; an unknown suite is bad
 * input (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/client/commands/report';
import { toJsonReport } from '../../src/client/reporters/summary';
import { suiteFromTemporal } from '../../src/client/suite-from-temporal';
import type { SuiteResult } from '../../src/workflows/types';
import { useSimWorker } from '../helpers/harness';

const t = useSimWorker();
const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process against the test server, with its own data directory. */
async function cli(argv: string[]): Promise<number> {
  const saved = { ...process.env };
  process.env.TEMPORAL_ADDRESS = t.env.address;
  process.env.DUMONT_E2E_DATA_DIR = path.join(dir, 'data');
  process.env.DUMONT_E2E_WEB_UI_URL = 'http://ui.example:8233';
  try {
    try {
      return await reportCommand(argv.slice(1));
    } catch (err) {
      if ((err as Error).name === 'UsageError' || (err as Error).name === 'ConfigError') return 2;
      throw err;
    }
  } finally {
    process.env = saved;
  }
}

describe('report --suite', () => {
  it('rebuilds the reports of a finished suite with the numbers of its result', async () => {
    const id = `report-done-${Date.now()}`;
    const result = (await t.env.client.workflow.execute('SuiteWorkflow', {
      taskQueue: t.h.taskQueue,
      workflowId: id,
      args: [{ select: '1', target: 'sim', timeScale: t.h.timeScale }],
    })) as SuiteResult;
    const out = path.join(dir, 'done');
    expect(await cli(['report', '--suite', id, '--out', out])).toBe(0);

    const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(json.summary).toEqual(toJsonReport(result).summary);
    expect(json.state).toBe('completed');
    expect(json.scenarios.map((s: { status: string }) => s.status)).toEqual(result.scenarios.map((s) => s.status));
    expect(json.scenarios[0].webUiUrl).toBe(
      `http://ui.example:8233/namespaces/default/workflows/${encodeURIComponent(result.scenarios[0]!.workflowId)}`
    );
    const junit = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain(`<property name="suiteId" value="${id}"/>`);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain(id);
    // The timeline comes from the scenario's workflow history: a bar with the kit's phases, in their order.
    const bar = /<div class="tl-row" data-timeline="1">(.*?)<\/div><\/div>\n?/s.exec(html)?.[1] ?? '';
    const phases = [...bar.matchAll(/class="tl-seg ph-([a-z-]+)"/g)].map((m) => m[1]);
    expect(phases[0]).toBe('create');
    expect(phases).toContain('verify');
    expect(phases.at(-2)).toBe('destroy');
    expect(phases.at(-1)).toBe('cleanup-audit');
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toContain(`## dumont-e2e ${id}`);
    // The closed suite joined the history, once, however many times it is reported.
    expect(await cli(['report', '--suite', id, '--out', out])).toBe(0);
    const lines = readFileSync(path.join(dir, 'data', 'run-history.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.filter((l) => JSON.parse(l).suiteId === id)).toHaveLength(1);
  });

  it('reports a running suite with its unfinished scenarios as not finished yet', async () => {
    const id = `report-running-${Date.now()}`;
    const handle = await t.env.client.workflow.start('SuiteWorkflow', {
      taskQueue: t.h.taskQueue,
      workflowId: id,
      args: [{ select: '1', target: 'sim', timeScale: t.h.timeScale }],
    });
    const running = await suiteFromTemporal(t.env.client, id);
    expect(running.state).toBe('running');
    expect(running.result.scenarios[0]).toMatchObject({
      status: 'skipped',
      error: expect.stringMatching(/still running/),
    });
    await handle.result();
    const done = await suiteFromTemporal(t.env.client, id);
    expect(done.state).toBe('completed');
    expect(done.result.scenarios[0]!.status).toBe('passed');
  });

  it('reports a cancelled suite with its final sweep read from its history', async () => {
    const id = `report-cancelled-${Date.now()}`;
    const handle = await t.env.client.workflow.start('SuiteWorkflow', {
      taskQueue: t.h.taskQueue,
      workflowId: id,
      args: [{ select: '1', target: 'sim', timeScale: t.h.timeScale }],
    });
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const cancelled = await suiteFromTemporal(t.env.client, id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.result.leaked).toEqual([]);
    expect(cancelled.result.finalSweep.error).toBeUndefined();
    expect(cancelled.result.scenarios).toHaveLength(1);
    expect(cancelled.result.scenarios[0]!.status).not.toBe('passed');
  });

  it('an unknown suite is bad input', async () => {
    expect(await cli(['report', '--suite', 'no-such-suite', '--out', path.join(dir, 'none')])).toBe(2);
    expect(await cli(['report'])).toBe(2);
  });
});
