/**
 * The simulator's serverless feature on the Dumont face, ideal profile, over real HTTP: each route's shape,
 * the monitor's auto-pause (idle timeout, GPU threshold from heartbeats and from the instance itself,
 * inference marks, grace period) and the fast mode's CPU standby. Wake, savings and disable: serverless-wake.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './sim-client';
import {
  actualStatusOf,
  createRunning,
  heartbeats,
  setOwnUtil,
  startServerlessSim,
  waitForStatus,
  type ServerlessSim,
} from './serverless-helpers';
import { waitFor } from '../helpers/wait-for';

let s: ServerlessSim;

beforeAll(async () => {
  s = await startServerlessSim();
});
afterAll(async () => {
  await s?.sim.stop();
});

const STATUS_KEYS = [
  'avg_cold_start_seconds',
  'current_gpu_util',
  'gpu_threshold',
  'grace_until',
  'idle_since',
  'idle_timeout_seconds',
  'instance_id',
  'is_paused',
  'keep_warm',
  'last_checkpoint_id',
  'mode',
  'paused_at',
  'paused_seconds',
  'total_savings_usd',
  'will_pause_at',
];

/** The VAST row's observed status. */
const actualOf = (id: number) => actualStatusOf(s, id);

describe('serverless routes', () => {
  it('enable validates its body (lower-case modes, ranges) and answers the configuration; status and list show it', async () => {
    const { id } = await createRunning(s, 'sl/shape');
    const upper = await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'FAST' });
    expect(upper.status).toBe(422);
    expect(upper.body).toEqual({
      error: 'Validation error',
      details: [{ loc: ['body', 'mode'], msg: "Input should be 'fast', 'economic' or 'spot'", type: 'enum' }],
    });
    const range = await s.d('POST', `/api/v1/serverless/enable/${id}`, { idle_timeout_seconds: 1, gpu_threshold: 101 });
    expect(range.status).toBe(422);
    expect(range.body.details.map((d: { loc: string[] }) => d.loc[1])).toEqual([
      'idle_timeout_seconds',
      'gpu_threshold',
    ]);
    expect((await s.d('POST', `/api/v1/serverless/enable/${id}`, { idle_timeout_seconds: 3601 })).status).toBe(422);
    const unknown = await s.d('POST', '/api/v1/serverless/enable/1', { mode: 'economic' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: expect.any(String) });
    expect((await call(s.sim.dumontUrl, 'POST', `/api/v1/serverless/enable/${id}`, { body: {} })).status).toBe(401);
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).status).toBe(404);

    const beforeEnable = s.now();
    const enabled = await s.d('POST', `/api/v1/serverless/enable/${id}`, {
      mode: 'economic',
      idle_timeout_seconds: 120,
      gpu_threshold: 7,
      keep_warm: true,
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toEqual({
      instance_id: id,
      mode: 'economic',
      idle_timeout_seconds: 120,
      gpu_threshold: 7,
      keep_warm: true,
      checkpoint_enabled: false,
      status: 'enabled',
      message: expect.any(String),
      behavior: {
        will_pause_after: expect.any(String),
        idle_threshold: expect.any(String),
        recovery_time: expect.any(String),
      },
    });
    const status = (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;
    expect(Object.keys(status).sort()).toEqual(STATUS_KEYS);
    expect(status).toMatchObject({
      instance_id: id,
      mode: 'economic',
      is_paused: false,
      idle_timeout_seconds: 120,
      gpu_threshold: 7,
      keep_warm: true,
      current_gpu_util: 0,
      total_savings_usd: 0,
      paused_seconds: 0,
      avg_cold_start_seconds: null,
      paused_at: null,
    });
    // Idle since the enable; the pause is due after the timeout, and not inside the grace period.
    expect(status.idle_since).toBeGreaterThanOrEqual(beforeEnable - 0.01);
    expect(status.idle_since).toBeLessThanOrEqual(s.now());
    expect(status.grace_until).toBeGreaterThan(status.idle_since - 60);
    expect(status.will_pause_at).toBeCloseTo(Math.max(status.idle_since + 120, status.grace_until), 2); // each side rounded to ms apart

    const list = (await s.d('GET', '/api/v1/serverless/list')).body;
    expect(list.count).toBe(list.instances.length);
    expect(list.instances.find((r: { instance_id: number }) => r.instance_id === id)).toMatchObject({
      mode: 'economic',
      idle_timeout_seconds: 120,
    });
    const global = await call(s.sim.dumontUrl, 'GET', '/api/v1/serverless/status');
    expect(global.body).toMatchObject({ total_instances: list.count });

    // Defaults: spot, 10 s, 5 %.
    const defaults = await s.d('POST', `/api/v1/serverless/enable/${id}`, {});
    expect(defaults.body).toMatchObject({ mode: 'spot', idle_timeout_seconds: 10, gpu_threshold: 5, keep_warm: false });
    await s.d('POST', `/api/v1/serverless/disable/${id}`);
    const view = s.sim.state().features.serverless as { configs: unknown[] };
    expect(view.configs).toEqual([]);
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });

  it('the alias enables with free-text fields (cpu_standby forces fast, a 0 timeout takes idle_threshold) and disables', async () => {
    const { id } = await createRunning(s, 'sl/alias');
    const bad = await s.d('POST', `/api/v1/instances/${id}/serverless/enable`, { mode: 'FAST' });
    expect(bad.status).toBe(422);
    const enabled = await s.d('POST', `/api/v1/instances/${id}/serverless/enable`, {
      cpu_standby: true,
      idle_timeout_seconds: 0,
      idle_threshold: 45,
    });
    expect(enabled.body).toEqual({
      instance_id: id,
      mode: 'fast',
      idle_timeout_seconds: 45,
      gpu_threshold: 5,
      keep_warm: false,
      checkpoint_enabled: true,
      status: 'enabled',
      message: expect.any(String),
    });
    expect((await s.d('POST', `/api/v1/instances/${id}/serverless/enable`, {})).body.mode).toBe('economic');
    const disabled = await s.d('POST', `/api/v1/instances/${id}/serverless/disable`);
    expect(disabled.body).toEqual({ instance_id: id, status: 'disabled', message: expect.any(String) });
    const again = await s.d('POST', `/api/v1/instances/${id}/serverless/disable`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ instance_id: id, status: 'not_found' });
    const canonical = await s.d('POST', `/api/v1/serverless/disable/${id}`);
    expect(canonical.status).toBe(404);
    expect(canonical.body).toEqual({ error: expect.any(String) });
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });

  it('the agent routes take heartbeats (no auth), list them and reset the idle timer; inference marks busy', async () => {
    const { id } = await createRunning(s, 'sl/agent');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 600 });
    const beat = await call(s.sim.dumontUrl, 'POST', '/api/v1/agent/status', {
      body: {
        version: '1.0',
        instance_id: `vast_${id}`,
        status: 'idle',
        timestamp: 1,
        gpu_metrics: { utilization: 42 },
      },
    });
    expect(beat.body).toEqual({
      received: true,
      instance_id: `vast_${id}`,
      action: 'none',
      message: expect.any(String),
    });
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).body).toMatchObject({
      current_gpu_util: 42,
      idle_since: null,
      will_pause_at: null,
    });
    const plain = await call(s.sim.dumontUrl, 'POST', '/api/v1/agent/status', {
      body: { instance_id: String(id), status: 'idle', timestamp: 2, gpu_utilization: 0 },
    });
    expect(plain.body).toMatchObject({ received: true, instance_id: String(id), action: 'none' });
    const idle = (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;
    expect(idle.current_gpu_util).toBe(0);
    expect(idle.idle_since).not.toBeNull();
    expect((await call(s.sim.dumontUrl, 'POST', '/api/v1/agent/status', { body: {} })).status).toBe(422);

    const agents = await call(s.sim.dumontUrl, 'GET', '/api/v1/agent/instances');
    expect(agents.body.count).toBe(agents.body.instances.length);
    const one = await call(s.sim.dumontUrl, 'GET', `/api/v1/agent/instances/${id}`);
    expect(one.body).toMatchObject({ instance_id: String(id), status: 'idle', gpu_utilization: 0 });
    expect((await call(s.sim.dumontUrl, 'GET', '/api/v1/agent/instances/1')).status).toBe(404);
    await s.sleep(20);
    const kept = await call(s.sim.dumontUrl, 'POST', `/api/v1/agent/instances/${id}/keep-alive`);
    expect(kept.body).toMatchObject({ instance_id: id, status: 'ok' });
    const reset = (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;
    expect(reset.idle_since).toBeGreaterThan(idle.idle_since + 10);

    const start = await s.d('POST', `/api/v1/serverless/inference-start/${id}`);
    expect(start.body).toEqual({ instance_id: id, status: 'ok', idle_timer: 'reset' });
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).body.idle_since).toBeNull();
    const done = await s.d('POST', `/api/v1/serverless/inference-complete/${id}`);
    expect(done.body).toEqual({ instance_id: id, status: 'ok', idle_timer: 'started' });
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).body.idle_since).not.toBeNull();
    expect((await s.d('POST', '/api/v1/serverless/inference-start/1')).status).toBe(404);
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });

  it('fast mode keeps a CPU standby that syncs, is billed, listed by label and destroyed with its instance', async () => {
    const { id } = await createRunning(s, 'sl/standby');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'fast', idle_timeout_seconds: 600 });
    const first = (await s.d('GET', '/api/v1/standby/associations')).body;
    const mine = first.associations.find((a: { gpu_instance_id: number }) => a.gpu_instance_id === id);
    expect(mine).toMatchObject({ label: 'sl/standby/standby', state: 'syncing', sync_count: 0, dph_total: 0.03 });
    expect(mine.created_at).toEqual(expect.any(Number));
    const synced = await waitFor(
      async () =>
        (await s.d('GET', '/api/v1/standby/associations')).body.associations.find(
          (a: { gpu_instance_id: number; sync_count: number }) => a.gpu_instance_id === id && a.sync_count >= 2
        ),
      { timeoutMs: s.ms(60) + 2_000 }
    );
    expect(synced.state).toBe('ready');
    const charges = (s.sim.state().billing.perInstance as unknown[]).length;
    expect(charges).toBeGreaterThan(0);
    const rows = await call(s.sim.vastUrl, 'GET', '/api/v0/charges/', { auth: 'serverless-test-key' });
    expect(rows.body.results.find((r: { source: string }) => r.source === `standby-${id}`).amount).toBeGreaterThan(0);
    expect(s.sim.state().features.serverless).toMatchObject({
      standbys: [expect.objectContaining({ gpu_instance_id: id })],
    });

    // Disable (fast) destroys it; enabling fast again makes a new one; DELETE destroys it; so does a destroy.
    await s.d('POST', `/api/v1/serverless/disable/${id}`);
    expect((await s.d('GET', '/api/v1/standby/associations')).body.count).toBe(0);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'fast', idle_timeout_seconds: 600 });
    expect((await s.d('GET', '/api/v1/standby/associations')).body.count).toBe(1);
    const deleted = await s.d('DELETE', `/api/v1/standby/associations/${id}`);
    expect(deleted.body).toEqual({ success: true, message: expect.any(String) });
    expect((await s.d('DELETE', `/api/v1/standby/associations/${id}`)).status).toBe(404);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic' });
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'fast', idle_timeout_seconds: 600 });
    expect((await s.d('GET', '/api/v1/standby/associations')).body.count).toBe(1);
    await s.d('DELETE', `/api/v1/instances/${id}`);
    expect((await s.d('GET', '/api/v1/standby/associations')).body.count).toBe(0);
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).status).toBe(404);
  });
});

describe('auto-pause', () => {
  it('pauses natively once idle for the timeout, with heartbeats at 0, and not before', async () => {
    const { id } = await createRunning(s, 'sl/idle');
    await s.sleep(60); // past the grace period
    const stop = heartbeats(s, id, 0);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 30 });
    const before = (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;
    const paused = await waitForStatus(s, id, (st) => st.is_paused);
    await stop();
    // The monitor looks every 5 s: paused at the first tick at or after the due time (timers may lag a little).
    expect(paused.paused_at).toBeGreaterThanOrEqual(before.will_pause_at - 0.01);
    expect(paused.paused_at).toBeLessThan(before.will_pause_at + 5 + 60);
    expect(paused.paused_at - before.idle_since).toBeGreaterThanOrEqual(30 - 0.01);
    expect(paused).toMatchObject({ idle_since: null, will_pause_at: null });
    await waitFor(async () => (await actualOf(id)) === 'stopped', { timeoutMs: s.ms(10) + 2_000 });
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });

  it('never pauses while a heartbeat is above the threshold; pauses once heartbeats stop and the last one expires', async () => {
    const { id } = await createRunning(s, 'sl/busy');
    await s.sleep(60);
    const stop = heartbeats(s, id, 50);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, {
      mode: 'economic',
      idle_timeout_seconds: 2,
      gpu_threshold: 10,
    });
    await s.sleep(60);
    const busy = (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;
    expect(busy).toMatchObject({ is_paused: false, current_gpu_util: 50, idle_since: null });
    await stop();
    const last = (await call(s.sim.dumontUrl, 'GET', `/api/v1/agent/instances/${id}`)).body.last_heartbeat;
    const paused = await waitForStatus(s, id, (st) => st.is_paused);
    // The last heartbeat counts for 30 s, then 2 s of idle.
    expect(paused.paused_at - last).toBeGreaterThanOrEqual(30 + 2 - 0.01);
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });

  it("never pauses while the instance's own GPU utilisation is above the threshold, nor during an inference", async () => {
    const { id } = await createRunning(s, 'sl/own');
    await s.sleep(60);
    await setOwnUtil(s, id, 95);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    await s.sleep(30);
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).body).toMatchObject({
      is_paused: false,
      current_gpu_util: 95,
    });
    await s.d('POST', `/api/v1/serverless/inference-start/${id}`);
    await setOwnUtil(s, id, 0);
    await s.sleep(30);
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).body).toMatchObject({
      is_paused: false,
      idle_since: null,
    });
    await s.d('POST', `/api/v1/serverless/inference-complete/${id}`);
    await waitForStatus(s, id, (st) => st.is_paused, 30);
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });

  it('never pauses inside the 60 s grace period after the instance started', async () => {
    const { id } = await createRunning(s, 'sl/grace');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    const first = (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;
    const runningSince = s.world.instances.get(id)!.runningSince!;
    expect(first.grace_until).toBeCloseTo(runningSince + 60, 2); // the row is rounded to ms
    expect(first.will_pause_at).toBeCloseTo(first.grace_until, 2);
    const paused = await waitForStatus(s, id, (st) => st.is_paused);
    expect(paused.paused_at).toBeGreaterThanOrEqual(first.grace_until - 0.01);
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });

  it("a user pause is not the feature's: is_paused stays false and the monitor leaves the instance alone", async () => {
    const { id } = await createRunning(s, 'sl/user');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 600 });
    await s.d('POST', `/api/v1/instances/${id}/pause`);
    await s.sleep(10);
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).body).toMatchObject({
      is_paused: false,
      idle_since: null,
    });
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });
});
