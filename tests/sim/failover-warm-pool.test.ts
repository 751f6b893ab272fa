/**
 * The simulator's warm-pool feature over real HTTP and SSH: hosts, provisioning on one host (a regional volume, a
 * running primary, a stopped standby sharing it), the health check, the failover through the shared volume, the
 * cleanup that destroys both GPUs and the volume, and regional volumes in their own regions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { ssh, startFailoverSim, type FailoverSim } from './failover-helpers';
import { call } from './sim-client';

let s: FailoverSim;
// The warm-pool and regional volume routes have no auth, as Dumont's.
const wp = (method: string, path: string, body?: unknown) => call(s.sim.dumontUrl, method, `/api/v1${path}`, { body });
const vastRow = async (id: number) =>
  (await call(s.sim.vastUrl, 'GET', `/api/v0/instances/${id}/`, { auth: 'serverless-test-key' })).body.instances;
const vastVolumes = async () =>
  (await call(s.sim.vastUrl, 'GET', '/api/v0/volumes/', { auth: 'serverless-test-key' })).body.volumes as {
    id: number;
    label: string;
    machine_id: number;
  }[];

beforeAll(async () => {
  s = await startFailoverSim({ seed: 33 });
});
afterAll(async () => {
  await s?.sim.stop();
});

/** The cheapest host of `region` (US or EU) from `GET /warmpool/hosts`. */
async function hostIn(region: string): Promise<{ machine_id: number; gpu_name: string; geolocation: string }> {
  const hosts = (await wp('GET', '/warmpool/hosts?min_gpus=2')).body.hosts;
  const host = hosts.find((h: { region: string }) => h.region === region);
  if (!host) throw new Error(`no ${region} host`);
  return host;
}

async function provision(machineId: number, label: string, region = 'US') {
  const host = await hostIn(region);
  const reply = await wp('POST', '/warmpool/provision', {
    machine_id: machineId,
    host_machine_id: host.machine_id,
    gpu_name: host.gpu_name,
    image: 'vastai/base-image:latest',
    disk_size: 20,
    volume_size: 40,
    label,
  });
  return { host, reply };
}

describe('warm pool', () => {
  it('lists hosts with two or more GPUs, their per-GPU price and region', async () => {
    const hosts = (await wp('GET', '/warmpool/hosts?gpu_name=RTX%203090&min_gpus=2')).body;
    expect(hosts.count).toBeGreaterThan(0);
    expect(hosts.hosts[0]).toMatchObject({
      machine_id: expect.any(Number),
      total_gpus: expect.any(Number),
      available_gpus: expect.any(Number),
      gpu_name: 'RTX 3090',
      avg_price_per_hour: expect.any(Number),
      can_create_warm_pool: true,
      offers: [expect.objectContaining({ offer_id: expect.any(Number), num_gpus: expect.any(Number) })],
    });
    for (const h of hosts.hosts) expect(h.total_gpus).toBeGreaterThanOrEqual(2);
  });

  it('provisions a volume, a running primary and a stopped standby on one host; fails over through the volume; cleans up', async () => {
    const { host, reply } = await provision(7001, 'wp/pool');
    expect(reply.status).toBe(200);
    const status = reply.body.status;
    expect(status).toMatchObject({
      machine_id: 7001,
      state: 'active',
      host_machine_id: host.machine_id,
      standby_state: 'stopped',
      primary_ssh_host: '127.0.0.1',
      failover_count: 0,
      label: 'wp/pool',
      healthy: true,
    });
    // VAST is the witness: two GPUs on the host's machine, the volume there too.
    const primary = await vastRow(status.primary_gpu_id);
    const standby = await vastRow(status.standby_gpu_id);
    expect(primary).toMatchObject({ machine_id: host.machine_id, label: 'wp/pool/primary', actual_status: 'running' });
    expect(standby).toMatchObject({
      machine_id: host.machine_id,
      label: 'wp/pool/standby',
      intended_status: 'stopped',
    });
    const volume = (await vastVolumes()).find((v) => v.label === 'wp/pool/volume');
    expect(volume).toMatchObject({ id: status.volume_id, machine_id: host.machine_id });
    const regional = (await wp('GET', `/failover/regional-volume/${status.volume_id}`)).body;
    expect(regional).toMatchObject({
      region: 'US',
      machine_id: host.machine_id,
      attached_instances: expect.any(Array),
    });
    // The host is off the market while the pool holds it; provisioning again answers the same pool.
    expect(
      (await wp('GET', '/warmpool/hosts')).body.hosts.some(
        (h: { machine_id: number }) => h.machine_id === host.machine_id
      )
    ).toBe(false);
    const again = await wp('POST', '/warmpool/provision', {
      machine_id: 7001,
      host_machine_id: host.machine_id,
      label: 'wp/pool',
    });
    expect(again.body.status.primary_gpu_id).toBe(status.primary_gpu_id);
    expect((await wp('GET', '/warmpool/list')).body.pools.map((p: { label: string }) => p.label)).toContain('wp/pool');

    // Data on the shared volume survives the failover.
    await ssh(status.primary_ssh_port, 'echo shared-data > data/kept.txt');
    const failover = await wp('POST', '/warmpool/failover/test/7001');
    expect(failover.body).toEqual({
      success: true,
      message: expect.any(String),
      recovery_time_seconds: expect.any(Number),
      new_primary_gpu_id: status.standby_gpu_id,
    });
    expect(failover.body.recovery_time_seconds).toBeGreaterThanOrEqual(20);
    const after = (await wp('GET', '/warmpool/status/7001')).body;
    expect(after).toMatchObject({
      state: 'active',
      primary_gpu_id: status.standby_gpu_id,
      standby_gpu_id: status.primary_gpu_id,
      failover_count: 1,
    });
    expect((await ssh(after.primary_ssh_port, 'cat data/kept.txt')).stdout.trim()).toBe('shared-data');
    await waitFor(async () => (await vastRow(status.primary_gpu_id)).actual_status === 'stopped', {
      what: 'old primary stopped',
    });

    const cleaned = await wp('DELETE', '/warmpool/cleanup/7001');
    expect(cleaned.body).toEqual({ success: true, message: expect.any(String) });
    expect((await wp('GET', '/warmpool/status/7001')).status).toBe(404);
    expect((await vastVolumes()).some((v) => v.label === 'wp/pool/volume')).toBe(false);
    expect(s.world.instances.has(status.primary_gpu_id)).toBe(false);
    expect(s.world.instances.has(status.standby_gpu_id)).toBe(false);
    expect(
      (await wp('GET', '/warmpool/hosts')).body.hosts.some(
        (h: { machine_id: number }) => h.machine_id === host.machine_id
      )
    ).toBe(true);
    expect((await wp('DELETE', '/warmpool/cleanup/7001')).status).toBe(404);
  });

  it('the health check notices a lost standby: degraded, standby_state none', async () => {
    const { reply } = await provision(7002, 'wp/health');
    const status = reply.body.status;
    expect(status.healthy).toBe(true);
    await s.d('DELETE', `/api/v1/instances/${status.standby_gpu_id}`);
    const seen = await waitFor(
      async () => {
        const now = (await wp('GET', '/warmpool/status/7002')).body;
        return now.state === 'degraded' ? now : undefined;
      },
      { timeoutMs: s.ms(30) + 2_000, what: 'degraded' }
    );
    expect(seen).toMatchObject({
      standby_state: 'none',
      healthy: false,
      health: { primary: 'healthy', standby: 'none' },
    });
    expect(seen.last_health_check).toBeGreaterThan(status.last_health_check);
    expect((await wp('POST', '/warmpool/failover/test/7002')).status).toBe(400);
    await wp('DELETE', '/warmpool/cleanup/7002');
  });

  it('validates the provision body and refuses a host without two free GPUs', async () => {
    expect((await wp('POST', '/warmpool/provision', {})).body.details.map((d: { loc: string[] }) => d.loc[1])).toEqual([
      'machine_id',
      'host_machine_id',
    ]);
    const single = (await call(s.sim.dumontUrl, 'GET', '/api/v1/instances/offers?num_gpus=1')).body.offers[0];
    const refused = await wp('POST', '/warmpool/provision', {
      machine_id: 7003,
      host_machine_id: Number(single.machine_id),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/not available/);
  });
});

describe('regional volumes', () => {
  it('create in a region, search by region, fail over to a GPU that mounts it, delete', async () => {
    const eu = await wp('POST', '/failover/regional-volume/create', { region: 'EU', size_gb: 30, name: 'rv/eu' });
    expect(eu.body).toEqual({ success: true, volume_id: expect.any(Number), region: 'EU', size_gb: 30, error: null });
    const us = await wp('POST', '/failover/regional-volume/create', { region: 'US', name: 'rv/us' });
    expect(us.body.region).toBe('US');
    const found = (await wp('GET', '/failover/regional-volume/search/EU')).body;
    expect(found.volumes.map((v: { name: string }) => v.name)).toContain('rv/eu');
    expect(found.volumes.map((v: { name: string }) => v.name)).not.toContain('rv/us');
    const moved = await wp('POST', '/failover/regional-volume/failover', {
      volume_id: eu.body.volume_id,
      region: 'EU',
      docker_image: 'vastai/base-image:latest',
      mount_path: '/data',
      label: 'rv/eu/gpu',
    });
    expect(moved.body).toMatchObject({
      success: true,
      region: 'EU',
      new_instance_id: expect.any(Number),
      ssh_port: expect.any(Number),
    });
    expect((await ssh(moved.body.ssh_port, 'echo x > data/x && ls data')).stdout).toContain('x');
    expect((await vastRow(moved.body.new_instance_id)).geolocation).toMatch(/, (DE|FR|NL|SE|PL|FI|ES)$/);
    await s.d('DELETE', `/api/v1/instances/${moved.body.new_instance_id}`);
    expect((await wp('DELETE', `/failover/regional-volume/${eu.body.volume_id}`)).body.success).toBe(true);
    expect((await wp('GET', `/failover/regional-volume/${eu.body.volume_id}`)).status).toBe(404);
    // Deleted at VAST, it is gone from the regional list too.
    await call(s.sim.vastUrl, 'DELETE', `/api/v0/volumes/?id=${us.body.volume_id}`, { auth: 'serverless-test-key' });
    expect(
      (await wp('GET', '/failover/regional-volume/list')).body.volumes.some((v: { name: string }) => v.name === 'rv/us')
    ).toBe(false);
  });
});

describe('dumont-as-is', () => {
  it("the warm-pool router has no VAST key in the server's environment", async () => {
    const asIs = await startFailoverSim({ profile: 'dumont-as-is', seed: 34 });
    try {
      const reply = await call(asIs.sim.dumontUrl, 'POST', '/api/v1/warmpool/provision', {
        body: { machine_id: 1, host_machine_id: 2 },
      });
      expect(reply.status).toBe(400);
      expect((await call(asIs.sim.dumontUrl, 'GET', '/api/v1/warmpool/hosts')).status).toBe(400);
    } finally {
      await asIs.sim.stop();
    }
  });
});
