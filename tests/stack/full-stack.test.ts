import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, processCommandLine } from '../../src/client/stack/processes';
import type { SimCredentials } from '../../src/client/stack/sim-credentials';
import { stackDown, stackStatus, stackUp, type StackInfo } from '../../src/client/stack/stack';
import {
  ensureReaperSchedule,
  REAPER_CRON,
  REAPER_SCHEDULE_ID,
  runReaperScheduleNow,
} from '../../src/client/stack/reaper-schedule';
import { TASK_QUEUE } from '../../src/workflows/search-attributes';
import { freePort, freePortPair, tempDataDir } from './stack-test-kit';

// The whole local stack as `npm start` uses it: Temporal dev server, the simulator (`dumont-e2e sim`) and a worker
// (`dumont-e2e worker`), real processes on free ports with a temporary data dir.

const dataDir = tempDataDir('full-stack');

beforeAll(async () => {
  process.env.DUMONT_E2E_DATA_DIR = dataDir;
  process.env.DUMONT_E2E_TEMPORAL_PORT = String(await freePort());
  process.env.DUMONT_E2E_TEMPORAL_UI_PORT = String(await freePort());
  process.env.DUMONT_E2E_SIM_PORT_BASE = String(await freePortPair());
});

afterAll(async () => {
  await stackDown().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function environOf(pid: number): Record<string, string> {
  const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])
  );
}

describe('stack: simulator and worker', () => {
  let first: StackInfo;

  it('up starts Temporal, the simulator and a worker; status shows all three running with pids', async () => {
    first = await stackUp({ timeScale: 0.01 });
    expect(first.started).toEqual(['temporal', 'sim', 'worker']);
    const status = await stackStatus();
    expect(status.temporal).toMatchObject({ running: true, startedByUs: true });
    expect(status.sim).toMatchObject({ running: true, pid: first.sim?.pid });
    expect(status.worker).toMatchObject({ running: true, pid: first.worker?.pid });
    expect(status.sim.dumontUrl).toBe(`http://127.0.0.1:${process.env.DUMONT_E2E_SIM_PORT_BASE}`);
    expect(status.sim.vastUrl).toBe(`http://127.0.0.1:${Number(process.env.DUMONT_E2E_SIM_PORT_BASE) + 1}`);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'worker.log'), 'utf8')).toContain('worker ready');
  });

  it("up also schedules the reaper (every 15 minutes, for real, on the stack's worker); a second up keeps it", async () => {
    const connection = await Connection.connect({ address: first.temporal!.address });
    try {
      const handle = new Client({ connection }).schedule.getHandle(REAPER_SCHEDULE_ID);
      const d = await handle.describe();
      expect(d.state.paused).toBe(false);
      expect(d.memo?.cron).toBe(REAPER_CRON);
      expect(d.action).toMatchObject({
        workflowType: 'ReaperWorkflow',
        taskQueue: TASK_QUEUE,
        args: [{ dryRun: false, target: 'sim' }],
      });
      // The stack's worker serves it: a run now scans the (empty) simulator and destroys nothing.
      const result = await runReaperScheduleNow(new Client({ connection }));
      expect(result).toMatchObject({ dryRun: false, doomed: [], errors: [] });
      await handle.pause('test: a second up must leave a paused schedule alone');
      await stackUp();
      expect(await ensureReaperSchedule(first.temporal!.address)).toBe(false);
      expect((await handle.describe()).state.paused).toBe(true);
      await handle.unpause();
    } finally {
      await connection.close();
    }
  });

  it('credentials are generated once (mode 0600), reach the simulator and worker by env only, and work', async () => {
    const file = path.join(dataDir, 'sim-credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(fs.readFileSync(file, 'utf8')) as SimCredentials;
    const keyFile = path.join(dataDir, 'key-secret');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const keySecret = fs.readFileSync(keyFile, 'utf8').trim();
    expect(keySecret).toMatch(/^[0-9a-f]{64}$/);

    const simPid = first.sim!.pid;
    const workerPid = first.worker!.pid;
    for (const pid of [simPid, workerPid]) {
      const argv = processCommandLine(pid) ?? '';
      expect(argv).not.toContain(creds.apiKey);
      expect(argv).not.toContain(creds.password);
      expect(argv).not.toContain(keySecret);
    }
    // The key secret goes to the worker only, and never into a log.
    expect(environOf(simPid).DUMONT_E2E_KEY_SECRET).toBeUndefined();
    for (const log of fs.readdirSync(path.join(dataDir, 'logs'))) {
      expect(fs.readFileSync(path.join(dataDir, 'logs', log), 'utf8'), log).not.toContain(keySecret);
    }
    expect(environOf(simPid)).toMatchObject({
      SIM_API_KEY: creds.apiKey,
      SIM_USER: `${creds.email}:${creds.password}`,
    });
    expect(environOf(workerPid)).toMatchObject({
      DUMONT_E2E_TARGET: 'sim',
      TEMPORAL_ADDRESS: first.temporal!.address,
      DUMONT_API_URL: first.sim!.dumontUrl,
      VAST_API_URL: first.sim!.vastUrl,
      DUMONT_EMAIL: creds.email,
      DUMONT_PASSWORD: creds.password,
      VAST_API_KEY: creds.apiKey,
      DUMONT_E2E_KEY_SECRET: keySecret,
      DUMONT_E2E_DATA_DIR: dataDir,
    });

    const vast = await fetch(`${first.sim!.vastUrl}/api/v0/users/current/`, {
      headers: { authorization: `Bearer ${creds.apiKey}` },
    });
    expect(vast.status).toBe(200);
    const login = await fetch(`${first.sim!.dumontUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: creds.email, password: creds.password }),
    });
    expect(login.status).toBe(200);
  });

  it('a second up is idempotent: same pids for all three', async () => {
    const again = await stackUp({});
    expect(again.started).toEqual([]);
    expect([again.temporal?.pid, again.sim?.pid, again.worker?.pid]).toEqual([
      first.temporal?.pid,
      first.sim?.pid,
      first.worker?.pid,
    ]);
  });

  it('the key secret is kept across restarts; a new one (file deleted) restarts the worker with it', async () => {
    const keyFile = path.join(dataDir, 'key-secret');
    const before = fs.readFileSync(keyFile, 'utf8');
    fs.rmSync(keyFile);
    const again = await stackUp({});
    expect(again.started).toEqual(['worker']);
    const after = fs.readFileSync(keyFile, 'utf8');
    expect(after).not.toBe(before);
    expect(environOf(again.worker!.pid).DUMONT_E2E_KEY_SECRET).toBe(after.trim());
    expect((await stackUp({})).started).toEqual([]);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(after);
    first = again;
  });

  it('up restarts only what died: a killed worker comes back, the simulator and Temporal keep their pids', async () => {
    process.kill(first.worker!.pid, 'SIGKILL');
    await expect.poll(() => isAlive(first.worker!.pid)).toBe(false);
    const again = await stackUp({});
    expect(again.started).toEqual(['worker']);
    expect(again.worker?.pid).not.toBe(first.worker?.pid);
    expect(again.sim?.pid).toBe(first.sim?.pid);
    expect(again.temporal?.pid).toBe(first.temporal?.pid);
    first = again;
  });

  it('down of some components leaves the others running and recorded', async () => {
    await stackDown({ components: ['worker'] });
    expect(isAlive(first.worker!.pid)).toBe(false);
    const status = await stackStatus();
    expect([status.temporal.running, status.sim.running, status.worker.running]).toEqual([true, true, false]);
    first = await stackUp({});
    expect(first.started).toEqual(['worker']);
  });

  it('down stops all three', async () => {
    await stackDown();
    for (const pid of [first.temporal!.pid!, first.sim!.pid, first.worker!.pid]) expect(isAlive(pid)).toBe(false);
    const status = await stackStatus();
    expect([status.temporal.running, status.sim.running, status.worker.running]).toEqual([false, false, false]);
  });
});
