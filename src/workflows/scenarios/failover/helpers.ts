/**
 * Steps the failover scenarios (28–42) share: a protected GPU, data written and checksummed on any machine (an
 * instance, a standby, a service endpoint), the CPU standby provisioned and synced, a failure injected and the
 * platform's failover awaited, warm pools provisioned on a host. Times are platform seconds; limits are compared.
 */
import { isCancellation, workflowInfo } from '@temporalio/workflow';
import type { Association, FailoverRecord } from '../../../activities/failover';
import type { InstanceRef } from '../../../activities/instances';
import type { SshEndpoint } from '../../../activities/ssh';
import type { RunOutcome } from '../../../activities/ssh';
import { shortHash } from '../../../labels';
import type { ExecResult } from '../../../platform/types';
import { ANY_GPU, boot, messageOf, must, type ScenarioContext } from '../../kit';
import { failoverSteps, type FailoverSteps } from './failover-steps';

/** The image the protected GPUs run: the base image boots fastest, and the scenarios need no PyTorch. */
export const BASE_IMAGE = 'vastai/base-image:latest';

/** Platform seconds a failover may take from the failure to serving before the scenario stops waiting. */
export const FAILOVER_BUDGET = 300;

/** Platform seconds a failback or a recovery (a new GPU booted and restored) may take. */
export const REPLACEMENT_BUDGET = 900;

/** The failover activities of the scenario's target. */
export function fo(ctx: ScenarioContext): FailoverSteps {
  return failoverSteps(ctx.target, ctx.timeScale);
}

/** Something a scenario runs commands on: an instance it knows by id, or an SSH address the platform gave. */
export type Machine = { instanceId: number; what: string } | { endpoint: SshEndpoint; what: string };

/** An instance (one we rented, or one the platform rented for us), reached at the SSH address the platform gives. */
export const onInstance = (instance: InstanceRef | number, what = 'the GPU'): Machine => ({
  instanceId: typeof instance === 'number' ? instance : instance.instanceId,
  what,
});
export const onEndpoint = (endpoint: SshEndpoint, what: string): Machine => ({ endpoint, what });

/** The machine's SSH address or instance, as the SSH activities take them. */
function address(m: Machine): { instanceId: number } | { endpoint: SshEndpoint } {
  return 'instanceId' in m ? { instanceId: m.instanceId } : { endpoint: m.endpoint };
}

/**
 * A read-only command. On an endpoint it is tried with few connections: an address that does not answer comes back
 * as exit -1 with the reason in stderr (a finding, not minutes of retries).
 */
export async function probeOn(ctx: ScenarioContext, m: Machine, command: string): Promise<ExecResult> {
  if ('instanceId' in m) return ctx.steps.sshProbe({ suiteId: ctx.suiteId, instanceId: m.instanceId, command });
  const res = await fo(ctx).probeEndpoint({ suiteId: ctx.suiteId, endpoint: m.endpoint, command });
  return res.ok ? res : { code: -1, stdout: '', stderr: `${m.what} did not answer over SSH: ${res.error}` };
}

/** A command that changes something, started at most once (named `name`, unique in the scenario). */
export async function runOn(
  ctx: ScenarioContext,
  m: Machine,
  name: string,
  command: string,
  budgetSeconds = 300
): Promise<RunOutcome> {
  const runKey = `${shortHash(workflowInfo().runId)}-s${ctx.spec.id}-${name}`;
  const now = await ctx.steps.now();
  return ctx.steps.sshRun({
    suiteId: ctx.suiteId,
    ...address(m),
    command,
    runKey,
    startedAtMs: now,
    deadlineMs: now + Math.max(budgetSeconds * 1000 * ctx.timeScale, 60_000),
    timeScale: ctx.timeScale,
  });
}

/** Boots the GPU a scenario protects (check `<step>-running`). */
export function bootGpu(
  ctx: ScenarioContext,
  step = 'gpu',
  opts: { onstart?: string; standby?: boolean } = {}
): Promise<InstanceRef> {
  return boot(ctx, step, { query: ANY_GPU, image: BASE_IMAGE, diskGb: 20, ...opts });
}

/** `path sha256` lines of every file under `dir` (relative to HOME), sorted: what "the same data" means here. */
export const manifestCommand = (dir: string): string =>
  `cd ~ && find ${dir} -type f -print0 | sort -z | xargs -0 -r sha256sum | awk '{print $2" "$1}'`;

/** The manifest of `dir` on `m`, or why it could not be read (the last line of the error): what a comparison shows. */
export async function readManifest(ctx: ScenarioContext, m: Machine, dir: string): Promise<string[] | string> {
  const res = await probeOn(ctx, m, manifestCommand(dir));
  if (res.code !== 0) return `${m.what}: ${res.stderr.trim().split('\n').pop() || `exit ${res.code}`}`;
  return res.stdout.trim().split('\n').filter(Boolean);
}

/** The manifest of `dir` on `m`, or undefined (recorded as the failed check `check`) when it cannot be read. */
export async function manifestOn(
  ctx: ScenarioContext,
  m: Machine,
  dir: string,
  check: { id: string; name: string }
): Promise<string[] | undefined> {
  const manifest = await readManifest(ctx, m, dir);
  if (typeof manifest === 'string') {
    ctx.check(check.id, check.name, false, manifest);
    return undefined;
  }
  return manifest;
}

/** Whether `actual` (a manifest, or why it was not readable) holds exactly the files of `expected`. */
export function sameManifest(expected: string[], actual: string[] | string): boolean {
  return (
    typeof actual !== 'string' && expected.every((l) => actual.includes(l)) && actual.every((l) => expected.includes(l))
  );
}

/** How two manifests differ, for a check's detail; `actual` may be why it was not readable. */
export function manifestDiff(expected: string[], actual: string[] | string): string {
  if (typeof actual === 'string') return `not readable: ${actual}`;
  const missing = expected.filter((l) => !actual.includes(l)).map((l) => l.split(' ')[0]);
  const extra = actual.filter((l) => !expected.includes(l)).map((l) => l.split(' ')[0]);
  if (!missing.length && !extra.length) return `${expected.length} files identical`;
  return [
    missing.length ? `missing or different: ${missing.slice(0, 8).join(', ')}` : '',
    extra.length ? `unexpected: ${extra.slice(0, 8).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** Writes a small data set under ~/data (top level, nested directories, a binary file); returns its manifest. */
export async function writeDataset(ctx: ScenarioContext, m: Machine, name = 'write-data'): Promise<string[]> {
  const out = await runOn(
    ctx,
    m,
    name,
    [
      'mkdir -p data/sub/deep',
      'printf "alpha %s\\n" "$(date +%s%N)" > data/a.txt',
      'printf "beta\\n" > data/sub/b.txt',
      'printf "gamma\\n" > data/sub/deep/c.txt',
      'head -c 200000 /dev/urandom > data/sub/weights.bin',
      'printf hidden > data/.hidden',
      'echo written',
    ].join(' && ')
  );
  must(
    ctx.check(`${name}-done`, `data written on ${m.what}`, out.stdout.includes('written'), out.stderr.trim()),
    'no data'
  );
  const manifest = await manifestOn(ctx, m, 'data', {
    id: `${name}-manifest`,
    name: `manifest of the data on ${m.what}`,
  });
  must(manifest !== undefined && manifest.length >= 5, 'no manifest');
  return manifest!;
}

/** A provisioned CPU standby: its label, the GPU it follows, its own SSH address and the service endpoint. */
export interface StandbyRef {
  label: string;
  gpuInstanceId: number;
  standby: Machine;
  service: SshEndpoint;
  row: Association;
}

function refOf(label: string, row: Association): StandbyRef | undefined {
  if (!row.ssh_port || !row.endpoint?.port) return undefined;
  return {
    label,
    gpuInstanceId: row.gpu_instance_id,
    standby: onEndpoint({ host: row.ssh_host ?? '127.0.0.1', port: row.ssh_port }, 'the CPU standby'),
    service: { host: row.endpoint.host, port: row.endpoint.port },
    row,
  };
}

/**
 * Provisions the CPU standby of `gpu` (labelled `<gpu step>/standby`, under the GPU's label, so the GPU's cleanup
 * covers it too) and checks it came with an SSH address and a service endpoint (check `standby-provisioned`).
 */
export async function provisionStandby(ctx: ScenarioContext, gpu: InstanceRef, gpuStep = 'gpu'): Promise<StandbyRef> {
  const row = await ctx.acquire('cpu-standby', `${gpuStep}/standby`, (label) =>
    fo(ctx).provisionStandby({ gpuInstanceId: gpu.instanceId, label })
  );
  const ref = row.label ? refOf(row.label, row) : undefined;
  must(
    ctx.check(
      'standby-provisioned',
      'the platform provisioned a CPU standby with its own SSH address and a service endpoint',
      ref !== undefined,
      ref
        ? `${row.cpu_standby?.name ?? 'standby'} (state ${row.state}), endpoint port ${row.endpoint?.port}`
        : `the association gives no ${row.ssh_port ? '' : 'SSH address of the standby and no '}service endpoint (fields the harness needs, docs/platform-contract.md § Failover): ${JSON.stringify(row).slice(0, 160)}`
    ),
    'no standby'
  );
  return ref!;
}

/**
 * Waits until the standby labelled `label` is in one of `states` and, when `syncCountAbove` is given, has synced more
 * often than that, within `budgetSeconds`; the failed check `check` ends the body.
 */
export async function waitStandby(
  ctx: ScenarioContext,
  label: string,
  opts: { states?: string[]; syncCountAbove?: number; budgetSeconds?: number; check: string; name: string }
): Promise<Association> {
  const waited = await fo(ctx).waitStandby({
    label,
    ...(opts.states ? { states: opts.states } : {}),
    ...(opts.syncCountAbove !== undefined ? { syncCountAbove: opts.syncCountAbove } : {}),
    ...(await ctx.window(opts.budgetSeconds ?? 180)),
  });
  const row = waited.row;
  must(
    ctx.check(
      opts.check,
      opts.name,
      waited.reached,
      row
        ? `state ${row.state}, ${row.sync_count ?? 0} syncs, ${row.files_synced ?? '?'} files / ${row.bytes_synced ?? '?'} bytes after ${Math.round(waited.platformSeconds)}s`
        : 'no association'
    ),
    opts.check
  );
  return row!;
}

/** Starts the standby's sync and waits for its first one (check `standby-ready`); returns the row and how long. */
export async function startSyncAndWait(
  ctx: ScenarioContext,
  ref: StandbyRef
): Promise<{ row: Association; seconds: number }> {
  const window = await ctx.window(300);
  await fo(ctx).startStandbySync({ gpuInstanceId: ref.gpuInstanceId });
  const waited = await fo(ctx).waitStandby({ label: ref.label, states: ['ready'], syncCountAbove: 0, ...window });
  must(
    ctx.check(
      'standby-ready',
      'the standby completed its initial sync (state ready)',
      waited.reached,
      waited.row ? `state ${waited.row.state}, ${waited.row.sync_count ?? 0} syncs` : 'no association'
    ),
    'not ready'
  );
  return { row: waited.row!, seconds: waited.platformSeconds };
}

/** A GPU with data and a ready standby: the common start of the failover scenarios. */
export async function protectedGpu(ctx: ScenarioContext, opts: { onstart?: string } = {}) {
  const gpu = await bootGpu(ctx, 'gpu', opts);
  const data = await writeDataset(ctx, onInstance(gpu));
  const standby = await provisionStandby(ctx, gpu);
  const synced = await startSyncAndWait(ctx, standby);
  return { gpu, data, standby, synced };
}

/** Waits for a sync of the standby that started after now (what was written before it is on the standby). */
export async function syncAfterNow(
  ctx: ScenarioContext,
  ref: StandbyRef,
  check = 'synced-again'
): Promise<Association> {
  const now = await fo(ctx).associationByLabel({ label: ref.label });
  return waitStandby(ctx, ref.label, {
    syncCountAbove: now?.sync_count ?? 0,
    budgetSeconds: 180,
    check,
    name: 'a later periodic sync reached the standby',
  });
}

/** Fails the GPU (`reason`) and waits for the platform's failover to end; check `failover-completed` by default. */
export async function failAndAwait(
  ctx: ScenarioContext,
  gpuInstanceId: number,
  opts: { reason?: string; check?: string; name?: string } = {}
): Promise<FailoverRecord> {
  const failure = await fo(ctx).simulateFailure({ gpuInstanceId, reason: opts.reason ?? 'gpu_host_down' });
  return awaitRecord(ctx, failure.failover_id, {
    check: opts.check ?? 'failover-completed',
    name: opts.name ?? 'the platform detected the failure and failed over to the standby',
    budgetSeconds: FAILOVER_BUDGET,
  });
}

/** Waits for a failover record to end and checks it succeeded (the failed check `check` ends the body). */
export async function awaitRecord(
  ctx: ScenarioContext,
  failoverId: string,
  opts: { check: string; name: string; budgetSeconds: number }
): Promise<FailoverRecord> {
  const waited = await fo(ctx).waitFailover({ failoverId, ...(await ctx.window(opts.budgetSeconds)) });
  const r = waited.record;
  must(
    ctx.check(
      opts.check,
      opts.name,
      !!r && r.success === true && r.phase === 'complete',
      r
        ? `${r.phase}${r.error ? `: ${JSON.stringify(r.error)}` : ''}${r.success ? ` in ${phasesText(r)}` : ''}`
        : 'no record'
    ),
    opts.check
  );
  return r!;
}

/** `detect 2 s, decide 0.2 s, …` from a record's phase timings. */
export function phasesText(r: FailoverRecord): string {
  const phases = Object.entries(r.phase_timings_ms ?? {});
  return phases.length ? phases.map(([k, ms]) => `${k} ${Math.round(ms / 10) / 100}s`).join(', ') : 'no phases';
}

/** Records a record's phases as metrics (`<prefix>DetectSeconds`, …) and its failure-to-serving time. */
export function phaseMetrics(ctx: ScenarioContext, r: FailoverRecord, prefix = 'failover'): void {
  for (const [phase, ms] of Object.entries(r.phase_timings_ms ?? {})) {
    ctx.metric(`${prefix}${phase[0].toUpperCase()}${phase.slice(1)}Seconds`, ms / 1000);
  }
  if (r.serving_at !== null && r.failed_at !== null) ctx.metric(`${prefix}TotalSeconds`, r.serving_at - r.failed_at);
}

/** Whether a command's output shows a machine without GPU (`nvidia-smi` failing), for checks on the standby. */
export const NO_GPU_PROBE = 'nvidia-smi -L >/dev/null 2>&1 && echo gpu=yes || echo gpu=no';

/** Runs a probe and reports its failure as a check detail instead of throwing (a machine may be gone). */
export async function tryProbe(ctx: ScenarioContext, m: Machine, command: string): Promise<ExecResult> {
  try {
    return await probeOn(ctx, m, command);
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { code: -1, stdout: '', stderr: messageOf(err) };
  }
}
