/**
 * Bad input gets one clear line naming the bad value, exit code 2, and starts nothing (no stack, no state).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'dumont-e2e.cjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-cli-'));
  dirs.push(dataDir);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DUMONT_|VAST_|TEMPORAL_)/.test(k))
  ) as Record<string, string>;
  const res = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...clean, DUMONT_E2E_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stderr: res.stderr, stdout: res.stdout, leftInDataDir: readdirSync(dataDir) };
}

describe('the installed binary', () => {
  it('runs through npx, as the README says, not only as node bin/dumont-e2e.cjs', () => {
    const res = spawnSync('npx', ['--no-install', 'dumont-e2e', 'list', '--select', '1-2'], {
      cwd: path.resolve(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/s001-create-rtx-4090[\s\S]*2 scenarios, 2 implemented/);
  });
});

describe('dumont-e2e run rejects bad input before starting anything', () => {
  it.each([
    [['--select', 'lifecyle'], /lifecyle/],
    [['--select', '101'], /101/],
    [['--select', 'lifecycle and'], /and/],
    [['--select', '(1-3'], /parenthes/i],
    [['--select', '15-1'], /15-1/],
    [['--max-parallel', '0'], /--max-parallel "0"/],
    [['--target', 'aws'], /--target "aws"/],
    [['--time-scale', 'fast'], /--time-scale "fast"/],
    [['--bogus'], /bogus/],
    [['--profile', 'aws'], /--profile "aws": expected one of ideal, dumont-as-is/],
    [['--target', 'dumont', '--profile', 'dumont-as-is'], /--profile "dumont-as-is": profiles are the simulator's/],
  ])('%j', (args, message) => {
    const r = run(['run', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.leftInDataDir).toEqual([]);
  });

  it('names the missing credentials for --target dumont', () => {
    const r = run(['run', '--target', 'dumont', '--select', '1'], { DUMONT_API_URL: 'https://dumont.example.test' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DUMONT_EMAIL\+DUMONT_PASSWORD \(or DUMONT_TOKEN\), VAST_API_KEY/);
    expect(r.stderr).not.toMatch(/DUMONT_API_URL/);
    expect(r.leftInDataDir).toEqual([]);
  });

  it('never echoes a secret in a config error', () => {
    const r = run(['run', '--target', 'dumont'], {
      TEMPORAL_ADDRESS: 'not an address',
      VAST_API_KEY: 'sk-very-secret',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TEMPORAL_ADDRESS="not an address"/);
    expect(r.stderr + r.stdout).not.toMatch(/sk-very-secret/);
  });

  it('--profile with TEMPORAL_ADDRESS (your own worker and simulator) is bad input', () => {
    const r = run(['run', '--profile', 'dumont-as-is'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/with TEMPORAL_ADDRESS set, run uses your own Temporal server/);
    expect(r.stderr).toContain('dumont-e2e sim --profile NAME');
  });

  it('an unknown DUMONT_E2E_SIM_PROFILE is bad input for the simulator target, before anything starts', () => {
    const r = run(['run', '--select', '1'], { DUMONT_E2E_SIM_PROFILE: 'aws' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DUMONT_E2E_SIM_PROFILE="aws": expected one of ideal, dumont-as-is/);
    expect(r.leftInDataDir).toEqual([]);
  });

  it('--help tells about signals, the Temporal check and --profile', () => {
    const r = run(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/first Ctrl-C \(SIGINT\) or SIGTERM cancels the suite/);
    expect(r.stdout).toContain("'npx dumont-e2e sweep --target ...'");
    expect(r.stdout).toMatch(/temporal operator search-attribute create/);
    expect(r.stdout).toMatch(/--profile NAME\s+target sim only: the simulator's profile, one of ideal, dumont-as-is/);
  });

  it('says which Temporal address it cannot reach', () => {
    const r = run(['run', '--select', '1'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach Temporal at 127\.0\.0\.1:1/);
    expect(r.leftInDataDir).toEqual([]);
  });

  it('sweep says there is nothing to sweep when no stack runs', () => {
    const r = run(['sweep', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no stack is running/);
  });

  it('list --select rejects an unknown category the same way', () => {
    const r = run(['list', '--select', 'gpus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gpus/);
  });
});
