/**
 * The live progress display: on a terminal (a stream with isTTY) a status line redrawn in place with done/total,
 * running scenarios, cost and leaks so far, the event lines scrolling above it; elsewhere the event lines alone,
 * with no escape codes, exactly as written.
 */
import { describe, expect, it } from 'vitest';
import { createLiveProgress, formatStatusLine } from '../../src/client/reporters/progress';
import type { ScenarioResult } from '../../src/workflows/types';

function result(id: number, costUsd: number, leaked: string[] = []): ScenarioResult {
  return {
    id,
    slug: `scenario-${id}`,
    title: `scenario ${id}`,
    category: 'lifecycle',
    status: leaked.length ? 'failed' : 'passed',
    durationMs: 1000,
    gpuSeconds: 1,
    costUsd,
    checks: [],
    leaked,
    workflowId: `suite/s${String(id).padStart(3, '0')}-scenario-${id}`,
  };
}

function stream(isTTY: boolean, columns = 120) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns, write: (c: string) => chunks.push(c), text: () => chunks.join('') };
}

const progress = {
  total: 10,
  running: ['suite/s003-scenario-3', 'suite/s004-scenario-4'],
  results: [result(1, 0.01), result(2, 0.02, ['instance 7 dumont-e2e/x/s002/a'])],
};

describe('live progress', () => {
  it('on a terminal keeps a status line with done/total, running, cost, leaks and elapsed time', () => {
    let t = 0;
    const out = stream(true);
    const live = createLiveProgress(out, { now: () => t });
    expect(live.live).toBe(true);
    live.line('[1/10] PASS s001-scenario-1');
    t = 5_000; // the stack's start-up is not the run's elapsed time
    live.status({ ...progress, results: [] });
    t = 77_000;
    live.status(progress);
    const status = out.chunks.at(-1)!;
    expect(status.startsWith('\r\u001b[2K')).toBe(true);
    expect(status).toMatch(
      /\[2\/10\] 2 running: s003-scenario-3, s004-scenario-4 · \$0\.0300 · 1 leaked · 1 failed · 1m 12s/
    );
    // An event line clears the status line, prints, and redraws it below.
    live.line('[3/10] PASS s003-scenario-3');
    expect(out.chunks.slice(-2)).toEqual(['\r\u001b[2K[3/10] PASS s003-scenario-3\n', status]);
    live.done();
    expect(out.chunks.at(-1)).toBe('\r\u001b[2K');
    live.line('Result: PASSED');
    expect(out.chunks.at(-1)).toBe('Result: PASSED\n');
  });

  it('not on a terminal prints the event lines alone, with no escape codes', () => {
    const out = stream(false);
    const live = createLiveProgress(out);
    expect(live.live).toBe(false);
    live.line('[1/10] PASS s001-scenario-1');
    live.status(progress);
    live.line('[2/10] FAIL s002-scenario-2');
    live.done();
    expect(out.text()).toBe('[1/10] PASS s001-scenario-1\n[2/10] FAIL s002-scenario-2\n');
  });

  it('--quiet on a terminal draws no status line either', () => {
    const out = stream(true);
    const live = createLiveProgress(out, { quiet: true });
    live.status(progress);
    live.done();
    expect(out.text()).toBe('');
  });

  it('cuts the running list to the terminal width, keeping the counts', () => {
    const many = { ...progress, running: Array.from({ length: 30 }, (_, i) => `suite/s0${10 + i}-long-scenario-name`) };
    const line = formatStatusLine(many, 5000, 80);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line).toMatch(/^\[2\/10\] 30 running: .*… · \$0\.0300 · 1 leaked/);
  });
});

describe('live progress on a terminal that reports no width', () => {
  it('assumes 100 columns rather than cutting every name', () => {
    const out = { chunks: [] as string[], isTTY: true, columns: 0, write: (c: string) => out.chunks.push(c) };
    const live = createLiveProgress(out, { now: () => 0 });
    live.status({ total: 2, running: ['suite/s011-destroy-running'], results: [] });
    expect(out.chunks.at(-1)).toContain('1 running: s011-destroy-running ·');
  });
});
