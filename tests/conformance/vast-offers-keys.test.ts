/**
 * VAST offer fields clients read (vast-api.md §3.1) and per-instance SSH keys (§3.6): the same key attached twice
 * is stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { call, newKeyPair } from '../sim/sim-client';

const API_KEY = 'vast-offers-key';
let sim: RunningSim;
const v = (method: string, p: string, body?: unknown) => call(sim.vastUrl, method, p, { auth: API_KEY, body });

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 53 });
});
afterAll(async () => {
  await sim?.stop();
});

describe('offer fields (vast-api.md §3.1)', () => {
  it('carry cpu_ghz, bw_nvlink, discounted_dph_total and the hardware fields, the same on every search', async () => {
    const first = (await v('POST', '/api/v0/bundles/', { limit: 20 })).body.offers;
    const again = (await v('POST', '/api/v0/bundles/', { limit: 20 })).body.offers;
    expect(first.length).toBeGreaterThan(0);
    for (const offer of first) {
      expect(offer).toMatchObject({
        cpu_ghz: expect.any(Number),
        bw_nvlink: expect.any(Number),
        discounted_dph_total: offer.dph_total,
        gpu_mem_bw: expect.any(Number),
        pci_gen: expect.any(Number),
        cpu_arch: expect.any(String),
      });
      expect(offer.cpu_ghz).toBeGreaterThan(0);
    }
    expect(again.map((o: { id: number; cpu_ghz: number }) => [o.id, o.cpu_ghz])).toEqual(
      first.map((o: { id: number; cpu_ghz: number }) => [o.id, o.cpu_ghz])
    );
    // The fields answer the query language like any other (§2).
    const fast = (await v('POST', '/api/v0/bundles/', { cpu_ghz: { gte: 3 }, limit: 64 })).body.offers;
    expect(fast.every((o: { cpu_ghz: number }) => o.cpu_ghz >= 3)).toBe(true);
    const bids = (await v('POST', '/api/v0/bundles/', { type: 'bid', limit: 5 })).body.offers;
    for (const o of bids) expect(o.discounted_dph_total).toBe(o.min_bid);
  });
});

describe('account SSH keys (vast-api.md §3.6)', () => {
  it('PUT /ssh/{id}/ replaces a key; an unknown id is 404 no_such_ssh_key', async () => {
    const first = newKeyPair();
    const added = (await v('POST', '/api/v0/ssh/', { ssh_key: first.publicKey })).body.key;
    const second = newKeyPair();
    const updated = await v('PUT', `/api/v0/ssh/${added.id}/`, { ssh_key: second.publicKey });
    expect(updated.body).toMatchObject({ success: true, key: { id: added.id, public_key: second.publicKey } });
    const listed = (await v('GET', '/api/v0/ssh/')).body as { id: number; public_key: string }[];
    expect(listed.find((k) => k.id === added.id)?.public_key).toBe(second.publicKey);
    expect((await v('PUT', '/api/v0/ssh/999999/', { ssh_key: second.publicKey })).body.error).toBe('no_such_ssh_key');
  });
});

describe('per-instance SSH keys (vast-api.md §3.6)', () => {
  it('attaching the same key twice stores it once', async () => {
    const offer = (await v('POST', '/api/v0/bundles/', { limit: 1 })).body.offers[0];
    const id = (await v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'ubuntu:22.04' })).body.new_contract;
    const key = newKeyPair();
    for (const comment of ['first', 'second']) {
      const res = await v('POST', `/api/v0/instances/${id}/ssh/`, {
        ssh_key: `${key.publicKey.split(' ').slice(0, 2).join(' ')} ${comment}`,
      });
      expect(res.body.success).toBe(true);
    }
    const other = newKeyPair();
    await v('POST', `/api/v0/instances/${id}/ssh/`, { ssh_key: other.publicKey });
    const listed = JSON.parse((await v('GET', `/api/v0/instances/${id}/ssh/`)).body.ssh_keys);
    expect(listed).toHaveLength(2);
  });
});
