import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackCommand } from '../../src/client/commands/stack';
import { isAlive, isPortOpen } from '../../src/client/stack/processes';
import { stackDown, stackStatus, stackUp } from '../../src/client/stack/stack';
import { writeStackFile } from '../../src/client/stack/stack-file';
import { isTemporalServer } from '../../src/client/stack/temporal-server';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';
import {
  captureOutput,
  close,
  freePort,
  freePortPair,
  killChild,
  listen,
  startBystander,
  startForeignTemporal,
  tempDataDir,
} from './stack-test-kit';

// The Temporal part of the stack, with real processes on free ports and a temporary data dir (set through the same
// environment variables a user would set), so it never touches a user's .data/ or port 7233.
// The simulator and worker parts are in full-stack.test.ts.

const dataDir = tempDataDir('stack');
const otherDirs: string[] = [];
let temporalPort: number;
let foreign: ChildProcess | undefined;
let bystander: ChildProcess | undefined;
let blocker: net.Server | undefined;

beforeAll(async () => {
  temporalPort = await freePort();
  process.env.DUMONT_E2E_DATA_DIR = dataDir;
  process.env.DUMONT_E2E_TEMPORAL_PORT = String(temporalPort);
  process.env.DUMONT_E2E_TEMPORAL_UI_PORT = String(await freePort());
  process.env.DUMONT_E2E_SIM_PORT_BASE = String(await freePortPair());
});

afterAll(async () => {
  await stackDown().catch(() => undefined);
  for (const dir of otherDirs) await stackDown({ dataDir: dir }).catch(() => undefined);
  await killChild(foreign);
  await killChild(bystander);
  if (blocker) await close(blocker);
  for (const dir of [dataDir, ...otherDirs]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('stack: Temporal dev server', () => {
  it('up starts a dev server with SQLite in the data dir, our search attributes and 30-day retention', async () => {
    const lines: string[] = [];
    const info = await stackUp({ components: ['temporal'], log: (l) => lines.push(l) });

    expect(info.temporal).toMatchObject({ address: `127.0.0.1:${temporalPort}`, startedByUs: true });
    expect(info.temporal?.pid).toBeGreaterThan(0);
    expect(info.started).toEqual(['temporal']);
    expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'temporal.log'), 'utf8')).toContain('start temporal');
    expect(lines.join('\n')).toContain('temporal  started');

    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    try {
      const attrs = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of SEARCH_ATTRIBUTE_KEYS) expect(Object.keys(attrs.customAttributes)).toContain(key.name);
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 24 * 3600);
    } finally {
      await connection.close();
    }
  });

  it('status shows it running with its pid and address', async () => {
    const status = await stackStatus();
    expect(status.temporal).toMatchObject({ running: true, startedByUs: true, address: `127.0.0.1:${temporalPort}` });
    expect(status.temporal.pid).toBeGreaterThan(0);
    expect(status.sim.running).toBe(false);
    expect(status.worker.running).toBe(false);
  });

  it('a second up is idempotent: same pid, nothing restarted', async () => {
    const before = await stackStatus();
    const lines: string[] = [];
    const info = await stackUp({ components: ['temporal'], log: (l) => lines.push(l) });
    expect(info.temporal?.pid).toBe(before.temporal.pid);
    expect(info.started).toEqual([]);
    expect(lines.join('\n')).toMatch(/temporal\s+running/);
    expect((await stackStatus()).temporal.pid).toBe(before.temporal.pid);
  });

  it('`stack status --json` prints the documented shape; human status has one line per component', async () => {
    const json = await captureOutput(() => stackCommand(['status', '--json']));
    expect(json.value).toBe(3); // sim and worker are not up in this file
    const parsed = JSON.parse(json.stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed).sort()).toEqual(['sim', 'temporal', 'worker']);
    expect(parsed.temporal).toMatchObject({
      address: `127.0.0.1:${temporalPort}`,
      uiUrl: `http://127.0.0.1:${process.env.DUMONT_E2E_TEMPORAL_UI_PORT}`,
      running: true,
    });
    expect(parsed.temporal!.pid).toBeGreaterThan(0);
    expect(parsed.sim).toEqual({ vastUrl: null, dumontUrl: null, pid: null, running: false, profile: null });
    expect(parsed.worker).toEqual({ pid: null, running: false });

    const human = await captureOutput(() => stackCommand(['status']));
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^temporal\s+running\s+127\.0\.0\.1:\d+/);
    expect(lines[1]).toMatch(/^sim\s+stopped/);
    expect(lines[2]).toMatch(/^worker\s+stopped/);
  });

  it('bad flags and commands give one clear line and exit 2', async () => {
    for (const argv of [['up', '--bogus'], ['up', '--time-scale', 'fast'], ['up', '--only', 'db'], ['restart']]) {
      const r = await captureOutput(() => stackCommand(argv));
      expect(r.value, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^dumont-e2e stack/);
    }
    const help = await captureOutput(() => stackCommand(['--help']));
    expect(help.value).toBe(0);
    for (const word of ['up', 'down', 'status', '--json', '--time-scale', 'DUMONT_E2E_TEMPORAL_PORT']) {
      expect(help.stdout).toContain(word);
    }
  });

  it('a Temporal port held by another program fails naming the port and DUMONT_E2E_TEMPORAL_PORT', async () => {
    const port = await freePort();
    blocker = await listen(port);
    const dir = tempDataDir('stack-busy');
    otherDirs.push(dir);
    await expect(stackUp({ dataDir: dir, temporalPort: port, components: ['temporal'] })).rejects.toThrow(
      new RegExp(`port ${port} .*DUMONT_E2E_TEMPORAL_PORT`)
    );
  });

  it('a simulator port held by another program fails naming the port and DUMONT_E2E_SIM_PORT_BASE', async () => {
    const { port } = blocker!.address() as net.AddressInfo;
    await expect(stackUp({ components: ['temporal', 'sim'], simPortBase: port })).rejects.toThrow(
      new RegExp(`port ${port} .*DUMONT_E2E_SIM_PORT_BASE`)
    );
    // Temporal was reused, not restarted, by the failed up.
    expect((await stackStatus()).temporal.running).toBe(true);
  });

  it('down stops the server it started, and status then says stopped', async () => {
    const { pid } = (await stackStatus()).temporal;
    await stackDown();
    expect(isAlive(pid!)).toBe(false);
    expect(await isPortOpen('127.0.0.1', temporalPort)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'stack.json'))).toBe(false);
    const status = await stackStatus();
    expect(status.temporal.running).toBe(false);
    expect(status.temporal.pid).toBeNull();
  });

  it('a Temporal server already running is used, recorded as not ours, and left running by down', async () => {
    const port = await freePort();
    foreign = await startForeignTemporal(port);
    const dir = tempDataDir('stack-foreign');
    otherDirs.push(dir);

    const info = await stackUp({ dataDir: dir, temporalPort: port, components: ['temporal'] });
    expect(info.temporal).toMatchObject({ address: `127.0.0.1:${port}`, pid: null, startedByUs: false });
    expect(info.started).toEqual([]);
    expect((await stackStatus({ dataDir: dir })).temporal).toMatchObject({ running: true, startedByUs: false });
    // Our search attributes are registered on it too (workflows fail to upsert unknown ones).
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    try {
      const attrs = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of SEARCH_ATTRIBUTE_KEYS) expect(Object.keys(attrs.customAttributes)).toContain(key.name);
    } finally {
      await connection.close();
    }

    await stackDown({ dataDir: dir });
    expect(foreign.exitCode).toBeNull();
    expect(await isTemporalServer(`127.0.0.1:${port}`)).toBe(true);
  });

  it('down never signals a recorded pid that now belongs to another program', async () => {
    bystander = startBystander();
    const pid = bystander.pid!;
    const dir = tempDataDir('stack-reused-pid');
    otherDirs.push(dir);
    // A stale stack file whose pids were recycled by the OS for an unrelated process.
    writeStackFile(path.join(dir, 'stack.json'), {
      temporal: { address: '127.0.0.1:1', uiUrl: null, pid, startedByUs: true },
      sim: { vastUrl: 'http://127.0.0.1:2', dumontUrl: 'http://127.0.0.1:3', pid, timeScale: 0.01 },
      worker: { pid, temporalAddress: '127.0.0.1:1', dumontUrl: 'http://127.0.0.1:3', simPid: pid, timeScale: 0.01 },
      startedAt: new Date().toISOString(),
    });
    const status = await stackStatus({ dataDir: dir });
    expect([status.temporal.running, status.sim.running, status.worker.running]).toEqual([false, false, false]);

    await stackDown({ dataDir: dir });
    expect(isAlive(pid)).toBe(true);
    expect(bystander.exitCode).toBeNull();
  });
});
