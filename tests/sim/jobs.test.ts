/**
 * The jobs feature over real HTTP, with real processes inside the job's instance and the bucket read by the real S3
 * client: Dumont's trailing-slash routes, live logs, exit status, timeout, cancel, outputs uploaded under the job's
 * name, retries on a fresh instance, pip from the offline index, a two-rank launcher on two GPUs, spot billing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../src/activities/deps';
import { jobKind } from '../../src/activities/resources/job';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createObjectStoreClient, type ObjectStoreClient } from '../../src/platform/object-store';
import { waitFor } from '../helpers/wait-for';
import { call } from './sim-client';
import { startServerlessSim, USER, type ServerlessSim } from './serverless-helpers';

let s: ServerlessSim;
let bucket: ObjectStoreClient;
const FINISHED = ['completed', 'failed', 'timeout', 'cancelled'];

beforeAll(async () => {
  s = await startServerlessSim({ seed: 53, timeScale: 0.01 });
  const o = s.sim.objectStore;
  bucket = createObjectStoreClient({ endpoint: o.url, ...o });
}, 60_000);
afterAll(async () => {
  await s?.sim.stop();
});

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await s.d('POST', '/api/v1/jobs/', { gpu_type: 'RTX 3090', use_spot: false, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
const get = async (id: string) => (await s.d('GET', `/api/v1/jobs/${id}`)).body;
const finished = (id: string, timeoutMs = 30_000) =>
  waitFor(async () => ((j) => (FINISHED.includes(j.status) ? j : undefined))(await get(id)), {
    timeoutMs,
    intervalMs: 50,
    what: `job ${id} finished`,
  });
const instanceLive = (id: number | null): boolean => id !== null && s.world.instances.has(id);

describe('jobs', () => {
  it('answers /jobs with a 307 to /jobs/ and lists jobs', async () => {
    const res = await fetch(`${s.sim.dumontUrl}/api/v1/jobs`, {
      redirect: 'manual',
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toMatch(/\/api\/v1\/jobs\/$/);
    const list = await s.d('GET', '/api/v1/jobs/');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ jobs: expect.any(Array), total: expect.any(Number) });
  });

  it('runs a command on a rented GPU, captures its output, and destroys the instance', async () => {
    const id = await submit({ name: 'dumont-e2e/jt/s053/job', command: 'nvidia-smi -L; echo done' });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'completed', gpu_type: 'RTX 3090', error_message: null });
    expect(job.total_cost).toBeGreaterThan(0);
    expect(job.gpu_hours).toBeGreaterThan(0);
    const logs = (await s.d('GET', `/api/v1/jobs/${id}/logs`)).body.logs as string;
    expect(logs).toMatch(/GPU 0: NVIDIA GeForce RTX 3090/);
    expect(instanceLive(job.instance_id)).toBe(false);
    expect((await s.d('POST', `/api/v1/jobs/${id}/cancel`)).status).toBe(400);
  });

  it('reports a failing command as failed with its error, and retries it on a fresh instance', async () => {
    const id = await submit({
      name: 'dumont-e2e/jt/s064/job',
      command: 'echo "attempt $DUMONT_JOB_ATTEMPT"; [ "$DUMONT_JOB_ATTEMPT" -ge 2 ] || { echo boom >&2; exit 3; }',
      max_retries: 2,
    });
    const job = await finished(id);
    expect(job.status).toBe('completed');
    expect(job.attempts.map((a: { status: string }) => a.status)).toEqual(['failed', 'completed']);
    expect(job.attempts[0].exit_code).toBe(3);
    expect(job.attempts[0].instance_id).not.toBe(job.attempts[1].instance_id);
    const logs = (await s.d('GET', `/api/v1/jobs/${id}/logs`)).body.logs as string;
    expect(logs).toMatch(/attempt 1[\s\S]*boom[\s\S]*attempt 2/);
    const failing = await submit({ name: 'dumont-e2e/jt/s063/job', command: 'echo bad >&2; exit 7' });
    const f = await finished(failing);
    expect(f.status).toBe('failed');
    expect(f.error_message).toMatch(/code 7/);
    expect(instanceLive(f.instance_id)).toBe(false);
  });

  it('stops a job at its timeout and bills only the time it ran', async () => {
    const id = await submit({ name: 'dumont-e2e/jt/s055/job', command: 'sleep 3', timeout: 1 });
    const job = await finished(id);
    expect(job.status).toBe('timeout');
    // The duration comes from two platform timestamps rounded apiece: a stop exactly at 60 s may read 59.99.
    expect(Math.round(job.duration)).toBeGreaterThanOrEqual(60);
    expect(job.duration).toBeLessThan(90);
  });

  it('shows logs while running and cancel kills the processes and destroys the instance', async () => {
    const id = await submit({
      name: 'dumont-e2e/jt/s058/job',
      command: 'for i in $(seq 1 1000); do echo tick $i; sleep 0.05; done',
    });
    await waitFor(async () => /tick 3/.test((await s.d('GET', `/api/v1/jobs/${id}/logs`)).body.logs), {
      timeoutMs: 20_000,
      what: 'live logs',
    });
    const inst = (await get(id)).instance_id as number;
    const res = await s.d('POST', `/api/v1/jobs/${id}/cancel`);
    expect(res.body.status).toBe('cancelled');
    expect(instanceLive(inst)).toBe(false);
    const after = (await s.d('GET', `/api/v1/jobs/${id}/logs`)).body.logs;
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.d('GET', `/api/v1/jobs/${id}/logs`)).body.logs).toBe(after);
  });

  it('uploads output paths to the bucket under the job name', async () => {
    const id = await submit({
      name: 'dumont-e2e/jt/s056/job',
      command: 'mkdir -p output/sub && printf hello > output/a.txt && printf world > output/sub/b.txt',
    });
    expect((await finished(id)).status).toBe('completed');
    const keys = (await bucket.list('dumont-e2e/jt/s056/job/')).map((o) => o.key).sort();
    expect(keys).toEqual(['dumont-e2e/jt/s056/job/output/a.txt', 'dumont-e2e/jt/s056/job/output/sub/b.txt']);
    expect((await bucket.get('dumont-e2e/jt/s056/job/output/sub/b.txt'))?.toString()).toBe('world');
  });

  it('installs pip packages from the offline index and fails for an unknown one', async () => {
    const id = await submit({
      name: 'dumont-e2e/jt/s060/job',
      pip_packages: ['dumont-e2e-probe==1.4.2'],
      command: 'python -c "import dumont_e2e_probe as p; print(p.__version__, p.fingerprint(\'x\'))"',
    });
    const job = await finished(id, 60_000);
    const logs = (await s.d('GET', `/api/v1/jobs/${id}/logs`)).body.logs as string;
    expect(job.status, logs).toBe('completed');
    expect(logs).toContain(`1.4.2 ${createHash('sha256').update('x').digest('hex')}`);
    const bad = await submit({
      name: 'dumont-e2e/jt/s060/bad',
      pip_packages: ['no-such-package-xyz'],
      command: 'true',
    });
    const b = await finished(bad, 60_000);
    expect(b.status).toBe('failed');
    expect(b.error_message).toMatch(/pip install failed/);
  }, 90_000);

  it('runs two ranks on two GPUs with torchrun, and bills spot at the bid', async () => {
    const id = await submit({
      name: 'dumont-e2e/jt/s061/job',
      num_gpus: 2,
      use_spot: true,
      command:
        'cat > t.py <<EOF\nimport os, sys, torch\nr = int(os.environ["LOCAL_RANK"])\nw = os.environ["WORLD_SIZE"]\nsys.stdout.write(f"rank {r} {w} {torch.cuda.get_device_name(r)}\\n")\nEOF\ntorchrun --nproc_per_node=2 t.py',
    });
    const job = await finished(id);
    const logs = (await s.d('GET', `/api/v1/jobs/${id}/logs`)).body.logs as string;
    expect(job.status, logs).toBe('completed');
    expect(logs).toMatch(/rank 0 2 NVIDIA GeForce RTX 3090/);
    expect(logs).toMatch(/rank 1 2 NVIDIA GeForce RTX 3090/);
    const inst = s.world.allInstances.find((i) => i.id === job.instance_id)!;
    expect(inst.isBid).toBe(true);
    expect(inst.dphTotal).toBe(inst.offer.min_bid);
    expect(inst.offer.num_gpus).toBe(2);
  });

  it('the job resource kind lists running jobs by name prefix and cleans one up by cancelling it', async () => {
    const deps = {
      dumont: createDumontClient({ baseUrl: s.sim.dumontUrl, ...USER }),
    } as unknown as ActivityDeps;
    const id = await submit({ name: 'dumont-e2e/jt/s099/job', command: 'sleep 60' });
    const found = await waitFor(
      async () =>
        (await jobKind.list(deps, 'dumont-e2e/jt/s099/', () => undefined)).find((r) => r.label.endsWith('job')),
      { timeoutMs: 10_000, what: 'the job listed' }
    );
    expect(found).toMatchObject({ kind: 'job', label: 'dumont-e2e/jt/s099/job' });
    await jobKind.destroy(deps, found, 1);
    expect((await get(id)).status).toBe('cancelled');
    expect(await jobKind.list(deps, 'dumont-e2e/jt/s099/', () => undefined)).toEqual([]);
    // A second cleanup of the finished job is done, not an error.
    await jobKind.destroy(deps, found, 2);
  });

  it('a spot interruption fails the run, which is retried on a fresh instance', async () => {
    const id = await submit({
      name: 'dumont-e2e/jt/s057/interrupted',
      use_spot: true,
      max_retries: 1,
      command: 'echo "run $DUMONT_JOB_ATTEMPT"; [ "$DUMONT_JOB_ATTEMPT" -ge 2 ] || sleep 60',
    });
    const running = await waitFor(async () => ((j) => (j.status === 'running' ? j : undefined))(await get(id)), {
      timeoutMs: 20_000,
      what: 'the first run',
    });
    const failed = await call(s.sim.dumontUrl, 'POST', `/_sim/instances/${running.instance_id}/host-failure`, {
      auth: 'serverless-test-key',
      body: { reason: 'spot instance outbid' },
    });
    expect(failed.status).toBe(200);
    const job = await finished(id);
    expect(job.status).toBe('completed');
    expect(job.attempts.map((a: { status: string }) => a.status)).toEqual(['failed', 'completed']);
    expect(instanceLive(running.instance_id)).toBe(false);
  });
});
