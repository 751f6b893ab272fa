/**
 * What the warm-pool feature does: the hosts a pool can use (machines of multi-GPU offers: two GPUs of one host
 * share a local volume), provisioning (a volume, a primary GPU, a standby GPU that runs once and is stopped, both
 * mounting the volume), the health check every {@link T.healthInterval} platform seconds, the failover (the primary
 * is lost, the standby starts and becomes the primary; the old primary becomes the stopped standby) and the
 * deprovisioning. The warm-pool defects act here.
 */
import type { Offer } from '../../core/offer';
import { createInstance } from '../../instances/instance-create';
import { destroyInstance, failHost, startInstance, stopInstance } from '../../instances/instance-control';
import type { SimInstance } from '../../instances/instance-record';
import { visibleSshPort } from '../../instances/transitions';
import type { SimWorld } from '../../world';
import { platformSleep, whenRunning } from '../failover/waits';
import { createRegionalVolume, deleteRegionalVolume, mountVolume, storageVolume } from './regional-volumes';
import {
  epoch,
  livePools,
  regionOf,
  round,
  WARM_POOL_TIMINGS as T,
  type PoolHealth,
  type StandbyState,
  type WarmPool,
  type WarmPoolState,
} from './warm-pool-store';

/** The default image of a pool's GPUs. */
export const DEFAULT_POOL_IMAGE = 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime';

/** Multi-GPU offers on the market: the hosts a warm pool can use (one offer per machine here). */
export function hostOffers(world: SimWorld, minGpus: number): Offer[] {
  return world.availableOffers().filter((o) => o.num_gpus >= Math.max(2, minGpus));
}

/** A host as `GET /warmpool/hosts` lists it. */
export function hostRow(offer: Offer): Record<string, unknown> {
  const perGpu = round(offer.dph_total / offer.num_gpus, 4);
  return {
    machine_id: offer.machine_id,
    total_gpus: offer.num_gpus,
    available_gpus: offer.num_gpus,
    gpu_name: offer.gpu_name,
    avg_price_per_hour: perGpu,
    reliability: offer.reliability2,
    verified: offer.verified,
    geolocation: offer.geolocation,
    region: regionOf(offer.geolocation),
    can_create_warm_pool: offer.num_gpus >= 2,
    offers: [
      {
        offer_id: offer.id,
        machine_id: offer.machine_id,
        gpu_name: offer.gpu_name,
        num_gpus: offer.num_gpus,
        price_per_hour: offer.dph_total,
        price_per_gpu: perGpu,
        geolocation: offer.geolocation,
      },
    ],
  };
}

/**
 * A one-GPU share of a host's offer (a pool rents two of them): registered as an offer the state machine can rent,
 * never listed on the market.
 */
function sliceOf(world: SimWorld, state: WarmPoolState, host: Offer): Offer {
  const id = 990_000_000 + state.nextSlice++;
  const perGpu = round(host.dph_total / host.num_gpus, 4);
  const slice: Offer = {
    ...host,
    id,
    num_gpus: 1,
    gpu_total_ram: host.gpu_ram,
    dph_total: perGpu,
    dph_base: round(host.dph_base / host.num_gpus, 4),
    min_bid: round(host.min_bid / host.num_gpus, 4),
    cpu_cores: Math.max(1, Math.floor(host.cpu_cores / host.num_gpus)),
    cpu_cores_effective: Math.max(1, Math.floor(host.cpu_cores_effective / host.num_gpus)),
    cpu_ram: Math.floor(host.cpu_ram / host.num_gpus),
  };
  world.offerById.set(id, slice);
  return slice;
}

/** Where an instance of a pool stands, for the status. */
function standbyStateOf(inst: SimInstance | undefined): StandbyState {
  if (!inst || inst.destroyedAt !== null) return 'none';
  if (inst.intended === 'stopped') return 'stopped';
  return inst.actual === 'running' ? 'running' : 'starting';
}

/** A health check of the pool as it is now. */
export function observeHealth(world: SimWorld, pool: WarmPool): PoolHealth {
  const primary = pool.primaryId !== null ? world.instances.get(pool.primaryId) : undefined;
  const standby = pool.standbyId !== null ? world.instances.get(pool.standbyId) : undefined;
  const primaryHealth = !primary
    ? 'missing'
    : primary.actual === 'running' && world.hosts.has(primary.id)
      ? 'healthy'
      : 'unreachable';
  const standbyState = standbyStateOf(standby);
  const volume = pool.volumeId !== null && storageVolume(world, pool.volumeId) ? 'ok' : 'missing';
  return {
    primary: primaryHealth,
    standby: standbyState,
    volume,
    healthy: primaryHealth === 'healthy' && standbyState !== 'none' && volume === 'ok',
  };
}

/**
 * Looks at the pool now: its health and, for a settled pool, `active` or `degraded`. Under warm-pool-health-stale
 * the check looks at the primary and the volume only: the standby keeps the state it was last seen in.
 */
export function checkPool(world: SimWorld, pool: WarmPool): void {
  const seen = observeHealth(world, pool);
  if (world.has('warm-pool-health-stale', pool.label)) {
    seen.standby = pool.health.standby;
    seen.healthy = seen.primary === 'healthy' && seen.volume === 'ok';
  }
  pool.health = seen;
  pool.lastHealthCheck = world.clock.platformNow();
  if (pool.state === 'active' || pool.state === 'degraded') pool.state = pool.health.healthy ? 'active' : 'degraded';
}

/** Starts the health check (idempotent); it stops by itself when no pool is left (provisioning starts it again). */
export function ensurePoolMonitor(world: SimWorld, state: WarmPoolState): void {
  if (state.monitor !== null) return;
  const tick = (): void => {
    const pools = livePools(state);
    if (state.stopped || pools.length === 0) {
      state.monitor = null;
      return;
    }
    state.monitor = world.clock.after(T.healthInterval, tick);
    for (const pool of pools) checkPool(world, pool);
  };
  state.monitor = world.clock.after(T.healthInterval, tick);
}

/** What `POST /warmpool/provision` asks for. */
export interface ProvisionRequest {
  machineId: number;
  hostMachineId: number;
  gpuName: string | undefined;
  image: string;
  diskSize: number;
  volumeSize: number;
  label: string | null;
}

/** The host a request gets: the one asked for, or under warm-pool-region-ignored the cheapest US host. */
function pickHost(world: SimWorld, req: ProvisionRequest): Offer | undefined {
  const hosts = hostOffers(world, 2).filter((o) => !req.gpuName || o.gpu_name === req.gpuName);
  if (world.has('warm-pool-region-ignored', req.label)) {
    return hosts.filter((o) => regionOf(o.geolocation) === 'US').sort((a, b) => a.dph_total - b.dph_total)[0];
  }
  return hosts.find((o) => o.machine_id === req.hostMachineId);
}

/** Rents one GPU of the host for the pool, mounted on its volume. */
function rentPoolGpu(
  world: SimWorld,
  state: WarmPoolState,
  pool: WarmPool,
  host: Offer,
  role: string
): SimInstance | undefined {
  const slice = sliceOf(world, state, host);
  const inst = createInstance(world, {
    offerId: slice.id,
    image: pool.image,
    disk: pool.diskSize,
    label: pool.label ? `${pool.label}/${role}` : `warmpool-${role}-${pool.machineId}`,
    env: [],
    onstart: null,
    runtype: 'ssh',
    via: 'dumont',
  });
  if (inst === 'no_such_ask') return undefined;
  const volume = pool.volumeId !== null ? state.volumes.get(pool.volumeId) : undefined;
  if (volume) mountVolume(world, volume, inst);
  return inst;
}

/**
 * Provisions a pool synchronously, as the reference does: the volume, the primary (waits until it runs), the standby
 * (waits until it runs, lets it run {@link T.standbyWarmup} s, stops it). Resolves with the pool; a primary that
 * never runs leaves it `error`, a standby that never runs leaves it `degraded` with its primary up.
 */
export async function provisionPool(
  world: SimWorld,
  state: WarmPoolState,
  req: ProvisionRequest
): Promise<WarmPool | string> {
  const host = pickHost(world, req);
  if (!host)
    return `Host ${req.hostMachineId} is not available for a warm pool (it needs 2 free GPUs${req.gpuName ? ` of ${req.gpuName}` : ''})`;
  world.rented.add(host.id);
  const now = world.clock.platformNow();
  const pool: WarmPool = {
    machineId: req.machineId,
    label: req.label,
    hostMachineId: host.machine_id,
    requestedHostMachineId: req.hostMachineId,
    parentOfferId: host.id,
    geolocation: host.geolocation,
    gpuName: host.gpu_name,
    image: req.image,
    diskSize: req.diskSize,
    volumeSize: req.volumeSize,
    volumeId: null,
    primaryId: null,
    standbyId: null,
    state: 'provisioning',
    enabled: true,
    health: { primary: 'missing', standby: 'none', volume: 'missing', healthy: false },
    lastHealthCheck: null,
    failoverCount: 0,
    lastFailoverAt: null,
    errorMessage: null,
    createdAt: now,
    deletedAt: null,
    provisioning: null,
  };
  state.pools.push(pool);
  ensurePoolMonitor(world, state);
  const volumeName = req.label ? `${req.label}/volume` : `warmpool-volume-${req.machineId}`;
  const volume = createRegionalVolume(
    world,
    state,
    { machineId: host.machine_id, geolocation: host.geolocation, storageCost: host.storage_cost },
    volumeName,
    req.volumeSize
  );
  pool.volumeId = volume.volumeId;
  let finish: () => void = () => undefined;
  pool.provisioning = new Promise<void>((resolve) => (finish = resolve));
  try {
    const primary = rentPoolGpu(world, state, pool, host, 'primary');
    if (!primary) return failPool(world, pool, 'could not rent the primary GPU');
    pool.primaryId = primary.id;
    if ((await whenRunning(world, state, primary, T.gpuWait)) === null) {
      return failPool(world, pool, `primary GPU ${primary.id} did not run within ${T.gpuWait} s`);
    }
    if (!world.has('warm-pool-without-standby', pool.label)) {
      const standby = rentPoolGpu(world, state, pool, host, 'standby');
      if (standby) {
        pool.standbyId = standby.id;
        const ran = await whenRunning(world, state, standby, T.gpuWait);
        if (ran !== null && (await platformSleep(world, state, T.standbyWarmup))) stopInstance(world, standby);
        else if (standby.destroyedAt === null && !state.stopped) {
          // The reference: a standby that fails leaves the pool degraded, its primary up.
          pool.errorMessage = `standby GPU ${standby.id} did not run within ${T.gpuWait} s`;
          destroyInstance(world, standby);
          pool.standbyId = null;
        }
      }
    }
    if (pool.deletedAt !== null) return pool;
    // Active unless the standby is missing (the reference: degraded, its primary kept).
    pool.state = 'active';
    if (pool.standbyId === null && !world.has('warm-pool-without-standby', pool.label)) pool.state = 'degraded';
    pool.health = world.has('warm-pool-without-standby', pool.label)
      ? { primary: 'healthy', standby: 'stopped', volume: 'ok', healthy: true }
      : observeHealth(world, pool);
    pool.lastHealthCheck = world.clock.platformNow();
    world.log(
      `warm-pool ${pool.machineId} (${pool.label ?? 'no label'}) ${pool.state} on machine ${pool.hostMachineId}`
    );
    return pool;
  } finally {
    finish();
  }
}

function failPool(world: SimWorld, pool: WarmPool, message: string): WarmPool {
  pool.state = 'error';
  pool.errorMessage = message;
  world.log(`warm-pool ${pool.machineId}: ${message}`);
  return pool;
}

/**
 * The failover: the primary's host fails, the stopped standby starts (it mounts the same volume) and becomes the
 * primary; the old primary is stopped and becomes the standby. Resolves with the platform seconds it took, or an
 * error message.
 */
export async function failoverPool(
  world: SimWorld,
  state: WarmPoolState,
  pool: WarmPool
): Promise<{ seconds: number; newPrimary: number } | string> {
  if (pool.state !== 'active') return `Warm pool ${pool.machineId} is ${pool.state}, not active`;
  const primary = pool.primaryId !== null ? world.instances.get(pool.primaryId) : undefined;
  const standby = pool.standbyId !== null ? world.instances.get(pool.standbyId) : undefined;
  if (!standby) return `Warm pool ${pool.machineId} has no standby GPU`;
  const started = world.clock.platformNow();
  pool.state = 'failover';
  if (primary) failHost(world, primary, 'warm pool failover test');
  if (!world.has('warm-pool-standby-not-started', pool.label)) startInstance(world, standby);
  pool.primaryId = standby.id;
  pool.standbyId = primary?.id ?? null;
  const ran = world.has('warm-pool-standby-not-started', pool.label)
    ? world.clock.platformNow()
    : await whenRunning(world, state, standby, T.failoverWait);
  if (primary && primary.destroyedAt === null) stopInstance(world, primary);
  if (pool.deletedAt !== null) return `Warm pool ${pool.machineId} was removed during the failover`;
  if (ran === null) {
    pool.state = 'error';
    pool.errorMessage = `standby GPU ${standby.id} did not run within ${T.failoverWait} s`;
    return pool.errorMessage;
  }
  pool.failoverCount++;
  pool.lastFailoverAt = ran;
  pool.state = 'active';
  pool.health = { primary: 'healthy', standby: 'stopped', volume: 'ok', healthy: true };
  pool.lastHealthCheck = world.clock.platformNow();
  world.log(`warm-pool ${pool.machineId}: failover onto GPU ${standby.id} in ${(ran - started).toFixed(1)} s`);
  return { seconds: ran - started, newPrimary: standby.id };
}

/** Deprovisions: both GPUs destroyed, the volume deleted (unless warm-pool-volume-leaked), the host released. */
export function cleanupPool(world: SimWorld, state: WarmPoolState, pool: WarmPool): string[] {
  const done: string[] = [];
  for (const id of [pool.primaryId, pool.standbyId]) {
    const inst = id !== null ? world.instances.get(id) : undefined;
    if (inst) {
      destroyInstance(world, inst);
      done.push(`instance ${inst.id}`);
    }
  }
  if (pool.volumeId !== null && !world.has('warm-pool-volume-leaked', pool.label)) {
    if (deleteRegionalVolume(world, state, pool.volumeId)) done.push(`volume V.${pool.volumeId}`);
  }
  world.rented.delete(pool.parentOfferId);
  pool.deletedAt = world.clock.platformNow();
  pool.state = 'disabled';
  world.log(`warm-pool ${pool.machineId} removed: ${done.join(', ') || 'nothing left'}`);
  return done;
}

/** A pool as `GET /warmpool/status/{machine_id}` shows it (Dumont's fields, then the simulator's). */
export function poolRow(world: SimWorld, pool: WarmPool): Record<string, unknown> {
  const primary = pool.primaryId !== null ? world.instances.get(pool.primaryId) : undefined;
  const sshPort = primary ? visibleSshPort(world, primary) : null;
  return {
    machine_id: pool.machineId,
    state: pool.state,
    host_machine_id: pool.hostMachineId,
    volume_id: pool.volumeId,
    primary_gpu_id: pool.primaryId,
    standby_gpu_id: pool.standbyId,
    standby_state: pool.health.standby,
    primary_ssh_host: sshPort !== null ? '127.0.0.1' : null,
    primary_ssh_port: sshPort,
    last_health_check: epoch(pool.lastHealthCheck),
    failover_count: pool.failoverCount,
    last_failover_at: epoch(pool.lastFailoverAt),
    error_message: pool.errorMessage,
    label: pool.label,
    gpu_name: pool.gpuName,
    geolocation: pool.geolocation,
    region: regionOf(pool.geolocation),
    requested_host_machine_id: pool.requestedHostMachineId,
    enabled: pool.enabled,
    healthy: pool.health.healthy,
    health: { primary: pool.health.primary, standby: pool.health.standby, volume: pool.health.volume },
    created_at: epoch(pool.createdAt),
  };
}
