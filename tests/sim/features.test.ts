/**
 * The feature module interface end to end: a probe feature sees every instance event in order, shows its
 * view in `sim state`, and is shut down on stop; the registered features' defects are exactly the ones the
 * pure registry lists for features; the storage-volumes and ssh-keys features show their state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFECTS, type RunningSim } from '../../src/sim';
import { FEATURES } from '../../src/sim/features';
import { FEATURE_DEFECTS } from '../../src/sim/features/feature-defects';
import { launchSimulator } from '../../src/sim/start-simulator';
import { probeFeature, probeStates } from './fixtures/probe-feature';
import { call, newKeyPair, rent, vast, waitForInstance } from './sim-client';

const API_KEY = 'features-test-key';
const key = newKeyPair();
let sim: RunningSim;
let v: ReturnType<typeof vast>;

beforeAll(async () => {
  sim = await launchSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 11 }, [...FEATURES, probeFeature]);
  v = vast(sim, API_KEY);
});
afterAll(async () => {
  await sim?.stop();
});

const probeEvents = (): string[] => (sim.state().features.probe as { events: string[] }).events;

describe('feature modules', () => {
  it('receive create, boot, pause, resume, host-failure and destroy, in order', async () => {
    const { id } = await rent(sim, API_KEY, { num_gpus: { eq: 1 } }, { label: 'features/events' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'stopped' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'stopped');
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'running' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const failed = await call(sim.dumontUrl, 'POST', `/_sim/instances/${id}/host-failure`, {
      auth: API_KEY,
      body: { reason: 'PSU on fire' },
    });
    expect(failed.body).toMatchObject({ success: true, actual_status: 'exited' });
    const row = (await v('GET', `/api/v0/instances/${id}/`)).body.instances;
    expect(row).toMatchObject({ actual_status: 'exited', intended_status: 'running', ssh_port: null });
    expect(row.status_msg).toContain('PSU on fire');
    await v('DELETE', `/api/v0/instances/${id}/`);
    expect(probeEvents().filter((e) => e.includes(String(id)))).toEqual([
      `create:${id}`,
      `boot:${id}`,
      `pause:${id}`,
      `resume:${id}`,
      `boot:${id}`,
      `host-failure:${id}:PSU on fire`,
      `destroy:${id}`,
    ]);
    expect((await call(sim.dumontUrl, 'POST', '/_sim/instances/1/host-failure', { auth: API_KEY })).status).toBe(404);
  });

  it('show their state in sim state, keyed by name', async () => {
    await v('POST', '/api/v0/ssh/', { ssh_key: key.publicKey });
    const { features } = sim.state();
    // The registered features in their registration order, then the test's own probe feature.
    expect(Object.keys(features)).toEqual([...FEATURES.map((f) => f.name), 'probe']);
    expect(features['storage-volumes']).toEqual({ volumes: [] });
    expect(features['ssh-keys']).toEqual({ keys: [expect.objectContaining({ public_key: key.publicKey })] });
    const viaAdmin = await call(sim.dumontUrl, 'GET', '/_sim/state', { auth: API_KEY });
    expect(viaAdmin.body.features.probe.events).toEqual(probeEvents());
  });

  it('are shut down once when the simulator stops', async () => {
    const other = await launchSimulator({ apiKey: API_KEY, timeScale: 0.002 }, [...FEATURES, probeFeature]);
    const state = probeStates[probeStates.length - 1];
    await other.stop();
    await other.stop();
    expect(state.shutdowns).toBe(1);
  });

  it('declare exactly the feature defects of the pure registry, each scenario-linked', () => {
    const declared = FEATURES.flatMap((f) => (f.defects ?? []).map((d) => d.name)).sort();
    expect(FEATURE_DEFECTS.map((d) => d.name).sort()).toEqual(declared);
    for (const name of declared) expect(DEFECTS[name as keyof typeof DEFECTS]).toBeDefined();
    expect(new Set(FEATURES.map((f) => f.name)).size).toBe(FEATURES.length);
  });
});
