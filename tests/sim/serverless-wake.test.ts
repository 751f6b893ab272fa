/**
 * The simulator's serverless feature on the Dumont face, ideal profile, over real HTTP: wake with its measured cold
 * start by mode, the savings measured from the paused time and the real price, and disable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instancePaths } from '../../src/sim/instances/instance-files';
import { waitFor } from '../helpers/wait-for';
import {
  actualStatusOf,
  createRunning,
  startServerlessSim,
  waitForRunning,
  waitForStatus,
  type ServerlessSim,
} from './serverless-helpers';

let s: ServerlessSim;

beforeAll(async () => {
  s = await startServerlessSim();
});
afterAll(async () => {
  await s?.sim.stop();
});

/** The VAST row's observed status. */
const actualOf = (id: number) => actualStatusOf(s, id);

describe('wake', () => {
  /** Enables `mode` with a 2 s timeout past the grace period, waits for the auto-pause and the stop. */
  const pausedInstance = async (label: string, mode: string): Promise<number> => {
    const { id } = await createRunning(s, label);
    await s.sleep(60);
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode, idle_timeout_seconds: 15 });
    await waitForStatus(s, id, (st) => st.is_paused);
    await waitFor(async () => (await actualOf(id)) === 'stopped', { timeoutMs: s.ms(10) + 2_000 });
    return id;
  };

  it('answers once SSH is reachable with the measured cold start; fast (standby) is quicker than economic', async () => {
    const economic = await pausedInstance('sl/wake-eco', 'economic');
    const fast = await pausedInstance('sl/wake-fast', 'fast');
    const ollama = path.join(instancePaths(s.world.dataDir, economic).workspace, '.ollama');
    fs.mkdirSync(ollama, { recursive: true });
    fs.writeFileSync(path.join(ollama, 'model'), 'weights');
    const results: Record<string, number> = {};
    for (const [mode, id] of [
      ['economic', economic],
      ['fast', fast],
    ] as const) {
      const t0 = s.now();
      const woke = await s.d('POST', `/api/v1/serverless/wake/${id}`);
      const elapsed = s.now() - t0;
      expect(woke.status).toBe(200);
      expect(woke.body).toEqual({
        instance_id: id,
        status: 'resumed',
        cold_start_seconds: expect.any(Number),
        mode,
        method: mode === 'fast' ? 'cpu_standby_restore' : 'native_resume',
        ssh_host: '127.0.0.1',
        ssh_port: expect.any(Number),
        checkpoint_restored: mode === 'fast',
      });
      // SSH is reachable when it answers, and the cold start is what the request took.
      const row = (await s.d('GET', `/api/v1/instances/${id}`)).body;
      expect(row).toMatchObject({ actual_status: 'running', ssh_port: woke.body.ssh_port });
      expect(woke.body.cold_start_seconds).toBeLessThanOrEqual(elapsed + 0.01);
      results[mode] = woke.body.cold_start_seconds;
      const status = (await s.d('GET', `/api/v1/serverless/status/${id}`)).body;
      expect(status).toMatchObject({ is_paused: false, avg_cold_start_seconds: woke.body.cold_start_seconds });
      // A new grace period from the moment SSH was ready.
      expect(status.grace_until).toBeGreaterThanOrEqual(t0 + woke.body.cold_start_seconds + 60 - 0.01);
      expect(status.grace_until).toBeLessThanOrEqual(t0 + elapsed + 60 + 0.01);
      const again = await s.d('POST', `/api/v1/serverless/wake/${id}`);
      expect(again.body).toMatchObject({ instance_id: id, status: 'already_running' });
    }
    expect(results.economic).toBeGreaterThanOrEqual(20 - 0.01);
    expect(results.fast).toBeGreaterThanOrEqual(3 - 0.01);
    expect(results.fast).toBeLessThan(results.economic);
    expect(fs.readFileSync(path.join(ollama, 'model'), 'utf8')).toBe('weights');
    await s.d('DELETE', `/api/v1/instances/${economic}`);
    await s.d('DELETE', `/api/v1/instances/${fast}`);
  });

  it('savings are the real GPU price times the paused time observed: 0 without a pause', async () => {
    const { id, dph } = await createRunning(s, 'sl/savings');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 600 });
    const none = await s.d('GET', `/api/v1/instances/${id}/savings`);
    expect(none.body).toMatchObject({
      instance_id: id,
      current_dph: dph,
      paused_seconds: 0,
      total_savings_usd: 0,
      serverless_enabled: true,
    });
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    const paused = await waitForStatus(s, id, (st) => st.is_paused);
    await s.sleep(100);
    const wakeAt = s.now();
    const woke = await s.d('POST', `/api/v1/serverless/wake/${id}`);
    const answeredAt = s.now();
    expect(woke.body.status).toBe('resumed');
    // Paused from the auto-pause to the wake request (which the server handled between these two reads).
    const after = (await s.d('GET', `/api/v1/instances/${id}/savings`)).body;
    expect(after.paused_seconds).toBeGreaterThanOrEqual(wakeAt - paused.paused_at - 0.01);
    expect(after.paused_seconds).toBeLessThanOrEqual(
      answeredAt - woke.body.cold_start_seconds - paused.paused_at + 0.01
    );
    expect(after.total_savings_usd).toBeCloseTo((dph * after.paused_seconds) / 3600, 5);
    expect((await s.d('GET', `/api/v1/serverless/status/${id}`)).body.total_savings_usd).toBe(after.total_savings_usd);
    expect((await s.d('GET', '/api/v1/instances/1/savings')).status).toBe(404);
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });
});

describe('disable', () => {
  it('keeps a running instance running, and resumes one the feature paused', async () => {
    const { id } = await createRunning(s, 'sl/disable');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    await s.d('POST', `/api/v1/serverless/disable/${id}`);
    await s.sleep(90);
    expect(await actualOf(id)).toBe('running');
    await s.d('POST', `/api/v1/serverless/enable/${id}`, { mode: 'economic', idle_timeout_seconds: 2 });
    await waitForStatus(s, id, (st) => st.is_paused);
    const off = await s.d('POST', `/api/v1/serverless/disable/${id}`);
    expect(off.body).toMatchObject({ instance_id: id, status: 'disabled' });
    await waitForRunning(s, id);
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });
});
