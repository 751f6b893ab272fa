/**
 * The HTML report in a real browser (Playwright driving the machine's Chromium, headless): its summary cards say
 * what the JSON report says, the filters hide and show the right rows, and a scenario's Web UI link opens that
 * scenario's workflow in a running Temporal Web UI. Screenshots go to test-artifacts/ (git-ignored).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTemporalBinary } from '../../src/client/temporal-binary';
import { buildReportInput } from '../../src/client/report-builder';
import { writeReportDir } from '../../src/client/reporters/bundle';
import type { JsonReport } from '../../src/client/reporters/summary';
import type { SuiteResult } from '../../src/workflows/types';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';
import { startSimWorker, type SimWorker } from '../helpers/harness';
import { findChromium } from './chromium';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-browser-'));
let env: TestWorkflowEnvironment;
let h: SimWorker;
let browser: Browser;
let uiUrl = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  // First, so a machine without the browser fails at once with the fix, before any server starts.
  const executablePath = findChromium();
  const uiPort = await freePort();
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: findTemporalBinary() },
      ip: '127.0.0.1',
      ui: true,
      uiPort,
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'pretty', level: 'warn' },
    },
  });
  uiUrl = `http://127.0.0.1:${uiPort}`;
  h = await startSimWorker(env, { config: { reportsDir: path.join(dir, 'worker-reports') } });
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report in Chromium', () => {
  it('shows the JSON numbers, filters rows, and links each scenario to its workflow in the Web UI', async () => {
    // One scenario fails (a simulator defect), one passes: the status filter has something to tell apart.
    h.sim.addDefects(['gpu-model-mismatch']);
    let result: SuiteResult;
    const suiteId = `browser-${Date.now()}`;
    try {
      result = (await env.client.workflow.execute('SuiteWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: suiteId,
        args: [{ select: '1,11', target: 'sim', timeScale: h.timeScale }],
      })) as SuiteResult;
    } finally {
      h.sim.removeDefects(['gpu-model-mismatch']);
    }
    const input = await buildReportInput(result, {
      client: env.client,
      dataDir: h.dataDir,
      state: 'completed',
      finishedAt: new Date(),
      webUi: { baseUrl: uiUrl, namespace: 'default' },
    });
    const out = path.join(dir, 'report');
    const files = await writeReportDir(out, input);
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as JsonReport;

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(pathToFileURL(files.html).href);
    const cards = Object.fromEntries(
      await page.$$eval('.card', (els) =>
        els.map((el) => [el.querySelector('span')!.textContent!, el.querySelector('b')!.textContent!])
      )
    );
    expect(cards).toMatchObject({
      total: String(json.summary.total),
      passed: String(json.summary.passed),
      failed: String(json.summary.failed),
      skipped: String(json.summary.skipped),
      leaked: String(json.summary.leaked),
    });
    expect(json.summary.failed).toBeGreaterThan(0);
    expect(json.summary.passed).toBeGreaterThan(0);

    // Filters: by status, then by category; every row comes back when they are cleared.
    const visible = () =>
      page.$$eval('tr[data-status]', (rows) => rows.filter((r) => r.offsetParent !== null).map((r) => r.id));
    expect(await visible()).toEqual(json.scenarios.map((s) => s.key));
    await page.selectOption('select[name="status"]', 'failed');
    expect(await visible()).toEqual(json.scenarios.filter((s) => s.status === 'failed').map((s) => s.key));
    await expect(page.textContent('#shown')).resolves.toBe(
      `${json.summary.failed} of ${json.summary.total} scenarios shown`
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-filtered.png'), fullPage: true });
    await page.selectOption('select[name="status"]', '');
    await page.selectOption('select[name="category"]', 'lifecycle');
    expect(await visible()).toEqual(json.scenarios.filter((s) => s.category === 'lifecycle').map((s) => s.key));
    await page.selectOption('select[name="category"]', '');
    expect(await visible()).toHaveLength(json.scenarios.length);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });

    // The failed scenario's Web UI link opens its workflow in the running Web UI.
    const failed = json.scenarios.find((s) => s.status === 'failed')!;
    const link = page.locator(`tr#${failed.key} a.web-ui`);
    const href = await link.getAttribute('href');
    expect(href).toBe(failed.webUiUrl);
    await page.goto(href!);
    await page.getByText(failed.workflowId).first().waitFor({ timeout: 60_000 });
    await page.getByText('createRtx4090Scenario').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-workflow.png') });
    await page.close();
  });
});
