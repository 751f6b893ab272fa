import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJsonReport } from '../../src/client/reporters/json';
import {
  firstFailure,
  isSuccessful,
  leakedResources,
  resourceKey,
  summarize,
  toJsonReport,
} from '../../src/client/reporters/summary';
import { writeReports } from '../../src/client/reporters';
import { fixtureSuite, S006_LEAKED, SUITE_LEAKED, VAST_WARNING } from './fixture';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dumont-e2e-reports-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('summarize', () => {
  it('counts statuses, distinct leaks, GPU time, cost and wall time', () => {
    expect(summarize(fixtureSuite())).toEqual({
      total: 5,
      passed: 1,
      failed: 2,
      skipped: 1,
      notImplemented: 1,
      leaked: 3,
      gpuSeconds: 85.3,
      costUsd: 0.35,
      wallMs: 95_500,
    });
  });

  it('counts a resource seen by a scenario and by the suite at different witnesses once', () => {
    expect(resourceKey('instance 42 dumont-e2e/suite-1/s002/create (at dumont, vast)')).toBe('instance 42');
    expect(resourceKey('something else')).toBe('something else');
    expect(leakedResources(fixtureSuite())).toEqual([...SUITE_LEAKED, S006_LEAKED]);
  });

  it('passes only when every scenario passed and nothing leaked', () => {
    const suite = fixtureSuite();
    expect(isSuccessful(summarize(suite))).toBe(false);
    const clean = { ...suite, leaked: [], scenarios: suite.scenarios.filter((s) => s.status === 'passed') };
    expect(isSuccessful(summarize(clean))).toBe(true);
    const notImplemented = { ...clean, scenarios: suite.scenarios.filter((s) => s.status === 'not-implemented') };
    expect(isSuccessful(summarize(notImplemented))).toBe(false);
    expect(isSuccessful(summarize({ ...clean, scenarios: [] }))).toBe(false);
  });

  it('explains a failure by its first failed check, else its error, cleanup error or leak', () => {
    const [six, , two] = fixtureSuite().scenarios;
    expect(firstFailure(six)).toMatch(/^\[billing-stopped\] no GPU billing while paused: expected <gpu/);
    expect(firstFailure(two)).toBe('cleanup: destroy instance 42: 500 Failed to destroy');
    expect(firstFailure({ ...six, checks: [] })).toBe('scenario failed: <billing> & "more"');
  });
});

describe('JSON report', () => {
  it('has exactly the documented shape (docs/reports.md), scenarios ordered by id', () => {
    const report = toJsonReport(fixtureSuite());
    expect(Object.keys(report.summary).sort()).toEqual(
      ['costUsd', 'failed', 'gpuSeconds', 'leaked', 'notImplemented', 'passed', 'skipped', 'total', 'wallMs'].sort()
    );
    expect(report.scenarios.map((s) => s.id)).toEqual([1, 2, 6, 16, 21]);
    for (const entry of report.scenarios) {
      for (const key of ['id', 'slug', 'status', 'durationMs', 'gpuSeconds', 'costUsd', 'checks', 'workflowId']) {
        expect(entry).toHaveProperty(key);
      }
    }
    expect(report.scenarios[0]).toMatchObject({ key: 's001-create-rtx-4090', metrics: { sshReadySeconds: 31 } });
    expect(report.scenarios[0]).not.toHaveProperty('error');
    expect(report.scenarios[2].error).toBe('scenario failed: <billing> & "more"');
    expect(report.scenarios[3].status).toBe('not-implemented');
    // Alive after the final sweep; the summary also counts what a scenario leaked and the sweep caught later.
    expect(report.leaked).toEqual(SUITE_LEAKED);
    expect(report.summary.leaked).toBe(3);
    expect(report.scenarios.find((s) => s.id === 6)?.leaked).toEqual([S006_LEAKED]);
  });

  it('carries check ids and measured values, warnings, and the final sweep at top level', () => {
    const report = toJsonReport(fixtureSuite());
    expect(report.scenarios[0].checks[1]).toEqual({
      id: 'ssh-ready',
      name: 'SSH ready ≤ 300 s',
      ok: true,
      detail: 'SSH ready 31 s ≤ 300 s',
      measured: { value: 31, limit: 300, unit: 's', op: '<=' },
    });
    for (const entry of report.scenarios) for (const c of entry.checks) expect(c.id).toMatch(/^[a-z0-9-]+$/);
    expect(report.scenarios[0].warnings).toEqual([VAST_WARNING]);
    expect(report.scenarios[1]).not.toHaveProperty('warnings');
    expect(report.finalSweep).toEqual(fixtureSuite().finalSweep);
    const quiet = toJsonReport({ ...fixtureSuite(), finalSweep: { destroyed: [], warnings: [] } });
    expect(quiet.finalSweep).toEqual({ destroyed: [], warnings: [] });
  });

  it('carries the retries a scenario absorbed in place, only when there were some', () => {
    const retriedInPlace = { total: 3, byActivity: { createInstance: 1, getInstance: 2 } };
    const suite = fixtureSuite();
    const withRetries = {
      ...suite,
      scenarios: suite.scenarios.map((s, i) => (i === 0 ? { ...s, retriedInPlace } : s)),
    };
    const report = toJsonReport(withRetries);
    const first = report.scenarios.find((s) => s.id === suite.scenarios[0]!.id);
    expect(first?.retriedInPlace).toEqual(retriedInPlace);
    expect(report.scenarios.filter((s) => s.retriedInPlace)).toHaveLength(1);
  });

  it('is written as parseable JSON, creating parent directories', async () => {
    const file = join(dir, 'nested', 'deeper', 'report.json');
    expect(await writeJsonReport(fixtureSuite(), file)).toBe(file);
    const parsed = JSON.parse(await readFile(file, 'utf8'));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(toJsonReport(fixtureSuite()))));
    expect(Object.keys(parsed).slice(0, 1)).toEqual(['summary']);
  });

  it('writes every requested format at once', async () => {
    const files = {
      json: join(dir, 'all', 'r.json'),
      junit: join(dir, 'all', 'r.xml'),
      html: join(dir, 'all', 'r.html'),
    };
    expect(await writeReports(fixtureSuite(), files)).toEqual([files.json, files.junit, files.html]);
    expect(await writeReports(fixtureSuite(), {})).toEqual([]);
  });
});
