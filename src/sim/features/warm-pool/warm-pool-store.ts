/**
 * The warm-pool feature's state: warm pools (a primary GPU and a stopped standby GPU on one host, sharing a volume)
 * and regional volumes (VAST volumes of the storage-volumes feature, with a region and a directory the GPUs that
 * mount them share). Timings are platform seconds.
 */
import { countryOf, regionCountries } from '../../core/regions';
import type { Waits } from '../failover/waits';
import type { SimTimer } from '../../core/clock';

export const WARM_POOL_TIMINGS = {
  /** The health check's period (the reference: every 10 s). */
  healthInterval: 10,
  /**
   * How long provisioning waits for each GPU to run. The reference waits up to 120 s; the simulator's boots also do
   * real work (an SSH server, the machine's tools) that a busy machine stretches into many platform seconds on a
   * compressed clock, so it waits as long as a failback does rather than failing pools for its own slowness.
   */
  gpuWait: 600,
  /** How long the standby runs before provisioning stops it (the reference: sleeps 30 s). */
  standbyWarmup: 30,
  /** How long a failover waits for the standby to run. */
  failoverWait: 300,
} as const;

export type PoolState =
  'disabled' | 'searching' | 'provisioning' | 'active' | 'failover' | 'recovering' | 'degraded' | 'error';
export type StandbyState = 'none' | 'stopped' | 'starting' | 'running';

/** What the last health check saw. */
export interface PoolHealth {
  primary: 'healthy' | 'unreachable' | 'missing';
  standby: StandbyState;
  volume: 'ok' | 'missing';
  healthy: boolean;
}

export interface WarmPool {
  machineId: number;
  label: string | null;
  /** The host the pool runs on, and the one that was asked for. */
  hostMachineId: number;
  requestedHostMachineId: number;
  /** The multi-GPU offer of the host, off the market while the pool exists. */
  parentOfferId: number;
  geolocation: string;
  gpuName: string;
  image: string;
  diskSize: number;
  volumeSize: number;
  volumeId: number | null;
  primaryId: number | null;
  standbyId: number | null;
  state: PoolState;
  enabled: boolean;
  health: PoolHealth;
  lastHealthCheck: number | null;
  failoverCount: number;
  lastFailoverAt: number | null;
  errorMessage: string | null;
  createdAt: number;
  deletedAt: number | null;
  /** Resolves when provisioning ended (a retried provision waits for it). */
  provisioning: Promise<void> | null;
}

/** A volume with a region: a warm pool's, or one made by `/failover/regional-volume/create`. */
export interface RegionalVolume {
  /** The storage volume's id (VAST's `V.<id>`). */
  volumeId: number;
  name: string;
  region: string;
  machineId: number;
  geolocation: string;
  sizeGb: number;
  /** The directory every instance that mounts it shares. */
  dir: string;
  attached: Set<number>;
  createdAt: number;
}

export interface WarmPoolState extends Waits {
  pools: WarmPool[];
  volumes: Map<number, RegionalVolume>;
  nextSlice: number;
  monitor: SimTimer | null;
}

export function newWarmPoolState(): WarmPoolState {
  return { pools: [], volumes: new Map(), nextSlice: 1, monitor: null, aborts: new Set(), stopped: false };
}

/** The live pool keyed `machineId`. */
export function poolOf(state: WarmPoolState, machineId: number): WarmPool | undefined {
  return state.pools.find((p) => p.machineId === machineId && p.deletedAt === null);
}

export function livePools(state: WarmPoolState): WarmPool[] {
  return state.pools.filter((p) => p.deletedAt === null);
}

/** The region a geolocation is in: US, EU, ASIA, or its country code. */
export function regionOf(geolocation: string): string {
  const country = countryOf(geolocation);
  for (const region of ['US', 'EU', 'ASIA']) if (regionCountries(region).includes(country)) return region;
  return country;
}

/** Whether `geolocation` is in `region` (a region word, a continent or a country code). */
export function inRegion(geolocation: string, region: string): boolean {
  return regionCountries(region).includes(countryOf(geolocation));
}

export const round = (n: number, digits: number): number => Number(n.toFixed(digits));
export const epoch = (t: number | null): number | null => (t === null ? null : round(t, 3));
