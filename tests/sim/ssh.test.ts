import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { isAlive, newKeyPair, rent, sshConnect, sshExec, vast, waitForInstance } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'ssh-test-key';
const key = newKeyPair();
let sim: RunningSim;
let v: ReturnType<typeof vast>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 11 });
  v = vast(sim, API_KEY);
  await v('POST', '/api/v0/ssh/', { ssh_key: key.publicKey });
});
afterAll(async () => {
  await sim?.stop();
});

const running = (id: number) =>
  waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running' && r.ssh_port !== null);
const gpuSeconds = (id: number): number => sim.state().billing.perInstance.find((r) => r.id === id)?.gpuSeconds ?? -1;

describe('SSH on a pytorch instance with 2x RTX 3090', () => {
  let id: number;
  let port: number;
  beforeAll(async () => {
    ({ id } = await rent(
      sim,
      API_KEY,
      { gpu_name: { eq: 'RTX 3090' }, num_gpus: { eq: 2 } },
      { image: 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime' }
    ));
    port = (await running(id)).ssh_port;
  });

  it('nvidia-smi reports the rented model and count', async () => {
    const list = await sshExec(port, key.privateKey, 'nvidia-smi -L');
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^GPU 0: NVIDIA GeForce RTX 3090 \(UUID: GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$/
    );
    expect(lines[1]).toMatch(/^GPU 1: NVIDIA GeForce RTX 3090 /);
    const query = await sshExec(port, key.privateKey, 'nvidia-smi --query-gpu=name,memory.total --format=csv,noheader');
    expect(query.stdout).toBe('NVIDIA GeForce RTX 3090, 24576 MiB\nNVIDIA GeForce RTX 3090, 24576 MiB\n');
    const header = await sshExec(
      port,
      key.privateKey,
      'nvidia-smi --query-gpu=index,name,memory.total --format=csv,nounits -i 1'
    );
    expect(header.stdout).toBe('index, name, memory.total [MiB]\n1, NVIDIA GeForce RTX 3090, 24576\n');
    const table = await sshExec(port, key.privateKey, 'nvidia-smi');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('NVIDIA-SMI');
    expect(table.stdout.match(/RTX 3090/g)).toHaveLength(2);
    const bad = await sshExec(port, key.privateKey, 'nvidia-smi --bogus');
    expect(bad.code).not.toBe(0);
  });

  it('torch sees the rented GPUs', async () => {
    const script =
      'import torch; print(torch.__version__); print(torch.cuda.is_available(), torch.cuda.device_count()); print(torch.cuda.get_device_name(1))';
    const result = await sshExec(port, key.privateKey, `python -c "${script}"`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('2.1.0+cu121\nTrue 2\nNVIDIA GeForce RTX 3090\n');
    const invalid = await sshExec(port, key.privateKey, 'python3 -c "import torch; torch.cuda.get_device_name(2)"');
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('Invalid device id');
  });

  it('runs in the workspace with HOME there, streams stderr and exit codes, and takes stdin', async () => {
    const result = await sshExec(port, key.privateKey, 'echo "$PWD|$HOME|${PATH%%:*}"; echo oops >&2; exit 7');
    expect(result.code).toBe(7);
    expect(result.stderr).toBe('oops\n');
    const [pwd, home, firstPath] = result.stdout.trim().split('|');
    expect(pwd).toBe(home);
    expect(pwd.endsWith(`/instances/${id}/workspace`)).toBe(true);
    expect(firstPath.endsWith(`/instances/${id}/bin`)).toBe(true);
    const client = await sshConnect(port, key.privateKey);
    try {
      const echoed = await new Promise<string>((resolve, reject) => {
        client.exec('cat', (err, stream) => {
          if (err) return reject(err);
          let out = '';
          stream.on('data', (d: Buffer) => (out += d.toString()));
          stream.on('close', () => resolve(out));
          stream.end('from stdin');
        });
      });
      expect(echoed).toBe('from stdin');
    } finally {
      client.end();
    }
  });

  it('rejects unknown keys and accepts keys attached to the instance later', async () => {
    const stranger = newKeyPair();
    await expect(sshExec(port, stranger.privateKey, 'true')).rejects.toThrow(/authentication/i);
    expect((await v('POST', `/api/v0/instances/${id}/ssh/`, { ssh_key: stranger.publicKey })).body.success).toBe(true);
    expect((await sshExec(port, stranger.privateKey, 'echo hi')).stdout).toBe('hi\n');
  });
});

describe('SSH on a base-image instance across pause and resume', () => {
  it('has no torch, keeps files, kills processes and drops connections on pause, bills only while running', async () => {
    const { id } = await rent(
      sim,
      API_KEY,
      { gpu_name: { eq: 'RTX 4090' }, num_gpus: { eq: 1 } },
      { onstart: 'echo "booted $CONTAINER_ID $GREETING" >> onstart.txt', env: { GREETING: 'hello' } }
    );
    const port = (await running(id)).ssh_port;
    const onstart = await waitFor(async () => (await sshExec(port, key.privateKey, 'cat onstart.txt')).stdout, {
      what: 'onstart to run',
    });
    expect(onstart).toBe(`booted ${id} hello\n`);
    const noTorch = await sshExec(port, key.privateKey, 'python -c "import torch"');
    expect(noTorch.code).not.toBe(0);
    expect(noTorch.stderr).toContain('ModuleNotFoundError');
    expect((await sshExec(port, key.privateKey, 'nvidia-smi -L')).stdout).toMatch(/^GPU 0: NVIDIA GeForce RTX 4090 /);

    await sshExec(port, key.privateKey, 'mkdir -p data && echo precious > data/file.txt');
    const bg = await sshExec(
      port,
      key.privateKey,
      'nohup bash -c "while true; do date +%s%N >> ticks.log; sleep 0.02; done" >/dev/null 2>&1 & echo $!'
    );
    const pid = Number(bg.stdout.trim());
    expect(isAlive(pid)).toBe(true);
    const held = await sshConnect(port, key.privateKey);
    const dropped = new Promise<void>((resolve) => held.on('close', () => resolve()));
    held.on('error', () => undefined);

    await waitFor(() => gpuSeconds(id) > 10, { what: 'GPU billing while running' });
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'stopped' });
    await waitFor(() => !isAlive(pid), { what: 'the background process to be killed' });
    await dropped;
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'stopped');
    await expect(sshExec(port, key.privateKey, 'true')).rejects.toThrow();
    const pausedAt = gpuSeconds(id);
    // A later state read proves the meter did not move while paused (platform time kept running).
    const clockBefore = sim.state().now;
    await waitFor(() => sim.state().now > clockBefore + 30, { what: 'platform time to pass' });
    expect(gpuSeconds(id)).toBe(pausedAt);

    await v('PUT', `/api/v0/instances/${id}/`, { state: 'running' });
    const newPort = (await running(id)).ssh_port;
    expect((await sshExec(newPort, key.privateKey, 'cat data/file.txt')).stdout).toBe('precious\n');
    const ticks = await sshExec(newPort, key.privateKey, 'test -s ticks.log && echo yes');
    expect(ticks.stdout).toBe('yes\n');
    await waitFor(() => gpuSeconds(id) > pausedAt, { what: 'billing to resume' });
    await v('DELETE', `/api/v0/instances/${id}/`);
    await expect(sshExec(newPort, key.privateKey, 'true')).rejects.toThrow();
    expect(sim.state().instances.find((i) => i.id === id)).toBeUndefined();
  });
});
