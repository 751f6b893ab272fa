/**
 * The stack's simulator runs the profile asked for (`stack up --profile`, `run --profile`): started with it, reused
 * while nobody asks for another, restarted (with the worker) when somebody does, unless it holds live instances of a
 * suite in flight. Real processes: the simulator alone (`--only sim`), on free ports, in a temporary data dir.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processCommandLine } from '../../src/client/stack/processes';
import { readSimCredentials } from '../../src/client/stack/sim-credentials';
import { stackDown, stackStatus, stackUp } from '../../src/client/stack/stack';
import { createVastClient } from '../../src/platform/vast/client';
import { freePortPair, tempDataDir } from './stack-test-kit';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'dumont-e2e.cjs');
const dataDir = tempDataDir('stack-profile');

beforeAll(async () => {
  process.env.DUMONT_E2E_DATA_DIR = dataDir;
  process.env.DUMONT_E2E_SIM_PORT_BASE = String(await freePortPair());
  delete process.env.DUMONT_E2E_SIM_PROFILE;
});

afterAll(async () => {
  await stackDown().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function apiKey(): string {
  return readSimCredentials(path.join(dataDir, 'sim-credentials.json'))!.apiKey;
}

/** The running simulator's own word on its profile (`GET /_sim/state`). */
async function simState(): Promise<{ profile: string; instances: { id: number }[] }> {
  const { dumontUrl } = (await stackStatus()).sim;
  const res = await fetch(`${dumontUrl}/_sim/state`, { headers: { authorization: `Bearer ${apiKey()}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { profile: string; instances: { id: number }[] };
}

describe('stack up --profile', () => {
  it('starts the simulator with the profile asked for; status shows it', async () => {
    const info = await stackUp({ components: ['sim'], profile: 'dumont-as-is' });
    expect(info.started).toEqual(['sim']);
    expect(info.sim?.profile).toBe('dumont-as-is');
    expect(processCommandLine(info.sim!.pid)).toContain('--profile dumont-as-is');
    expect((await simState()).profile).toBe('dumont-as-is');
    expect((await stackStatus()).sim).toMatchObject({ running: true, profile: 'dumont-as-is' });
  });

  it('without --profile a running simulator is reused with its profile', async () => {
    const before = (await stackStatus()).sim.pid;
    const info = await stackUp({ components: ['sim'] });
    expect(info.started).toEqual([]);
    expect(info.sim).toMatchObject({ pid: before, profile: 'dumont-as-is' });
  });

  it('another profile restarts it, unless it holds live instances: then up says so and how to stop it', async () => {
    const { vastUrl, pid } = (await stackStatus()).sim;
    const vast = createVastClient({ baseUrl: vastUrl!, apiKey: apiKey() });
    const [offer] = await vast.searchOffers({});
    const rent = await fetch(`${vastUrl}/api/v0/asks/${offer!.id}/`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ image: 'pytorch/pytorch', label: 'profile-test/in-flight', disk: 10 }),
    });
    expect(rent.status).toBe(200);
    const rented = (await simState()).instances;
    expect(rented).toHaveLength(1);

    const err = await stackUp({ components: ['sim'], profile: 'ideal' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /simulator \(pid \d+, profile dumont-as-is, .*\) holds 1 live instance of suites in flight; restarting it for profile ideal would lose them/
    );
    expect((err as Error).message).toContain('npx dumont-e2e stack down --only sim,worker');
    expect((await stackStatus()).sim).toMatchObject({ running: true, pid });

    await vast.destroyInstance(rented[0]!.id);
    await expect.poll(async () => (await simState()).instances.length, { timeout: 10_000 }).toBe(0);
    const info = await stackUp({ components: ['sim'], profile: 'ideal' });
    expect(info.started).toEqual(['sim']);
    expect(info.sim?.pid).not.toBe(pid);
    expect((await simState()).profile).toBe('ideal');
  });

  it('an unknown profile is bad input: one line, exit 2, nothing started', () => {
    const dir = tempDataDir('stack-profile-bad');
    try {
      const res = spawnSync(process.execPath, [CLI, 'stack', 'up', '--profile', 'aws'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DUMONT_E2E_DATA_DIR: dir },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(res.status).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toContain("--profile takes ideal, dumont-as-is; got 'aws'");
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
