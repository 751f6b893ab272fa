/**
 * The live progress of `dumont-e2e run` counts every scenario and ends at N/N, although the last scenarios finish
 * between two polls (the suite completes before the next query, so only its result has them).
 */
import { describe, expect, it } from 'vitest';
import { createProgressPrinter } from '../../src/client/commands/run';
import type { ScenarioResult } from '../../src/workflows/types';

function result(id: number, status: ScenarioResult['status'] = 'passed'): ScenarioResult {
  return {
    id,
    slug: `scenario-${id}`,
    title: `scenario ${id}`,
    category: 'lifecycle',
    status,
    durationMs: 1000,
    gpuSeconds: 1,
    costUsd: 0.001,
    checks: [],
    workflowId: `suite/s${String(id).padStart(3, '0')}-scenario-${id}`,
  };
}

const counters = (lines: string[]) => lines.flatMap((l) => (/^\[\s*(\d+)\/(\d+)\]/.exec(l) ?? []).slice(1, 2));

describe('run progress', () => {
  it('prints the results the polls missed from the suite result, ending at N/N', () => {
    const lines: string[] = [];
    const progress = createProgressPrinter((l) => lines.push(l));
    const all = [1, 2, 3, 4].map((id) => result(id));
    progress.update({ total: 4, running: [all[0]!.workflowId, all[1]!.workflowId], results: [] });
    progress.update({ total: 4, running: [all[1]!.workflowId, all[2]!.workflowId], results: [all[0]!] });
    progress.update({ total: 4, running: [all[3]!.workflowId], results: all.slice(0, 3) });
    // 4 finished and the suite completed before the next poll.
    progress.finish({ scenarios: all });
    expect(counters(lines)).toEqual(['1', '2', '3', '4']);
    expect(lines.at(-1)).toMatch(/^\[4\/4\] PASS s004-scenario-4/);
    expect(lines.filter((l) => l.includes('started'))).toHaveLength(4);
  });

  it('gives results that arrive in one poll consecutive counters (not the same one)', () => {
    const lines: string[] = [];
    const progress = createProgressPrinter((l) => lines.push(l));
    progress.update({ total: 3, running: [], results: [result(1), result(2), result(3, 'failed')] });
    progress.finish({ scenarios: [result(1), result(2), result(3, 'failed')] });
    expect(counters(lines)).toEqual(['1', '2', '3']);
    expect(lines.at(-1)).toMatch(/^\[3\/3\] FAIL/);
  });

  it('counts scenarios not implemented yet in one line per batch, so the last line still reads N/N', () => {
    const lines: string[] = [];
    const progress = createProgressPrinter((l) => lines.push(l));
    const todo = Array.from({ length: 85 }, (_, i) => result(16 + i, 'not-implemented'));
    const done = Array.from({ length: 15 }, (_, i) => result(1 + i));
    progress.update({ total: 100, running: [], results: [...done.slice(0, 14), ...todo] });
    progress.finish({ scenarios: [...done, ...todo] });
    expect(lines.filter((l) => l.includes('TODO'))).toEqual(['[ 85/100] TODO 85 scenarios not implemented yet']);
    expect(counters(lines).map(Number)).toEqual(Array.from({ length: 16 }, (_, i) => 85 + i));
    expect(lines.at(-1)).toMatch(/^\[100\/100\] PASS s015/);
  });

  it('prints nothing twice', () => {
    const lines: string[] = [];
    const progress = createProgressPrinter((l) => lines.push(l));
    const r = [result(1), result(2)];
    progress.update({ total: 2, running: [], results: r });
    progress.update({ total: 2, running: [], results: r });
    progress.finish({ scenarios: r });
    expect(lines).toHaveLength(2);
  });
});
