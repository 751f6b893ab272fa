/**
 * The faces' HTTP behaviour on Fastify: trailing slashes per face (Dumont redirects like FastAPI, VAST
 * answers both), 404/405 and bad bodies in each face's words, and the multipart and WebSocket routes a
 * feature module may declare, with each face's auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FEATURES } from '../../src/sim/features';
import { launchSimulator } from '../../src/sim/start-simulator';
import type { RunningSim } from '../../src/sim';
import { probeFeature } from './fixtures/probe-feature';
import { call } from './sim-client';

const API_KEY = 'faces-test-key';
const USER = { email: 'faces@example.com', password: 'faces-pass' };
let sim: RunningSim;
let token: string;

beforeAll(async () => {
  sim = await launchSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 3, users: [USER] }, [
    ...FEATURES,
    probeFeature,
  ]);
  token = (await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER })).body.token;
});
afterAll(async () => {
  await sim?.stop();
});

const raw = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init });

/** Opens a WebSocket, sends one message, resolves with the first answer or the close code. */
function wsRoundTrip(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => socket.send('ping'));
    socket.on('message', (data) => {
      resolve(String(data));
      socket.close();
    });
    socket.on('close', (code) => resolve(`closed ${code}`));
    socket.on('error', reject);
  });
}

describe('Dumont face trailing slashes (FastAPI redirect_slashes)', () => {
  it('a route declared without a slash answers the slashed form with a 307 to it, query kept', async () => {
    const reply = await raw(`${sim.dumontUrl}/api/v1/instances/?status=running&x=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(307);
    expect(reply.headers.get('location')).toBe(`${sim.dumontUrl}/api/v1/instances?status=running&x=1`);
    const offers = await raw(`${sim.dumontUrl}/api/instances/offers/`);
    expect(offers.status).toBe(307);
    expect(offers.headers.get('location')).toBe(`${sim.dumontUrl}/api/instances/offers`);
    // Redirects come before auth, as FastAPI routes before running dependencies.
    expect((await raw(`${sim.dumontUrl}/api/v1/instances/`, { method: 'POST' })).status).toBe(307);
  });

  it('a route declared with a slash answers the bare form with a 307 to it', async () => {
    const bare = await raw(`${sim.dumontUrl}/api/v1/probe/jobs?limit=2`);
    expect(bare.status).toBe(307);
    expect(bare.headers.get('location')).toBe(`${sim.dumontUrl}/api/v1/probe/jobs/?limit=2`);
    const followed = await call(sim.dumontUrl, 'GET', '/api/v1/probe/jobs', { auth: token });
    expect(followed.body).toEqual({ user: USER.email, jobs: [] });
  });

  it('answers 404 and 405 in Dumont words; the admin API and /health take either form', async () => {
    expect((await call(sim.dumontUrl, 'GET', '/api/v1/nothing')).body).toEqual({ error: 'Not Found' });
    const wrongMethod = await call(sim.dumontUrl, 'PUT', '/api/v1/instances', { auth: token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body).toEqual({ error: 'Method Not Allowed' });
    expect((await call(sim.dumontUrl, 'GET', '/_sim/state/', { auth: API_KEY })).status).toBe(200);
    expect((await raw(`${sim.dumontUrl}/health/`)).status).toBe(307);
  });

  it('renders a bad JSON body as a 422 only where the body is read, after auth', async () => {
    const noAuth = await call(sim.dumontUrl, 'POST', '/api/v1/instances', { rawBody: '{' });
    expect(noAuth.status).toBe(401);
    const bad = await call(sim.dumontUrl, 'POST', '/api/v1/instances', { auth: token, rawBody: '{' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'Validation error', details: [{ type: 'json_invalid' }] });
  });
});

describe('VAST face', () => {
  it('answers both slash forms alike', async () => {
    for (const path of ['/api/v0/users/current', '/api/v0/users/current/', '/api/v1/instances', '/api/v1/instances/']) {
      expect((await call(sim.vastUrl, 'GET', path, { auth: API_KEY })).status).toBe(200);
    }
  });

  it('answers 404, 405 and bad JSON in VAST words', async () => {
    expect((await call(sim.vastUrl, 'GET', '/api/v0/nothing/', { auth: API_KEY })).body).toMatchObject({
      success: false,
      error: 'not_found',
    });
    expect((await call(sim.vastUrl, 'PATCH', '/api/v0/charges/', { auth: API_KEY })).body).toMatchObject({
      error: 'method_not_allowed',
    });
    const bad = await call(sim.vastUrl, 'POST', '/api/v0/ssh/', { auth: API_KEY, rawBody: 'not json' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'invalid_request', msg: 'Invalid json body' });
  });
});

describe('feature routes: multipart and WebSocket', () => {
  it('a multipart route gets the form fields and files, behind the VAST key', async () => {
    const form = new FormData();
    form.append('name', 'weights');
    form.append('file', new Blob(['tensor bytes']), 'model.bin');
    const upload = await fetch(`${sim.vastUrl}/api/v0/probe/upload`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(await upload.json()).toEqual({
      fields: { name: 'weights' },
      files: [{ field: 'file', filename: 'model.bin', text: 'tensor bytes' }],
    });
    expect((await fetch(`${sim.vastUrl}/api/v0/probe/upload/`, { method: 'POST', body: form })).status).toBe(401);
  });

  it('a WebSocket route echoes on the VAST face and knows the Dumont user; bad credentials close it', async () => {
    const vastWs = `${sim.vastUrl.replace('http', 'ws')}/api/v0/probe/echo/`;
    expect(await wsRoundTrip(vastWs, { authorization: `Bearer ${API_KEY}` })).toBe('vast echo: ping');
    expect(await wsRoundTrip(vastWs)).toBe('closed 4401');
    const dumontWs = `${sim.dumontUrl.replace('http', 'ws')}/api/v1/probe/ws`;
    expect(await wsRoundTrip(dumontWs, { authorization: `Bearer ${token}` })).toBe(`${USER.email}: ping`);
    expect(await wsRoundTrip(dumontWs, { authorization: 'Bearer nope' })).toBe('closed 4401');
    // A plain GET on a WebSocket route is a 404.
    expect((await call(sim.vastUrl, 'GET', '/api/v0/probe/echo/', { auth: API_KEY })).status).toBe(404);
  });

  it('public routes need no credentials; account routes get the face 401', async () => {
    expect((await call(sim.dumontUrl, 'GET', '/api/probe/public')).body).toEqual({ public: true });
    expect((await call(sim.dumontUrl, 'GET', '/api/v1/probe/jobs/')).status).toBe(401);
  });
});
