import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim';
import { isAlive, newKeyPair, rent, sshExec, vast, waitForInstance } from './sim-client';
import { waitFor } from '../helpers/wait-for';

const API_KEY = 'ollama-test-key';
const key = newKeyPair();
let sim: RunningSim;
let v: ReturnType<typeof vast>;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, timeScale: 0.002, seed: 27 });
  v = vast(sim, API_KEY);
  await v('POST', '/api/v0/ssh/', { ssh_key: key.publicKey });
});
afterAll(async () => {
  await sim?.stop();
});

const running = async (id: number): Promise<number> =>
  (await waitForInstance(sim, API_KEY, id, (r) => r.actual_status === 'running' && r.ssh_port !== null)).ssh_port;

/** One instance as a test drives it: its SSH port (which changes on resume) and its OLLAMA_HOST. */
class Box {
  port = 0;
  host = '';
  constructor(readonly id: number) {}
  ssh(command: string) {
    return sshExec(this.port, key.privateKey, command);
  }
  async boot(): Promise<void> {
    this.port = await running(this.id);
    this.host = (await this.ssh('echo $OLLAMA_HOST')).stdout.trim();
  }
  /** Starts `ollama serve` in the background as a user would; resolves with its pid once it answers. */
  async serve(): Promise<number> {
    const pid = Number((await this.ssh('nohup ollama serve > ollama.log 2>&1 & echo $!')).stdout.trim());
    await waitFor(async () => (await this.api('GET', '/api/version').catch(() => null))?.status === 200, {
      what: 'ollama serve to answer',
    });
    return pid;
  }
  /** Ollama's HTTP API on the instance's loopback port, from this test process. */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; text: string }> {
    const response = await fetch(`http://${this.host}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ndjson = (text: string): any[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('Ollama inside instances', () => {
  let a: Box;
  let b: Box;
  beforeAll(async () => {
    a = new Box((await rent(sim, API_KEY, { gpu_name: { eq: 'RTX 4090' }, num_gpus: { eq: 1 } })).id);
    b = new Box((await rent(sim, API_KEY, { gpu_name: { eq: 'RTX 3090' }, num_gpus: { eq: 1 } })).id);
    await Promise.all([a.boot(), b.boot()]);
  });

  it('has OLLAMA_HOST on a port of its own and a client that needs the server', async () => {
    expect(a.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(b.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(a.host).not.toBe(b.host);
    expect(a.host).not.toBe('127.0.0.1:11434');
    expect((await a.ssh('command -v ollama')).stdout).toMatch(/\/bin\/ollama\n$/);
    const version = await a.ssh('ollama --version');
    expect(version.stdout).toBe(
      'Warning: could not connect to a running Ollama instance\nWarning: client version is 0.5.7\n'
    );
    const list = await a.ssh('ollama list');
    expect(list.code).toBe(1);
    expect(list.stderr).toBe('Error: could not connect to ollama app, is it running?\n');
  });

  it('serves, pulls, lists and runs over the CLI, with the HTTP API shapes of Ollama', async () => {
    await a.serve();
    expect((await a.ssh('ollama -v')).stdout).toBe('ollama version is 0.5.7\n');
    expect(await a.api('GET', '/')).toMatchObject({ status: 200, text: 'Ollama is running' });
    expect(JSON.parse((await a.api('GET', '/api/version')).text)).toEqual({ version: '0.5.7' });
    expect(JSON.parse((await a.api('GET', '/api/tags')).text)).toEqual({ models: [] });

    const pull = await a.ssh('ollama pull tinyllama');
    expect(pull.code).toBe(0);
    expect(pull.stderr).toMatch(/^pulling manifest\npulling [0-9a-f]{12}\.\.\. 100% 3\.1 MB\n/);
    expect(pull.stderr).toMatch(/verifying sha256 digest\nwriting manifest\nsuccess\n$/);
    const list = await a.ssh('ollama list');
    expect(list.stdout).toMatch(/^NAME {16}ID {14}SIZE {6}MODIFIED\ntinyllama:latest {4}[0-9a-f]{12} {4}3\.1 MB {4}/);
    expect((await a.ssh('du -sk .ollama/models/blobs | cut -f1')).stdout.trim()).toMatch(/^3\d{3}$/);

    const run = await a.ssh('ollama run tinyllama "Why is the sky blue?" </dev/null');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^This is tinyllama:latest answering prompt [0-9a-f]{12} .*\n\n$/);
    expect((await a.ssh('ollama run tinyllama:latest "Why is the sky blue?" </dev/null')).stdout).toBe(run.stdout);
    expect((await a.ssh('ollama run tinyllama "Why is the sea blue?" </dev/null')).stdout).not.toBe(run.stdout);
    const missing = await a.ssh('ollama pull no-such-model');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error: pull model manifest: file does not exist');

    // /api/pull streams NDJSON progress.
    const streamed = await a.api('POST', '/api/pull', { model: 'qwen2.5:0.5b' });
    expect(streamed.type).toContain('application/x-ndjson');
    const progress = ndjson(streamed.text);
    expect(progress[0]).toEqual({ status: 'pulling manifest' });
    expect(progress.at(-1)).toEqual({ status: 'success' });
    expect(progress).toContainEqual(
      expect.objectContaining({ digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), total: 2 * 1024 * 1024 })
    );
    expect(progress.map((p) => p.status)).toEqual(
      expect.arrayContaining(['verifying sha256 digest', 'writing manifest'])
    );
    const unknown = ndjson((await a.api('POST', '/api/pull', { model: 'nope' })).text);
    expect(unknown.at(-1)).toEqual({ error: 'pull model manifest: file does not exist' });

    // /api/tags
    const tags = JSON.parse((await a.api('GET', '/api/tags')).text);
    expect(tags.models.map((m: { name: string }) => m.name)).toEqual(['qwen2.5:0.5b', 'tinyllama:latest']);
    expect(tags.models[1]).toEqual({
      name: 'tinyllama:latest',
      model: 'tinyllama:latest',
      modified_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      size: expect.any(Number),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: '1.1B',
        quantization_level: 'Q4_0',
      },
    });

    // /api/generate, whole and streamed, and for a model not pulled.
    const whole = await a.api('POST', '/api/generate', {
      model: 'tinyllama',
      prompt: 'Why is the sky blue?',
      stream: false,
    });
    expect(whole.status).toBe(200);
    const answer = JSON.parse(whole.text);
    expect(answer).toMatchObject({
      model: 'tinyllama:latest',
      done: true,
      done_reason: 'stop',
      response: run.stdout.trim(),
    });
    for (const field of ['total_duration', 'load_duration', 'eval_count', 'prompt_eval_count', 'eval_duration']) {
      expect(answer[field]).toBeGreaterThan(0);
    }
    expect(Date.parse(answer.created_at)).not.toBeNaN();
    const stream = await a.api('POST', '/api/generate', { model: 'tinyllama', prompt: 'Why is the sky blue?' });
    expect(stream.type).toContain('application/x-ndjson');
    const chunks = ndjson(stream.text);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.slice(0, -1).every((c) => c.done === false && c.model === 'tinyllama:latest')).toBe(true);
    expect(chunks.map((c) => c.response).join('')).toBe(answer.response);
    expect(chunks.at(-1)).toMatchObject({ done: true, eval_count: chunks.length - 1 });
    const notPulled = await a.api('POST', '/api/generate', { model: 'llama3.2:1b', prompt: 'hi', stream: false });
    expect(notPulled.status).toBe(404);
    expect(JSON.parse(notPulled.text)).toEqual({ error: "model 'llama3.2:1b' not found, try pulling it first" });
    const chat = await a.api('POST', '/api/chat', {
      model: 'qwen2.5:0.5b',
      messages: [{ role: 'user', content: 'hello' }],
      stream: false,
    });
    expect(JSON.parse(chat.text)).toMatchObject({ message: { role: 'assistant' }, done: true });
  });

  it('keeps pulled models across pause and resume: no second pull, a slower first load', async () => {
    const pulls = (await a.ssh('wc -l < .ollama/pull.log')).stdout.trim();
    expect(pulls).toBe('2');
    // As on a real machine, the server shows as `ollama serve`.
    const server = Number((await a.ssh('pgrep -fx "ollama serve"')).stdout.trim());
    expect(isAlive(server)).toBe(true);
    await v('PUT', `/api/v0/instances/${a.id}/`, { state: 'stopped' });
    await waitFor(() => !isAlive(server), { what: 'pause to kill ollama serve' });
    await waitForInstance(sim, API_KEY, a.id, (r) => r.actual_status === 'stopped');
    await v('PUT', `/api/v0/instances/${a.id}/`, { state: 'running' });
    await a.boot();
    expect((await a.ssh('ollama list')).code).toBe(1);
    await a.serve();
    expect((await a.ssh('ollama list')).stdout).toContain('tinyllama:latest');

    const generate = async () =>
      JSON.parse((await a.api('POST', '/api/generate', { model: 'tinyllama', prompt: 'again', stream: false })).text);
    const first = await generate();
    const second = await generate();
    expect(first.load_duration).toBeGreaterThan(250e6);
    expect(second.load_duration).toBeLessThan(first.load_duration / 5);
    expect(second.response).toBe(first.response);
    const run = await a.ssh('ollama run tinyllama "after resume" </dev/null');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect((await a.ssh('wc -l < .ollama/pull.log')).stdout.trim()).toBe(pulls);
  });

  it('runs on two instances at once, each with its own server and models; run pulls what is missing', async () => {
    await b.serve();
    expect(JSON.parse((await b.api('GET', '/api/tags')).text)).toEqual({ models: [] });
    const run = await b.ssh('ollama run llama3.2:1b "hello from b" </dev/null');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^pulling manifest\n[\s\S]*success\n$/);
    expect(run.stdout).toMatch(/^This is llama3\.2:1b answering prompt [0-9a-f]{12} /);
    expect((await b.ssh('wc -l < .ollama/pull.log')).stdout.trim()).toBe('1');
    const bModels = JSON.parse((await b.api('GET', '/api/tags')).text).models.map((m: { name: string }) => m.name);
    const aModels = JSON.parse((await a.api('GET', '/api/tags')).text).models.map((m: { name: string }) => m.name);
    expect(bModels).toEqual(['llama3.2:1b']);
    expect(aModels).toEqual(['qwen2.5:0.5b', 'tinyllama:latest']);
    // The same port twice on one instance is refused as the real server refuses it.
    const again = await b.ssh('ollama serve');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('bind: address already in use');
  });
});
