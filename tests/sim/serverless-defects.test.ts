/**
 * Each serverless defect (src/sim/features/serverless/defects.ts) changes exactly its behaviour, only for the
 * instances under its label prefix: one test per defect, over real HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefectName } from '../../src/sim';
import { instancePaths } from '../../src/sim/instances/instance-files';
import { waitFor } from '../helpers/wait-for';
import {
  createRunning,
  heartbeats,
  setOwnUtil,
  startServerlessSim,
  waitForRunning,
  waitForStatus,
  type ServerlessSim,
} from './serverless-helpers';
import { call } from './sim-client';

let s: ServerlessSim;

beforeAll(async () => {
  s = await startServerlessSim({ seed: 17 });
});
afterAll(async () => {
  await s?.sim.stop();
});

/** A running instance under `defect`'s label prefix (and the defect switched on for that prefix). */
async function underDefect(defect: DefectName, suffix = 'a'): Promise<{ id: number; dph: number }> {
  s.sim.addDefects([`${defect}@sd/${defect}/`]);
  return createRunning(s, `sd/${defect}/${suffix}`);
}

const actualOf = async (id: number): Promise<string | null> =>
  (await call(s.sim.vastUrl, 'GET', `/api/v0/instances/${id}/`, { auth: 'serverless-test-key' })).body.instances
    .actual_status;

const status = async (id: number) => (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;

/** Past the grace period, enables `mode` with a 2 s timeout and waits for the auto-pause (and the stop). */
async function autoPaused(id: number, mode: string): Promise<void> {
  await s.sleep(60);
  await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode, idle_timeout_seconds: 2 });
  await waitForStatus(s, id, (st) => st.is_paused);
  await waitFor(async () => (await actualOf(id)) === 'stopped', { timeoutMs: s.ms(10) + 2_000 });
}

describe('serverless defects', () => {
  it('serverless-config-not-persisted: enable echoes the request, the status shows the defaults', async () => {
    const { id } = await underDefect('serverless-config-not-persisted');
    const body = { mode: 'economic', idle_timeout_seconds: 300, gpu_threshold: 20, keep_warm: true };
    const enabled = await s.d('POST', `/api/v1/serverless/enable/${id}`, body);
    expect(enabled.body).toMatchObject({ ...body, status: 'enabled' });
    expect(await status(id)).toMatchObject({
      mode: 'spot',
      idle_timeout_seconds: 10,
      gpu_threshold: 5,
      keep_warm: false,
    });
  });

  it('fast-mode-downgraded-to-economic: fast is stored as economic and no standby exists', async () => {
    const { id } = await underDefect('fast-mode-downgraded-to-economic');
    const enabled = await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'fast', idle_timeout_seconds: 300 });
    expect(enabled.body).toMatchObject({ mode: 'fast', idle_timeout_seconds: 300 });
    expect(await status(id)).toMatchObject({ mode: 'economic', idle_timeout_seconds: 300 });
    const associations = (await s.d('GET', '/api/v1/standby/associations')).body.associations;
    expect(associations.filter((a: { gpu_instance_id: number }) => a.gpu_instance_id === id)).toEqual([]);
  });

  it('economic-pause-not-native: is_paused but the instance keeps running and billing; nothing saved', async () => {
    const { id } = await underDefect('economic-pause-not-native');
    await s.sleep(60);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    const paused = await waitForStatus(s, id, (st) => st.is_paused);
    expect(paused.paused_at).toEqual(expect.any(Number));
    await s.sleep(20);
    expect(await actualOf(id)).toBe('running');
    const billed = s.sim.state().billing.perInstance.find((r) => r.id === id)!;
    await s.sleep(10);
    expect(s.sim.state().billing.perInstance.find((r) => r.id === id)!.gpuSeconds).toBeGreaterThan(billed.gpuSeconds);
    expect((await s.d('GET', `/api/v1/instances/${id}/savings`)).body.total_savings_usd).toBe(0);
  });

  it('idle-threshold-not-applied: the status echoes 60 s but the pause comes after 10 s of idle', async () => {
    const { id } = await underDefect('idle-threshold-not-applied');
    await s.sleep(60);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 60 });
    const idle = await status(id);
    expect(idle.idle_timeout_seconds).toBe(60);
    const paused = await waitForStatus(s, id, (st) => st.is_paused);
    expect(paused.idle_timeout_seconds).toBe(60);
    expect(paused.paused_at - idle.idle_since).toBeGreaterThanOrEqual(10 - 0.01);
    expect(paused.paused_at - idle.idle_since).toBeLessThan(40);
  });

  it('disable-pauses-instance: disabling stops a running instance', async () => {
    const { id } = await underDefect('disable-pauses-instance');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 600 });
    const off = await s.d('POST', `/api/v1/serverless/disable/${id}`);
    expect(off.body).toMatchObject({ instance_id: id, status: 'disabled' });
    await waitFor(async () => (await actualOf(id)) === 'stopped', { timeoutMs: s.ms(10) + 2_000 });
  });

  it('auto-pause-never-fires: idle with heartbeats at 0 past timeout and grace, never paused; util shows 100', async () => {
    const { id } = await underDefect('auto-pause-never-fires');
    const stop = heartbeats(s, id, 0);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    await s.sleep(100);
    await stop();
    expect(await status(id)).toMatchObject({ is_paused: false, current_gpu_util: 100, idle_since: null });
    expect(await actualOf(id)).toBe('running');
  });

  it("pauses-under-gpu-load: the instance's own utilisation is ignored, so a busy instance is paused", async () => {
    const { id } = await underDefect('pauses-under-gpu-load');
    await setOwnUtil(s, id, 95);
    await autoPaused(id, 'economic');
    // Heartbeats still count under this defect.
    const other = await createRunning(s, 'sd/pauses-under-gpu-load/b');
    await s.sleep(60);
    const stop = heartbeats(s, other.id, 95);
    await s.d('POST', `/api/v1/serverless/enable/${other.id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    await s.sleep(30);
    await stop();
    expect((await status(other.id)).is_paused).toBe(false);
  });

  it('grace-period-ignored: a fresh instance is paused before its grace period ends', async () => {
    const { id } = await underDefect('grace-period-ignored');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    const first = await status(id);
    const paused = await waitForStatus(s, id, (st) => st.is_paused);
    expect(paused.paused_at).toBeLessThan(first.grace_until - 30);
  });

  it('savings-constant-rate: savings are $0.30 per paused hour, not the real price', async () => {
    const { id, dph } = await underDefect('savings-constant-rate');
    expect(Math.abs(dph - 0.3)).toBeGreaterThan(0.01);
    await autoPaused(id, 'economic');
    await s.sleep(50);
    await s.d('POST', `/api/v1/serverless/wake/${id}`);
    const savings = (await s.d('GET', `/api/v1/instances/${id}/savings`)).body;
    expect(savings.current_dph).toBe(dph);
    expect(savings.paused_seconds).toBeGreaterThan(50);
    // The route rounds dollars to 6 decimals and seconds to 3, so the two can differ by 5e-7; the real price differs
    // from $0.30 by over $0.01/h, i.e. by over 1.4e-4 over these 50 s.
    expect(savings.total_savings_usd).toBeCloseTo((0.3 * savings.paused_seconds) / 3600, 5);
  });

  it('fast-wake-reports-before-ssh: the fast wake answers 0.5 s at once, before SSH is reachable', async () => {
    const { id } = await underDefect('fast-wake-reports-before-ssh');
    await autoPaused(id, 'fast');
    const t0 = s.now();
    const woke = await s.d('POST', `/api/v1/serverless/wake/${id}`);
    expect(woke.body).toMatchObject({ status: 'resumed', cold_start_seconds: 0.5, ssh_port: null });
    // SSH takes the standby's 3 s at least.
    await waitForRunning(s, id);
    expect(s.now() - t0).toBeGreaterThanOrEqual(3);
  });

  it('wake-404-while-resuming: the economic wake answers 404 while it resumes, and stays is_paused', async () => {
    const { id } = await underDefect('wake-404-while-resuming');
    await autoPaused(id, 'economic');
    const woke = await s.d('POST', `/api/v1/serverless/wake/${id}`);
    expect(woke.status).toBe(404);
    expect(woke.body).toEqual({ error: 'SSH not ready' });
    await waitForRunning(s, id);
    expect((await status(id)).is_paused).toBe(true);
  });

  it('model-lost-on-wake: wake wipes ~/.ollama and nothing else', async () => {
    const { id } = await underDefect('model-lost-on-wake');
    const home = instancePaths(s.world.dataDir, id).workspace;
    fs.mkdirSync(path.join(home, '.ollama', 'models'), { recursive: true });
    fs.writeFileSync(path.join(home, '.ollama', 'models', 'qwen'), 'weights');
    fs.writeFileSync(path.join(home, 'notes.txt'), 'kept');
    await autoPaused(id, 'economic');
    expect((await s.d('POST', `/api/v1/serverless/wake/${id}`)).body.status).toBe('resumed');
    expect(fs.existsSync(path.join(home, '.ollama'))).toBe(false);
    expect(fs.readFileSync(path.join(home, 'notes.txt'), 'utf8')).toBe('kept');
  });
});
