/**
 * Serverless GPU on the Dumont face (`docs/simulator.md` § Serverless): per-instance auto-pause after an
 * idle timeout, driven by the GPU utilisation the instance's agent reports and the instance itself shows,
 * with a grace period after every start; economic mode pauses natively, fast mode keeps a CPU standby in
 * sync so its wake is quick; wake measures the cold start; savings are the paused time observed × the real
 * price. Its defects (`./defects.ts`) break one scenario check each (16–27).
 */
import { defineFeature } from '../types';
import { SERVERLESS_DEFECTS } from './defects';
import { destroyStandby, endPause } from './serverless-engine';
import { SERVERLESS_ROUTES } from './serverless-routes';
import {
  liveStandby,
  newServerlessState,
  round,
  SERVERLESS_TIMINGS,
  standbyRow,
  statusRow,
  type ServerlessState,
} from './serverless-store';

export type { ServerlessState } from './serverless-store';

/** The serverless feature module. */
export const serverless = defineFeature<ServerlessState>({
  name: 'serverless',
  createState: () => newServerlessState(),
  defects: SERVERLESS_DEFECTS,
  routes: { dumont: SERVERLESS_ROUTES },
  on: {
    boot: ({ instance: inst, at }, { state }) => {
      const cfg = state.configs.get(inst.id);
      if (!cfg) return;
      cfg.graceUntil = at + SERVERLESS_TIMINGS.grace;
      cfg.idleSince = null;
    },
    pause: ({ instance: inst }, { state }) => {
      // A user's pause is not the feature's: is_paused stays false, and the idle clock stops.
      const cfg = state.configs.get(inst.id);
      if (cfg && !state.ownTransitions.has(inst.id)) cfg.idleSince = null;
    },
    resume: ({ instance: inst }, { world, state }) => {
      // Any resume (a wake, or the user's) ends the feature's pause, unless the feature keeps it on itself.
      const cfg = state.configs.get(inst.id);
      if (cfg && !state.ownTransitions.has(inst.id)) endPause(world, state, cfg);
    },
    'host-failure': ({ instance: inst }, { state }) => {
      const cfg = state.configs.get(inst.id);
      if (cfg) cfg.idleSince = null;
    },
    destroy: ({ instance: inst }, { world, state }) => {
      state.configs.delete(inst.id);
      state.heartbeats.delete(inst.id);
      state.ledgers.delete(inst.id);
      const standby = liveStandby(state, inst.id);
      if (standby && !standby.ext?.outlivesGpu()) destroyStandby(world, standby);
    },
  },
  view: ({ world, state }) => ({
    configs: [...state.configs.values()].map((cfg) => ({ ...statusRow(world, state, cfg), label: cfg.label })),
    standbys: state.standbys.filter((s) => s.destroyedAt === null).map(standbyRow),
    heartbeats: [...state.heartbeats.values()].map((b) => ({
      instance_id: b.instanceId,
      status: b.status,
      utilization: b.utilization,
      received_at: round(b.receivedAt, 3),
    })),
  }),
  charges: ({ state }, now) =>
    state.standbys.map((s) => {
      const end = s.destroyedAt ?? now;
      return {
        usage: {
          kind: 'standby' as const,
          id: s.gpuInstanceId,
          label: s.label,
          gpuSeconds: 0,
          storageGbSeconds: 0,
          usd: (s.dphTotal * Math.max(0, end - s.createdAt)) / 3600,
          live: s.destroyedAt === null,
        },
        start: s.createdAt,
        end,
        description: `CPU standby ${s.label} of instance ${s.gpuInstanceId}`,
      };
    }),
  shutdown: ({ world, state }) => {
    if (state.monitor) world.clock.cancel(state.monitor);
    state.monitor = null;
    for (const s of state.standbys) if (s.timer) world.clock.cancel(s.timer);
    for (const abort of [...state.waiters]) abort();
  },
});
