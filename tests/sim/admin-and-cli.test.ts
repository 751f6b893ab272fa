import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { simCommand } from '../../src/client/commands/sim';
import { DEFECT_NAMES, startSimulator, type RunningSim } from '../../src/sim';
import { call, rent } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'admin-test-key';
let sim: RunningSim;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 41, defects: ['pause-ignored'] });
});
afterAll(async () => {
  await sim?.stop();
});

const admin = (method: string, p: string, body?: unknown, auth = API_KEY) =>
  call(sim.dumontUrl, method, `/_sim${p}`, { auth, body });

describe('admin API', () => {
  it('needs the API key as bearer', async () => {
    const reply = await admin('GET', '/state', undefined, 'wrong');
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: expect.any(String) });
    expect(sim.adminUrl).toBe(`${sim.dumontUrl}/_sim`);
  });

  it('GET /_sim/state shows live instances, volumes, billing, defects, faults and the time scale', async () => {
    const { id } = await rent(sim, API_KEY, { num_gpus: { eq: 1 } }, { label: 'admin/one' });
    const state = (await admin('GET', '/state')).body;
    expect(state).toMatchObject({
      timeScale: 0.002,
      defects: ['pause-ignored'],
      faults: { rate: 0, kinds: expect.arrayContaining(['429', 'slow-boot']), seed: 41 },
      volumes: [],
      billing: { totalUsd: expect.any(Number), gpuSeconds: expect.any(Number), storageGbSeconds: expect.any(Number) },
    });
    expect(state.instances).toEqual([expect.objectContaining({ id, label: 'admin/one', created_via: 'vast' })]);
    expect(state.billing.perInstance).toEqual([expect.objectContaining({ id, label: 'admin/one', live: true })]);
    await call(sim.vastUrl, 'DELETE', `/api/v0/instances/${id}/`, { auth: API_KEY });
    const after = (await admin('GET', '/state')).body;
    expect(after.instances).toEqual([]);
    expect(after.billing.perInstance).toEqual([expect.objectContaining({ id, live: false })]);
    expect(sim.state().instances).toEqual([]);
  });

  it('PUT /_sim/defects replaces the defects; unknown names are a 400 naming them', async () => {
    const ok = await admin('PUT', '/defects', { defects: ['offer-not-released', 'resume-loses-disk'] });
    expect(ok.status).toBe(200);
    expect(ok.body.defects).toEqual(['offer-not-released', 'resume-loses-disk']);
    expect(ok.body.available).toHaveLength(DEFECT_NAMES.length);
    const bad = await admin('PUT', '/defects', { defects: ['resume-loses-disk', 'made-up'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('made-up');
    expect(sim.state().defects).toEqual(['offer-not-released', 'resume-loses-disk']);
    expect((await admin('PUT', '/defects', { defects: 'pause-ignored' })).status).toBe(400);
    await admin('PUT', '/defects', { defects: [] });
  });

  it('PUT /_sim/faults sets rate, kinds and seed; bad values are a 400 naming them', async () => {
    const ok = await admin('PUT', '/faults', { rate: 0.25, kinds: ['429', 'drop'], seed: 7 });
    expect(ok.body).toEqual({ rate: 0.25, kinds: ['429', 'drop'], seed: 7 });
    const badRate = await admin('PUT', '/faults', { rate: 2 });
    expect(badRate.status).toBe(400);
    expect(badRate.body.error).toContain('2');
    const badKind = await admin('PUT', '/faults', { rate: 0.1, kinds: ['429', 'meteor'] });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error).toContain('meteor');
    expect(() => sim.setFaults({ rate: -1 })).toThrow(/-1/);
    await admin('PUT', '/faults', { rate: 0 });
  });
});

describe('dumont-e2e sim (CLI)', () => {
  const capture = async (argv: string[]) => {
    let out = '';
    let err = '';
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    try {
      return { code: await simCommand(argv), out, err };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  };

  it('rejects bad values with one line naming the flag, exit 2', async () => {
    for (const [argv, flag] of [
      [['--time-scale', 'fast', '--api-key', 'k'], '--time-scale'],
      [['--vast-port', '70000', '--api-key', 'k'], '--vast-port'],
      [['--defect', 'nope', '--api-key', 'k'], '--defect'],
      [['--faults', '429,meteor', '--api-key', 'k'], '--faults'],
      [['--host', '0.0.0.0', '--api-key', 'k'], '--host'],
      [['--user', 'nobody', '--api-key', 'k'], '--user'],
      [['--defect', 'region-filter-ignored@dumont-e2e/', '--api-key', 'k'], '--defect'],
      [['--defect', 'pause-ignored@', '--api-key', 'k'], '--defect'],
    ] as const) {
      const result = await capture([...argv]);
      expect(result.code).toBe(2);
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.err).toContain(flag);
    }
    const unknown = await capture(['--bogus']);
    expect(unknown.code).toBe(2);
    const previous = process.env.DUMONT_E2E_SIM_PORT_BASE;
    process.env.DUMONT_E2E_SIM_PORT_BASE = 'seventy';
    try {
      const badBase = await capture(['--api-key', 'k']);
      expect(badBase.code).toBe(2);
      expect(badBase.err).toContain('DUMONT_E2E_SIM_PORT_BASE');
    } finally {
      if (previous === undefined) delete process.env.DUMONT_E2E_SIM_PORT_BASE;
      else process.env.DUMONT_E2E_SIM_PORT_BASE = previous;
    }
  });

  it('--help lists the flags, fault kinds and defects', async () => {
    const result = await capture(['--help']);
    expect(result.code).toBe(0);
    for (const word of [
      '--vast-port',
      '--ready-file',
      'late-ssh-port',
      'destroy-fails',
      'ssh-drop-after-start',
      'NAME[@PREFIX]',
      'DUMONT_E2E_SIM_PORT_BASE',
      'faults.injected',
      ...DEFECT_NAMES,
    ])
      expect(result.out).toContain(word);
  });

  it('sim state --json prints /_sim/state', async () => {
    const result = await capture(['state', '--json', '--url', sim.dumontUrl, '--api-key', API_KEY]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ timeScale: 0.002, instances: [] });
    const wrongKey = await capture(['state', '--json', '--url', sim.dumontUrl, '--api-key', 'nope']);
    expect(wrongKey.code).toBe(1);
  });

  it('places the faces on DUMONT_E2E_SIM_PORT_BASE as the stack does; flags win; --defect takes @PREFIX', async () => {
    const base = await freePortPair();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-cli-'));
    const readyFile = path.join(dir, 'ready.json');
    const child = spawn(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        path.join(__dirname, 'fixtures', 'run-sim-command.ts'),
        '--vast-port',
        '0',
        '--defect',
        'pause-ignored@cli/',
        '--ready-file',
        readyFile,
      ],
      { env: { ...process.env, SIM_API_KEY: 'cli-key', DUMONT_E2E_SIM_PORT_BASE: String(base) }, stdio: 'ignore' }
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const ready = await waitFor(() => fs.existsSync(readyFile) && JSON.parse(fs.readFileSync(readyFile, 'utf8')), {
        timeoutMs: 30_000,
        what: 'the ready file',
      });
      expect(ready.dumontUrl).toBe(`http://127.0.0.1:${base}`);
      expect(ready.vastUrl).not.toBe(`http://127.0.0.1:${base + 1}`);
      const state = await call(ready.dumontUrl, 'GET', '/_sim/state', { auth: 'cli-key' });
      expect(state.body.defects).toEqual(['pause-ignored@cli/']);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs in the foreground, writes the ready file, and stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-cli-'));
    const readyFile = path.join(dir, 'ready.json');
    const fixture = path.join(__dirname, 'fixtures', 'run-sim-command.ts');
    const child = spawn(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        fixture,
        '--vast-port',
        '0',
        '--dumont-port',
        '0',
        '--time-scale',
        '0.002',
        '--ready-file',
        readyFile,
      ],
      {
        env: { ...process.env, SIM_API_KEY: 'cli-key', SIM_USER: 'cli@example.com:cli-password' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const ready = await waitFor(() => fs.existsSync(readyFile) && JSON.parse(fs.readFileSync(readyFile, 'utf8')), {
        timeoutMs: 30_000,
        what: `the ready file (output: ${out})`,
      });
      expect(ready.pid).toBe(child.pid);
      expect(out).toContain(ready.vastUrl);
      expect(out).toContain(ready.dumontUrl);
      const login = await call(ready.dumontUrl, 'POST', '/api/v1/auth/login', {
        body: { email: 'cli@example.com', password: 'cli-password' },
      });
      expect(login.status).toBe(200);
      expect((await call(ready.vastUrl, 'GET', '/api/v0/users/current/', { auth: 'cli-key' })).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(fs.existsSync(readyFile)).toBe(false);
      await expect(call(ready.dumontUrl, 'GET', '/health')).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A port P with P and P + 1 both free on loopback (as DUMONT_E2E_SIM_PORT_BASE needs). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<net.Server | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await listen(0);
    if (!first) continue;
    const port = (first.address() as net.AddressInfo).port;
    const second = port < 65535 ? await listen(port + 1) : undefined;
    await new Promise((resolve) => first.close(resolve));
    if (second) {
      await new Promise((resolve) => second.close(resolve));
      return port;
    }
  }
  throw new Error('no two consecutive free ports');
}
