/**
 * The regional volume routes (`/failover/regional-volume/*`, no auth, as the reference has them): create a volume
 * in a region, fail over to a new GPU in the region that mounts it, list, get, search by region, delete. A volume's
 * `name` is its label at VAST. Under dumont-as-is they answer 400 as the warm-pool router does.
 */
import { json, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { createInstance } from '../../instances/instance-create';
import { destroyInstance } from '../../instances/instance-control';
import { asIs, BodyFields, intParam, notFound } from '../failover/route-kit';
import { whenRunning } from '../failover/waits';
import type { FeatureContext, FeatureRoute } from '../types';
import {
  createRegionalVolume,
  deleteRegionalVolume,
  liveRegionalVolumes,
  mountVolume,
  regionalVolumeRow,
} from './regional-volumes';
import { NO_ENV_KEY } from './warm-pool-routes';
import { inRegion, round, type WarmPoolState } from './warm-pool-store';

type Ctx = FeatureContext<WarmPoolState>;
type Route = FeatureRoute<WarmPoolState>;

const BASE = '/failover/regional-volume';

function create(req: SimRequest, { world, state }: Ctx): SimResponse {
  if (asIs(world)) return json(400, { error: NO_ENV_KEY });
  const f = new BodyFields(req);
  const region = f.str('region');
  const sizeGb = f.int('size_gb', 50, 1);
  const name = f.str('name');
  if (region === undefined && f.details.length === 0)
    f.details.push({ loc: ['body', 'region'], msg: 'Field required', type: 'missing' });
  const invalid = f.error();
  if (invalid) return invalid;
  if (name) {
    const existing = liveRegionalVolumes(world, state).find((v) => v.name === name);
    if (existing)
      return json(200, {
        success: true,
        volume_id: existing.volumeId,
        region: existing.region,
        size_gb: existing.sizeGb,
        error: null,
      });
  }
  const host = world
    .availableOffers()
    .filter((o) => inRegion(o.geolocation, region!))
    .sort((a, b) => a.storage_cost - b.storage_cost)[0];
  if (!host)
    return json(200, {
      success: false,
      volume_id: null,
      region,
      size_gb: sizeGb,
      error: `No host in region ${region}`,
    });
  const volume = createRegionalVolume(
    world,
    state,
    { machineId: host.machine_id, geolocation: host.geolocation, storageCost: host.storage_cost },
    name ?? `regional-${region!.toLowerCase()}-${state.volumes.size + 1}`,
    sizeGb!
  );
  return json(200, {
    success: true,
    volume_id: volume.volumeId,
    region: volume.region,
    size_gb: volume.sizeGb,
    error: null,
  });
}

async function failover(req: SimRequest, { world, state }: Ctx): Promise<SimResponse> {
  if (asIs(world)) return json(400, { error: NO_ENV_KEY });
  const f = new BodyFields(req);
  const volumeId = f.int('volume_id');
  const region = f.str('region');
  const oldInstance = f.has('old_instance_id') ? f.int('old_instance_id') : undefined;
  const maxPrice = f.has('max_price') ? f.num('max_price') : undefined;
  const image = f.str('docker_image', 'vastai/base-image:latest')!;
  const mountPath = f.str('mount_path', '/data')!;
  const label = f.str('label');
  const preferred = Array.isArray(f.body.preferred_gpus) ? (f.body.preferred_gpus as unknown[]).map(String) : [];
  const invalid = f.error();
  if (invalid) return invalid;
  const volume = liveRegionalVolumes(world, state).find((v) => v.volumeId === volumeId);
  if (!volume) return notFound(`Regional volume ${volumeId} not found`);
  const started = world.clock.platformNow();
  const offer = world
    .availableOffers()
    .filter((o) => o.num_gpus === 1 && inRegion(o.geolocation, region ?? volume.region))
    .filter((o) => preferred.length === 0 || preferred.includes(o.gpu_name))
    .filter((o) => maxPrice === undefined || o.dph_total <= maxPrice)
    .sort((a, b) => a.dph_total - b.dph_total)[0];
  const fail = (error: string): SimResponse =>
    json(200, {
      success: false,
      volume_id: volumeId,
      new_instance_id: null,
      region: volume.region,
      error,
      message: error,
    });
  if (!offer) return fail(`No GPU offer in region ${region ?? volume.region}`);
  const inst = createInstance(world, {
    offerId: offer.id,
    image,
    disk: 20,
    label: label ?? `${volume.name}/gpu`,
    env: [],
    onstart: null,
    runtype: 'ssh',
    via: 'dumont',
  });
  if (inst === 'no_such_ask') return fail(`Offer ${offer.id} was taken`);
  mountVolume(world, volume, inst, mountPath);
  const ranAt = await whenRunning(world, state, inst, 900);
  if (ranAt === null) return fail(`New GPU ${inst.id} did not run`);
  const old = oldInstance !== undefined ? world.instances.get(oldInstance) : undefined;
  if (old) destroyInstance(world, old);
  return json(200, {
    success: true,
    volume_id: volumeId,
    new_instance_id: inst.id,
    new_gpu_name: offer.gpu_name,
    region: volume.region,
    failover_time_seconds: round(ranAt - started, 3),
    ssh_host: '127.0.0.1',
    ssh_port: inst.sshPort,
    message: `Instance ${inst.id} runs with volume ${volumeId} at ${mountPath}`,
    error: null,
  });
}

/** The `/failover/regional-volume/*` routes. */
export const REGIONAL_VOLUME_ROUTES: readonly Route[] = [
  { method: 'POST', path: `${BASE}/create`, auth: 'public', handle: create },
  { method: 'POST', path: `${BASE}/failover`, auth: 'public', handle: failover },
  {
    method: 'GET',
    path: `${BASE}/list`,
    auth: 'public',
    handle: (_req, { world, state }) => {
      const volumes = liveRegionalVolumes(world, state).map((v) => regionalVolumeRow(world, v));
      return json(200, { count: volumes.length, volumes });
    },
  },
  {
    method: 'GET',
    path: `${BASE}/search/:region`,
    auth: 'public',
    handle: (req, { world, state }) => {
      const region = req.params.region ?? '';
      const volumes = liveRegionalVolumes(world, state)
        .filter((v) => v.region.toUpperCase() === region.toUpperCase() || inRegion(v.geolocation, region))
        .map((v) => regionalVolumeRow(world, v));
      return json(200, { region, count: volumes.length, volumes });
    },
  },
  {
    method: 'GET',
    path: `${BASE}/:volume_id`,
    auth: 'public',
    handle: (req, { world, state }) => {
      const id = intParam(req, 'volume_id');
      if (typeof id !== 'number') return id;
      const volume = liveRegionalVolumes(world, state).find((v) => v.volumeId === id);
      return volume ? json(200, regionalVolumeRow(world, volume)) : notFound(`Regional volume ${id} not found`);
    },
  },
  {
    method: 'DELETE',
    path: `${BASE}/:volume_id`,
    auth: 'public',
    destroys: true,
    handle: (req, { world, state }) => {
      const id = intParam(req, 'volume_id');
      if (typeof id !== 'number') return id;
      if (!deleteRegionalVolume(world, state, id)) return notFound(`Regional volume ${id} not found`);
      return json(200, { success: true, message: `Regional volume ${id} deleted` });
    },
  },
];
