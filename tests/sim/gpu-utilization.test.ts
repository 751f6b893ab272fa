import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { gpuUtilization } from '../../src/sim/instances/gpu-utilization';
import { isAlive, newKeyPair, rent, sshExec, vast, waitForInstance } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'gpu-utilization-test-key';
const key = newKeyPair();
let sim: RunningSim;
let v: ReturnType<typeof vast>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 22 });
  v = vast(sim, API_KEY);
  await v('POST', '/api/v0/ssh/', { ssh_key: key.publicKey });
});
afterAll(async () => {
  await sim?.stop();
});

const running = (id: number) =>
  waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running' && r.ssh_port !== null);

/** gpuUtilization() of instance `id`, given what it needs (the data dir, from the instance's dir). */
function utilization(id: number): number {
  const view = sim.state().instances.find((i) => i.id === id);
  if (!view) throw new Error(`no instance ${id}`);
  return gpuUtilization({ dataDir: path.resolve(view.dir, '..', '..') }, { id, destroyedAt: null });
}

const QUERY = 'nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits';
/** Shell: waits (up to ~10 s) until nvidia-smi's first GPU shows `percent`, i.e. a background stress registered. */
const untilBusy = (percent: number): string =>
  `for _ in $(seq 200); do [ "$(${QUERY} | head -1)" = ${percent} ] && break; sleep 0.05; done`;

describe('gpu-stress on a 2x RTX 3090 instance', () => {
  let id: number;
  let port: number;
  const ssh = (command: string) => sshExec(port, key.privateKey, command);
  beforeAll(async () => {
    ({ id } = await rent(sim, API_KEY, { gpu_name: { eq: 'RTX 3090' }, num_gpus: { eq: 2 } }));
    port = (await running(id)).ssh_port;
  });

  it('is idle at boot', async () => {
    expect((await ssh(QUERY)).stdout).toBe('0\n0\n');
    expect((await ssh('nvidia-smi --query-gpu=utilization.gpu,pstate --format=csv')).stdout).toBe(
      'utilization.gpu [%], pstate\n0 %, P8\n0 %, P8\n'
    );
    expect((await ssh('nvidia-smi')).stdout).toContain('|      0%      Default |');
    expect(utilization(id)).toBe(0);
    expect((await ssh('gpu-stress --help')).stdout).toMatch(/^usage: gpu-stress \[SECONDS\] \[PERCENT\]/);
    expect((await ssh('gpu-stress 10 101')).code).toBe(2);
  });

  it('raises utilisation while it runs, the busiest one counting, and drops to 0 when it ends or is killed', async () => {
    const started = await ssh('nohup gpu-stress 60 80 >/dev/null 2>&1 & echo $!');
    const pid = Number(started.stdout.trim());
    expect(isAlive(pid)).toBe(true);
    await waitFor(() => utilization(id) === 80, { what: 'gpuUtilization 80' });
    expect((await ssh(QUERY)).stdout).toBe('80\n80\n');
    const table = (await ssh('nvidia-smi')).stdout;
    expect(table.match(/\| {5}80% {6}Default \|/g)).toHaveLength(2);
    expect(table).toMatch(/ P2 /);

    // A shorter, busier one on top: 100 while it runs, back to 80 when it has finished.
    const both = await ssh(
      `gpu-stress 3 100 > stress.out & ${untilBusy(100)}; ${QUERY}; wait; ${QUERY}; cat stress.out`
    );
    expect(both.stdout).toMatch(/^100\n100\n80\n80\ngpu-stress: pid \d+, GPUs at 100% for 3 s\ngpu-stress: done\n$/);
    expect(utilization(id)).toBe(80);

    // SIGKILL leaves the registration file behind: only liveness counts.
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), { what: 'gpu-stress to die' });
    expect(
      (await ssh(`test -f "$(dirname "$(command -v nvidia-smi)")/../var/gpu-stress/${pid}" && echo stale`)).stdout
    ).toBe('stale\n');
    expect(utilization(id)).toBe(0);
    expect((await ssh(QUERY)).stdout).toBe('0\n0\n');

    // A finished one (default percent) counts no more either.
    const finished = await ssh(`gpu-stress 0.5 && ${QUERY}`);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/GPUs at 100% for 0.5 s\ngpu-stress: done\n0\n0\n$/);
    expect(utilization(id)).toBe(0);
  });

  it('counts a SIGTERMed one no more, and pausing the instance kills the stress (0 while paused)', async () => {
    const term = await ssh(
      `gpu-stress 30 40 >/dev/null & p=$!; ${untilBusy(40)}; ${QUERY}; kill $p; wait $p; echo "rc=$?"; ${QUERY}`
    );
    expect(term.stdout).toBe('40\n40\nrc=143\n0\n0\n');

    const started = await ssh('nohup gpu-stress 120 55 >/dev/null 2>&1 & echo $!');
    const pid = Number(started.stdout.trim());
    await waitFor(() => utilization(id) === 55, { what: 'gpuUtilization 55' });
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'stopped' });
    await waitFor(() => !isAlive(pid), { what: 'pause to kill gpu-stress' });
    expect(utilization(id)).toBe(0);
    await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'stopped');
    await v('PUT', `/api/v0/instances/${id}/`, { state: 'running' });
    port = (await running(id)).ssh_port;
    expect((await ssh(QUERY)).stdout).toBe('0\n0\n');
    expect(utilization(id)).toBe(0);
  });
});
