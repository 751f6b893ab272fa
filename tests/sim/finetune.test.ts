/**
 * The fine-tuning feature over real HTTP: validated multipart dataset uploads, a job that rents an instance and runs a
 * real training process there (its dataset, its loss curve, its step count), checkpoints and the adapter read back
 * from the bucket with the real S3 client, two ranks on two GPUs going faster, cancel releasing the GPU, export with a
 * manifest of checksums, and resume from a checkpoint.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStoreClient, type ObjectStoreClient } from '../../src/platform/object-store';
import { waitFor } from '../helpers/wait-for';
import { startServerlessSim, type ServerlessSim } from './serverless-helpers';

let s: ServerlessSim;
let bucket: ObjectStoreClient;
const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');
const DATASET = Array.from({ length: 24 }, (_, i) =>
  JSON.stringify({ instruction: `Say ${i}`, input: '', output: `${i}` })
).join('\n');

async function upload(name: string, body: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([body]), name);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  const res = await fetch(`${s.sim.dumontUrl}/api/v1/finetune/jobs/upload-dataset`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function startJob(label: string, over: Record<string, unknown> = {}) {
  const up = await upload('train.jsonl', DATASET);
  expect(up.status).toBe(200);
  const res = await s.d('POST', '/api/v1/finetune/jobs', {
    name: label,
    base_model: 'unsloth/llama-3-8b-bnb-4bit',
    dataset_source: 'upload',
    dataset_path: up.body.dataset_path,
    dataset_format: 'alpaca',
    gpu_type: 'RTX_4090',
    num_gpus: 1,
    output_prefix: label,
    config: { max_steps: 100, save_steps: 50 },
    ...over,
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

const job = async (id: string) => (await s.d('GET', `/api/v1/finetune/jobs/${id}`)).body;
const until = (id: string, statuses: string[]) =>
  waitFor(async () => ((j) => (statuses.includes(j.status) ? j : undefined))(await job(id)), {
    timeoutMs: 30_000,
    intervalMs: 20,
    what: `job ${id} ${statuses.join('|')}`,
  });
const liveInstances = (label: string) =>
  [...s.world.instances.values()].filter((i) => i.label === label && i.destroyedAt === null);

beforeAll(async () => {
  s = await startServerlessSim({ seed: 77, timeScale: 0.01 });
  const o = s.sim.objectStore;
  bucket = createObjectStoreClient({ endpoint: o.url, ...o });
}, 60_000);
afterAll(async () => {
  await s?.sim.stop();
});

describe('finetune', () => {
  it('validates uploads, naming the line and the field', async () => {
    expect((await upload('ok.jsonl', DATASET)).status).toBe(200);
    const broken = await upload(
      'bad.jsonl',
      `${DATASET.split('\n')[0]}\n${DATASET.split('\n')[1]}\n{"instruction": oops}\n`
    );
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ line: 3 });
    const missing = await upload('miss.jsonl', `${DATASET.split('\n')[0]}\n{"instruction":"x"}\n`);
    expect(missing.body).toMatchObject({ line: 2, field: 'output' });
    expect((await upload('x.csv', 'a,b')).status).toBe(400);
  });

  it('trains the uploaded dataset to the steps asked, syncs checkpoints and the adapter, and releases the GPU', async () => {
    const label = 'dumont-e2e/fttest/s077/train';
    const id = await startJob(label);
    const done = await until(id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', current_step: 100, total_steps: 100, checkpoint_sync_count: 2 });
    const logs = (await s.d('GET', `/api/v1/finetune/jobs/${id}/logs?tail=1000`)).body.logs as string;
    expect(logs).toContain(`sha256 ${sha(DATASET)}`);
    const losses = [...logs.matchAll(/^step \d+\/\d+ loss ([\d.]+)/gm)].map((m) => Number(m[1]));
    expect(losses.length).toBeGreaterThan(10);
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.7);
    expect(losses.at(-1)).toBe(done.loss);
    const keys = (await bucket.list(`${label}/`)).map((o) => o.key);
    expect(keys).toContain(`${label}/checkpoints/checkpoint-50/adapter_model.safetensors`);
    expect(keys).toContain(`${label}/checkpoints/checkpoint-100/trainer_state.json`);
    expect(keys).toContain(`${label}/output/adapter_model.safetensors`);
    const cps = (await s.d('GET', `/api/v1/finetune/jobs/${id}/checkpoints`)).body.checkpoints;
    expect(cps.map((c: { step: number }) => c.step)).toEqual([50, 100]);
    const body = await bucket.get(cps[0].files[0].key);
    expect(sha(body!)).toBe(cps[0].files[0].sha256);
    expect(liveInstances(label)).toEqual([]);
    // Export: every file of the manifest in the bucket with its checksum.
    const ex = await s.d('POST', `/api/v1/finetune/jobs/${id}/export`, {});
    expect(ex.status).toBe(200);
    const manifest = JSON.parse((await bucket.get(ex.body.manifest_key))!.toString());
    expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
    for (const f of manifest.files) {
      const got = await bucket.get(`${ex.body.export_prefix}/${f.name}`);
      expect([got!.length, sha(got!)]).toEqual([f.size, f.sha256]);
    }
    expect((await s.d('DELETE', `/api/v1/finetune/jobs/${id}`)).status).toBe(200);
  }, 60_000);

  it('trains on two ranks, faster, when given two GPUs', async () => {
    const rate = async (label: string, n: number) => {
      const j = await until(await startJob(label, { num_gpus: n, config: { max_steps: 150, save_steps: 1000 } }), [
        'completed',
        'failed',
      ]);
      expect(j.status).toBe('completed');
      const logs = (await s.d('GET', `/api/v1/finetune/jobs/${j.id}/logs?tail=1000`)).body.logs as string;
      return { sps: 150 / ((Date.parse(j.completed_at) - Date.parse(j.started_at)) / 1000), logs };
    };
    const one = await rate('dumont-e2e/fttest/s083/one', 1);
    const two = await rate('dumont-e2e/fttest/s083/two', 2);
    expect(two.logs).toContain('[rank 1/2] step 150/150');
    expect(one.logs).not.toContain('[rank 1/');
    expect(two.sps / one.sps).toBeGreaterThan(1.5);
  }, 60_000);

  it('cancel stops the training and destroys the instance; resume continues from the checkpoint', async () => {
    const label = 'dumont-e2e/fttest/s084/first';
    const id = await startJob(label, { config: { max_steps: 400, save_steps: 50 } });
    await waitFor(async () => (await job(id)).checkpoint_sync_count >= 1, { timeoutMs: 30_000, intervalMs: 20 });
    expect((await s.d('POST', `/api/v1/finetune/jobs/${id}/cancel`)).status).toBe(200);
    const stopped = await job(id);
    expect(stopped.status).toBe('cancelled');
    expect(liveInstances(label)).toEqual([]);
    await s.sleep(20);
    expect((await job(id)).current_step).toBe(stopped.current_step);
    const cps = (await s.d('GET', `/api/v1/finetune/jobs/${id}/checkpoints`)).body.checkpoints;
    const last = cps.at(-1);
    const resumed = await startJob('dumont-e2e/fttest/s084/resumed', {
      config: { max_steps: 400, save_steps: 50 },
      resume_from_job_id: id,
    });
    const done = await until(resumed, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', current_step: 400, resumed_from_step: last.step });
    const logs = (await s.d('GET', `/api/v1/finetune/jobs/${resumed}/logs?tail=1000`)).body.logs as string;
    const first = logs.match(/^step (\d+)\/\d+ loss ([\d.]+)/m)!;
    expect(Number(first[1])).toBe(last.step + 1);
    expect(Math.abs(Number(first[2]) - last.loss)).toBeLessThan(0.2);
  }, 60_000);
});
