/**
 * What the failover feature does over time: the health check of every protected GPU (every
 * {@link T.healthInterval} platform seconds; {@link T.failThreshold} failed checks in a row = lost), the failover to
 * the CPU standby in timestamped phases (detect → decide → switch → serve: the standby's copy becomes the serving
 * one, the instance's start command runs on it, the dead GPU is destroyed, the service endpoint forwards to the
 * standby), and the failover records. The failover defects act here.
 */
import { runOnstart } from '../../instances/instance-exec';
import { destroyInstance } from '../../instances/instance-control';
import type { SimWorld } from '../../world';
import { later, restoreFirstGeneration, syncToStandby, track } from './associations';
import { gpuHealth } from './failure-injection';
import {
  FAILOVER_TIMINGS as T,
  liveAssociations,
  recordById,
  round,
  type Association,
  type FailoverRecord,
  type FailoverState,
} from './failover-store';
import type { SimTimer } from '../../core/clock';

/** A new failover record (phase `detecting` unless said otherwise). */
export function newRecord(
  world: SimWorld,
  state: FailoverState,
  fields: Pick<FailoverRecord, 'kind' | 'gpuInstanceId' | 'label' | 'reason'> & Partial<FailoverRecord>
): FailoverRecord {
  const now = world.clock.platformNow();
  const record: FailoverRecord = {
    id: `fo-${String(state.nextRecord++).padStart(5, '0')}`,
    phase: 'detecting',
    startedAt: now,
    failedAt: null,
    detectedAt: null,
    decidedAt: null,
    switchedAt: null,
    servingAt: null,
    completedAt: null,
    success: null,
    error: null,
    newGpuId: null,
    endpoint: null,
    dataRestored: false,
    phaseSeconds: {},
    sync: null,
    deadGpuDestroyed: false,
    ...fields,
  };
  state.records.push(record);
  return record;
}

/** Whether the platform fails over `assoc` by itself (global `auto_failover`, unless its machine's settings say no). */
function autoFailover(state: FailoverState, assoc: Association): boolean {
  const settings = state.machineSettings.get(assoc.standby.gpuInstanceId);
  if (settings && !settings.useGlobal) return settings.strategy === 'cpu_standby' || settings.strategy === 'both';
  return state.config.autoFailover;
}

/**
 * Starts the health check (idempotent): one look at every protected GPU per interval. It stops by itself when no
 * association is left (provisioning starts it again).
 */
export function ensureHealthMonitor(world: SimWorld, state: FailoverState): void {
  if (monitors.has(state)) return;
  const tick = (): void => {
    const live = liveAssociations(state);
    if (state.stopped || live.length === 0) {
      monitors.delete(state);
      return;
    }
    monitors.set(state, world.clock.after(T.healthInterval, tick));
    for (const assoc of live) {
      try {
        checkHealth(world, state, assoc);
      } catch (err) {
        world.log(`failover: health check of ${assoc.standby.label} failed: ${(err as Error).message}`);
      }
    }
  };
  monitors.set(state, world.clock.after(T.healthInterval, tick));
}

const monitors = new WeakMap<FailoverState, SimTimer>();

/** Stops the health check. */
export function stopHealthMonitor(world: SimWorld, state: FailoverState): void {
  const timer = monitors.get(state);
  if (timer) world.clock.cancel(timer);
  monitors.delete(state);
}

/** One health check of the GPU an association protects; the lost GPU's failover starts from here. */
function checkHealth(world: SimWorld, state: FailoverState, assoc: Association): void {
  if (assoc.serving !== 'gpu' || assoc.current !== null || assoc.state === 'provisioning') return;
  if (assoc.state === 'error' || assoc.state === 'failover_active' || assoc.state === 'recovering') return;
  const now = world.clock.platformNow();
  const health = gpuHealth(world, state, assoc.standby.gpuInstanceId);
  assoc.lastHealthCheck = now;
  if (health === 'healthy' || health === 'paused' || health === 'booting') {
    assoc.failedChecks = 0;
    assoc.healthStatus = health === 'healthy' ? 'healthy' : 'unknown';
    return;
  }
  assoc.healthStatus = 'unreachable';
  assoc.failedChecks++;
  if (assoc.failedChecks < T.failThreshold || assoc.gpuFailed) return;
  const gpuId = assoc.standby.gpuInstanceId;
  const injected = state.failures.get(gpuId);
  assoc.gpuFailed = true;
  assoc.failedAt = injected?.at ?? now - (T.failThreshold - 1) * T.healthInterval;
  assoc.failureReason = injected?.kind ?? 'gpu_unreachable';
  const existing = injected?.recordId ? recordById(state, injected.recordId) : undefined;
  const record =
    existing ??
    newRecord(world, state, {
      kind: 'cpu_standby',
      gpuInstanceId: gpuId,
      label: assoc.standby.label,
      reason: assoc.failureReason,
      failedAt: assoc.failedAt,
    });
  if (injected) injected.recordId = record.id;
  record.kind = 'cpu_standby';
  record.detectedAt = now;
  record.phase = 'gpu_lost';
  world.log(`failover: GPU ${gpuId} of ${assoc.standby.label} lost (${assoc.failureReason}); detected`);
  if (autoFailover(state, assoc)) failOver(world, state, assoc, record);
}

/** Ends a record as failed. */
function fail(world: SimWorld, assoc: Association | null, record: FailoverRecord, error: string): void {
  record.phase = 'failed';
  record.success = false;
  record.error = error;
  record.completedAt = world.clock.platformNow();
  if (assoc) {
    assoc.state = 'error';
    assoc.current = null;
    assoc.standbyServesFrom = null;
  }
  world.log(`failover ${record.id} failed: ${error}`);
}

/** Books a phase's duration on the record. */
function phase(record: FailoverRecord, name: string, from: number | null, to: number): void {
  record.phaseSeconds[name] = round(Math.max(0, to - (from ?? to)), 3);
}

/**
 * Fails `assoc`'s service over to its standby, from detection (`record.detectedAt`) on: decide, switch, serve,
 * each after its own delay. A standby that never completed a sync has nothing to serve: the failover fails.
 */
export function failOver(world: SimWorld, state: FailoverState, assoc: Association, record: FailoverRecord): void {
  const label = assoc.standby.label;
  assoc.current = record;
  record.detectedAt ??= world.clock.platformNow();
  phase(record, 'detect', record.failedAt, record.detectedAt);
  if (assoc.lastSync === null) return fail(world, assoc, record, 'the standby holds no completed sync');
  if (world.has('third-failover-fails', label) && assoc.failovers >= 2) {
    return fail(world, assoc, record, `failover #${assoc.failovers + 1}: association still marked failed`);
  }
  // Each phase is timed from detection (not from the previous phase's timer), so a busy event loop delays each
  // by its own lag only, instead of adding the lags up; the endpoint itself moves exactly when it is due.
  const detected = record.detectedAt;
  if (world.has('endpoint-not-moved', label)) assoc.standbyServesFrom = null;
  else if (world.has('failover-slower-than-reported', label)) {
    assoc.standbyServesFrom = detected + T.decide + T.switch + T.slowServe;
  } else assoc.standbyServesFrom = detected + T.decide + T.switch + T.serve;
  later(world, assoc, T.decide, () => {
    record.decidedAt = world.clock.platformNow();
    record.phase = 'failover_to_cpu';
    phase(record, 'decide', record.detectedAt, record.decidedAt);
  });
  later(world, assoc, T.decide + T.switch, () => switchToStandby(world, state, assoc, record));
}

/** The switch: the standby's copy serves, the start command runs on it, the dead GPU is destroyed. */
function switchToStandby(world: SimWorld, state: FailoverState, assoc: Association, record: FailoverRecord): void {
  const label = assoc.standby.label;
  const now = world.clock.platformNow();
  if (record.decidedAt === null) {
    record.decidedAt = now;
    record.phase = 'failover_to_cpu';
    phase(record, 'decide', record.detectedAt, now);
  }
  record.switchedAt = now;
  phase(record, 'switch', record.decidedAt, now);
  assoc.state = 'failover_active';
  if (world.has('failover-serves-first-sync', label)) restoreFirstGeneration(assoc);
  record.dataRestored = true;
  record.sync = assoc.lastSync;
  if (assoc.template.onstart) assoc.host.runInBackground(assoc.template.onstart);
  const dead = world.instances.get(assoc.standby.gpuInstanceId);
  if (dead) {
    destroyInstance(world, dead);
    record.deadGpuDestroyed = true;
  }
  const serve = (): void => {
    if (!world.has('endpoint-not-moved', label)) assoc.serving = 'standby';
    assoc.proxy.dropConnections();
    world.log(`failover: endpoint of ${label} now forwards to ${assoc.serving}`);
  };
  const finish = (servingAt: number): void => {
    record.servingAt = servingAt;
    record.phase = 'complete';
    record.success = true;
    record.completedAt = Math.max(servingAt, world.clock.platformNow());
    record.endpoint = { ssh_host: '127.0.0.1', ssh_port: assoc.proxy.port };
    phase(record, 'serve', record.switchedAt, servingAt);
    assoc.failovers++;
    assoc.current = null;
    world.log(`failover ${record.id} of ${label} complete`);
  };
  const due = assoc.standbyServesFrom ?? (record.detectedAt ?? now) + T.decide + T.switch + T.serve;
  if (world.has('failover-slower-than-reported', label)) {
    // Reported serving right after the switch; the endpoint really moves minutes later.
    finish((record.detectedAt ?? now) + T.decide + T.switch + T.serve);
    later(world, assoc, Math.max(0, due - now), serve);
    return;
  }
  later(world, assoc, Math.max(0, due - now), () => {
    serve();
    finish(due);
  });
}

/**
 * A failover the user asks for (`POST /instances/{id}/failover`, `POST /failover/execute`): a last sync when the
 * GPU still answers, then the same phases from now.
 */
export function manualFailover(world: SimWorld, state: FailoverState, assoc: Association): FailoverRecord {
  if (assoc.current) return assoc.current;
  const gpuId = assoc.standby.gpuInstanceId;
  const record = newRecord(world, state, {
    kind: 'cpu_standby',
    gpuInstanceId: gpuId,
    label: assoc.standby.label,
    reason: 'manual',
  });
  const now = world.clock.platformNow();
  record.failedAt = now;
  record.detectedAt = now;
  record.phase = 'gpu_lost';
  if (gpuHealth(world, state, gpuId) === 'healthy') syncToStandby(world, state, assoc);
  failOver(world, state, assoc, record);
  return record;
}

/** Runs the start command on a GPU instance again (its workspace changed under it: a failback's reverse sync). */
export function restartService(world: SimWorld, gpuId: number): void {
  const inst = world.instances.get(gpuId);
  if (inst?.onstart) runOnstart(world, inst);
}

/** The record as `GET /standby/failover/status/{id}` answers it (Dumont's fields plus the phases' times). */
export function recordRow(world: SimWorld, r: FailoverRecord): Record<string, unknown> {
  const e = (t: number | null) => (t === null ? null : round(t, 3));
  const total = r.detectedAt !== null && r.servingAt !== null ? r.servingAt - r.detectedAt : null;
  return {
    failover_id: r.id,
    kind: r.kind,
    gpu_instance_id: r.gpuInstanceId,
    label: r.label,
    reason: r.reason,
    phase: r.phase,
    started_at: e(r.startedAt),
    completed_at: e(r.completedAt),
    success: r.success,
    error: r.error,
    new_gpu_id: r.newGpuId,
    data_restored: r.dataRestored,
    phase_timings_ms: Object.fromEntries(Object.entries(r.phaseSeconds).map(([k, v]) => [k, Math.round(v * 1000)])),
    total_time_ms: total === null ? null : Math.round(total * 1000),
    failed_at: e(r.failedAt),
    detected_at: e(r.detectedAt),
    decided_at: e(r.decidedAt),
    switched_at: e(r.switchedAt),
    serving_at: e(r.servingAt),
    endpoint: r.endpoint,
    dead_gpu_destroyed: r.deadGpuDestroyed,
    sync: r.sync ? { files: r.sync.filesTotal, bytes: r.sync.bytesTotal, completed_at: e(r.sync.completedAt) } : null,
    server_time: round(world.clock.platformNow(), 3),
  };
}

export { track };
