import type { DumontClient, VastClient } from '../platform/types';
import type { RunKeyStore } from './run-keys';

/** What activities need from the outside world; built once per worker (`src/worker.ts`). */
export interface ActivityDeps {
  dumont: DumontClient;
  vast: VastClient;
  keys: RunKeyStore;
  /** Floor for poll intervals in real milliseconds, so a tiny timeScale does not spin. @default 25 */
  minPollMs?: number;
}
