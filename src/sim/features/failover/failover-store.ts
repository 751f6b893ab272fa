/**
 * The failover feature's state: the global standby configuration (`/standby/configure`), the associations (a CPU
 * standby of the serverless store made a machine of its own: SSH host, real file syncs, a service endpoint), the
 * failures injected into GPU instances, the failover records (failover, failback, recovery, fast failover) and the
 * per-machine failover settings. Timings are platform seconds.
 */
import type { CpuStandby } from '../serverless/serverless-store';
import type { EndpointProxy } from './endpoint-proxy';
import type { StandbyHost } from './standby-machine';
import type { SyncStats } from './workspace-sync';
import type { SimTimer } from '../../core/clock';

/** Platform seconds (and rates) of the failover feature. */
export const FAILOVER_TIMINGS = {
  /** A standby VM boots: the provision call answers once its SSH is up. */
  provision: 10,
  /** The health check looks at every protected GPU this often. */
  healthInterval: 1,
  /** Consecutive failed health checks that mean the GPU is lost (detection). */
  failThreshold: 2,
  /** Detection → decision (the standby is chosen). */
  decide: 0.2,
  /** Decision → switch (the standby's copy becomes the serving one, the instance's start command runs on it). */
  switch: 0.4,
  /** Switch → serving (the service endpoint forwards to the standby). */
  serve: 0.4,
  /** failover-slower-than-reported: the real switch-to-serving delay. */
  slowServe: 300,
  /** The modelled transfer rate of a sync (GPU → standby or back), bytes per platform second. */
  syncBytesPerSecond: 100_000_000,
  /** The shortest a sync takes (a round trip, a listing). */
  minSyncSeconds: 0.02,
  /** The first sync after start-sync runs this soon. */
  firstSync: 0.5,
  /** How long failback, recovery and fast failover wait for a new GPU to run with SSH. */
  gpuBootWait: 900,
} as const;

/** Files larger than this reach the standby cut to this size under large-sync-truncated. */
export const TRUNCATE_BYTES = 1024 * 1024;

/** A standby's own price as `/standby/pricing` quotes it, $/h (the bill uses serverless's STANDBY_DPH). */
export const STANDBY_MACHINE_TYPES: Record<string, number> = {
  'e2-small': 0.0168,
  'e2-medium': 0.0335,
  'e2-standard-2': 0.067,
  'e2-standard-4': 0.134,
};

/** `POST /standby/configure` and `GET /standby/status`'s `config`. */
export interface StandbyConfig {
  /** Auto-standby: every later `POST /instances` without `skip_standby` gets a standby. */
  enabled: boolean;
  gcpZone: string;
  gcpMachineType: string;
  gcpDiskSize: number;
  gcpSpot: boolean;
  syncInterval: number;
  autoFailover: boolean;
  autoRecovery: boolean;
}

export const DEFAULT_STANDBY_CONFIG: StandbyConfig = {
  enabled: false,
  gcpZone: 'europe-west1-b',
  gcpMachineType: 'e2-medium',
  gcpDiskSize: 100,
  gcpSpot: true,
  syncInterval: 30,
  autoFailover: true,
  autoRecovery: true,
};

/** The association states (the reference's `src/services/standby/cpu.py`). */
export type AssociationState =
  'disabled' | 'provisioning' | 'syncing' | 'ready' | 'failover_active' | 'recovering' | 'error';

/** What a GPU replacing a lost one is made from (failback, recovery, fast failover). */
export interface GpuTemplate {
  gpuName: string;
  numGpus: number;
  image: string;
  disk: number;
  onstart: string | null;
}

/** One sync, as the association reports it. */
export interface SyncRecord extends SyncStats {
  /** Platform time the sync started and (modelled transfer) ended. */
  startedAt: number;
  completedAt: number;
  durationSeconds: number;
  direction: 'gpu_to_standby' | 'standby_to_gpu';
}

/** A CPU standby association of the failover feature. */
export interface Association {
  /** The serverless store's standby record (label, billing, `/standby/associations`). */
  standby: CpuStandby;
  /** The label of the GPU it was made for: replacement GPUs are `<root>/fb<n>` and `<root>/rec`. */
  rootLabel: string;
  host: StandbyHost;
  proxy: EndpointProxy;
  state: AssociationState;
  syncEnabled: boolean;
  syncTimer: SimTimer | null;
  healthTimer: SimTimer | null;
  lastSync: SyncRecord | null;
  syncedFiles: number;
  syncedBytes: number;
  /** Which machine the service endpoint forwards to. */
  serving: 'gpu' | 'standby';
  /**
   * During a failover: the platform time from which the endpoint forwards to the standby, whether or not the timer
   * that books it has fired yet (a busy event loop must not make the simulated platform slower than it is).
   */
  standbyServesFrom: number | null;
  /** Consecutive failed health checks of the GPU. */
  failedChecks: number;
  healthStatus: 'healthy' | 'unreachable' | 'unknown';
  lastHealthCheck: number | null;
  gpuFailed: boolean;
  failureReason: string | null;
  failedAt: number | null;
  /** Completed failovers and failbacks of this association. */
  failovers: number;
  failbacks: number;
  /** The failover or failback in progress, if any. */
  current: FailoverRecord | null;
  template: GpuTemplate;
  /** failover-serves-first-sync: where the standby's content after its first sync is kept. */
  firstGeneration: string | null;
  createdAt: number;
  timers: Set<SimTimer>;
}

/** A failure injected into a GPU instance (`POST /standby/failover/simulate`, the admin API). */
export type FailureKind = 'gpu_host_down' | 'spot_interruption' | 'network_partition';
export const FAILURE_KINDS: readonly FailureKind[] = ['gpu_host_down', 'spot_interruption', 'network_partition'];

export interface InjectedFailure {
  kind: FailureKind;
  at: number;
  /** The failover record opened for it, if any. */
  recordId: string | null;
}

/** A failover, failback, recovery or fast failover, as `GET /standby/failover/status/{id}` reports it. */
export interface FailoverRecord {
  id: string;
  kind: 'cpu_standby' | 'failback' | 'recovery' | 'fast' | 'none';
  /** The GPU instance that failed (failover, recovery) or the association's GPU when it started (failback). */
  gpuInstanceId: number;
  label: string | null;
  reason: string;
  /** `detecting → gpu_lost → failover_to_cpu → complete`, or `searching_gpu → provisioning → restoring → complete`. */
  phase: string;
  startedAt: number;
  failedAt: number | null;
  detectedAt: number | null;
  decidedAt: number | null;
  switchedAt: number | null;
  /** When the platform says the service answered again (a defect may report it early). */
  servingAt: number | null;
  completedAt: number | null;
  success: boolean | null;
  error: string | null;
  newGpuId: number | null;
  endpoint: { ssh_host: string; ssh_port: number | null } | null;
  dataRestored: boolean;
  /** Phase name → platform seconds, in order. */
  phaseSeconds: Record<string, number>;
  sync: SyncRecord | null;
  deadGpuDestroyed: boolean;
}

/** Per-machine failover settings (`/failover/settings/machines/{id}`). */
export interface MachineSettings {
  useGlobal: boolean;
  strategy: 'warm_pool' | 'cpu_standby' | 'both' | 'disabled';
}

/** The feature's per-world state. */
export interface FailoverState {
  config: StandbyConfig;
  /** Whether `POST /standby/configure` was called (the real manager exists only then). */
  configured: boolean;
  associations: Association[];
  failures: Map<number, InjectedFailure>;
  /** GPU instances cut off by a network partition: running, unreachable. */
  partitioned: Set<number>;
  records: FailoverRecord[];
  nextRecord: number;
  nextHost: number;
  globalStrategy: 'warm_pool' | 'cpu_standby' | 'both';
  machineSettings: Map<number, MachineSettings>;
  /** Instances that asked for a standby at create (`skip_standby: false`). */
  wantsStandby: Set<number>;
  /** Promises of work in flight (machines starting or stopping), awaited at shutdown. */
  pending: Set<Promise<unknown>>;
  /** Waits in flight (for a new GPU, a modelled transfer); each ends at once when called, at shutdown. */
  aborts: Set<() => void>;
  stopped: boolean;
}

export function newFailoverState(): FailoverState {
  return {
    config: { ...DEFAULT_STANDBY_CONFIG },
    configured: false,
    associations: [],
    failures: new Map(),
    partitioned: new Set(),
    records: [],
    nextRecord: 1,
    nextHost: 1,
    globalStrategy: 'both',
    machineSettings: new Map(),
    wantsStandby: new Set(),
    pending: new Set(),
    aborts: new Set(),
    stopped: false,
  };
}

/** The live association whose GPU instance is `gpuInstanceId`. */
export function associationOf(state: FailoverState, gpuInstanceId: number): Association | undefined {
  return state.associations.find((a) => a.standby.destroyedAt === null && a.standby.gpuInstanceId === gpuInstanceId);
}

/** Live associations. */
export function liveAssociations(state: FailoverState): Association[] {
  return state.associations.filter((a) => a.standby.destroyedAt === null);
}

/** A failover record by id. */
export function recordById(state: FailoverState, id: string): FailoverRecord | undefined {
  return state.records.find((r) => r.id === id);
}

export const round = (n: number, digits: number): number => Number(n.toFixed(digits));
export const epoch = (t: number | null): number | null => (t === null ? null : round(t, 3));
