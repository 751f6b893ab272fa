/**
 * The simulator's failover feature on the Dumont face, over real HTTP and real SSH: standby configuration and
 * provisioning (a CPU machine of its own) and syncs made of real file copies. Failover, failback, recovery and
 * the dumont-as-is stubs: failover-recovery.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import {
  createGpu,
  MANIFEST,
  ssh,
  startConfiguredFailoverSim,
  protectedGpu as protectedGpuOf,
  WRITE,
  waitForAssociation,
  type FailoverSim,
} from './failover-helpers';
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

describe('standby configuration and provisioning', () => {
  it('configure validates and answers the config; status shows it; pricing is a static estimate', async () => {
    const bad = await s.d('POST', '/api/v1/standby/configure', { sync_interval: 'often' });
    expect(bad.status).toBe(422);
    expect(bad.body.details[0].loc).toEqual(['body', 'sync_interval']);
    expect((await call(s.sim.dumontUrl, 'POST', '/api/v1/standby/configure', { body: {} })).status).toBe(401);
    const ok = await s.d('POST', '/api/v1/standby/configure', {
      enabled: false,
      sync_interval: 5,
      gcp_machine_type: 'e2-small',
    });
    expect(ok.body).toEqual({
      success: true,
      message: expect.any(String),
      config: {
        gcp_zone: 'europe-west1-b',
        gcp_machine_type: 'e2-small',
        estimated_cost_monthly_usd: expect.any(Number),
      },
    });
    const status = (await s.d('GET', '/api/v1/standby/status')).body;
    expect(status).toMatchObject({
      configured: true,
      auto_standby_enabled: false,
      active_associations: expect.any(Number),
      config: { sync_interval: 5, auto_failover: true, auto_recovery: true, gcp_machine_type: 'e2-small' },
    });
    const pricing = (await s.d('GET', '/api/v1/standby/pricing?machine_type=e2-medium&disk_gb=50&spot=false')).body;
    expect(pricing).toMatchObject({ machine_type: 'e2-medium', disk_gb: 50, spot: false, hourly_usd: 0.0335 });
  });

  it('provision answers once a CPU machine with SSH runs: no GPU in its nvidia-smi, the GPU instance keys', async () => {
    const { gpu, association } = await protectedGpu('fo/provision');
    expect(association).toMatchObject({
      gpu_instance_id: gpu.id,
      label: 'fo/provision/standby',
      state: 'disabled',
      sync_enabled: false,
      cpu_standby: { name: expect.stringMatching(/^sb-\d+$/), zone: 'europe-west1-b', ip: '127.0.0.1' },
      ssh_host: '127.0.0.1',
      ssh_port: expect.any(Number),
      endpoint: { host: '127.0.0.1', port: expect.any(Number), serving: 'gpu' },
      dph_total: 0.03,
    });
    const smi = await ssh(association.ssh_port, 'nvidia-smi; echo "exit=$?"; echo "home=$HOME"');
    expect(smi.stdout).toContain('exit=9');
    expect(smi.stderr).toContain("couldn't communicate with the NVIDIA driver");
    expect(smi.stdout).toMatch(/home=.*standbys\/sb-\d+\/workspace/);
    // Listed with the other standbys, billed as one.
    const list = (await s.d('GET', '/api/v1/standby/associations')).body.associations;
    expect(list.find((a: { gpu_instance_id: number }) => a.gpu_instance_id === gpu.id)).toMatchObject({
      label: 'fo/provision/standby',
    });
    // Provisioning again answers the same association.
    const again = await s.d('POST', `/api/v1/standby/provision/${gpu.id}`);
    expect(again.body.association.cpu_standby.name).toBe(association.cpu_standby.name);
    // The GPU's destroy (the user's) takes the standby with it: its SSH closes.
    await s.d('DELETE', `/api/v1/instances/${gpu.id}`);
    expect((await s.d('GET', `/api/v1/standby/associations/${gpu.id}`)).status).toBe(404);
    await expect(ssh(association.ssh_port, 'true')).rejects.toThrow();
    expect((await s.d('POST', '/api/v1/standby/provision/1')).status).toBe(404);
  });

  it('auto-standby gives every new instance created without skip_standby a syncing standby', async () => {
    await s.d('POST', '/api/v1/standby/configure', { enabled: true, sync_interval: 5 });
    try {
      const auto = await createGpu(s, 'fo/auto', { skip_standby: false });
      const skipped = await createGpu(s, 'fo/skipped');
      const row = await waitForAssociation(s, auto.id, (a) => a.state === 'ready');
      expect(row).toMatchObject({ label: 'fo/auto/standby', sync_enabled: true });
      expect(row.sync_count).toBeGreaterThanOrEqual(1);
      expect((await s.d('GET', `/api/v1/standby/associations/${skipped.id}`)).status).toBe(404);
      await s.d('DELETE', `/api/v1/instances/${auto.id}`);
      await s.d('DELETE', `/api/v1/instances/${skipped.id}`);
    } finally {
      await s.d('POST', '/api/v1/standby/configure', { enabled: false, sync_interval: 5 });
    }
  });
});

describe('sync', () => {
  it('start-sync copies the workspace (real files, bytes and counts), then every sync_interval; stop-sync stops', async () => {
    const { gpu, association } = await protectedGpu('fo/sync');
    expect((await ssh(gpu.sshPort, WRITE)).stdout).toContain('ok');
    const started = await s.d('POST', `/api/v1/standby/associations/${gpu.id}/start-sync`);
    expect(started.body).toEqual({ success: true, message: expect.any(String) });
    const ready = await waitForAssociation(s, gpu.id, (a) => a.state === 'ready');
    expect(ready.sync_enabled).toBe(true);
    expect(ready.last_sync).toMatchObject({ direction: 'gpu_to_standby', files_copied: expect.any(Number) });
    expect(ready.bytes_synced).toBeGreaterThanOrEqual(300_009);
    expect(ready.files_synced).toBeGreaterThanOrEqual(3);
    const onGpu = await ssh(gpu.sshPort, MANIFEST('data'));
    const onStandby = await ssh(association.ssh_port, MANIFEST('data'));
    expect(onStandby.stdout).toBe(onGpu.stdout);
    // A change reaches the standby at a later sync; a deleted file goes too.
    await ssh(gpu.sshPort, 'printf gamma > data/c.txt && rm data/a.txt');
    await waitFor(async () => (await ssh(association.ssh_port, 'ls data')).stdout.includes('c.txt'), {
      timeoutMs: s.ms(30) + 3_000,
      what: 'second sync',
    });
    expect((await ssh(association.ssh_port, 'ls data')).stdout).not.toContain('a.txt');
    const sync = (await s.d('GET', `/api/v1/instances/${gpu.id}/sync`)).body;
    expect(sync).toMatchObject({ instance_id: gpu.id, sync_enabled: true, state: 'ready' });
    expect(sync.sync_count).toBeGreaterThanOrEqual(2);
    const standby = (await s.d('GET', `/api/v1/instances/${gpu.id}/standby`)).body;
    expect(standby).toMatchObject({
      instance_id: gpu.id,
      has_standby: true,
      association: { label: 'fo/sync/standby' },
    });
    await s.d('POST', `/api/v1/standby/associations/${gpu.id}/stop-sync`);
    const count = (await s.d('GET', `/api/v1/standby/associations/${gpu.id}`)).body.sync_count;
    await s.sleep(15);
    expect((await s.d('GET', `/api/v1/standby/associations/${gpu.id}`)).body).toMatchObject({
      sync_count: count,
      sync_enabled: false,
    });
    // DELETE stops the machine and its billing; the GPU stays.
    expect((await s.d('DELETE', `/api/v1/standby/associations/${gpu.id}`)).body.success).toBe(true);
    await expect(ssh(association.ssh_port, 'true')).rejects.toThrow();
    expect((await s.d('GET', `/api/v1/instances/${gpu.id}`)).body.actual_status).toBe('running');
    await s.d('DELETE', `/api/v1/instances/${gpu.id}`);
  });
});
