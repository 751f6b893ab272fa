/**
 * Public types of the embedded GPU cloud simulator (`docs/simulator.md`), plus the internal records the
 * faces, the state machine and the SSH hosts share.
 */
import type { DefectName } from './defects';

/** Transient fault kinds (`docs/simulator.md` § Transient faults). */
export const FAULT_KINDS = ['429', '5xx', 'drop', 'ssh-reset', 'late-ssh-port', 'slow-boot'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type { DefectName } from './defects';

/** Options of {@link startSimulator}. Every delay the simulator applies is in platform seconds × `timeScale`. */
export interface SimOptions {
  /** Loopback only: the simulator never listens on another address. */
  host?: '127.0.0.1';
  /** VAST face port; 0 (default) = random free port. */
  vastPort?: number;
  /** Dumont face (and admin API) port; 0 (default) = random free port. */
  dumontPort?: number;
  /** Real seconds per platform second. @default 0.01 */
  timeScale?: number;
  /** Seeds the offers catalogue, ids and (unless `setFaults` gives its own) the fault PRNG. @default 1 */
  seed?: number;
  /** Probability in [0, 1] that a faultable event gets a transient fault. @default 0 */
  faultRate?: number;
  /** Which fault kinds may be injected. @default all of {@link FAULT_KINDS} */
  faultKinds?: FaultKind[];
  /** Active platform defects (`src/sim/defects.ts`). Unknown names are rejected. */
  defects?: DefectName[];
  /** The account's VAST API key; also the bearer of the admin API. */
  apiKey: string;
  /** Dumont users registered at start. */
  users?: { email: string; password: string }[];
  /** Root of the instance workspaces. @default a fresh temp dir, removed by `stop()` */
  dataDir?: string;
  /** What the deprecated `GET /api/v0/instances/` answers. @default 410 (as VAST does since 2026-09-16) */
  v0ListMode?: 200 | 410;
  /** Receives one line per lifecycle event (create, state change, destroy); silent by default. */
  log?: (line: string) => void;
}

/** A started simulator. */
export interface RunningSim {
  vastUrl: string;
  dumontUrl: string;
  /** `<dumontUrl>/_sim` */
  adminUrl: string;
  timeScale: number;
  /** A snapshot of what the simulator holds (the same object `GET /_sim/state` returns). */
  state(): SimState;
  /** Replaces the active defects; throws naming an unknown one. */
  setDefects(names: string[]): void;
  /** Replaces the transient fault settings; throws naming a bad value. */
  setFaults(f: { rate: number; kinds?: FaultKind[]; seed?: number }): void;
  /** Closes every HTTP and SSH server, kills every process the instances started, removes the temp dir. */
  stop(): Promise<void>;
}

/** One instance as the admin API shows it. */
export interface SimInstanceView {
  id: number;
  label: string | null;
  actual_status: string | null;
  intended_status: string;
  gpu_name: string;
  num_gpus: number;
  dph_total: number;
  image: string;
  disk_space: number;
  ssh_port: number | null;
  offer_id: number;
  created_via: 'vast' | 'dumont';
  resume_count: number;
  /** The GPUs nvidia-smi/torch report inside the instance (differs from the row under some defects). */
  reported_gpus: { name: string; count: number } | null;
  /** The instance's directory on this machine (`bin/`, `workspace/`). */
  dir: string;
}

/** One volume as the admin API and `GET /api/v0/volumes` show it. */
export interface SimVolumeView {
  id: number;
  name: string;
  label: string | null;
  status: string;
  disk_space: number;
  machine_id: number;
  instances: number[];
  storage_cost: number;
  start_date: number;
}

/** Metered usage of one instance or volume, in platform seconds and USD. */
export interface SimUsageRow {
  kind: 'instance' | 'volume';
  id: number;
  label: string | null;
  gpuSeconds: number;
  storageGbSeconds: number;
  usd: number;
  live: boolean;
}

/** `GET /_sim/state`. */
export interface SimState {
  /** Platform clock, epoch seconds. */
  now: number;
  timeScale: number;
  /** Live instances only. */
  instances: SimInstanceView[];
  /** Live volumes only. */
  volumes: SimVolumeView[];
  billing: {
    totalUsd: number;
    gpuSeconds: number;
    storageGbSeconds: number;
    /** Every instance ever created (destroyed ones too). */
    perInstance: SimUsageRow[];
    /** Every volume ever created (deleted ones too). */
    perVolume: SimUsageRow[];
  };
  defects: string[];
  faults: { rate: number; kinds: FaultKind[]; seed: number };
}

/** An offer of the catalogue, in VAST's field names and units (`gpu_ram`, `cpu_ram` in MB). */
export interface Offer {
  id: number;
  machine_id: number;
  host_id: number;
  gpu_name: string;
  num_gpus: number;
  gpu_ram: number;
  gpu_total_ram: number;
  cpu_name: string;
  cpu_cores: number;
  cpu_cores_effective: number;
  cpu_ram: number;
  disk_space: number;
  disk_bw: number;
  dph_base: number;
  dph_total: number;
  min_bid: number;
  storage_cost: number;
  inet_up: number;
  inet_down: number;
  inet_up_cost: number;
  inet_down_cost: number;
  reliability: number;
  reliability2: number;
  score: number;
  dlperf: number;
  dlperf_per_dphtotal: number;
  total_flops: number;
  flops_per_dphtotal: number;
  geolocation: string;
  /** ISO country code, the last token of `geolocation`. */
  country: string;
  static_ip: boolean;
  public_ipaddr: string;
  direct_port_count: number;
  hosting_type: number;
  datacenter: boolean;
  cuda_max_good: number;
  driver_version: string;
  compute_cap: number;
  verified: boolean;
  end_date: number;
}

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
  /** `ssh_port` stays null in rows until this platform time (late-ssh-port fault). */
  sshPortVisibleAt: number;
  accountKeys: string[];
  instanceKeys: { id: number; key: string }[];
  resumeCount: number;
  stoppedAt: number | null;
  reportedGpus: { name: string; count: number } | null;
  /** Bumped by every transition so stale timers and async boots drop their work. */
  epoch: number;
  timers: Set<NodeJS.Timeout>;
  dir: string;
}

/** A storage volume (only the storage-billed-after-destroy defect leaves one). */
export interface SimVolume {
  id: number;
  name: string;
  label: string | null;
  diskSpace: number;
  machineId: number;
  storageCost: number;
  createdAt: number;
  deletedAt: number | null;
}
