/**
 * Defects scoped to a label prefix: they act only on the instances (and volumes) whose label starts with
 * the prefix, so several scenarios' defect cases can share one simulator; global-scope defects refuse a prefix.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { call, dumont, rent, vast } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'scoped-test-key';
const USER = { email: 'scoped@example.com', password: 'scoped-pass' };
let sim: RunningSim;
let v: ReturnType<typeof vast>;
let d: ReturnType<typeof dumont>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 17, users: [USER] });
  v = vast(sim, API_KEY);
  d = dumont(sim, (await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER })).body.token);
});
afterEach(async () => {
  sim.setDefects([]);
  for (const inst of sim.state().instances) await v('DELETE', `/api/v0/instances/${inst.id}/`);
  for (const vol of sim.state().volumes) await v('DELETE', `/api/v0/volumes/?id=${vol.id}`);
});
afterAll(async () => {
  await sim?.stop();
});

const admin = (method: string, body?: unknown) => call(sim.dumontUrl, method, '/_sim/defects', { auth: API_KEY, body });
const live = () => sim.state().instances.map((i) => i.id);

/** Creates an instance through Dumont on any free 1-GPU offer. */
async function dumontCreate(label: string): Promise<number> {
  const offers = (await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers?num_gpus=1')).body.offers;
  for (const offer of offers) {
    const created = await d('POST', '/api/v1/instances', { offer_id: offer.id, label, image: 'ubuntu:22.04' });
    if (created.status === 201) return created.body.id;
  }
  throw new Error('no free offer');
}

describe('scoped defects', () => {
  it('act only on labels under their prefix; an unscoped activation acts on all', async () => {
    sim.setDefects([{ name: 'destroy-running-ignored', labelPrefix: 'scoped/s11/' }]);
    expect(sim.state().defects).toEqual(['destroy-running-ignored@scoped/s11/']);
    const inScope = await dumontCreate('scoped/s11/one');
    const outside = await dumontCreate('scoped/s12/one');
    const unlabelled = await dumontCreate('');
    for (const id of [inScope, outside, unlabelled])
      expect((await d('DELETE', `/api/v1/instances/${id}`)).status).toBe(200);
    expect(live()).toEqual([inScope]);
    sim.setDefects(['destroy-running-ignored']);
    const any = await dumontCreate('scoped/elsewhere');
    await d('DELETE', `/api/v1/instances/${any}`);
    expect(live()).toContain(any);
  });

  it('concurrent-destroy-dropped: only DELETEs inside the scope share the window', async () => {
    sim.setDefects(['concurrent-destroy-dropped@batch/']);
    const batch = [];
    const free = [];
    for (let i = 0; i < 3; i++) batch.push(await dumontCreate(`batch/${i}`));
    for (let i = 0; i < 3; i++) free.push(await dumontCreate(`free/${i}`));
    const ids = [batch[0], free[0], batch[1], free[1], batch[2], free[2]];
    const replies = await Promise.all(ids.map((id) => d('DELETE', `/api/v1/instances/${id}`)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(free.filter((id) => live().includes(id))).toEqual([]);
    expect(batch.filter((id) => live().includes(id)).length).toBeGreaterThanOrEqual(2);
  });

  it('instance, volume and billing defects follow the label too', async () => {
    sim.setDefects(['storage-billed-after-destroy@keep/', 'offer-not-released@keep/', 'charges-after-destroy@keep/']);
    const kept = await rent(sim, API_KEY, { num_gpus: { eq: 1 } }, { label: 'keep/a' });
    const clean = await rent(sim, API_KEY, { num_gpus: { eq: 1 } }, { label: 'clean/a' });
    await v('DELETE', `/api/v0/instances/${kept.id}/`);
    await v('DELETE', `/api/v0/instances/${clean.id}/`);
    expect(sim.state().volumes.map((vol) => vol.label)).toEqual(['keep/a']);
    const market = (await v('POST', '/api/v0/bundles/', { limit: 500 })).body.offers.map((o: { id: number }) => o.id);
    expect(market).not.toContain(kept.offer.id);
    expect(market).toContain(clean.offer.id);
    const usd = (id: number) => sim.state().billing.perInstance.find((r) => r.id === id)?.usd ?? 0;
    const before = { kept: usd(kept.id), clean: usd(clean.id) };
    await waitFor(() => usd(kept.id) > before.kept, { what: 'the kept instance to keep billing' });
    expect(usd(clean.id)).toBe(before.clean);
  });

  it('a global-scope defect refuses a label prefix, naming it, everywhere', async () => {
    expect(() => sim.setDefects([{ name: 'offers-not-sorted-by-price', labelPrefix: 'a/' }])).toThrow(
      /offers-not-sorted-by-price/
    );
    const put = await admin('PUT', { defects: ['region-filter-ignored@a/'] });
    expect(put.status).toBe(400);
    expect(put.body.error).toContain('region-filter-ignored');
    expect(sim.state().defects).toEqual([]);
  });

  it('the admin API sets, adds and removes activations', async () => {
    const set = await admin('PUT', {
      defects: ['pause-ignored@s6/', { name: 'resume-loses-disk', labelPrefix: 's7/' }],
    });
    expect(set.body.defects).toEqual(['pause-ignored@s6/', 'resume-loses-disk@s7/']);
    expect(set.body.available[0]).toMatchObject({ name: 'gpu-model-mismatch', check: 'gpus-visible', scope: 'label' });
    const patched = await admin('PATCH', {
      add: ['pause-ignored@s6b/', 'offers-not-sorted-by-price'],
      remove: ['pause-ignored@s6/'],
    });
    expect(patched.body.defects).toEqual(['resume-loses-disk@s7/', 'pause-ignored@s6b/', 'offers-not-sorted-by-price']);
    const bad = await admin('PATCH', { add: ['nope'], remove: ['resume-loses-disk@s7/'] });
    expect(bad.status).toBe(400);
    expect(sim.state().defects).toEqual(['resume-loses-disk@s7/', 'pause-ignored@s6b/', 'offers-not-sorted-by-price']);
    sim.removeDefects(['offers-not-sorted-by-price']);
    sim.addDefects(['gpu-model-mismatch@s1/']);
    expect(sim.state().defects).toEqual(['resume-loses-disk@s7/', 'pause-ignored@s6b/', 'gpu-model-mismatch@s1/']);
  });
});
