/**
 * Storage volumes on the VAST face (vast-api.md §3.8): search and create (`./volume-routes.ts`), attach at an
 * instance's create, list (`GET /api/v0/volumes`), delete (`DELETE /api/v0/volumes/`), billed from creation to
 * deletion. The storage-billed-after-destroy defect also leaves one behind when an instance in its scope is
 * destroyed, carrying the instance's label and disk, listed and billed until deleted.
 */
import { json, jsonBody } from '../../core/http/sim-http';
import { defineFeature } from '../types';
import { STORAGE_VOLUME_DEFECTS } from './defects';
import { VOLUME_RENT_ROUTES } from './volume-routes';
import { liveVolumes, volumeRow, volumeUsage, type VolumeState } from './volume-store';

export type { SimVolume, VolumeState } from './volume-store';
export { attachVolume, volumeToAttach } from './volume-routes';

/** The storage-volumes feature module. */
export const storageVolumes = defineFeature<VolumeState>({
  name: 'storage-volumes',
  createState: (world) => ({ volumes: [], nextId: 880_000 + world.prng.int(0, 9_999) }),
  defects: STORAGE_VOLUME_DEFECTS,
  routes: {
    vast: [
      {
        method: 'GET',
        path: '/api/v0/volumes/',
        handle: (req, { world, state }) => {
          // `type` as VAST's client sends it (`local_volume`, `network_volume`, `all_volume`; vast-api.md §3.8): every
          // volume here is a local one (the simulator has no network volumes), so `network_volume` lists none.
          const volumes = req.query.get('type') === 'network_volume' ? [] : liveVolumes(state);
          return json(200, { volumes: volumes.map((v) => volumeRow(v, (id) => world.instances.has(id))) });
        },
      },
      ...VOLUME_RENT_ROUTES,
      {
        method: 'DELETE',
        path: '/api/v0/volumes/',
        destroys: true,
        handle: (req, { world, state }) => {
          // The CLI sends `?id=`, the API documents a body `{id}`; both name it `V.<n>` or `<n>`.
          const raw = req.query.get('id') ?? jsonBody(req).id;
          const id = typeof raw === 'string' ? Number(raw.replace(/^V\./, '')) : Number(raw);
          if (raw === undefined || raw === null || !Number.isInteger(id)) {
            return json(400, { success: false, error: 'invalid_args', msg: 'Please provide a valid volume ID.' });
          }
          const volume = liveVolumes(state).find((v) => v.id === id);
          if (!volume) return json(404, { success: false, error: 'no_such_volume', msg: `Volume ${id} not found.` });
          // A volume cannot be deleted while attached to a running or stopped instance (vast-api.md §3.8).
          const attached = (volume.instanceIds ?? []).filter((i) => world.instances.has(i));
          if (attached.length)
            return json(400, {
              success: false,
              error: 'invalid_args',
              msg: `Volume ${volume.name} is attached to instance ${attached.join(', ')}; destroy it first.`,
            });
          volume.deletedAt = world.clock.platformNow();
          world.log(`volume ${volume.name} deleted`);
          return json(200, { success: true, msg: `Volume ${volume.name} deleted.` });
        },
      },
    ],
  },
  on: {
    destroy: ({ instance: inst, at }, { world, state }) => {
      if (!world.has('storage-billed-after-destroy', inst.label)) return;
      const id = state.nextId++;
      state.volumes.push({
        id,
        name: `V.${id}`,
        label: inst.label,
        diskSpace: inst.disk,
        machineId: inst.offer.machine_id,
        storageCost: inst.offer.storage_cost,
        createdAt: at,
        deletedAt: null,
      });
      world.log(`volume V.${id} left behind by instance ${inst.id} (storage-billed-after-destroy)`);
    },
  },
  view: ({ world, state }) => ({
    volumes: liveVolumes(state).map((v) => volumeRow(v, (id) => world.instances.has(id))),
  }),
  charges: ({ state }, now) =>
    state.volumes.map((vol) => ({
      usage: volumeUsage(vol, now),
      start: vol.createdAt,
      end: vol.deletedAt ?? now,
      description: `volume ${vol.name} (${vol.diskSpace} GB)`,
    })),
});
