/**
 * Signals during `dumont-e2e run`, with real processes: a local stack (Temporal dev server, simulator, worker), the CLI
 * as its own process, instances rented on the simulator (read from its admin API, `GET /_sim/state`) when the signal
 * comes. The first SIGINT or SIGTERM cancels the suite and waits for every compensation: the suite's workflow is
 * closed as Cancelled, the simulator holds nothing, the reports are written, the exit code is 128 + the signal. A
 * second one leaves at once and prints the suite, its label prefix and the sweep command. `--target dumont` (the
 * simulator posing as a real Dumont) runs its worker inside the CLI: it must stay up until the cleanup is done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeyLabel, suitePrefix } from '../../src/labels';
import { readSimCredentials, type SimCredentials } from '../../src/client/stack/sim-credentials';
import { stackDown, stackStatus, stackUp, type StackInfo } from '../../src/client/stack/stack';
import type { SuiteResult } from '../../src/workflows/types';
import { freePort, freePortPair, killChild, tempDataDir } from '../stack/stack-test-kit';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'dumont-e2e.cjs');
const dataDir = tempDataDir('run-signals');
const children: ChildProcess[] = [];

let stack: StackInfo;
let portEnv: Record<string, string>;
let credentials: SimCredentials;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  portEnv = {
    DUMONT_E2E_DATA_DIR: dataDir,
    DUMONT_E2E_TEMPORAL_PORT: String(await freePort()),
    DUMONT_E2E_TEMPORAL_UI_PORT: String(await freePort()),
    DUMONT_E2E_SIM_PORT_BASE: String(await freePortPair()),
  };
  Object.assign(process.env, portEnv);
  stack = await stackUp({ timeScale: 0.02 });
  credentials = readSimCredentials(path.join(dataDir, 'sim-credentials.json'))!;
  connection = await Connection.connect({ address: stack.temporal!.address });
  client = new Client({ connection });
}, 180_000);

afterAll(async () => {
  for (const child of children) await killChild(child);
  await connection?.close();
  await stackDown().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

/** The CLI as its own process with only PATH, HOME and `env`; its output collected. */
function cli(args: string[], env: Record<string, string>) {
  let out = '';
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  children.push(child);
  const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, at: Date.now() }))
  );
  return { child, out: () => out, exit };
}

/** Live instances the stack's simulator holds (its admin API; bearer = the VAST key). */
async function liveInstances(): Promise<number> {
  const res = await fetch(`${stack.sim!.dumontUrl}/_sim/state`, {
    headers: { authorization: `Bearer ${credentials.apiKey}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { instances: unknown[] }).instances.length;
}

async function suiteStatus(suiteId: string): Promise<string> {
  return (await client.workflow.getHandle(suiteId).describe()).status.name;
}

/** Starts `run` with `args`, waits until its suite rents at least `rented` instances, returns the process. */
async function runUntilRented(args: string[], env: Record<string, string>, rented = 2) {
  expect(await liveInstances()).toBe(0);
  const run = cli(['run', ...args], env);
  await expect.poll(run.out, { timeout: 120_000, interval: 100 }).toMatch(/^suite \S+: \d+ scenarios/m);
  const suiteId = /^suite (\S+): /m.exec(run.out())![1]!;
  await expect
    .poll(async () => (run.child.exitCode === null ? await liveInstances() : -1), { timeout: 60_000, interval: 100 })
    .toBeGreaterThanOrEqual(rented);
  return { ...run, suiteId };
}

function reportArgs(name: string): { args: string[]; json: string } {
  const json = path.join(dataDir, `${name}.json`);
  return {
    json,
    args: ['--json', json, '--junit', path.join(dataDir, `${name}.xml`), '--html', path.join(dataDir, `${name}.html`)],
  };
}

/** What a cancelled suite must show: closed as Cancelled, nothing left on the simulator, a report saying so. */
async function expectCleanCancel(suiteId: string, json: string): Promise<void> {
  expect(await suiteStatus(suiteId)).toBe('CANCELLED');
  expect(await liveInstances()).toBe(0);
  const report = JSON.parse(fs.readFileSync(json, 'utf8')) as SuiteResult;
  expect(report.suiteId).toBe(suiteId);
  expect(report.leaked).toEqual([]);
  // Read from the closed suite's history: its final sweep released the suite's SSH key.
  expect(report.finalSweep.destroyed.join('\n')).toContain(runKeyLabel(suiteId));
  expect(report.scenarios.some((s) => s.error === 'cancelled' || s.error === 'suite cancelled')).toBe(true);
}

describe('dumont-e2e run and signals', () => {
  it(
    'SIGINT: cancels the suite, waits until every scenario cleaned up, writes the reports, exits 130',
    { timeout: 240_000 },
    async () => {
      const { args, json } = reportArgs('sigint');
      const run = await runUntilRented(['--select', '1-8', ...args], portEnv);
      run.child.kill('SIGINT');
      const { code } = await run.exit;
      const out = run.out();
      expect(code, out).toBe(130);
      expect(out).toContain(`SIGINT: cancelling suite ${run.suiteId}`);
      expect(out).toMatch(/cleaning up: \d+ scenarios? still destroying what (they|it) rented \(s00\d-/);
      expect(out).toContain(`suite ${run.suiteId} cancelled on SIGINT`);
      expect(out).not.toContain('leaving now');
      await expectCleanCancel(run.suiteId, json);
    }
  );

  it('SIGTERM: the same, exit 143', { timeout: 240_000 }, async () => {
    const { args, json } = reportArgs('sigterm');
    const run = await runUntilRented(['--select', '1-8', ...args], portEnv);
    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    expect(code, run.out()).toBe(143);
    expect(run.out()).toContain(`SIGTERM: cancelling suite ${run.suiteId}`);
    await expectCleanCancel(run.suiteId, json);
  });

  it(
    '--target dumont (the simulator posing as the real Dumont): the worker in the CLI stays up until the cleanup ran',
    { timeout: 300_000 },
    async () => {
      const { args, json } = reportArgs('dumont');
      const keySecret = fs.readFileSync(path.join(dataDir, 'key-secret'), 'utf8').trim();
      const dumontEnv = {
        TEMPORAL_ADDRESS: stack.temporal!.address,
        DUMONT_API_URL: stack.sim!.dumontUrl,
        DUMONT_EMAIL: credentials.email,
        DUMONT_PASSWORD: credentials.password,
        VAST_API_URL: stack.sim!.vastUrl,
        VAST_API_KEY: credentials.apiKey,
        DUMONT_E2E_KEY_SECRET: keySecret,
        DUMONT_E2E_DATA_DIR: path.join(dataDir, 'dumont-run'),
      };
      // Only this process serves `dumont-e2e@dumont`: every destroy of the cleanup runs in it.
      const run = await runUntilRented(
        ['--target', 'dumont', '--time-scale', '0.02', '--select', '1-4', ...args],
        dumontEnv,
        1
      );
      run.child.kill('SIGINT');
      const { code } = await run.exit;
      const out = run.out();
      expect(code, out).toBe(130);
      expect(out).toContain(`suite ${run.suiteId} cancelled on SIGINT`);
      expect(out).not.toMatch(/state: 'STOPPING'[\s\S]*cancelled on SIGINT/);
      await expectCleanCancel(run.suiteId, json);
    }
  );

  it(
    'a second SIGINT leaves at once: prints the suite, its label prefix and the sweep command',
    { timeout: 240_000 },
    async () => {
      const { args } = reportArgs('twice');
      const run = await runUntilRented(['--select', '1-8', ...args], portEnv);
      run.child.kill('SIGINT');
      await expect.poll(run.out, { timeout: 10_000, interval: 20 }).toContain('SIGINT: cancelling suite');
      const second = Date.now();
      run.child.kill('SIGINT');
      const { code, at } = await run.exit;
      const out = run.out();
      expect(code, out).toBe(130);
      expect(at - second).toBeLessThan(3_000);
      expect(out).toContain(`SIGINT again: leaving now. Suite ${run.suiteId} may still hold rented resources`);
      expect(out).toContain(`labelled ${suitePrefix(run.suiteId)}`);
      expect(out).toContain('npx dumont-e2e sweep --target sim');
      expect(out).not.toMatch(/^reports: /m);

      // The stack's worker (another process) still finishes the cancellation: nothing is lost by leaving.
      await expect.poll(() => suiteStatus(run.suiteId), { timeout: 120_000, interval: 500 }).toBe('CANCELLED');
      await expect.poll(liveInstances, { timeout: 60_000, interval: 500 }).toBe(0);
    }
  );

  it(
    'run --profile dumont-as-is restarts the idle stack simulator with that profile and runs on it',
    { timeout: 300_000 },
    async () => {
      const { args, json } = reportArgs('profile');
      const run = cli(['run', '--profile', 'dumont-as-is', '--select', '1', ...args], portEnv);
      const { code } = await run.exit;
      const out = run.out();
      expect(code, out).toBe(0);
      expect(out).toMatch(/sim +restarting pid \d+ \(profile dumont-as-is\)/);
      expect(out).toMatch(/^suite \S+: 1 scenarios on sim \(profile dumont-as-is, /m);
      const res = await fetch(`${(await stackStatus()).sim.dumontUrl}/_sim/state`, {
        headers: { authorization: `Bearer ${credentials.apiKey}` },
      });
      expect(((await res.json()) as { profile: string }).profile).toBe('dumont-as-is');
      // The stack was up before the run: it stays up after it, its simulator restarted, not stopped.
      expect((await stackStatus()).worker.running).toBe(true);
      expect((JSON.parse(fs.readFileSync(json, 'utf8')) as SuiteResult).leaked).toEqual([]);
    }
  );
});
