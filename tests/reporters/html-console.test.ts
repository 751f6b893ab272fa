import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProgressLine, formatSuiteSummary, formatSummary } from '../../src/client/reporters/console';
import { toHtmlReport, writeHtmlReport } from '../../src/client/reporters/html';
import { summarize } from '../../src/client/reporters/summary';
import { fixtureSuite } from './fixture';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dumont-e2e-html-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('HTML report', () => {
  it('is one self-contained page written under new directories', async () => {
    const file = join(dir, 'a', 'b', 'report.html');
    await writeHtmlReport(fixtureSuite(), file);
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(html).toContain('<style>');
  });

  it('has summary cards, a table per category and checks behind details', () => {
    const html = toHtmlReport(fixtureSuite());
    expect(html).toContain('<div class="card"><b>2</b><span>failed</span></div>');
    expect(html).toContain('<span>not implemented</span>');
    expect(html).toContain('$0.3500');
    expect(html.match(/<table>/g)).toHaveLength(2);
    expect(html).toMatch(/<h2>lifecycle <small>\(1\/3 passed\)<\/small><\/h2>/);
    expect(html).toContain('<details open><summary>1/2 checks passed</summary>');
    expect(html).toContain('<span class="status not-implemented">not-implemented</span>');
    expect(html).toContain('<h2>Leaked resources</h2>');
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
    expect(formatProgressLine(one, 3, 15)).toBe('[ 3/15] PASS s001-create-rtx-4090  12.3s  45.2 GPU-s  $0.2000');
    const failed = formatProgressLine(six, 4, 15);
    expect(
      failed.startsWith('[ 4/15] FAIL s006-pause-resume  8.1s  30.1 GPU-s  $0.1000  — billing-stopped: expected <gpu')
    ).toBe(true);
    expect(failed).toContain(" & got 'RTX 3080' ⏎ see log");
    expect(formatProgressLine(sixteen, 5, 5)).toBe('[5/5] TODO s016-enable-serverless  not implemented');
    expect(formatProgressLine(twentyOne, 5, 5)).toMatch(/SKIP s021-auto-pause-after-idle .* — budget spent$/);
    expect(formatProgressLine(one, 1, 1, { color: true })).toContain('\u001b[32mPASS\u001b[0m');
  });

  it('summarises counts, GPU time, cost, leaks and failed scenarios with their first failed check', () => {
    const text = formatSuiteSummary(fixtureSuite());
    expect(text).toContain('Scenarios: 5 total, 1 passed, 2 failed, 1 skipped, 1 not implemented');
    expect(text).toContain('GPU time: 85.3 GPU-s   cost: $0.3500   wall: 1m 36s');
    expect(text).toContain('Leaked resources: 2\n  - dumont-e2e/suite-1/s002/create (instance 42)');
    expect(text).toContain('Failed:\n  s002-create-cheapest-rtx-3080: cleanup: destroy instance 42');
    expect(text).toContain('  s006-pause-resume: billing-stopped: expected <gpu');
    expect(text.split('\n').at(-1)).toBe('Result: FAILED');
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
