import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendRun, historyFile, historyRunOf } from '../../src/client/history';
import { earlierDurations, platformMinutes } from '../../src/client/scheduling/durations';
import {
  defaultMaxParallel,
  REAL_MAX_PARALLEL,
  SIM_MAX_PARALLEL_BOUNDS,
} from '../../src/client/scheduling/parallelism';
import type { ScenarioResult, SuiteResult, Target } from '../../src/workflows/types';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'durations-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

let n = 0;
const scenario = (id: number, status: ScenarioResult['status'], durationMs: number) =>
  ({ id, slug: `s${id}`, category: 'lifecycle', status, durationMs, gpuSeconds: 0, costUsd: 0 }) as ScenarioResult;
async function record(dataDir: string, target: Target, scenarios: ScenarioResult[]) {
  const result = { suiteId: `suite-${++n}`, target, select: 'all', timeScale: 0.02, scenarios, leaked: [], wallMs: 1 };
  await appendRun(
    historyFile(dataDir),
    historyRunOf(result as unknown as SuiteResult, {
      state: 'completed',
      finishedAt: new Date().toISOString(),
      leaked: 0,
    })
  );
}

describe('durations of earlier runs', () => {
  it('is empty before any run and with an unreadable history', async () => {
    const dir = tmp();
    expect(await earlierDurations(dir, 'sim', 0.02)).toEqual({});
    writeFileSync(historyFile(dir), '{not json\n');
    expect(await earlierDurations(dir, 'sim', 0.02)).toEqual({});
  });

  it("gives each scenario's median over the runs that measured it, in platform minutes, per target", async () => {
    const dir = tmp();
    const scale = 0.02;
    await record(dir, 'sim', [scenario(1, 'passed', 6000), scenario(2, 'skipped', 9000), scenario(3, 'failed', 1200)]);
    await record(dir, 'sim', [scenario(1, 'passed', 12000)]);
    await record(dir, 'sim', [scenario(1, 'passed', 9000)]);
    await record(dir, 'dumont', [scenario(1, 'passed', 600_000)]);
    const sim = await earlierDurations(dir, 'sim', scale);
    // 1: the median of 6, 12 and 9 s; 2 was skipped (it measured nothing); 3 failed but ran.
    expect(sim).toEqual({ 1: platformMinutes(9000, scale), 3: platformMinutes(1200, scale) });
    expect(await earlierDurations(dir, 'dumont', 1)).toEqual({ 1: 10 });
  });
});

describe('default parallelism', () => {
  it('grows with the cores on the simulator, within bounds, and stays fixed on the real platform', () => {
    expect(defaultMaxParallel('dumont', 64)).toBe(REAL_MAX_PARALLEL);
    expect(defaultMaxParallel('sim', 1)).toBeGreaterThanOrEqual(SIM_MAX_PARALLEL_BOUNDS.min);
    expect(defaultMaxParallel('sim', 4)).toBeGreaterThan(defaultMaxParallel('sim', 2));
    expect(defaultMaxParallel('sim', 1000)).toBe(SIM_MAX_PARALLEL_BOUNDS.max);
  });
});
