/**
 * Hostile platform answers (docs/hostile.md) against the real simulator over real HTTP: each mode the simulator
 * can switch on gets its named error from the harness's clients, cleanup sees through a VAST list that is empty
 * while instances exist, and the compensation still destroys everything while answers are spoiled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clients,
  ERROR_EXPECTATIONS,
  matches,
  MODES,
  PROBE_API_KEY,
  probeCleanup,
  probeError,
  startProbeSim,
} from '../../chaos/parts/hostile-platform-probes';
import type { RunningSim } from '../../src/sim';
import { parseHostileSettings } from '../../src/sim/core/hostile';

let sim: RunningSim;
beforeAll(async () => {
  sim = await startProbeSim();
});
afterAll(async () => {
  await sim?.stop();
});

const errorModes = Object.keys(ERROR_EXPECTATIONS) as (keyof typeof ERROR_EXPECTATIONS)[];

describe('the harness names every hostile answer', () => {
  it('every mode but the lying list has an error expectation (a new mode cannot escape)', () => {
    expect([...errorModes, 'empty-instance-list'].sort()).toEqual([...MODES].sort());
  });

  it.each(errorModes)('%s', async (mode) => {
    const seen = await probeError(sim, mode);
    expect(seen.error).toBe(ERROR_EXPECTATIONS[mode].error);
    expect(seen.message).toMatch(ERROR_EXPECTATIONS[mode].message);
    expect(matches(mode, seen)).toBe(true);
    // The mode really answered (the error is not the harness failing on its own).
    expect(sim.hostile().injected[mode]).toBeGreaterThan(0);
  });

  it('with no mode on, the very calls the probes make succeed (only the mode makes them fail)', async () => {
    const { vast, dumont } = clients(sim, 1);
    expect((await vast.searchOffers({ limit: 3 })).length).toBeGreaterThan(0);
    expect(await dumont.listInstances()).toEqual([]);
  });
});

describe('cleanup under hostile answers', () => {
  it('an empty VAST list while the instance runs is named, and the instance is still destroyed', async () => {
    const label = 'dumont-e2e/hostile-list/s001/main';
    const res = await probeCleanup(sim, 'empty-instance-list', { label });
    expect(res.error).toBeUndefined();
    expect(res.spoiled).toBeGreaterThan(0);
    expect(res.warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`^VAST's instance list left out instance ${res.instanceId} ${label}, which GET by id shows`)
      )
    );
    expect(res.leaked).toBe(0);
  });

  it.each(MODES.filter((m) => m !== 'empty-instance-list'))(
    'the compensation completes while %s spoils Dumont answers',
    async (mode) => {
      const label = `dumont-e2e/hostile-${mode}/s001/main`;
      const res = await probeCleanup(sim, mode, { label, count: 3 });
      expect(res.error).toBeUndefined();
      expect(res.spoiled).toBeGreaterThan(0);
      expect(res.leaked).toBe(0);
    }
  );
});

describe('hostile settings', () => {
  it.each([
    [{ mode: 'nope' }, /unknown hostile mode "nope"/],
    [{ mode: 'huge-body', hugeBytes: -1 }, /hostile hugeBytes must be an integer in \[1024, .*got -1/],
    [{ mode: 'slow-drip', face: 'aws' }, /hostile face must be 'vast' or 'dumont', got "aws"/],
    [{ mode: 'empty-body', colour: 'red' }, /unknown hostile setting "colour"/],
    [{ mode: 'empty-body', count: '3' }, /hostile count must be an integer .*got "3"/],
    [[], /hostile settings must be an object, got \[\]/],
  ])('%j is refused naming the value', (input, message) => {
    expect(() => parseHostileSettings(input)).toThrow(message);
  });

  it('the admin API switches a mode on and off and refuses a bad one with 400', async () => {
    const put = (body: unknown) =>
      fetch(`${sim.adminUrl}/hostile`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${PROBE_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const on = await put({ mode: 'empty-body', face: 'dumont', count: 2 });
    expect(on.status).toBe(200);
    expect(await on.json()).toMatchObject({ settings: { mode: 'empty-body', face: 'dumont', count: 2 }, remaining: 2 });
    const bad = await put({ mode: 'lies' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/unknown hostile mode "lies"/) });
    expect((await put({ mode: null })).status).toBe(200);
    expect(sim.hostile().settings.mode).toBeNull();
  });
});
