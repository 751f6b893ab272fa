/**
 * New GPUs the platform rents to replace a lost one: failback (after a failover to the CPU standby, a new GPU of the
 * same kind receives the standby's workspace by a reverse sync and the endpoint moves back to it), recovery
 * without a standby (a new GPU of the same kind, the dead one destroyed), and the fast GPU-to-GPU failover (the
 * workspace copied from the GPU, or its standby, to a new GPU). Each is a failover record with its phases.
 */
import { instancePaths } from '../../instances/instance-files';
import { createInstance } from '../../instances/instance-create';
import { destroyInstance } from '../../instances/instance-control';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { adoptKeys, completeSync, later, scheduleSync } from './associations';
import { newRecord, restartService } from './failover-engine';
import { gpuHealth } from './failure-injection';
import {
  FAILOVER_TIMINGS as T,
  round,
  type Association,
  type FailoverRecord,
  type FailoverState,
  type GpuTemplate,
  type SyncRecord,
} from './failover-store';
import { platformSleep, whenRunning } from './waits';
import { mirror } from './workspace-sync';

/** The cheapest offer on the market for a GPU like the template's, or undefined. */
function offerFor(world: SimWorld, template: GpuTemplate): number | undefined {
  return world
    .availableOffers()
    .filter((o) => o.gpu_name === template.gpuName && o.num_gpus === template.numGpus)
    .sort((a, b) => a.dph_total - b.dph_total)[0]?.id;
}

/** Rents a GPU like the template's, labelled `label`, with the account's keys; undefined when none is free. */
export function rentLike(world: SimWorld, template: GpuTemplate, label: string): SimInstance | undefined {
  const offerId = offerFor(world, template);
  if (offerId === undefined) return undefined;
  const inst = createInstance(world, {
    offerId,
    image: template.image,
    disk: template.disk,
    label,
    env: [],
    onstart: template.onstart,
    runtype: 'ssh',
    via: 'dumont',
  });
  return inst === 'no_such_ask' ? undefined : inst;
}

const phase = (record: FailoverRecord, name: string, from: number, to: number): void => {
  record.phaseSeconds[name] = round(Math.max(0, to - from), 3);
};

/**
 * Failback of an association serving from its standby: a new GPU `<root>/fb<n>` like the lost one, the standby's
 * workspace copied back to it, then the endpoint moves to it and the standby goes back to syncing from it.
 * Answers the record at once; it completes in the background.
 */
export function startFailback(world: SimWorld, state: FailoverState, assoc: Association): FailoverRecord {
  if (assoc.current?.kind === 'failback') return assoc.current;
  const label = assoc.standby.label;
  const record = newRecord(world, state, {
    kind: 'failback',
    gpuInstanceId: assoc.standby.gpuInstanceId,
    label,
    reason: 'failback',
    phase: 'searching_gpu',
  });
  assoc.current = record;
  assoc.state = 'recovering';
  const started = record.startedAt;
  const gpu = rentLike(world, assoc.template, `${assoc.rootLabel}/fb${assoc.failbacks + 1}`);
  if (!gpu) {
    record.phase = 'failed';
    record.success = false;
    record.error = `no ${assoc.template.gpuName} offer available`;
    record.completedAt = world.clock.platformNow();
    assoc.current = null;
    assoc.state = 'failover_active';
    return record;
  }
  record.newGpuId = gpu.id;
  record.phase = 'provisioning';
  const provisioned = world.clock.platformNow();
  phase(record, 'search', started, provisioned);
  void whenRunning(world, state, gpu, T.gpuBootWait, () => assoc.standby.destroyedAt !== null).then((ranAt) => {
    if (assoc.standby.destroyedAt !== null) return;
    if (ranAt === null) {
      record.phase = 'failed';
      record.success = false;
      record.error = `new GPU ${gpu.id} never ran with SSH`;
      record.completedAt = world.clock.platformNow();
      assoc.current = null;
      assoc.state = 'failover_active';
      return;
    }
    phase(record, 'provision', provisioned, ranAt);
    record.phase = 'restoring';
    const target = instancePaths(world.dataDir, gpu.id).workspace;
    const skipped = world.has('failback-skips-reverse-sync', label);
    const stats = skipped
      ? { ...mirror(assoc.host.workspace, `${assoc.host.root}/.dry-run`, {}), filesDeleted: 0 }
      : mirror(assoc.host.workspace, target, {});
    const duration = Math.max(T.minSyncSeconds, stats.bytesCopied / T.syncBytesPerSecond);
    const sync: SyncRecord = {
      ...stats,
      startedAt: ranAt,
      completedAt: ranAt + duration,
      durationSeconds: duration,
      direction: 'standby_to_gpu',
    };
    later(world, assoc, duration, () => {
      const now = world.clock.platformNow();
      phase(record, 'restore', ranAt, now);
      record.sync = sync;
      record.dataRestored = true;
      // The endpoint moves back: the standby stops serving and follows the new GPU.
      assoc.host.killAll();
      assoc.standby.gpuInstanceId = gpu.id;
      adoptKeys(assoc, gpu);
      assoc.serving = 'gpu';
      assoc.standbyServesFrom = null;
      assoc.proxy.dropConnections();
      assoc.gpuFailed = false;
      assoc.failureReason = null;
      assoc.failedAt = null;
      assoc.failedChecks = 0;
      assoc.failbacks++;
      assoc.current = null;
      // The standby holds what the new GPU now holds: ready for the next failover, syncing from the new GPU.
      assoc.state = 'ready';
      completeSync(world, assoc, sync);
      restartService(world, gpu.id);
      record.switchedAt = now;
      record.servingAt = now;
      record.completedAt = now;
      record.phase = 'complete';
      record.success = true;
      record.endpoint = { ssh_host: '127.0.0.1', ssh_port: assoc.proxy.port };
      if (assoc.syncEnabled) scheduleSync(world, state, assoc, T.firstSync);
      world.log(`failover: failback ${record.id} of ${label} onto GPU ${gpu.id} complete`);
    });
  });
  return record;
}

/**
 * Recovery of a GPU instance without a standby: a new GPU `<label>/rec` like it; once it runs, the dead one is
 * destroyed. Answers the record at once; under recovery-never-completes nothing is rented and it never completes.
 */
export function startRecovery(world: SimWorld, state: FailoverState, dead: SimInstance): FailoverRecord {
  const existing = state.records.find(
    (r) => r.kind === 'recovery' && r.gpuInstanceId === dead.id && (r.success === null || r.success)
  );
  if (existing) return existing;
  const injected = state.failures.get(dead.id);
  const record = newRecord(world, state, {
    kind: 'recovery',
    gpuInstanceId: dead.id,
    label: dead.label,
    reason: injected?.kind ?? 'gpu_unreachable',
    phase: 'searching_gpu',
    failedAt: injected?.at ?? null,
    detectedAt: world.clock.platformNow(),
  });
  if (world.has('recovery-never-completes', dead.label)) {
    record.phase = 'provisioning';
    world.log(`failover: recovery ${record.id} of instance ${dead.id} never provisions (recovery-never-completes)`);
    return record;
  }
  const template: GpuTemplate = {
    gpuName: dead.offer.gpu_name,
    numGpus: dead.offer.num_gpus,
    image: dead.image,
    disk: dead.disk,
    onstart: dead.onstart,
  };
  const gpu = rentLike(world, template, `${dead.label ?? `C.${dead.id}`}/rec`);
  if (!gpu) {
    record.phase = 'failed';
    record.success = false;
    record.error = `no ${template.gpuName} offer available`;
    record.completedAt = world.clock.platformNow();
    return record;
  }
  const provisioned = world.clock.platformNow();
  record.newGpuId = gpu.id;
  record.phase = 'provisioning';
  void whenRunning(world, state, gpu, T.gpuBootWait).then((ranAt) => {
    if (ranAt === null) {
      record.phase = 'failed';
      record.success = false;
      record.error = `new GPU ${gpu.id} never ran with SSH`;
      record.completedAt = world.clock.platformNow();
      return;
    }
    phase(record, 'provision', provisioned, ranAt);
    const stillThere = world.instances.get(dead.id);
    if (stillThere) {
      destroyInstance(world, stillThere);
      record.deadGpuDestroyed = true;
    }
    record.switchedAt = ranAt;
    record.servingAt = ranAt;
    record.completedAt = ranAt;
    record.phase = 'complete';
    record.success = true;
    record.endpoint = { ssh_host: '127.0.0.1', ssh_port: gpu.sshPort };
    world.log(`failover: recovery ${record.id} of instance ${dead.id} onto GPU ${gpu.id} complete`);
  });
  return record;
}

/** What the fast failover answers: Dumont's shape. */
export interface FastFailoverResult {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The synchronous GPU-to-GPU failover (`POST /standby/failover/fast/{id}`): the workspace is taken from the GPU when
 * it answers, else from its standby; a new GPU `<label>/fast` like it receives it; the original is destroyed when
 * asked. Resolves once the new GPU runs with the data.
 */
export async function fastFailover(
  world: SimWorld,
  state: FailoverState,
  original: SimInstance,
  assoc: Association | undefined,
  destroyOriginal: boolean
): Promise<FastFailoverResult> {
  const record = newRecord(world, state, {
    kind: 'fast',
    gpuInstanceId: original.id,
    label: original.label,
    reason: 'fast_failover',
    phase: 'snapshot',
  });
  const started = record.startedAt;
  const healthy = gpuHealth(world, state, original.id) === 'healthy';
  const source = healthy ? instancePaths(world.dataDir, original.id).workspace : assoc?.host.workspace;
  const failed = (failedPhase: string, error: string): FastFailoverResult => {
    record.phase = 'failed';
    record.success = false;
    record.error = error;
    record.completedAt = world.clock.platformNow();
    return { status: 500, body: { error: { message: error, failed_phase: failedPhase, failover_id: record.id } } };
  };
  if (!source) return failed('snapshot', `instance ${original.id} is unreachable and has no standby copy`);
  const template: GpuTemplate = {
    gpuName: original.offer.gpu_name,
    numGpus: original.offer.num_gpus,
    image: original.image,
    disk: original.disk,
    onstart: original.onstart,
  };
  const snapshotDone = world.clock.platformNow();
  phase(record, 'snapshot', started, snapshotDone);
  record.phase = 'provisioning';
  const gpu = rentLike(world, template, `${original.label ?? `C.${original.id}`}/fast`);
  if (!gpu) return failed('gpu_provisioning', `no ${template.gpuName} offer available`);
  record.newGpuId = gpu.id;
  const ranAt = await whenRunning(world, state, gpu, T.gpuBootWait);
  if (ranAt === null) return failed('gpu_provisioning', `new GPU ${gpu.id} never ran with SSH`);
  phase(record, 'gpu_provisioning', snapshotDone, ranAt);
  record.phase = 'restoring';
  const stats = mirror(source, instancePaths(world.dataDir, gpu.id).workspace, {});
  const restoreSeconds = Math.max(T.minSyncSeconds, stats.bytesCopied / T.syncBytesPerSecond);
  if (!(await platformSleep(world, state, restoreSeconds))) return failed('restore', 'the platform stopped');
  const done = world.clock.platformNow();
  phase(record, 'restore', ranAt, done);
  restartService(world, gpu.id);
  if (destroyOriginal && world.instances.get(original.id)) {
    destroyInstance(world, original);
    record.deadGpuDestroyed = true;
  }
  record.phase = 'complete';
  record.success = true;
  record.dataRestored = true;
  record.switchedAt = done;
  record.servingAt = done;
  record.completedAt = done;
  record.endpoint = { ssh_host: '127.0.0.1', ssh_port: gpu.sshPort };
  const ms = (s: number | undefined) => Math.round((s ?? 0) * 1000);
  return {
    status: 200,
    body: {
      failover_id: record.id,
      success: true,
      total_time_ms: ms(done - started),
      phases: {
        snapshot_ms: ms(record.phaseSeconds.snapshot),
        gpu_provisioning_ms: ms(record.phaseSeconds.gpu_provisioning),
        restore_ms: ms(record.phaseSeconds.restore),
        inference_ms: 0,
      },
      gpu: {
        original: original.id,
        new: { id: gpu.id, type: gpu.offer.gpu_name, ssh: { host: '127.0.0.1', port: gpu.sshPort } },
      },
      snapshot: { id: record.id, size_mb: round(stats.bytesTotal / 1e6, 3) },
      stats: { files: stats.filesTotal, bytes: stats.bytesTotal },
    },
  };
}
