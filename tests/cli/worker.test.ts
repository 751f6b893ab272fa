/**
 * `dumont-e2e worker` with no platform variables serves the running local stack; with no stack it says what to do in
 * one line, exit code 2, and starts nothing (tests/stack/worker-resume.test.ts covers the attached worker itself).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'dumont-e2e.cjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-worker-cli-'));
  dirs.push(dir);
  return dir;
}

/** The worker command with only PATH, HOME, the data dir and `env`: no harness variable leaks in from ours. */
function worker(args: string[], dataDir: string, env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [CLI, 'worker', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DUMONT_E2E_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, left: fs.readdirSync(dataDir) };
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const res = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(res.stdout);
}

describe('dumont-e2e worker', () => {
  it('--help says it serves the local stack without credentials, and names every variable', () => {
    const r = worker(['--help'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/serves the running local stack/);
    expect(r.stdout).toMatch(/stack up/);
    for (const key of ['DUMONT_API_URL', 'VAST_API_KEY', 'DUMONT_E2E_KEY_SECRET', 'DUMONT_E2E_DATA_DIR'])
      expect(r.stdout).toContain(key);
  });

  it('with no credentials and no stack: one line saying to run stack up (or which variables to set), nothing created', () => {
    const dataDir = tempDir();
    const r = worker([], dataDir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no local stack is running/);
    expect(lines[0]).toContain('npx dumont-e2e stack up');
    expect(lines[0]).toMatch(/DUMONT_API_URL.*VAST_API_KEY.*DUMONT_E2E_KEY_SECRET/);
    expect(r.stdout).not.toMatch(/worker ready/);
    expect(r.left).toEqual([]);
  });

  it('with a stack file whose processes are gone: says the stack is not running, creates no key secret', () => {
    const dataDir = tempDir();
    const pid = deadPid();
    const stack = {
      temporal: { address: '127.0.0.1:1', uiUrl: null, pid, startedByUs: true },
      sim: { vastUrl: 'http://127.0.0.1:2', dumontUrl: 'http://127.0.0.1:3', pid, timeScale: 0.02 },
      worker: null,
      startedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(dataDir, 'stack.json'), JSON.stringify(stack));
    const r = worker([], dataDir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/local stack in .* is not running \(its Temporal server and simulator\)/);
    expect(r.stderr).toContain('npx dumont-e2e stack up');
    expect(r.left).toEqual(['stack.json']);
  });

  it('with some credentials set, behaves as a worker of its own platform: names what is missing', () => {
    const r = worker([], tempDir(), { DUMONT_API_URL: 'https://dumont.example.test' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DUMONT_EMAIL\+DUMONT_PASSWORD \(or DUMONT_TOKEN\), VAST_API_KEY/);
    expect(r.stderr).not.toMatch(/stack up/);
  });

  it('with target dumont and no credentials, never attaches to the simulator: names the credentials', () => {
    const r = worker([], tempDir(), { DUMONT_E2E_TARGET: 'dumont' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DUMONT_API_URL/);
    expect(r.stderr).not.toMatch(/stack up/);
  });
});
