import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProgressLine, formatSuiteSummary, formatSummary } from '../../src/client/reporters/console';
import { toHtmlReport, writeHtmlReport } from '../../src/client/reporters/html';
import { summarize } from '../../src/client/reporters/summary';
import { fixtureSuite, S006_LEAKED, VAST_WARNING } from './fixture';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dumont-e2e-html-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('HTML report', () => {
  it('is one self-contained page written under new directories: nothing fetched, links only to the Web UI', async () => {
    const file = join(dir, 'a', 'b', 'report.html');
    const webUi = { baseUrl: 'http://localhost:8233', namespace: 'default' };
    await writeHtmlReport(fixtureSuite(), file, { webUi });
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<link|src=|@import|url\(/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('<style>');
    const urls = html.match(/https?:\/\/[^"' <]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith('http://localhost:8233/namespaces/default/workflows/')).toBe(true);
  });

  it('has summary cards, a table per category and checks behind details', () => {
    const html = toHtmlReport(fixtureSuite());
    expect(html).toContain('<div class="card"><b>2</b><span>failed</span></div>');
    expect(html).toContain('<span>not implemented</span>');
    expect(html).toContain('$0.3500');
    expect(html.match(/<table>/g)).toHaveLength(2);
    expect(html).toContain('<table class="cost">');
    expect(html).toMatch(/<h2>lifecycle <small>\(1\/3 passed\)<\/small><\/h2>/);
    expect(html).toContain('<details open><summary>1/3 checks passed</summary>');
    expect(html).toContain('<span class="status not-implemented">not-implemented</span>');
    expect(html).toContain('<h2>Leaked resources (3)</h2>');
    // Leaks come first, before the summary cards.
    expect(html.indexOf('class="leaks"')).toBeLessThan(html.indexOf('class="cards"'));
  });

  it("shows checks by their stable id, and a limit check's measured value against its limit", () => {
    const html = toHtmlReport(fixtureSuite());
    expect(html).toContain(
      '<li class="ok">✔ <code class="check-id">[paused]</code> <b>pause: platform reports stopped</b>: actual_status=stopped</li>'
    );
    expect(html).toContain(
      '✘ <code class="check-id">[cold-start]</code> <b>cold start ≤ 300 s</b>: cold start 412 s &gt; 300 s <span class="measured">(measured 412 s, limit ≤ 300 s)</span>'
    );
    expect(html).toContain('<code class="check-id">[ssh-ready]</code>');
  });

  it("shows a scenario's warnings beside its checks and counts every warning in the cards", () => {
    const html = toHtmlReport(fixtureSuite());
    expect(html).toContain('2/2 checks passed · <span class="warn">1 warning(s)</span></summary>');
    expect(html).toContain(`<li class="warn">⚠ ${VAST_WARNING}</li>`);
    expect(html).toContain('<div class="card"><b>2</b><span>warnings</span></div>');
  });

  it('shows what the final sweep destroyed, its warnings and its error, and which leaks it caught later', () => {
    const html = toHtmlReport(fixtureSuite());
    const sweep = html.slice(html.indexOf('<h2 id="final-sweep">'), html.indexOf('<h2>lifecycle'));
    expect(sweep).toContain('destroyed 2 · 1 warning(s) · <b class="verdict-ko">gave up</b>');
    expect(sweep).toContain('<li>ssh-key 5 dumont-e2e/suite-1/s000/ssh-key (at vast)</li>');
    expect(sweep).toContain(
      '<li class="warn">⚠ VAST&#39;s instance list was unusable, Dumont&#39;s was used: 502 &lt;html&gt;</li>'
    );
    expect(sweep).toContain('<pre>error: could not destroy instance dumont-e2e/suite-1/s002/create after 9 tries');
    expect(html).toMatch(
      /<code>dumont-e2e\/suite-1\/s006\/[^<]*<\/code> <i>\(destroyed later by the final sweep\)<\/i>/
    );
    const quiet = toHtmlReport({ ...fixtureSuite(), finalSweep: { destroyed: [], warnings: [] } });
    expect(quiet).toContain('<p>destroyed 0 · 0 warning(s)</p>\n<p>nothing left to destroy</p>');
    expect(quiet).not.toContain('gave up');
  });

  it('escapes everything that comes from the run', () => {
    const html = toHtmlReport(fixtureSuite());
    expect(html).not.toContain('<gpu');
    expect(html).not.toContain('<billing>');
    expect(html).toContain('expected &lt;gpu name=&quot;RTX 4090&quot;&gt; &amp; got &#39;RTX 3080&#39;');
    expect(html).toContain('error: scenario failed: &lt;billing&gt; &amp; &quot;more&quot;');
  });
});

describe('console', () => {
  it('formats progress lines by status', () => {
    const [six, one, , sixteen, twentyOne] = fixtureSuite().scenarios;
    expect(formatProgressLine(one, 3, 15)).toBe(
      '[ 3/15] PASS s001-create-rtx-4090  12.3s  45.2 GPU-s  $0.2000  (1 warning)'
    );
    expect(formatProgressLine({ ...one, warnings: undefined }, 3, 15)).toBe(
      '[ 3/15] PASS s001-create-rtx-4090  12.3s  45.2 GPU-s  $0.2000'
    );
    const failed = formatProgressLine(six, 4, 15);
    expect(failed).toMatch(
      /^\[ 4\/15\] FAIL s006-pause-resume {2}8\.1s {2}30\.1 GPU-s {2}\$0\.1000 {2}— \[billing-stopped\] no GPU billing while paused: expected <gpu/
    );
    expect(failed).toContain(" & got 'RTX 3080' ⏎ see log");
    expect(formatProgressLine(sixteen, 5, 5)).toBe('[5/5] TODO s016-enable-serverless  not implemented');
    expect(formatProgressLine(twentyOne, 5, 5)).toMatch(/SKIP s021-auto-pause-after-idle .* — budget spent$/);
    expect(formatProgressLine(one, 1, 1, { color: true })).toContain('\u001b[32mPASS\u001b[0m');
  });

  it('summarises counts, GPU time, cost, leaks and failed scenarios with their first failed check', () => {
    const text = formatSuiteSummary(fixtureSuite());
    expect(text).toContain('Scenarios: 5 total, 1 passed, 2 failed, 1 skipped, 1 not implemented');
    expect(text).toContain('GPU time: 85.3 GPU-s   cost: $0.3500   wall: 1m 36s');
    expect(text).toContain(
      [
        'Leaked resources: 3',
        '  - instance 42 dumont-e2e/suite-1/s002/create (at vast)',
        '  - volume 7 dumont-e2e/suite-1/s009/data (at vast)',
        `  - ${S006_LEAKED} (destroyed later by the final sweep)`,
      ].join('\n')
    );
    expect(text).toContain('Failed:\n  s002-create-cheapest-rtx-3080: cleanup: destroy instance 42');
    expect(text).toContain('  s006-pause-resume: [billing-stopped] no GPU billing while paused: expected <gpu');
    expect(text.split('\n').at(-1)).toBe('Result: FAILED');
  });

  it("says what the final sweep did and lists the scenarios' warnings", () => {
    const text = formatSuiteSummary(fixtureSuite());
    expect(text).toContain(
      [
        'Final sweep: destroyed 2, 1 warning, gave up',
        `  destroyed: ${S006_LEAKED}`,
        '  destroyed: ssh-key 5 dumont-e2e/suite-1/s000/ssh-key (at vast)',
        "  warning: VAST's instance list was unusable, Dumont's was used: 502 <html>",
        '  error: could not destroy instance dumont-e2e/suite-1/s002/create after 9 tries: 500 Failed to destroy',
        'Warnings:',
        `  s001-create-rtx-4090: ${VAST_WARNING}`,
        'Failed:',
      ].join('\n')
    );
    const quiet = formatSuiteSummary({ ...fixtureSuite(), finalSweep: { destroyed: [], warnings: [] } });
    expect(quiet).toContain('Final sweep: destroyed 0, 0 warnings\n');
    expect(quiet).not.toContain('(destroyed later by the final sweep)');
  });

  it('reads results of suites older than the final sweep (no finalSweep, checks without ids)', () => {
    const old = fixtureSuite() as Partial<ReturnType<typeof fixtureSuite>>;
    delete old.finalSweep;
    const suite = old as ReturnType<typeof fixtureSuite>;
    suite.scenarios = suite.scenarios.map((s) => ({
      ...s,
      checks: s.checks.map(({ name, ok, detail }) => ({ name, ok, detail }) as (typeof s.checks)[number]),
    }));
    expect(formatSuiteSummary(suite)).toContain('Final sweep: destroyed 0, 0 warnings');
    expect(formatSuiteSummary(suite)).toContain('  s006-pause-resume: no GPU billing while paused: expected <gpu');
    expect(toHtmlReport(suite)).toContain('<p>nothing left to destroy</p>');
  });

  it('prints a bare summary and says INCOMPLETE when nothing failed but not all passed', () => {
    const summary = { ...summarize(fixtureSuite()), failed: 0, leaked: 0 };
    const text = formatSummary(summary);
    expect(text).not.toContain('Failed:');
    expect(text.split('\n').at(-1)).toBe('Result: INCOMPLETE');
    expect(formatSummary({ ...summary, total: 1, passed: 1, skipped: 0, notImplemented: 0 })).toMatch(
      /Result: PASSED$/
    );
  });
});
