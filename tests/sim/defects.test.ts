/**
 * Every defect is observable at the wire level (and, where it matters, the same steps without it
 * behave): these are the platform bugs the lifecycle scenarios s1–s15 must catch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/catalog';
import { DEFECT_NAMES, DEFECTS, startSimulator, type RunningSim } from '../../src/sim';
import { call, dumont, isAlive, newKeyPair, sshExec, vast, waitForInstance } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'defects-test-key';
const USER = { email: 'defects@example.com', password: 'defects-pass' };
const key = newKeyPair();
let sim: RunningSim;
let v: ReturnType<typeof vast>;
let d: ReturnType<typeof dumont>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 31, users: [USER] });
  v = vast(sim, API_KEY);
  d = dumont(sim, (await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER })).body.token);
  await v('POST', '/api/v0/ssh/', { ssh_key: key.publicKey });
});
afterEach(async () => {
  sim.setDefects([]);
  // Cleanup goes through the VAST face, which no defect may break.
  for (const inst of sim.state().instances)
    expect((await v('DELETE', `/api/v0/instances/${inst.id}/`)).status).toBe(200);
  for (const vol of sim.state().volumes) expect((await v('DELETE', `/api/v0/volumes/?id=${vol.id}`)).status).toBe(200);
});
afterAll(async () => {
  await sim?.stop();
});

/** Creates through Dumont on the cheapest offer of `query` and waits for SSH. */
async function createRunning(query: string, body: Record<string, unknown> = {}) {
  const [offer] = (await call(sim.dumontUrl, 'GET', `/api/v1/instances/offers?${query}`)).body.offers;
  const created = await d('POST', '/api/v1/instances', { offer_id: offer.id, skip_standby: true, ...body });
  expect(created.status).toBe(201);
  const row = await waitForInstance(
    sim,
    API_KEY,
    created.body.id,
    (r) => r.actual_status === 'running' && r.ssh_port !== null
  );
  return { id: created.body.id as number, offer, port: row.ssh_port as number, created: created.body };
}
const dumontRow = async (id: number) => (await d('GET', `/api/v1/instances/${id}`)).body;
const waitActual = (id: number, status: string) =>
  waitFor(async () => (await dumontRow(id)).actual_status === status, { what: `actual_status ${status}` });
const platformSecondsPass = (seconds: number) => {
  const until = sim.state().now + seconds;
  return waitFor(() => sim.state().now >= until, { what: `${seconds} platform s`, timeoutMs: 10_000 });
};
async function pauseResume(id: number): Promise<void> {
  expect((await d('POST', `/api/v1/instances/${id}/pause`)).body.success).toBe(true);
  await waitActual(id, 'stopped');
  expect((await d('POST', `/api/v1/instances/${id}/resume`)).body.success).toBe(true);
}

describe('defect table', () => {
  it('every implemented scenario has a defect, every defect names a catalogued scenario, unknown names are rejected', () => {
    const withDefects = new Set<number>(DEFECT_NAMES.map((name) => DEFECTS[name].scenario));
    const implemented = SCENARIOS.filter((sc) => sc.workflowType).map((sc) => sc.id);
    expect(implemented.filter((id) => !withDefects.has(id))).toEqual([]);
    expect([...withDefects].filter((id) => !SCENARIOS.some((sc) => sc.id === id))).toEqual([]);
    expect(() => sim.setDefects(['pause-ignored', 'no-such-defect'])).toThrow(/no-such-defect/);
  });
});

describe('instance defects', () => {
  it('gpu-model-mismatch (s1): the machine reports another model than the row', async () => {
    sim.setDefects(['gpu-model-mismatch']);
    const { id, port } = await createRunning('gpu_name=RTX%204090&num_gpus=1');
    expect((await dumontRow(id)).gpu_name).toBe('RTX 4090');
    expect((await sshExec(port, key.privateKey, 'nvidia-smi --query-gpu=name --format=csv,noheader')).stdout).toBe(
      'NVIDIA GeForce RTX 3090\n'
    );
    expect(
      (await sshExec(port, key.privateKey, 'python -c "import torch; print(torch.cuda.get_device_name(0))"')).stdout
    ).toBe('NVIDIA GeForce RTX 3090\n');
  });

  it('multi-gpu-partial (s4): a 2-GPU instance exposes one GPU', async () => {
    sim.setDefects(['multi-gpu-partial']);
    const { id, port } = await createRunning('gpu_name=RTX%203090&num_gpus=2');
    expect((await dumontRow(id)).num_gpus).toBe(2);
    expect((await sshExec(port, key.privateKey, 'nvidia-smi -L')).stdout.trim().split('\n')).toHaveLength(1);
    expect(
      (await sshExec(port, key.privateKey, 'python -c "import torch; print(torch.cuda.device_count())"')).stdout
    ).toBe('1\n');
  });

  it('resume-loses-disk (s7): files written before pause are gone after resume', async () => {
    sim.setDefects(['resume-loses-disk']);
    const { id, port } = await createRunning('num_gpus=1');
    await sshExec(port, key.privateKey, 'echo keep > keep.txt');
    await pauseResume(id);
    const { ssh_port: newPort } = await waitForInstance(
      sim,
      API_KEY,
      id,
      (r) => r.actual_status === 'running' && r.ssh_port
    );
    expect((await sshExec(newPort, key.privateKey, 'test -f keep.txt && echo present || echo missing')).stdout).toBe(
      'missing\n'
    );
  });

  it('cold-start-stuck-after-long-pause (s8): a resume after >120 s paused stays in scheduling', async () => {
    sim.setDefects(['cold-start-stuck-after-long-pause']);
    const { id } = await createRunning('num_gpus=1');
    await d('POST', `/api/v1/instances/${id}/pause`);
    await waitActual(id, 'stopped');
    await platformSecondsPass(125);
    await d('POST', `/api/v1/instances/${id}/resume`);
    await platformSecondsPass(300);
    expect(await dumontRow(id)).toMatchObject({ status: 'running', actual_status: 'scheduling' });
  });

  it('resume-fails-on-third-cycle (s9): the third resume ends in exited', async () => {
    sim.setDefects(['resume-fails-on-third-cycle']);
    const { id } = await createRunning('num_gpus=1');
    for (let cycle = 1; cycle <= 2; cycle++) {
      await pauseResume(id);
      await waitActual(id, 'running');
    }
    await pauseResume(id);
    await waitActual(id, 'exited');
    await platformSecondsPass(60);
    expect(await dumontRow(id)).toMatchObject({ status: 'running', actual_status: 'exited', ssh_port: null });
  });

  it('pause-keeps-processes (s10): processes started over SSH survive the pause', async () => {
    sim.setDefects(['pause-keeps-processes']);
    const { id, port } = await createRunning('num_gpus=1');
    const started = await sshExec(
      port,
      key.privateKey,
      'nohup bash -c "while true; do echo tick >> ticks.log; sleep 0.02; done" >/dev/null 2>&1 & echo $!'
    );
    const pid = Number(started.stdout.trim());
    await d('POST', `/api/v1/instances/${id}/pause`);
    await waitActual(id, 'stopped');
    expect(isAlive(pid)).toBe(true);
    const ticks = path.join(sim.state().instances.find((i) => i.id === id)?.dir ?? '', 'workspace', 'ticks.log');
    const size = fs.statSync(ticks).size;
    await waitFor(() => fs.statSync(ticks).size > size, { what: 'the process to keep writing while paused' });
    await v('DELETE', `/api/v0/instances/${id}/`);
    await waitFor(() => !isAlive(pid), { what: 'destroy to kill it anyway' });
  });

  it('storage-billed-after-destroy (s13): destroy leaves a billed volume until DELETE /api/v0/volumes/', async () => {
    sim.setDefects(['storage-billed-after-destroy']);
    const { id } = await createRunning('num_gpus=1', { label: 'defects/s13', disk_size: 50 });
    expect((await d('DELETE', `/api/v1/instances/${id}`)).status).toBe(200);
    const [volume] = (await v('GET', '/api/v0/volumes?owner=me')).body.volumes;
    expect(volume).toMatchObject({ name: `V.${volume.id}`, label: 'defects/s13', disk_space: 50 });
    const volumeCharge = async () =>
      (await v('GET', '/api/v0/charges/')).body.results.find(
        (r: { source: string }) => r.source === `volume-${volume.id}`
      );
    const first = await volumeCharge();
    expect(first).toMatchObject({ type: 'volume', metadata: { label: 'defects/s13' } });
    await waitFor(async () => (await volumeCharge()).amount > first.amount, { what: 'storage billing to grow' });
    expect((await v('DELETE', '/api/v0/volumes/', { id: volume.id })).status).toBe(200);
    expect((await v('GET', '/api/v0/volumes')).body.volumes).toEqual([]);
    const final = (await volumeCharge()).amount;
    await platformSecondsPass(30);
    expect((await volumeCharge()).amount).toBe(final);
  });

  it('offer-not-released (s14): a destroyed instance keeps its offer off the market', async () => {
    sim.setDefects(['offer-not-released']);
    const { id, offer } = await createRunning('gpu_name=RTX%203080&num_gpus=1');
    await d('DELETE', `/api/v1/instances/${id}`);
    const offers = (await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers?gpu_name=RTX%203080')).body.offers;
    expect(offers.map((o: { id: number }) => o.id)).not.toContain(offer.id);
    const again = await d('POST', '/api/v1/instances', { offer_id: offer.id });
    expect(again.status).toBe(500);
    expect(again.body.error).toMatch(/indisponível/);
  });
});

describe('Dumont face defects', () => {
  it('offers-not-sorted-by-price (s2): the first offer is not the cheapest', async () => {
    sim.setDefects(['offers-not-sorted-by-price']);
    const offers = (await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers?gpu_name=RTX%203080')).body.offers;
    const prices = offers.map((o: { dph_total: number }) => o.dph_total);
    expect(prices[0]).toBeGreaterThan(Math.min(...prices));
    const limited = (await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers?gpu_name=RTX%203080&limit=1')).body
      .offers;
    expect(limited[0].dph_total).toBeGreaterThan(Math.min(...prices));
  });

  it('custom-image-ignored (s3): the requested image is replaced by the base image, so no torch', async () => {
    sim.setDefects(['custom-image-ignored']);
    const image = 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime';
    // Dumont's InstanceResponse has no image field (dumont-api.md §2): VAST's row says what runs.
    const { id, port } = await createRunning('num_gpus=1', { image });
    expect((await v('GET', `/api/v0/instances/${id}/`)).body.instances.image_uuid).toBe('vastai/base-image:latest');
    expect((await sshExec(port, key.privateKey, 'python -c "import torch"')).code).not.toBe(0);
  });

  it('region-filter-ignored (s5): region=EU returns offers outside Europe', async () => {
    const eu = /, (DE|FR|NL|SE|PL|FI|ES)$/;
    const honest = (await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers?region=EU')).body.offers;
    expect(honest.every((o: { geolocation: string }) => eu.test(o.geolocation))).toBe(true);
    sim.setDefects(['region-filter-ignored']);
    const offers = (await call(sim.dumontUrl, 'GET', '/api/v1/instances/offers?region=EU')).body.offers;
    expect(offers.some((o: { geolocation: string }) => !eu.test(o.geolocation))).toBe(true);
  });

  it('pause-ignored (s6): pause answers success but the instance keeps running and billing', async () => {
    sim.setDefects(['pause-ignored']);
    const { id } = await createRunning('num_gpus=1');
    const gpu = () => sim.state().billing.perInstance.find((r) => r.id === id)?.gpuSeconds ?? 0;
    expect((await d('POST', `/api/v1/instances/${id}/pause`)).body).toEqual({
      success: true,
      message: expect.any(String),
    });
    const before = gpu();
    await platformSecondsPass(20);
    expect(await dumontRow(id)).toMatchObject({ status: 'running', actual_status: 'running' });
    expect(gpu()).toBeGreaterThan(before);
  });

  it('destroy-running-ignored (s11): DELETE of a running instance answers success and does nothing', async () => {
    sim.setDefects(['destroy-running-ignored']);
    const { id } = await createRunning('num_gpus=1');
    expect((await d('DELETE', `/api/v1/instances/${id}`)).body).toEqual({ success: true, message: expect.any(String) });
    expect((await d('GET', `/api/v1/instances/${id}`)).status).toBe(200);
    const listed = (await v('GET', '/api/v1/instances/')).body.instances.map((r: { id: number }) => r.id);
    expect(listed).toContain(id);
  });

  it('destroy-paused-ignored (s12): DELETE of a stopped instance does nothing; a running one is destroyed', async () => {
    sim.setDefects(['destroy-paused-ignored']);
    const paused = await createRunning('num_gpus=1');
    await d('POST', `/api/v1/instances/${paused.id}/pause`);
    await waitActual(paused.id, 'stopped');
    expect((await d('DELETE', `/api/v1/instances/${paused.id}`)).status).toBe(200);
    expect((await d('GET', `/api/v1/instances/${paused.id}`)).status).toBe(200);
    const running = await createRunning('num_gpus=1');
    expect((await d('DELETE', `/api/v1/instances/${running.id}`)).status).toBe(200);
    expect((await d('GET', `/api/v1/instances/${running.id}`)).status).toBe(404);
  });

  it('concurrent-destroy-dropped (s15): parallel DELETEs all answer success, but only one takes effect', async () => {
    sim.setDefects(['concurrent-destroy-dropped']);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createRunning('num_gpus=1')).id);
    const replies = await Promise.all(ids.map((id) => d('DELETE', `/api/v1/instances/${id}`)));
    expect(replies.every((r) => r.status === 200 && r.body.success === true)).toBe(true);
    const left = sim.state().instances.map((i) => i.id);
    expect(ids.filter((id) => left.includes(id)).length).toBeGreaterThanOrEqual(2);
  });
});
