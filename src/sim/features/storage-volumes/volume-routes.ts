/**
 * Renting local volumes on the VAST face (vast-api.md §3.8): search the volume offers (each machine's disk), create
 * one (`PUT /api/v0/volumes/`), attach one to an instance at create (`volume_info` of `PUT /asks/{id}/`, checked by
 * `volumeToAttach` before the rent and recorded by `attachVolume` after it). A volume stays on its machine, cannot
 * be resized, and cannot be deleted while an instance it is attached to exists.
 */
import { json, jsonBody, type SimResponse } from '../../core/http/sim-http';
import type { Offer } from '../../core/offer';
import type { SimInstance } from '../../instances/instance-record';
import { matchesFilters, parseVastQuery, sortRows, type Row } from '../../vast/vast-query';
import type { SimWorld } from '../../world';
import type { FeatureRoute } from '../types';
import { liveVolumes, type SimVolume, type VolumeState } from './volume-store';

/** One machine's disk as a volume offer; its id is the machine's offer id. */
function volumeOfferRow(offer: Offer): Row {
  return {
    id: offer.id,
    ask_contract_id: offer.id,
    machine_id: offer.machine_id,
    host_id: offer.host_id,
    disk_space: offer.disk_space,
    disk_bw: offer.disk_bw,
    storage_cost: offer.storage_cost,
    geolocation: offer.geolocation,
    reliability2: offer.reliability2,
    verified: offer.verified,
    verification: offer.verified ? 'verified' : 'unverified',
    external: false,
    rentable: true,
    static_ip: offer.static_ip,
    inet_up: offer.inet_up,
    inet_down: offer.inet_down,
  };
}

/** A new volume of `size` GB on `offer`'s machine. */
function newVolume(world: SimWorld, state: VolumeState, offer: Offer, size: number, name: string | null): SimVolume {
  const id = state.nextId++;
  const volume: SimVolume = {
    id,
    name: `V.${id}`,
    label: name,
    diskSpace: size,
    machineId: offer.machine_id,
    storageCost: offer.storage_cost,
    createdAt: world.clock.platformNow(),
    deletedAt: null,
    instanceIds: [],
  };
  state.volumes.push(volume);
  world.log(`volume ${volume.name} (${size} GB) created on machine ${offer.machine_id}`);
  return volume;
}

const invalid = (msg: string): SimResponse => json(400, { success: false, error: 'invalid_args', msg });

/** `POST /api/v0/volumes/search/` and `PUT /api/v0/volumes/`. */
export const VOLUME_RENT_ROUTES: FeatureRoute<VolumeState>[] = [
  {
    method: 'POST',
    path: '/api/v0/volumes/search/',
    handle: (req, { world }) => {
      let query;
      try {
        // VAST's defaults: verified, not external, some disk.
        query = parseVastQuery(
          { verified: { eq: true }, external: { eq: false }, disk_space: { gte: 1 }, ...jsonBody(req) },
          [['storage_cost', 'asc']]
        );
      } catch (err) {
        return json(400, { error: 'invalid_request', msg: (err as Error).message });
      }
      const rows = world.offers.map(volumeOfferRow).filter((row) => matchesFilters(row, query.filters));
      return json(200, { offers: sortRows(rows, query.order).slice(0, query.limit ?? 64) });
    },
  },
  {
    method: 'PUT',
    path: '/api/v0/volumes/',
    handle: (req, { world, state }) => {
      const body = jsonBody(req);
      const offer = world.offers.find((o) => o.id === Number(body.id));
      if (!offer)
        return json(404, { success: false, error: 'no_such_ask', msg: `No volume offer ${String(body.id)}.` });
      const size = Number(body.size);
      if (!Number.isFinite(size) || size <= 0 || size > offer.disk_space)
        return invalid(`size must be a number of GB in (0, ${offer.disk_space}]`);
      const volume = newVolume(world, state, offer, size, typeof body.name === 'string' ? body.name : null);
      return json(200, { success: true, volume_name: volume.name });
    },
  },
];

/** A validated `volume_info`: an existing volume, or one to create, and where the instance mounts it. */
export type VolumeToAttach = { volume: SimVolume } | { size: number; name: string | null };

/**
 * Reads the create's `volume_info {create_new, volume_id, size, mount_path}` for an instance on `offer`: undefined
 * when there is none, the 400 when it cannot be honoured (an unknown volume, one on another machine).
 */
export function volumeToAttach(
  state: VolumeState,
  offer: Offer,
  raw: unknown
): VolumeToAttach | SimResponse | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object') return invalid('volume_info must be an object');
  const info = raw as Row;
  if (info.create_new === true) {
    const size = Number(info.size);
    if (!Number.isFinite(size) || size <= 0 || size > offer.disk_space) return invalid('volume_info.size is invalid');
    return { size, name: typeof info.name === 'string' ? info.name : null };
  }
  const id = Number(String(info.volume_id ?? '').replace(/^V\./, ''));
  const volume = liveVolumes(state).find((v) => v.id === id);
  if (!volume)
    return json(404, { success: false, error: 'no_such_volume', msg: `Volume ${String(info.volume_id)} not found.` });
  if (volume.machineId !== offer.machine_id)
    return invalid(`volume ${volume.name} is on machine ${volume.machineId}, not ${offer.machine_id}`);
  return { volume };
}

/** Attaches (creating it first if asked) the validated volume to the new instance. */
export function attachVolume(world: SimWorld, state: VolumeState, inst: SimInstance, attach: VolumeToAttach): void {
  const volume = 'volume' in attach ? attach.volume : newVolume(world, state, inst.offer, attach.size, attach.name);
  (volume.instanceIds ??= []).push(inst.id);
}
