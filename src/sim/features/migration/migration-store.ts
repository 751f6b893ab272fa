/** The migration feature's state: the migrations done and the stable SSH endpoints kept for migrated instances. */
import type { Forwarder } from './endpoint-forwarder';

export interface MigrationRecord {
  oldInstanceId: number;
  newInstanceId: number;
  label: string | null;
  startedAt: number;
  endedAt: number;
  steps: string[];
}

export interface MigrationState {
  migrations: MigrationRecord[];
  /** Instance id → the forwarder of the endpoint it inherited. */
  forwarders: Map<number, Forwarder>;
}

export const newMigrationState = (): MigrationState => ({ migrations: [], forwarders: new Map() });
