/**
 * Each models defect at the wire level: what a client of Dumont's /models routes and of the endpoint sees under it
 * (tests/sim/models.test.ts shows the same calls behaving without it). Each defect is scoped to its own label prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPng, synthesizeSpeech, wordErrorRate, cosine } from '../../src/platform/dumont/model-media';
import type { DefectName } from '../../src/sim/defect-registry';
import { waitFor } from '../helpers/wait-for';
import { deploy, endpoint, settled, vramUsed } from './models-helpers';
import { SSH_KEY, startServerlessSim, type ServerlessSim } from './serverless-helpers';
import { sshExec } from './sim-client';

let s: ServerlessSim;
beforeAll(async () => {
  s = await startServerlessSim({ timeScale: 0.01, seed: 76 });
}, 60_000);
afterAll(async () => {
  await s?.sim.stop();
});

/** Deploys `body` under a label in the scope of `defect` (switched on for that scope only); returns the settled row. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function underDefect(defect: DefectName, body: Record<string, unknown>): Promise<any> {
  const label = `defect/${defect}/model`;
  s.sim.addDefects([{ name: defect, labelPrefix: `defect/${defect}/` }]);
  const id = await deploy(s, { ...body, label, name: label });
  return settled(s, id);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const transcribe = async (row: any, text: string): Promise<string> => {
  const r = await endpoint(row, 'POST', '/transcribe', { audio: synthesizeSpeech(text).toString('base64') });
  return r.body.text as string;
};

describe.concurrent('models defects', () => {
  it('model-running-before-healthy: running is reported while the model still downloads', async () => {
    const label = 'defect/model-running-before-healthy/model';
    s.sim.addDefects([{ name: 'model-running-before-healthy', labelPrefix: 'defect/model-running-before-healthy/' }]);
    const id = await deploy(s, { model_id: 'meta-llama/Llama-3.2-1B-Instruct', gpu_type: 'RTX 4090', label });
    const row = await waitFor(
      async () => {
        const r = (await s.d('GET', `/api/v1/models/${id}`)).body;
        return r.status === 'running' && r.endpoint_url ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 5, what: 'running' }
    );
    const health = await endpoint(row, 'GET', '/health').catch(() => ({ status: 0 }));
    expect(health.status).not.toBe(200);
  });

  it('quantization-ignored: the INT4 checkpoint takes FP16 memory', async () => {
    const row = await underDefect('quantization-ignored', {
      model_id: 'hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4',
      gpu_type: 'RTX 3090',
    });
    expect(await vramUsed(s, row.instance_id)).toBeGreaterThan(15_000);
  });

  it('vllm-runtime-replaced: plain transformers serves under a vLLM deployment', async () => {
    const row = await underDefect('vllm-runtime-replaced', {
      model_id: 'Qwen/Qwen2.5-0.5B-Instruct',
      gpu_type: 'RTX 4090',
    });
    expect(row.runtime).toBe('vllm');
    expect((await endpoint(row, 'GET', '/v1/models')).body.data[0].owned_by).toBe('transformers');
  });

  it('chat-usage-missing: completions come without usage', async () => {
    const row = await underDefect('chat-usage-missing', {
      model_id: 'Qwen/Qwen2.5-0.5B-Instruct',
      gpu_type: 'RTX 3080',
    });
    const r = await endpoint(row, 'POST', '/v1/chat/completions', { messages: [{ role: 'user', content: '1 + 1' }] });
    expect(r.body.choices[0].message.content).toBe('1 + 1 = 2');
    expect(r.body.usage).toBeUndefined();
  });

  it('model-api-key-not-enforced: a private deployment answers without its key', async () => {
    const row = await underDefect('model-api-key-not-enforced', {
      model_id: 'Qwen/Qwen2.5-0.5B-Instruct',
      gpu_type: 'RTX 3080',
    });
    expect(row.api_key).toMatch(/^sk-/);
    const r = await endpoint(
      row,
      'POST',
      '/v1/chat/completions',
      { messages: [{ role: 'user', content: '1 + 1' }] },
      true
    );
    expect(r.status).toBe(200);
  });

  it('transcription-truncated and transcription-stale: the last words are lost; answers lag one audio behind', async () => {
    const [cut, stale] = await Promise.all([
      underDefect('transcription-truncated', { model_id: 'openai/whisper-base', gpu_type: 'RTX 3080' }),
      underDefect('transcription-stale', { model_id: 'openai/whisper-base', gpu_type: 'RTX 3080' }),
    ]);
    const said = 'the quick brown fox jumps over the lazy dog';
    expect(wordErrorRate(said, await transcribe(cut, said))).toBeGreaterThan(0.3);
    const heard: string[] = [];
    for (const text of ['one', 'two', 'three', 'four', 'five']) heard.push(await transcribe(stale, text));
    expect(heard).toEqual(['one', 'two', 'three', 'three', 'four']);
  });

  it('whisper-large-downgraded: a large request loads base-sized weights', async () => {
    const row = await underDefect('whisper-large-downgraded', {
      model_id: 'openai/whisper-large-v3',
      gpu_type: 'RTX 3090',
    });
    expect(await vramUsed(s, row.instance_id)).toBeLessThan(2_000);
  });

  it('image-wrong-size and embeddings-random', async () => {
    const [img, emb] = await Promise.all([
      underDefect('image-wrong-size', { model_id: 'stabilityai/stable-diffusion-2-1', gpu_type: 'RTX 4090' }),
      underDefect('embeddings-random', { model_id: 'sentence-transformers/all-MiniLM-L6-v2', gpu_type: 'RTX 3080' }),
    ]);
    const r = await endpoint(img, 'POST', '/generate', {
      prompt: 'x',
      width: 320,
      height: 192,
      seed: 1,
      num_inference_steps: 2,
    });
    expect(r.body.width).toBe(320);
    expect(inspectPng(Buffer.from(r.body.image, 'base64'))).toMatchObject({ valid: true, width: 512, height: 512 });
    const e = await endpoint(emb, 'POST', '/v1/embeddings', {
      input: ['the cat sat on the mat', 'a cat sat on a mat'],
    });
    const [a, b] = e.body.data.map((d: { embedding: number[] }) => d.embedding);
    expect(cosine(a, b)).toBeLessThan(0.4);
  });

  it('hf-model-id-ignored: the default template model is served instead', async () => {
    const row = await underDefect('hf-model-id-ignored', {
      model_id: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
      gpu_type: 'RTX 3090',
    });
    expect(row.model_id).toBe('TinyLlama/TinyLlama-1.1B-Chat-v1.0');
    expect((await endpoint(row, 'GET', '/v1/models')).body.data[0].id).toBe('meta-llama/Llama-3.2-1B-Instruct');
  });

  it('replicas-not-balanced and model-health-always-ok', async () => {
    const [scaled, health] = await Promise.all([
      underDefect('replicas-not-balanced', { model_id: 'Qwen/Qwen2.5-0.5B-Instruct', gpu_type: 'RTX 4090' }),
      underDefect('model-health-always-ok', { model_id: 'Qwen/Qwen2.5-0.5B-Instruct', gpu_type: 'RTX 3080' }),
    ]);
    expect((await s.d('POST', `/api/v1/models/${scaled.id}/scale`, { replicas: 3 })).status).toBe(200);
    await waitFor(async () => (await s.d('GET', `/api/v1/models/${scaled.id}`)).body.replicas_ready === 3, {
      timeoutMs: 30_000,
      what: '3 replicas',
    });
    const who = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await endpoint(scaled, 'POST', '/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }] });
      who.add(r.headers.get('x-served-by') ?? '');
    }
    expect([...who]).toEqual(['replica-0']);
    const inst = (await s.d('GET', `/api/v1/instances/${health.instance_id}`)).body;
    await sshExec(inst.ssh_port, SSH_KEY.privateKey, 'kill -9 "$(cat ~/.model-server/replica-0.pid)"');
    await waitFor(async () => (await endpoint(health, 'GET', '/health')).status === 503, {
      timeoutMs: 10_000,
      what: 'down',
    });
    expect((await s.d('GET', `/api/v1/models/${health.id}/health`)).body.healthy).toBe(true);
  });
});
