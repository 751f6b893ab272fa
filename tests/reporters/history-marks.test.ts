/**
 * The run history and its marks (flaky, new failure, fixed, failing, stable), and how the reports show them: HTML
 * (mark, trail, filters' data, Web UI link, measured values, cost against estimate and budget), JUnit (a case per
 * check, marks as properties), markdown, and the webhook's alarms.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendRun,
  historyFile,
  historyMarks,
  historyRunOf,
  markOf,
  readRuns,
  scenarioStats,
  type ScenarioOutcome,
} from '../../src/client/history';
import type { ReportContext } from '../../src/client/reporters/context';
import { toHtmlReport } from '../../src/client/reporters/html';
import { toJunitXml } from '../../src/client/reporters/junit';
import { toMarkdownSummary } from '../../src/client/reporters/markdown';
import { alarmsOf } from '../../src/client/webhook';
import type { SuiteResult } from '../../src/workflows/types';
import { fixtureSuite } from './fixture';
import { findAll, parseXml } from './xml';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outcomes = (statuses: string, versions = 'a'.repeat(statuses.length)): ScenarioOutcome[] =>
  [...statuses].map((c, i) => ({
    suiteId: `s${i}`,
    status: c === 'p' ? 'passed' : c === 'f' ? 'failed' : 'skipped',
    durationMs: 1000 * (i + 1),
    costUsd: 0.01,
    finishedAt: `2026-12-0${i + 1}T00:00:00Z`,
    codeVersion: versions[i]!,
  }));

describe('history marks', () => {
  it('flaky: flipped twice without a code change; not flaky when the code changed in between', () => {
    expect(markOf(outcomes('pfp'))).toBe('flaky');
    expect(markOf(outcomes('fpf'))).toBe('flaky');
    expect(markOf(outcomes('ppfp'))).toBe('flaky');
    expect(markOf(outcomes('pfp', 'abb'))).toBe('fixed');
    expect(markOf(outcomes('pfsp'))).toBe('flaky');
  });

  it('new failure, fixed, failing, stable; no mark for a skipped run', () => {
    expect(markOf(outcomes('ppf'))).toBe('new-failure');
    expect(markOf(outcomes('f'))).toBe('new-failure');
    expect(markOf(outcomes('ffp'))).toBe('fixed');
    expect(markOf(outcomes('pff'))).toBe('failing');
    expect(markOf(outcomes('ppp'))).toBe('stable');
    expect(markOf(outcomes('p'))).toBe('stable');
    expect(markOf(outcomes('pfs'))).toBeUndefined();
  });
});

describe('the history file', () => {
  it('appends a run once, reads the last N per target, skips a torn line, and measures durations', async () => {
    const file = historyFile(path.join(dir, 'a'));
    expect(await readRuns(file)).toEqual([]);
    const suite = fixtureSuite();
    for (const id of ['r1', 'r2', 'r3']) {
      const run = historyRunOf(
        { ...suite, suiteId: id },
        { state: 'completed', finishedAt: '2026-12-01T00:00:00Z', leaked: 0 }
      );
      expect(await appendRun(file, run)).toBe(true);
    }
    expect(
      await appendRun(
        file,
        historyRunOf({ ...suite, suiteId: 'r2' }, { state: 'completed', finishedAt: 'x', leaked: 0 })
      )
    ).toBe(false);
    appendFileSync(file, '{"suiteId":"torn","scen');
    expect((await readRuns(file)).map((r) => r.suiteId)).toEqual(['r1', 'r2', 'r3']);
    expect((await readRuns(file, { last: 2 })).map((r) => r.suiteId)).toEqual(['r2', 'r3']);
    expect(await readRuns(file, { target: 'dumont' })).toEqual([]);
    const stats = scenarioStats(await readRuns(file));
    const s1 = suite.scenarios.find((s) => s.id === 1)!;
    expect(stats.get(1)).toMatchObject({ runs: 3, medianDurationMs: s1.durationMs });
    expect(stats.get(1)!.meanCostUsd).toBeCloseTo(s1.costUsd, 9);
    // Not implemented and skipped scenarios measured nothing.
    expect(stats.has(16)).toBe(false);
    expect(stats.has(21)).toBe(false);
  });

  it('an unreadable file is an error, not an empty history', async () => {
    // A directory where the file should be (EISDIR), unlike a missing file, is not silently an empty history.
    await expect(readRuns(dir)).rejects.toThrow(/EISDIR/);
  });
});

/** The fixture with s001 flaky (p f p), s006 new failure, s002 failing, and a Web UI. */
function context(suite: SuiteResult): ReportContext {
  const runs = ['p1', 'p2'].map((suiteId, i) =>
    historyRunOf(
      {
        ...suite,
        suiteId,
        scenarios: suite.scenarios.map((s) => ({
          ...s,
          status: s.id === 1 && i === 1 ? 'failed' : s.id === 6 ? 'passed' : s.status,
        })),
      },
      { state: 'completed', finishedAt: `2026-11-0${i + 1}T00:00:00Z`, leaked: 0, codeVersion: 'v1' }
    )
  );
  return {
    history: historyMarks(runs, suite, 'v1', '2026-11-03T00:00:00Z'),
    webUi: { baseUrl: 'http://localhost:8233', namespace: 'default' },
    budgetUsd: 0.1,
  };
}

describe('reports with history', () => {
  const suite = fixtureSuite();
  const ctx = context(suite);

  it('marks computed from earlier runs', () => {
    expect(ctx.history![1]!.mark).toBe('flaky');
    expect(ctx.history![1]!.outcomes.map((o) => o.status)).toEqual(['passed', 'failed', 'passed']);
    expect(ctx.history![6]!.mark).toBe('new-failure');
    expect(ctx.history![2]!.mark).toBe('failing');
    expect(ctx.history![16]!.mark).toBeUndefined();
  });

  it('HTML: marks, trails, filter data, Web UI links, measured values, cost against estimate and budget', () => {
    const html = toHtmlReport(suite, ctx);
    expect(html).toMatch(
      /<tr id="s001-create-rtx-4090" data-category="lifecycle" data-markers="[^"]*" data-status="passed" data-mark="flaky">/
    );
    expect(html).toContain('<span class="mark flaky" data-mark="flaky">flaky</span>');
    expect(html).toContain('<span class="mark new-failure" data-mark="new-failure">new failure</span>');
    expect(html).toContain(
      `href="http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(suite.scenarios[0]!.workflowId)}"`
    );
    expect(html).toContain('<li class="ko">cold-start: measured 412 s, limit ≤ 300 s</li>');
    // The fixture spent $0.35 against a $0.10 budget: shown as over.
    expect(html).toMatch(/budget <b>\$0\.1000<\/b>: spent <b class="over">\$0\.3500<\/b>/);
    expect(html).toContain('<form class="filters" id="filters">');
    expect(toHtmlReport(suite)).not.toContain('data-mark="flaky"');
  });

  it('JUnit: one test case per check, and the marks as properties', () => {
    const root = parseXml(toJunitXml(suite, ctx));
    const cases = findAll(root, 'testcase');
    const checkCases = cases.filter((c) => c.attrs.classname.startsWith('dumont-e2e.lifecycle.s006'));
    expect(checkCases.map((c) => c.attrs.name)).toEqual(
      suite.scenarios.find((s) => s.id === 6)!.checks.map((c) => `[${c.id}] ${c.name}`)
    );
    expect(checkCases.map((c) => findAll(c, 'failure').length)).toEqual(
      suite.scenarios.find((s) => s.id === 6)!.checks.map((c) => (c.ok ? 0 : 1))
    );
    const props = (prefix: string) =>
      Object.fromEntries(
        findAll(
          cases.find((c) => c.attrs.name.startsWith(prefix))!,
          'property'
        ).map((p) => [p.attrs.name, p.attrs.value])
      );
    expect(props('s001')).toMatchObject({ mark: 'flaky', flaky: 'true', history: 'passed,failed,passed' });
    expect(props('s006')).toMatchObject({ mark: 'new-failure', 'new-failure': 'true' });
    expect(props('s002')).not.toHaveProperty('flaky');
  });

  it('markdown: verdict, counts, leaks, and the failed or marked scenarios with links', () => {
    const md = toMarkdownSummary({ result: suite, context: ctx });
    expect(md).toMatch(/^## dumont-e2e suite-1: ❌ not passed/);
    expect(md).toContain('| 5 | 1 | 2 | 1 | 1 | 3 |');
    expect(md).toContain('### ⚠️ Leaked resources');
    expect(md).toMatch(/\| ✅ \| \[s001-create-rtx-4090\]\(http:\/\/localhost:8233\/[^)]*\) \| flaky \| ✓✗✓ \|/);
    expect(md).toMatch(/\| ❌ \| \[s006-pause-resume\]\([^)]*\) \| new-failure \| ✓✓✗ \| \[billing-stopped\]/);
    expect(md).not.toMatch(/s016/);
  });

  it('webhook alarms: failures, leaks and a budget exceeded; none for a clean run', () => {
    expect(alarmsOf({ result: suite, context: ctx })).toEqual([
      '2 of 5 scenarios failed',
      '3 resources leaked',
      'budget $0.1000 exceeded: spent $0.3500, 1 scenarios not started',
    ]);
    const clean: SuiteResult = {
      ...suite,
      scenarios: suite.scenarios.filter((s) => s.status === 'passed'),
      leaked: [],
    };
    expect(alarmsOf({ result: clean })).toEqual([]);
  });
});
