/**
 * The models feature over real HTTP: Dumont's /models routes deploy real model servers inside the rented instance,
 * reached at the endpoint_url Dumont returns; their answers, memory and failures are what the servers really do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPng, synthesizeSpeech, wordErrorRate, cosine } from '../../src/platform/dumont/model-media';
import { waitFor } from '../helpers/wait-for';
import { deploy, endpoint, settled, vramUsed } from './models-helpers';
import { SSH_KEY, startServerlessSim, type ServerlessSim } from './serverless-helpers';
import { sshExec } from './sim-client';

let s: ServerlessSim;
beforeAll(async () => {
  s = await startServerlessSim({ timeScale: 0.01, seed: 65 });
}, 60_000);
afterAll(async () => {
  await s?.sim.stop();
});

const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';

describe.concurrent('models feature', () => {
  it('lists templates with the hub models of each type, and validates deploy bodies', async () => {
    const t = await s.d('GET', '/api/v1/models/templates');
    expect(t.status).toBe(200);
    const types = t.body.templates.map((x: { type: string }) => x.type);
    expect(types).toEqual(['llm', 'speech', 'image', 'embeddings']);
    expect(t.body.templates[0].popular_models.map((m: { id: string }) => m.id)).toContain(LLAMA);
    expect((await s.d('POST', '/api/v1/models/deploy', {})).status).toBe(422);
    expect((await s.d('GET', '/api/v1/models/nope')).status).toBe(404);
  });

  it('deploys an LLM that answers arithmetic, reports usage, streams, enforces its key; delete destroys the GPU', async () => {
    const id = await deploy(s, { model_id: LLAMA, gpu_type: 'RTX 4090', label: 't/llm', name: 't/llm' });
    const row = await settled(s, id);
    expect(row).toMatchObject({
      status: 'running',
      progress: 100,
      model_type: 'llm',
      runtime: 'vllm',
      gpu_name: 'RTX 4090',
    });
    expect(row.api_key).toMatch(/^sk-/);
    const ask = { model: LLAMA, messages: [{ role: 'user', content: 'What is 17 + 25?' }] };
    const answer = await endpoint(row, 'POST', '/v1/chat/completions', ask);
    expect(answer.status).toBe(200);
    expect(answer.body.choices[0].message).toEqual({ role: 'assistant', content: '17 + 25 = 42' });
    expect(answer.body.usage.completion_tokens).toBe(5);
    expect(answer.body.usage.total_tokens).toBe(answer.body.usage.prompt_tokens + 5);
    expect((await endpoint(row, 'POST', '/v1/chat/completions', ask, true)).status).toBe(401);
    const echo = await endpoint(row, 'POST', '/v1/chat/completions', {
      messages: [
        { role: 'system', content: 'Answer in upper case.' },
        { role: 'user', content: 'Repeat after me: hello there' },
      ],
    });
    expect(echo.body.choices[0].message.content).toBe('HELLO THERE');
    const stream = await endpoint(row, 'POST', '/v1/chat/completions', {
      ...ask,
      stream: true,
      stream_options: { include_usage: true },
    });
    const events = stream.text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(
      (await endpoint(row, 'POST', '/v1/chat/completions', { model: 'other/model', messages: ask.messages })).status
    ).toBe(404);
    expect((await endpoint(row, 'POST', '/v1/chat/completions', { model: LLAMA })).status).toBe(400);
    expect((await endpoint(row, 'GET', '/v1/models')).body.data[0].id).toBe(LLAMA);
    expect((await s.d('GET', `/api/v1/models/${id}/health`)).body).toMatchObject({ healthy: true, status: 'running' });
    expect((await s.d('GET', `/api/v1/models/${id}`)).body.requests_total).toBeGreaterThanOrEqual(5);
    expect((await s.d('GET', `/api/v1/models/${id}/logs`)).body.logs).toContain('Application startup complete');
    expect((await s.d('DELETE', `/api/v1/models/${id}`)).status).toBe(204);
    expect(s.world.instances.has(row.instance_id)).toBe(false);
    expect((await s.d('GET', `/api/v1/models/${id}`)).status).toBe(404);
  });

  it('shows VRAM in nvidia-smi: INT4 clearly below FP16 of the same model', async () => {
    const [fp16, int4] = await Promise.all([
      deploy(s, { model_id: 'meta-llama/Llama-3.1-8B-Instruct', gpu_type: 'RTX 3090', label: 't/fp16' }),
      deploy(s, {
        model_id: 'hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4',
        gpu_type: 'RTX 3090',
        label: 't/int4',
      }),
    ]);
    const [a, b] = await Promise.all([settled(s, fp16), settled(s, int4)]);
    expect([a.status, b.status]).toEqual(['running', 'running']);
    const [memFp16, memInt4] = await Promise.all([vramUsed(s, a.instance_id), vramUsed(s, b.instance_id)]);
    expect(memFp16).toBeGreaterThan(15_000);
    expect(memInt4).toBeLessThan(memFp16 / 2);
    await Promise.all([s.d('DELETE', `/api/v1/models/${fp16}`), s.d('DELETE', `/api/v1/models/${int4}`)]);
  });

  it('serves concurrent requests faster with vLLM than with plain transformers; Whisper large takes more VRAM than base', async () => {
    const qwen = { model_id: 'Qwen/Qwen2.5-0.5B-Instruct', gpu_type: 'RTX 4090' };
    const [v, t, base, large] = await Promise.all([
      deploy(s, { ...qwen, runtime: 'vllm', label: 't/vllm' }),
      deploy(s, { ...qwen, runtime: 'transformers', label: 't/transformers' }),
      deploy(s, { model_id: 'openai/whisper-base', gpu_type: 'RTX 3090', label: 't/base' }),
      deploy(s, { model_id: 'openai/whisper-large-v3', gpu_type: 'RTX 3090', label: 't/large' }),
    ]);
    const rows = await Promise.all([v, t, base, large].map((id) => settled(s, id)));
    expect(rows.map((r) => r.status)).toEqual(['running', 'running', 'running', 'running']);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const timed = async (row: any) => {
      const started = Date.now();
      await Promise.all(
        [1, 2, 3, 4].map((i) =>
          endpoint(row, 'POST', '/v1/chat/completions', {
            max_tokens: 60,
            messages: [{ role: 'user', content: `story ${i}` }],
          })
        )
      );
      return Date.now() - started;
    };
    const [fast, slow] = [await timed(rows[0]), await timed(rows[1])];
    expect(slow).toBeGreaterThan(fast * 2.5);
    const [vBase, vLarge] = await Promise.all([vramUsed(s, rows[2].instance_id), vramUsed(s, rows[3].instance_id)]);
    expect(vLarge).toBeGreaterThan(vBase + 2_500);
    await Promise.all([v, t, base, large].map((id) => s.d('DELETE', `/api/v1/models/${id}`)));
  });

  it('fails an unknown hub id as the hub does, and a model too large for the GPU as CUDA does', async () => {
    const [unknown, huge] = await Promise.all([
      deploy(s, { model_id: 'nobody/no-such-model', model_type: 'llm', gpu_type: 'RTX 3080', label: 't/unknown' }),
      deploy(s, { model_id: 'meta-llama/Llama-3.1-70B-Instruct', gpu_type: 'RTX 3080', label: 't/huge' }),
    ]);
    const [u, h] = await Promise.all([settled(s, unknown), settled(s, huge)]);
    expect(u.status).toBe('error');
    expect(u.status_message).toMatch(
      /Repository Not Found for url: https:\/\/huggingface.co\/api\/models\/nobody\/no-such-model/
    );
    expect(h.status).toBe('error');
    expect(h.status_message).toMatch(/CUDA out of memory/);
    await Promise.all([s.d('DELETE', `/api/v1/models/${unknown}`), s.d('DELETE', `/api/v1/models/${huge}`)]);
  });

  it('transcribes tone-coded speech, generates PNGs, embeds texts by meaning', async () => {
    const [w, img, emb] = await Promise.all([
      deploy(s, { model_id: 'openai/whisper-base', gpu_type: 'RTX 3080', access_type: 'public', label: 't/whisper' }),
      deploy(s, { model_id: 'stabilityai/stable-diffusion-2-1', gpu_type: 'RTX 4090', label: 't/sd' }),
      deploy(s, { model_id: 'sentence-transformers/all-MiniLM-L6-v2', gpu_type: 'RTX 3080', label: 't/emb' }),
    ]);
    const [wr, ir, er] = await Promise.all([settled(s, w), settled(s, img), settled(s, emb)]);
    expect([wr.model_type, ir.model_type, er.model_type]).toEqual(['speech', 'image', 'embeddings']);
    const said = 'seven green bridges cross the quiet river';
    const res = await fetch(`${wr.endpoint_url}/transcribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio: synthesizeSpeech(said).toString('base64') }),
    });
    const heard = (await res.json()) as { text: string };
    expect(wordErrorRate(said, heard.text)).toBe(0);
    const gen = (prompt: string, seed: number) =>
      endpoint(ir, 'POST', '/generate', { prompt, width: 320, height: 192, seed, num_inference_steps: 5 });
    const [p1, p2, p3] = await Promise.all([gen('a red fox', 7), gen('a red fox', 7), gen('a blue whale', 7)]);
    const png = inspectPng(Buffer.from(p1.body.image, 'base64'));
    expect(png).toMatchObject({ valid: true, width: 320, height: 192 });
    expect(png.distinctColours).toBeGreaterThan(50);
    expect(p2.body.image).toBe(p1.body.image);
    expect(p3.body.image).not.toBe(p1.body.image);
    const texts = ['The cat sat on the mat', 'A cat is sitting on a mat', 'Stock markets fell sharply today'];
    const e = await endpoint(er, 'POST', '/v1/embeddings', { input: texts });
    const v = e.body.data.map((d: { embedding: number[] }) => d.embedding);
    expect(v[0]).toHaveLength(384);
    expect(cosine(v[0], v[1])).toBeGreaterThan(cosine(v[0], v[2]) + 0.2);
    await Promise.all([w, img, emb].map((id) => s.d('DELETE', `/api/v1/models/${id}`)));
  });

  it('scales to three replicas behind one endpoint, spreads requests, and health follows the servers', async () => {
    const id = await deploy(s, { model_id: 'Qwen/Qwen2.5-0.5B-Instruct', gpu_type: 'RTX 4090', label: 't/scale' });
    const row = await settled(s, id);
    const scaled = await s.d('POST', `/api/v1/models/${id}/scale`, { replicas: 3 });
    expect(scaled.status).toBe(200);
    await waitFor(async () => (await s.d('GET', `/api/v1/models/${id}`)).body.replicas_ready === 3, {
      timeoutMs: 30_000,
      what: '3 replicas ready',
    });
    const served = new Map<string, number>();
    for (let i = 0; i < 9; i++) {
      const r = await endpoint(row, 'POST', '/v1/chat/completions', {
        messages: [{ role: 'user', content: `${i} + 1` }],
      });
      served.set(r.body.system_fingerprint, (served.get(r.body.system_fingerprint) ?? 0) + 1);
    }
    expect([...served.values()]).toEqual([3, 3, 3]);
    const inst = (await s.d('GET', `/api/v1/instances/${row.instance_id}`)).body;
    await sshExec(
      inst.ssh_port,
      SSH_KEY.privateKey,
      'for f in ~/.model-server/replica-*.pid; do kill -9 "$(cat "$f")"; done'
    );
    await waitFor(async () => (await s.d('GET', `/api/v1/models/${id}/health`)).body.healthy === false, {
      timeoutMs: 10_000,
      what: 'unhealthy',
    });
    await s.d('DELETE', `/api/v1/models/${id}`);
  });
});
