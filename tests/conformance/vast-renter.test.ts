/**
 * Conformance of the simulator's VAST face to VAST's renter API beyond the core flow, with plain HTTP. Each
 * expectation cites `vast-api.md` (../shared/reference), whose sections cite VAST's OpenAPI and official client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { waitFor } from '../helpers/wait-for';
import { call, waitForInstance } from '../sim/sim-client';

const API_KEY = 'vast-conformance-key';
let sim: RunningSim;
let dataDir: string;
const v = (method: string, p: string, body?: unknown) => call(sim.vastUrl, method, p, { auth: API_KEY, body });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-conformance-'));
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 41, dataDir });
});
afterAll(async () => {
  await sim?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The cheapest on-demand offers, as `POST /api/v0/bundles/` orders them (§3.1). */
async function offers(filter: Record<string, unknown> = {}) {
  const res = await v('POST', '/api/v0/bundles/', { ...filter, order: [['dph_total', 'asc']], limit: 50 });
  return res.body.offers as { id: number; machine_id: number; dph_total: number; min_bid: number; gpu_name: string }[];
}

/** Rents `offer` (§3.2) and waits until it runs. */
async function rent(body: Record<string, unknown>, offerIndex = 0): Promise<number> {
  const offer = (await offers())[offerIndex];
  const res = await v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'ubuntu:22.04', ...body });
  expect(res.body.success).toBe(true);
  return res.body.new_contract as number;
}

/**
 * Fetches a result_url until it answers 200 (§3.7: "fetch result_url until 200"). An empty 200 is a result too (logs
 * asked for before the container wrote any): wrapped, so the wait does not take it for "not yet".
 */
const fetchResult = (url: string) =>
  waitFor(
    async () => {
      const res = await fetch(url);
      return res.status === 200 ? { text: await res.text() } : undefined;
    },
    { timeoutMs: 5_000, what: `result at ${url}` }
  ).then((r) => r.text);

describe('instance verbs (vast-api.md §3.4, §5)', () => {
  it('reboot: stop + start of the same contract, back to running with its disk', async () => {
    const id = await rent({ label: 'conf/reboot' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const workspace = path.join(dataDir, 'instances', String(id), 'workspace');
    fs.writeFileSync(path.join(workspace, 'kept'), 'x');
    const res = await v('PUT', `/api/v0/instances/reboot/${id}/`);
    expect(res).toMatchObject({ status: 200, body: { success: true } });
    const row = (await v('GET', `/api/v0/instances/${id}/`)).body.instances;
    expect(row.actual_status).not.toBe('running'); // it restarts
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    expect(fs.existsSync(path.join(workspace, 'kept'))).toBe(true);
  });

  it('recycle: a fresh container (the disk emptied) on the same contract', async () => {
    const id = await rent({ label: 'conf/recycle' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const workspace = path.join(dataDir, 'instances', String(id), 'workspace');
    fs.writeFileSync(path.join(workspace, 'gone'), 'x');
    expect((await v('PUT', `/api/v0/instances/recycle/${id}/`)).body).toEqual({ success: true });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    expect(fs.existsSync(path.join(workspace, 'gone'))).toBe(false);
  });

  it('update_template: the container recreated from the new image, env and onstart (§3.4)', async () => {
    const id = await rent({ label: 'conf/update-template', onstart: 'echo first-template' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const workspace = path.join(dataDir, 'instances', String(id), 'workspace');
    fs.writeFileSync(path.join(workspace, 'old-container'), 'x');
    const before = (await v('GET', `/api/v0/instances/${id}/`)).body.instances;

    const res = await v('PUT', `/api/v0/instances/update_template/${id}/`, {
      id,
      image: 'nvidia/cuda:12.4.1-base-ubuntu22.04',
      env: { MODE: 'second' },
      onstart: 'echo "second-template $MODE" > "$PWD/marker"',
    });
    // VAST's client prints `updated_instance` from a success (vast-cli `update__instance`).
    expect(res).toMatchObject({
      status: 200,
      body: { success: true, updated_instance: { id, image_uuid: 'nvidia/cuda:12.4.1-base-ubuntu22.04' } },
    });
    const row = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    expect(row).toMatchObject({
      image_uuid: 'nvidia/cuda:12.4.1-base-ubuntu22.04',
      extra_env: [['MODE', 'second']],
      onstart: 'echo "second-template $MODE" > "$PWD/marker"',
      // The same contract: same machine, same SSH endpoint.
      machine_id: before.machine_id,
      ssh_port: before.ssh_port,
    });
    // A fresh container: the old one's files are gone, and the new onstart ran with the new env.
    expect(fs.existsSync(path.join(workspace, 'old-container'))).toBe(false);
    const marker = await waitFor(
      () => fs.existsSync(path.join(workspace, 'marker')) && fs.readFileSync(path.join(workspace, 'marker'), 'utf8'),
      {
        what: 'the new onstart to run',
      }
    );
    expect(marker).toBe('second-template second\n');

    // Nothing to update, a bad field, an unknown instance: refused, nothing changed.
    expect((await v('PUT', `/api/v0/instances/update_template/${id}/`, { id })).status).toBe(400);
    expect((await v('PUT', `/api/v0/instances/update_template/${id}/`, { id, disk: 1 })).status).toBe(400);
    const unknown = await v('PUT', '/api/v0/instances/update_template/1/', { id: 1, image: 'ubuntu:22.04' });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'no_such_instance' } });
  });

  it('the instance deposit: GET /instances/balance/{id}/ (§3.10)', async () => {
    const id = await rent({ label: 'conf/balance' });
    const res = await v('GET', `/api/v0/instances/balance/${id}/`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      refundable_deposit: expect.any(Number),
      total_discount: expect.any(Number),
      discount_months: expect.any(Number),
    });
    expect((await v('GET', '/api/v0/instances/balance/999999999/')).status).toBe(404);
    // PUT /instances/prepay/{id}/ {amount} (§3.4): credit moves into the refundable deposit, back at destroy.
    const credit = async () => (await v('GET', '/api/v0/users/current/')).body.credit as number;
    const before = await credit();
    expect((await v('PUT', `/api/v0/instances/prepay/${id}/`, { amount: 5 })).body).toMatchObject({ success: true });
    expect((await v('GET', `/api/v0/instances/balance/${id}/`)).body.refundable_deposit).toBe(5);
    const held = await credit();
    expect(before - held).toBeGreaterThanOrEqual(5);
    expect(before - held).toBeLessThan(6); // billing runs on meanwhile, by cents
    expect((await v('PUT', `/api/v0/instances/prepay/${id}/`, { amount: -1 })).status).toBe(400);
    await v('DELETE', `/api/v0/instances/${id}/`);
    expect((await credit()) - held).toBeGreaterThan(4);
  });

  it('bulk: PUT /instances/ {ids, state} and DELETE /instances/ {instance_ids} (§3.4, §3.5)', async () => {
    const a = await rent({ label: 'conf/bulk-a' });
    const b = await rent({ label: 'conf/bulk-b' });
    expect((await v('PUT', '/api/v0/instances/', { ids: [a, b], state: 'stopped' })).body).toEqual({ success: true });
    for (const id of [a, b])
      expect((await v('GET', `/api/v0/instances/${id}/`)).body.instances.intended_status).toBe('stopped');
    expect((await v('PUT', '/api/v0/instances/', { state: 'stopped' })).status).toBe(400);
    expect((await v('DELETE', '/api/v0/instances/', { instance_ids: [a, b] })).body).toEqual({ success: true });
    for (const id of [a, b]) expect((await v('GET', `/api/v0/instances/${id}/`)).status).toBe(404);
  });

  it('launch_instance: searches with q and rents the cheapest match in one call (§3.2)', async () => {
    const cheapest = (await offers({ gpu_name: { eq: 'RTX 4090' } }))[0];
    const res = await v('PUT', '/api/v0/launch_instance/', {
      client_id: 'me',
      q: { gpu_name: { eq: 'RTX 4090' }, order: [['dph_total', 'asc']] },
      image: 'ubuntu:22.04',
      disk: 16,
      label: 'conf/launch',
    });
    expect(res.body).toMatchObject({ success: true, new_contract: expect.any(Number) });
    const row = (await v('GET', `/api/v0/instances/${res.body.new_contract}/`)).body.instances;
    expect(row).toMatchObject({ gpu_name: 'RTX 4090', label: 'conf/launch', dph_total: cheapest.dph_total });
  });
});

describe('interruptible bids (vast-api.md §3.2, §3.4, §5 item 7)', () => {
  it('outbid stays stopped, even when started, until the bid is raised; a lower bid stops it again', async () => {
    const offer = (await offers())[3];
    const low = Number((offer.min_bid / 2).toFixed(4));
    const created = await v('PUT', `/api/v0/asks/${offer.id}/`, {
      image: 'ubuntu:22.04',
      price: low,
      label: 'conf/bid',
    });
    const id = created.body.new_contract as number; // §3.2 partial success: a contract, created stopped
    expect((await v('GET', `/api/v0/instances/${id}/`)).body.instances.intended_status).toBe('stopped');
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'running' });
    expect((await v('GET', `/api/v0/instances/${id}/`)).body.instances.intended_status).toBe('stopped');
    const bad = await v('PUT', `/api/v0/instances/bid_price/${id}/`, { client_id: 'me', price: 0 });
    expect(bad).toMatchObject({ status: 400, body: { msg: 'Please set a bid price >= 0.001.' } });
    const raised = await v('PUT', `/api/v0/instances/bid_price/${id}/`, { client_id: 'me', price: offer.min_bid });
    expect(raised.body).toEqual({ success: true });
    const running = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    expect(running.dph_total).toBe(offer.min_bid);
    await v('PUT', `/api/v0/instances/bid_price/${id}/`, { client_id: 'me', price: low });
    expect((await v('GET', `/api/v0/instances/${id}/`)).body.instances.intended_status).toBe('stopped');
  });
});

describe('logs and execute via result_url (vast-api.md §3.7)', () => {
  it('request_logs: the container output, tail honoured, at a result_url fetched until 200', async () => {
    const id = await rent({ label: 'conf/logs', onstart: 'echo first-line; echo second-line' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const logs = await waitFor(
      async () => {
        const res = await v('PUT', `/api/v0/instances/request_logs/${id}/`, { tail: '1' });
        expect(res.body).toMatchObject({ success: true, result_url: expect.stringMatching(/^http:\/\//) });
        const text = await fetchResult(res.body.result_url);
        return text.includes('second-line') ? text : undefined;
      },
      { timeoutMs: 5_000, what: 'the onstart output in the logs' }
    );
    expect(logs).toBe('second-line\n');
    expect(await v('PUT', '/api/v0/instances/request_logs/999999999/', {})).toMatchObject({
      status: 404,
      body: { error: 'invalid_id', msg: 'Invalid instance id.' },
    });
  });

  it('command: ls/rm/du run in the container, their output at result_url; other commands refused', async () => {
    const id = await rent({ label: 'conf/exec' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    fs.writeFileSync(path.join(dataDir, 'instances', String(id), 'workspace', 'listed-file'), 'x');
    const res = await v('PUT', `/api/v0/instances/command/${id}/`, { command: 'ls -1' });
    expect(res.body).toMatchObject({ success: true, msg: 'Command is executing...', result_url: expect.any(String) });
    expect(await fetchResult(res.body.result_url)).toContain('listed-file');
    const refused = await v('PUT', `/api/v0/instances/command/${id}/`, { command: 'cat /etc/passwd' });
    expect(refused).toMatchObject({ status: 400, body: { success: false, error: 'invalid_args' } });
  });
});

describe('volumes (vast-api.md §3.8, §3.10)', () => {
  it('search, create, attach at create, list with its instance, no delete while attached, billed', async () => {
    const found = await v('POST', '/api/v0/volumes/search/', {
      disk_space: { gte: 50 },
      order: [['storage_cost', 'asc']],
    });
    expect(found.status).toBe(200);
    const volumeOffer = found.body.offers[0];
    expect(volumeOffer).toMatchObject({
      id: expect.any(Number),
      machine_id: expect.any(Number),
      storage_cost: expect.any(Number),
    });
    const created = await v('PUT', '/api/v0/volumes/', { id: volumeOffer.id, size: 15, name: 'conf/volume' });
    expect(created.body).toMatchObject({ success: true, volume_name: expect.stringMatching(/^V\.\d+$/) });
    const name = created.body.volume_name as string;
    const listed = (await v('GET', '/api/v0/volumes?owner=me&type=all_volume')).body.volumes.find(
      (r: { name: string }) => r.name === name
    );
    expect(listed).toMatchObject({ disk_space: 15, machine_id: volumeOffer.machine_id, instances: [] });

    // Another machine's offer cannot mount it: refused before anything is rented.
    const elsewhere = (await offers()).find((o) => o.machine_id !== volumeOffer.machine_id)!;
    const before = (await sim.state()).instances.length;
    const refused = await v('PUT', `/api/v0/asks/${elsewhere.id}/`, {
      image: 'ubuntu:22.04',
      volume_info: { volume_id: name, mount_path: '/data' },
    });
    expect(refused.status).toBe(400);
    expect((await sim.state()).instances).toHaveLength(before);

    const rented = await v('PUT', `/api/v0/asks/${volumeOffer.id}/`, {
      image: 'ubuntu:22.04',
      label: 'conf/volume-user',
      volume_info: { volume_id: name, mount_path: '/data' },
    });
    expect(rented.body.success).toBe(true);
    const id = rented.body.new_contract as number;
    const attached = (await v('GET', '/api/v0/volumes')).body.volumes.find((r: { name: string }) => r.name === name);
    expect(attached.instances).toEqual([id]);
    const busy = await v('DELETE', `/api/v0/volumes/?id=${name}`);
    expect(busy.status).toBe(400);
    await v('DELETE', `/api/v0/instances/${id}/`);
    expect((await v('DELETE', `/api/v0/volumes/?id=${name}`)).body).toMatchObject({ success: true });
    const charges = (await v('GET', '/api/v0/charges/')).body.results;
    expect(charges).toContainEqual(
      expect.objectContaining({ type: 'volume', source: `volume-${attached.id}`, amount: expect.any(Number) })
    );
  });

  it("the list honours type as VAST's client sends it: local volumes only, none under network_volume", async () => {
    const volumeOffer = (await v('POST', '/api/v0/volumes/search/', { disk_space: { gte: 20 } })).body.offers[0];
    const name = (await v('PUT', '/api/v0/volumes/', { id: volumeOffer.id, size: 5, name: 'conf/typed' })).body
      .volume_name as string;
    const names = async (type: string) =>
      ((await v('GET', `/api/v0/volumes?owner=me&type=${type}`)).body.volumes as { name: string }[]).map((r) => r.name);
    expect(await names('all_volume')).toContain(name);
    expect(await names('local_volume')).toContain(name);
    expect(await names('network_volume')).toEqual([]);
    expect((await v('DELETE', `/api/v0/volumes/?id=${name}`)).body).toMatchObject({ success: true });
  });

  it('volume_info.create_new makes a volume on the instance machine and attaches it', async () => {
    const offer = (await offers())[5];
    const rented = await v('PUT', `/api/v0/asks/${offer.id}/`, {
      image: 'ubuntu:22.04',
      volume_info: { create_new: true, size: 8, name: 'conf/new-volume', mount_path: '/data' },
    });
    expect(rented.body.success).toBe(true);
    const row = (await v('GET', '/api/v0/volumes')).body.volumes.find(
      (r: { label: string }) => r.label === 'conf/new-volume'
    );
    expect(row).toMatchObject({ disk_space: 8, machine_id: offer.machine_id, instances: [rented.body.new_contract] });
  });
});
