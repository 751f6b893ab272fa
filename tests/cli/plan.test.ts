/**
 * `dumont-e2e plan` and `run --dry-run` print the plan and start nothing; a run whose plan exceeds --budget-usd is
 * refused before anything starts, with exit code 5 (no scenario executed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selectScenarios } from '../../src/catalog/selection';
import { appendRun, historyFile, type HistoryRun } from '../../src/client/history';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'dumont-e2e.cjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cli(args: string[], dataDir = tempDir()) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DUMONT_|VAST_|TEMPORAL_)/.test(k))
  ) as Record<string, string>;
  // A Temporal address nobody listens on: a command that tried to start a suite would fail, not pass.
  const res = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...clean, DUMONT_E2E_DATA_DIR: dataDir, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, leftInDataDir: readdirSync(dataDir) };
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-plan-'));
  dirs.push(dir);
  return dir;
}

const SELECT = '1-3';
const specs = selectScenarios(SELECT);
const cost = specs.reduce((n, s) => n + s.estimate.costUsd, 0);

describe('plan', () => {
  it('lists the selection with estimates and totals, exit 0', () => {
    const r = cli(['plan', '--select', SELECT]);
    expect(r.code).toBe(0);
    for (const s of specs) expect(r.stdout).toContain(`s00${s.id}-${s.slug}`);
    expect(r.stdout).toMatch(
      new RegExp(`Plan: ${specs.length} of ${specs.length} scenarios would run: .*\\$${cost.toFixed(4)}`)
    );
  });

  it('prints JSON with --json', () => {
    const r = cli(['plan', '--select', SELECT, '--json', '--budget-usd', String(cost)]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { totals: { costUsd: number }; budget: { fits: boolean } };
    expect(plan.totals.costUsd).toBeCloseTo(cost, 4);
    expect(plan.budget.fits).toBe(true);
  });

  it('run --dry-run prints the same plan and starts nothing', () => {
    const dry = cli(['run', '--dry-run', '--select', SELECT]);
    const plan = cli(['plan', '--select', SELECT]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(plan.stdout);
    expect(dry.leftInDataDir).toEqual([]);
  });

  it('run refuses a plan over --budget-usd before starting anything: exit 5', () => {
    const r = cli(['run', '--select', SELECT, '--budget-usd', (cost - 0.01).toFixed(2)]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/refused: the plan's estimate of .* exceeds the budget/);
    expect(r.stderr).toBe('');
    expect(r.leftInDataDir).toEqual([]);
  });

  it('plan says 5 for a plan the budget refuses', () => {
    expect(cli(['plan', '--select', SELECT, '--budget-usd', '0']).code).toBe(5);
    expect(cli(['plan', '--select', SELECT, '--budget-usd', '0', '--run-what-fits']).code).toBe(0);
  });

  it('refines the estimates with the history of earlier runs on the same target', async () => {
    const dataDir = tempDir();
    const spec = specs[1]!;
    const run = (suiteId: string, target: 'sim' | 'dumont', costUsd: number): HistoryRun => ({
      suiteId,
      target,
      select: SELECT,
      finishedAt: '2026-12-01T00:00:00.000Z',
      codeVersion: 'test',
      state: 'completed',
      wallMs: 30_000,
      costUsd,
      leaked: 0,
      scenarios: [
        {
          id: spec.id,
          slug: spec.slug,
          category: spec.category,
          status: 'passed',
          durationMs: 20_000,
          gpuSeconds: 120,
          costUsd,
        },
      ],
    });
    await appendRun(historyFile(dataDir), run('e2e-a', 'sim', 0.01));
    await appendRun(historyFile(dataDir), run('e2e-b', 'sim', 0.02));
    await appendRun(historyFile(dataDir), run('e2e-c', 'dumont', 0.5));
    const r = cli(['plan', '--select', SELECT, '--json'], dataDir);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { rows: { id: number; costUsd: number; wallMs: number; source: string }[] };
    // The two simulator runs, not the real platform's: mean cost, median duration.
    expect(plan.rows.find((row) => row.id === spec.id)).toMatchObject({
      costUsd: 0.015,
      wallMs: 20_000,
      source: 'history (2 runs)',
    });
    expect(plan.rows.filter((row) => row.id !== spec.id).every((row) => row.source === 'catalogue')).toBe(true);
  });

  it('rejects bad input with exit 2', () => {
    const r = cli(['plan', '--budget-usd', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--budget-usd "lots"/);
  });
});
