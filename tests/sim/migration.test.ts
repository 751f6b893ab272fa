/**
 * The migration feature over real HTTP and SSH: the estimate names the cheapest matching offer and a time from the
 * simulator's timings; a migration snapshots, rents, restores and destroys the source, reporting its steps; with
 * keep_ssh_endpoint the source's SSH port reaches the new instance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longestOutage } from '../../src/activities/migration';
import { instancePaths } from '../../src/sim/instances/instance-files';
import { createRunning, SSH_KEY, startServerlessSim, type ServerlessSim } from './serverless-helpers';
import { sshExec } from './sim-client';

let s: ServerlessSim;
beforeAll(async () => {
  s = await startServerlessSim({ seed: 91 });
}, 60_000);
afterAll(async () => {
  await s?.sim.stop();
});

const write = (id: number, rel: string, body: string): void => {
  const file = path.join(instancePaths(s.world.dataDir, id).workspace, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
};

describe('migration', () => {
  it('estimates with the cheapest matching offer, then migrates with the data and destroys the source', async () => {
    const { id } = await createRunning(s, 'dumont-e2e/migtest/s091/main');
    write(id, 'data/file.txt', 'payload');
    const gpu = s.world.instances.get(id)!.offer.gpu_name;
    const est = await s.d('POST', `/api/v1/instances/${id}/migrate/estimate`, {
      target_type: 'gpu',
      gpu_name: gpu,
      max_price: 2,
    });
    expect(est.body.available).toBe(true);
    const cheapest = s.world
      .availableOffers()
      .filter((o) => o.gpu_name === gpu && o.num_gpus === 1)
      .sort((a, b) => a.dph_total - b.dph_total)[0];
    expect(est.body.target).toMatchObject({ offer_id: cheapest.id, cost_per_hour: cheapest.dph_total });
    expect(est.body.estimated_time_minutes).toBeGreaterThan(0);
    const done = await s.d('POST', `/api/v1/instances/${id}/migrate`, {
      target_type: 'gpu',
      gpu_name: gpu,
      max_price: 2,
    });
    expect(done.status).toBe(200);
    expect(done.body.steps_completed).toEqual([
      'validate_source',
      'create_snapshot',
      'search_offers',
      'create_instance',
      'ssh_ready',
      'restore_snapshot',
      'destroy_source',
    ]);
    const moved = s.world.instances.get(done.body.new_instance_id)!;
    expect(moved.offer.id).toBe(cheapest.id);
    expect(moved.label).toBe('dumont-e2e/migtest/s091/main');
    expect(s.world.instances.has(id)).toBe(false);
    const file = path.join(instancePaths(s.world.dataDir, moved.id).workspace, 'data/file.txt');
    expect(fs.readFileSync(file, 'utf8')).toBe('payload');
  });

  it('keeps the SSH endpoint when asked: the old port reaches the new instance', async () => {
    const { id } = await createRunning(s, 'dumont-e2e/migtest/s093/main');
    const oldPort = s.world.instances.get(id)!.sshPort!;
    const done = await s.d('POST', `/api/v1/instances/${id}/migrate`, {
      target_type: 'gpu',
      gpu_name: s.world.instances.get(id)!.offer.gpu_name,
      keep_ssh_endpoint: true,
    });
    expect(done.body).toMatchObject({ success: true, ssh_port: oldPort });
    const row = await s.d('GET', `/api/v1/instances/${done.body.new_instance_id}`);
    expect(row.body.ssh_port).toBe(oldPort);
    const who = await sshExec(oldPort, SSH_KEY.privateKey, 'echo "$CONTAINER_ID"');
    expect(who.stdout.trim()).toBe(String(done.body.new_instance_id));
  });

  it('refuses a GPU migration without a GPU name, and finds nothing above max_price', async () => {
    const { id } = await createRunning(s, 'dumont-e2e/migtest/s094/main');
    expect((await s.d('POST', `/api/v1/instances/${id}/migrate`, { target_type: 'gpu' })).status).toBe(400);
    const est = await s.d('POST', `/api/v1/instances/${id}/migrate/estimate`, {
      gpu_name: 'RTX 4090',
      max_price: 0.0001,
    });
    expect(est.body).toMatchObject({ available: false, offers_available: 0 });
  });

  it('wakes a destroyed instance as a new GPU restored from its latest snapshot', async () => {
    const label = 'dumont-e2e/migtest/s047/main';
    const { id } = await createRunning(s, label);
    write(id, 'keep/me.txt', 'hibernated');
    const snap = await s.d('POST', '/api/v1/snapshots', { instance_id: id, source_path: '/workspace' });
    expect(snap.status).toBe(201);
    expect((await s.d('DELETE', `/api/v1/instances/${id}`)).status).toBeLessThan(300);
    const woke = await s.d('POST', `/api/v1/instances/${id}/wake`, { max_price: 2 });
    expect(woke.body).toMatchObject({ success: true, old_instance_id: id, snapshot_id: snap.body.snapshot_id });
    const fresh = s.world.instances.get(woke.body.new_instance_id)!;
    expect(fresh.label).toBe(label);
    const file = path.join(instancePaths(s.world.dataDir, fresh.id).workspace, 'keep/me.txt');
    expect(fs.readFileSync(file, 'utf8')).toBe('hibernated');
  });

  it('measures an outage from the last answer before a down round to the next answer; our own failures do not count', () => {
    const r = (at: number, state: 'up' | 'down' | 'unknown') => ({ at, state });
    expect(longestOutage([r(10, 'up'), r(20, 'unknown'), r(30, 'up')], 0, 40)).toBe(0);
    expect(longestOutage([r(10, 'up'), r(20, 'down'), r(30, 'unknown'), r(45, 'up')], 0, 50)).toBe(35);
    expect(longestOutage([r(10, 'up'), r(20, 'down')], 0, 70)).toBe(60);
    expect(longestOutage([r(10, 'down'), r(15, 'up')], 0, 20)).toBe(15);
  });
});
