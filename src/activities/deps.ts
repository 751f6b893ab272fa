import type { ObjectStoreClient } from '../platform/object-store';
import type { DumontClient, VastClient } from '../platform/types';
import type { ReportActivityOptions } from './reports';
import type { RunKeyStore } from './run-keys';
import type { Semaphore } from './semaphore';

/** What activities need from the outside world; built once per worker (`src/worker.ts`). */
export interface ActivityDeps {
  dumont: DumontClient;
  vast: VastClient;
  keys: RunKeyStore;
  /** The user's bucket, when the worker is configured with one (`DUMONT_E2E_S3_*`). */
  objectStore?: ObjectStoreClient;
  /** Floor for poll intervals in real milliseconds, so a tiny timeScale does not spin. @default 25 */
  minPollMs?: number;
  /**
   * Creates in flight at once from this worker (a real Dumont serves one at a time and stalls everything else
   * meanwhile), whatever the number of scenarios running. @default unlimited
   */
  createSlots?: Semaphore;
  /**
   * After a create whose answer was lost (timeout, dropped connection, 5xx), how long to keep looking for its label
   * before creating again: the platform may still be working on it. @default 180000
   */
  createLandingWindowMs?: number;
  /** Where the suite's report step writes and whom it tells; unset: the step writes nothing and says so. */
  reports?: Omit<ReportActivityOptions, 'objectStore'>;
}
