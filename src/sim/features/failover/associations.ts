/**
 * CPU standby associations: a standby of the serverless store (the one list `/standby/associations` shows, billed
 * as a standby) made a machine of its own — a VM with SSH and the GPU instance's keys, a service endpoint, and
 * syncs of the GPU's workspace to it, made of real file copies (initial one at start-sync, then every
 * `sync_interval` platform seconds while the GPU runs). The sync defects act here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { serverless } from '../serverless';
import { createStandby, destroyStandby } from '../serverless/serverless-engine';
import { liveStandby, type ServerlessState } from '../serverless/serverless-store';
import { EndpointProxy } from './endpoint-proxy';
import { gpuHealth } from './failure-injection';
import {
  associationOf,
  epoch,
  FAILOVER_TIMINGS as T,
  round,
  TRUNCATE_BYTES,
  type Association,
  type FailoverState,
  type SyncRecord,
} from './failover-store';
import { StandbyHost } from './standby-machine';
import { mirror, snapshotDir, type MirrorOptions } from './workspace-sync';
import type { SimTimer } from '../../core/clock';

/** The serverless store, which holds every CPU standby. */
export function standbyStore(world: SimWorld): ServerlessState {
  return world.features.stateOf(serverless);
}

/** Runs `fn` after `seconds` platform seconds unless the association is destroyed first. */
export function later(world: SimWorld, assoc: Association, seconds: number, fn: () => void): SimTimer {
  const timer = world.clock.after(seconds, () => {
    assoc.timers.delete(timer);
    if (assoc.standby.destroyedAt === null) fn();
  });
  assoc.timers.add(timer);
  return timer;
}

/** The keys a standby (and a replacement GPU) accepts: those of the GPU instance it protects. */
function keysOf(inst: SimInstance): string[] {
  return [...inst.accountKeys, ...inst.instanceKeys.map((k) => k.key)];
}

/** The port the service endpoint forwards to now, or null. */
function endpointTarget(world: SimWorld, state: FailoverState, assoc: Association): number | null {
  const due = assoc.standbyServesFrom;
  if (assoc.serving === 'standby' || (due !== null && world.clock.platformNow() >= due)) return assoc.host.sshPort;
  const gpu = world.instances.get(assoc.standby.gpuInstanceId);
  if (!gpu || state.partitioned.has(gpu.id) || gpu.actual !== 'running') return null;
  return gpu.sshPort;
}

/**
 * Provisions the standby of `inst` (or answers the one it has): a VM that boots for {@link T.provision} platform
 * seconds, then has SSH; with `startSync` its syncs start at once (auto-standby).
 */
export function provisionAssociation(
  world: SimWorld,
  state: FailoverState,
  inst: SimInstance,
  opts: { label?: string; startSync: boolean }
): { assoc: Association; ready: Promise<void> } {
  const existing = associationOf(state, inst.id);
  if (existing) return { assoc: existing, ready: readyOf.get(existing) ?? Promise.resolve() };
  const store = standbyStore(world);
  const label = opts.label ?? `${inst.label ?? `C.${inst.id}`}/standby`;
  const standby = liveStandby(store, inst.id) ?? createStandby(world, store, inst, { label, syncEvery: null });
  const name = `sb-${state.nextHost++}`;
  let keys = keysOf(inst);
  const assoc: Association = {
    standby,
    rootLabel: inst.label ?? `C.${inst.id}`,
    host: new StandbyHost(world, name, () => keys),
    proxy: new EndpointProxy(() => endpointTarget(world, state, assoc)),
    state: 'provisioning',
    syncEnabled: opts.startSync,
    syncTimer: null,
    healthTimer: null,
    lastSync: null,
    syncedFiles: 0,
    syncedBytes: 0,
    serving: 'gpu',
    standbyServesFrom: null,
    failedChecks: 0,
    healthStatus: 'unknown',
    lastHealthCheck: null,
    gpuFailed: false,
    failureReason: null,
    failedAt: null,
    failovers: 0,
    failbacks: 0,
    current: null,
    template: {
      gpuName: inst.offer.gpu_name,
      numGpus: inst.offer.num_gpus,
      image: inst.image,
      disk: inst.disk,
      onstart: inst.onstart,
    },
    firstGeneration: null,
    createdAt: world.clock.platformNow(),
    timers: new Set(),
  };
  keysFor.set(assoc, (next) => (keys = next));
  standby.ext = {
    row: () => associationRow(world, state, assoc),
    outlivesGpu: () => assoc.serving === 'standby' || assoc.current !== null || assoc.state === 'failover_active',
    destroy: () => teardown(world, state, assoc),
  };
  state.associations.push(assoc);
  world.log(`failover: standby ${name} (${label}) provisioning for instance ${inst.id}`);
  const ready = new Promise<void>((settle) => {
    const resolve = (): void => {
      state.aborts.delete(resolve);
      settle();
    };
    state.aborts.add(resolve);
    later(world, assoc, T.provision, () => {
      const started = Promise.all([assoc.host.start(), assoc.proxy.start()]).then(
        () => {
          if (assoc.standby.destroyedAt !== null) return resolve();
          assoc.state = assoc.syncEnabled ? 'syncing' : 'disabled';
          world.log(`failover: standby ${name} up (SSH ${assoc.host.sshPort}, endpoint ${assoc.proxy.port})`);
          if (assoc.syncEnabled) scheduleSync(world, state, assoc, T.firstSync);
          resolve();
        },
        (err: unknown) => {
          assoc.state = 'error';
          world.log(`failover: standby ${name} failed to start: ${(err as Error).message}`);
          resolve();
        }
      );
      track(state, started);
    });
  });
  readyOf.set(assoc, ready);
  track(state, ready);
  return { assoc, ready };
}

const readyOf = new WeakMap<Association, Promise<void>>();
const keysFor = new WeakMap<Association, (keys: string[]) => void>();

/** The standby now accepts the keys of `inst` (the GPU it follows after a failback). */
export function adoptKeys(assoc: Association, inst: SimInstance): void {
  keysFor.get(assoc)?.(keysOf(inst));
}

/** Keeps a promise until it settles, so shutdown can wait for it. */
export function track(state: FailoverState, work: Promise<unknown>): void {
  const settled = work.then(
    () => undefined,
    () => undefined
  );
  state.pending.add(settled);
  void settled.then(() => state.pending.delete(settled));
}

/** What a sync leaves out or cuts, by the defects active on the association's label. */
function mirrorOptions(world: SimWorld, label: string): MirrorOptions {
  const opts: MirrorOptions = {};
  const skips: ((rel: string, isDir: boolean) => boolean)[] = [];
  if (world.has('initial-sync-skips-files', label)) skips.push((rel, isDir) => !isDir && rel.includes('/'));
  if (world.has('checkpoints-not-synced', label)) {
    skips.push((rel, isDir) => {
      const name = rel.split('/').pop() ?? '';
      return isDir ? /^(checkpoints?|ckpt)$/i.test(name) : /\.(ckpt|pt)$/i.test(name);
    });
  }
  if (skips.length) opts.skip = (rel, isDir) => skips.some((s) => s(rel, isDir));
  if (world.has('large-sync-truncated', label)) opts.truncateAbove = TRUNCATE_BYTES;
  return opts;
}

/** Starts (or restarts) the periodic sync: the next one after `delay` platform seconds. */
export function scheduleSync(world: SimWorld, state: FailoverState, assoc: Association, delay: number): void {
  if (assoc.syncTimer) world.clock.cancel(assoc.syncTimer);
  assoc.syncTimer = later(world, assoc, delay, () => {
    assoc.syncTimer = null;
    if (!assoc.syncEnabled) return;
    syncToStandby(world, state, assoc);
    scheduleSync(world, state, assoc, state.config.syncInterval);
  });
}

/**
 * One sync GPU → standby, when the GPU serves and is healthy: the files are copied now; the sync completes (the
 * count grows, a first sync makes the association `ready`) after the modelled transfer time.
 */
export function syncToStandby(world: SimWorld, state: FailoverState, assoc: Association): SyncRecord | null {
  if (assoc.serving !== 'gpu' || assoc.current !== null) return null;
  const gpu = world.instances.get(assoc.standby.gpuInstanceId);
  if (!gpu || gpuHealth(world, state, gpu.id) !== 'healthy') return null;
  const label = assoc.standby.label;
  const stats = mirror(
    instancePaths(world.dataDir, gpu.id).workspace,
    assoc.host.workspace,
    mirrorOptions(world, label)
  );
  if (world.has('failover-serves-first-sync', label) && assoc.firstGeneration === null) {
    assoc.firstGeneration = path.join(assoc.host.root, 'first-generation');
    snapshotDir(assoc.host.workspace, assoc.firstGeneration);
  }
  const startedAt = world.clock.platformNow();
  const durationSeconds = Math.max(T.minSyncSeconds, stats.bytesCopied / T.syncBytesPerSecond);
  const record: SyncRecord = {
    ...stats,
    startedAt,
    completedAt: startedAt + durationSeconds,
    durationSeconds,
    direction: 'gpu_to_standby',
  };
  later(world, assoc, durationSeconds, () => completeSync(world, assoc, record));
  return record;
}

/** Books a finished sync on the association and its standby record. */
export function completeSync(world: SimWorld, assoc: Association, record: SyncRecord): void {
  assoc.lastSync = record;
  assoc.syncedFiles = record.filesTotal;
  assoc.syncedBytes = record.bytesTotal;
  assoc.standby.syncCount++;
  assoc.standby.lastSyncAt = record.completedAt;
  assoc.standby.state = 'ready';
  if (assoc.state === 'syncing') assoc.state = 'ready';
  world.log(
    `failover: sync ${record.direction} of ${assoc.standby.label}: ${record.filesCopied} files, ${record.bytesCopied} bytes`
  );
}

/** Stops the standby's machine and endpoint (the standby record is being destroyed). */
function teardown(world: SimWorld, state: FailoverState, assoc: Association): void {
  for (const timer of assoc.timers) world.clock.cancel(timer);
  assoc.timers.clear();
  assoc.syncTimer = null;
  assoc.syncEnabled = false;
  if (assoc.current && assoc.current.success === null) {
    assoc.current.success = false;
    assoc.current.phase = 'failed';
    assoc.current.error = 'the standby was destroyed';
    assoc.current.completedAt = world.clock.platformNow();
  }
  assoc.current = null;
  track(state, Promise.all([assoc.host.close(), assoc.proxy.close()]));
  world.log(`failover: standby ${assoc.host.name} (${assoc.standby.label}) stopped`);
}

/** Destroys an association (its standby record, machine and endpoint). */
export function destroyAssociation(world: SimWorld, assoc: Association): void {
  destroyStandby(world, assoc.standby);
}

/** The failover fields of an association's row (merged over the standby's base row). */
export function associationRow(world: SimWorld, state: FailoverState, assoc: Association): Record<string, unknown> {
  const last = assoc.lastSync;
  const sshPort = assoc.host.sshPort;
  return {
    state: assoc.state,
    sync_enabled: assoc.syncEnabled,
    sync_interval: state.config.syncInterval,
    cpu_standby: {
      name: assoc.host.name,
      zone: state.config.gcpZone,
      ip: '127.0.0.1',
      machine_type: state.config.gcpMachineType,
      ssh_host: '127.0.0.1',
      ssh_port: sshPort,
    },
    ssh_host: '127.0.0.1',
    ssh_port: sshPort,
    endpoint: { host: '127.0.0.1', port: assoc.proxy.port, serving: assoc.serving },
    gpu_failed: assoc.gpuFailed,
    failure_reason: assoc.failureReason,
    failed_at: epoch(assoc.failedAt),
    health_status: assoc.healthStatus,
    last_health_check: epoch(assoc.lastHealthCheck),
    files_synced: assoc.syncedFiles,
    bytes_synced: assoc.syncedBytes,
    last_sync: last ? syncRecordRow(last) : null,
    failover_count: assoc.failovers,
    failback_count: assoc.failbacks,
    current_failover_id: assoc.current?.id ?? null,
    gpu_template: { gpu_name: assoc.template.gpuName, num_gpus: assoc.template.numGpus, image: assoc.template.image },
  };
}

/** A sync as rows show it. */
export function syncRecordRow(r: SyncRecord): Record<string, unknown> {
  return {
    direction: r.direction,
    started_at: epoch(r.startedAt),
    completed_at: epoch(r.completedAt),
    duration_seconds: round(r.durationSeconds, 3),
    files_copied: r.filesCopied,
    bytes_copied: r.bytesCopied,
    files_deleted: r.filesDeleted,
    files_total: r.filesTotal,
    bytes_total: r.bytesTotal,
  };
}

/** Puts back the standby's content as its first sync left it (failover-serves-first-sync), if kept. */
export function restoreFirstGeneration(assoc: Association): void {
  const prev = assoc.firstGeneration;
  if (!prev || !fs.existsSync(prev)) return;
  snapshotDir(prev, assoc.host.workspace);
}
