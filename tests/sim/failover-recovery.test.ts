/**
 * The simulator's failover feature on the Dumont face, over real HTTP and real SSH: the service endpoint, failures
 * injected and detected by the platform's health check, failover in timestamped phases, failback with a reverse
 * sync, recovery without a standby, the fast GPU-to-GPU failover, the orchestrator, and the dumont-as-is stubs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import {
  createGpu,
  MANIFEST,
  ssh,
  startConfiguredFailoverSim,
  startFailoverSim,
  protectedGpu as protectedGpuOf,
  WRITE,
  waitForAssociation,
  waitForRecord,
  type FailoverSim,
} from './failover-helpers';
import { createDumontClient } from '../../src/platform/dumont/client';
import { failoverApi } from '../../src/platform/dumont/failover';
import { PlatformLacksError } from '../../src/platform/errors';
import { call } from './sim-client';

let s: FailoverSim;

beforeAll(async () => {
  s = await startConfiguredFailoverSim(28);
});
afterAll(async () => {
  await s?.sim.stop();
});

/** A GPU with a provisioned standby (its first sync under way): the association row. */
const protectedGpu = (label: string, opts: Record<string, unknown> = {}) => protectedGpuOf(s, label, opts);

describe('failover, failback, recovery', () => {
  it('a GPU host failure is detected by the health check and the endpoint moves to the standby, in phases', async () => {
    const { gpu, association } = await protectedGpu('fo/failover');
    await ssh(gpu.sshPort, WRITE);
    await s.d('POST', `/api/v1/standby/associations/${gpu.id}/start-sync`);
    await waitForAssociation(s, gpu.id, (a) => a.state === 'ready');
    const endpoint = association.endpoint.port as number;
    expect((await ssh(endpoint, 'nvidia-smi -L')).stdout).toContain('RTX 3090');
    const ready = (await call(s.sim.dumontUrl, 'GET', `/api/v1/failover/readiness/${gpu.id}`)).body;
    expect(ready).toMatchObject({ cpu_standby_ready: true, overall_ready: true, cpu_standby_state: 'ready' });

    const injected = await s.d('POST', `/api/v1/standby/failover/simulate/${gpu.id}`, { reason: 'gpu_host_down' });
    expect(injected.body).toEqual({
      failover_id: expect.stringMatching(/^fo-/),
      gpu_instance_id: gpu.id,
      phase: 'detecting',
      reason: 'gpu_host_down',
      message: expect.any(String),
      failed_at: expect.any(Number),
      server_time: expect.any(Number),
    });
    // Idempotent: asked again, the same failover.
    const again = await s.d('POST', `/api/v1/standby/failover/simulate/${gpu.id}`, { reason: 'gpu_host_down' });
    expect(again.body.failover_id).toBe(injected.body.failover_id);
    const record = await waitForRecord(s, injected.body.failover_id);
    expect(record).toMatchObject({
      kind: 'cpu_standby',
      phase: 'complete',
      success: true,
      data_restored: true,
      dead_gpu_destroyed: true,
      endpoint: { ssh_host: '127.0.0.1', ssh_port: endpoint },
    });
    expect(record.detected_at - record.failed_at).toBeGreaterThan(0);
    // Detection, then decide (0.2 s), switch (0.4 s) and serve (0.4 s); timers may fire late on a busy machine.
    expect(record.serving_at - record.detected_at).toBeGreaterThanOrEqual(0.99);
    expect(Object.keys(record.phase_timings_ms)).toEqual(['detect', 'decide', 'switch', 'serve']);
    // Through the same endpoint: the standby (no GPU) with the data.
    const after = await ssh(endpoint, `nvidia-smi >/dev/null 2>&1; echo "smi=$?"; ${MANIFEST('data')}`);
    expect(after.stdout).toContain('smi=9');
    expect(after.stdout).toContain('data/sub/blob.bin');
    // The dead GPU is gone (no billing); the association serves from the standby.
    expect((await s.d('GET', `/api/v1/instances/${gpu.id}`)).status).toBe(404);
    const row = (await s.d('GET', `/api/v1/standby/associations/${gpu.id}`)).body;
    expect(row).toMatchObject({
      state: 'failover_active',
      gpu_failed: true,
      failure_reason: 'gpu_host_down',
      failover_count: 1,
    });
    expect(row.endpoint.serving).toBe('standby');
    const report = (await s.d('GET', '/api/v1/standby/failover/report')).body;
    expect(report.history.some((h: { failover_id: string }) => h.failover_id === record.failover_id)).toBe(true);

    // Failback: a new GPU receives what was written on the standby, and the endpoint moves to it.
    await ssh(endpoint, 'printf written-on-standby > data/standby.txt');
    const fb = await s.d('POST', `/api/v1/instances/${gpu.id}/failback`);
    expect(fb.body).toMatchObject({
      success: true,
      status: 'initiated',
      kind: 'failback',
      new_gpu_id: expect.any(Number),
    });
    const done = await waitForRecord(s, fb.body.failover_id);
    expect(done).toMatchObject({ phase: 'complete', success: true });
    const newGpu = done.new_gpu_id as number;
    const moved = await ssh(endpoint, 'nvidia-smi -L; cat data/standby.txt');
    expect(moved.stdout).toContain('RTX 3090');
    expect(moved.stdout).toContain('written-on-standby');
    const newRow = (await s.d('GET', `/api/v1/instances/${newGpu}`)).body;
    expect(newRow.label).toBe('fo/failover/fb1');
    const assoc = (await s.d('GET', `/api/v1/standby/associations/${newGpu}`)).body;
    expect(assoc).toMatchObject({ state: 'ready', failback_count: 1, endpoint: { serving: 'gpu' } });
    // The standby follows the new GPU: a file written there reaches it.
    await ssh(newRow.ssh_port, 'printf after-failback > data/new.txt');
    await waitFor(
      async () => (await ssh(association.ssh_port, 'cat data/new.txt 2>/dev/null')).stdout === 'after-failback',
      {
        timeoutMs: s.ms(30) + 3_000,
        what: 'sync from the new GPU',
      }
    );
    await s.d('DELETE', `/api/v1/instances/${newGpu}`);
    expect((await s.d('GET', `/api/v1/standby/associations/${newGpu}`)).status).toBe(404);
  });

  it('a network partition (admin API) keeps the GPU running but unreachable; the platform fails over by itself', async () => {
    const { gpu, association } = await protectedGpu('fo/partition');
    await s.d('POST', `/api/v1/standby/associations/${gpu.id}/start-sync`);
    await waitForAssociation(s, gpu.id, (a) => a.state === 'ready');
    const admin = await call(s.sim.dumontUrl, 'POST', `/_sim/instances/${gpu.id}/failure`, {
      auth: 'serverless-test-key',
      body: { kind: 'network_partition' },
    });
    expect(admin.body).toMatchObject({ success: true, kind: 'network_partition', actual_status: 'running' });
    const bad = await call(s.sim.dumontUrl, 'POST', `/_sim/instances/${gpu.id}/failure`, {
      auth: 'serverless-test-key',
      body: { kind: 'meteor' },
    });
    expect(bad.status).toBe(400);
    const row = await waitForAssociation(
      s,
      gpu.id,
      (a) => a.state === 'failover_active' && a.endpoint.serving === 'standby'
    );
    expect(row.failure_reason).toBe('network_partition');
    expect((await ssh(association.endpoint.port, 'echo $DUMONT_STANDBY')).stdout.trim()).toBe(
      association.cpu_standby.name
    );
    const active = (await s.d('GET', '/api/v1/standby/failover/active')).body;
    expect(active).toMatchObject({ count: expect.any(Number) });
    await s.d('DELETE', `/api/v1/standby/associations/${gpu.id}`);
    expect(s.world.instances.has(gpu.id)).toBe(false);
  });

  it('the standby runs the instance start command when it takes over; a manual failover works too', async () => {
    const onstart = '[ -f ~/service.sh ] && nohup sh ~/service.sh > ~/service.log 2>&1 &';
    const { gpu, association } = await protectedGpu('fo/service', { onstart_cmd: onstart });
    await ssh(gpu.sshPort, `printf 'echo "serving on $DUMONT_STANDBY" > ~/served.txt\\n' > service.sh`);
    await s.d('POST', `/api/v1/standby/associations/${gpu.id}/start-sync`);
    await waitForAssociation(s, gpu.id, (a) => a.state === 'ready');
    const manual = await s.d('POST', `/api/v1/instances/${gpu.id}/failover`);
    expect(manual.body).toMatchObject({ success: true, status: 'initiated', kind: 'cpu_standby', reason: 'manual' });
    await waitForRecord(s, manual.body.failover_id);
    await waitFor(
      async () =>
        (await ssh(association.endpoint.port, 'cat served.txt 2>/dev/null')).stdout.includes('serving on sb-'),
      {
        timeoutMs: 5_000,
        what: 'the service on the standby',
      }
    );
    await s.d('DELETE', `/api/v1/standby/associations/${gpu.id}`);
  });

  it('without a standby, recover rents a replacement GPU and destroys the dead one', async () => {
    const gpu = await createGpu(s, 'fo/recover');
    expect((await s.d('POST', `/api/v1/instances/${gpu.id}/recover`)).status).toBe(400);
    const injected = await s.d('POST', `/api/v1/standby/failover/simulate/${gpu.id}`, { reason: 'spot_interruption' });
    expect(injected.body).toMatchObject({ phase: 'gpu_lost', reason: 'spot_interruption' });
    expect((await s.d('GET', `/api/v1/instances/${gpu.id}`)).body.actual_status).toBe('exited');
    const rec = await s.d('POST', `/api/v1/instances/${gpu.id}/recover`);
    expect(rec.body).toMatchObject({
      success: true,
      status: 'initiated',
      kind: 'recovery',
      new_gpu_id: expect.any(Number),
    });
    const done = await waitForRecord(s, rec.body.failover_id);
    expect(done).toMatchObject({ success: true, phase: 'complete', dead_gpu_destroyed: true });
    const replacement = (await s.d('GET', `/api/v1/instances/${done.new_gpu_id}`)).body;
    expect(replacement).toMatchObject({ label: 'fo/recover/rec', actual_status: 'running', gpu_name: 'RTX 3090' });
    expect((await ssh(replacement.ssh_port, 'nvidia-smi -L')).stdout).toContain('RTX 3090');
    // Asked again, the same recovery.
    expect((await s.d('POST', `/api/v1/instances/${gpu.id}/recover`)).body.failover_id).toBe(rec.body.failover_id);
    await s.d('DELETE', `/api/v1/instances/${done.new_gpu_id}`);
  });

  it('the fast failover copies the workspace to a new GPU synchronously and reports its phases', async () => {
    const gpu = await createGpu(s, 'fo/fast');
    await ssh(gpu.sshPort, WRITE);
    const before = (await ssh(gpu.sshPort, MANIFEST('data'))).stdout;
    const fast = await s.d('POST', `/api/v1/standby/failover/fast/${gpu.id}`, { destroy_original_gpu: true });
    expect(fast.body).toMatchObject({
      success: true,
      phases: {
        snapshot_ms: expect.any(Number),
        gpu_provisioning_ms: expect.any(Number),
        restore_ms: expect.any(Number),
      },
      gpu: { original: gpu.id, new: { id: expect.any(Number), type: 'RTX 3090' } },
    });
    const port = fast.body.gpu.new.ssh.port as number;
    expect((await ssh(port, MANIFEST('data'))).stdout).toBe(before);
    expect((await ssh(port, 'cat data/sub/b.txt')).stdout).toBe('beta');
    expect(s.world.instances.has(gpu.id)).toBe(false);
    await s.d('DELETE', `/api/v1/instances/${fast.body.gpu.new.id}`);
  });

  it('the orchestrator answers strategies, settings and an executed failover', async () => {
    const strategies = (await call(s.sim.dumontUrl, 'GET', '/api/v1/failover/strategies')).body.strategies;
    expect(strategies.map((x: { name: string }) => x.name)).toEqual(['warm_pool', 'cpu_standby', 'both']);
    const { gpu } = await protectedGpu('fo/execute');
    await s.d('POST', `/api/v1/standby/associations/${gpu.id}/start-sync`);
    await waitForAssociation(s, gpu.id, (a) => a.state === 'ready');
    const disabled = await call(
      s.sim.dumontUrl,
      'POST',
      `/api/v1/failover/settings/machines/${gpu.id}/disable-failover`
    );
    expect(disabled.body.settings).toMatchObject({ effective_strategy: 'disabled', cpu_standby_enabled: false });
    expect((await call(s.sim.dumontUrl, 'GET', `/api/v1/failover/readiness/${gpu.id}`)).body.overall_ready).toBe(false);
    await call(s.sim.dumontUrl, 'POST', `/api/v1/failover/settings/machines/${gpu.id}/use-global`);
    const executed = await call(s.sim.dumontUrl, 'POST', '/api/v1/failover/execute', {
      body: {
        machine_id: gpu.id,
        gpu_instance_id: gpu.id,
        ssh_host: '127.0.0.1',
        ssh_port: gpu.sshPort,
        workspace_path: '/workspace',
      },
    });
    expect(executed.body).toMatchObject({
      success: true,
      strategy_attempted: 'cpu_standby',
      strategy_succeeded: 'cpu_standby',
      new_ssh_host: '127.0.0.1',
      new_ssh_port: expect.any(Number),
      total_ms: expect.any(Number),
    });
    const status = (await call(s.sim.dumontUrl, 'GET', `/api/v1/failover/status/${gpu.id}`)).body;
    expect(status).toMatchObject({ failover_count: 1, in_progress: false, cpu_standby_state: 'failover_active' });
    await s.d('DELETE', `/api/v1/standby/associations/${gpu.id}`);
  });
});

describe('dumont-as-is', () => {
  it('has no GCP credentials and stubs the per-instance routes', async () => {
    const asIs = await startFailoverSim({ profile: 'dumont-as-is', seed: 29 });
    try {
      expect((await asIs.d('POST', '/api/v1/standby/configure', {})).status).toBe(400);
      expect((await asIs.d('GET', '/api/v1/standby/status')).body).toMatchObject({
        configured: false,
        active_associations: 0,
      });
      const gpu = await createGpu(asIs, 'fo/as-is');
      expect((await asIs.d('POST', `/api/v1/standby/provision/${gpu.id}`)).status).toBe(400);
      expect((await asIs.d('POST', `/api/v1/instances/${gpu.id}/failover`)).body).toEqual({
        instance_id: gpu.id,
        status: 'initiated',
        message: 'failover initiated',
      });
      expect((await asIs.d('POST', `/api/v1/standby/failover/simulate/${gpu.id}`, {})).status).toBe(404);
      // The harness's client reads the stub's answer as what it is: no failback at all.
      const api = failoverApi(createDumontClient({ baseUrl: asIs.sim.dumontUrl, token: asIs.token }));
      await expect(api.failback(gpu.id)).rejects.toThrow(PlatformLacksError);
      await expect(api.recover(gpu.id)).rejects.toThrow(
        /platform lacks a working POST \/api\/v1\/instances\/\{id\}\/recover/
      );
      expect((await asIs.d('GET', `/api/v1/instances/${gpu.id}`)).body.actual_status).toBe('running');
    } finally {
      await asIs.sim.stop();
    }
  });
});
