/**
 * The platform clock as a client sees it. VAST's `start_date` is epoch seconds (vast-api.md §3.3, "start_date/
 * end_date (epoch s)") that clients subtract from their own clock to get an instance's age (uptime, TTL reapers,
 * vast-api.md §7); a real server's timestamps never lie in its client's future. The simulator compresses time, so its
 * platform clock starts in the past (src/sim/core/clock.ts) and both faces say it in their HTTP `Date` header, as a
 * real server (VAST's nginx, Dumont's uvicorn) sends its own clock.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_HORIZON_SECONDS, SimClock, clockLeadSeconds } from '../../src/sim/core/clock';
import { startSimulator, type RunningSim } from '../../src/sim';
import { waitFor } from '../helpers/wait-for';
import { call, waitForInstance } from '../sim/sim-client';

const API_KEY = 'clock-conformance-key';
const USER = { email: 'clock@dumont.test', password: 'clock-password-1' };
/** Platform time runs 500 × faster than real time: one real second is 500 platform seconds. */
const TIME_SCALE = 0.002;
let sim: RunningSim;
let dataDir: string;
const v = (method: string, p: string, body?: unknown) => call(sim.vastUrl, method, p, { auth: API_KEY, body });
const dateOf = (headers: Headers): number => Date.parse(headers.get('date') ?? '') / 1000;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clock-conformance-'));
  sim = await startSimulator({ apiKey: API_KEY, users: [USER], timeScale: TIME_SCALE, seed: 43, dataDir });
});
afterAll(async () => {
  await sim?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Rents the cheapest offer (§3.2) and waits until it runs (§5). */
async function rentRunning(label: string): Promise<number> {
  const offers = (await v('POST', '/api/v0/bundles/', { order: [['dph_total', 'asc']], limit: 5 })).body.offers;
  const res = await v('PUT', `/api/v0/asks/${offers[0].id}/`, { image: 'ubuntu:22.04', label });
  expect(res.body.success).toBe(true);
  const id = res.body.new_contract as number;
  await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running');
  return id;
}

describe('ages a client computes on its own clock (vast-api.md §3.3 start_date, §7 label sweeps)', () => {
  it('stay positive while compressed time runs, and grow', async () => {
    const id = await rentRunning('clock/own-clock');
    const ages: number[] = [];
    // Several reads over a second of real time, i.e. 500 platform seconds: on a clock that started at real time,
    // start_date would already be minutes in the client's future.
    const until = Date.now() + 1_000;
    while (Date.now() < until || ages.length < 3) {
      const row = (await v('GET', `/api/v0/instances/${id}/`)).body.instances;
      ages.push(Date.now() / 1000 - (row.start_date as number));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const age of ages) expect(age).toBeGreaterThan(0);
    // In the v1 list too (§3.3: the list's rows are the same instances).
    const listed = (await v('GET', '/api/v1/instances/')).body.instances as { start_date: number }[];
    for (const row of listed) expect(Date.now() / 1000 - row.start_date).toBeGreaterThan(0);
  });
});

describe("the platform's clock over a long session (src/sim/core/clock.ts)", () => {
  it('never passes real time within the horizon, and the horizon is where it would', () => {
    for (const timeScale of [0.001, 0.002, 0.02, 0.5, 1, 4]) {
      // A real clock that a week of session moves through in steps (the wall clock and the monotonic one together).
      let elapsedMs = 0;
      const startMs = Date.parse('2026-12-01T00:00:00Z');
      const clock = new SimClock(timeScale, { epochMs: () => startMs + elapsedMs, monotonicMs: () => elapsedMs });
      const ahead = () => clock.platformNow() - (startMs + elapsedMs) / 1000;
      expect(ahead()).toBeLessThanOrEqual(0);
      // Every tenth of the horizon, the horizon itself last: never ahead of real time.
      for (let step = 0; step < 10; step++) {
        elapsedMs += (CLOCK_HORIZON_SECONDS * 1000) / 10;
        expect(ahead()).toBeLessThanOrEqual(1e-3);
      }
      // Just past the horizon, compressed time passes real time (documented; a clock no faster than real never does).
      elapsedMs += 3_600_000;
      if (timeScale < 1) expect(ahead()).toBeGreaterThan(0);
      else expect(ahead()).toBeLessThanOrEqual(0);
      expect(clockLeadSeconds(timeScale)).toBe(timeScale < 1 ? CLOCK_HORIZON_SECONDS * (1 / timeScale - 1) : 0);
    }
  });

  it('runs a timer only once its delay has passed on the platform clock, even when the Node timer fires early', async () => {
    // A monotonic clock at half the speed of Node's timers: every timer fires when it says half the delay is over,
    // the way a timer counted from the event loop's cached time fires a little before performance.now() agrees.
    const origin = performance.now();
    const clock = new SimClock(0.01, {
      epochMs: () => Date.now(),
      monotonicMs: () => (performance.now() - origin) / 2,
    });
    const seen = await Promise.all(
      [0, 0.5, 1, 2].map((seconds) => {
        const due = clock.platformNow() + seconds;
        return new Promise<number>((resolve) => clock.after(seconds, () => resolve(clock.platformNow() - due)));
      })
    );
    for (const late of seen) expect(late).toBeGreaterThanOrEqual(0);
    // Cancelled after it fired early once: it never runs.
    let ran = false;
    const timer = clock.after(1, () => (ran = true));
    await new Promise((resolve) => setTimeout(resolve, 15)); // past the first Node timer (10 ms), before the due time
    clock.cancel(timer);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(ran).toBe(false);
  });
});

describe('the HTTP Date header (RFC 9110 §6.6.1: the server’s clock), on platform time', () => {
  it('VAST: present on every answer, never in the client’s future, consistent with start_date', async () => {
    const id = await rentRunning('clock/date-header');
    const before = Date.now() / 1000;
    const res = await v('GET', `/api/v0/instances/${id}/`);
    const serverNow = dateOf(res.headers);
    expect(Number.isFinite(serverNow)).toBe(true);
    expect(serverNow).toBeLessThanOrEqual(before + 1);
    const startDate = res.body.instances.start_date as number;
    // The instance started before this answer, on the same clock; the header has whole seconds.
    expect(serverNow).toBeGreaterThanOrEqual(Math.floor(startDate));
    // And the age on the server's clock is the platform time since the rent, not the client's lead over it: the
    // instance was rented within the last few real seconds, i.e. at most a few thousand platform seconds ago.
    expect(serverNow - startDate).toBeLessThan(30 / TIME_SCALE);
    // Error answers carry it too (a client reads the clock from whatever came back).
    const missing = await v('GET', '/api/v0/instances/1/');
    expect(missing.status).toBe(404);
    expect(dateOf(missing.headers)).toBeGreaterThanOrEqual(serverNow);
  });

  it('Dumont: the same clock as VAST (one platform), so its timestamps and VAST’s compare', async () => {
    const vastNow = dateOf((await v('POST', '/api/v0/bundles/', { limit: 1 })).headers);
    const health = await call(sim.dumontUrl, 'GET', '/health');
    expect(health.status).toBe(200);
    const dumontNow = dateOf(health.headers);
    expect(dumontNow).toBeGreaterThanOrEqual(vastNow);
    expect(dumontNow).toBeLessThanOrEqual(Date.now() / 1000);
    // Platform time moves 500 × faster: two seconds of real time later the header has moved by far more.
    await waitFor(async () => dateOf((await call(sim.dumontUrl, 'GET', '/health')).headers) - dumontNow > 100, {
      timeoutMs: 5_000,
      what: 'the Date header to advance on platform time',
    });
  });
});
