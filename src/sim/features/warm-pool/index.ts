/**
 * Warm pools and regional volumes on the Dumont face (`docs/simulator.md` § Warm pool): a pool is a primary GPU and a
 * stopped standby GPU on one host, sharing a regional volume; its health is checked every 10 platform seconds; its
 * failover starts the standby through the shared volume; its cleanup destroys both GPUs and the volume. Its defects
 * (`./defects.ts`) break one scenario check each (33–37).
 */
import { defineFeature } from '../types';
import { WARM_POOL_DEFECTS } from './defects';
import { REGIONAL_VOLUME_ROUTES } from './regional-volume-routes';
import { liveRegionalVolumes, regionalVolumeRow } from './regional-volumes';
import { poolRow } from './warm-pool-engine';
import { WARM_POOL_ROUTES } from './warm-pool-routes';
import { livePools, newWarmPoolState, type WarmPoolState } from './warm-pool-store';

export type { WarmPoolState } from './warm-pool-store';

/** The warm-pool feature module. */
export const warmPool = defineFeature<WarmPoolState>({
  name: 'warm-pool',
  createState: () => newWarmPoolState(),
  defects: WARM_POOL_DEFECTS,
  routes: { dumont: [...WARM_POOL_ROUTES, ...REGIONAL_VOLUME_ROUTES] },
  on: {
    destroy: ({ instance }, { state }) => {
      for (const volume of state.volumes.values()) volume.attached.delete(instance.id);
    },
  },
  view: ({ world, state }) => ({
    pools: livePools(state).map((p) => poolRow(world, p)),
    regional_volumes: liveRegionalVolumes(world, state).map((v) => regionalVolumeRow(world, v)),
  }),
  shutdown: ({ world, state }) => {
    state.stopped = true;
    if (state.monitor) world.clock.cancel(state.monitor);
    state.monitor = null;
    for (const abort of [...state.aborts]) abort();
  },
});
