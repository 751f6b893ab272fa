/** Public types of the embedded GPU cloud simulator (`docs/simulator.md`). */
import type { FaultKind } from './core/fault-kinds';
import type { HostileView } from './core/hostile/hostile-switch';
import type { HostileSettings } from './core/hostile/modes';
import type { DefectActivation, DefectInput } from './defect-registry';
import type { SimProfile } from './profiles';

export { FAULT_KINDS, type FaultKind } from './core/fault-kinds';
export type { DefectActivation, DefectInput, DefectName } from './defect-registry';

/** Options of {@link startSimulator}. Every delay the simulator applies is in platform seconds × `timeScale`. */
export interface SimOptions {
  /** Loopback only: the simulator never listens on another address. */
  host?: '127.0.0.1';
  /** VAST face port; 0 (default) = random free port. */
  vastPort?: number;
  /** Dumont face (and admin API) port; 0 (default) = random free port. */
  dumontPort?: number;
  /** Object store (S3 API) port; 0 (default) = random free port. */
  objectStorePort?: number;
  /** Real seconds per platform second. @default 0.01 */
  timeScale?: number;
  /** Seeds the offers catalogue, ids and (unless `setFaults` gives its own) the fault PRNG. @default 1 */
  seed?: number;
  /**
   * Multiplies the offers of every shape in the catalogue (68 at 1), for benchmarks that hold many live instances.
   * Scenarios are written against the default. @default 1
   */
  catalogueScale?: number;
  /** Probability in [0, 1] that a faultable event gets a transient fault. @default 0 */
  faultRate?: number;
  /** Which fault kinds may be injected. @default all of {@link FAULT_KINDS} */
  faultKinds?: FaultKind[];
  /**
   * Active platform defects (`src/sim/defect-registry.ts`), each for everything or for one label prefix.
   * Unknown names, and a label prefix on a global-scope defect, are rejected.
   */
  defects?: readonly (DefectActivation | DefectInput)[];
  /** The account's VAST API key; also the bearer of the admin API. */
  apiKey: string;
  /** Dumont users registered at start. */
  users?: { email: string; password: string }[];
  /** Root of the instance workspaces. @default a fresh temp dir, removed by `stop()` */
  dataDir?: string;
  /** What the deprecated `GET /api/v0/instances/` answers. @default 410 (as VAST does since 2026-09-16) */
  v0ListMode?: 200 | 410;
  /**
   * Which platform the Dumont face imitates (`docs/simulator.md` § Profiles): `ideal`, the platform as it
   * should behave, or `dumont-as-is`, the real server's documented behaviour (its wire quirks, one blocking
   * create at a time, its list failing while VAST's v0 list answers 410). Unknown names are rejected.
   * @default 'ideal'
   */
  profile?: SimProfile;
  /**
   * Feature modules (`src/sim/features/`, by name) the simulator runs without: their routes answer the face's
   * "no route" 404, as on a deployment that lacks the feature (`dumont-e2e contract` shows the gap). Unknown names,
   * and the modules other code reads ({@link FEATURES_OTHERS_READ}), are rejected. @default [] (every module runs)
   */
  withoutFeatures?: readonly string[];
  /** Receives one line per lifecycle event (create, state change, destroy); silent by default. */
  log?: (line: string) => void;
}

/** A started simulator. */
export interface RunningSim {
  vastUrl: string;
  dumontUrl: string;
  /** `<dumontUrl>/_sim` */
  adminUrl: string;
  /** The object store (the user's bucket) and its keys, as a worker's S3 client is configured (path-style). */
  objectStore: SimObjectStore;
  timeScale: number;
  /** A snapshot of what the simulator holds (the same object `GET /_sim/state` returns). */
  state(): SimState;
  /**
   * Replaces the active defects: names (`'pause-ignored'`), `'name@LABEL_PREFIX'` or
   * `{ name, labelPrefix }`. Throws, changing nothing, naming an unknown defect or a global-scope defect
   * given a prefix.
   */
  setDefects(defects: readonly DefectInput[]): void;
  /** Adds activations, keeping the others (so concurrent tests can each switch on their own scope). */
  addDefects(defects: readonly DefectInput[]): void;
  /** Removes exactly these activations (`name` is the unscoped one, `name@prefix` that scoped one). */
  removeDefects(defects: readonly DefectInput[]): void;
  /** Replaces the transient fault settings; throws naming a bad value. */
  setFaults(f: { rate: number; kinds?: FaultKind[]; seed?: number }): void;
  /** Switches a hostile-answer mode on (`mode: null`: off); throws naming a bad value (`docs/hostile.md`). */
  setHostile(settings: HostileSettings): void;
  /** The hostile mode in force and the answers each mode spoiled (what `GET /_sim/hostile` answers). */
  hostile(): HostileView;
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

/** Metered usage of one instance, volume (or other billed resource of a feature), in platform seconds and USD. */
export interface SimUsageRow {
  kind: 'instance' | 'volume' | 'standby' | 'object-storage';
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
  /** The profile the simulator runs (`SimOptions.profile`). */
  profile: SimProfile;
  /** Live instances only. */
  instances: SimInstanceView[];
  /** Live volumes only (the same as `features['storage-volumes'].volumes`). */
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
  /** Active defects: `name` (applies to all) or `name@LABEL_PREFIX`. */
  defects: string[];
  faults: {
    rate: number;
    kinds: FaultKind[];
    seed: number;
    /** Faults injected since start, by kind. */
    injected: Record<FaultKind, number>;
    /** What each per-instance fault (slow-boot, late-ssh-port) hit: the instances' labels (or ids), oldest first. */
    hitOn: Partial<Record<FaultKind, string[]>>;
  };
  /** Each registered feature module's own view, by feature name (`src/sim/features/index.ts`). */
  features: Record<string, unknown>;
}

/** Where the simulator's bucket is and how to reach it with an S3 client. The keys are secrets of the worker. */
export interface SimObjectStore {
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}
