/**
 * Failover and high availability on the Dumont face (`docs/simulator.md` § Failover): CPU standby associations (the
 * serverless store's standbys made machines of their own, with SSH, a service endpoint and real file syncs), the
 * platform's health checks, failover in timestamped phases, failback onto a new GPU with a reverse sync, recovery
 * without a standby, the fast GPU-to-GPU failover, failures injected on demand, and the `/failover/*` orchestrator
 * and settings. Warm pools and regional volumes are the `warm-pool` feature's. Its defects (`./defects.ts`) break
 * one scenario check each (28–32, 38–42).
 */
import { defineFeature } from '../types';
import { provisionAssociation, track } from './associations';
import { FAILOVER_DEFECTS } from './defects';
import { ensureHealthMonitor, recordRow, stopHealthMonitor } from './failover-engine';
import { FAILOVER_ROUTES } from './failover-routes';
import { liveAssociations, newFailoverState, type FailoverState } from './failover-store';
import { STANDBY_ROUTES } from './standby-routes';

export type { FailoverState } from './failover-store';
export { FAILURE_KINDS, type FailureKind } from './failover-store';
export { failureKindOf, injectFailure } from './failure-injection';

/** The failover feature module. */
export const failover = defineFeature<FailoverState>({
  name: 'failover',
  createState: () => newFailoverState(),
  defects: FAILOVER_DEFECTS,
  routes: { dumont: [...STANDBY_ROUTES, ...FAILOVER_ROUTES] },
  on: {
    create: ({ instance: inst }, { world, state }) => {
      // Auto-standby: the real platform's global manager gives every new instance created without
      // `skip_standby` a standby, syncing at once.
      if (!state.config.enabled || !inst.standbyRequested || world.profile === 'dumont-as-is') return;
      if (world.has('standby-not-created', inst.label)) {
        world.log(`failover: no standby for instance ${inst.id} (standby-not-created)`);
        return;
      }
      provisionAssociation(world, state, inst, { startSync: true });
      ensureHealthMonitor(world, state);
    },
    destroy: ({ instance: inst }, { state }) => {
      state.partitioned.delete(inst.id);
    },
  },
  view: ({ world, state }) => ({
    config: { ...state.config },
    associations: liveAssociations(state).map((a) => ({
      gpu_instance_id: a.standby.gpuInstanceId,
      label: a.standby.label,
      state: a.state,
      serving: a.serving,
      host: a.host.name,
      ssh_port: a.host.sshPort,
      endpoint_port: a.proxy.port,
      sync_count: a.standby.syncCount,
    })),
    failovers: state.records.map((r) => recordRow(world, r)),
    partitioned: [...state.partitioned],
  }),
  shutdown: async ({ world, state }) => {
    state.stopped = true;
    stopHealthMonitor(world, state);
    for (const abort of [...state.aborts]) abort();
    for (const a of state.associations) {
      for (const timer of a.timers) world.clock.cancel(timer);
      track(state, Promise.all([a.host.close(), a.proxy.close()]));
    }
    await Promise.all([...state.pending]);
  },
});
