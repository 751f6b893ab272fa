/**
 * How a deployment runs: it rents an instance (the cheapest offer of the GPU asked for, waiting for one while none is
 * free), and once the instance boots starts inside it, as real processes of the instance, one `model-server serve` per
 * replica and a `model-server balance` on the endpoint port; then it watches the replicas' /health until the model
 * answers (`running`), fails (`error`, with the server's own last words: a hub 404, CUDA out of memory) or never gets
 * there. The defects of `./defects.ts` change what is launched.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createInstance } from '../../instances/instance-create';
import { destroyInstance } from '../../instances/instance-control';
import { instanceEnv } from '../../instances/instance-exec';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import { MODEL_SERVER_SCRIPT } from '../../instances/model-server';
import { allocateOllamaPort } from '../../instances/ollama-port';
import type { SimWorld } from '../../world';
import type { Deployment, ModelsState, Replica } from './model-store';
import { RUNTIMES } from './model-store';
import { defaultModelOf } from './templates';

/** Platform seconds: how often the feature looks at a deployment, and how long it waits for things. */
export const MODEL_TIMINGS = {
  /** Dumont polls /health every 10 s; the simulator looks twice as often while starting. */
  poll: 5,
  pollRunning: 10,
  /** Waiting for a free offer of the GPU asked for. */
  offerRetry: 10,
  offerWait: 900,
  /** A deployment whose model never answers within this is failed (Dumont: 300 s, then running anyway). */
  healthWait: 3600,
  /** The real server polls /health for 300 s, then marks the deployment running whatever it saw. */
  asIsHealthWait: 300,
} as const;

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[_\s-]+/g, ' ')
    .trim();

/** Rents the cheapest matching offer, or retries later; the deployment fails when none came within the wait. */
export function rentFor(world: SimWorld, state: ModelsState, dep: Deployment, since: number): void {
  if (dep.closing) return;
  const offers = world
    .availableOffers()
    .filter((o) => (dep.gpuType ? norm(o.gpu_name) === norm(dep.gpuType) : true))
    .filter((o) => o.num_gpus === dep.numGpus && o.dph_total <= dep.maxPrice)
    .sort((a, b) => a.dph_total - b.dph_total);
  for (const offer of offers) {
    const inst = createInstance(world, {
      offerId: offer.id,
      image: RUNTIMES[dep.runtime].image,
      disk: 50,
      label: dep.label,
      env: [],
      onstart: null,
      runtype: 'ssh',
      via: 'dumont',
    });
    if (inst === 'no_such_ask') continue;
    dep.instanceId = inst.id;
    dep.gpuName = offer.gpu_name;
    dep.dphTotal = inst.dphTotal;
    dep.status = 'deploying';
    dep.progress = 10;
    dep.statusMessage = `Instance ${inst.id} (${offer.num_gpus}x ${offer.gpu_name}) rented; starting`;
    world.log(`models: deployment ${dep.id} rented instance ${inst.id}`);
    return;
  }
  const waited = world.clock.platformNow() - since;
  if (waited >= MODEL_TIMINGS.offerWait) {
    fail(
      world,
      dep,
      `No GPU offers available for ${dep.numGpus}x ${dep.gpuType ?? 'any GPU'} under $${dep.maxPrice}/h`
    );
    return;
  }
  dep.statusMessage = `Waiting for a ${dep.gpuType ?? 'GPU'} offer`;
  dep.timer = world.clock.after(MODEL_TIMINGS.offerRetry, () => rentFor(world, state, dep, since));
}

function fail(world: SimWorld, dep: Deployment, message: string): void {
  dep.status = 'error';
  dep.statusMessage = message;
  world.log(`models: deployment ${dep.id} failed: ${message}`);
}

/** Writes the instance's `bin/model-server` (a wrapper running the script with this machine's node). */
function writeTool(world: SimWorld, inst: SimInstance): void {
  const paths = instancePaths(world.dataDir, inst.id);
  const script = path.join(paths.tools, 'model-server.cjs');
  fs.mkdirSync(paths.tools, { recursive: true });
  fs.writeFileSync(script, MODEL_SERVER_SCRIPT);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const argv = [process.execPath, script, path.join(paths.var, 'gpu-mem')].map(q).join(' ');
  fs.writeFileSync(path.join(paths.bin, 'model-server'), `#!/bin/sh\nexec ${argv} "$@"\n`, { mode: 0o755 });
}

function lastLine(file: string): string {
  try {
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const error = [...lines].reverse().find((l) => /ERROR: /.test(l));
    return (error ?? lines[lines.length - 1] ?? '').replace(/^\S+Z /, '').replace(/^ERROR: /, '');
  } catch {
    return '';
  }
}

/** Spawns `command` (a `model-server` invocation) as a process of the instance, its output in `log`. */
function spawnIn(world: SimWorld, inst: SimInstance, command: string, log: string) {
  const groups = world.groups.get(inst.id);
  if (!groups) return null;
  const paths = instancePaths(world.dataDir, inst.id);
  const child = groups.spawn(`exec ${command} >> '${log}' 2>&1`, {
    cwd: paths.workspace,
    env: instanceEnv(world, inst, {}),
  });
  child.stdin.end();
  child.stdout.resume();
  child.stderr.resume();
  child.on('error', () => undefined);
  return child;
}

/** The `serve` arguments of one replica, with what the active defects change. */
function serveCommand(world: SimWorld, dep: Deployment, port: number, index: number): string {
  let model = dep.modelId;
  let served = dep.modelId;
  let runtime = dep.runtime;
  const flags: string[] = [];
  const defects: string[] = [];
  const has = (name: Parameters<SimWorld['has']>[0]) => world.has(name, dep.label);
  if (dep.modelId === 'openai/whisper-large-v3' && has('whisper-large-downgraded')) model = 'openai/whisper-base';
  if (has('hf-model-id-ignored')) {
    model = defaultModelOf(dep.modelType);
    served = model;
  }
  if (runtime === 'vllm' && has('vllm-runtime-replaced')) runtime = 'transformers';
  if (has('quantization-ignored')) flags.push('--dtype', 'float16');
  if (has('chat-usage-missing')) defects.push('no-usage');
  if (has('transcription-truncated')) defects.push('truncate-audio');
  if (has('transcription-stale')) defects.push('stale-transcript');
  if (has('image-wrong-size')) defects.push('wrong-size');
  if (has('embeddings-random')) defects.push('random-embeddings');
  if (defects.length) flags.push('--sim-defects', defects.join(','));
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    'model-server serve --runtime',
    runtime,
    '--model',
    q(model),
    '--served-model-name',
    q(served),
    '--port',
    String(port),
    '--replica',
    String(index),
    ...flags,
  ].join(' ');
}

function writeBackends(dep: Deployment): void {
  if (!dep.dir) return;
  const file = path.join(dep.dir, 'backends.json');
  const backends = dep.replicaList.map((r) => ({ replica: r.index, port: r.port }));
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ backends }));
  fs.renameSync(`${file}.tmp`, file);
}

/** Starts replica `index` of `dep` on `inst`. */
async function startReplica(world: SimWorld, dep: Deployment, inst: SimInstance, index: number): Promise<void> {
  const port = await allocateOllamaPort();
  const replica: Replica = { index, port, child: null, ready: false, exitMessage: null };
  dep.replicaList.push(replica);
  writeBackends(dep);
  const log = path.join(dep.dir!, `replica-${index}.log`);
  const child = spawnIn(world, inst, serveCommand(world, dep, port, index), log);
  replica.child = child;
  if (!child) return;
  if (child.pid !== undefined) fs.writeFileSync(path.join(dep.dir!, `replica-${index}.pid`), `${child.pid}\n`);
  child.on('exit', (code, signal) => {
    replica.ready = false;
    replica.child = null;
    if (dep.closing) return;
    replica.exitMessage = lastLine(log) || `exited with ${signal ?? code}`;
    world.log(`models: deployment ${dep.id} replica ${index} exited (${signal ?? code}): ${replica.exitMessage}`);
  });
}

/** Launches the deployment's processes on its booted instance, then watches them. */
export async function launch(world: SimWorld, dep: Deployment, inst: SimInstance): Promise<void> {
  const paths = instancePaths(world.dataDir, inst.id);
  dep.dir = path.join(paths.workspace, '.model-server');
  fs.mkdirSync(dep.dir, { recursive: true });
  writeTool(world, inst);
  dep.replicaList = [];
  dep.endpointPort ??= await allocateOllamaPort();
  for (let i = 0; i < dep.replicas; i++) await startReplica(world, dep, inst, i);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const balance = [
    'model-server balance --port',
    String(dep.endpointPort),
    '--backends-file',
    q(path.join(dep.dir, 'backends.json')),
    '--stats-file',
    q(path.join(dep.dir, 'stats.json')),
    // The real server generates a key but starts its runtime without `--api-key`: nothing enforces it.
    ...(dep.accessType === 'private' &&
    dep.apiKey &&
    world.profile !== 'dumont-as-is' &&
    !world.has('model-api-key-not-enforced', dep.label)
      ? ['--api-key', q(dep.apiKey)]
      : []),
    ...(world.has('replicas-not-balanced', dep.label) ? ['--sticky'] : []),
  ].join(' ');
  dep.balancer = spawnIn(world, inst, balance, path.join(dep.dir, 'balancer.log'));
  if (dep.balancer?.pid !== undefined) fs.writeFileSync(path.join(dep.dir, 'balancer.pid'), `${dep.balancer.pid}\n`);
  dep.status = 'downloading';
  dep.progress = 20;
  dep.statusMessage = `Downloading ${dep.modelId}`;
  dep.healthDeadline =
    world.clock.platformNow() +
    (world.profile === 'dumont-as-is' ? MODEL_TIMINGS.asIsHealthWait : MODEL_TIMINGS.healthWait);
  if (world.has('model-running-before-healthy', dep.label)) markRunning(world, dep);
  watch(world, dep);
}

/** Adds or removes replicas on the running instance (the scale extension). */
export async function scaleTo(world: SimWorld, dep: Deployment, replicas: number): Promise<void> {
  const inst = dep.instanceId !== null ? world.instances.get(dep.instanceId) : undefined;
  dep.replicas = replicas;
  if (!inst || !dep.dir) return;
  while (dep.replicaList.length > replicas) {
    const gone = dep.replicaList.pop()!;
    writeBackends(dep);
    gone.child?.removeAllListeners('exit');
    gone.child?.kill('SIGTERM');
  }
  for (let i = dep.replicaList.length; i < replicas; i++) await startReplica(world, dep, inst, i);
}

function markRunning(world: SimWorld, dep: Deployment): void {
  dep.status = 'running';
  dep.progress = 100;
  dep.statusMessage = `Model ${dep.modelId} is running`;
  dep.startedAt = world.clock.platformNow();
}

/** One replica's /health: 200 → ready; otherwise the phase it reports (downloading, loading), or null. */
function probe(port: number): Promise<{ ready: boolean; phase: string | null; progress: number }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 2000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: { status?: string; progress?: number } = {};
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          // not JSON: no phase
        }
        resolve({ ready: res.statusCode === 200, phase: body.status ?? null, progress: body.progress ?? 0 });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ready: false, phase: null, progress: 0 }));
  });
}

/** Looks at the replicas now and then: moves the status on, fails the deployment when every replica died. */
function watch(world: SimWorld, dep: Deployment): void {
  const tick = async (): Promise<void> => {
    dep.timer = null;
    if (dep.closing || dep.status === 'stopped' || dep.status === 'error') return;
    const looks = await Promise.all(dep.replicaList.map((r) => probe(r.port)));
    if (dep.closing || (dep.status as string) === 'stopped' || (dep.status as string) === 'error') return;
    looks.forEach((l, i) => (dep.replicaList[i] ? (dep.replicaList[i].ready = l.ready) : undefined));
    const ready = looks.some((l) => l.ready);
    if (ready && dep.status !== 'running') markRunning(world, dep);
    if (!ready && dep.status !== 'running') {
      const dead = dep.replicaList.filter((r) => r.exitMessage !== null);
      if (dep.replicaList.length > 0 && dead.length === dep.replicaList.length) {
        fail(world, dep, dead[0].exitMessage!);
        return;
      }
      if (dep.healthDeadline !== null && world.clock.platformNow() > dep.healthDeadline) {
        // The real server stops polling after 300 s and marks the deployment running anyway.
        if (world.profile === 'dumont-as-is') markRunning(world, dep);
        else {
          fail(world, dep, `Model server did not become healthy within ${MODEL_TIMINGS.healthWait} s`);
          return;
        }
      }
      const phase = looks.find((l) => l.phase)?.phase;
      const progress = looks.find((l) => l.phase)?.progress ?? 0;
      if (phase === 'loading') {
        dep.status = 'starting';
        dep.progress = 80;
        dep.statusMessage = `Loading ${dep.modelId} into GPU memory`;
      } else if (phase === 'downloading') {
        dep.progress = 20 + progress * 0.5;
      }
    }
    dep.timer = world.clock.after(dep.status === 'running' ? MODEL_TIMINGS.pollRunning : MODEL_TIMINGS.poll, () => {
      void tick();
    });
  };
  dep.timer = world.clock.after(MODEL_TIMINGS.poll, () => {
    void tick();
  });
}

/** Stops everything the deployment runs; destroys its instance unless `keepInstance`. */
export function teardown(world: SimWorld, dep: Deployment, keepInstance = false): void {
  dep.closing = true;
  if (dep.timer) world.clock.cancel(dep.timer);
  dep.timer = null;
  for (const r of dep.replicaList) r.ready = false;
  const inst = dep.instanceId !== null ? world.instances.get(dep.instanceId) : undefined;
  if (inst && !keepInstance) destroyInstance(world, inst);
}
