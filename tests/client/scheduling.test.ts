import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  durationsFile,
  earlierDurations,
  platformMinutes,
  recordDurations,
} from '../../src/client/scheduling/durations';
import {
  defaultMaxParallel,
  REAL_MAX_PARALLEL,
  SIM_MAX_PARALLEL_BOUNDS,
} from '../../src/client/scheduling/parallelism';
import type { ScenarioResult } from '../../src/workflows/types';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'durations-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const result = (id: number, status: ScenarioResult['status'], durationMs: number) =>
  ({ id, status, durationMs }) as ScenarioResult;

describe('durations of earlier runs', () => {
  it('is empty before any run and after a corrupt file', () => {
    const dir = tmp();
    expect(earlierDurations(dir, 'sim')).toEqual({});
    writeFileSync(durationsFile(dir, 'sim'), '{not json');
    expect(earlierDurations(dir, 'sim')).toEqual({});
  });

  it('records platform minutes of scenarios that ran, smoothed over runs, per target', () => {
    const dir = tmp();
    const scale = 0.02;
    recordDurations(dir, {
      target: 'sim',
      timeScale: scale,
      scenarios: [result(1, 'passed', 6000), result(2, 'skipped', 9000), result(3, 'failed', 1200)],
    });
    expect(earlierDurations(dir, 'sim')).toEqual({ 1: platformMinutes(6000, scale), 3: platformMinutes(1200, scale) });
    recordDurations(dir, { target: 'sim', timeScale: scale, scenarios: [result(1, 'passed', 12000)] });
    // halfway between the two runs: 5 and 10 platform minutes
    expect(earlierDurations(dir, 'sim')[1]).toBeCloseTo(7.5);
    expect(earlierDurations(dir, 'dumont')).toEqual({});
    expect(JSON.parse(readFileSync(durationsFile(dir, 'sim'), 'utf8'))).toHaveProperty('3');
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
