/**
 * Dumont's migration (`reference/dumont-api.md` §11), synchronous as there: snapshot the source, find an offer, rent
 * it with the source's image and start command, wait for SSH, restore the snapshot, destroy the source; with the
 * keep-endpoint extension the source's SSH endpoint then forwards to the new instance. The estimate computes the time
 * from the same timings and the cost from the offer it names. The defects (`./defects.ts`) act here.
 */
import type { Offer } from '../../core/offer';
import { countryOf, regionCountries } from '../../core/regions';
import { createInstance } from '../../instances/instance-create';
import { destroyInstance } from '../../instances/instance-control';
import { instancePaths, isPytorchImage } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import { TIMINGS } from '../../instances/timings';
import type { SimWorld } from '../../world';
import { snapshots } from '../snapshots';
import { platformDelay, restoreSnapshot, SnapshotError, takeSnapshot } from '../snapshots/snapshot-engine';
import { SNAPSHOT_TIMINGS } from '../snapshots/snapshot-store';
import { scanFiles } from '../snapshots/snapshot-repo';
import { startForwarder } from './endpoint-forwarder';
import type { MigrationState } from './migration-store';

/** What a migrate or estimate asks for (Dumont's body, plus the keep-endpoint extension). */
export interface MigrateRequest {
  targetType: 'gpu' | 'cpu';
  gpuName: string | null;
  maxPrice: number;
  region: string | null;
  diskSize: number;
  autoDestroySource: boolean;
  keepSshEndpoint: boolean;
}

/** Platform seconds Dumont waits for the new instance's SSH (it gives up at 120 s; the simulator's boots are longer). */
const SSH_WAIT_SECONDS = 900;

/** The offers a migration may rent, cheapest first (or, under the pricier-offer defect, dearest first, any price). */
export function candidateOffers(world: SimWorld, source: SimInstance, req: MigrateRequest): Offer[] {
  const pricier = world.has('migration-picks-pricier-offer', source.label);
  const countries = req.region ? regionCountries(req.region) : null;
  return world
    .availableOffers()
    .filter(
      (o) =>
        (req.gpuName === null || o.gpu_name === req.gpuName) &&
        o.num_gpus === source.offer.num_gpus &&
        (pricier || o.dph_total <= req.maxPrice) &&
        (countries === null || countries.includes(countryOf(o.geolocation)))
    )
    .sort((a, b) => (pricier ? b.dph_total - a.dph_total : a.dph_total - b.dph_total));
}

/** Platform seconds a migration of `source` onto `offer` takes, phase by phase, by the simulator's own timings. */
export function expectedSeconds(world: SimWorld, source: SimInstance): number {
  const bytes = scanFiles(instancePaths(world.dataDir, source.id).workspace).reduce((s, f) => s + f.size, 0);
  const transfer = bytes / SNAPSHOT_TIMINGS.bytesPerSecond;
  const bootSeconds = isPytorchImage(source.image) ? TIMINGS.bootPytorch : TIMINGS.bootBase;
  return (
    SNAPSHOT_TIMINGS.backupFixed +
    transfer +
    TIMINGS.toCreated +
    TIMINGS.toLoading +
    bootSeconds +
    SNAPSHOT_TIMINGS.restoreFixed +
    transfer
  );
}

/** `POST /instances/{id}/migrate/estimate`. */
export function estimate(world: SimWorld, source: SimInstance, req: MigrateRequest): Record<string, unknown> {
  const offers = candidateOffers(world, source, req);
  const target = offers[0];
  const sourceRow = { id: source.id, type: 'gpu', gpu_name: source.offer.gpu_name, cost_per_hour: source.dphTotal };
  if (!target)
    return { available: false, error: 'No offers match the request', source: sourceRow, offers_available: 0 };
  const quoted = world.has('migration-estimate-inconsistent', source.label) ? target.dph_total / 2 : target.dph_total;
  const seconds = expectedSeconds(world, source);
  // Dumont's own estimate is a constant 5 minutes and names no total cost.
  const asIs = world.profile === 'dumont-as-is';
  return {
    available: true,
    source: sourceRow,
    target: {
      type: 'gpu',
      gpu_name: target.gpu_name,
      cost_per_hour: quoted,
      offer_id: target.id,
      geolocation: target.geolocation,
    },
    estimated_time_minutes: asIs ? 5 : Math.round((seconds / 60) * 100) / 100,
    // While it migrates both instances bill: the source until destroyed, the target from its create.
    ...(asIs ? {} : { estimated_cost_usd: Math.round(((seconds * (source.dphTotal + quoted)) / 3600) * 1e6) / 1e6 }),
    offers_available: offers.length,
  };
}

/** Resolves true once `inst` runs with its SSH server up, false when it fails or `deadline` (platform time) passes. */
export function waitRunning(world: SimWorld, inst: SimInstance, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const look = (): void => {
      if (inst.destroyedAt !== null || inst.actual === 'exited') return resolve(false);
      if (inst.actual === 'running' && inst.sshPort !== null) return resolve(true);
      if (world.clock.platformNow() >= deadline) return resolve(false);
      world.clock.after(1, look);
    };
    look();
  });
}

/** `POST /instances/{id}/migrate`: the whole migration, answered when done (or failed, with the steps it got through). */
export async function migrate(
  world: SimWorld,
  state: MigrationState,
  source: SimInstance,
  req: MigrateRequest
): Promise<{ status: number; body: Record<string, unknown> }> {
  const steps: string[] = [];
  const startedAt = world.clock.platformNow();
  const fail = (status: number, error: string, extra: Record<string, unknown> = {}) => ({
    status,
    body: { success: false, old_instance_id: source.id, error, steps_completed: steps, ...extra },
  });
  if (req.targetType !== 'gpu') return fail(400, 'Only GPU targets are supported');
  if (source.actual !== 'running') return fail(400, `Instance ${source.id} must be running to migrate`);
  steps.push('validate_source');
  const snaps = world.features.stateOf(snapshots);
  let snapshotId: string;
  try {
    const taken = await takeSnapshot(world, snaps, source, {
      sourcePath: '/workspace',
      tags: ['migration', ...(source.label ? [source.label] : [])],
    });
    snapshotId = taken.record.id;
  } catch (err) {
    if (err instanceof SnapshotError) return fail(500, `Snapshot failed: ${err.message}`);
    throw err;
  }
  steps.push('create_snapshot');
  const offer = candidateOffers(world, source, req)[0];
  if (!offer) return fail(400, 'No offers match the request', { snapshot_id: snapshotId });
  steps.push('search_offers');
  const created = createInstance(world, {
    offerId: offer.id,
    image: source.image,
    disk: req.diskSize,
    label: source.label,
    env: source.env,
    onstart: world.has('migration-model-not-served', source.label) ? null : source.onstart,
    runtype: source.runtype,
    via: 'dumont',
  });
  if (created === 'no_such_ask') return fail(500, `Offer ${offer.id} unavailable`, { snapshot_id: snapshotId });
  steps.push('create_instance');
  if (!(await waitRunning(world, created, world.clock.platformNow() + SSH_WAIT_SECONDS)))
    return fail(500, `New instance ${created.id} did not become reachable`, { snapshot_id: snapshotId });
  steps.push('ssh_ready');
  if (!world.has('migration-drops-data', source.label)) {
    const record = snaps.snapshots.find((s) => s.id === snapshotId);
    if (!record) return fail(500, `Snapshot ${snapshotId} vanished`, { new_instance_id: created.id });
    await restoreSnapshot(world, record, created, { targetPath: '/workspace' });
  }
  steps.push('restore_snapshot');
  const oldPort = source.sshPort;
  if (req.autoDestroySource) {
    if (!world.has('migration-leaves-source', source.label)) destroyInstance(world, source);
    steps.push('destroy_source');
  }
  if (req.keepSshEndpoint && oldPort !== null && source.destroyedAt !== null) {
    if (!world.has('migration-changes-ssh-host', source.label)) {
      // Let the old SSH server release its port, then take it over for the new instance.
      await platformDelay(world, 0);
      const fwd = await startForwarder('127.0.0.1', oldPort, created.sshPort!);
      state.forwarders.set(created.id, fwd);
      created.sshPort = fwd.port;
    }
    steps.push('keep_ssh_endpoint');
  }
  state.migrations.push({
    oldInstanceId: source.id,
    newInstanceId: created.id,
    label: source.label,
    startedAt,
    endedAt: world.clock.platformNow(),
    steps,
  });
  return {
    status: 200,
    body: {
      success: true,
      new_instance_id: created.id,
      old_instance_id: source.id,
      snapshot_id: snapshotId,
      error: null,
      steps_completed: steps,
      duration_seconds: Math.round((world.clock.platformNow() - startedAt) * 100) / 100,
      ssh_host: '127.0.0.1',
      ssh_port: created.sshPort,
    },
  };
}
