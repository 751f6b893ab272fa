/**
 * SSH as VAST gives it (vast-api.md §3.3, §3.6, §5): the machine's real `scp` and `sftp` binaries against an
 * instance (OpenSSH's `scp` speaks SFTP by default since 9.0), and an SSH endpoint (host and port) that survives a
 * stop and a start, as VAST's SSH proxy keeps it.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import dns from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { call, newKeyPair, sshExec, waitForInstance } from '../sim/sim-client';

const API_KEY = 'vast-ssh-key';
/** Asynchronous: the simulator's SSH server runs in this process, so a blocking spawn would deadlock. */
const run = promisify(execFile);
const HAS_OPENSSH = spawnSync('scp', [], { encoding: 'utf8' }).error === undefined;
let sim: RunningSim;
let tmp: string;
let keyFile: string;
const key = newKeyPair();
const v = (method: string, p: string, body?: unknown) => call(sim.vastUrl, method, p, { auth: API_KEY, body });

const SSH_OPTS = (port: number) => [
  '-i',
  keyFile,
  '-P',
  String(port),
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'BatchMode=yes',
  '-o',
  'LogLevel=ERROR',
];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-ssh-'));
  keyFile = path.join(tmp, 'id_ed25519');
  fs.writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 47 });
  await v('POST', '/api/v0/ssh/', { ssh_key: key.publicKey });
});
afterAll(async () => {
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runningInstance(label: string): Promise<{ id: number; port: number }> {
  const offer = (await v('POST', '/api/v0/bundles/', { order: [['dph_total', 'asc']], limit: 1 })).body.offers[0];
  const id = (await v('PUT', `/api/v0/asks/${offer.id}/`, { image: 'ubuntu:22.04', label })).body.new_contract;
  const row = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running' && r.ssh_port);
  return { id, port: row.ssh_port };
}

describe.runIf(HAS_OPENSSH)('the real scp and sftp against an instance', () => {
  it('scp uploads and downloads over the SFTP subsystem (default scp), byte for byte', async () => {
    const { port } = await runningInstance('ssh/scp');
    const local = path.join(tmp, 'payload.bin');
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 256));
    fs.writeFileSync(local, payload);
    await run('scp', [...SSH_OPTS(port), local, 'root@127.0.0.1:uploaded.bin'], { timeout: 30_000 });
    const remote = await sshExec(port, key.privateKey, 'sha256sum uploaded.bin');
    expect(remote.stdout.split(' ')[0]).toBe(execFileSync('sha256sum', [local], { encoding: 'utf8' }).split(' ')[0]);
    const back = path.join(tmp, 'back.bin');
    await run('scp', [...SSH_OPTS(port), 'root@127.0.0.1:uploaded.bin', back], { timeout: 30_000 });
    expect(fs.readFileSync(back).equals(payload)).toBe(true);
    // A missing remote file is scp's error, not a hang.
    await expect(
      run('scp', [...SSH_OPTS(port), 'root@127.0.0.1:no-such-file', back], { timeout: 30_000 })
    ).rejects.toMatchObject({ code: 1 });
  });

  it('sftp: mkdir, put, rename, ls, get in one batch', async () => {
    const { port } = await runningInstance('ssh/sftp');
    const local = path.join(tmp, 'note.txt');
    fs.writeFileSync(local, 'hello over sftp\n');
    const batch = path.join(tmp, 'batch');
    fs.writeFileSync(
      batch,
      `mkdir dir\nput ${local} dir/a.txt\nrename dir/a.txt dir/b.txt\nls dir\nget dir/b.txt ${tmp}/got.txt\n`
    );
    const { stdout: out } = await run('sftp', [...SSH_OPTS(port), '-b', batch, 'root@127.0.0.1'], { timeout: 30_000 });
    expect(out).toContain('dir/b.txt');
    expect(fs.readFileSync(path.join(tmp, 'got.txt'), 'utf8')).toBe('hello over sftp\n');
    expect((await sshExec(port, key.privateKey, 'cat dir/b.txt')).stdout).toBe('hello over sftp\n');
  });
});

describe('a stable SSH endpoint (vast-api.md §3.3: ssh_host/ssh_port of the proxy)', () => {
  it('keeps its host and port across stop and start', async () => {
    const { id, port } = await runningInstance('ssh/stable');
    const before = (await v('GET', `/api/v0/instances/${id}/`)).body.instances;
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'stopped' });
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'stopped');
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'running' });
    const after = await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running' && r.ssh_port);
    expect({ host: after.ssh_host, port: after.ssh_port, idx: after.ssh_idx }).toEqual({
      host: before.ssh_host,
      port,
      idx: before.ssh_idx,
    });
    expect((await sshExec(port, key.privateKey, 'echo back')).stdout).toBe('back\n');
  });

  it('ssh_idx names a proxy as VAST does (a string of digits, per instance); ssh_host resolves and answers SSH', async () => {
    const rows = [];
    for (const label of ['ssh/idx-a', 'ssh/idx-b']) {
      const { id } = await runningInstance(label);
      rows.push((await v('GET', `/api/v0/instances/${id}/`)).body.instances);
    }
    for (const row of rows) {
      // VAST's clients type it as a string ("ssh_idx": "5" for ssh5.vast.ai), not a number.
      expect(row.ssh_idx).toMatch(/^[1-9]$/);
      // The host is what a client connects to: it must resolve here (getaddrinfo, as OpenSSH and Node resolve it).
      const { address } = await dns.lookup(row.ssh_host as string);
      expect((await sshExec(row.ssh_port as number, key.privateKey, 'echo idx', address)).stdout).toBe('idx\n');
    }
    // Two instances rented one after the other sit behind different proxies (a constant index would not).
    expect(rows[0].ssh_idx).not.toBe(rows[1].ssh_idx);
  });
});
