/**
 * What a job does on the platform (`reference/dumont-api.md` §7): rent an instance (spot at the bid price when
 * asked), wait for it, install the pip packages from the local index, run the command as real processes inside it
 * with its output captured live, enforce the timeout, upload the output paths to the user's bucket under the job's
 * name, destroy the instance, and retry a failed run on a fresh instance up to `max_retries` times. The defects
 * (`./defects.ts`) act here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Offer } from '../../core/offer';
import { createInstance } from '../../instances/instance-create';
import { destroyInstance } from '../../instances/instance-control';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import { BASE_IMAGE } from '../../instances/timings';
import type { SimWorld } from '../../world';
import { FINISHED, type JobAttempt, type JobRecord, type JobsState, type JobStatus } from './job-store';
import { startPackageIndex } from './package-index';

/** Platform seconds a job waits for its instance to answer SSH (Dumont waits 600 s; image pulls here take longer). */
const READY_WAIT_SECONDS = 900;
/** The log lines kept under the job-logs-truncated defect. */
const TRUNCATED_LINES = 20;

/** A `torchrun`-like launcher: starts `--nproc_per_node` ranks of a Python script, each with its rank's env. */
const TORCHRUN = `#!/bin/bash
n=1; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nproc_per_node=*|--nproc-per-node=*) n="\${1#*=}" ;;
    --nproc_per_node|--nproc-per-node) n="$2"; shift ;;
    --standalone|--nnodes=*) ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ "$n" = gpu ] || [ "$n" = auto ]; then n=$(nvidia-smi -L | wc -l); fi
pids=()
for ((r = 0; r < n; r++)); do
  RANK=$r LOCAL_RANK=$r WORLD_SIZE=$n LOCAL_WORLD_SIZE=$n MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 python "\${args[@]}" &
  pids+=($!)
done
rc=0
for p in "\${pids[@]}"; do wait "$p" || rc=$?; done
exit $rc
`;

const asIs = (world: SimWorld): boolean => world.profile === 'dumont-as-is';

/** The offer a job rents: the requested GPU model and count, cheapest at the price it will pay. */
export function pickOffer(world: SimWorld, job: JobRecord): Offer | undefined {
  const label = job.spec.name;
  const count = world.has('job-num-gpus-ignored', label) ? 1 : job.spec.numGpus;
  const spot = job.spec.useSpot && !world.has('spot-flag-ignored', label);
  const price = (o: Offer): number => (spot ? o.min_bid : o.dph_total);
  return world
    .availableOffers()
    .filter((o) => o.gpu_name === job.spec.gpuType && o.num_gpus === count)
    .sort((a, b) => price(a) - price(b))[0];
}

function waitReady(world: SimWorld, inst: SimInstance, job: JobRecord): Promise<boolean> {
  const deadline = world.clock.platformNow() + READY_WAIT_SECONDS;
  return new Promise((resolve) => {
    const look = (): void => {
      if (job.cancelRequested || inst.destroyedAt !== null || inst.actual === 'exited') return resolve(false);
      if (inst.actual === 'running' && inst.sshPort !== null) return resolve(true);
      if (world.clock.platformNow() >= deadline) return resolve(false);
      world.clock.after(1, look);
    };
    look();
  });
}

/** The environment of a job's processes: the instance's, nothing of the simulator's own, plus the job's. */
function jobEnv(world: SimWorld, inst: SimInstance, job: JobRecord, attempt: number): Record<string, string> {
  const p = instancePaths(world.dataDir, inst.id);
  const count = inst.reportedGpus?.count ?? inst.offer.num_gpus;
  return {
    HOME: p.workspace,
    PWD: p.workspace,
    PATH: `${p.bin}:/usr/local/bin:/usr/bin:/bin`,
    USER: 'root',
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    VAST_CONTAINERLABEL: `C.${inst.id}`,
    CONTAINER_ID: String(inst.id),
    NVIDIA_VISIBLE_DEVICES: 'all',
    CUDA_VISIBLE_DEVICES: Array.from({ length: count }, (_, i) => i).join(','),
    PYTHONPATH: [p.pythonLib, path.join(p.root, 'lib', 'pip')].join(':'),
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    DUMONT_JOB_ID: job.id,
    DUMONT_JOB_NAME: job.spec.name,
    // Extension: which run of the job this is (1, then 2… on retries).
    DUMONT_JOB_ATTEMPT: String(attempt),
  };
}

/** Runs `command` in the instance's process groups; its output goes to the job's logs. Resolves with the exit. */
function spawnInto(
  world: SimWorld,
  inst: SimInstance,
  job: JobRecord,
  command: string,
  env: Record<string, string>
): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } | undefined {
  const groups = world.groups.get(inst.id);
  if (!groups) return undefined;
  const child = groups.spawn(command, { cwd: instancePaths(world.dataDir, inst.id).workspace, env });
  child.stdin.end();
  const append = (chunk: Buffer): void => {
    job.logs += chunk.toString('utf8');
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', () => resolve({ code: 127, signal: null }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, exit };
}

/** Kills the process group of a job's running command. */
export function killJob(job: JobRecord): void {
  const pid = job.child?.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: already gone.
  }
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Installs the job's pip packages from the local index into the instance (`lib/pip`, on the job's PYTHONPATH). */
async function installPackages(
  world: SimWorld,
  state: JobsState,
  inst: SimInstance,
  job: JobRecord,
  env: Record<string, string>
): Promise<boolean> {
  if (job.spec.pipPackages.length === 0 || world.has('pip-packages-ignored', job.spec.name)) return true;
  state.index ??= startPackageIndex();
  const index = await state.index;
  const target = path.join(instancePaths(world.dataDir, inst.id).root, 'lib', 'pip');
  const cmd =
    `python -m pip install --disable-pip-version-check --no-cache-dir --no-input --quiet ` +
    `--index-url ${index.url} --target ${shellQuote(target)} ${job.spec.pipPackages.map(shellQuote).join(' ')}`;
  job.logs += `$ pip install ${job.spec.pipPackages.join(' ')}\n`;
  const run = spawnInto(world, inst, job, cmd, env);
  if (!run) return false;
  job.child = run.child;
  const { code } = await run.exit;
  job.child = null;
  return code === 0;
}

/** Uploads the files under the job's output paths to the bucket, under `<job name>/<path below /workspace>`. */
function uploadOutputs(world: SimWorld, inst: SimInstance, job: JobRecord): void {
  const ws = instancePaths(world.dataDir, inst.id).workspace;
  const prefix = job.spec.name.replace(/\/+$/, '');
  for (const platformPath of job.spec.outputPaths) {
    const norm = path.posix.normalize(platformPath).replace(/\/+$/, '');
    if (norm !== '/workspace' && !norm.startsWith('/workspace/')) continue;
    const local = path.join(ws, norm.slice('/workspace'.length));
    const walk = (dir: string): string[] => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return [];
      }
      return entries.flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? walk(full) : e.isFile() ? [full] : [];
      });
    };
    const files = fs.existsSync(local) && fs.statSync(local).isFile() ? [local] : walk(local);
    // Dumont only checks that the paths exist (`_collect_outputs` is a TODO): nothing reaches the bucket.
    if (asIs(world) || world.has('job-output-not-uploaded', job.spec.name)) continue;
    for (const file of files) {
      const key = `${prefix}/${path.relative(ws, file).split(path.sep).join('/')}`;
      world.objectStore.put(key, fs.readFileSync(file), 'application/octet-stream');
      if (!job.outputKeys.includes(key)) job.outputKeys.push(key);
    }
  }
}

function finish(world: SimWorld, job: JobRecord, status: JobStatus, error: string | null, at?: number | null): void {
  job.status = status;
  job.errorMessage = error;
  job.completedAt = at ?? world.clock.platformNow();
  job.child = null;
  if (world.has('job-output-empty', job.spec.name)) job.logs = '';
  world.log(`job ${job.id} ${status}${error ? `: ${error}` : ''}`);
}

/** Whether the instance stays after a run that ended with `status` (the leak defects). */
function keepsInstance(world: SimWorld, job: JobRecord, status: JobStatus): boolean {
  const label = job.spec.name;
  if (status === 'completed') return world.has('job-instance-not-destroyed', label);
  if (status === 'failed') return world.has('failed-job-leaks-instance', label);
  return false;
}

/** One run of the job on a fresh instance; the status it ended with, or null when cancelled. */
async function runAttempt(
  world: SimWorld,
  state: JobsState,
  job: JobRecord,
  attempt: JobAttempt
): Promise<{ status: JobStatus; error: string | null } | null> {
  const offer = pickOffer(world, job);
  if (!offer) return { status: 'failed', error: `No offers available for ${job.spec.numGpus}x ${job.spec.gpuType}` };
  const spot = job.spec.useSpot && !world.has('spot-flag-ignored', job.spec.name);
  const created = createInstance(world, {
    offerId: offer.id,
    image: world.has('job-runs-without-gpu', job.spec.name) ? BASE_IMAGE : job.spec.image,
    disk: job.spec.diskSize,
    label: job.spec.name,
    env: [],
    onstart: null,
    runtype: 'ssh',
    ...(spot ? { price: offer.min_bid } : {}),
    via: 'dumont',
  });
  if (created === 'no_such_ask') return { status: 'failed', error: `Offer ${offer.id} unavailable` };
  const inst = created;
  job.instanceId = inst.id;
  attempt.instanceId = inst.id;
  if (!(await waitReady(world, inst, job))) {
    if (job.cancelRequested) return null;
    destroyInstance(world, inst);
    return { status: 'failed', error: `Instance ${inst.id} did not become ready` };
  }
  job.sshPort = inst.sshPort;
  const env = jobEnv(world, inst, job, attempt.attempt);
  fs.writeFileSync(path.join(instancePaths(world.dataDir, inst.id).bin, 'torchrun'), TORCHRUN, { mode: 0o755 });
  let outcome: { status: JobStatus; error: string | null };
  if (!(await installPackages(world, state, inst, job, env))) {
    outcome = { status: 'failed', error: `pip install failed for ${job.spec.pipPackages.join(', ')}` };
  } else {
    const setup = job.spec.setupScript ? `${job.spec.setupScript}\n` : '';
    const run = job.cancelRequested ? undefined : spawnInto(world, inst, job, `${setup}${job.spec.command}`, env);
    if (!run) return null;
    job.child = run.child;
    job.status = 'running';
    attempt.status = 'running';
    attempt.startedAt = world.clock.platformNow();
    job.startedAt ??= attempt.startedAt;
    // The platform time the timeout stopped the job: the job ends then, however long the kill takes to be seen.
    let timedOutAt: number | null = null;
    const timer = world.has('job-timeout-not-enforced', job.spec.name)
      ? undefined
      : world.clock.after(job.spec.timeoutSeconds, () => {
          timedOutAt = world.clock.platformNow();
          killJob(job);
        });
    const { code, signal } = await run.exit;
    if (timer) world.clock.cancel(timer);
    // A cancel already billed the run and ended the attempt.
    if (job.cancelRequested) return null;
    attempt.completedAt = timedOutAt ?? world.clock.platformNow();
    attempt.exitCode = code;
    const seconds = attempt.completedAt - attempt.startedAt;
    job.totalCost += (inst.dphTotal * seconds) / 3600;
    job.gpuHours += (inst.offer.num_gpus * seconds) / 3600;
    job.child = null;
    if (job.interruption !== null)
      outcome = { status: 'failed', error: `Instance ${inst.id} interrupted: ${job.interruption}` };
    else if (timedOutAt !== null)
      outcome = { status: 'timeout', error: `Job exceeded its timeout of ${job.spec.timeoutSeconds} s` };
    else if (code === 0) outcome = { status: 'completed', error: null };
    else {
      const last = job.logs.trimEnd().split('\n').pop() ?? '';
      outcome = { status: 'failed', error: `Command exited with ${signal ?? `code ${code}`}: ${last.slice(0, 300)}` };
    }
  }
  uploadOutputs(world, inst, job);
  if (!keepsInstance(world, job, outcome.status)) destroyInstance(world, inst);
  return outcome;
}

/** Runs a job to its end (detached from the request that submitted it). */
export async function runJob(world: SimWorld, state: JobsState, job: JobRecord): Promise<void> {
  const retries = asIs(world) || world.has('job-retries-ignored', job.spec.name) ? 0 : job.spec.maxRetries;
  for (let n = 1; n <= retries + 1; n++) {
    if (job.cancelRequested) return;
    if (n > 1) job.logs += `\n=== retry: attempt ${n} of ${retries + 1} ===\n`;
    job.status = 'provisioning';
    const attempt: JobAttempt = {
      attempt: n,
      instanceId: null,
      status: 'provisioning',
      exitCode: null,
      startedAt: null,
      completedAt: null,
    };
    job.attempts.push(attempt);
    job.interruption = null;
    const outcome = await runAttempt(world, state, job, attempt);
    if (outcome === null || FINISHED.includes(job.status)) return;
    attempt.status = outcome.status;
    attempt.completedAt ??= world.clock.platformNow();
    if (outcome.status !== 'failed' || n > retries)
      return finish(
        world,
        job,
        outcome.status,
        outcome.error,
        outcome.status === 'timeout' ? attempt.completedAt : null
      );
    world.log(`job ${job.id}: attempt ${n} failed (${outcome.error}); retrying on a fresh instance`);
  }
}

/** Cancels a running job: processes killed, instance destroyed (unless the cancel defect keeps it). */
export function cancelJob(world: SimWorld, job: JobRecord): void {
  job.cancelRequested = true;
  const attempt = job.attempts[job.attempts.length - 1];
  const keep = world.has('cancel-leaves-instance', job.spec.name);
  if (!keep) killJob(job);
  const now = world.clock.platformNow();
  if (attempt) {
    if (attempt.startedAt !== null && attempt.completedAt === null) {
      const inst = attempt.instanceId === null ? undefined : world.instances.get(attempt.instanceId);
      const seconds = now - attempt.startedAt;
      if (inst) {
        job.totalCost += (inst.dphTotal * seconds) / 3600;
        job.gpuHours += (inst.offer.num_gpus * seconds) / 3600;
      }
      attempt.completedAt = now;
    }
    attempt.status = 'cancelled';
  }
  const inst = job.instanceId === null ? undefined : world.instances.get(job.instanceId);
  if (inst && !keep) destroyInstance(world, inst);
  finish(world, job, 'cancelled', null);
}

/** The logs a job shows: all of them (live: an extension), or only the last lines under the truncation defect. */
export function logsOf(world: SimWorld, job: JobRecord): string {
  if (asIs(world) && !FINISHED.includes(job.status)) return '';
  if (!world.has('job-logs-truncated', job.spec.name)) return job.logs;
  return job.logs
    .split('\n')
    .slice(-TRUNCATED_LINES - 1)
    .join('\n');
}
