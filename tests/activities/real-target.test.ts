/**
 * Activities against the simulator behind a wire proxy that bends its Dumont face the way a real deployment does:
 * cleanup never fails closed on odd rows, a create whose answer is lost is adopted rather than repeated, and creates
 * are limited per worker whatever the number of scenarios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import { createRunKeyStore } from '../../src/activities/run-keys';
import { createSemaphore } from '../../src/activities/semaphore';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER } from '../helpers/harness';
import { startWireProxy, type ProxyHooks, type WireProxy } from '../helpers/wire-proxy';

const suiteId = 'real-wire';
let sim: RunningSim;
let dir: string;
let proxy: WireProxy | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-real-'));
  sim = await startSimulator({
    apiKey: SIM_API_KEY,
    users: [SIM_USER],
    timeScale: 0.01,
    dataDir: path.join(dir, 'sim'),
  });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** Activities whose Dumont client goes through a proxy with `hooks`. */
async function activitiesBehind(hooks: ProxyHooks, opts: { maxCreates?: number } = {}): Promise<Activities> {
  proxy = await startWireProxy(sim.dumontUrl, hooks);
  const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
  const dumont = createDumontClient({ baseUrl: proxy.url, ...SIM_USER }, { retry: { attempts: 2 } });
  return createActivities({
    dumont,
    vast,
    keys: createRunKeyStore(SIM_KEY_SECRET, vast),
    createLandingWindowMs: 3_000,
    ...(opts.maxCreates ? { createSlots: createSemaphore(opts.maxCreates) } : {}),
  });
}

const liveWith = (prefix: string) => sim.state().instances.filter((i) => i.label?.startsWith(prefix));
const deadline = (ms: number) => ({ deadlineMs: Date.now() + ms, timeScale: 0.01 });

describe('against a Dumont that answers like the real one', () => {
  it('cleanup destroys everything although every Dumont list row is odd or unreadable', async () => {
    const prefix = `dumont-e2e/${suiteId}/s001/`;
    const plain = await activitiesBehind({});
    for (const step of ['a', 'b'])
      await plain.createInstance({ suiteId, label: `${prefix}${step}`, query: { num_gpus: 1 } });
    await proxy!.close();
    const acts = await activitiesBehind({
      respond: (x) => {
        if (x.method !== 'GET' || x.path !== '/api/v1/instances') return undefined;
        const body = JSON.parse(x.body) as { instances: Record<string, unknown>[] };
        // ISO dates of the read, states as numbers, a row without an id: nothing a strict schema would accept.
        const odd = body.instances.map((r) => ({ ...r, start_date: new Date().toISOString(), actual_status: 1 }));
        return { body: JSON.stringify({ instances: [...odd, { label: `${prefix}ghost` }], count: odd.length + 1 }) };
      },
    });
    expect(liveWith(prefix)).toHaveLength(2);
    const report = await acts.destroyByLabel({ labelPrefix: prefix, ...deadline(20_000) });
    expect(liveWith(prefix)).toEqual([]);
    expect(report.destroyed).toHaveLength(2);
    expect(report.warnings.join('\n')).toMatch(/1 row\(s\) of Dumont's instance list had no readable id/);
  });

  it('cleanup goes through VAST when Dumont cannot list at all', async () => {
    const prefix = `dumont-e2e/${suiteId}/s002/`;
    const plain = await activitiesBehind({});
    await plain.createInstance({ suiteId, label: `${prefix}main`, query: { num_gpus: 1 } });
    await proxy!.close();
    const acts = await activitiesBehind({
      respond: (x) =>
        x.method === 'GET' && x.path === '/api/v1/instances'
          ? { status: 503, body: JSON.stringify({ error: 'Failed to list instances: 410 Gone' }) }
          : undefined,
    });
    const report = await acts.destroyByLabel({ labelPrefix: prefix, ...deadline(20_000) });
    expect(liveWith(prefix)).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(/Dumont's instance list was unusable, VAST's was used/);
  });

  it('a create whose answer is lost after it took effect is adopted, never repeated', async () => {
    const label = `dumont-e2e/${suiteId}/s003/main`;
    let dropped = 0;
    const acts = await activitiesBehind({
      respond: (x) => (x.method === 'POST' && x.path === '/api/v1/instances' && dropped++ === 0 ? 'drop' : undefined),
    });
    const inst = await acts.createInstance({ suiteId, label, query: { num_gpus: 1 } });
    expect(dropped).toBe(1);
    expect(inst).toMatchObject({ label, adopted: true });
    expect(liveWith(label)).toHaveLength(1);
    expect(proxy!.maxInFlight.get('POST /api/v1/instances')).toBe(1);
    await acts.destroyByLabel({ labelPrefix: label, ...deadline(20_000) });
  });

  it('a create that never lands is reported as unknown (retryable) after the landing window, not repeated', async () => {
    const label = `dumont-e2e/${suiteId}/s004/main`;
    const acts = await activitiesBehind({
      // The answer is lost, and the platform never rents (a create lost before it reached the provider).
      respond: (x) => {
        if (x.method !== 'POST' || x.path !== '/api/v1/instances') return undefined;
        const id = (JSON.parse(x.body) as { id: number }).id;
        void fetch(`${sim.vastUrl}/api/v0/instances/${id}/`, {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${SIM_API_KEY}` },
        });
        return 'drop';
      },
    });
    const started = Date.now();
    const err = await acts.createInstance({ suiteId, label, query: { num_gpus: 1 } }).catch((e: Error) => e);
    expect((err as { type?: string }).type).toBe('CreateOutcomeUnknown');
    expect((err as Error).message).toMatch(/lost its answer .* nothing with its label appeared within 3s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(proxy!.maxInFlight.get('POST /api/v1/instances')).toBe(1);
  });

  it('one create at a time per worker when the limit is 1, however many scenarios create at once', async () => {
    const prefix = `dumont-e2e/${suiteId}/s005/`;
    const acts = await activitiesBehind({}, { maxCreates: 1 });
    await Promise.all(
      [1, 2, 3, 4].map((n) => acts.createInstance({ suiteId, label: `${prefix}b${n}`, query: { num_gpus: 1 } }))
    );
    expect(liveWith(prefix)).toHaveLength(4);
    expect(proxy!.maxInFlight.get('POST /api/v1/instances')).toBe(1);
    await acts.destroyByLabel({ labelPrefix: prefix, ...deadline(20_000) });
    expect(liveWith(prefix)).toEqual([]);
  });
});

describe('offer races on the dumont-as-is profile', () => {
  it('a create that loses its offer to another renter ("Oferta N indisponível") takes the next offer', async () => {
    const asIs = await startSimulator({
      apiKey: SIM_API_KEY,
      users: [SIM_USER],
      timeScale: 0.01,
      profile: 'dumont-as-is',
      dataDir: path.join(dir, 'as-is'),
    });
    try {
      const vast = createVastClient({ baseUrl: asIs.vastUrl, apiKey: SIM_API_KEY });
      const dumont = createDumontClient({ baseUrl: asIs.dumontUrl, ...SIM_USER });
      const acts = createActivities({ dumont, vast, keys: createRunKeyStore(SIM_KEY_SECRET, vast) });
      const query = { gpu_name: 'RTX 4090', num_gpus: 1, limit: 100 };
      const [cheapest] = await acts.searchOffers(query);
      // Someone else rents the cheapest offer between our search and our create.
      await dumont.createInstance({ offer_id: cheapest.id, label: 'someone-else' });
      const ours = await acts.createInstance({ suiteId, label: `dumont-e2e/${suiteId}/s006/main`, query });
      expect(ours.offerId).not.toBe(cheapest.id);
      expect(ours.adopted).toBe(false);
      // A fixed offer that is taken is a clear NoOffer, not a retry loop.
      const taken = await acts
        .createInstance({ suiteId, label: `dumont-e2e/${suiteId}/s006/fixed`, offerId: cheapest.id })
        .catch((e: Error) => e);
      expect((taken as { type?: string }).type).toBe('NoOffer');
      expect((taken as Error).message).toMatch(/indispon[ií]vel/);
    } finally {
      await asIs.stop();
    }
  });
});
