/**
 * Migration on the Dumont face (`docs/simulator.md` § Migration): an estimate from the simulator's own timings and
 * the offer it names, and a synchronous migration (snapshot, rent, wait for SSH, restore, destroy the source) onto a
 * cheaper GPU or another region, optionally keeping the source's SSH endpoint (an extension). Its defects
 * (`./defects.ts`) break one scenario check each (91–95).
 */
import { defineFeature } from '../types';
import { MIGRATION_DEFECTS } from './defects';
import { MIGRATION_ROUTES } from './migration-routes';
import { newMigrationState, type MigrationState } from './migration-store';

/** The migration feature module. */
export const migration = defineFeature<MigrationState>({
  name: 'migration',
  createState: () => newMigrationState(),
  defects: MIGRATION_DEFECTS,
  routes: { dumont: MIGRATION_ROUTES },
  on: {
    boot: ({ instance: inst }, { state }) => {
      // A kept endpoint follows the instance across resumes: it forwards to whichever SSH server it has now.
      const fwd = state.forwarders.get(inst.id);
      if (fwd && inst.sshPort !== null && inst.sshPort !== fwd.port) {
        fwd.target = inst.sshPort;
        inst.sshPort = fwd.port;
      }
    },
    destroy: ({ instance: inst }, { state }) => {
      const fwd = state.forwarders.get(inst.id);
      if (!fwd) return;
      state.forwarders.delete(inst.id);
      void fwd.close();
    },
  },
  view: ({ state }) => ({
    migrations: state.migrations.map((m) => ({
      old_instance_id: m.oldInstanceId,
      new_instance_id: m.newInstanceId,
      label: m.label,
      seconds: Math.round((m.endedAt - m.startedAt) * 100) / 100,
      steps: m.steps,
    })),
    kept_endpoints: [...state.forwarders].map(([id, f]) => ({ instance_id: id, port: f.port, target: f.target })),
  }),
  shutdown: async ({ state }) => {
    await Promise.all([...state.forwarders.values()].map((f) => f.close()));
    state.forwarders.clear();
  },
});
