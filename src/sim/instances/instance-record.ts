/** The simulator's record of one rented instance, shared by the state machine, both faces and the SSH hosts. */
import type { Offer } from '../core/offer';
import type { SimTimer } from '../core/clock';

/** Actual (observed) container status, as VAST spells it. */
export type ActualStatus = null | 'created' | 'loading' | 'running' | 'stopped' | 'exited' | 'scheduling';

/** One rented instance; kept after destroy (with `destroyedAt`) for the charges. */
export interface SimInstance {
  id: number;
  offer: Offer;
  label: string | null;
  image: string;
  disk: number;
  env: [string, string][];
  onstart: string | null;
  runtype: string;
  isBid: boolean;
  dphTotal: number;
  createdVia: 'vast' | 'dumont';
  /** Created through Dumont without `skip_standby`: an auto-standby applies to it (`features/failover/`). */
  standbyRequested: boolean;
  instanceApiKey: string;
  actual: ActualStatus;
  intended: 'running' | 'stopped';
  statusMsg: string | null;
  createdAt: number;
  destroyedAt: number | null;
  /** Platform seconds spent in `running` before `runningSince`. */
  runningSeconds: number;
  runningSince: number | null;
  /** Port of the live SSH server, or null. */
  sshPort: number | null;
  /** The port of the first boot's SSH server: later boots listen on it again (a stable endpoint). */
  sshEndpointPort?: number;
  /** `ssh_port` stays null in rows until this platform time (late-ssh-port fault). */
  sshPortVisibleAt: number;
  accountKeys: string[];
  instanceKeys: { id: number; key: string }[];
  resumeCount: number;
  stoppedAt: number | null;
  reportedGpus: { name: string; count: number } | null;
  /** Loopback port of the instance's Ollama (`OLLAMA_HOST`), drawn at its first boot (`ollama-port.ts`). */
  ollamaPort: number | null;
  /** Bumped by every transition so stale timers and async boots drop their work. */
  epoch: number;
  timers: Set<SimTimer>;
  dir: string;
}

/** What a face asks the state machine to rent (both faces validate their own bodies first). */
export interface CreateRequest {
  offerId: number;
  image: string;
  disk: number;
  label: string | null;
  env: [string, string][];
  onstart: string | null;
  runtype: string;
  /** Bid $/h (interruptible); undefined = on-demand at the offer's dph_total. */
  price?: number;
  via: 'vast' | 'dumont';
  /** Dumont's `skip_standby` was false (its default). @default false */
  standby?: boolean;
}
