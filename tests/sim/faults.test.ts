import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { call, dumont, execOn, newKeyPair, rent, sshConnect, sshExec, vast, waitForInstance } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'faults-test-key';
const USER = { email: 'faults@example.com', password: 'faults-pass' };
const key = newKeyPair();
let sim: RunningSim;
let v: ReturnType<typeof vast>;
let d: ReturnType<typeof dumont>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 21, users: [USER] });
  v = vast(sim, API_KEY);
  d = dumont(sim, (await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER })).body.token);
  await v('POST', '/api/v0/ssh/', { ssh_key: key.publicKey });
});
afterEach(() => {
  sim.setFaults({ rate: 0 });
  sim.setDefects([]);
});

/** Faults injected so far, by kind. */
const injected = () => sim.state().faults.injected;
afterAll(async () => {
  await sim?.stop();
});

describe('HTTP faults', () => {
  it('429 rotates the three VAST body shapes, without Retry-After; Dumont gets {error}', async () => {
    sim.setFaults({ rate: 1, kinds: ['429'], seed: 4 });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await v('GET', '/api/v1/instances/'));
    expect(replies.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(replies.every((r) => r.headers.get('retry-after') === null)).toBe(true);
    expect(replies[0].contentType).toMatch(/^text\/plain/);
    expect(replies[0].text).toMatch(/^API requests too frequent/);
    expect(replies[1].body).toEqual({ detail: expect.stringMatching(/^API requests too frequent/) });
    expect(replies[2].body).toEqual({ success: false, error: 'rate_limit_exceeded', msg: expect.any(String) });
    const dumontReply = await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers');
    expect(dumontReply.status).toBe(429);
    expect(dumontReply.body).toEqual({ error: expect.any(String) });
  });

  it('5xx answers 500/502/503 before the request takes effect', async () => {
    const offers = (await v('POST', '/api/v0/bundles/', { limit: 12 })).body.offers;
    sim.setFaults({ rate: 1, kinds: ['5xx'], seed: 9 });
    const statuses = new Set<number>();
    for (const offer of offers) {
      const reply = await v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'vastai/base-image:latest' });
      statuses.add(reply.status);
    }
    expect([...statuses].every((s) => [500, 502, 503].includes(s))).toBe(true);
    expect(statuses.size).toBeGreaterThan(1);
    expect(sim.state().instances).toHaveLength(0);
  });

  it('drop destroys the socket without an answer, half of the time after the request took effect', async () => {
    const offers = (await v('POST', '/api/v0/bundles/', { limit: 16 })).body.offers;
    sim.setFaults({ rate: 1, kinds: ['drop'], seed: 5 });
    for (const offer of offers) {
      await expect(v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'vastai/base-image:latest' })).rejects.toThrow();
    }
    sim.setFaults({ rate: 0 });
    const created = sim.state().instances.length;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(offers.length);
    for (const inst of sim.state().instances) await v('DELETE', `/api/v0/instances/${inst.id}/`);
  });

  it('never touches auth, health or the admin API, and draws the same faults for the same seed', async () => {
    sim.setFaults({ rate: 1, kinds: ['429', '5xx', 'drop'], seed: 1 });
    expect((await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER })).status).toBe(200);
    expect((await call(sim.dumontUrl, 'GET', '/health')).status).toBe(200);
    expect((await call(sim.dumontUrl, 'GET', '/_sim/state', { auth: API_KEY })).status).toBe(200);
    const outcome = async () => {
      const out: string[] = [];
      for (let i = 0; i < 8; i++) {
        out.push(
          await v('GET', '/api/v0/users/current/').then(
            (r) => String(r.status),
            () => 'drop'
          )
        );
      }
      return out;
    };
    sim.setFaults({ rate: 0.5, kinds: ['429', '5xx', 'drop'], seed: 77 });
    const first = await outcome();
    sim.setFaults({ rate: 0.5, kinds: ['429', '5xx', 'drop'], seed: 77 });
    expect(await outcome()).toEqual(first);
    expect(first.some((s) => s === '200')).toBe(true);
    expect(first.some((s) => s !== '200')).toBe(true);
  });
});

describe('instance faults', () => {
  it('ssh-reset closes SSH connections right after they are accepted', async () => {
    const { id } = await rent(sim, API_KEY, { num_gpus: { eq: 1 }, gpu_name: { eq: 'RTX 3080' } });
    const { ssh_port: port } = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    sim.setFaults({ rate: 1, kinds: ['ssh-reset'] });
    await expect(sshConnect(port, key.privateKey)).rejects.toThrow();
    sim.setFaults({ rate: 0 });
    expect((await sshExec(port, key.privateKey, 'echo ok')).stdout).toBe('ok\n');
    await v('DELETE', `/api/v0/instances/${id}/`);
  });

  it('slow-boot makes loading five times longer', async () => {
    // Create → running in platform seconds: 3 + 5 + 40 normally, 3 + 5 + 200 under slow-boot. A simulator of its own
    // at a clock slow enough that a loaded machine's lag (a second of it) cannot pass for a slow boot.
    const own = await startSimulator({ apiKey: API_KEY, timeScale: 0.01, seed: 21 });
    const bootTime = async (): Promise<number> => {
      const startedAt = own.state().now;
      const { id } = await rent(own, API_KEY, { num_gpus: { eq: 1 }, gpu_name: { eq: 'RTX 4090' } });
      const runningAt = await waitFor(
        () => (own.state().instances.find((i) => i.id === id)?.actual_status === 'running' ? own.state().now : 0),
        { intervalMs: 2, timeoutMs: 20_000 }
      );
      return runningAt - startedAt;
    };
    try {
      expect(await bootTime()).toBeLessThan(150);
      own.setFaults({ rate: 1, kinds: ['slow-boot'] });
      expect(await bootTime()).toBeGreaterThanOrEqual(205);
      expect(own.state().faults.hitOn['slow-boot']).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });

  it('late-ssh-port keeps ssh_port null for the first 20 platform s of running', async () => {
    const slow = await startSimulator({
      apiKey: API_KEY,
      timeScale: 0.04,
      seed: 2,
      faultRate: 1,
      faultKinds: ['late-ssh-port'],
    });
    try {
      const { id } = await rent(slow, API_KEY, { num_gpus: { eq: 1 } });
      const early = await waitForInstance(slow, API_KEY, id, (r) => r.actual_status === 'running');
      expect(early.ssh_port).toBeNull();
      expect(early.ports).toBeUndefined();
      const late = await waitForInstance(slow, API_KEY, id, (r) => r.ssh_port !== null);
      expect(Number.isInteger(late.ssh_port)).toBe(true);
    } finally {
      await slow.stop();
    }
  });
});

describe('destroy-fails', () => {
  it('answers a DELETE of an instance or volume with the face 500 and does nothing', async () => {
    sim.setDefects(['storage-billed-after-destroy']);
    const leaver = await rent(sim, API_KEY, { num_gpus: { eq: 1 } }, { label: 'faults/volume' });
    await v('DELETE', `/api/v0/instances/${leaver.id}/`);
    const [volume] = sim.state().volumes;
    const viaVast = await rent(sim, API_KEY, { num_gpus: { eq: 1 } });
    const viaDumont = await rent(sim, API_KEY, { num_gpus: { eq: 1 } });
    const before = injected()['destroy-fails'];
    sim.setFaults({ rate: 1, kinds: ['destroy-fails'] });

    const vastReply = await v('DELETE', `/api/v0/instances/${viaVast.id}/`);
    expect(vastReply.status).toBe(500);
    expect(vastReply.body).toMatchObject({ success: false, error: 'internal_error' });
    const dumontReply = await d('DELETE', `/api/v1/instances/${viaDumont.id}`);
    expect(dumontReply.status).toBe(500);
    expect(dumontReply.body).toEqual({ error: `Failed to destroy instance ${viaDumont.id}` });
    const volumeReply = await v('DELETE', `/api/v0/volumes/?id=${volume.id}`);
    expect(volumeReply.status).toBe(500);
    // Nothing was destroyed, and other calls are untouched.
    expect(sim.state().instances.map((i) => i.id)).toEqual(expect.arrayContaining([viaVast.id, viaDumont.id]));
    expect(sim.state().volumes.map((vol) => vol.id)).toEqual([volume.id]);
    expect((await v('GET', `/api/v0/instances/${viaVast.id}/`)).status).toBe(200);
    expect(injected()['destroy-fails']).toBe(before + 3);

    sim.setFaults({ rate: 0 });
    expect((await v('DELETE', `/api/v0/instances/${viaVast.id}/`)).status).toBe(200);
    expect((await d('DELETE', `/api/v1/instances/${viaDumont.id}`)).status).toBe(200);
    expect((await v('DELETE', `/api/v0/volumes/?id=${volume.id}`)).status).toBe(200);
  });
});

describe('ssh-drop-after-start', () => {
  it('drops the SSH connection right after the command started; the command runs to completion', async () => {
    const { id } = await rent(sim, API_KEY, { num_gpus: { eq: 1 }, gpu_name: { eq: 'RTX 3090' } });
    const { ssh_port: port } = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    const marker = path.join(sim.state().instances.find((i) => i.id === id)?.dir ?? '', 'workspace', 'after-drop.txt');
    const before = injected()['ssh-drop-after-start'];
    sim.setFaults({ rate: 1, kinds: ['ssh-drop-after-start'] });
    const client = await sshConnect(port, key.privateKey);
    const connectionClosed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    const result = await execOn(client, 'echo started; sleep 0.3; echo finished > after-drop.txt');
    await connectionClosed;
    expect(result).toMatchObject({ code: null, signal: undefined });
    expect(fs.existsSync(marker)).toBe(false);
    await waitFor(() => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === 'finished\n', {
      what: 'the command to finish after the drop',
    });
    expect(injected()['ssh-drop-after-start']).toBe(before + 1);
    sim.setFaults({ rate: 0 });
    expect((await sshExec(port, key.privateKey, 'cat after-drop.txt')).stdout).toBe('finished\n');
    await v('DELETE', `/api/v0/instances/${id}/`);
  });
});

describe('fault counts', () => {
  it('sim state counts every injected fault by kind', async () => {
    const before = injected();
    expect(Object.keys(before).sort()).toEqual(
      ['429', '5xx', 'drop', 'ssh-reset', 'late-ssh-port', 'slow-boot', 'destroy-fails', 'ssh-drop-after-start'].sort()
    );
    sim.setFaults({ rate: 1, kinds: ['429'] });
    for (let i = 0; i < 3; i++) await v('GET', '/api/v0/users/current/');
    sim.setFaults({ rate: 0 });
    expect(injected()['429']).toBe(before['429'] + 3);
    expect(injected()['5xx']).toBe(before['5xx']);
  });
});
