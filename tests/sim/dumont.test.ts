import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { call, dumont, vast, waitForInstance } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'dumont-test-key';
const USER = { email: 'tester@example.com', password: 'correct-horse' };
let sim: RunningSim;
let token: string;
let d: ReturnType<typeof dumont>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 5, users: [USER] });
  const login = await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER });
  token = login.body.token;
  d = dumont(sim, token);
});
afterAll(async () => {
  await sim?.stop();
});

const cheapestOffer = async (query: string): Promise<{ id: number; dph_total: number }> =>
  (await call(sim.dumontUrl, 'GET', `/api/v1/instances/offers?${query}`)).body.offers[0];

describe('Dumont auth', () => {
  it('logs pre-registered users in with email or username and issues HS256 JWTs', async () => {
    const byEmail = await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ success: true, user: USER.email });
    const [header, payload] = (byEmail.body.token as string)
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString() || '{}'));
    expect(header).toMatchObject({ alg: 'HS256' });
    expect(payload.sub).toBe(USER.email);
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000 + 44 * 86_400);
    const byUsername = await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', {
      body: { username: USER.email, password: USER.password },
    });
    expect(byUsername.status).toBe(200);
    const wrong = await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: { ...USER, password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(typeof wrong.body.error).toBe('string');
  });

  it('registers new users once, and /auth/me reflects the token', async () => {
    const body = { email: 'new@example.com', password: 'secret12' };
    const reg = await call(sim.dumontUrl, 'POST', '/api/v1/auth/register', { body });
    expect(reg.status).toBe(200);
    expect(reg.body).toMatchObject({ success: true, user: 'new@example.com', token: expect.any(String) });
    const again = await call(sim.dumontUrl, 'POST', '/api/v1/auth/register', { body });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: expect.any(String) });
    expect(
      (await call(sim.dumontUrl, 'POST', '/api/v1/auth/register', { body: { email: 'x@y.z', password: '123' } })).status
    ).toBe(422);
    const me = await call(sim.dumontUrl, 'GET', '/api/v1/auth/me', { auth: reg.body.token });
    expect(me.body).toMatchObject({ authenticated: true, user: { email: 'new@example.com' } });
    expect((await call(sim.dumontUrl, 'GET', '/api/v1/auth/me')).body).toEqual({ authenticated: false });
  });

  it('requires a valid bearer JWT on instances (401 {error})', async () => {
    const none = await call(sim.dumontUrl, 'GET', '/api/v1/instances');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: expect.any(String) });
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await call(sim.dumontUrl, 'GET', '/api/v1/instances', { auth: forged })).status).toBe(401);
    expect((await call(sim.dumontUrl, 'GET', '/api/v1/instances', { auth: API_KEY })).status).toBe(401);
  });

  it('answers /health and unknown routes', async () => {
    expect((await call(sim.dumontUrl, 'GET', '/health')).body).toMatchObject({ status: 'healthy' });
    const missing = await d('GET', '/api/v1/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Not Found' });
  });
});

describe('Dumont instances', () => {
  it('creates (201), shows raw actual_status, lists, pauses, resumes and destroys', async () => {
    const offer = await cheapestOffer('gpu_name=RTX%204090&num_gpus=1');
    const created = await d('POST', '/api/v1/instances', {
      offer_id: offer.id,
      label: 'dumont/one',
      skip_standby: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    // Dumont's create shows `actual_status or status`: "running" before VAST reports anything.
    expect(created.body).toMatchObject({
      status: 'running',
      actual_status: 'running',
      gpu_name: 'RTX 4090',
      num_gpus: 1,
      label: 'dumont/one',
      disk_space: 100,
    });
    const raw = await d('GET', `/api/v1/instances/${id}`);
    expect(raw.status).toBe(200);
    expect([null, 'created', 'loading']).toContain(raw.body.actual_status);

    // The same instance is a VAST instance of the account.
    const vastRow = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
    expect(vastRow).toMatchObject({ label: 'dumont/one', image_uuid: 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime' });
    const running = await d('GET', `/api/v1/instances/${id}`);
    expect(running.body).toMatchObject({
      status: 'running',
      actual_status: 'running',
      ssh_host: '127.0.0.1',
      ssh_port: vastRow.ssh_port,
    });
    const health = await d('GET', `/api/v1/instances/${id}/health`);
    expect(health.body).toEqual({
      instance_id: id,
      healthy: true,
      status: 'running',
      gpu_name: 'RTX 4090',
      ssh_available: true,
    });

    const list = await d('GET', '/api/v1/instances');
    expect(list.body.count).toBe(list.body.instances.length);
    expect(list.body.instances.map((i: { id: number }) => i.id)).toContain(id);
    expect((await d('GET', '/api/v1/instances?status=stopped')).body.instances).toEqual([]);

    const paused = await d('POST', `/api/v1/instances/${id}/pause`);
    expect(paused.body).toEqual({ success: true, message: expect.any(String) });
    const stopped = await waitFor(async () => {
      const row = (await d('GET', `/api/v1/instances/${id}`)).body;
      return row.actual_status === 'stopped' ? row : undefined;
    });
    expect(stopped).toMatchObject({ status: 'stopped', ssh_port: null });
    expect((await d('GET', `/api/v1/instances/${id}/health`)).body.healthy).toBe(false);

    expect((await d('POST', `/api/v1/instances/${id}/resume`)).body.success).toBe(true);
    await waitFor(async () => (await d('GET', `/api/v1/instances/${id}`)).body.actual_status === 'running');

    const destroyed = await d('DELETE', `/api/v1/instances/${id}`);
    expect(destroyed.status).toBe(200);
    expect(destroyed.body).toEqual({ success: true, message: expect.any(String) });
    const gone = await d('GET', `/api/v1/instances/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: expect.any(String) });
    const twice = await d('DELETE', `/api/v1/instances/${id}`);
    expect(twice.status).toBe(500);
    expect(twice.body.error).toMatch(/Failed to destroy/);
    expect((await d('POST', `/api/v1/instances/${id}/pause`)).status).toBe(404);
  });

  it('answers 500 "Oferta <id> indisponível" for a taken offer and 422 for a bad body', async () => {
    const offer = await cheapestOffer('gpu_name=RTX%203080');
    const first = await d('POST', '/api/v1/instances', { offer_id: offer.id, image: 'ubuntu:22.04', disk_size: 20 });
    expect(first.status).toBe(201);
    const taken = await d('POST', '/api/v1/instances', { offer_id: offer.id });
    expect(taken.status).toBe(500);
    expect(taken.body.error).toMatch(new RegExp(`^Oferta ${offer.id} indisponível: `));
    const noOffer = await d('POST', '/api/v1/instances', { image: 'x' });
    expect(noOffer.status).toBe(422);
    expect(noOffer.body).toMatchObject({ error: 'Validation error', details: [{ loc: ['body', 'offer_id'] }] });
    expect((await d('POST', '/api/v1/instances', { offer_id: offer.id, disk_size: 1 })).status).toBe(422);
    const bad = await call(sim.dumontUrl, 'POST', '/api/v1/instances', { auth: token, rawBody: '{' });
    expect(bad.status).toBe(422);
    await vast(sim, API_KEY)('DELETE', `/api/v0/instances/${first.body.id}/`);
  });
});
